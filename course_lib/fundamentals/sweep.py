"""Sweeps: more hidden units, smaller error; and one, two, three hidden layers at one budget.

A sweep trains several networks of :mod:`course_lib.fundamentals.network` one after the
other on the same points and tabulates their errors after training:

- *Width sweep*: one hidden layer of each width (``"1, 3, 10, 30, 100"``);
- *Shallow to deep*: one, two and three hidden layers of equal widths, chosen so that the
  three networks have about the same number of parameters (:func:`layers_for_budget`).

:class:`SweepTraining` is the live driver of a sweep: it trains one network at a time, a
chunk at a time, so the page stays responsive (Start / Pause / Stop, progress).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from course_lib.fundamentals.network import (
    FitSettings,
    network_trainer,
    parameter_count,
    predict,
)
from course_lib.fundamentals.targets import Points, approximation_errors
from course_lib.settings import setting
from course_lib.training import LiveTraining, TrainingStatus

# ---------------------------------------------------------------------------------
# Width sweep: more units, smaller error
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepSettings:
    """Train one network per width, each for the same number of epochs."""

    widths: str = setting(
        "1, 3, 10, 30, 100",
        label="Widths",
        help="hidden-layer widths to train, separated by commas (1 to 512)",
    )
    epochs: int = setting(
        300,
        minimum=10,
        maximum=3000,
        step=100,
        label="Epochs per width",
        help="epochs for each width",
    )


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


def width_row(layers: tuple[int, ...], model, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """The width sweep's row for one trained network: its width, parameters and errors."""
    return {
        "hidden_units": layers[0],
        "parameters": parameter_count(layers),
        **approximation_errors(predict(model, x), y),
    }


# ---------------------------------------------------------------------------------
# Shallow to deep: one, two and three hidden layers at the same budget
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepthSettings:
    """Compare depths at a comparable number of parameters."""

    budget: int = setting(
        200,
        minimum=20,
        maximum=5000,
        step=50,
        label="Parameters (about)",
        help="parameters per network (about)",
    )
    epochs: int = setting(
        800, minimum=10, maximum=3000, step=100, label="Epochs", help="epochs for each network"
    )


def layers_for_budget(budget: int, depth: int) -> tuple[int, ...]:
    """Equal hidden widths for ``depth`` layers whose parameter count is nearest ``budget``."""
    best = min(range(1, 513), key=lambda width: abs(parameter_count((width,) * depth) - budget))
    return (best,) * depth


