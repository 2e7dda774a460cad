"""Backpropagation by hand: the forward and backward pass of a tiny network, in numpy.

The lecture's notation, for a unit j fed by the units i of the layer below:

    forward     z_j = Σ_i w_ij y_i + b_j          y_j = f(z_j)
    error       E = ½ Σ_l (y_l − t_l)²            over the output units l, targets t_l
    backward    ∂E/∂y_l = y_l − t_l               at the output
                ∂E/∂z_j = ∂E/∂y_j · f′(z_j)
                ∂E/∂y_i = Σ_j w_ij ∂E/∂z_j        one layer down (the "backward propagation")
                ∂E/∂w_ij = y_i ∂E/∂z_j            ∂E/∂b_j = ∂E/∂z_j
    one step    w_ij ← w_ij − ε ∂E/∂w_ij          with learning rate ε

The inputs are the outputs y_i of layer 0 (so y_i = x_i there). :func:`backward`
computes every derivative with these lines and nothing else; :func:`tape_gradients`
asks TensorFlow's automatic differentiation for the same numbers, and the tests check
that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib.settings import setting

ACTIVATIONS = ("sigmoid", "tanh")


@dataclass(frozen=True)
class BackpropSettings:
    """The tiny network's shape and the step size of gradient descent."""

    inputs: int = setting(2, minimum=1, maximum=3, label="Inputs", help="input units x_i")
    hidden_units: int = setting(
        2, minimum=1, maximum=4, label="Units per layer", help="units in each hidden layer"
    )
    hidden_layers: int = setting(
        1, minimum=1, maximum=2, label="Hidden layers", help="hidden layers"
    )
    activation: str = setting(
        "sigmoid", choices=ACTIVATIONS, label="f", help="f, used by every unit"
    )
    learning_rate: float = setting(
        0.5, minimum=0.001, maximum=10.0, label="Learning rate ε", help="ε, the step size"
    )
    seed: int = setting(
        1, minimum=0, maximum=10_000, label="Random weights: seed", help="seeds the random weights"
    )

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Units per layer, inputs first and one output last, e.g. ``(2, 2, 1)``."""
        return (self.inputs, *(self.hidden_units,) * self.hidden_layers, 1)


@dataclass(frozen=True, eq=False)
class TinyNetwork:
    """Weights and biases of a small fully connected network.

    Attributes:
        weights: one matrix per layer above the inputs; ``weights[k][i, j]`` is w_ij from
            unit i of layer k to unit j of layer k+1, shape ``(units_k, units_k+1)``.
        biases: ``biases[k][j]`` is b_j of unit j in layer k+1.
        activation: f, the same for every unit (the lecture's logistic "sigmoid", or tanh).
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activation: str = "sigmoid"

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))


def random_network(settings: BackpropSettings) -> TinyNetwork:
    """Weights and biases drawn uniformly from [-1, 1] (rounded to 2 decimals to read)."""
    rng = np.random.default_rng(settings.seed)
    sizes = settings.layer_sizes
    weights = tuple(
        rng.uniform(-1, 1, (n_in, n_out)).round(2)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    )
    biases = tuple(rng.uniform(-1, 1, n_out).round(2) for n_out in sizes[1:])
    return TinyNetwork(weights, biases, settings.activation)


def f(name: str, z: np.ndarray) -> np.ndarray:
    """The activation y = f(z)."""
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    raise ValueError(f"unknown activation {name!r}")


def f_prime(name: str, z: np.ndarray) -> np.ndarray:
    """dy/dz, written with y itself as the lecture does: y(1 − y) or 1 − y²."""
    y = f(name, z)
    return y * (1.0 - y) if name == "sigmoid" else 1.0 - y**2


