"""Build and train the model: a Keras MLP of chosen depth and width, and what it costs.

:func:`build_model` turns the network settings into a compiled Keras MLP (1-6 hidden
layers, width and activation per layer, dropout, L1/L2, batch normalisation, four
optimizers); :func:`parameter_count` counts its parameters by hand, the way the lecture
does. :func:`make_trainer` wraps it in the shared live driver
(:class:`course_lib.training.KerasTrainer`) with :class:`GradientNorms` as an epoch hook,
so vanishing gradients show up as curves. TensorFlow and Keras are imported inside the
functions that need them.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.classroom import count as count_of
from course_lib.deep_supervised_learning.data import Dataset
from course_lib.deep_supervised_learning.experiment import (
    MOMENTUM,
    PlaygroundSettings,
)
from course_lib.training import seed_sequence

if TYPE_CHECKING:
    import keras


def parameter_count(settings: PlaygroundSettings, classes: int) -> dict[str, int]:
    """Parameters of the network, counted the way the lecture does.

    A dense layer from ``n`` to ``m`` neurons has ``n·m`` weights and ``m`` biases (no
    biases when batch normalisation follows: its shift β plays that part). Batch
    normalisation adds a scale γ and a shift β per neuron (trained) and a running mean
    and variance (not trained). The output layer has one neuron per class.

    Returns ``{"trainable": …, "non_trainable": …, "total": …}``.
    """
    trainable = non_trainable = 0
    fan_in = 2
    for units, _ in settings.layers:
        trainable += fan_in * units + (0 if settings.batch_norm else units)
        if settings.batch_norm:
            trainable += 2 * units
            non_trainable += 2 * units
        fan_in = units
    trainable += fan_in * classes + classes
    return {
        "trainable": trainable,
        "non_trainable": non_trainable,
        "total": trainable + non_trainable,
    }


def make_optimizer(name: str, learning_rate: float, momentum: float = MOMENTUM):
    """An optimizer by the lecture's name: "SGD", "SGD+momentum", "RMSprop" or "Adam"."""
    import keras

    if name == "SGD":
        return keras.optimizers.SGD(learning_rate)
    if name == "SGD+momentum":
        return keras.optimizers.SGD(learning_rate, momentum=momentum)
    if name == "RMSprop":
        return keras.optimizers.RMSprop(learning_rate)
    if name == "Adam":
        return keras.optimizers.Adam(learning_rate)
    raise ValueError(f"unknown optimizer {name!r}; choose SGD, SGD+momentum, RMSprop or Adam")


