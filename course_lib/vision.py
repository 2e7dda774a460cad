"""Deep convolutional networks: an image classifier to build, train, probe and test.

The lecture's question is "Is there a cat in this picture?". A convolutional network
answers it with layers of small filters slid over the image: each filter computes a
*feature map* (where in the image its pattern occurs), pooling shrinks the maps, and
a dense head turns the last maps into class probabilities. This module follows the
lecture's order:

1. **How a convolution works** — :func:`convolve2d`, :func:`pool2d`, :data:`KERNELS`.
2. **Architecture** — :class:`CNNSettings`, :func:`layer_table` (shapes and parameters
   computed by hand, equal to Keras's), :func:`resource_warning`, :func:`build_cnn`.
3. **Training** — :func:`make_trainer` (the shared live-training driver).
4. **What it learnt and where it fails** — :func:`evaluate`, :func:`confusion_chart`,
   :func:`misclassified`, :func:`first_layer_filters`, :func:`feature_maps`.
5. **Try it yourself** — :func:`preprocess_drawing`, :func:`preprocess_photo`,
   :func:`predict_proba`, :func:`top_k`.
6. **ImageNet** — :func:`load_imagenet_classifier`, :func:`classify_imagenet`.

``python -m course_lib.vision`` retrains the pretrained digits model in ``assets/``.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from course_lib.classroom import Cell, Question, Step, code, markdown
from course_lib.datasets import ImageDataset, resize_square, stratified_split, to_8bit
from course_lib.settings import bounds as settings_bounds
from course_lib.settings import setting

ASSETS = Path(__file__).resolve().parents[1] / "assets"
PRETRAINED_MODEL = ASSETS / "digits_cnn.keras"
PRETRAINED_INFO = ASSETS / "digits_cnn.json"


# == 1. How a convolution works =========================================================
#: Classic 3×3 kernels. A convolution layer *learns* its kernels; these are hand-made.
KERNELS: dict[str, tuple[tuple[float, ...], ...]] = {
    "edges (Laplacian)": ((0, -1, 0), (-1, 4, -1), (0, -1, 0)),
    "vertical edges (Sobel)": ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
    "horizontal edges (Sobel)": ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
    "blur (box)": ((1 / 9,) * 3,) * 3,
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
}


def parse_kernel(text: str) -> np.ndarray:
    """Nine numbers typed by a student (commas, spaces or new lines) → a ``(3, 3)`` kernel.

    Raises:
        ValueError: with a plain message if there are not exactly nine finite numbers.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        raise ValueError("type nine numbers separated by spaces or commas") from None
    if len(values) != 9 or not all(math.isfinite(v) for v in values):
        raise ValueError(f"a 3×3 kernel needs nine finite numbers; got {len(values)}")
    return np.array(values, dtype=np.float32).reshape(3, 3)


#: The explainer's kernel menu: the classic kernels, then one the student types.
OWN_KERNEL = "your own"


def demo_kernel(name: str, typed: str = "") -> np.ndarray:
    """The kernel the convolution explainer applies: a classic one, or nine typed numbers.

    Args:
        name: a key of :data:`KERNELS`, or :data:`OWN_KERNEL` for the typed numbers.
        typed: the student's nine numbers, used only for :data:`OWN_KERNEL`.

    Raises:
        ValueError: the typed numbers are not a 3×3 kernel (see :func:`parse_kernel`).
    """
    if name == OWN_KERNEL:
        return parse_kernel(typed)
    return np.array(KERNELS.get(name, KERNELS["identity"]), dtype=np.float32)


