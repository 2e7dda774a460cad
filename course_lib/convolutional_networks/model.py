"""The network: its settings, its layers worked out by hand, its cost, and the Keras model.

:class:`CNNSettings` holds the knobs; :func:`layer_rows` computes every layer's output
shape and parameters by hand (equal to Keras's, which the tests check); from them
:func:`estimate_resources` and :func:`resource_warning` say whether a network fits before
it is built; :func:`build_cnn` builds it, every initializer seeded from the settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from course_lib.convolutional_networks.convolution import conv_output_size
from course_lib.settings import setting
from course_lib.training import seed_sequence

DATASET_CHOICES = ("digits", "mnist", "fashion_mnist", "cifar10", "zip")


@dataclass(frozen=True)
class CNNSettings:
    """The knobs of the image classifier: the data, the network, the training."""

    dataset: str = setting(
        "digits",
        choices=DATASET_CHOICES,
        label="Data set",
        help="which images to learn from; digits ships with scikit-learn (offline)",
    )
    conv_blocks: int = setting(
        2,
        minimum=1,
        maximum=4,
        step=1,
        label="Convolution blocks",
        help="convolution blocks (convolution + pooling)",
    )
    filters: int = setting(
        32,
        minimum=4,
        maximum=128,
        stops=(4, 8, 16, 32, 64, 128),
        label="Filters in block 1",
        help="filters in the first block; each next block doubles",
    )
    kernel_size: int = setting(
        3, choices=(1, 3, 5, 7), label="Kernel size", help="side of each filter, in pixels"
    )
    stride: int = setting(
        1, choices=(1, 2), label="Stride", help="pixels the filter moves between positions"
    )
    padding: str = setting(
        "same",
        choices=("same", "valid"),
        label="Padding",
        help="'same' pads with zeros to keep the size",
    )
    activation: str = setting(
        "relu",
        choices=("relu", "elu", "tanh", "sigmoid"),
        label="Activation",
        help="non-linearity after each layer",
    )
    pooling: str = setting(
        "max",
        choices=("max", "average", "none"),
        label="Pooling",
        help="2×2 pooling after each convolution",
    )
    dense_units: int = setting(
        64,
        minimum=0,
        maximum=512,
        stops=(0, 16, 32, 64, 128, 256, 512),
        label="Dense units",
        help="neurons in the dense layer before the output (0: none)",
    )
    dropout: float = setting(
        0.25,
        minimum=0.0,
        maximum=0.8,
        step=0.05,
        label="Dropout",
        help="fraction of features dropped while training",
    )
    learning_rate: float = setting(
        0.003,
        minimum=1e-5,
        maximum=1.0,
        stops=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0),
        label="Learning rate",
        help="Adam's step size",
    )
    epochs: int = setting(
        15, minimum=1, maximum=100, step=1, label="Epochs", help="passes over the training images"
    )
    batch_size: int = setting(
        32,
        minimum=8,
        maximum=1024,
        stops=(8, 16, 32, 64, 128, 256, 512, 1024),
        label="Batch size",
        help="images per gradient step",
    )
    augmentation: bool = setting(
        False,
        label="Data augmentation",
        help="random shifts, small rotations (and flips for photos) while training",
    )
    seed: int = setting(
        0, minimum=0, maximum=10_000, label="Seed", help="initial weights and shuffling"
    )


class ArchitectureError(ValueError):
    """A configuration that cannot be built (e.g. the image shrinks to nothing)."""


@dataclass(frozen=True)
class LayerRow:
    """One layer of the network: its name, the shape it outputs and its parameters."""

    layer: str
    kind: str
    output_shape: tuple[int, ...]
    parameters: int
    flops: int  # multiply-adds × 2 for one image, forward pass


def block_filters(settings: CNNSettings, block: int) -> int:
    """Filters of conv block ``block`` (0-based): the first block's, doubled each block."""
    return settings.filters * 2**block


