"""Universal approximation: a network with one hidden layer is a sum of simple bumps.

The lecture's network with one hidden layer of ``hidden_units`` units computes

    ỹ(x) = Σ_j w_j g(W_j x + b_j) + b        (in vector form ỹ = w · g(W⁽¹⁾x + b⁽¹⁾) + b)

and the claim is that it "can approximate any target function y = f*(x), given enough
units and proper parameters". This module makes the claim something to try, in the
order the lecture tells it:

1. *Targets* — functions on an interval, a student's own formula, or uploaded points.
2. *By hand* — each unit is a step (sigmoid) or a ramp (ReLU) that the student places:
   ``g(s_j (x − p_j))`` with position ``p_j``, steepness ``s_j`` (so ``W_j = s_j`` and
   ``b_j = −s_j p_j``) and output weight ``w_j``. Two opposite steps make a bump; enough
   bumps trace any curve. Pure numpy, so a slider move redraws at once.
3. *By training* — the same network with its parameters learnt by backpropagation
   (Keras, through :class:`course_lib.training.KerasTrainer`).
4. *Width sweep* — the error after training against the number of hidden units.
5. *Shallow to deep* — one, two and three hidden layers at a comparable parameter budget.

TensorFlow is imported only inside the functions of parts 3–5.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course_lib import charts
from course_lib.backprop import BackpropSettings
from course_lib.classroom import Cell, Question, Step, code, markdown
from course_lib.formula import evaluate_formula
from course_lib.settings import setting

# ---------------------------------------------------------------------------------
# 1. Targets
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A 1-D target function y = f*(x) on the interval [low, high].

    Attributes:
        name: the menu entry.
        latex: the formula, for ``st.latex``.
        function: maps an array of x, shape ``(n,)``, to y of the same shape.
    """

    name: str
    latex: str
    low: float
    high: float
    function: Callable[[np.ndarray], np.ndarray]
    source: str  # the same function as numpy code in x, for the exported notebook


def _sawtooth(x: np.ndarray) -> np.ndarray:
    # three teeth over [-1, 1], each rising from -1/2 to 1/2
    return (1.5 * (x + 1)) % 1.0 - 0.5


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target("sin", r"y = \sin(x)", -math.pi, math.pi, np.sin, "np.sin(x)"),
        Target("|x|", r"y = |x|", -1.0, 1.0, np.abs, "np.abs(x)"),
        Target(
            "step",
            r"y = 0 \text{ for } x < 0,\; 1 \text{ for } x \geq 0",
            -1.0,
            1.0,
            lambda x: (x >= 0).astype(np.float64),
            "(x >= 0).astype(float)",
        ),
        Target(
            "sawtooth",
            r"y = (1.5\,(x + 1)) \bmod 1 - 0.5",
            -1.0,
            1.0,
            _sawtooth,
            "(1.5 * (x + 1)) % 1.0 - 0.5",
        ),
        Target(
            "Gaussian bump",
            r"y = e^{-x^2 / 0.5}",
            -3.0,
            3.0,
            lambda x: np.exp(-(x**2) / 0.5),
            "np.exp(-(x**2) / 0.5)",
        ),
        Target("polynomial", r"y = x^3 - 2x", -2.0, 2.0, lambda x: x**3 - 2 * x, "x**3 - 2 * x"),
        Target(
            "wiggly",
            r"y = 0.2 + 0.4x^2 + 0.3x \sin(15x) + 0.05 \cos(50x)",
            0.0,
            1.0,
            lambda x: 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x),
            "0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)",
        ),
    )
}
#: Menu entries for the student's own target.
FORMULA = "your formula"
CSV = "uploaded CSV"


@dataclass(frozen=True)
class TargetSettings:
    """Which function the network should approximate."""

    target: str = setting("sin", choices=(*TARGETS, FORMULA, CSV), help="the function y = f*(x)")
    formula: str = setting("sin(3*x) + x**2", help="an expression in x, e.g. sin(3*x) + x**2")
    low: float = setting(-2.0, minimum=-100.0, maximum=100.0, help="left end of the interval")
    high: float = setting(2.0, minimum=-100.0, maximum=100.0, help="right end of the interval")
    samples: int = setting(256, minimum=16, maximum=2000, help="points (x, y) on the interval")


@dataclass(frozen=True, eq=False)
class Points:
    """Samples (x, y) of a target, x sorted ascending; both float64 of shape ``(n,)``."""

    x: np.ndarray
    y: np.ndarray
    label: str  # e.g. "sin(x)" for chart legends

    @property
    def fingerprint(self) -> str:
        """A short hash of the samples: a trainer is rebuilt when they change."""
        return hashlib.sha1(self.x.tobytes() + self.y.tobytes()).hexdigest()[:16]

    @property
    def low(self) -> float:
        return float(self.x[0])

    @property
    def high(self) -> float:
        return float(self.x[-1])


def target_points(settings: TargetSettings, uploaded: Points | None = None) -> Points:
    """The target sampled on its interval.

    Raises:
        ValueError: a plain message when the formula or the interval cannot be used, or
            when ``settings.target`` is the CSV and nothing was uploaded.
    """
    if settings.target == CSV:
        if uploaded is None:
            raise ValueError("Upload a CSV file of (x, y) points first.")
        return uploaded
    if settings.target == FORMULA:
        if not settings.low < settings.high:
            raise ValueError("The interval needs its left end below its right end.")
        x = np.linspace(settings.low, settings.high, settings.samples)
        return Points(x, evaluate_formula(settings.formula, x), settings.formula.strip())
    target = TARGETS[settings.target]
    x = np.linspace(target.low, target.high, settings.samples)
    return Points(x, target.function(x).astype(np.float64), target.name)


#: Uploaded files: the largest accepted, and how many points are kept (evenly spaced).
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_POINTS = 2000
MIN_POINTS = 5


