"""The policy network: the actor π(a | s) and the critic V(s), in Keras and in numpy.

The actor maps a batch of states ``(n, 4)`` to the logits of (push left, push right)
``(n, 2)``; a softmax turns them into probabilities. PPO's critic maps the same states to
the return it expects ``(n, 1)``. Both are small tanh MLPs, seeded from the experiment's
seed without touching global seeds.

Acting uses the weights in numpy (:func:`mlp_forward`): a tiny MLP on a few states is
faster there than a TensorFlow call. A trained actor is saved as a plain ``.npz``
(:func:`save_policy`) and replayed as a :class:`NumpyPolicy`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from course_lib.training import seed_sequence

PRETRAINED_PATH = Path(__file__).resolve().parents[2] / "assets" / "cartpole_policy.npz"


def build_networks(hidden_units: int, seed: int):
    """The actor ``π(a | s)`` (logits ``(n, 2)``) and the critic ``V(s)`` (``(n, 1)``).

    Two separate 4 → hidden → hidden → out tanh MLPs, with CleanRL's orthogonal
    initialisation: a tiny last actor layer (gain 0.01) so the untrained policy is
    close to 50/50 in every state.
    """
    import keras

    seeds = seed_sequence(seed, 6)

    def mlp(outputs: int, out_gain: float, layer_seeds: Sequence[int], name: str):
        init = keras.initializers.Orthogonal
        return keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(
                    hidden_units, "tanh", kernel_initializer=init(math.sqrt(2), layer_seeds[0])
                ),
                keras.layers.Dense(
                    hidden_units, "tanh", kernel_initializer=init(math.sqrt(2), layer_seeds[1])
                ),
                keras.layers.Dense(outputs, kernel_initializer=init(out_gain, layer_seeds[2])),
            ],
            name=name,
        )

    return mlp(2, 0.01, seeds[:3], "actor"), mlp(1, 1.0, seeds[3:], "critic")


def mlp_forward(weights: Sequence[np.ndarray], states: np.ndarray) -> np.ndarray:
    """The MLP in numpy: ``[W1, b1, W2, b2, W3, b3]`` applied to ``(n, 4)`` states."""
    h = np.asarray(states, np.float32)
    for i in range(0, len(weights) - 2, 2):
        h = np.tanh(h @ weights[i] + weights[i + 1])
    return h @ weights[-2] + weights[-1]


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # a policy may be shared between students (cached)
    return array


class NumpyPolicy:
    """A trained actor as a plain function: states ``(n, 4)`` → P(left), P(right) ``(n, 2)``."""

    def __init__(self, weights: Sequence[np.ndarray]):
        self.weights = tuple(_read_only(np.array(w, np.float32)) for w in weights)

    def __call__(self, states: np.ndarray) -> np.ndarray:
        return softmax(mlp_forward(self.weights, np.atleast_2d(states)))


def save_policy(policy: NumpyPolicy, path: Path, metadata: dict[str, Any]) -> None:
    """Weights as a plain ``.npz`` (no pickle), the story of how it was made next to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{f"w{i}": w for i, w in enumerate(policy.weights)})
    path.with_suffix(".json").write_text(json.dumps(metadata, indent=2) + "\n")


def load_policy(path: Path = PRETRAINED_PATH) -> NumpyPolicy:
    """Load a policy written by :func:`save_policy` (arrays only: ``allow_pickle=False``)."""
    with np.load(path, allow_pickle=False) as data:
        return NumpyPolicy([data[f"w{i}"] for i in range(len(data.files))])