def conv_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Output length along one axis: ``⌈n/s⌉`` with ``"same"``, ``⌊(n−k)/s⌋+1`` with ``"valid"``."""
    if padding == "same":
        return math.ceil(size / stride)
    return max(0, (size - kernel_size) // stride + 1)


def _same_padding(size: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """Zeros added before and after (TensorFlow's rule: the extra one goes after)."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def convolve2d(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str = "valid"
) -> np.ndarray:
    """Slide a kernel over a grey image: the output pixel is the sum of the products.

    Deep learning's "convolution" does not flip the kernel (strictly it is a
    cross-correlation), exactly like ``keras.ops.conv``.

    Args:
        image: ``(height, width)`` floats.
        kernel: ``(k, k)`` weights.
        stride: step between two positions of the kernel, in pixels.
        padding: ``"valid"`` (only where the kernel fits) or ``"same"`` (zeros around
            the border so that, with stride 1, the output has the input's size).

    Returns:
        The feature map, ``(conv_output_size(height), conv_output_size(width))``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    k_rows, k_cols = kernel.shape
    if padding == "same":
        image = np.pad(
            image,
            (
                _same_padding(image.shape[0], k_rows, stride),
                _same_padding(image.shape[1], k_cols, stride),
            ),
        )
    out_rows = (image.shape[0] - k_rows) // stride + 1
    out_cols = (image.shape[1] - k_cols) // stride + 1
    if out_rows < 1 or out_cols < 1:
        raise ValueError("the kernel is larger than the image: use 'same' padding")
    output = np.zeros((out_rows, out_cols))
    for i in range(k_rows):  # k² shifted copies of the image, weighted and summed
        for j in range(k_cols):
            output += (
                kernel[i, j]
                * image[
                    i : i + stride * (out_rows - 1) + 1 : stride,
                    j : j + stride * (out_cols - 1) + 1 : stride,
                ]
            )
    return output


def pool2d(feature_map: np.ndarray, pool_size: int = 2, kind: str = "max") -> np.ndarray:
    """Max or average over non-overlapping ``pool_size``² windows (a ragged edge is dropped)."""
    rows, cols = (feature_map.shape[0] // pool_size, feature_map.shape[1] // pool_size)
    if rows < 1 or cols < 1:
        raise ValueError("the feature map is smaller than the pooling window")
    windows = feature_map[: rows * pool_size, : cols * pool_size].reshape(
        rows, pool_size, cols, pool_size
    )
    return windows.max(axis=(1, 3)) if kind == "max" else windows.mean(axis=(1, 3))


def grey(image: np.ndarray) -> np.ndarray:
    """``(h, w, c)`` uint8 → ``(h, w)`` floats in [0, 1] (luminance for colour)."""
    image = np.asarray(image, dtype=np.float64) / 255.0
    if image.ndim == 3 and image.shape[-1] == 3:
        return image @ np.array([0.299, 0.587, 0.114])
    return image.reshape(image.shape[0], image.shape[1])


def pixel_chart(values: np.ndarray, *, title: str, scheme: str = "greys", size: int = 260):
    """An image as an Altair grid of cells with a tooltip of each value (row 0 on top)."""
    import altair as alt
    import pandas as pd

    rows, cols = values.shape
    frame = pd.DataFrame(
        {
            "row": np.repeat(np.arange(rows), cols),
            "column": np.tile(np.arange(cols), rows),
            "value": values.reshape(-1).astype(float),
        }
    )
    centred = scheme in ("redblue", "blueorange")
    limit = float(np.abs(values).max()) or 1.0
    scale = (
        alt.Scale(scheme=scheme, domain=[-limit, limit], reverse=scheme == "redblue")
        if centred
        else alt.Scale(scheme=scheme, reverse=scheme == "greys")
    )
    axis = alt.Axis(labels=False, ticks=False, title=None)
    return (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("column:O", axis=axis),
            y=alt.Y("row:O", axis=axis),
            color=alt.Color("value:Q", scale=scale, legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["row:O", "column:O", alt.Tooltip("value:Q", format=".3g")],
        )
        .properties(width=size, height=size)
    )


def convolution_demo(
    image: np.ndarray, kernel: np.ndarray, stride: int, padding: str, pooling: str
):
    """The explainer: input, kernel, feature map (and pooled map) side by side.

    Args:
        image: ``(h, w)`` grey values in [0, 1].
        pooling: ``"max"``, ``"average"`` or ``"none"``.

    Returns:
        ``(chart, shapes)``: an Altair chart and a sentence with the shapes it produced.
    """
    import altair as alt

    feature_map = convolve2d(image, kernel, stride=stride, padding=padding)
    rows, cols = feature_map.shape
    k = kernel.shape[0]
    charts = [
        pixel_chart(image, title=f"Input {image.shape[0]}×{image.shape[1]}", size=210),
        pixel_chart(kernel, title=f"Kernel {k}×{k}", scheme="redblue", size=110),
        pixel_chart(feature_map, title=f"Feature map {rows}×{cols}", scheme="redblue", size=210),
    ]
    shapes = (
        f"{image.shape[0]}×{image.shape[1]} input, {k}×{k} kernel, stride {stride}, "
        f"'{padding}' padding → {rows}×{cols} feature map"
    )
    if pooling != "none" and min(rows, cols) >= 2:
        pooled = pool2d(feature_map, 2, pooling)
        title = f"{pooling.capitalize()} pooled {pooled.shape[0]}×{pooled.shape[1]}"
        charts.append(pixel_chart(pooled, title=title, scheme="redblue", size=140))
        shapes += f" → 2×2 {pooling} pooling → {pooled.shape[0]}×{pooled.shape[1]}"
    return alt.hconcat(*charts, spacing=30).resolve_scale(color="independent"), shapes + "."


INTRODUCTION = (
    "*Is there a cat in this picture?* You will see how a convolution turns an image into "
    "feature maps, build a convolutional network layer by layer, train it live, and find out "
    "what it learnt, where it fails, and what it makes of a digit you draw yourself."
)
CONVOLUTION_TEXT = (
    "A convolution slides a small grid of weights, the **kernel**, over the image. At each "
    "position it multiplies the pixels under the kernel by the weights and adds them up: "
    "one number of the output, the **feature map**. It is large where the image looks like "
    "the kernel. A stride of 2 halves the size, 'valid' padding loses a border, 2×2 "
    "pooling halves the size again, keeping the strongest (max) or the mean response."
)
CONVOLUTION_FORMULA = (
    r"\text{out}[i,j] = \sum_{u=0}^{k-1}\sum_{v=0}^{k-1} w[u,v]\;x[s\,i+u,\;s\,j+v]"
)


def describe_dataset(dataset: ImageDataset) -> str:
    """One sentence for the page: how many images, their size and colours, the classes."""
    h, w, c = dataset.image_shape
    return (
        f"{dataset.source} {len(dataset.y_train):,} training and {len(dataset.y_test):,} test "
        f"images of {h}×{w} pixels, {'grey' if c == 1 else 'colour'}, "
        f"{dataset.num_classes} classes."
    )


def feature_map_caption(name: str, activations: np.ndarray, max_maps: int = 32) -> str:
    """E.g. ``"conv_1: 8×8 pixels, first 32 of 64 maps"`` for ``(h, w, maps)`` activations."""
    h, w, maps = activations.shape
    return f"{name}: {h}×{w} pixels, first {min(max_maps, maps)} of {maps} maps"


def class_gallery(dataset: ImageDataset, per_class: int = 6, max_classes: int = 12, size: int = 90):
    """``[(class name, image)]``: a 3×2 grid of training examples per class, enlarged."""
    gallery = []
    for label, name in list(enumerate(dataset.class_names))[:max_classes]:
        samples = dataset.x_train[dataset.y_train == label][:per_class]
        gallery.append((name, upscale(tile(samples, columns=2, gap=1), size)))
    return gallery


# == 2. Architecture ====================================================================
DATASET_CHOICES = ("digits", "mnist", "fashion_mnist", "cifar10", "zip")
DATASET_LABELS = {
    "digits": "Digits (8×8, offline)",
    "mnist": "MNIST (28×28 digits)",
    "fashion_mnist": "Fashion-MNIST (28×28 clothes)",
    "cifar10": "CIFAR-10 (32×32 colour photos)",
    "zip": "Your own images (ZIP)",
}


@dataclass(frozen=True)
class CNNSettings:
    """The knobs of the image classifier: the data, the network, the training."""

    dataset: str = setting(
        "digits",
        choices=DATASET_CHOICES,
        help="which images to learn from; digits ships with scikit-learn (offline)",
    )
    conv_blocks: int = setting(
        2, minimum=1, maximum=4, help="convolution blocks (convolution + pooling)"
    )
    filters: int = setting(
        32, minimum=4, maximum=128, help="filters in the first block; each next block doubles"
    )
    kernel_size: int = setting(3, choices=(1, 3, 5, 7), help="side of each filter, in pixels")
    stride: int = setting(1, choices=(1, 2), help="pixels the filter moves between positions")
    padding: str = setting(
        "same", choices=("same", "valid"), help="'same' pads with zeros to keep the size"
    )
    activation: str = setting(
        "relu", choices=("relu", "elu", "tanh", "sigmoid"), help="non-linearity after each layer"
    )
    pooling: str = setting(
        "max", choices=("max", "average", "none"), help="2×2 pooling after each convolution"
    )
    dense_units: int = setting(
        64, minimum=0, maximum=512, help="neurons in the dense layer before the output (0: none)"
    )
    dropout: float = setting(
        0.25, minimum=0.0, maximum=0.8, help="fraction of features dropped while training"
    )
    learning_rate: float = setting(0.003, minimum=1e-5, maximum=1.0, help="Adam's step size")
    epochs: int = setting(15, minimum=1, maximum=100, help="passes over the training images")
    batch_size: int = setting(32, minimum=8, maximum=1024, help="images per gradient step")
    augmentation: bool = setting(
        False, help="random shifts, small rotations (and flips for photos) while training"
    )
    seed: int = setting(0, minimum=0, maximum=10_000, help="initial weights and shuffling")


#: What the page calls each setting, and how it lays them out (four columns).
LABELS = {
    "conv_blocks": "Convolution blocks",
    "filters": "Filters in block 1",
    "kernel_size": "Kernel size",
    "stride": "Stride",
    "padding": "Padding",
    "pooling": "Pooling",
    "activation": "Activation",
    "dense_units": "Dense units",
    "dropout": "Dropout",
    "learning_rate": "Learning rate",
    "epochs": "Epochs",
    "batch_size": "Batch size",
    "augmentation": "Data augmentation",
}
SETTINGS_COLUMNS = (
    ("conv_blocks", "filters", "kernel_size"),
    ("stride", "padding", "pooling"),
    ("activation", "dense_units", "dropout"),
    ("learning_rate", "epochs", "batch_size", "augmentation"),
)
#: The values a slider offers where a free range would be awkward (powers of two, decades).
SLIDER_STEPS = {
    "filters": (4, 8, 16, 32, 64, 128),
    "dense_units": (0, 16, 32, 64, 128, 256, 512),
    "learning_rate": (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0),
    "batch_size": (8, 16, 32, 64, 128, 256, 512, 1024),
}


def widget_kind(field: str) -> tuple[str, dict[str, Any]]:
    """Which Streamlit widget shows one setting, and what it needs beyond the dataclass.

    A switch for a yes/no setting, buttons in a row for a few named choices, a slider over
    fixed steps for numbered choices and :data:`SLIDER_STEPS`, a plain slider for the rest.

    Returns:
        ``(widget, extra)``: the name of the widget function (``"toggle"``, ``"radio"``,
        ``"select_slider"`` or ``"slider"``) and keyword arguments for it.
    """
    default = CNNSettings.__dataclass_fields__[field].default
    choices = settings_bounds(CNNSettings, field).choices
    if isinstance(default, bool):
        return "toggle", {}
    if choices and isinstance(default, str):
        return "radio", {"horizontal": True}
    if choices:
        return "select_slider", {}
    if field in SLIDER_STEPS:
        return "select_slider", {"options": SLIDER_STEPS[field]}
    return "slider", {"step": 0.05 if isinstance(default, float) else 1}


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

    from course_lib.device import seed_sequence

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


# == 3. Training ========================================================================
#: Fraction of the training images held out to draw the validation curve.
VALIDATION_FRACTION = 0.15
PHOTO_DATASETS = ("fashion_mnist", "cifar10", "zip")


def validation_split(dataset: ImageDataset, seed: int = 0):
    """``(x_train, y_train), (x_val, y_val)``: a stratified part of the training set."""
    train, val = stratified_split(dataset.y_train, VALIDATION_FRACTION, seed)
    return (dataset.x_train[train], dataset.y_train[train]), (
        dataset.x_train[val],
        dataset.y_train[val],
    )


def make_trainer(
    settings: CNNSettings,
    dataset: ImageDataset,
    *,
    batch_size: int | None = None,
    dtype_policy: str = "float32",
    on_epoch_end=(),
):
    """A live trainer (``course_lib.training.KerasTrainer``) of the CNN on ``dataset``.

    ``batch_size`` overrides ``settings.batch_size`` (a GPU takes bigger batches).
    Big data sets get epochs of at most 200 steps, so the curves move often.
    """
    from course_lib.training import KerasTrainer

    (x_train, y_train), validation = validation_split(dataset, settings.seed)
    batch_size = batch_size or settings.batch_size
    steps = math.ceil(len(x_train) / batch_size)

    def build():
        return build_cnn(
            settings,
            dataset.image_shape,
            dataset.num_classes,
            dtype_policy=dtype_policy,
            flip=settings.dataset in PHOTO_DATASETS and settings.dataset != "fashion_mnist",
        )

    return KerasTrainer(
        build,
        x_train,
        y_train,
        epochs=settings.epochs,
        batch_size=batch_size,
        validation_data=validation,
        seed=settings.seed,
        steps_per_epoch=min(steps, 200),
        on_epoch_end=on_epoch_end,
    )


# == 4. What it learnt and where it fails ===============================================
def predict_proba(model, images: np.ndarray, batch_size: int = 512) -> np.ndarray:
    """Class probabilities ``(n, classes)`` for ``uint8`` images ``(n, h, w, c)``.

    Calls the model directly in batches (``model.predict`` adds tens of milliseconds of
    set-up, too slow for one drawn digit).
    """
    outputs = [
        np.asarray(model(images[i : i + batch_size], training=False), dtype=np.float32)
        for i in range(0, len(images), batch_size)
    ]
    return np.concatenate(outputs) if outputs else np.zeros((0, model.output_shape[-1]))


@dataclass(frozen=True)
class Evaluation:
    """A model on the test set: predictions, accuracy and the confusion matrix.

    ``confusion[i, j]`` counts test images of true class ``i`` predicted as ``j``.
    """

    probabilities: np.ndarray
    predicted: np.ndarray
    accuracy: float
    confusion: np.ndarray


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """``(classes, classes)`` counts: row = true class, column = predicted class."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def evaluate(model, dataset: ImageDataset) -> Evaluation:
    """Predict every test image and summarise."""
    probabilities = predict_proba(model, dataset.x_test)
    predicted = probabilities.argmax(axis=1)
    accuracy = float((predicted == dataset.y_test).mean())
    return Evaluation(
        probabilities,
        predicted,
        accuracy,
        confusion_matrix(dataset.y_test, predicted, dataset.num_classes),
    )


