"""One playground experiment as data: the data, the network and the optimiser.

:class:`PlaygroundSettings` declares every knob once (range, slider stops, step, label,
help): the page draws its widgets from it, a shared link carries it, the notebook's
constants cell is written from it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from course_lib.settings import setting

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
    dataset: str = setting(
        "two spirals", choices=DATASETS, label="Data set", help="which 2-D points to classify"
    )
    samples: int = setting(
        400,
        minimum=20,
        maximum=2000,
        step=20,
        label="Points",
        help="number of points, train and test together",
    )
    noise: float = setting(
        0.1,
        minimum=0.0,
        maximum=0.5,
        step=0.05,
        label="Noise",
        help="standard deviation of the Gaussian noise added",
    )
    classes: int = setting(
        3, minimum=2, maximum=5, label="Classes", help="number of blobs (Gaussian blobs only)"
    )
    test_fraction: float = setting(
        0.3,
        minimum=0.1,
        maximum=0.9,
        step=0.1,
        label="Test share",
        help="share of the points held out for testing",
    )
    seed: int = setting(
        0,
        minimum=0,
        maximum=2**31 - 2,
        label="Seed",
        help="fixes the points, the weights and the batches",
    )
    # -- network: layer i uses hidden_units_i and activation_i for i <= hidden_layers
    hidden_layers: int = setting(
        3, minimum=1, maximum=MAX_LAYERS, label="Hidden layers", help="depth of the network"
    )
    hidden_units_1: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 1: neurons",
        help="neurons in hidden layer 1",
    )
    hidden_units_2: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 2: neurons",
        help="neurons in hidden layer 2",
    )
    hidden_units_3: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 3: neurons",
        help="neurons in hidden layer 3",
    )
    hidden_units_4: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 4: neurons",
        help="neurons in hidden layer 4",
    )
    hidden_units_5: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 5: neurons",
        help="neurons in hidden layer 5",
    )
    hidden_units_6: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=WIDTHS,
        label="Layer 6: neurons",
        help="neurons in hidden layer 6",
    )
    activation_1: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 1: activation", help="activation of layer 1"
    )
    activation_2: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 2: activation", help="activation of layer 2"
    )
    activation_3: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 3: activation", help="activation of layer 3"
    )
    activation_4: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 4: activation", help="activation of layer 4"
    )
    activation_5: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 5: activation", help="activation of layer 5"
    )
    activation_6: str = setting(
        "tanh", choices=ACTIVATIONS, label="Layer 6: activation", help="activation of layer 6"
    )
    dropout: float = setting(
        0.0,
        minimum=0.0,
        maximum=0.7,
        step=0.05,
        label="Dropout",
        help="fraction of hidden neurons switched off per step",
    )
    l1: float = setting(
        0.0,
        minimum=0.0,
        maximum=0.1,
        stops=PENALTIES,
        format="%g",
        label="L1",
        help="L1 penalty on the weights",
    )
    l2: float = setting(
        0.0,
        minimum=0.0,
        maximum=0.1,
        stops=PENALTIES,
        format="%g",
        label="L2",
        help="L2 penalty on the weights",
    )
    batch_norm: bool = setting(
        False, label="Batch normalisation", help="normalise each hidden layer's pre-activations"
    )
    # -- optimisation
    optimizer: str = setting(
        "Adam", choices=OPTIMIZERS, label="Optimizer", help="how the gradient moves the weights"
    )
    learning_rate: float = setting(
        0.03,
        minimum=1e-5,
        maximum=10.0,
        stops=LEARNING_RATES,
        format="%g",
        label="Learning rate",
        help="size of each step",
    )
    batch_size: int = setting(
        16,
        minimum=1,
        maximum=512,
        stops=BATCH_SIZES,
        label="Batch size",
        help="points per gradient step",
    )
    epochs: int = setting(
        200,
        minimum=1,
        maximum=5000,
        step=50,
        label="Epochs",
        help="passes over the training set",
    )

    @property
    def layers(self) -> tuple[tuple[int, str], ...]:
        """``(hidden_units, activation)`` of each hidden layer, input side first."""
        return tuple(
            (getattr(self, f"hidden_units_{i}"), getattr(self, f"activation_{i}"))
            for i in range(1, self.hidden_layers + 1)
        )


#: The names of the settings fields, in order (the page's widget keys add a prefix).
FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(PlaygroundSettings))


def unused_layer_values(hidden_layers: int) -> dict[str, Any]:
    """The defaults of the width and activation of each layer beyond ``hidden_layers``."""
    defaults = PlaygroundSettings()
    values: dict[str, Any] = {}
    for i in range(hidden_layers + 1, MAX_LAYERS + 1):
        values[f"hidden_units_{i}"] = getattr(defaults, f"hidden_units_{i}")
        values[f"activation_{i}"] = getattr(defaults, f"activation_{i}")
    return values


def settings_from_values(values: dict[str, Any]) -> PlaygroundSettings:
    """Settings from widget values; layers beyond ``hidden_layers`` get their defaults.

    Hidden widgets of unused layers must not make two equal networks look different
    (which would rebuild the student's trainer).
    """
    hidden_layers = int(values.get("hidden_layers", PlaygroundSettings().hidden_layers))
    return PlaygroundSettings(**{**values, **unused_layer_values(hidden_layers)})