@dataclass(frozen=True, eq=False)
class Pass:
    """Everything the forward and backward pass computed, layer by layer.

    ``y[0]`` are the inputs x; for layer k ≥ 1, ``z[k]`` and ``y[k]`` are its units'
    total inputs and outputs (``z[0]`` is unused, ``None``). ``dE_dy[k]`` and
    ``dE_dz[k]`` are the derivatives of the error with respect to them; ``dE_dw[k]`` and
    ``dE_db[k]`` match ``weights[k]`` and ``biases[k]`` of the network.
    """

    z: tuple[np.ndarray | None, ...]
    y: tuple[np.ndarray, ...]
    dE_dy: tuple[np.ndarray, ...]
    dE_dz: tuple[np.ndarray | None, ...]
    dE_dw: tuple[np.ndarray, ...]
    dE_db: tuple[np.ndarray, ...]
    error: float


def forward(network: TinyNetwork, x: np.ndarray) -> tuple[list, list]:
    """z and y of every layer for the input ``x``, shape ``(inputs,)``."""
    z: list[np.ndarray | None] = [None]
    y = [np.asarray(x, dtype=np.float64)]
    for w, b in zip(network.weights, network.biases, strict=True):
        z.append(y[-1] @ w + b)  # z_j = Σ_i w_ij y_i + b_j
        y.append(f(network.activation, z[-1]))  # y_j = f(z_j)
    return z, y


def error(network: TinyNetwork, x: np.ndarray, t: np.ndarray) -> float:
    """E = ½ Σ_l (y_l − t_l)² for one example."""
    _, y = forward(network, x)
    return float(0.5 * np.sum((y[-1] - np.asarray(t, dtype=np.float64)) ** 2))


def backward(network: TinyNetwork, x: np.ndarray, t: np.ndarray) -> Pass:
    """The forward pass, then every derivative of E, from the output down to the inputs."""
    z, y = forward(network, x)
    t = np.asarray(t, dtype=np.float64)
    layers = len(network.weights)
    dE_dy: list = [None] * (layers + 1)
    dE_dz: list = [None] * (layers + 1)
    dE_dw: list = [None] * layers
    dE_db: list = [None] * layers
    dE_dy[layers] = y[layers] - t  # ∂E/∂y_l = y_l − t_l
    for k in range(layers, 0, -1):
        dE_dz[k] = dE_dy[k] * f_prime(network.activation, z[k])  # ∂E/∂z_j = ∂E/∂y_j f′(z_j)
        dE_dw[k - 1] = np.outer(y[k - 1], dE_dz[k])  # ∂E/∂w_ij = y_i ∂E/∂z_j
        dE_db[k - 1] = dE_dz[k]
        dE_dy[k - 1] = network.weights[k - 1] @ dE_dz[k]  # ∂E/∂y_i = Σ_j w_ij ∂E/∂z_j
    return Pass(
        tuple(z),
        tuple(y),
        tuple(dE_dy),
        tuple(dE_dz),
        tuple(dE_dw),
        tuple(dE_db),
        float(0.5 * np.sum((y[-1] - t) ** 2)),
    )


def gradient_step(network: TinyNetwork, result: Pass, learning_rate: float) -> TinyNetwork:
    """One step of gradient descent: w ← w − ε ∂E/∂w, b ← b − ε ∂E/∂b."""
    return TinyNetwork(
        tuple(w - learning_rate * g for w, g in zip(network.weights, result.dE_dw, strict=True)),
        tuple(b - learning_rate * g for b, g in zip(network.biases, result.dE_db, strict=True)),
        network.activation,
    )


