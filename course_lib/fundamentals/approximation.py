"""Universal approximation by hand: a network with one hidden layer is a sum of bumps.

The lecture's network with one hidden layer of ``hidden_units`` units computes

    ỹ(x) = Σ_j w_j g(W_j x + b_j) + b        (in vector form ỹ = w · g(W⁽¹⁾x + b⁽¹⁾) + b)

and the claim is that it "can approximate any target function y = f*(x), given enough
units and proper parameters". Here each unit is a step (sigmoid) or a ramp (ReLU) that the
student places: ``g(s_j (x − p_j))`` with position ``p_j``, steepness ``s_j`` (so
``W_j = s_j`` and ``b_j = −s_j p_j``) and output weight ``w_j``. Two opposite steps make a
bump; enough bumps trace any curve. Pure numpy, so a slider move redraws at once.

The same network with its parameters learnt by backpropagation is in
:mod:`course_lib.fundamentals.network`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib.fundamentals.targets import Points, approximation_errors
from course_lib.settings import setting

HAND_ACTIVATIONS = ("sigmoid", "relu")


@dataclass(frozen=True)
class HandSettings:
    """The by-hand network's shape (its parameters live in :class:`HandNetwork`)."""

    hidden_units: int = setting(
        6, minimum=1, maximum=50, label="Hidden units N", help="units in the hidden layer"
    )
    activation: str = setting(
        "sigmoid",
        choices=HAND_ACTIVATIONS,
        label="Activation g",
        help="sigmoid: a smooth step; relu: a ramp",
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


#: The values of one unit that the by-hand plot in the browser sends back on release.
UNIT_FIELDS = ("position", "steepness", "weight", "bias")


def checked_unit_edit(
    edit: object, network: HandNetwork, points: Points
) -> tuple[int, dict[str, float]] | None:
    """A unit's new values as the browser sent them, checked: ``(unit, values)`` or None.

    The browser is not trusted: ``edit`` must be a mapping with ``unit`` (0-based index),
    ``units`` (the N it was made for; another N means the edit is stale) and a finite
    number for each of :data:`UNIT_FIELDS`; the values are clipped to
    :func:`hand_slider_ranges`. Anything else gives None (the edit is ignored).
    """
    if not isinstance(edit, dict):
        return None
    unit, units = edit.get("unit"), edit.get("units")
    if type(unit) is not int or units != network.hidden_units or not 0 <= unit < units:
        return None
    ranges = hand_slider_ranges(network, points)
    values = {}
    for name in UNIT_FIELDS:
        value = edit.get(name)
        if type(value) not in (int, float) or not np.isfinite(value):
            return None
        low, high, _ = ranges[name]
        values[name] = float(np.clip(value, low, high))
    return unit, values