def read_csv_points(data: bytes, name: str = "the file") -> tuple[Points, list[str]]:
    """(x, y) points from an uploaded CSV, and notices about what was changed.

    The first two columns are x and y; a first row that is not numbers is taken as a
    header. More than :data:`MAX_POINTS` points are down-sampled evenly (after sorting
    by x), so a million rows still give a quick, faithful target. Nothing in the file is
    executed: it is parsed as text into numbers.

    Raises:
        ValueError: a plain message for an empty, too big, one-column, non-numeric, NaN
            or duplicate-x file.
    """
    if len(data) == 0:
        raise ValueError(f"{name} is empty.")
    if len(data) > MAX_CSV_BYTES:
        raise ValueError(
            f"{name} is {len(data) / 2**20:.0f} MB; at most {MAX_CSV_BYTES // 2**20} MB, please."
        )
    from course_lib import uploads

    # the header line is counted first: a million columns are refused before parsing
    table, notices = uploads.read_csv(data, name=name, header=False, float_columns={"*"})
    if table.shape[1] < 2:
        raise ValueError(f"{name} has one column; it needs two, x and y, separated by commas.")
    if table.shape[1] > 2:
        notices.append(f"{name} has {table.shape[1]} columns; the first two are used as x and y.")
    table = table.iloc[:, :2]
    numbers = table.apply(pd.to_numeric, errors="coerce")
    if numbers.iloc[0].isna().all() and not table.iloc[0].isna().all():
        table, numbers = table.iloc[1:], numbers.iloc[1:]  # a header row
    if len(numbers) == 0:
        raise ValueError(f"{name} has a header but no data rows.")
    not_numeric = numbers.isna() & table.notna()
    if not_numeric.any().any():
        row, column = np.argwhere(not_numeric.to_numpy())[0]
        cell = str(table.iat[row, column])[:20]
        raise ValueError(
            f"{name}: row {numbers.index[row] + 1}, column {'xy'[column]} holds {cell!r}, "
            "which is not a number."
        )
    values = numbers.to_numpy(dtype=np.float64)
    missing = ~np.isfinite(values)
    if missing.any():
        row = int(np.argwhere(missing.any(axis=1))[0, 0])
        raise ValueError(
            f"{name}: row {numbers.index[row] + 1} has a missing or infinite value (NaN); "
            "every row needs a number for x and for y."
        )
    if len(values) < MIN_POINTS:
        raise ValueError(f"{name} has {len(values)} points; at least {MIN_POINTS}, please.")
    values = values[np.argsort(values[:, 0], kind="stable")]
    duplicate = np.flatnonzero(np.diff(values[:, 0]) == 0)
    if len(duplicate):
        raise ValueError(
            f"{name}: x = {values[duplicate[0], 0]:.6g} appears more than once. A function "
            "has one y for each x; remove or average the repeated rows."
        )
    if len(values) > MAX_POINTS:
        keep = np.unique(np.linspace(0, len(values) - 1, MAX_POINTS).round().astype(int))
        notices.append(
            f"{name} has {len(values):,} points; {len(keep):,} evenly spaced ones are used, "
            "which keeps the page quick."
        )
        values = values[keep]
    return Points(values[:, 0].copy(), values[:, 1].copy(), name), notices