def tape_gradients(
    network: TinyNetwork, x: np.ndarray, t: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """∂E/∂w and ∂E/∂b by TensorFlow's automatic differentiation, in float64.

    The same network and error as :func:`backward`, written as tensor operations; a
    ``tf.GradientTape`` records them and differentiates. Used to check the hand work.
    """
    from course_lib.device import import_tensorflow

    tf = import_tensorflow()
    weights = [tf.Variable(w, dtype=tf.float64) for w in network.weights]
    biases = [tf.Variable(b, dtype=tf.float64) for b in network.biases]
    activation = tf.sigmoid if network.activation == "sigmoid" else tf.tanh
    with tf.GradientTape() as tape:
        y = tf.constant(np.asarray(x, dtype=np.float64)[None, :])
        for w, b in zip(weights, biases, strict=True):
            y = activation(y @ w + b)
        loss = 0.5 * tf.reduce_sum((y - tf.constant(np.asarray(t, dtype=np.float64))) ** 2)
    grad_w, grad_b = tape.gradient(loss, (weights, biases))
    return [g.numpy() for g in grad_w], [g.numpy() for g in grad_b]


# ---------------------------------------------------------------------------------
# What the page shows: tables (the drawn network is in charts.py)
# ---------------------------------------------------------------------------------


def layer_name(k: int, layers: int) -> str:
    return "input" if k == 0 else ("output" if k == layers else f"hidden {k}")


def units_frame(result: Pass) -> pd.DataFrame:
    """One row per unit: layer, unit, z, y, ∂E/∂y, ∂E/∂z (inputs have no z)."""
    layers = len(result.y) - 1
    rows = []
    for k, outputs in enumerate(result.y):
        for j, value in enumerate(outputs):
            rows.append(
                {
                    "layer": layer_name(k, layers),
                    "unit": f"{'x' if k == 0 else 'y'}{j + 1}",
                    "z": None if k == 0 else float(result.z[k][j]),
                    "y": float(value),
                    "∂E/∂y": float(result.dE_dy[k][j]),
                    "∂E/∂z": None if k == 0 else float(result.dE_dz[k][j]),
                }
            )
    return pd.DataFrame(rows)


def weights_frame(network: TinyNetwork, result: Pass, learning_rate: float) -> pd.DataFrame:
    """One row per weight and bias: its value, ∂E/∂w and its value after one step."""
    layers = len(network.weights)
    rows = []
    for k, (w, g) in enumerate(zip(network.weights, result.dE_dw, strict=True)):
        for i, j in np.ndindex(w.shape):
            rows.append(
                {
                    "parameter": f"w{i + 1}{j + 1} ({layer_name(k, layers)} → {layer_name(k + 1, layers)})",
                    "value": float(w[i, j]),
                    "∂E/∂w": float(g[i, j]),
                    "after the step": float(w[i, j] - learning_rate * g[i, j]),
                }
            )
        for j, (b, gb) in enumerate(zip(network.biases[k], result.dE_db[k], strict=True)):
            rows.append(
                {
                    "parameter": f"b{j + 1} ({layer_name(k + 1, layers)})",
                    "value": float(b),
                    "∂E/∂w": float(gb),
                    "after the step": float(b - learning_rate * gb),
                }
            )
    return pd.DataFrame(rows)


def weight_tables(network: TinyNetwork) -> list[pd.DataFrame]:
    """One editable table per layer: rows "w from i" and "bias b", columns "to j"."""
    return [
        pd.DataFrame(
            np.vstack([w, b]),
            columns=[f"to {j + 1}" for j in range(w.shape[1])],
            index=[f"w from {i + 1}" for i in range(w.shape[0])] + ["bias b"],
        )
        for w, b in zip(network.weights, network.biases, strict=True)
    ]


def network_from_tables(tables: list[pd.DataFrame], activation: str) -> TinyNetwork:
    """The inverse of :func:`weight_tables`; an emptied cell counts as 0."""
    values = [np.nan_to_num(table.to_numpy(dtype=np.float64)) for table in tables]
    return TinyNetwork(tuple(v[:-1] for v in values), tuple(v[-1] for v in values), activation)


def tape_difference(network: TinyNetwork, x: np.ndarray, t: np.ndarray, result: Pass) -> float:
    """Largest |hand − GradientTape| over all ∂E/∂w and ∂E/∂b."""
    tape_w, tape_b = tape_gradients(network, x, t)
    pairs = zip([*tape_w, *tape_b], [*result.dE_dw, *result.dE_db], strict=True)
    return max(float(np.max(np.abs(tape - hand))) for tape, hand in pairs)
