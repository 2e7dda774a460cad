"""By training: the same network, its parameters learnt by backpropagation (Keras).

The network of :mod:`course_lib.fundamentals.approximation`, ỹ = w · g(W⁽¹⁾x + b⁽¹⁾) + b,
built as a Keras model whose weights backpropagation finds. Full batch: with all sample
points in every batch, one epoch is one gradient step, which is the quickest way down for
a few hundred 1-D points. Deeper networks (the sweep's *Shallow to deep*) stack more
hidden layers of the same kind.

The functions the lab notebooks show are these: :func:`build_network`,
:func:`input_scaling`, :func:`as_columns`, :func:`predict` and :func:`parameter_count`
(see :mod:`course_lib.fundamentals.lab`). TensorFlow is imported only inside them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.fundamentals.approximation import activation_function
from course_lib.fundamentals.targets import Points
from course_lib.settings import setting
from course_lib.training import seed_sequence

FIT_ACTIVATIONS = ("tanh", "sigmoid", "relu")
OPTIMIZERS = ("adam", "sgd", "rmsprop")


@dataclass(frozen=True)
class FitSettings:
    """Training the one-hidden-layer network on the target (full-batch gradient steps).

    With all sample points in every batch, one epoch is one gradient step, and the
    defaults (64 tanh units, Adam, learning rate 0.03) reach a mean squared error below
    1e-3 on sin(x) in about 200 epochs: a fraction of a second of computing, shown in
    about ten chunks so the student sees it learn.
    """

    hidden_units: int = setting(
        64, minimum=1, maximum=512, label="Hidden units", help="units in the hidden layer"
    )
    activation: str = setting(
        "tanh",
        choices=FIT_ACTIVATIONS,
        label="Activation g",
        help="g, the hidden units' nonlinearity",
    )
    optimizer: str = setting(
        "adam", choices=OPTIMIZERS, label="Optimizer", help="how each gradient step is taken"
    )
    learning_rate: float = setting(
        0.03,
        minimum=1e-4,
        maximum=10.0,
        step=0.005,
        format="%.4f",
        label="Learning rate",
        help="size of each step",
    )
    epochs: int = setting(
        300,
        minimum=10,
        maximum=5000,
        step=100,
        label="Epochs",
        help="full passes over the points (one step each)",
    )
    seed: int = setting(0, minimum=0, maximum=10_000, help="seeds the initial weights")


def input_scaling(low: float, high: float) -> tuple[float, float]:
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
    interval. The first hidden layer's W and b start uniform in [-3, 3], so its steps
    spread over [-1, 1]; deeper layers and the output start Glorot-uniform with zero
    biases. Each initializer is seeded from ``seed``: no global seed is touched.
    """
    import keras

    seeds = iter(seed_sequence(seed, 2 * len(layers) + 2))
    scale, offset = input_scaling(low, high)
    stack = [keras.Input((1,)), keras.layers.Rescaling(scale, offset, name="to_unit_interval")]
    for depth, units in enumerate(layers, start=1):
        if depth == 1:  # steps spread over [-1, 1] at the start: |W| up to 3, b up to ±3
            kernel = keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
            bias = keras.initializers.RandomUniform(-3.0, 3.0, seed=next(seeds))
        else:
            kernel, bias = keras.initializers.GlorotUniform(seed=next(seeds)), "zeros"
        stack.append(
            keras.layers.Dense(
                units,
                activation=activation,
                kernel_initializer=kernel,
                bias_initializer=bias,
                name=f"hidden_{depth}",
            )
        )
    output_kernel = keras.initializers.GlorotUniform(seed=next(seeds))
    stack.append(keras.layers.Dense(1, kernel_initializer=output_kernel, name="output"))
    model = keras.Sequential(stack, name=f"mlp_{'_'.join(map(str, layers))}")  # built at once
    optimizers = {
        "adam": keras.optimizers.Adam,
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
    }
    model.compile(optimizer=optimizers[optimizer](learning_rate), loss="mse")
    return model


def as_columns(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points as Keras wants them: float32 columns x and y, shape ``(n, 1)``."""
    return np.asarray(x, dtype="float32")[:, None], np.asarray(y, dtype="float32")[:, None]


def network_trainer(layers: tuple[int, ...], fit: FitSettings, points: Points, epochs: int):
    """A :class:`~course_lib.training.KerasTrainer` for a network with these hidden widths.

    Activation, optimizer, learning rate and seed come from ``fit``; the batch is every
    point (one gradient step per epoch), so many epochs run in one compiled call, traced
    once for every student whose network has the same shape.
    """
    from course_lib.training import KerasTrainer

    x_train, y_train = as_columns(points.x, points.y)
    return KerasTrainer(
        lambda: build_network(
            layers,
            fit.activation,
            low=points.low,
            high=points.high,
            optimizer=fit.optimizer,
            learning_rate=fit.learning_rate,
            seed=fit.seed,
        ),
        x_train,
        y_train,
        epochs=epochs,
        batch_size=len(x_train),
        seed=fit.seed,
        full_batch_loop=True,  # one compiled call trains many epochs (course_lib.full_batch)
    )


#: *By training* redraws the fit about this many times as it learns, however fast it trains.
LIVE_FRAMES = 10


def fit_trainer(settings: FitSettings, points: Points):
    """The trainer of *By training*: ``settings.hidden_units`` units for ``settings.epochs``,
    seen learning in about :data:`LIVE_FRAMES` chunks."""
    trainer = network_trainer((settings.hidden_units,), settings, points, settings.epochs)
    trainer.epochs_per_chunk = -(-settings.epochs // LIVE_FRAMES)
    return trainer


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


def train_to_end(trainer, on_progress: Callable[[float], None] | None = None):
    """Run a live trainer (:class:`~course_lib.training.LiveTraining`) to its end."""
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=0.5)
        if on_progress is not None:
            on_progress(trainer.progress)
    return trainer


def warm_up_default_fit() -> None:
    """One epoch of *By training*'s default fit: traces the full-batch loop that every
    student's default network then shares (the server runs this at start, in background)."""
    from course_lib.fundamentals.targets import TargetSettings, target_points

    fit_trainer(FitSettings(), target_points(TargetSettings())).step()
