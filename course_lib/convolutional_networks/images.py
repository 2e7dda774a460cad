"""Try it yourself: a drawing or a photo prepared like the training images, and ImageNet.

A network knows only images framed like its training data: :func:`preprocess_drawing` and
:func:`preprocess_photo` crop, centre, invert and shrink the student's picture the way
the data set was made. :func:`classify_imagenet` asks MobileNetV2, pretrained on the 1.2
million photos of ImageNet, "is there a cat in this picture?".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from course_lib.datasets import resize_square, to_8bit

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


#: The bundled sample photo for the ImageNet classifier (CC0; see ``assets/images/README.md``).
SAMPLE_PHOTO = Path(__file__).resolve().parents[2] / "assets" / "images" / "chelsea.png"
#: What the section calls it.
SAMPLE_PHOTO_NAME = "Chelsea the cat (sample photo)"


def sample_photo():
    """The bundled sample photo as a PIL image (RGB, 451×300)."""
    from PIL import Image

    with Image.open(SAMPLE_PHOTO) as photo:
        return photo.convert("RGB")


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