def approximation_errors(y_hat: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """``{"max_error": max |ŷ − y|, "mse": mean (ŷ − y)²}`` over the sample points."""
    difference = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return {"max_error": float(np.max(np.abs(difference))), "mse": float(np.mean(difference**2))}


# ---------------------------------------------------------------------------------
# 2. By hand: steps, bumps and ramps (pure numpy)
# ---------------------------------------------------------------------------------

HAND_ACTIVATIONS = ("sigmoid", "relu")


@dataclass(frozen=True)
class HandSettings:
    """The by-hand network's shape (its parameters live in :class:`HandNetwork`)."""

    hidden_units: int = setting(6, minimum=1, maximum=50, help="units in the hidden layer")
    activation: str = setting(
        "sigmoid", choices=HAND_ACTIVATIONS, help="sigmoid: a smooth step; relu: a ramp"
    )


@dataclass(frozen=True)
class HandNetwork:
    """A one-hidden-layer network written as steps: ỹ = Σ_j w_j g(s_j (x − p_j)) + b.

    Attributes:
        activation: ``"sigmoid"`` (g(z) = 1 / (1 + e^(−z))) or ``"relu"`` (max(0, z)).
        positions: p_j, where unit j's step (or ramp) happens, shape ``(units,)``.
        steepness: s_j > 0, how sharp the step is (the input weight W_j), per unit of x.
        weights: w_j, the output weight: the height of the step (slope of the ramp
            per 1/s_j).
        bias: b, the output bias.
    """

    activation: str
    positions: tuple[float, ...]
    steepness: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float = 0.0

    @property
    def hidden_units(self) -> int:
        return len(self.positions)

    def with_unit(self, unit: int, **values: float) -> HandNetwork:
        """A copy with unit ``unit``'s ``position``, ``steepness`` or ``weight`` changed."""
        fields = {"position": "positions", "steepness": "steepness", "weight": "weights"}
        changed = {}
        for name, value in values.items():
            column = list(getattr(self, fields[name]))
            column[unit] = float(value)
            changed[fields[name]] = tuple(column)
        return HandNetwork(**{**self.__dict__, **changed})


def activation_function(name: str, z: np.ndarray) -> np.ndarray:
    """g(z) for ``"sigmoid"``, ``"tanh"`` or ``"relu"``, elementwise."""
    if name == "sigmoid":
        # 0.5 (1 + tanh(z/2)) is the logistic function without overflow for large |z|
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    raise ValueError(f"unknown activation {name!r}")


def hand_contributions(network: HandNetwork, x: np.ndarray) -> np.ndarray:
    """Each unit's share of the output, w_j g(s_j (x − p_j)), shape ``(len(x), units)``."""
    z = np.asarray(network.steepness) * (x[:, None] - np.asarray(network.positions))
    return np.asarray(network.weights) * activation_function(network.activation, z)


def hand_predict(network: HandNetwork, x: np.ndarray) -> np.ndarray:
    """The network output ỹ at the points ``x``, shape ``(len(x),)``."""
    return hand_contributions(network, x).sum(axis=1) + network.bias


def blank_network(hidden_units: int, activation: str, low: float, high: float) -> HandNetwork:
    """Units spread evenly over [low, high] with output weight 0: a flat line to shape."""
    width = high - low
    positions = low + width * (np.arange(hidden_units) + 0.5) / hidden_units
    steepness = 1.0 / width if activation == "relu" else 20.0 / width
    return HandNetwork(
        activation,
        tuple(float(p) for p in positions),
        (float(steepness),) * hidden_units,
        (0.0,) * hidden_units,
        0.0,
    )


def resize_network(network: HandNetwork, hidden_units: int, low: float, high: float) -> HandNetwork:
    """Keep the first units, drop the extra ones or add blank ones (weight 0)."""
    if hidden_units <= network.hidden_units:
        keep = slice(0, hidden_units)
        return HandNetwork(
            network.activation,
            network.positions[keep],
            network.steepness[keep],
            network.weights[keep],
            network.bias,
        )
    extra = blank_network(hidden_units, network.activation, low, high)
    start = network.hidden_units
    return HandNetwork(
        network.activation,
        network.positions + extra.positions[start:],
        network.steepness + extra.steepness[start:],
        network.weights + extra.weights[start:],
        network.bias,
    )


#: Steepness of the automatically placed sigmoid steps, times the step spacing: 4 makes
#: neighbouring steps overlap a little, which smooths the staircase into the curve.
AUTO_SIGMOID_SHARPNESS = 4.0


def place_bumps(points: Points, hidden_units: int, activation: str) -> HandNetwork:
    """Place ``hidden_units`` units so the network traces the target (the visual proof).

    Sigmoid: cut [low, high] into ``hidden_units + 1`` cells of width h. Unit j is a step
    at the border between cells j and j+1 whose height is the change of the target
    between the cells' centres; the bias is the target in the first cell. Each pair of
    neighbouring steps is a bump of width h, so the sum is a staircase through the
    target, and its error falls like h ∝ 1 / hidden_units.

    ReLU: cut [low, high] into ``hidden_units`` pieces of width h; unit j is a ramp
    starting at the left end t_j of piece j, weighted by the change of slope there, so
    the sum is the straight-line interpolation of the target through the piece ends:
    its error falls like h² ∝ 1 / hidden_units².
    """
    low, high = points.low, points.high
    f = lambda t: np.interp(t, points.x, points.y)  # noqa: E731 (target between samples)
    if activation == "sigmoid":
        h = (high - low) / (hidden_units + 1)
        centres = low + h * (np.arange(hidden_units + 1) + 0.5)
        heights = f(centres)
        positions = low + h * np.arange(1, hidden_units + 1)
        return HandNetwork(
            activation,
            tuple(positions.tolist()),
            (AUTO_SIGMOID_SHARPNESS / h,) * hidden_units,
            tuple(np.diff(heights).tolist()),
            float(heights[0]),
        )
    if activation == "relu":
        h = (high - low) / hidden_units
        knots = low + h * np.arange(hidden_units + 1)
        slopes = np.diff(f(knots)) / h  # the slope on each of the hidden_units pieces
        slope_changes = np.diff(slopes, prepend=0.0)
        # a ramp g(s (x − t)) with s = 1/h rises by w over one piece: w = slope change × h
        return HandNetwork(
            activation,
            tuple(knots[:hidden_units].tolist()),
            (1.0 / h,) * hidden_units,
            tuple((slope_changes * h).tolist()),
            float(f(low)),
        )
    raise ValueError(f"unknown activation {activation!r}")


def bump_error_curve(points: Points, activation: str, max_units: int = 50) -> pd.DataFrame:
    """The error of :func:`place_bumps` for 1..``max_units`` units.

    Columns: ``hidden_units``, ``max_error``, ``mse``. For a continuous target both fall
    as units are added: the visual proof of universal approximation.
    """
    rows = []
    for units in range(1, max_units + 1):
        network = place_bumps(points, units, activation)
        rows.append(
            {
                "hidden_units": units,
                **approximation_errors(hand_predict(network, points.x), points.y),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------
# 3. By training: the same network, its parameters learnt by backpropagation
# ---------------------------------------------------------------------------------

FIT_ACTIVATIONS = ("tanh", "sigmoid", "relu")
OPTIMIZERS = ("adam", "sgd", "rmsprop")


@dataclass(frozen=True)
class FitSettings:
    """Training the one-hidden-layer network on the target (full-batch gradient steps).

    With all sample points in every batch, one epoch is one gradient step, and the
    defaults (64 tanh units, Adam, learning rate 0.03) reach a mean squared error below
    1e-3 on sin(x) in about 200 epochs: a couple of seconds on a laptop CPU.
    """

    hidden_units: int = setting(64, minimum=1, maximum=512, help="units in the hidden layer")
    activation: str = setting(
        "tanh", choices=FIT_ACTIVATIONS, help="g, the hidden units' nonlinearity"
    )
    optimizer: str = setting("adam", choices=OPTIMIZERS, help="how each gradient step is taken")
    learning_rate: float = setting(0.03, minimum=1e-4, maximum=10.0, help="size of each step")
    epochs: int = setting(
        300, minimum=10, maximum=5000, help="full passes over the points (one step each)"
    )
    seed: int = setting(0, minimum=0, maximum=10_000, help="seeds the initial weights")


def _input_scaling(low: float, high: float) -> tuple[float, float]:
    """(scale, offset) that map [low, high] onto [-1, 1]."""
    scale = 2.0 / (high - low)
    return scale, -1.0 - low * scale


def build_network(
    layers: tuple[int, ...],
    activation: str,
    *,
    low: float,
    high: float,
    optimizer: str = "adam",
    learning_rate: float = 0.03,
    seed: int = 0,
):
    """A compiled Keras MLP from x to ỹ with hidden layers of the given widths.

    The input is first rescaled from [low, high] to [-1, 1] (a fixed affine map, which
    the first layer's W and b could absorb), so the same initial weights suit every
    interval. Each initializer is seeded from ``seed``: no global seed is touched.
    """
    import keras

    from course_lib.device import seed_sequence

    seeds = iter(seed_sequence(seed, 2 * len(layers) + 2))
    scale, offset = _input_scaling(low, high)
    model = keras.Sequential(name=f"mlp_{'_'.join(map(str, layers))}")
    model.add(keras.Input((1,)))
    model.add(keras.layers.Rescaling(scale, offset, name="to_unit_interval"))
    for depth, units in enumerate(layers, start=1):
        model.add(
            keras.layers.Dense(
                units,
                activation=activation,
                # steps spread over [-1, 1] at the start: |W| up to 3, b up to ±3
                kernel_initializer=keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
                if depth == 1
                else keras.initializers.GlorotUniform(seed=next(seeds)),
                bias_initializer=keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
                if depth == 1
                else "zeros",
                name=f"hidden_{depth}",
            )
        )
    model.add(
        keras.layers.Dense(
            1, kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)), name="output"
        )
    )
    optimizers = {
        "adam": keras.optimizers.Adam,
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
    }
    model.compile(optimizer=optimizers[optimizer](learning_rate), loss="mse")
    return model


def fit_trainer(settings: FitSettings, points: Points):
    """A :class:`~course_lib.training.KerasTrainer` for the one-hidden-layer fit.

    Full batch: every epoch is one gradient step on all points, which is the quickest
    way down for a few hundred 1-D points.
    """
    from course_lib.training import KerasTrainer

    x, y = _as_columns(points)
    return KerasTrainer(
        lambda: build_network(
            (settings.hidden_units,),
            settings.activation,
            low=points.low,
            high=points.high,
            optimizer=settings.optimizer,
            learning_rate=settings.learning_rate,
            seed=settings.seed,
        ),
        x,
        y,
        epochs=settings.epochs,
        batch_size=len(x),
        seed=settings.seed,
    )


def _as_columns(points: Points) -> tuple[np.ndarray, np.ndarray]:
    """x and y as float32 columns, shape ``(n, 1)``, for Keras."""
    return points.x.astype(np.float32)[:, None], points.y.astype(np.float32)[:, None]


def network_parts(model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The trained one-hidden-layer network's output and each hidden unit's share.

    Computed in numpy from the weights (no TensorFlow call), so it is cheap to redraw.

    Returns:
        ``(y_hat, contributions)``: shapes ``(n,)`` and ``(n, hidden_units)``, where
        contribution j is w_j g(W_j x + b_j) and ``y_hat`` is their sum plus b.
    """
    scale_layer, hidden, output = model.layers
    kernel, bias = (np.asarray(v, dtype=np.float64) for v in hidden.get_weights())
    out_kernel, out_bias = (np.asarray(v, dtype=np.float64) for v in output.get_weights())
    scaled = x[:, None] * float(scale_layer.scale) + float(scale_layer.offset)
    activation = hidden.get_config()["activation"]
    hidden_values = activation_function(activation, scaled @ kernel + bias)
    contributions = hidden_values * out_kernel[:, 0]
    return contributions.sum(axis=1) + out_bias[0], contributions


def predict(model, x: np.ndarray) -> np.ndarray:
    """Any trained MLP from :func:`build_network` at the points ``x``, shape ``(n,)``."""
    return np.asarray(model(x.astype(np.float32)[:, None], training=False), dtype=np.float64)[:, 0]


def parameter_count(layers: tuple[int, ...]) -> int:
    """Weights and biases of a 1-input, 1-output MLP with these hidden widths."""
    widths = (1, *layers, 1)
    return sum(
        (fan_in + 1) * fan_out for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
    )


def curves_frame(x: np.ndarray, curves: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long format (``x``, ``y``, ``curve``) for :func:`course_lib.charts.function_plot`."""
    return pd.concat(
        [pd.DataFrame({"x": x, "y": y, "curve": name}) for name, y in curves.items()],
        ignore_index=True,
    )


def train_to_end(trainer, on_progress: Callable[[float], None] | None = None):
    """Run a :class:`~course_lib.training.KerasTrainer` to its last epoch (or divergence)."""
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=0.5)
        if on_progress is not None:
            on_progress(trainer.progress)
    return trainer


# ---------------------------------------------------------------------------------
# 4. Width sweep: more units, smaller error
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepSettings:
    """Train one network per width, each for the same number of epochs."""

    widths: str = setting(
        "1, 3, 10, 30, 100",
        help="hidden-layer widths to train, separated by commas (1 to 512)",
    )
    epochs: int = setting(300, minimum=10, maximum=3000, help="epochs for each width")


MAX_SWEEP_WIDTHS = 10


def parse_widths(text: str) -> tuple[int, ...]:
    """``"1, 4, 16"`` → ``(1, 4, 16)``: sorted, distinct, each in 1..512.

    Raises:
        ValueError: with a plain message for anything else.
    """
    try:
        widths = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
    except ValueError:
        raise ValueError(
            "Widths must be whole numbers separated by commas, e.g. 1, 4, 16."
        ) from None
    if not widths:
        raise ValueError("Give at least one width, e.g. 1, 4, 16.")
    if widths[0] < 1 or widths[-1] > 512:
        raise ValueError("Each width must be between 1 and 512 units.")
    if len(widths) > MAX_SWEEP_WIDTHS:
        raise ValueError(f"At most {MAX_SWEEP_WIDTHS} widths at a time, to keep the sweep quick.")
    return tuple(widths)


def width_sweep(
    points: Points,
    widths: tuple[int, ...],
    fit: FitSettings,
    epochs: int,
    on_progress: Callable[[float, str], None] | None = None,
) -> pd.DataFrame:
    """Train a one-hidden-layer net of each width on the target; the errors after training.

    Columns: ``hidden_units``, ``parameters``, ``mse``, ``max_error``, ``epochs``,
    ``diverged``. Activation, optimizer, learning rate and seed come from ``fit``.
    ``on_progress(fraction, text)`` is called as the sweep advances.
    """
    rows = []
    for index, units in enumerate(widths):
        settings = FitSettings(**{**fit.__dict__, "hidden_units": units, "epochs": epochs})
        report = (
            (lambda p, i=index, u=units: on_progress((i + p) / len(widths), f"{u} hidden units"))
            if on_progress
            else None
        )
        trainer = train_to_end(fit_trainer(settings, points), report)
        errors = approximation_errors(predict(trainer.model, points.x), points.y)
        rows.append(
            {
                "hidden_units": units,
                "parameters": parameter_count((units,)),
                **errors,
                "epochs": trainer.epochs_done,
                "diverged": trainer.status == "diverged",
            }
        )
        del trainer  # free each model before building the next
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------
# 5. Shallow to deep: one, two and three hidden layers at the same budget
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthSettings:
    """Compare depths at a comparable number of parameters."""

    budget: int = setting(200, minimum=20, maximum=5000, help="parameters per network (about)")
    epochs: int = setting(800, minimum=10, maximum=3000, help="epochs for each network")


def layers_for_budget(budget: int, depth: int) -> tuple[int, ...]:
    """Equal hidden widths for ``depth`` layers whose parameter count is nearest ``budget``."""
    best = min(range(1, 513), key=lambda width: abs(parameter_count((width,) * depth) - budget))
    return (best,) * depth


def compare_depths(
    points: Points,
    settings: DepthSettings,
    fit: FitSettings,
    on_progress: Callable[[float, str], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit the target with 1, 2 and 3 hidden layers of about ``settings.budget`` parameters.

    Returns:
        ``(summary, curves)``: summary has one row per depth (``hidden_layers``,
        ``layers`` e.g. "12 × 12", ``parameters``, ``mse``, ``max_error``,
        ``diverged``); curves is long format (``x``, ``y``, ``curve``, ``hidden_layers``)
        with the target and each fitted network.
    """
    from course_lib.training import KerasTrainer

    x, y = _as_columns(points)
    summary, curves = [], []
    for depth in (1, 2, 3):
        layers = layers_for_budget(settings.budget, depth)
        report = (
            (lambda p, d=depth: on_progress((d - 1 + p) / 3, f"{d} hidden layer{'s' * (d > 1)}"))
            if on_progress
            else None
        )
        trainer = KerasTrainer(
            lambda layers=layers: build_network(
                layers,
                fit.activation,
                low=points.low,
                high=points.high,
                optimizer=fit.optimizer,
                learning_rate=fit.learning_rate,
                seed=fit.seed,
            ),
            x,
            y,
            epochs=settings.epochs,
            batch_size=len(x),
            seed=fit.seed,
        )
        train_to_end(trainer, report)
        y_hat = predict(trainer.model, points.x)
        summary.append(
            {
                "hidden_layers": depth,
                "layers": " × ".join(map(str, layers)),
                "parameters": parameter_count(layers),
                **approximation_errors(y_hat, points.y),
                "diverged": trainer.status == "diverged",
            }
        )
        curves.append(
            curves_frame(points.x, {"target": points.y, "network": y_hat}).assign(
                hidden_layers=depth
            )
        )
        del trainer
    return pd.DataFrame(summary), pd.concat(curves, ignore_index=True)


# ---------------------------------------------------------------------------------
# What the page draws
# ---------------------------------------------------------------------------------

#: The page's sections (tabs), in the lecture's order.
SECTIONS = ("By hand", "By training", "Width sweep", "Shallow to deep", "Backpropagation")
#: Points per curve in the plots: smooth enough for steep steps, light enough to redraw.
PLOT_POINTS = 240
CURVE_COLOURS = {"target": "#222222", "network": "#0b5394"}


def plot_grid(points: Points) -> np.ndarray:
    """Evenly spaced x over the target's interval, for drawing curves."""
    return np.linspace(points.low, points.high, PLOT_POINTS)


def hand_slider_ranges(
    network: HandNetwork, points: Points
) -> dict[str, tuple[float, float, float]]:
    """(min, max, step) for the by-hand sliders, wide enough for every unit's value.

    Keys: ``position``, ``steepness``, ``weight``, ``bias``. Ranges follow the target's
    interval and its y range, so the same sliders suit sin on [-π, π] and a CSV in
    thousands.
    """
    width = points.high - points.low
    y_span = max(float(np.ptp(points.y)), 1e-6)
    y_size = max(float(np.max(np.abs(points.y))), y_span)
    steep = 200.0 / width if network.activation == "sigmoid" else 60.0 / width
    steep = max(steep, *network.steepness)
    weight = max(1.5 * y_span, *(abs(w) for w in network.weights))
    bias = max(2.0 * y_size, abs(network.bias))
    return {
        "position": (points.low, points.high, width / 200),
        "steepness": (0.0, steep, steep / 400),
        "weight": (-weight, weight, weight / 200),
        "bias": (-bias, bias, bias / 200),
    }


def approximation_chart(
    points: Points,
    x: np.ndarray,
    y_hat: np.ndarray,
    contributions: np.ndarray | None = None,
    *,
    highlight: int | None = None,
    title: str = "",
    height: int = 380,
) -> alt.Chart:
    """The target and the network's output; optionally each unit's share underneath.

    One chart, one data set, one line mark (the kinds of curve told apart by colour and
    stroke width): it serialises several times faster than layers. The page's by-hand
    section draws the same thing from :func:`approximation_layout` and
    :func:`approximation_frame`, so that a slider move only sends new data.

    Args:
        points: the target samples.
        x, y_hat: the network's output on a plotting grid, shapes ``(m,)``.
        contributions: ``(m, units)`` shares w_j g(·) of the units, drawn thin and grey.
        highlight: index of a unit drawn thick and orange (the one being edited).
    """
    frame = approximation_frame(points, x, y_hat, contributions, highlight=highlight)
    layout = approximation_layout(curve_kinds(contributions, highlight), height)
    return layout.properties(data=frame, title=title)


def curve_kinds(contributions: np.ndarray | None, highlight: int | None) -> tuple[str, ...]:
    """Which kinds of curve an approximation chart shows, in legend order."""
    kinds = ("target", "network")
    if contributions is not None:
        kinds += ("hidden unit",) + (("edited unit",) if highlight is not None else ())
    return kinds


def approximation_frame(
    points: Points,
    x: np.ndarray,
    y_hat: np.ndarray,
    contributions: np.ndarray | None = None,
    *,
    highlight: int | None = None,
) -> pd.DataFrame:
    """Long format (``x``, ``y``, ``curve``, ``kind``): the units' shares, target, network."""
    frames = []
    if contributions is not None:
        units = contributions.shape[1]
        unit = np.tile(np.arange(1, units + 1), len(x))
        frames.append(
            pd.DataFrame(
                {
                    "x": np.repeat(x, units),
                    "y": contributions.ravel(),
                    "curve": np.char.add("unit ", unit.astype(str)),
                    "kind": np.where(unit == (highlight or 0) + 1, "edited unit", "hidden unit")
                    if highlight is not None
                    else "hidden unit",
                }
            )
        )
    frames.append(pd.DataFrame({"x": points.x, "y": points.y, "curve": "target", "kind": "target"}))
    frames.append(pd.DataFrame({"x": x, "y": y_hat, "curve": "network", "kind": "network"}))
    return pd.concat(frames, ignore_index=True)


#: Colour and stroke width of each kind of curve.
CURVE_STYLES = {
    "target": ("#222222", 3),
    "network": ("#0b5394", 3.5),
    "hidden unit": ("#9aa5b1", 1.5),
    "edited unit": ("#e69138", 4),
}


def approximation_layout(kinds: tuple[str, ...], height: int = 380) -> alt.Chart:
    """The approximation chart without its data and title: marks, encodings, legend."""
    styles = [CURVE_STYLES[kind] for kind in kinds]
    return (
        alt.Chart()
        .mark_line()
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=list(kinds), range=[colour for colour, _ in styles]),
                legend=alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=4),
            ),
            strokeWidth=alt.StrokeWidth(
                "kind:N",
                scale=alt.Scale(domain=list(kinds), range=[width for _, width in styles]),
                legend=None,
            ),
            # channel objects, not "curve:N" strings: Altair parses each string shorthand
            # anew, which costs milliseconds on every redraw
            detail=alt.Detail("curve:N"),
            tooltip=[
                alt.Tooltip("curve:N"),
                alt.Tooltip("x:Q", format=".3f"),
                alt.Tooltip("y:Q", format=".4g"),
            ],
        )
        .properties(height=height)
    )


