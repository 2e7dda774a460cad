"""What the network learnt and where it fails: evaluation, confusion, filters, feature maps.

:func:`evaluate` predicts every test image (:class:`Evaluation`: accuracy and the
confusion matrix); :func:`misclassified` finds the images behind a confusion cell;
:func:`first_layer_filters` and :func:`feature_maps` look inside; :func:`upscale` and
:func:`tile` turn small arrays into pictures a projector shows crisply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_lib.datasets import ImageDataset


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


def feature_map_caption(name: str, activations: np.ndarray, max_maps: int = 32) -> str:
    """E.g. ``"conv_1: 8×8 pixels, first 32 of 64 maps"`` for ``(h, w, maps)`` activations."""
    h, w, maps = activations.shape
    return f"{name}: {h}×{w} pixels, first {min(max_maps, maps)} of {maps} maps"


def describe_dataset(dataset: ImageDataset) -> str:
    """One sentence for the page: how many images, their size and colours, the classes."""
    h, w, c = dataset.image_shape
    return (
        f"{dataset.source} {len(dataset.y_train):,} training and {len(dataset.y_test):,} test "
        f"images of {h}×{w} pixels, {'grey' if c == 1 else 'colour'}, "
        f"{dataset.num_classes} classes."
    )


def class_gallery(dataset: ImageDataset, per_class: int = 6, max_classes: int = 12, size: int = 90):
    """``[(class name, image)]``: a 3×2 grid of training examples per class, enlarged."""
    gallery = []
    for label, name in list(enumerate(dataset.class_names))[:max_classes]:
        samples = dataset.x_train[dataset.y_train == label][:per_class]
        gallery.append((name, upscale(tile(samples, columns=2, gap=1), size)))
    return gallery


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