def most_confused_pair(confusion: np.ndarray) -> tuple[int, int] | None:
    """``(true, predicted)`` of the largest off-diagonal cell, or ``None`` if all correct."""
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    if off.max() == 0:
        return None
    true, predicted = np.unravel_index(off.argmax(), off.shape)
    return int(true), int(predicted)


def confusion_chart(confusion: np.ndarray, class_names: tuple[str, ...], size: int = 460):
    """The confusion matrix as a clickable heat map.

    A click on a mistake cell (or its number) selects that (true, predicted) pair: the
    selection parameters are named ``cell`` and ``cell_label``.
    """
    import altair as alt
    import pandas as pd

    n = len(class_names)
    frame = pd.DataFrame(
        {
            "true": np.repeat(class_names, n),
            "predicted": np.tile(class_names, n),
            "count": confusion.reshape(-1),
            "correct": np.eye(n, dtype=bool).reshape(-1),
        }
    )
    cell = alt.selection_point(fields=["true", "predicted"], name="cell")
    order = list(class_names)
    base = alt.Chart(frame).encode(
        x=alt.X("predicted:N", sort=order, title="predicted class", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("true:N", sort=order, title="true class"),
        tooltip=["true:N", "predicted:N", "count:Q"],
    )
    # white: never confused; green: right answers; orange, darker with more mistakes
    cells = base.mark_rect(stroke="#bbbbbb", color="white")
    right = base.mark_rect(color="#b6d7a8").transform_filter("datum.correct && datum.count > 0")
    wrong = (
        base.mark_rect()
        .transform_filter("!datum.correct && datum.count > 0")
        .encode(
            color=alt.Color(
                "count:Q",
                scale=alt.Scale(scheme="oranges", domainMin=0),
                title="mistakes",
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            opacity=alt.condition(cell, alt.value(1.0), alt.value(0.6)),
        )
        .add_params(cell)
    )
    text = base.mark_text(fontSize=15 if n <= 10 else 10).transform_filter("datum.count > 0")
    label = alt.selection_point(fields=["true", "predicted"], name="cell_label")
    text = text.encode(text="count:Q").add_params(label)  # a click on the number counts too
    return alt.layer(cells, right, wrong, text, title="Confusion matrix (click a cell)").properties(
        width=size, height=size
    )


def selected_pair(selection: dict, class_names: tuple[str, ...]) -> tuple[int, int] | None:
    """The ``(true, predicted)`` class indices a click on :func:`confusion_chart` chose."""
    for name in ("cell", "cell_label"):
        for point in selection.get(name) or []:
            if point.get("true") in class_names and point.get("predicted") in class_names:
                return class_names.index(point["true"]), class_names.index(point["predicted"])
    return None


def misclassified(
    y_true: np.ndarray, predicted: np.ndarray, true_class: int, predicted_class: int
) -> np.ndarray:
    """Indices of test images of ``true_class`` that the model called ``predicted_class``."""
    return np.flatnonzero((y_true == true_class) & (predicted == predicted_class))


def upscale(image: np.ndarray, size: int = 96) -> np.ndarray:
    """Nearest-neighbour enlargement, so 8×8 pixels stay crisp squares on a projector."""
    factor = max(1, size // max(image.shape[0], image.shape[1]))
    image = np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)
    return image[..., 0] if image.ndim == 3 and image.shape[-1] == 1 else image


def tile(images: np.ndarray, columns: int = 8, gap: int = 1) -> np.ndarray:
    """``(n, h, w[, c])`` uint8 images → one grid image with a white gap between them."""
    n, h, w = images.shape[:3]
    rows = math.ceil(n / columns)
    shape = (rows * (h + gap) - gap, columns * (w + gap) - gap, *images.shape[3:])
    grid = np.full(shape, 255, dtype=np.uint8)
    for index, image in enumerate(images):
        r, c = divmod(index, columns)
        grid[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = image
    return grid


def normalise(maps: np.ndarray, axis: tuple[int, ...]) -> np.ndarray:
    """Stretch each map to 0–255 (over ``axis``) so weak and strong maps are both visible."""
    low = maps.min(axis=axis, keepdims=True)
    high = maps.max(axis=axis, keepdims=True)
    return np.round(255 * (maps - low) / np.maximum(high - low, 1e-12)).astype(np.uint8)


def conv_layers(model) -> list:
    """The model's Conv2D layers, in order."""
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]


def first_layer_filters(model) -> np.ndarray:
    """The first conv layer's kernels as images ``(filters, k, k[, 3])`` uint8, each stretched."""
    kernel = np.asarray(conv_layers(model)[0].kernel, dtype=np.float32)  # (k, k, c, f)
    filters = np.moveaxis(kernel, -1, 0)
    if filters.shape[-1] == 3:
        return normalise(filters, axis=(1, 2, 3))
    return normalise(filters.mean(axis=-1), axis=(1, 2))


def feature_maps(model, image: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """What every conv layer outputs for one ``uint8`` image ``(h, w, c)``.

    Returns:
        ``[(layer name, maps (height, width, filters) float32), ...]`` in depth order.
    """
    import keras

    layers = conv_layers(model)
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in layers])
    outputs = probe(image[None], training=False)
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return [
        (layer.name, np.asarray(out[0], dtype=np.float32))
        for layer, out in zip(layers, outputs, strict=True)
    ]


def feature_map_grid(maps: np.ndarray, max_maps: int = 32, columns: int = 8, size: int = 64):
    """``(h, w, filters)`` activations → one tiled uint8 image of the first ``max_maps``."""
    maps = np.moveaxis(maps[..., :max_maps], -1, 0)
    images = normalise(maps, axis=(1, 2))
    factor = max(1, size // max(maps.shape[1], maps.shape[2]))
    images = np.repeat(np.repeat(images, factor, axis=1), factor, axis=2)
    return tile(images, columns=min(columns, len(images)), gap=2)


# == 5. Try it yourself =================================================================
#: For digit data sets, how much of the image the digit's longer side fills:
#: scikit-learn's digits fill their 8×8 box, MNIST's sit in a 20×20 box inside 28×28.
DIGIT_FILL = {"digits": 1.0, "mnist": 20 / 28}


def _frame_ink(ink: np.ndarray, size: int, fill: float) -> np.ndarray:
    """Crop an ink image (bright strokes, dark ground) to its strokes and centre them.

    Like the digit data sets were made: the bounding box of the ink is scaled so its
    longer side fills ``fill`` of the ``size``×``size`` image, then centred.
    """
    from PIL import Image

    rows = np.flatnonzero(ink.max(axis=1) > 0.2 * ink.max())
    cols = np.flatnonzero(ink.max(axis=0) > 0.2 * ink.max())
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    inner = max(1, round(size * fill))
    scale = inner / max(crop.shape)
    new_h, new_w = max(1, round(crop.shape[0] * scale)), max(1, round(crop.shape[1] * scale))
    # supersample before the box filter: thin strokes become grey instead of vanishing
    small = Image.fromarray(crop.astype(np.uint8)).resize((new_w, new_h), Image.Resampling.BOX)
    canvas = np.zeros((size, size), dtype=np.float32)
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = np.asarray(small, dtype=np.float32)
    return canvas


def preprocess_drawing(
    rgba: np.ndarray, image_shape: tuple[int, int, int], dataset: str = "digits"
) -> np.ndarray | None:
    """A canvas drawing → one image shaped and scaled like the training data.

    Args:
        rgba: the canvas pixels ``(H, W, 4)`` uint8, light strokes on a dark (or
            transparent) background.
        image_shape: the training images' ``(height, width, channels)``.
        dataset: the data set's key: digits are framed like the data set frames them.

    Returns:
        ``uint8 (height, width, channels)`` with values 0–255 (ink bright), or ``None``
        if the canvas is empty.
    """
    rgba = np.asarray(rgba)
    colour = rgba[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    alpha = rgba[..., 3].astype(np.float32) / np.float32(255) if rgba.shape[-1] == 4 else 1.0
    ink = colour * alpha
    if ink.max() < 10:
        return None
    return _ink_to_image(ink, image_shape, dataset)


def _ink_to_image(ink: np.ndarray, image_shape: tuple[int, int, int], dataset: str) -> np.ndarray:
    height, _, channels = image_shape
    if dataset in DIGIT_FILL:
        image = _frame_ink(ink, height, DIGIT_FILL[dataset])
    else:
        from PIL import Image

        pil = Image.fromarray(np.clip(ink, 0, 255).astype(np.uint8))
        image = np.asarray(resize_square(pil, height), dtype=np.float32)
    image = np.clip(image * (255.0 / max(image.max(), 1e-9)), 0, 255)  # strongest stroke = 255
    image = np.round(image).astype(np.uint8)[..., None]
    return np.repeat(image, channels, axis=-1) if channels == 3 else image


def preprocess_photo(pil_image, image_shape: tuple[int, int, int], dataset: str) -> np.ndarray:
    """An uploaded photo (already safely decoded) → one ``uint8 (h, w, c)`` image like the data.

    Grey data sets (digits, MNIST, Fashion-MNIST) show a bright object on a black
    ground: a photo with a light background (paper) is inverted first.
    """
    height, _, channels = image_shape
    if channels == 3:
        return np.asarray(resize_square(to_8bit(pil_image), height), dtype=np.uint8)
    grey_image = np.asarray(to_8bit(pil_image, grayscale=True), dtype=np.float32)
    if grey_image.mean() > 127:  # dark ink on light paper → light ink on dark, like the data
        grey_image = 255.0 - grey_image
    if dataset in DIGIT_FILL:
        # paper is never perfectly white: drop the faint background before framing the ink
        grey_image = np.where(grey_image > grey_image.max() * 0.35, grey_image, 0.0)
        if grey_image.max() < 10:
            return np.zeros(image_shape, dtype=np.uint8)
    return _ink_to_image(grey_image, image_shape, dataset)


def training_example(dataset: ImageDataset, label: int) -> np.ndarray:
    """The first training image of class ``label``: what the network was shown as one."""
    return dataset.x_train[dataset.y_train == label][0]


def top_k(probabilities: np.ndarray, class_names: tuple[str, ...], k: int = 5):
    """The ``k`` most probable classes as a DataFrame ``class``, ``probability``."""
    import pandas as pd

    order = np.argsort(probabilities)[::-1][:k]
    return pd.DataFrame(
        {
            "class": [class_names[i] for i in order],
            "probability": probabilities[order].astype(float),
        }
    )


# == Pretrained digits model ============================================================
#: How the shipped model is made: the default network, trained on the digits.
PRETRAINED_SETTINGS = CNNSettings()


def load_pretrained_digits():
    """The model in ``assets/digits_cnn.keras`` and its description, or ``(None, {})``."""
    import keras

    if not PRETRAINED_MODEL.is_file():
        return None, {}
    model = keras.saving.load_model(PRETRAINED_MODEL, compile=False, safe_mode=True)
    info = json.loads(PRETRAINED_INFO.read_text()) if PRETRAINED_INFO.is_file() else {}
    return model, info


def describe_pretrained(info: dict[str, Any]) -> str:
    """One sentence on how the shipped model was made, from its JSON description."""
    return (
        f"the pretrained digits network (the default architecture, {info.get('epochs')} "
        f"epochs, made by `{info.get('made_by')}`; test accuracy "
        f"{info.get('test_accuracy', 0):.1%})"
    )


def pretrain_digits(settings: CNNSettings = PRETRAINED_SETTINGS) -> dict[str, Any]:
    """Train the default CNN on the digits set and save it (weights only, no optimizer)."""
    import keras

    from course_lib.datasets import load_digits

    dataset = load_digits()
    trainer = make_trainer(settings, dataset)
    started = time.perf_counter()
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=30)
    seconds = time.perf_counter() - started
    result = evaluate(trainer.model, dataset)
    # a fresh uncompiled copy: no optimizer state, the smallest file
    inference = build_cnn(
        settings,
        dataset.image_shape,
        dataset.num_classes,
        compile_model=False,
    )
    inference.set_weights(trainer.model.get_weights())
    ASSETS.mkdir(exist_ok=True)
    inference.save(PRETRAINED_MODEL)
    info = {
        "test_accuracy": round(result.accuracy, 4),
        "test_images": int(len(dataset.y_test)),
        "epochs": trainer.epochs_done,
        "training_seconds": round(seconds, 1),
        "settings": asdict(settings),
        "made_by": "python -m course_lib.vision",
        "keras_version": keras.__version__,
    }
    PRETRAINED_INFO.write_text(json.dumps(info, indent=2) + "\n")
    return info


# == 6. Is there a cat in this picture? ==================================================
class WeightsUnavailable(RuntimeError):
    """Pretrained ImageNet weights could not be downloaded; the message says so."""


def load_imagenet_classifier():
    """MobileNetV2 with ImageNet weights (14 MB, downloaded once by Keras).

    Raises:
        WeightsUnavailable: offline, with a plain message.
    """
    import keras

    try:
        model = keras.applications.MobileNetV2(weights="imagenet")
        # the label names are a second download: fetch them now, not mid-prediction
        keras.applications.mobilenet_v2.decode_predictions(np.zeros((1, 1000)), top=1)
    except Exception as error:  # no network, proxy, truncated download
        raise WeightsUnavailable(
            "The ImageNet weights of MobileNetV2 could not be downloaded here "
            f"({type(error).__name__}): this server has no internet access. Everything "
            "else on this page works offline; on a machine with internet, Keras downloads "
            "the 14 MB of weights once."
        ) from error
    return model


def classify_imagenet(model, pil_image, k: int = 5):
    """Top-``k`` ImageNet labels for a photo, as a DataFrame ``class``, ``probability``."""
    import keras
    import pandas as pd

    pixels = np.asarray(resize_square(to_8bit(pil_image), 224), dtype=np.float32)
    inputs = keras.applications.mobilenet_v2.preprocess_input(pixels[None])
    probabilities = np.asarray(model(inputs, training=False))
    decoded = keras.applications.mobilenet_v2.decode_predictions(probabilities, top=k)[0]
    return pd.DataFrame(
        {
            "class": [name.replace("_", " ") for _, name, _ in decoded],
            "probability": [float(p) for _, _, p in decoded],
        }
    )


# == Classroom: walkthrough, quiz, notebook ============================================
#: The fields a walkthrough step sets (data set, architecture, training): every step sets
#: all of them, so Back and Next always land on the same experiment, whatever the student
#: moved in between. The seed is left alone.
WALKTHROUGH_FIELDS = (
    "dataset",
    "conv_blocks",
    "filters",
    "kernel_size",
    "stride",
    "padding",
    "activation",
    "pooling",
    "dense_units",
    "dropout",
    "learning_rate",
    "epochs",
    "batch_size",
    "augmentation",
)


def _preset(**changes: Any) -> dict[str, Any]:
    """A complete walkthrough preset: the defaults of :data:`WALKTHROUGH_FIELDS`, then ``changes``."""
    defaults = CNNSettings()
    return {name: getattr(defaults, name) for name in WALKTHROUGH_FIELDS} | changes


WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "What a trained network gets wrong",
        "Before any training the page shows the pretrained digits network. Look at the "
        "confusion matrix: the few mistakes sit off the diagonal. Click one and look at the "
        "images: would you have read them correctly?",
        _preset(),
    ),
    Step(
        "A tiny network",
        "One block of four 3×3 filters and no dense layer: a few hundred parameters. Train "
        "it and compare its test accuracy and its confusion matrix with the pretrained one.",
        _preset(conv_blocks=1, filters=4, dense_units=0, dropout=0.0),
    ),
    Step(
        "Deeper and wider",
        "Two blocks, 32 then 64 filters, a dense layer of 64: the default network. It "
        "passes 97 % test accuracy in a few seconds. The table shows where its 36,000 "
        "parameters are: the 32 filters of the first block need only 320 of them, because "
        "each small filter is reused at every position of the image.",
        _preset(),
    ),
    Step(
        "Why pooling?",
        "Without pooling the feature maps keep their full size, so the flattened vector "
        "and the dense layer after it grow: on the digits the network gets eight times as "
        "many parameters (compare the table). "
        "Pooling also makes the network care less about exactly where a stroke is.",
        _preset(pooling="none"),
    ),
    Step(
        "Too large a learning rate",
        "With a learning rate of 0.1 the updates overshoot: the loss hardly falls, the "
        "curves jump around, and the accuracy stalls far below the 97 % of step 3. Go back "
        "to 0.003 and it learns again.",
        _preset(learning_rate=0.1),
    ),
    Step(
        "Overfitting, and dropout against it",
        "A dense layer of 512 and no dropout, trained for 40 epochs: the training loss "
        "falls to almost zero and the training accuracy reaches 100 %, while the validation "
        "accuracy stops improving a little lower: it learns the training images by heart. "
        "Then set dropout to 0.5, train again and compare the gap between the curves.",
        _preset(dense_units=512, dropout=0.0, epochs=40),
    ),
)