def error_curve_chart(frame: pd.DataFrame, current: int | None = None) -> alt.Chart:
    """Error of the automatic placement against the number of units N (log y)."""
    return error_curve_layout().properties(
        data=error_curve_frame(frame), title=error_curve_title(current)
    )


def error_curve_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The errors of :func:`bump_error_curve` under the names the chart shows."""
    return frame.rename(columns={"max_error": "max |ŷ − y|", "mse": "MSE"})


def error_curve_title(current: int | None = None) -> str:
    return "Error of the automatic placement" + (f" (your N = {current})" if current else "")


def error_curve_layout() -> alt.Chart:
    """The error-curve chart without its data and title."""
    return (
        alt.Chart()
        .transform_fold(["max |ŷ − y|", "MSE"], as_=["error", "value"])
        .mark_line(point=True, strokeWidth=charts.LINE_WIDTH)
        .encode(
            x=alt.X("hidden_units:Q", title="hidden units N", axis=alt.Axis(tickCount=10)),
            y=alt.Y("value:Q", title="error (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color("error:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("hidden_units:Q"),
                alt.Tooltip("error:N"),
                alt.Tooltip("value:Q", format=".3g"),
            ],
        )
        .properties(height=260)
    )


def sweep_chart(frame: pd.DataFrame) -> alt.Chart:
    """MSE after training against hidden units, both axes logarithmic."""
    return (
        alt.Chart(frame, title="Error after training, by width")
        .mark_line(point=alt.OverlayMarkDef(size=90), strokeWidth=charts.LINE_WIDTH)
        .encode(
            x=alt.X(
                "hidden_units:Q", title="hidden units (log scale)", scale=alt.Scale(type="log")
            ),
            y=alt.Y("mse:Q", title="MSE after training (log scale)", scale=alt.Scale(type="log")),
            tooltip=[
                "hidden_units:Q",
                "parameters:Q",
                alt.Tooltip("mse:Q", title="MSE", format=".3g"),
                alt.Tooltip("max_error:Q", title="max |ŷ − y|", format=".3g"),
            ],
        )
        .properties(height=340)
    )


#: The lecture's one, two and three hidden-layer networks, for ``st.latex``.
DEPTH_FORMULAS = (
    r"\tilde y = w \cdot g(W^{(1)} x + b^{(1)}) + b",
    r"\tilde y = w \cdot g(W^{(2)} g(W^{(1)} x + b^{(1)}) + b^{(2)}) + b",
    r"\tilde y = w \cdot g(W^{(3)} g(W^{(2)} g(W^{(1)} x + b^{(1)}) + b^{(2)}) + b^{(3)}) + b",
)


def depth_chart(curves: pd.DataFrame, row: Any) -> alt.Chart:
    """The target and the fitted net for one row of :func:`compare_depths`' summary."""
    layers = "layer" if row.hidden_layers == 1 else "layers"
    return charts.function_plot(
        curves[curves["hidden_layers"] == row.hidden_layers],
        colours=CURVE_COLOURS,
        height=280,
        title=f"{row.hidden_layers} hidden {layers}: {row.layers}",
    )


