"""Prepare the data: points in the plane, generated or uploaded, split into train and test.

:func:`make_dataset` generates two moons, circles, XOR, two spirals or Gaussian blobs
(numpy only, seeded); :func:`load_csv` reads a student's own labelled points and explains
in plain words what is wrong with a bad file. Both split with :func:`train_test_split`
(stratified) into a read-only :class:`Dataset`.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib import uploads
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings


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
