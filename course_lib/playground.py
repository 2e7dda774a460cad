"""A playground for deep supervised learning: 2-D points, an MLP, its decision boundary.

The chapter's question is what happens as a network gets deeper and how training goes
right or wrong. Everything here works on points in the plane, so that whatever a
network has learnt can be *drawn*: the class it predicts at every point of the plane
(the decision boundary), what each hidden neuron computes, how large the gradients
reaching each layer are.

The lecture's order, and this module's:

1. **Prepare the data** — :func:`make_dataset` generates two moons, circles, XOR, two
   spirals or Gaussian blobs (numpy only, seeded); :func:`load_csv` reads a student's
   own labelled points and explains in plain words what is wrong with a bad file.
2. **Build the model** — :func:`build_model` turns :class:`PlaygroundSettings` into a
   compiled Keras MLP (1–6 hidden layers, width and activation per layer, dropout,
   L1/L2, batch normalisation, four optimizers); :func:`parameter_count` counts its
   parameters by hand, the way the lecture does.
3. **Train** — :func:`make_trainer` wraps it in the shared live driver
   (:class:`course_lib.training.KerasTrainer`) with :class:`GradientNorms` as an
   epoch hook, so vanishing gradients show up as curves.
4. **Look** — :func:`boundary_frame` / :func:`boundary_chart` (decision boundary behind
   the train and test points), :func:`neuron_frame` / :func:`neuron_chart` (each hidden
   neuron over the plane), :func:`gradient_chart`.
5. **Take the code home** — :func:`keras_script` writes a standalone Keras script that
   reproduces the current settings, data generation included.
6. **Classroom** — :data:`WALKTHROUGH` and :data:`QUIZ` (drawn by ``course_lib.ui``),
   :func:`notebook_cells` for the lab; :func:`offered_value` moves a value from a shared
   link or a walkthrough step onto the page's log-spaced sliders.

TensorFlow and Keras are imported inside the functions that need them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import math
import time
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course_lib.device import seed_sequence
from course_lib.settings import setting

# ----------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------

DATASETS = ("two moons", "circles", "XOR", "two spirals", "Gaussian blobs", "your CSV")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
OPTIMIZERS = ("SGD", "SGD+momentum", "RMSprop", "Adam")
#: The most hidden layers the playground builds.
MAX_LAYERS = 6
#: The values offered on the learning-rate slider (a log scale).
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: The values offered for the L1 and L2 penalties.
PENALTIES = (0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256, 512)
#: Momentum of "SGD+momentum" (the classic value).
MOMENTUM = 0.9


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything that defines one playground experiment: data, network, optimiser."""

    # -- data
    dataset: str = setting("two spirals", choices=DATASETS, help="which 2-D points to classify")
    samples: int = setting(
        400, minimum=20, maximum=2000, help="number of points, train and test together"
    )
    noise: float = setting(
        0.1, minimum=0.0, maximum=0.5, help="standard deviation of the Gaussian noise added"
    )
    classes: int = setting(3, minimum=2, maximum=5, help="number of blobs (Gaussian blobs only)")
    test_fraction: float = setting(
        0.3, minimum=0.1, maximum=0.9, help="share of the points held out for testing"
    )
    seed: int = setting(
        0, minimum=0, maximum=2**31 - 2, help="fixes the points, the weights and the batches"
    )
    # -- network: layer i uses hidden_units_i and activation_i for i <= hidden_layers
    hidden_layers: int = setting(2, minimum=1, maximum=MAX_LAYERS, help="depth of the network")
    hidden_units_1: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 1")
    hidden_units_2: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 2")
    hidden_units_3: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 3")
    hidden_units_4: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 4")
    hidden_units_5: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 5")
    hidden_units_6: int = setting(8, minimum=1, maximum=512, help="neurons in hidden layer 6")
    activation_1: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 1")
    activation_2: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 2")
    activation_3: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 3")
    activation_4: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 4")
    activation_5: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 5")
    activation_6: str = setting("tanh", choices=ACTIVATIONS, help="activation of layer 6")
    dropout: float = setting(
        0.0, minimum=0.0, maximum=0.7, help="fraction of hidden neurons switched off per step"
    )
    l1: float = setting(0.0, minimum=0.0, maximum=0.1, help="L1 penalty on the weights")
    l2: float = setting(0.0, minimum=0.0, maximum=0.1, help="L2 penalty on the weights")
    batch_norm: bool = setting(False, help="normalise each hidden layer's pre-activations")
    # -- optimisation
    optimizer: str = setting("Adam", choices=OPTIMIZERS, help="how the gradient moves the weights")
    learning_rate: float = setting(0.01, minimum=1e-5, maximum=10.0, help="size of each step")
    batch_size: int = setting(16, minimum=1, maximum=512, help="points per gradient step")
    epochs: int = setting(200, minimum=1, maximum=5000, help="passes over the training set")

    @property
    def layers(self) -> tuple[tuple[int, str], ...]:
        """``(hidden_units, activation)`` of each hidden layer, input side first."""
        return tuple(
            (getattr(self, f"hidden_units_{i}"), getattr(self, f"activation_{i}"))
            for i in range(1, self.hidden_layers + 1)
        )


#: The names of the settings fields, in order (the page's widget keys add a prefix).
FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(PlaygroundSettings))


@dataclass(frozen=True)
class Preset:
    """A named set of settings for a lesson, with what to watch."""

    name: str
    description: str
    values: dict[str, Any]


def _uniform_layers(count: int, units: int, activation: str) -> dict[str, Any]:
    values: dict[str, Any] = {"hidden_layers": count}
    for i in range(1, MAX_LAYERS + 1):
        values[f"hidden_units_{i}"] = units
        values[f"activation_{i}"] = activation
    return values