#: Readable column titles for the sweep and depth tables.
COLUMN_TITLES = {
    "hidden_units": "hidden units",
    "hidden_layers": "hidden layers",
    "layers": "widths",
    "max_error": "max |ŷ − y|",
    "mse": "MSE",
}


# ---------------------------------------------------------------------------------
# Classroom: a walkthrough, a quiz, a notebook and shareable links
# ---------------------------------------------------------------------------------


#: The page's settings classes and the widget-key prefix of each: the target and the fit
#: share "fit_". Shareable links, the walkthrough and the widgets all use these keys.
PAGE_SETTINGS: dict[type, str] = {
    TargetSettings: "fit_",
    FitSettings: "fit_",
    HandSettings: "hand_",
    SweepSettings: "sweep_",
    DepthSettings: "depth_",
    BackpropSettings: "bp_",
}

# Presets name fields of TargetSettings and FitSettings; the other sections' fields carry
# their prefix ("hand_", "depth_", "bp_"), as their widget keys do.

WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "One unit is a step",
        "With N = 1 sigmoid unit, the unit's share w·g(s(x − p)) is a smooth step. Move its "
        "position, steepness and weight, and see that one step cannot follow sin(x).",
        {"target": "sin", "hand_hidden_units": 1, "hand_activation": "sigmoid"},
        section="By hand",
    ),
    Step(
        "Bumps make any shape",
        "Press *Place the units automatically* and raise N. Neighbouring steps of opposite "
        "sign make bumps; with more bumps the staircase hugs the curve, and the error chart "
        "falls steadily: this is the visual proof of universal approximation.",
        {"target": "sin", "hand_hidden_units": 6},
        section="By hand",
    ),
    Step(
        "Backpropagation finds the weights",
        "Press Start: 64 tanh units learn sin(x) from the points alone. The loss falls by "
        "orders of magnitude within a few hundred epochs.",
        {"target": "sin", "hidden_units": 64, "activation": "tanh", "learning_rate": 0.03},
        section="By training",
    ),
    Step(
        "Too few units",
        "With 2 hidden units the network can bend only twice, so the wiggly curve stays out "
        "of reach however long it trains. The error stops falling at a floor.",
        {"target": "wiggly", "hidden_units": 2, "epochs": 500},
        section="By training",
    ),
    Step(
        "More units, smaller error",
        "Now 128 units on the same wiggly target: the floor drops. *Width sweep* trains "
        "several widths in one click and plots the error against the width on log axes.",
        {"target": "wiggly", "hidden_units": 128, "epochs": 1000},
        section="By training",
    ),
    Step(
        "Too large a step",
        "Plain gradient descent with learning rate 5: every update overshoots the minimum "
        "a little more. The loss explodes, and the trainer stops and says why.",
        {"target": "sin", "optimizer": "sgd", "learning_rate": 5.0},
        section="By training",
    ),
    Step(
        "Deeper at the same budget",
        "Press *Train the three networks*: one, two and three hidden layers, each with about "
        "200 parameters, fit the wiggly target. Read the three errors and compare the curves: "
        "what does stacking layers buy for the same number of weights?",
        {"target": "wiggly", "learning_rate": 0.03, "optimizer": "adam", "depth_budget": 200},
        section="Shallow to deep",
    ),
    Step(
        "The backward pass, by hand",
        "Every ∂E/∂· on the drawn network comes from the output down: ∂E/∂y = y − t, times "
        "f′(z), then back along each weight. Press *Take the step* a few times and watch E "
        "fall; tf.GradientTape computes the same derivatives.",
        {"bp_hidden_layers": 1, "bp_activation": "sigmoid", "bp_learning_rate": 0.5},
        section="Backpropagation",
    ),
)