def layer_rows(
    settings: CNNSettings, image_shape: tuple[int, int, int], num_classes: int
) -> list[LayerRow]:
    """The network's layers with output shapes and parameter counts, worked out by hand.

    Same layers, in the same order, as :func:`build_cnn` (which the tests check against
    Keras). A conv layer with ``f`` filters of ``k×k`` over ``c`` channels has
    ``k·k·c·f + f`` parameters; a dense layer ``inputs·units + units``.

    Raises:
        ArchitectureError: if the image shrinks below one pixel somewhere.
    """
    height, width, channels = image_shape
    rows = [LayerRow("input", "Input", (height, width, channels), 0, 0)]
    rows.append(LayerRow("rescaling", "Rescaling (÷255)", (height, width, channels), 0, 0))
    if settings.augmentation:
        rows.append(LayerRow("augmentation", "Augmentation", (height, width, channels), 0, 0))
    k = settings.kernel_size
    for block in range(settings.conv_blocks):
        filters = block_filters(settings, block)
        new_h = conv_output_size(height, k, settings.stride, settings.padding)
        new_w = conv_output_size(width, k, settings.stride, settings.padding)
        if new_h < 1 or new_w < 1:
            raise ArchitectureError(
                f"Block {block + 1} gets a {height}×{width} image, smaller than its {k}×{k} "
                "kernel with 'valid' padding: choose 'same' padding, a smaller kernel or "
                "fewer blocks."
            )
        params = k * k * channels * filters + filters
        flops = 2 * new_h * new_w * filters * k * k * channels
        height, width, channels = new_h, new_w, filters
        rows.append(
            LayerRow(
                f"conv{block + 1}", f"Conv2D {k}×{k}", (height, width, channels), params, flops
            )
        )
        if settings.pooling != "none":
            if height < 2 or width < 2:
                raise ArchitectureError(
                    f"After block {block + 1} the feature maps are {height}×{width}: too small "
                    "for another 2×2 pooling. Use fewer blocks, stride 1 or no pooling."
                )
            height, width = height // 2, width // 2
            kind = "MaxPooling2D" if settings.pooling == "max" else "AveragePooling2D"
            rows.append(
                LayerRow(f"pool{block + 1}", f"{kind} 2×2", (height, width, channels), 0, 0)
            )
    features = height * width * channels
    rows.append(LayerRow("flatten", "Flatten", (features,), 0, 0))
    if settings.dense_units > 0:
        units = settings.dense_units
        rows.append(
            LayerRow("dense", "Dense", (units,), features * units + units, 2 * features * units)
        )
        features = units
    if settings.dropout > 0:
        rows.append(LayerRow("dropout", f"Dropout {settings.dropout:.0%}", (features,), 0, 0))
    rows.append(
        LayerRow(
            "output",
            "Dense + softmax",
            (num_classes,),
            features * num_classes + num_classes,
            2 * features * num_classes,
        )
    )
    return rows


def layer_table(settings: CNNSettings, image_shape: tuple[int, int, int], num_classes: int):
    """:func:`layer_rows` as a pandas DataFrame for the page (shapes as ``"14 × 14 × 32"``)."""
    import pandas as pd

    rows = layer_rows(settings, image_shape, num_classes)
    return pd.DataFrame(
        {
            "layer": [r.layer for r in rows],
            "type": [r.kind for r in rows],
            "output shape": [" × ".join(map(str, r.output_shape)) for r in rows],
            "parameters": [r.parameters for r in rows],
        }
    )


#: A rough speed of Keras on a 2-core CPU for small convolutions, in FLOP/s (measured
#: order of magnitude, used only to warn before a configuration that would be slow).
CPU_FLOPS = 5e9


MEMORY_WARNING_BYTES = 600 * 1024**2


EPOCH_WARNING_SECONDS = 60.0


@dataclass(frozen=True)
class ResourceEstimate:
    """What a configuration costs: parameters, memory while training, time per epoch."""

    parameters: int
    training_bytes: int
    seconds_per_epoch: float

    @property
    def fits_in_memory(self) -> bool:
        return self.training_bytes <= MEMORY_WARNING_BYTES


