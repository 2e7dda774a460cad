"""When training diverges: how it is recognised, the last good state, the plain-words message.

A learning rate too large makes each update overshoot the minimum by more than the last:
the loss grows, explodes, or becomes NaN. The live trainers (:mod:`course_lib.training`,
the agents of :mod:`course_lib.reinforcement_learning`) stop such a run, put back a copy of
the weights and optimizer state taken while the loss was still good, and tell the student why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

#: A loss this many times larger than the first epoch's counts as exploding at once…
EXPLODING_LOSS_FACTOR = 1e3
#: …and one this many times larger for STUCK_EPOCHS epochs in a row counts as diverged
#: (a classifier thrown far off by a huge step sits at a large, finite loss).
STUCK_LOSS_FACTOR = 10.0
STUCK_EPOCHS = 3


def divergence_message(
    epoch: int,
    loss: float,
    last_good_epoch: int,
    *,
    stuck: bool = False,
    unit: str = "epoch",
    problem: str | None = None,
    model: str = "network",
) -> str:
    """Explain in plain words why a run was stopped.

    ``unit`` names a row of history ("epoch", "update"); ``problem`` replaces the loss's
    story with another one (e.g. "policy collapsed: …"); ``model`` is what was rolled back.
    """
    if problem is not None:
        what = problem
        why = "This is what too large a learning rate does: each update jumps too far."
    else:
        if stuck:
            what = f"stayed above {STUCK_LOSS_FACTOR:.0f}× its first value for {STUCK_EPOCHS} epochs ({loss:.3g})"
        elif math.isnan(loss):
            what = "became NaN (not a number)"
        elif math.isinf(loss):
            what = "became infinite"
        else:
            what = f"exploded to {loss:.3g}"
        what = f"loss {what}"
        why = (
            "Each update overshot the minimum and the next one overshot further — this is "
            "what too large a learning rate does."
        )
    rolled_back = (
        f"The {model} was rolled back to {unit} {last_good_epoch}, its last good state."
        if last_good_epoch > 0
        else f"The {model} was rolled back to its initial weights."
    )
    return (
        f"Training stopped at {unit} {epoch}: the {what}. {why} {rolled_back} "
        "Try a learning rate about 10× smaller."
    )


def snapshot(models: Sequence[Any], optimizer: Any = None) -> tuple[list, list]:
    """A copy of the models' weights and the optimizer's state: a run's last good state."""
    optimizer_vars = [v.numpy() for v in optimizer.variables] if optimizer is not None else []
    return [model.get_weights() for model in models], optimizer_vars


def restore(state: tuple[list, list], models: Sequence[Any], optimizer: Any = None) -> None:
    """Put back a :func:`snapshot` (an optimizer built since then gets a fresh state)."""
    weights, optimizer_vars = state
    for model, model_weights in zip(models, weights, strict=True):
        model.set_weights(model_weights)
    if optimizer is None:
        return
    if len(optimizer.variables) == len(optimizer_vars):
        for variable, value in zip(optimizer.variables, optimizer_vars, strict=True):
            variable.assign(value)
    else:  # the optimizer was built after the snapshot: give it a fresh state
        for variable in optimizer.variables:
            if variable.name != "learning_rate":  # a setting, not state: zero would freeze it
                variable.assign(np.zeros(variable.shape, variable.dtype))