QUIZ: tuple[Question, ...] = (
    Question(
        "In the by-hand section with sigmoid units, what does a single hidden unit add "
        "to the output?",
        ("A straight line", "A smooth step of height w at position p", "A bump", "A sine wave"),
        1,
        "g(s(x − p)) goes from 0 to 1 around x = p, more sharply for larger s; the output "
        "weight w scales it. A bump needs two such steps of opposite sign.",
    ),
    Question(
        "You place the units automatically and raise N from 5 to 50 on sin(x). What "
        "happens to the error?",
        ("It stays the same", "It grows", "It falls", "It becomes exactly zero at N = 10"),
        2,
        "More, narrower bumps follow the curve more closely: the error falls as N grows, "
        "which is what 'given enough units' means in the universal approximation theorem.",
    ),
    Question(
        "A network with 2 hidden units is trained for many epochs on the wiggly target. "
        "Why does its error stop falling?",
        (
            "The learning rate is too small",
            "It has too few units to represent the wiggles",
            "Backpropagation computes wrong gradients",
            "The data set is too small",
        ),
        1,
        "Two units can bend the output only twice. Training finds the best weights for this "
        "network, but no weights make it wiggly; more units lower the floor.",
    ),
    Question(
        "In the backward pass, how is ∂E/∂y_i of a hidden unit computed?",
        (
            "y_i − t_i",
            "Σ_j w_ij ∂E/∂z_j over the units j it feeds",
            "f′(z_i) alone",
            "By trying small changes of y_i",
        ),
        1,
        "A hidden unit has no target. Its effect on E flows through every unit j it feeds, "
        "each by w_ij, so the derivatives of the layer above are summed back: "
        "backward propagation of the error.",
    ),
)