_REGULARISATION_OFF = {"dropout": 0.0, "l1": 0.0, "l2": 0.0, "batch_norm": False}


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every other field but the seed at its default.

    A preset then gives the same experiment whatever was set before it (a walkthrough
    step after "overfit me" does not keep its 60 points); the student's seed stays.
    """
    defaults = dataclasses.asdict(PlaygroundSettings())
    del defaults["seed"]
    return {**defaults, **values}


PRESETS: tuple[Preset, ...] = (
    Preset(
        "overfit me",
        "Few noisy points and a big network with no regularisation: the training loss goes "
        "to zero while the test loss turns up. Then raise dropout or L2 and watch the gap close.",
        _complete(
            {
                "dataset": "two moons",
                "samples": 60,
                "noise": 0.3,
                "test_fraction": 0.5,
                **_uniform_layers(3, 128, "relu"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 8,
                "epochs": 300,
            }
        ),
    ),
    Preset(
        "deep enough",
        "Two spirals need a curved, wound-up boundary. A single small layer cannot draw it; "
        "four layers of 32 ReLU neurons can, in a few seconds.",
        _complete(
            {
                "dataset": "two spirals",
                "samples": 800,
                "noise": 0.1,
                "test_fraction": 0.3,
                **_uniform_layers(4, 32, "relu"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 32,
                "epochs": 300,
            }
        ),
    ),
    Preset(
        "too shallow",
        "One hidden layer of four neurons on the spirals: the boundary stays a few straight "
        "cuts, and both losses stay high (underfitting).",
        _complete(
            {
                "dataset": "two spirals",
                "samples": 800,
                "noise": 0.1,
                **_uniform_layers(1, 4, "tanh"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 32,
                "epochs": 200,
            }
        ),
    ),
    Preset(
        "vanishing gradients",
        "Six sigmoid layers trained with plain SGD: the gradient norms shrink layer by layer "
        "towards the input, and the first layers barely learn. Switch to ReLU to compare.",
        _complete(
            {
                "dataset": "circles",
                "samples": 400,
                "noise": 0.1,
                **_uniform_layers(6, 16, "sigmoid"),
                **_REGULARISATION_OFF,
                "optimizer": "SGD",
                "learning_rate": 0.1,
                "batch_size": 16,
                "epochs": 200,
            }
        ),
    ),
    Preset(
        "learning rate too large",
        "Plain SGD with a learning rate of 3 on three linear layers: each step overshoots "
        "further than the last, the loss becomes NaN within the first epoch, and the live "
        "driver stops the run and explains why. Try 0.1 instead.",
        _complete(
            {
                "dataset": "XOR",
                **_uniform_layers(3, 32, "linear"),
                **_REGULARISATION_OFF,
                "optimizer": "SGD",
                "learning_rate": 3.0,
                "batch_size": 16,
                "epochs": 100,
            }
        ),
    ),
)


def settings_from_values(values: dict[str, Any]) -> PlaygroundSettings:
    """Settings from widget values; layers beyond ``hidden_layers`` get their defaults.

    Hidden widgets of unused layers must not make two equal networks look different
    (which would rebuild the student's trainer).
    """
    values = dict(values)
    defaults = PlaygroundSettings()
    for i in range(int(values.get("hidden_layers", defaults.hidden_layers)) + 1, MAX_LAYERS + 1):
        values[f"hidden_units_{i}"] = getattr(defaults, f"hidden_units_{i}")
        values[f"activation_{i}"] = getattr(defaults, f"activation_{i}")
    return PlaygroundSettings(**values)


def is_preset(name: str, settings: PlaygroundSettings) -> bool:
    """Whether ``settings`` are still those of preset ``name`` (unused layers aside)."""

    def used(choice: PlaygroundSettings) -> PlaygroundSettings:
        return settings_from_values(dataclasses.asdict(choice))

    return used(preset_settings(name, settings)) == used(settings)


def preset(name: str) -> Preset:
    """The preset called ``name`` (see :data:`PRESETS`)."""
    for candidate in PRESETS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def preset_settings(name: str, base: PlaygroundSettings | None = None) -> PlaygroundSettings:
    """``base`` (default settings if ``None``) with the preset's values applied."""
    return dataclasses.replace(base or PlaygroundSettings(), **preset(name).values)


#: The fields the page offers as a fixed list of values (select sliders), and the list.
#: A shared link or a walkthrough step may hold any value in the field's range; the
#: slider can only show one of these.
OFFERED: dict[str, tuple[float, ...]] = {
    "learning_rate": LEARNING_RATES,
    "l1": PENALTIES,
    "l2": PENALTIES,
    "batch_size": BATCH_SIZES,
    **{f"hidden_units_{i}": WIDTHS for i in range(1, MAX_LAYERS + 1)},
}


def offered_value(name: str, value: Any) -> tuple[Any, str | None]:
    """``value`` of field ``name`` moved to the nearest value the page offers, and a note.

    Nearest on a log scale (the lists are log-spaced): a learning rate of 0.02 becomes
    0.03, not 0.01. Returns ``(value, None)`` when nothing had to move, so it serves as
    the ``adjust`` of ``ui.walkthrough``.
    """
    options = OFFERED.get(name)
    if options is None or value in options:
        return value, None

    def distance(option: float) -> float:
        return abs(math.log(max(option, 1e-9)) - math.log(max(value, 1e-9)))

    nearest = min(options, key=distance)
    return nearest, f"{name} = {value:g} is not on the page's slider; using {nearest:g}."


# ----------------------------------------------------------------------------------------
# 1. Prepare the data
# ----------------------------------------------------------------------------------------


def class_sizes(samples: int, classes: int) -> list[int]:
    """Split ``samples`` points over ``classes`` as evenly as possible (sizes differ by ≤ 1)."""
    base, extra = divmod(samples, classes)
    return [base + (1 if c < extra else 0) for c in range(classes)]


def make_two_moons(samples: int, noise: float, rng: np.random.Generator):
    """Two interleaving half circles, centred on the origin; x in about [-1.5, 1.5]²."""
    outer, inner = class_sizes(samples, 2)
    t_outer = rng.uniform(0, np.pi, outer)
    t_inner = rng.uniform(0, np.pi, inner)
    x = np.concatenate(
        [
            np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
            np.stack([1 - np.cos(t_inner), 0.5 - np.sin(t_inner)], axis=1),
        ]
    )
    x = x - [0.5, 0.25]
    y = np.repeat([0, 1], [outer, inner])
    return x + noise * rng.normal(size=x.shape), y


def make_circles(samples: int, noise: float, rng: np.random.Generator):
    """A small circle (radius 0.5, class 1) inside a large one (radius 1, class 0)."""
    outer, inner = class_sizes(samples, 2)
    angle = rng.uniform(0, 2 * np.pi, outer + inner)
    radius = np.repeat([1.0, 0.5], [outer, inner])
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    y = np.repeat([0, 1], [outer, inner])
    return x + noise * rng.normal(size=x.shape), y


def make_xor(samples: int, noise: float, rng: np.random.Generator):
    """Points in the four quadrants of [-1, 1]²; class 1 where x1·x2 < 0 (exclusive or)."""
    same, opposite = class_sizes(samples, 2)
    # a margin of 0.1 keeps the noise-free classes apart at the axes
    magnitude = rng.uniform(0.1, 1.0, size=(same + opposite, 2))
    first_sign = rng.choice([-1.0, 1.0], size=same + opposite)
    second_sign = np.concatenate([first_sign[:same], -first_sign[same:]])
    x = magnitude * np.stack([first_sign, second_sign], axis=1)
    y = np.repeat([0, 1], [same, opposite])
    return x + noise * rng.normal(size=x.shape), y


def make_two_spirals(samples: int, noise: float, rng: np.random.Generator):
    """Two spirals wound 1.5 turns around each other; radius from 0.1 to 1.5."""
    sizes = class_sizes(samples, 2)
    x = []
    for label, size in enumerate(sizes):
        # sqrt: as many points per unit of arc length near the centre as far out
        turn = np.sqrt(rng.uniform(0, 1, size))
        radius = 0.1 + 1.4 * turn
        angle = 3 * np.pi * turn + label * np.pi
        x.append(np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1))
    x = np.concatenate(x)
    y = np.repeat([0, 1], sizes)
    return x + noise * rng.normal(size=x.shape), y


