"""Targets: the functions y = f*(x) a network learns, sampled as points (x, y).

A target is a function on an interval from the menu, a student's own formula, or points
from an uploaded CSV. Every section of the chapter fits the same :class:`Points`, and
measures how close a network came with :func:`approximation_errors`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib.formula import evaluate_formula
from course_lib.settings import setting


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

    target: str = setting(
        "sin",
        choices=(*TARGETS, FORMULA, CSV),
        label="Target function",
        help="the function y = f*(x)",
    )
    formula: str = setting(
        "sin(3*x) + x**2", label="y = ", help="an expression in x, e.g. sin(3*x) + x**2"
    )
    low: float = setting(
        -2.0, minimum=-100.0, maximum=100.0, label="from x =", help="left end of the interval"
    )
    high: float = setting(
        2.0, minimum=-100.0, maximum=100.0, label="to x =", help="right end of the interval"
    )
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
    """``{"max_error": max |ỹ − y|, "mse": mean (ỹ − y)²}`` over the sample points."""
    difference = np.asarray(y_hat, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return {"max_error": float(np.max(np.abs(difference))), "mse": float(np.mean(difference**2))}