def depth_row(layers: tuple[int, ...], model, x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """The depth comparison's row for one trained network: its layers, parameters, errors."""
    return {
        "hidden_layers": len(layers),
        "layers": " × ".join(map(str, layers)),
        "parameters": parameter_count(layers),
        **approximation_errors(predict(model, x), y),
    }


# ---------------------------------------------------------------------------------
# The live driver: one network of the sweep at a time, a chunk at a time
# ---------------------------------------------------------------------------------

Row = Callable[[tuple[int, ...], Any, np.ndarray, np.ndarray], dict[str, Any]]


class SweepTraining(LiveTraining):
    """Train the networks of a sweep one after the other, a chunk at a time.

    The driver's "epoch" is one epoch of the network being trained, so its progress runs
    over the whole sweep: ``len(networks) × epochs`` epochs in all. Each history row has
    the ``loss`` of the network being trained, its ``network`` (e.g. ``"12 × 12"``) and its
    own ``network_epoch``. When a network finishes (or diverges: the sweep goes on with the
    next one), ``row(layers, model, x, y)`` measures it on the points, the row is added to
    :attr:`rows` (with ``epochs`` and ``diverged``), its output on the points to
    :attr:`outputs`, and its model is dropped before the next is built.

    Args:
        points: the target samples every network learns.
        networks: the hidden widths of each network, e.g. ``((1,), (3,), (10,))``.
        fit: activation, optimizer, learning rate and seed, shared by every network.
        epochs: epochs for each network.
        row: the table row of a trained network (:func:`width_row`, :func:`depth_row`).
    """

    def __init__(
        self,
        points: Points,
        networks: tuple[tuple[int, ...], ...],
        fit: FitSettings,
        epochs: int,
        row: Row,
    ):
        if not networks:
            raise ValueError("a sweep needs at least one network")
        super().__init__(epochs * len(networks))
        self.points, self.networks, self.fit = points, tuple(networks), fit
        self.epochs_each, self._row = int(epochs), row
        self._reset()

    # -- what the page reads -----------------------------------------------------------
    @property
    def current(self) -> tuple[int, ...] | None:
        """The hidden widths of the network in training (or next), ``None`` when all done."""
        return self.networks[self._index] if self._index < len(self.networks) else None

    @property
    def networks_done(self) -> int:
        return self._index

    def table(self) -> pd.DataFrame:
        """One row per trained network (see ``row``), in the order of ``networks``."""
        return pd.DataFrame(self.rows)

    # -- the buttons ---------------------------------------------------------------------
    def start(self) -> None:
        """Start or resume the sweep; once every network is trained, run it again."""
        if self.current is None:
            self.reset()
        super().start()
        self.total_epochs = self.epochs_done + self._epochs_left()

    # -- the chunk -----------------------------------------------------------------------
    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        started = time.perf_counter()
        while len(rows) < max_epochs and self.current is not None:
            layers = self.current
            if self._trainer is None:
                self._trainer = network_trainer(layers, self.fit, self.points, self.epochs_each)
            trainer = self._trainer
            if max_epochs == 1:  # "step": exactly one epoch of the current network
                new = trainer.step()
            else:
                if trainer.status in (TrainingStatus.READY, TrainingStatus.PAUSED):
                    trainer.start()
                left = max_seconds - (time.perf_counter() - started)
                new = trainer.run_chunk(max_seconds=max(left, 0.01))
            name = " × ".join(map(str, layers))
            for inner in new:
                rows.append(
                    {
                        "epoch": self.epochs_done + len(rows) + 1,
                        "network": name,
                        "network_epoch": inner["epoch"],
                        "loss": inner["loss"],
                    }
                )
            if trainer.status in (TrainingStatus.FINISHED, TrainingStatus.DIVERGED):
                self._finish_network(layers, trainer)
            if time.perf_counter() - started >= max_seconds:
                break
        return rows

    def _finish_network(self, layers: tuple[int, ...], trainer) -> None:
        diverged = trainer.status is TrainingStatus.DIVERGED
        row = self._row(layers, trainer.model, self.points.x, self.points.y)
        self.rows.append({**row, "epochs": trainer.epochs_done, "diverged": diverged})
        self.outputs.append(predict(trainer.model, self.points.x))
        # a diverged network stops early: the sweep has that many fewer epochs to go
        self.total_epochs -= self.epochs_each - trainer.epochs_done
        self._trainer = None  # free its model before the next is built
        self._index += 1

    def _epochs_left(self) -> int:
        if self.current is None:
            return 0
        in_training = self._trainer.epochs_done if self._trainer is not None else 0
        return self.epochs_each * (len(self.networks) - self._index) - in_training

    def _reset(self) -> None:
        self._index = 0
        self._trainer = None
        self.rows: list[dict[str, Any]] = []
        self.outputs: list[np.ndarray] = []


def width_sweep_training(
    points: Points, widths: tuple[int, ...], fit: FitSettings, epochs: int
) -> SweepTraining:
    """The live width sweep: one network with one hidden layer per width."""
    return SweepTraining(points, tuple((units,) for units in widths), fit, epochs, width_row)


def depth_training(points: Points, settings: DepthSettings, fit: FitSettings) -> SweepTraining:
    """The live shallow-to-deep comparison: 1, 2 and 3 hidden layers at one budget."""
    networks = tuple(layers_for_budget(settings.budget, depth) for depth in (1, 2, 3))
    return SweepTraining(points, networks, fit, settings.epochs, depth_row)


def depth_curves(training: SweepTraining) -> pd.DataFrame:
    """Long format (``x``, ``y``, ``curve``, ``hidden_layers``): the target and each fit."""
    x = training.points.x
    frames = []
    for layers, y_hat in zip(training.networks, training.outputs, strict=False):
        for curve, y in (("target", training.points.y), ("network", y_hat)):
            frames.append(
                pd.DataFrame({"x": x, "y": y, "curve": curve, "hidden_layers": len(layers)})
            )
    return pd.concat(frames, ignore_index=True)


def run_sweep(
    training: SweepTraining, on_progress: Callable[[float, str], None] | None = None
) -> SweepTraining:
    """Train a sweep to its end at once (for scripts and tests; the page trains it live)."""
    training.start()
    while training.is_running:
        layers = training.current
        training.run_chunk(max_seconds=0.5)
        if on_progress is not None and layers is not None:
            on_progress(training.progress, " × ".join(map(str, layers)))
    return training


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
    return run_sweep(width_sweep_training(points, widths, fit, epochs), on_progress).table()


def compare_depths(
    points: Points,
    settings: DepthSettings,
    fit: FitSettings,
    on_progress: Callable[[float, str], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit the target with 1, 2 and 3 hidden layers of about ``settings.budget`` parameters.

    Returns:
        ``(summary, curves)``: summary has one row per depth (``hidden_layers``,
        ``layers`` e.g. "12 × 12", ``parameters``, ``mse``, ``max_error``, ``epochs``,
        ``diverged``); curves is long format (``x``, ``y``, ``curve``, ``hidden_layers``)
        with the target and each fitted network.
    """
    training = run_sweep(depth_training(points, settings, fit), on_progress)
    return training.table(), depth_curves(training)