def make_gaussian_blobs(samples: int, noise: float, rng: np.random.Generator, classes: int = 3):
    """``classes`` round clouds centred on a circle of radius 1; spread 0.2 + noise."""
    sizes = class_sizes(samples, classes)
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = np.repeat(np.arange(classes), sizes)
    x = centres[y] + (0.2 + noise) * rng.normal(size=(samples, 2))
    return x, y


GENERATORS = {
    "two moons": make_two_moons,
    "circles": make_circles,
    "XOR": make_xor,
    "two spirals": make_two_spirals,
    "Gaussian blobs": make_gaussian_blobs,
}


def train_test_split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int):
    """A stratified split: each class keeps its share in both parts.

    Returns ``x_train, y_train, x_test, y_test`` (shuffled).
    """
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        held_out = int(round(test_fraction * len(members)))
        held_out = min(max(held_out, 1), len(members) - 1) if len(members) > 1 else 0
        test.append(members[:held_out])
        train.append(members[held_out:])
    train, test = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
    return x[train], y[train], x[test], y[test]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Points to classify, split in two.

    Attributes:
        x_train, x_test: ``(n, 2)`` float32 points (read-only arrays).
        y_train, y_test: ``(n,)`` int32 labels in ``0 .. classes - 1`` (read-only).
        class_names: the name of each label (e.g. the values of an uploaded CSV).
        name: where the points come from, e.g. ``"two spirals"``.
        notes: what was done to the data that the student should know (down-sampling…).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    name: str
    notes: tuple[str, ...] = ()

    @property
    def classes(self) -> int:
        return len(self.class_names)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(x1_min, x1_max, x2_min, x2_max)`` of all points plus a 10 % margin."""
        points = np.concatenate([self.x_train, self.x_test])
        low, high = points.min(axis=0), points.max(axis=0)
        margin = 0.1 * np.maximum(high - low, 1e-3)
        return (
            float(low[0] - margin[0]),
            float(high[0] + margin[0]),
            float(low[1] - margin[1]),
            float(high[1] + margin[1]),
        )


def _frozen_dataset(x_train, y_train, x_test, y_test, class_names, name, notes=()) -> Dataset:
    arrays = [
        np.ascontiguousarray(x_train, dtype=np.float32),
        np.ascontiguousarray(y_train, dtype=np.int32),
        np.ascontiguousarray(x_test, dtype=np.float32),
        np.ascontiguousarray(y_test, dtype=np.int32),
    ]
    for array in arrays:
        array.flags.writeable = False  # shared between sessions through the caches
    return Dataset(*arrays, tuple(class_names), name, tuple(notes))


def make_dataset(settings: PlaygroundSettings) -> Dataset:
    """The generated points for ``settings`` (same settings, same points, every time).

    Uses ``dataset``, ``samples``, ``noise``, ``classes`` (blobs only), ``test_fraction``
    and ``seed``; the network fields do not change the data.
    """
    if settings.dataset not in GENERATORS:
        raise ValueError(f"{settings.dataset!r} is not a generated data set")
    classes = settings.classes if settings.dataset == "Gaussian blobs" else 2
    return _generated(
        settings.dataset,
        settings.samples,
        settings.noise,
        classes,
        settings.test_fraction,
        settings.seed,
    )


@functools.lru_cache(maxsize=16)  # a few KB each; shared read-only by all sessions
def _generated(name: str, samples: int, noise: float, classes: int, test_fraction, seed: int):
    rng = np.random.default_rng(seed)
    if name == "Gaussian blobs":
        x, y = make_gaussian_blobs(samples, noise, rng, classes=classes)
    else:
        x, y = GENERATORS[name](samples, noise, rng)
    split = train_test_split(x, y, test_fraction, seed)
    return _frozen_dataset(*split, [f"class {c}" for c in range(classes)], name)


# -- the student's own points ------------------------------------------------------------

#: The largest CSV accepted, in bytes (10⁶ rows of three short numbers fit in it).
MAX_CSV_BYTES = 40 * 1024 * 1024
#: More rows than this are randomly down-sampled (stratified), so training stays live.
MAX_CSV_ROWS = 2000
MAX_CLASSES = 10
CSV_COLUMNS = ("x1", "x2", "label")


class CsvProblem(ValueError):
    """An uploaded CSV cannot be used; the message says why in plain words."""


def load_csv(
    data: bytes, *, test_fraction: float = 0.3, seed: int = 0, max_rows: int = MAX_CSV_ROWS
) -> Dataset:
    """A student's labelled points from CSV bytes with columns ``x1, x2, label``.

    What is checked, and what happens:

    - not text / not CSV / too big / wrong columns / text in x1 or x2 / one class /
      more than :data:`MAX_CLASSES` classes → :class:`CsvProblem` with a plain message;
    - rows with an empty, NaN or infinite value → dropped, with a note;
    - more than ``max_rows`` rows → a random, stratified down-sample to ``max_rows``,
      with a note;
    - x1 and x2 are standardised (mean 0, standard deviation 1), with a note, so that
      the same learning rates work as for the generated sets.

    Labels may be numbers or words; they are sorted and numbered ``0 .. classes - 1``.
    """
    if len(data) > MAX_CSV_BYTES:
        raise CsvProblem(
            f"The file is {len(data) / 2**20:.0f} MB; the playground accepts up to "
            f"{MAX_CSV_BYTES // 2**20} MB. Down-sample it to a few thousand rows first."
        )
    from course_lib import uploads

    try:  # the header is read first: too many or repeated (x1, X1) columns are refused
        frame, read_notes = uploads.read_csv(
            data,
            name="This file",
            keep_default_na=False,
            case_sensitive_names=False,
            float_columns={"x1", "x2"},  # read as numbers at once when they all are
        )
    except uploads.UploadProblem as problem:
        raise CsvProblem(
            f"{problem} Expected a header line x1,x2,label and one point per line."
        ) from None
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    missing = [column for column in CSV_COLUMNS if column not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:8])) or "none"
        raise CsvProblem(
            f"Missing column(s) {', '.join(missing)}. The file needs the columns x1, x2, "
            f"label (found: {found})."
        )
    frame = frame[list(CSV_COLUMNS)].apply(
        lambda column: column.str.strip() if column.dtype == object else column
    )
    notes = list(read_notes)
    coordinates = {}
    for column in ("x1", "x2"):
        values = pd.to_numeric(frame[column], errors="coerce")
        # words are an error; empty cells and nan/inf spellings are missing values
        words = values.isna()
        if words.any():
            words &= ~frame[column].astype(str).str.lower().isin(("", "nan", "na", "null"))
        if words.any():
            row = int(np.flatnonzero(words.to_numpy())[0])
            raise CsvProblem(
                f"Column {column} must hold numbers, but row {row + 2} of the file has "
                f"{frame[column].iloc[row][:30]!r}."
            )
        coordinates[column] = values.to_numpy(dtype=np.float64)
    x = np.stack([coordinates["x1"], coordinates["x2"]], axis=1)
    labels = frame["label"].to_numpy()
    usable = np.isfinite(x).all(axis=1) & (labels != "")
    if not usable.all():
        notes.append(f"Dropped {int((~usable).sum())} row(s) with an empty, NaN or infinite value.")
        x, labels = x[usable], labels[usable]
    if len(x) == 0:
        raise CsvProblem("The file has no complete rows: every point needs x1, x2 and label.")
    class_names, y = _number_labels(labels)
    if len(class_names) < 2:
        raise CsvProblem(
            f"All points have the same label ({class_names[0]!r}). A classifier needs at "
            "least two classes to tell apart."
        )
    if len(class_names) > MAX_CLASSES:
        raise CsvProblem(
            f"The labels hold {len(class_names)} different values; the playground handles "
            f"up to {MAX_CLASSES} classes. Is the label column really a class (not a number "
            "to predict)?"
        )
    if len(x) > max_rows:
        keep = _stratified_sample(y, max_rows, seed)
        notes.append(
            f"The file has {len(x):,} points; a random {max_rows:,} of them (same class "
            "proportions) are used so that training stays live."
        )
        x, y = x[keep], y[keep]
    counts = np.bincount(y, minlength=len(class_names))
    if counts.min() < 2:
        rare = class_names[int(np.argmin(counts))]
        raise CsvProblem(
            f"Class {rare!r} has a single point; each class needs at least two (one to "
            "train on, one to test)."
        )
    spread = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    notes.append("x1 and x2 are standardised (mean 0, standard deviation 1).")
    split = train_test_split(x, y, test_fraction, seed)
    return _frozen_dataset(*split, class_names, "your CSV", notes)


def _number_labels(labels: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Class names (sorted numerically when all are numbers) and labels 0 .. k - 1."""
    names = np.unique(labels)
    numeric = pd.to_numeric(pd.Series(names), errors="coerce")
    if numeric.notna().all():
        names = names[np.argsort(numeric.to_numpy(), kind="stable")]
    index = {name: i for i, name in enumerate(names)}
    return [str(name) for name in names], np.array([index[v] for v in labels], dtype=np.int32)