@dataclass(frozen=True)
class _NotebookTarget:
    """The target as an exported notebook writes it: numpy code in x on an interval.

    An uploaded CSV cannot travel with a notebook, so it becomes sin(x) with a ``note``
    that says so; a student's formula becomes numpy code via
    :func:`course_lib.formula.to_numpy_source`.
    """

    source: str  # y as numpy code in x, e.g. "np.sin(x)"
    low: float
    high: float
    samples: int
    note: str = ""  # opens the notebook's first cell when the target had to change

    @classmethod
    def of(cls, target: TargetSettings | None) -> _NotebookTarget:
        """The page's target settings as notebook code (``None``: the defaults, sin)."""
        target = target or TargetSettings()
        if target.target == FORMULA:
            from course_lib.formula import to_numpy_source

            return cls(to_numpy_source(target.formula), target.low, target.high, target.samples)
        note = ""
        if target.target == CSV:
            note = "Your uploaded CSV is not part of the notebook: this uses sin(x) instead.\n\n"
        chosen = TARGETS.get(target.target, TARGETS["sin"])
        return cls(chosen.source, chosen.low, chosen.high, target.samples, note)

    @property
    def described(self) -> str:
        """E.g. "y = np.sin(x) on [-3.142, 3.142] from 256 points"."""
        return f"y = {self.source} on [{self.low:.4g}, {self.high:.4g}] from {self.samples} points"

    def opening_cells(self, introduction: str) -> list[Cell]:
        """The introduction (after the note, if any), the imports and the data."""
        return [
            markdown(self.note + introduction),
            code(
                """
import random

import altair as alt
import keras
import numpy as np
import pandas as pd
"""
            ),
            markdown("## Prepare the data"),
            code(
                f"""
x = np.linspace({self.low!r}, {self.high!r}, {self.samples})
y = {self.source}
x_train = x.astype("float32")[:, None]
y_train = np.asarray(y, dtype="float32").reshape(-1, 1)
"""
            ),
        ]

    def model_cells(self, fit: FitSettings, *, choices: str, epochs: int, then: str) -> list[Cell]:
        """The settings and ``build_model(hidden_layers)``, the notebook's :func:`build_network`.

        The layers start exactly as in :func:`build_network`: the first hidden layer's W
        and b uniform in [-3, 3], so its steps spread over [-1, 1]; deeper layers and the
        output Glorot-uniform with zero biases; every initializer seeded from ``SEED``
        through :func:`course_lib.device.seed_sequence`, written out in the notebook. So
        the notebook's network starts from the app's initial weights.

        Args:
            fit: activation, optimizer, learning rate and seed.
            choices: the experiment's own settings, lines of code placed first.
            epochs: how long each network trains.
            then: code after the function, e.g. one model built and summarised.
        """
        scale, offset = _input_scaling(self.low, self.high)
        optimizer = OPTIMIZER_CLASSES[fit.optimizer]
        model_code = f"""
{choices.strip()}
ACTIVATION = {fit.activation!r}
LEARNING_RATE = {fit.learning_rate!r}
EPOCHS = {epochs}
SEED = {fit.seed}


def seed_sequence(seed, count):
    \"\"\"Distinct seeds derived from one, for the initializers (as the app derives them).\"\"\"
    rng = random.Random(seed)
    return [rng.randrange(2**31 - 1) for _ in range(count)]


def build_model(hidden_layers):
    \"\"\"A compiled network from x to y_hat with these hidden widths, e.g. (64,) or (12, 12).\"\"\"
    seeds = iter(seed_sequence(SEED, 2 * len(hidden_layers) + 2))
    layers = [keras.Input((1,)), keras.layers.Rescaling({scale!r}, {offset!r})]
    for depth, units in enumerate(hidden_layers, start=1):
        if depth == 1:  # steps spread over [-1, 1] at the start: |W| up to 3, b up to ±3
            kernel = keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
            bias = keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
        else:
            kernel, bias = keras.initializers.GlorotUniform(seed=next(seeds)), "zeros"
        layers.append(keras.layers.Dense(
            units, activation=ACTIVATION, kernel_initializer=kernel, bias_initializer=bias))
    layers.append(keras.layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds))))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.{optimizer}(LEARNING_RATE), loss="mse")
    return model


{then.strip()}
"""
        return [
            markdown(
                "## Build the model\nThe input is first mapped from the interval onto [-1, 1]."
            ),
            code(model_code),
        ]


#: For the sweep and depth notebooks: trains one network and measures its errors.
_TRAIN_ONE = code(
    """
def train(hidden_layers):
    \"\"\"Train a new network full batch (one gradient step per epoch) for EPOCHS epochs.

    Returns its number of parameters, its errors on the points and its output y_hat.
    \"\"\"
    model = build_model(hidden_layers)
    model.fit(x_train, y_train, batch_size=len(x_train), epochs=EPOCHS, verbose=0)
    y_hat = model.predict(x_train, verbose=0)[:, 0]
    errors = {"mse": np.mean((y_hat - y) ** 2), "max_error": np.max(np.abs(y_hat - y))}
    return model.count_params(), errors, y_hat
"""
)