QUIZ: tuple[Question, ...] = (
    Question(
        "An 8×8 image is convolved with a 3×3 kernel, stride 1, 'valid' padding. How "
        "large is the feature map?",
        ("8×8", "6×6", "4×4", "3×3"),
        1,
        "'valid' keeps only positions where the whole kernel fits: 8 − 3 + 1 = 6 per side. "
        "'same' padding would add a border of zeros and keep 8×8.",
    ),
    Question(
        "How many parameters has a Conv2D layer with 32 filters of 3×3 on a grey image?",
        ("9", "32", "288", "320"),
        3,
        "Each filter has 3·3·1 weights and one bias: 32 × (9 + 1) = 320, whatever the "
        "size of the image. The same small filter is reused at every position.",
    ),
    Question(
        "In the confusion matrix, what does the cell in row 4, column 9 count?",
        (
            "Test images of a 9 that the network called 4",
            "Test images of a 4 that the network called 9",
            "Training images of a 4",
            "How sure the network is that a 4 is a 9",
        ),
        1,
        "Rows are the true classes, columns the predicted ones. Clicking the cell shows "
        "exactly those images.",
    ),
    Question(
        "Why is a drawn digit cropped, centred and shrunk before the network sees it?",
        (
            "To make the computation faster",
            "Because the network only knows digits framed the way its training data was",
            "Because convolutions need square images",
            "To remove the colour",
        ),
        1,
        "A network learns from its training data, nothing else. The digits were centred and "
        "filled their box; a small digit in a corner of the canvas looks like nothing it "
        "has seen.",
    ),
)