def build_model(
    layers: Sequence[tuple[int, str]],
    classes: int,
    *,
    dropout: float = 0.0,
    l1: float = 0.0,
    l2: float = 0.0,
    batch_norm: bool = False,
    optimizer: str = "Adam",
    learning_rate: float = 0.01,
    seed: int = 0,
) -> keras.Model:
    """A compiled multilayer perceptron for points in the plane.

    Input ``(batch, 2)`` points; output ``(batch, classes)`` class probabilities
    (softmax), trained with cross-entropy. ``layers`` holds ``(neurons, activation)`` of
    each hidden layer, input side first; hidden layer ``i`` is
    ``Dense → [BatchNormalization] → Activation (named "hidden_i") → [Dropout]``.
    Every initializer and dropout layer is seeded from ``seed``, so the same settings
    give the same network, without touching Keras's global seed.
    """
    import keras

    seeds = iter(seed_sequence(seed, 2 * len(layers) + 1))
    penalty = keras.regularizers.L1L2(l1=l1, l2=l2) if l1 or l2 else None
    stack = [keras.Input(shape=(2,), name="point")]  # built at once: quicker than add()
    for i, (units, activation) in enumerate(layers, start=1):
        stack.append(
            keras.layers.Dense(
                units,
                use_bias=not batch_norm,  # batch normalisation's shift plays the bias
                kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
                kernel_regularizer=penalty,
                name=f"dense_{i}",
            )
        )
        if batch_norm:
            stack.append(keras.layers.BatchNormalization(name=f"batch_norm_{i}"))
        stack.append(keras.layers.Activation(activation, name=f"hidden_{i}"))
        if dropout > 0:
            stack.append(keras.layers.Dropout(dropout, seed=next(seeds), name=f"dropout_{i}"))
    stack.append(
        keras.layers.Dense(
            classes,
            activation="softmax",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            kernel_regularizer=penalty,
            name="output",
        )
    )
    model = keras.Sequential(stack, name="playground_mlp")
    model.compile(
        optimizer=make_optimizer(optimizer, learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def network_arguments(settings: PlaygroundSettings) -> dict[str, Any]:
    """The keyword arguments of :func:`build_model` that ``settings`` fix (all but classes)."""
    return {
        "layers": settings.layers,
        "dropout": settings.dropout,
        "l1": settings.l1,
        "l2": settings.l2,
        "batch_norm": settings.batch_norm,
        "optimizer": settings.optimizer,
        "learning_rate": settings.learning_rate,
        "seed": settings.seed,
    }


def model_for(settings: PlaygroundSettings, classes: int) -> keras.Model:
    """The compiled MLP of ``settings`` for ``classes`` classes (see :func:`build_model`)."""
    return build_model(classes=classes, **network_arguments(settings))


#: Estimated seconds per epoch above which the page warns that the network is heavy.
SLOW_EPOCH_SECONDS = 0.5


#: ... and above which an "epoch" is shortened to a fixed number of batches.
MAX_EPOCH_SECONDS = 1.0


#: A rough CPU speed for small dense layers (floating point operations per second) and
#: the fixed cost of one training step; only used for the warning, not for results.
_CPU_FLOPS = 1e9


_STEP_SECONDS = 1.5e-3


def seconds_per_epoch(settings: PlaygroundSettings, train_size: int, classes: int) -> float:
    """A rough estimate of one epoch's training time on a laptop CPU.

    Forward and backward passes cost about 6 floating point operations per weight and
    example, plus a fixed overhead per batch.
    """
    weights = parameter_count(settings, classes)["total"]
    steps = math.ceil(train_size / max(1, min(settings.batch_size, train_size)))
    return steps * _STEP_SECONDS + 6 * weights * train_size / _CPU_FLOPS


def steps_per_epoch(settings: PlaygroundSettings, train_size: int, classes: int) -> int | None:
    """``None`` (an epoch is a full pass) unless a pass would freeze the page.

    For a network and batch size so heavy that one pass over the data would take more
    than :data:`MAX_EPOCH_SECONDS`, an "epoch" is shortened to the number of batches
    that fit in that time, so the page still redraws and the buttons still answer.
    """
    estimate = seconds_per_epoch(settings, train_size, classes)
    if estimate <= MAX_EPOCH_SECONDS:
        return None
    steps = math.ceil(train_size / max(1, min(settings.batch_size, train_size)))
    return max(1, int(steps * MAX_EPOCH_SECONDS / estimate))


def size_summary(settings: PlaygroundSettings, data: Dataset) -> str:
    """One markdown line: the network's parameters and the data's size."""
    count = parameter_count(settings, data.classes)
    extra = count["non_trainable"]
    return (
        f"**{count['trainable']:,} trainable parameters**"
        + (f" (+{extra:,} running statistics)" if extra else "")
        + f" · {count_of(len(data.x_train), 'training point')}, "
        f"{count_of(len(data.x_test), 'test point')}, {count_of(data.classes, 'class', 'classes')}"
    )


def heavy_network_warning(settings: PlaygroundSettings, data: Dataset) -> str | None:
    """What to tell the student when an epoch would be slow on the server, else ``None``."""
    estimate = seconds_per_epoch(settings, len(data.x_train), data.classes)
    if estimate <= SLOW_EPOCH_SECONDS:
        return None
    steps = steps_per_epoch(settings, len(data.x_train), data.classes)
    shortened = (
        f"To keep the page responsive an epoch here is {count_of(steps, 'batch', 'batches')}, "
        "not a full pass. "
        if steps
        else ""
    )
    return (
        f"This network is heavy for the server: one pass over the data takes about "
        f"{estimate:.0f} s. {shortened}Fewer or narrower layers, or a bigger batch, train "
        "much faster."
    )


class GradientNorms:
    """An ``on_epoch_end`` hook that adds each layer's gradient norm to the row.

    After an epoch it computes the gradient of the loss with respect to every dense
    layer's weight matrix on a fixed sample of training points (at most 256, in
    inference mode so batch normalisation's running statistics are not touched) and
    stores the Euclidean norm as ``row["grad_norm_1"]`` … and ``row["grad_norm_output"]``.
    In a deep sigmoid network these shrink layer by layer towards the input: vanishing
    gradients.

    To keep training fast it measures at most every ``every_seconds`` of wall time (and
    always after the first epoch); rows in between carry no gradient norms.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, *, every_seconds: float = 0.3):
        self.x = np.asarray(x[:256], dtype=np.float32)
        self.y = np.asarray(y[:256], dtype=np.int32)
        self.every_seconds = every_seconds
        self._model_id: int | None = None
        self._function = None
        self._last = -math.inf

    def _compile(self, model):
        import keras
        import tensorflow as tf

        kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        x, y = tf.constant(self.x), tf.constant(self.y)

        @tf.function
        def norms():
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=False))
            return [tf.norm(g) for g in tape.gradient(loss, kernels)]

        return norms

    def __call__(self, model, row: dict[str, Any]) -> None:
        now = time.perf_counter()
        if id(model) != self._model_id:  # a reset built a new model
            self._model_id, self._function, self._last = id(model), self._compile(model), -math.inf
        if row.get("epoch", 0) > 1 and now - self._last < self.every_seconds:
            return
        self._last = now
        values = [float(v) for v in self._function()]
        for i, value in enumerate(values[:-1], start=1):
            row[f"grad_norm_{i}"] = value
        row["grad_norm_output"] = values[-1]


def make_trainer(settings: PlaygroundSettings, data: Dataset):
    """The shared live driver for this experiment: train on ``data``, test after each epoch."""
    from course_lib.training import KerasTrainer

    return KerasTrainer(
        functools.partial(model_for, settings, data.classes),
        data.x_train,
        data.y_train,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        validation_data=(data.x_test, data.y_test),
        seed=settings.seed,
        steps_per_epoch=steps_per_epoch(settings, len(data.x_train), data.classes),
        on_epoch_end=[GradientNorms(data.x_train, data.y_train)],
    )


def grid_points(extent: tuple[float, float, float, float], resolution: int) -> np.ndarray:
    """``(resolution², 2)`` float32 cell centres covering ``extent`` row by row."""
    x1_min, x1_max, x2_min, x2_max = extent
    x1 = np.linspace(x1_min, x1_max, resolution, dtype=np.float32)
    x2 = np.linspace(x2_min, x2_max, resolution, dtype=np.float32)
    grid_x1, grid_x2 = np.meshgrid(x1, x2)
    return np.stack([grid_x1.ravel(), grid_x2.ravel()], axis=1)


def predict(model, x: np.ndarray) -> np.ndarray:
    """Class probabilities ``(n, classes)`` for ``(n, 2)`` points, in inference mode.

    Calls the model directly (no ``model.predict``: its per-call setup costs more than
    the few thousand grid points).
    """
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False))


def hidden_outputs(model, points: np.ndarray, max_layers: int = 2) -> list[np.ndarray]:
    """Outputs of the first ``max_layers`` hidden layers (after their activation).

    Returns one ``(n, hidden_units_i)`` array per layer for ``(n, 2)`` points, in
    inference mode (dropout off, batch normalisation with its running statistics).
    """
    outputs = []
    x = np.asarray(points, dtype=np.float32)
    for layer in model.layers:
        if len(outputs) == max_layers:
            break
        x = layer(x, training=False)
        if layer.name.startswith("hidden_"):
            outputs.append(np.asarray(x))
    return outputs