def _stratified_sample(y: np.ndarray, size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    counts = np.bincount(y)
    quota = np.maximum(2, np.floor(counts / counts.sum() * size).astype(int))
    keep = [
        rng.choice(np.flatnonzero(y == c), min(q, n), replace=False)
        for c, (q, n) in enumerate(zip(quota, counts, strict=True))
        if n
    ]
    return np.sort(np.concatenate(keep))


def csv_digest(data: bytes) -> str:
    """A short fingerprint of an upload, so a new file builds a new trainer."""
    return hashlib.sha256(data).hexdigest()[:16]


# ----------------------------------------------------------------------------------------
# 2. Build the model
# ----------------------------------------------------------------------------------------


def parameter_count(settings: PlaygroundSettings, classes: int) -> dict[str, int]:
    """Parameters of the network, counted the way the lecture does.

    A dense layer from ``n`` to ``m`` neurons has ``n·m`` weights and ``m`` biases (no
    biases when batch normalisation follows: its shift β plays that part). Batch
    normalisation adds a scale γ and a shift β per neuron (trained) and a running mean
    and variance (not trained). The output layer has one neuron per class.

    Returns ``{"trainable": …, "non_trainable": …, "total": …}``.
    """
    trainable = non_trainable = 0
    fan_in = 2
    for units, _ in settings.layers:
        trainable += fan_in * units + (0 if settings.batch_norm else units)
        if settings.batch_norm:
            trainable += 2 * units
            non_trainable += 2 * units
        fan_in = units
    trainable += fan_in * classes + classes
    return {
        "trainable": trainable,
        "non_trainable": non_trainable,
        "total": trainable + non_trainable,
    }


def make_optimizer(name: str, learning_rate: float):
    """One of :data:`OPTIMIZERS` as a Keras optimizer."""
    import keras

    if name == "SGD":
        return keras.optimizers.SGD(learning_rate)
    if name == "SGD+momentum":
        return keras.optimizers.SGD(learning_rate, momentum=MOMENTUM)
    if name == "RMSprop":
        return keras.optimizers.RMSprop(learning_rate)
    if name == "Adam":
        return keras.optimizers.Adam(learning_rate)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")


def build_model(settings: PlaygroundSettings, classes: int):
    """The MLP of ``settings`` for ``classes`` classes, compiled.

    Input ``(batch, 2)`` points; output ``(batch, classes)`` class probabilities
    (softmax), trained with cross-entropy. Each hidden layer ``i`` is
    ``Dense → [BatchNormalization] → Activation (named "hidden_i") → [Dropout]``.
    Every initializer and dropout layer is seeded from ``settings.seed``, so the same
    settings give the same network, without touching Keras's global seed.
    """
    import keras

    seeds = iter(seed_sequence(settings.seed, 2 * MAX_LAYERS + 2))
    penalty = (
        keras.regularizers.L1L2(l1=settings.l1, l2=settings.l2)
        if settings.l1 or settings.l2
        else None
    )
    model = keras.Sequential(name="playground_mlp")
    model.add(keras.Input(shape=(2,), name="point"))
    for i, (units, activation) in enumerate(settings.layers, start=1):
        model.add(
            keras.layers.Dense(
                units,
                use_bias=not settings.batch_norm,
                kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
                kernel_regularizer=penalty,
                name=f"dense_{i}",
            )
        )
        if settings.batch_norm:
            model.add(keras.layers.BatchNormalization(name=f"batch_norm_{i}"))
        model.add(keras.layers.Activation(activation, name=f"hidden_{i}"))
        if settings.dropout > 0:
            model.add(keras.layers.Dropout(settings.dropout, seed=next(seeds), name=f"dropout_{i}"))
    model.add(
        keras.layers.Dense(
            classes,
            activation="softmax",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            kernel_regularizer=penalty,
            name="output",
        )
    )
    model.compile(
        optimizer=make_optimizer(settings.optimizer, settings.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


#: Estimated seconds per epoch above which the page warns that the network is heavy.
SLOW_EPOCH_SECONDS = 0.5
#: ... and above which an "epoch" is shortened to a fixed number of batches.
MAX_EPOCH_SECONDS = 1.0
#: A rough CPU speed for small dense layers (floating point operations per second) and
#: the fixed cost of one training step; only used for the warning, not for results.
_CPU_FLOPS = 1e9
_STEP_SECONDS = 1.5e-3


def seconds_per_epoch(settings: PlaygroundSettings, train_size: int, classes: int) -> float:
    """A rough estimate of one epoch's training time on a laptop CPU.

    Forward and backward passes cost about 6 floating point operations per weight and
    example, plus a fixed overhead per batch.
    """
    weights = parameter_count(settings, classes)["total"]
    steps = math.ceil(train_size / max(1, min(settings.batch_size, train_size)))
    return steps * _STEP_SECONDS + 6 * weights * train_size / _CPU_FLOPS


def steps_per_epoch(settings: PlaygroundSettings, train_size: int, classes: int) -> int | None:
    """``None`` (an epoch is a full pass) unless a pass would freeze the page.

    For a network and batch size so heavy that one pass over the data would take more
    than :data:`MAX_EPOCH_SECONDS`, an "epoch" is shortened to the number of batches
    that fit in that time, so the page still redraws and the buttons still answer.
    """
    estimate = seconds_per_epoch(settings, train_size, classes)
    if estimate <= MAX_EPOCH_SECONDS:
        return None
    steps = math.ceil(train_size / max(1, min(settings.batch_size, train_size)))
    return max(1, int(steps * MAX_EPOCH_SECONDS / estimate))


def size_summary(settings: PlaygroundSettings, data: Dataset) -> str:
    """One markdown line: the network's parameters and the data's size."""
    count = parameter_count(settings, data.classes)
    extra = count["non_trainable"]
    return (
        f"**{count['trainable']:,} trainable parameters**"
        + (f" (+{extra:,} running statistics)" if extra else "")
        + f" · {len(data.x_train)} training points, {len(data.x_test)} test points, "
        f"{data.classes} classes"
    )


def heavy_network_warning(settings: PlaygroundSettings, data: Dataset) -> str | None:
    """What to tell the student when an epoch would be slow on the server, else ``None``."""
    estimate = seconds_per_epoch(settings, len(data.x_train), data.classes)
    if estimate <= SLOW_EPOCH_SECONDS:
        return None
    steps = steps_per_epoch(settings, len(data.x_train), data.classes)
    shortened = (
        f"To keep the page responsive an epoch here is {steps} batches, not a full pass. "
        if steps
        else ""
    )
    return (
        f"This network is heavy for the server: one pass over the data takes about "
        f"{estimate:.0f} s. {shortened}Fewer or narrower layers, or a bigger batch, train "
        "much faster."
    )


# ----------------------------------------------------------------------------------------
# 3. Train
# ----------------------------------------------------------------------------------------


class GradientNorms:
    """An ``on_epoch_end`` hook that adds each layer's gradient norm to the row.

    After an epoch it computes the gradient of the loss with respect to every dense
    layer's weight matrix on a fixed sample of training points (at most 256, in
    inference mode so batch normalisation's running statistics are not touched) and
    stores the Euclidean norm as ``row["grad_norm_1"]`` … and ``row["grad_norm_output"]``.
    In a deep sigmoid network these shrink layer by layer towards the input: vanishing
    gradients.

    To keep training fast it measures at most every ``every_seconds`` of wall time (and
    always after the first epoch); rows in between carry no gradient norms.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, *, every_seconds: float = 0.3):
        self.x = np.asarray(x[:256], dtype=np.float32)
        self.y = np.asarray(y[:256], dtype=np.int32)
        self.every_seconds = every_seconds
        self._model_id: int | None = None
        self._function = None
        self._last = -math.inf

    def _compile(self, model):
        import keras
        import tensorflow as tf

        kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        x, y = tf.constant(self.x), tf.constant(self.y)

        @tf.function
        def norms():
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=False))
            return [tf.norm(g) for g in tape.gradient(loss, kernels)]

        return norms

    def __call__(self, model, row: dict[str, Any]) -> None:
        now = time.perf_counter()
        if id(model) != self._model_id:  # a reset built a new model
            self._model_id, self._function, self._last = id(model), self._compile(model), -math.inf
        if row.get("epoch", 0) > 1 and now - self._last < self.every_seconds:
            return
        self._last = now
        values = [float(v) for v in self._function()]
        for i, value in enumerate(values[:-1], start=1):
            row[f"grad_norm_{i}"] = value
        row["grad_norm_output"] = values[-1]


def make_trainer(settings: PlaygroundSettings, data: Dataset):
    """The shared live driver for this experiment: train on ``data``, test after each epoch."""
    from course_lib.training import KerasTrainer

    return KerasTrainer(
        functools.partial(build_model, settings, data.classes),
        data.x_train,
        data.y_train,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        validation_data=(data.x_test, data.y_test),
        seed=settings.seed,
        steps_per_epoch=steps_per_epoch(settings, len(data.x_train), data.classes),
        on_epoch_end=[GradientNorms(data.x_train, data.y_train)],
    )


# ----------------------------------------------------------------------------------------
# 4. Look: decision boundary, neurons, gradients
# ----------------------------------------------------------------------------------------

#: Class colours (colour-blind friendly, Tableau 10), the same for regions and points.
CLASS_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def grid_points(extent: tuple[float, float, float, float], resolution: int) -> np.ndarray:
    """``(resolution², 2)`` float32 cell centres covering ``extent`` row by row."""
    x1_min, x1_max, x2_min, x2_max = extent
    x1 = np.linspace(x1_min, x1_max, resolution, dtype=np.float32)
    x2 = np.linspace(x2_min, x2_max, resolution, dtype=np.float32)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)
    return np.stack([grid_x1.ravel(), grid_x2.ravel()], axis=1)


def predict(model, x: np.ndarray) -> np.ndarray:
    """Class probabilities ``(n, classes)`` for ``(n, 2)`` points, in inference mode.

    Calls the model directly (no ``model.predict``: its per-call setup costs more than
    the few thousand grid points).
    """
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False))


def boundary_frame(model, data: Dataset, resolution: int = 60) -> pd.DataFrame:
    """The predicted class and its probability at each cell of a grid over the data.

    Columns: ``x1``, ``x2`` (cell centre), ``predicted`` (class name) and
    ``confidence`` (its probability, from 1/classes to 1). ``resolution²`` rows.
    """
    points = grid_points(data.extent, resolution)
    probabilities = predict(model, points)
    return pd.DataFrame(
        {
            "x1": points[:, 0],
            "x2": points[:, 1],
            "predicted": pd.Categorical.from_codes(
                probabilities.argmax(axis=1), categories=list(data.class_names)
            ),
            "confidence": probabilities.max(axis=1),
        }
    )


def points_frame(data: Dataset) -> pd.DataFrame:
    """Train and test points, one row each: ``x1``, ``x2``, ``label`` (name), ``split``."""
    names = np.asarray(data.class_names)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "x1": x[:, 0],
                    "x2": x[:, 1],
                    "label": names[y],
                    "split": split,
                }
            )
            for x, y, split in (
                (data.x_train, data.y_train, "train"),
                (data.x_test, data.y_test, "test"),
            )
        ],
        ignore_index=True,
    )


def boundary_chart(
    frame: pd.DataFrame, data: Dataset, *, title: str = "", size: int = 520
) -> alt.Chart:
    """The decision boundary behind the points.

    Each grid cell is coloured by the class the network predicts there, paler where it
    is unsure; training points are filled circles with a dark outline, test points
    hollow diamonds outlined in the colour of their true class.
    """
    extent = data.extent
    resolution = max(2, int(round(np.sqrt(len(frame)))))
    # half a cell, so each rectangle is drawn around its centre (computed in the browser)
    half_x1 = (extent[1] - extent[0]) / (resolution - 1) / 2
    half_x2 = (extent[3] - extent[2]) / (resolution - 1) / 2
    colours = alt.Scale(domain=list(data.class_names), range=list(CLASS_COLOURS[: data.classes]))
    x_scale = alt.Scale(domain=[extent[0], extent[1]], nice=False, zero=False)
    y_scale = alt.Scale(domain=[extent[2], extent[3]], nice=False, zero=False)
    regions = (
        alt.Chart(frame)
        .transform_calculate(
            x1_start=f"datum.x1 - {half_x1}",
            x1_end=f"datum.x1 + {half_x1}",
            x2_start=f"datum.x2 - {half_x2}",
            x2_end=f"datum.x2 + {half_x2}",
        )
        .mark_rect()
        .encode(
            x=alt.X("x1_start:Q", title="x₁", scale=x_scale, axis=alt.Axis(tickMinStep=0.5)),
            x2="x1_end:Q",
            y=alt.Y("x2_start:Q", title="x₂", scale=y_scale, axis=alt.Axis(tickMinStep=0.5)),
            y2="x2_end:Q",
            color=alt.Color("predicted:N", title="class", scale=colours),
            # 1/classes (a guess) is nearly white, 1 (certain) is the full colour
            opacity=alt.Opacity(
                "confidence:Q",
                scale=alt.Scale(domain=[1 / data.classes, 1], range=[0.05, 0.6]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("x1:Q", title="x₁", format=".2f"),
                alt.Tooltip("x2:Q", title="x₂", format=".2f"),
                alt.Tooltip("predicted:N", title="predicted class"),
                alt.Tooltip("confidence:Q", title="probability", format=".2f"),
            ],
        )
    )
    points = (
        alt.Chart(points_frame(data))
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            x=alt.X("x1:Q", scale=x_scale),
            y=alt.Y("x2:Q", scale=y_scale),
            color=alt.Color("label:N", scale=colours, title="class"),
            # train points: filled, dark outline; test points: an outline in their class colour
            stroke=alt.condition(
                "datum.split == 'test'",
                alt.Stroke("label:N", scale=colours, legend=None),
                alt.value("#222"),
            ),
            strokeWidth=alt.condition("datum.split == 'test'", alt.value(2.5), alt.value(1)),
            shape=alt.Shape(
                "split:N",
                title="points",
                scale=alt.Scale(domain=["train", "test"], range=["circle", "diamond"]),
            ),
            fillOpacity=alt.FillOpacity(
                "split:N", scale=alt.Scale(domain=["train", "test"], range=[1, 0]), legend=None
            ),
            tooltip=[
                alt.Tooltip("x1:Q", title="x₁", format=".2f"),
                alt.Tooltip("x2:Q", title="x₂", format=".2f"),
                alt.Tooltip("label:N", title="true class"),
                alt.Tooltip("split:N", title="set"),
            ],
        )
    )
    return alt.layer(regions, points, title=title).properties(width=size, height=size)


def hidden_outputs(model, points: np.ndarray, max_layers: int = 2) -> list[np.ndarray]:
    """Outputs of the first ``max_layers`` hidden layers (after their activation).

    Returns one ``(n, hidden_units_i)`` array per layer for ``(n, 2)`` points, in
    inference mode (dropout off, batch normalisation with its running statistics).
    """
    outputs = []
    x = np.asarray(points, dtype=np.float32)
    for layer in model.layers:
        if len(outputs) == max_layers:
            break
        x = layer(x, training=False)
        if layer.name.startswith("hidden_"):
            outputs.append(np.asarray(x))
    return outputs


def neuron_frame(
    model, data: Dataset, *, resolution: int = 24, max_layers: int = 2, max_neurons: int = 8
) -> pd.DataFrame:
    """Each hidden neuron's output over the plane, for the small-multiples chart.

    Columns: ``layer``, ``neuron`` (1-based), ``row``, ``column`` (grid cell indices;
    row 0 at the top), ``output`` (the activation) and ``scaled`` (the output mapped
    from that neuron's own lowest..highest value on the grid to [-1, 1], so every
    neuron's pattern is visible whatever its scale; 0 for a constant, "dead" neuron).
    At most ``max_neurons`` per layer.
    """
    points = grid_points(data.extent, resolution)
    rows = np.repeat(np.arange(resolution)[::-1], resolution)  # x₂ grows upwards
    columns = np.tile(np.arange(resolution), resolution)
    frames = []
    for layer_index, outputs in enumerate(hidden_outputs(model, points, max_layers), start=1):
        for neuron in range(min(max_neurons, outputs.shape[1])):
            values = outputs[:, neuron]
            low, high = float(values.min()), float(values.max())
            spread = high - low
            frames.append(
                pd.DataFrame(
                    {
                        "layer": f"layer {layer_index}",
                        "neuron": neuron + 1,
                        "row": rows,
                        "column": columns,
                        "output": values,
                        # a dead (constant) neuron stays white
                        "scaled": 2 * (values - low) / spread - 1 if spread > 1e-9 else 0 * values,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def neuron_chart(frame: pd.DataFrame, *, cell: int = 4) -> alt.Chart:
    """Small heatmaps, one per hidden neuron: a row per layer, a column per neuron.

    Orange where the neuron's output is at its highest over the plane, blue where it is
    at its lowest, white for a neuron that outputs the same everywhere (dead).
    """
    resolution = int(frame["column"].max()) + 1
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("column:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "scaled:Q",
                title="neuron output",
                scale=alt.Scale(scheme="blueorange", domain=[-1, 1]),
                legend=alt.Legend(
                    orient="bottom",
                    gradientLength=240,
                    values=[-1, 1],
                    labelExpr="datum.value < 0 ? 'lowest' : 'highest'",
                ),
            ),
            tooltip=[
                alt.Tooltip("layer:N"),
                alt.Tooltip("neuron:O"),
                alt.Tooltip("output:Q", format=".3f"),
            ],
        )
        .properties(width=cell * resolution, height=cell * resolution)
        .facet(
            row=alt.Row("layer:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            column=alt.Column("neuron:O", title="neuron"),
            spacing=6,
        )
    )


def gradient_frame(history: list[dict[str, Any]]) -> pd.DataFrame:
    """Gradient norms per layer and epoch: columns ``epoch``, ``layer``, ``norm``."""
    records = [
        {
            "epoch": row["epoch"],
            "layer": "output" if key == "grad_norm_output" else f"layer {key.rsplit('_', 1)[1]}",
            "norm": value,
        }
        for row in history
        for key, value in row.items()
        if key.startswith("grad_norm_") and value > 0
    ]
    return pd.DataFrame.from_records(records, columns=["epoch", "layer", "norm"])


def gradient_chart(frame: pd.DataFrame, *, height: int = 360) -> alt.Chart:
    """Each layer's gradient norm against the epoch, on a log axis."""
    layers = sorted(frame["layer"].unique(), key=lambda name: (name == "output", name))
    return (
        alt.Chart(frame, title="Gradient norm per layer")
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X("epoch:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(
                "norm:Q",
                title="‖∂loss/∂W‖",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~e"),
            ),
            color=alt.Color(
                "layer:N",
                title=None,
                sort=layers,
                scale=alt.Scale(scheme="viridis"),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=["epoch:Q", "layer:N", alt.Tooltip("norm:Q", format=".3g")],
        )
        .properties(height=height)
    )


# ----------------------------------------------------------------------------------------
# 5. Take the code home
# ----------------------------------------------------------------------------------------


def _layer_code(settings: PlaygroundSettings) -> str:
    penalty = (
        f"keras.regularizers.L1L2(l1={settings.l1!r}, l2={settings.l2!r})"
        if settings.l1 or settings.l2
        else "None"
    )
    lines = [f"PENALTY = {penalty}", "model = keras.Sequential(", "    ["]
    lines.append('        keras.Input(shape=(2,), name="point"),')
    seeds = iter(seed_sequence(settings.seed, 2 * MAX_LAYERS + 2))
    for i, (units, activation) in enumerate(settings.layers, start=1):
        lines.append(
            f"        keras.layers.Dense({units}, use_bias={not settings.batch_norm}, "
            f"kernel_initializer=keras.initializers.GlorotUniform(seed={next(seeds)}), "
            f'kernel_regularizer=PENALTY, name="dense_{i}"),'
        )
        if settings.batch_norm:
            lines.append(f'        keras.layers.BatchNormalization(name="batch_norm_{i}"),')
        lines.append(f'        keras.layers.Activation("{activation}", name="hidden_{i}"),')
        if settings.dropout > 0:
            lines.append(
                f"        keras.layers.Dropout({settings.dropout!r}, seed={next(seeds)}, "
                f'name="dropout_{i}"),'
            )
    lines.append(
        '        keras.layers.Dense(CLASSES, activation="softmax", '
        f"kernel_initializer=keras.initializers.GlorotUniform(seed={next(seeds)}), "
        'kernel_regularizer=PENALTY, name="output"),'
    )
    lines += ["    ]", ")"]
    return "\n".join(lines)


_OPTIMIZER_CODE = {
    "SGD": "keras.optimizers.SGD(LEARNING_RATE)",
    "SGD+momentum": f"keras.optimizers.SGD(LEARNING_RATE, momentum={MOMENTUM})",
    "RMSprop": "keras.optimizers.RMSprop(LEARNING_RATE)",
    "Adam": "keras.optimizers.Adam(LEARNING_RATE)",
}


def _script_sections(
    settings: PlaygroundSettings, csv_name: str | None = None
) -> list[tuple[str, str, str]]:
    """The exported experiment as ``(heading, why, code)`` sections, in lecture order."""
    constants = f"""import numpy as np
import keras

SEED = {settings.seed}  # fixes the points, the initial weights and the batch order
SAMPLES = {settings.samples}  # points, train and test together
NOISE = {settings.noise!r}  # standard deviation of the Gaussian noise on each point
TEST_FRACTION = {settings.test_fraction!r}  # share of the points held out for testing
LEARNING_RATE = {settings.learning_rate!r}
BATCH_SIZE = {settings.batch_size}
EPOCHS = {settings.epochs}"""
    if settings.dataset == "your CSV":
        data_code = f"""import pandas as pd

# the playground also drops incomplete rows and keeps at most {MAX_CSV_ROWS} points
frame = pd.read_csv({csv_name or "points.csv"!r}).dropna()
x = frame[["x1", "x2"]].to_numpy(dtype="float32")
x = (x - x.mean(axis=0)) / x.std(axis=0)  # standardise, as the playground does
class_names, y = np.unique(frame["label"].astype(str), return_inverse=True)"""
        data_why = "Your points: columns x1, x2 and label."
    else:
        generator = GENERATORS[settings.dataset]
        extra = f", classes={settings.classes}" if settings.dataset == "Gaussian blobs" else ""
        data_code = "\n\n".join(
            [
                inspect.getsource(class_sizes).strip(),
                inspect.getsource(generator).strip(),
                f"rng = np.random.default_rng(SEED)\n"
                f"x, y = {generator.__name__}(SAMPLES, NOISE, rng{extra})",
            ]
        )
        data_why = f"{settings.dataset.capitalize()}, generated with numpy from a fixed seed."
    split_code = (
        inspect.getsource(train_test_split).strip()
        + """


x_train, y_train, x_test, y_test = train_test_split(x, y, TEST_FRACTION, SEED)
x_train, x_test = x_train.astype("float32"), x_test.astype("float32")
CLASSES = int(y.max()) + 1
print(f"{len(x_train)} training points, {len(x_test)} test points, {CLASSES} classes")"""
    )
    model_code = f"""{_layer_code(settings)}
model.compile(
    optimizer={_OPTIMIZER_CODE[settings.optimizer]},
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()
print("parameters:", model.count_params())"""
    train_code = """history = model.fit(
    x_train,
    y_train,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    validation_data=(x_test, y_test),
    verbose=2,
)"""
    evaluate_code = """loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f}, test accuracy {accuracy:.3f}")"""
    return [
        ("Hyperparameters", "The playground's settings, as named constants.", constants),
        ("Prepare the data", data_why, data_code),
        (
            "Split into training and test points",
            "Each class keeps its share in both parts; the network never trains on the test points.",
            split_code,
        ),
        (
            "Build the model",
            f"A multilayer perceptron with {settings.hidden_layers} hidden layer(s) and a "
            "softmax output, one neuron per class.",
            model_code,
        ),
        ("Train", "Backpropagation, one mini-batch at a time.", train_code),
        ("Evaluate", "Accuracy on the held-out test points.", evaluate_code),
    ]


def keras_script(settings: PlaygroundSettings, *, csv_name: str | None = None) -> str:
    """A standalone, runnable Keras script that reproduces ``settings``.

    Reads like a keras-io example: named constants, *Prepare the data*, *Build the
    model*, *Train*, *Evaluate*. Generated data sets include their generator's source;
    for ``dataset == "your CSV"`` the script reads ``csv_name`` (a path next to it).
    Needs only numpy and keras (plus pandas for a CSV).
    """
    header = (
        f'"""Deep supervised learning playground: {settings.dataset}, exported from the '
        "course app.\n\nA multilayer perceptron learns to classify 2-D points. "
        'Run with `python playground_model.py`.\n"""\n'
    )
    body = [
        f"# ## {heading}\n# {why}\n\n{code}\n"
        for heading, why, code in _script_sections(settings, csv_name)
    ]
    return header + "\n\n".join(body)


def notebook_cells(settings: PlaygroundSettings, *, csv_name: str | None = None) -> list:
    """A plain-Keras notebook reproducing ``settings``: data, model, training, plots.

    The same sections as :func:`keras_script`, each a markdown cell and a code cell, then
    the learning curves and the decision boundary drawn with Altair (as in the app).
    Build the ``.ipynb`` with ``course_lib.classroom.notebook(cells, title=...)``.
    """
    from course_lib.classroom import code, markdown

    cells = [
        markdown(
            "A multilayer perceptron learns to classify points in the plane. Change the "
            "constants in the first cell and run all cells again."
        )
    ]
    for heading, why, source in _script_sections(settings, csv_name):
        cells += [markdown(f"## {heading}\n\n{why}"), code(source)]
    cells += [
        markdown("## Learning curves\n\nA growing gap between train and test loss is overfitting."),
        code(
            """import altair as alt
import pandas as pd

curves = pd.DataFrame(history.history).reset_index(names="epoch")
curves = curves.melt("epoch", ["loss", "val_loss"], var_name="split", value_name="value")
alt.Chart(curves).mark_line().encode(
    x="epoch", y=alt.Y("value", title="loss"), color="split", tooltip=list(curves)
)"""
        ),
        markdown(
            "## Decision boundary\n\nThe class the network predicts at each point of the "
            "plane, with the training points on top."
        ),
        code(
            """low, high = x.min(axis=0) - 0.2, x.max(axis=0) + 0.2
grid_x1, grid_x2 = np.meshgrid(np.linspace(low[0], high[0], 60), np.linspace(low[1], high[1], 60))
grid = np.stack([grid_x1.ravel(), grid_x2.ravel()], axis=1).astype("float32")
probabilities = model.predict(grid, verbose=0)
regions = pd.DataFrame({"x1": grid[:, 0], "x2": grid[:, 1],
                        "predicted": probabilities.argmax(axis=1).astype(str),
                        "confidence": probabilities.max(axis=1)})
points = pd.DataFrame({"x1": x_train[:, 0], "x2": x_train[:, 1], "label": y_train.astype(str)})
background = alt.Chart(regions).mark_square(size=40).encode(
    x="x1", y="x2", color="predicted:N", opacity=alt.Opacity("confidence", legend=None))
foreground = alt.Chart(points).mark_point(filled=True, stroke="black").encode(
    x="x1", y="x2", color="label:N", tooltip=["x1", "x2", "label"])
(background + foreground).properties(width=450, height=450)"""
        ),
    ]
    return cells


# ----------------------------------------------------------------------------------------
# Classroom: a guided walkthrough and a quiz (drawn by course_lib.ui, not by this module)
# ----------------------------------------------------------------------------------------


def _walkthrough():
    from course_lib.classroom import Step

    overfit = preset("overfit me").values
    return (
        Step(
            "One neuron draws a straight line",
            "A single hidden neuron computes one weighted sum of x₁ and x₂, so whatever it "
            "learns, the boundary is a straight line. XOR needs two lines: watch the loss "
            "get stuck.",
            _complete(
                {"dataset": "XOR", "noise": 0.05, **_uniform_layers(1, 1, "tanh"), "epochs": 100}
            ),
        ),
        Step(
            "More neurons, more lines",
            "With eight neurons the first layer draws eight lines and the output combines "
            "them: the boundary bends around the four quadrants. Look inside the net to see "
            "each neuron's line.",
            _complete(
                {"dataset": "XOR", "noise": 0.05, **_uniform_layers(1, 8, "tanh"), "epochs": 100}
            ),
        ),
        Step(
            "Too shallow for the spirals",
            "Two spirals wound around each other need a boundary that winds too. One small "
            "layer cannot draw it: both training and test loss stay high — underfitting.",
            preset("too shallow").values,
        ),
        Step(
            "Deep enough",
            "Four layers of 32 ReLU neurons compose simple pieces into a spiral-shaped "
            "boundary within seconds. Depth lets a network reuse what earlier layers built.",
            preset("deep enough").values,
        ),
        Step(
            "Vanishing gradients",
            "Six sigmoid layers trained with plain SGD: the gradient-norm chart shows the "
            "first layers receiving gradients many times smaller than the last ones, so they "
            "hardly learn. Switch the activations to ReLU and compare.",
            preset("vanishing gradients").values,
        ),
        Step(
            "Overfit me",
            "Thirty training points and a network with tens of thousands of parameters. The "
            "training loss goes to zero, the test loss turns up, and the boundary wraps around "
            "single noisy points: the network memorises instead of generalising.",
            overfit,
        ),
        Step(
            "Regularisation closes the gap",
            "Same data, same network, now with dropout and an L2 penalty. The boundary gets "
            "smoother and the test loss stays close to the training loss.",
            {**overfit, "dropout": 0.3, "l2": 1e-3},
        ),
        Step(
            "A learning rate too large",
            "Each step overshoots the minimum by more than the last; the loss becomes NaN and "
            "the run is stopped with an explanation. Divide the learning rate by 30 and train "
            "again.",
            preset("learning rate too large").values,
        ),
    )


def _quiz():
    from course_lib.classroom import Question

    return (
        Question(
            "With one hidden layer of a single neuron, what shape can the decision boundary "
            "between two classes have?",
            ("A straight line", "A circle", "Any curve, given enough epochs"),
            0,
            "The neuron thresholds one weighted sum w₁x₁ + w₂x₂ + b; its level sets are "
            "straight lines, and training only moves the line.",
        ),
        Question(
            "The training loss keeps falling while the test loss rises. What is happening?",
            (
                "The learning rate is too small",
                "The network is overfitting the training points",
                "The gradients are vanishing",
            ),
            1,
            "The network is memorising the training points, noise included, and generalises "
            "worse to points it has not seen. Dropout, L2, more data or a smaller network help.",
        ),
        Question(
            "In a deep sigmoid network trained with SGD, which layers get the smallest "
            "gradient norms?",
            ("The layers next to the output", "The layers next to the input", "All the same"),
            1,
            "Backpropagation multiplies by the sigmoid's derivative (at most 0.25) once per "
            "layer on the way back, so the gradient shrinks towards the input.",
        ),
        Question(
            "A network has 2 inputs, one hidden layer of 8 neurons and 2 outputs. How many "
            "parameters (weights and biases) does it have?",
            ("18", "32", "42"),
            2,
            "2·8 weights + 8 biases into the hidden layer, 8·2 weights + 2 biases into the "
            "output: 24 + 18 = 42, the count the page shows.",
        ),
    )


#: The guided tour of this page, step by step (``course_lib.classroom.Step``).
WALKTHROUGH = _walkthrough()
#: Questions about what the page shows (``course_lib.classroom.Question``).
QUIZ = _quiz()