def _notebook_data_cell(settings: CNNSettings) -> Cell:
    if settings.dataset in ("mnist", "fashion_mnist", "cifar10"):
        return code(
            f"""
(x_train, y_train), (x_test, y_test) = keras.datasets.{settings.dataset}.load_data()
if x_train.ndim == 3:  # grey images: add the channel axis
    x_train, x_test = x_train[..., None], x_test[..., None]
y_train, y_test = y_train.reshape(-1), y_test.reshape(-1)
print(x_train.shape, x_test.shape)
"""
        )
    return code(
        f"""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()  # 1,797 images of 8×8 pixels, grey levels 0–16
images = np.round(digits.images * 255 / 16).astype("uint8")[..., None]
x_train, x_test, y_train, y_test = train_test_split(
    images, digits.target, test_size=0.2, stratify=digits.target, random_state={settings.seed}
)
print(x_train.shape, x_test.shape)
"""
    )


def notebook_cells(settings: CNNSettings) -> list[Cell]:
    """A plain-Keras notebook that reproduces the page's experiment for ``settings``.

    Your own ZIP of images cannot travel into a notebook: it uses the digits instead.
    """
    layers = []
    if settings.augmentation:
        layers.append("    layers.RandomTranslation(0.1, 0.1, fill_mode='constant'),")
        layers.append("    layers.RandomRotation(0.04, fill_mode='constant'),")
    for block in range(settings.conv_blocks):
        layers.append(
            f"    layers.Conv2D({block_filters(settings, block)}, {settings.kernel_size}, "
            f"strides={settings.stride}, padding='{settings.padding}', "
            f"activation='{settings.activation}'),"
        )
        if settings.pooling != "none":
            kind = "MaxPooling2D" if settings.pooling == "max" else "AveragePooling2D"
            layers.append(f"    layers.{kind}(2),")
    layers.append("    layers.Flatten(),")
    if settings.dense_units:
        layers.append(
            f"    layers.Dense({settings.dense_units}, activation='{settings.activation}'),"
        )
    if settings.dropout:
        layers.append(f"    layers.Dropout({settings.dropout}),")
    layers.append("    layers.Dense(num_classes, activation='softmax'),")
    layer_code = "\n".join(layers)
    note = (
        "Your own images stay on the course page; this notebook uses the digits instead.\n\n"
        if settings.dataset == "zip"
        else ""
    )
    return [
        markdown(
            f"""
{note}A convolutional network classifies images: the same experiment as the course page,
in plain Keras. *Prepare the data*, *build the model*, *train*, *evaluate*.
"""
        ),
        code(
            f"""
import altair as alt
import keras
import numpy as np
import pandas as pd
from keras import layers

keras.utils.set_random_seed({settings.seed})  # fine in a notebook: one experiment per process
"""
        ),
        markdown("## Prepare the data\nImages stay `uint8`; the model rescales them to [0, 1]."),
        _notebook_data_cell(settings),
        markdown("## Build the model"),
        code(
            f"""
num_classes = int(y_train.max()) + 1
model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    layers.Rescaling(1 / 255),
{layer_code}
])
model.compile(
    optimizer=keras.optimizers.Adam({settings.learning_rate}),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.summary()
"""
        ),
        markdown("## Train"),
        code(
            f"""
history = model.fit(
    x_train, y_train, validation_split={VALIDATION_FRACTION}, epochs={settings.epochs},
    batch_size={settings.batch_size}, verbose=2,
)
curves = pd.DataFrame(history.history).reset_index(names="epoch")
curves["epoch"] += 1
alt.Chart(curves.melt("epoch", ["accuracy", "val_accuracy"])).mark_line(point=True).encode(
    x="epoch:Q", y=alt.Y("value:Q", title="accuracy"), color="variable:N"
)
"""
        ),
        markdown("## Evaluate\nRows: the true class; columns: the class the network predicted."),
        code(
            """
probabilities = model.predict(x_test, verbose=0)
predicted = probabilities.argmax(axis=1)
print(f"test accuracy: {np.mean(predicted == y_test):.1%}")
confusion = np.zeros((num_classes, num_classes), dtype=int)
np.add.at(confusion, (y_test, predicted), 1)
pd.DataFrame(confusion)
"""
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(pretrain_digits(), indent=2))