def notebook_cells(settings: FitSettings, target: TargetSettings | None = None) -> list[Cell]:
    """A plain-Keras notebook that reproduces the *By training* experiment.

    Data (the target sampled on its interval), the one-hidden-layer model, full-batch
    training, and plots of the loss and the fit (Altair, which Colab has). An uploaded
    CSV cannot travel with the notebook: it falls back to sin(x), and says so.
    """
    data = _NotebookTarget.of(target)
    return [
        *data.opening_cells(
            "A network with one hidden layer, ỹ = w · g(W x + b) + b, learns "
            f"{data.described} by backpropagation (full batch: one gradient step per epoch)."
        ),
        *data.model_cells(
            settings,
            choices=f"HIDDEN_UNITS = {settings.hidden_units}",
            epochs=settings.epochs,
            then="model = build_model((HIDDEN_UNITS,))\nmodel.summary()",
        ),
        markdown("## Train"),
        code(
            """
history = model.fit(x_train, y_train, batch_size=len(x_train), epochs=EPOCHS, verbose=0)
y_hat = model.predict(x_train, verbose=0)[:, 0]
print(f"MSE {np.mean((y_hat - y) ** 2):.3g}, max |y_hat - y| {np.max(np.abs(y_hat - y)):.3g}")
"""
        ),
        markdown("## Plot the loss and the fit"),
        code(
            """
loss = pd.DataFrame({"epoch": np.arange(1, len(history.history["loss"]) + 1),
                     "loss": history.history["loss"]})
loss_chart = alt.Chart(loss).mark_line().encode(
    x="epoch:Q", y=alt.Y("loss:Q", scale=alt.Scale(type="log")))
curves = pd.concat([pd.DataFrame({"x": x, "y": y, "curve": "target"}),
                    pd.DataFrame({"x": x, "y": y_hat, "curve": "network"})])
fit_chart = alt.Chart(curves).mark_line().encode(x="x:Q", y="y:Q", color="curve:N")
loss_chart | fit_chart
"""
        ),
    ]


def sweep_notebook_cells(
    sweep: SweepSettings, fit: FitSettings, target: TargetSettings | None = None
) -> list[Cell]:
    """A plain-Keras notebook that reproduces the *Width sweep* (:func:`width_sweep`).

    One network with one hidden layer per width, each trained full batch for
    ``sweep.epochs`` epochs with the activation, optimizer, learning rate and seed of
    ``fit`` (its ``hidden_units`` and ``epochs`` are not used). The notebook prints one
    line per width (hidden units, parameters, MSE, max error), then shows the table and
    the MSE against the hidden units on log-log axes, like :func:`sweep_chart`.

    Raises:
        ValueError: when ``sweep.widths`` cannot be read (see :func:`parse_widths`).
    """
    widths = list(parse_widths(sweep.widths))
    data = _NotebookTarget.of(target)
    return [
        *data.opening_cells(
            "More hidden units, smaller error: networks with one hidden layer, "
            f"ỹ = w · g(W x + b) + b, of {', '.join(map(str, widths))} units each learn "
            f"{data.described}, every one for the same {sweep.epochs} epochs of full-batch "
            "training. The error after training is then plotted against the width."
        ),
        *data.model_cells(fit, choices=f"WIDTHS = {widths!r}", epochs=sweep.epochs, then=""),
        markdown("## Train one network per width"),
        _TRAIN_ONE,
        code(
            """
rows = []
for units in WIDTHS:
    parameters, errors, _ = train((units,))
    rows.append({"hidden_units": units, "parameters": parameters, **errors})
    print(f"{units} hidden units, {parameters} parameters: "
          f"MSE {errors['mse']:.3g}, max |y_hat - y| {errors['max_error']:.3g}")
results = pd.DataFrame(rows)
results
"""
        ),
        markdown("## Plot the error against the width\nBoth axes are logarithmic."),
        code(
            """
alt.Chart(results, title="Error after training, by width").mark_line(point=True).encode(
    x=alt.X("hidden_units:Q", title="hidden units (log scale)", scale=alt.Scale(type="log")),
    y=alt.Y("mse:Q", title="MSE after training (log scale)", scale=alt.Scale(type="log")),
    tooltip=["hidden_units:Q", "parameters:Q", "mse:Q", "max_error:Q"],
)
"""
        ),
    ]


def depth_notebook_cells(
    depth: DepthSettings, fit: FitSettings, target: TargetSettings | None = None
) -> list[Cell]:
    """A plain-Keras notebook that reproduces *Shallow to deep* (:func:`compare_depths`).

    One, two and three hidden layers of equal widths, from :func:`layers_for_budget`
    (computed here and written into the notebook as numbers), so the three networks
    have about ``depth.budget`` parameters each. Each trains full batch for
    ``depth.epochs`` epochs with the activation, optimizer, learning rate and seed of
    ``fit``. The notebook prints one line per depth, then shows the summary table and
    the three fits side by side, each with the target.
    """
    hidden_layers = [layers_for_budget(depth.budget, layers) for layers in (1, 2, 3)]
    counts = ", ".join(
        f"{' × '.join(map(str, layers))}: {parameter_count(layers)}" for layers in hidden_layers
    )
    formulas = "\n".join(f"$$ {formula} $$" for formula in DEPTH_FORMULAS)
    data = _NotebookTarget.of(target)
    return [
        *data.opening_cells(
            "Deep networks stack the same thing: one, two and three hidden layers with "
            f"about {depth.budget} parameters each learn {data.described}, every one for "
            f"{depth.epochs} epochs of full-batch training. With one, two and three hidden "
            f"layers the network computes\n\n{formulas}"
        ),
        *data.model_cells(
            fit,
            choices=(
                "# Equal widths for 1, 2 and 3 hidden layers, chosen so that the networks have\n"
                f"# about the same number of parameters, {depth.budget} ({counts}).\n"
                f"HIDDEN_LAYERS = {hidden_layers!r}"
            ),
            epochs=depth.epochs,
            then="",
        ),
        markdown("## Train one network per depth"),
        _TRAIN_ONE,
        code(
            """
rows, fits = [], []
for layers in HIDDEN_LAYERS:
    parameters, errors, y_hat = train(layers)
    widths = " × ".join(map(str, layers))
    rows.append({"hidden_layers": len(layers), "layers": widths, "parameters": parameters,
                 **errors})
    fits.append(pd.DataFrame({"x": x, "target": y, "network": y_hat, "layers": widths}))
    print(f"{len(layers)} hidden layer{'s' * (len(layers) > 1)} ({widths}): "
          f"{parameters} parameters, MSE {errors['mse']:.3g}, "
          f"max |y_hat - y| {errors['max_error']:.3g}")
summary = pd.DataFrame(rows)
summary
"""
        ),
        markdown("## Plot the three fits side by side"),
        code(
            """
curves = pd.concat(fits).melt(["x", "layers"], ["target", "network"], var_name="curve",
                              value_name="y")
alt.Chart(curves).mark_line().encode(x="x:Q", y="y:Q", color="curve:N").properties(
    width=240, height=220
).facet(column=alt.Column("layers:N", title="hidden layers", sort=list(summary["layers"])))
"""
        ),
    ]


OPTIMIZER_CLASSES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}