def estimate_resources(
    settings: CNNSettings,
    image_shape: tuple[int, int, int],
    num_classes: int,
    train_examples: int,
    flops_per_second: float = CPU_FLOPS,
) -> ResourceEstimate:
    """Memory and time of training, from the layer table.

    Memory: weights, gradients and Adam's two moments (4 copies of the parameters) plus
    every layer's activations and their gradients for one batch, all float32. Time:
    a training step costs about 3 forward passes (forward, backward for inputs and for
    weights).
    """
    rows = layer_rows(settings, image_shape, num_classes)
    parameters = sum(r.parameters for r in rows)
    activations = sum(math.prod(r.output_shape) for r in rows)
    training_bytes = 4 * (4 * parameters + 2 * settings.batch_size * activations)
    flops = 3 * sum(r.flops for r in rows) * train_examples
    return ResourceEstimate(parameters, training_bytes, flops / flops_per_second)


def resource_warning(estimate: ResourceEstimate) -> str | None:
    """A plain sentence when a configuration will not fit in memory or time, else ``None``."""
    problems = []
    if estimate.training_bytes > MEMORY_WARNING_BYTES:
        problems.append(
            f"needs about {estimate.training_bytes / 1024**2:,.0f} MB while training "
            f"(the course server has about {MEMORY_WARNING_BYTES // 1024**2} MB per student)"
        )
    if estimate.seconds_per_epoch > EPOCH_WARNING_SECONDS:
        problems.append(
            f"will take about {estimate.seconds_per_epoch / 60:,.0f} min per epoch on a CPU"
        )
    if not problems:
        return None
    return (
        "This network "
        + " and ".join(problems)
        + ". Use fewer filters, a smaller dense layer, stride 2 or more pooling."
    )


def build_cnn(
    settings: CNNSettings,
    image_shape: tuple[int, int, int],
    num_classes: int,
    *,
    dtype_policy: str = "float32",
    flip: bool = False,
    compile_model: bool = True,
):
    """The Keras model described by ``settings``, compiled for integer labels.

    Takes ``uint8`` images ``(batch, height, width, channels)`` and rescales them to
    [0, 1] itself. Returns class probabilities ``(batch, num_classes)``. Every random
    layer and initializer is seeded from ``settings.seed`` (never the global seed).

    Args:
        dtype_policy: ``"mixed_float16"`` on a GPU (see ``course_lib.device``); the
            softmax output stays float32 for a stable loss.
        flip: random horizontal flips in the augmentation (photos, not digits).
    """
    import keras
    from keras import layers

    layer_rows(settings, image_shape, num_classes)  # plain error before Keras's own
    seeds = iter(seed_sequence(settings.seed, 4 * settings.conv_blocks + 10))

    def init():
        return keras.initializers.GlorotUniform(seed=next(seeds))

    model = keras.Sequential(name="cnn")
    model.add(keras.Input(shape=image_shape, name="input"))
    model.add(layers.Rescaling(1 / 255, name="rescaling", dtype=dtype_policy))
    if settings.augmentation:
        augment = [
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=next(seeds)),
            layers.RandomRotation(0.04, fill_mode="constant", seed=next(seeds)),
        ]
        if flip:
            augment.insert(0, layers.RandomFlip("horizontal", seed=next(seeds)))
        model.add(keras.Sequential(augment, name="augmentation"))
    for block in range(settings.conv_blocks):
        model.add(
            layers.Conv2D(
                block_filters(settings, block),
                settings.kernel_size,
                strides=settings.stride,
                padding=settings.padding,
                activation=settings.activation,
                kernel_initializer=init(),
                name=f"conv{block + 1}",
                dtype=dtype_policy,
            )
        )
        if settings.pooling == "max":
            model.add(layers.MaxPooling2D(2, name=f"pool{block + 1}", dtype=dtype_policy))
        elif settings.pooling == "average":
            model.add(layers.AveragePooling2D(2, name=f"pool{block + 1}", dtype=dtype_policy))
    model.add(layers.Flatten(name="flatten", dtype=dtype_policy))
    if settings.dense_units > 0:
        model.add(
            layers.Dense(
                settings.dense_units,
                activation=settings.activation,
                kernel_initializer=init(),
                name="dense",
                dtype=dtype_policy,
            )
        )
    if settings.dropout > 0:
        model.add(layers.Dropout(settings.dropout, seed=next(seeds), name="dropout"))
    model.add(
        layers.Dense(
            num_classes,
            activation="softmax",
            kernel_initializer=init(),
            name="output",
            dtype="float32",
        )
    )
    if compile_model:
        model.compile(
            optimizer=keras.optimizers.Adam(settings.learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
    return model
