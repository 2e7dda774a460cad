"""Try it yourself: drawings and photos prepared like the data; ImageNet offline."""

import numpy as np
import pytest

from course_lib.convolutional_networks import probe
from course_lib.convolutional_networks.images import (
    WeightsUnavailable,
    load_imagenet_classifier,
    preprocess_drawing,
    preprocess_photo,
)


# -- 5. try it yourself ----------------------------------------------------------------
def _canvas_from(image: np.ndarray, size: int = 240) -> np.ndarray:
    """A training image blown up to canvas size, as an RGBA drawing (ink white on black)."""
    factor = size // image.shape[0]
    grey = np.kron(image[..., 0], np.ones((factor, factor))).astype(np.uint8)
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])


def test_drawing_preprocessing_shapes_and_empty_canvas():
    canvas = np.zeros((240, 240, 4), np.uint8)
    assert preprocess_drawing(canvas, (8, 8, 1)) is None
    canvas[40:200, 110:130] = 255  # a vertical stroke: a "1"
    digit = preprocess_drawing(canvas, (8, 8, 1), "digits")
    assert digit.shape == (8, 8, 1) and digit.dtype == np.uint8 and digit.max() == 255
    assert digit[:, 3:5].mean() > digit[:, [0, 7]].mean()  # centred
    mnist = preprocess_drawing(canvas, (28, 28, 1), "mnist")
    rows = np.flatnonzero(mnist[..., 0].max(axis=1))
    assert rows.min() >= 3 and rows.max() <= 24  # inside MNIST's central 20×20 box
    transparent = canvas.copy()
    transparent[..., :3] = 255  # white everywhere, the strokes only in the alpha channel
    transparent[..., 3] = np.where(canvas[..., 0] > 0, 255, 0)
    np.testing.assert_array_equal(preprocess_drawing(transparent, (8, 8, 1)), digit)
    assert preprocess_drawing(canvas, (32, 32, 3), "cifar10").shape == (32, 32, 3)


def test_a_digit_drawn_like_the_data_is_recognised(digits, pretrained_model):
    """Test digits, blown up to canvas size and preprocessed back, keep their label."""
    model, _ = pretrained_model
    images = digits.x_test[:60]
    drawn = np.stack([preprocess_drawing(_canvas_from(x), (8, 8, 1)) for x in images])
    direct = probe.predict_proba(model, images).argmax(axis=1)
    via_canvas = probe.predict_proba(model, drawn).argmax(axis=1)
    assert np.mean(via_canvas == digits.y_test[:60]) >= 0.8
    assert np.mean(via_canvas == direct) >= 0.8


def test_photo_preprocessing_inverts_paper_like_the_data():
    from PIL import Image

    paper = np.full((100, 80), 230, np.uint8)
    paper[20:80, 35:45] = 20  # a dark pen stroke on light paper
    image = preprocess_photo(Image.fromarray(paper), (28, 28, 1), "mnist")
    assert image.shape == (28, 28, 1) and image[..., 0].max() == 255
    assert image[0, 0, 0] == 0  # the paper became the black background
    colour = preprocess_photo(Image.fromarray(paper).convert("RGB"), (32, 32, 3), "cifar10")
    assert colour.shape == (32, 32, 3) and colour[0, 0, 0] > 200  # photos are not inverted


# -- 6. ImageNet -----------------------------------------------------------------------
def test_imagenet_offline_gives_a_plain_message(monkeypatch):
    import keras

    def offline(**kwargs):
        raise OSError("URL fetch failure: no network")

    monkeypatch.setattr(keras.applications, "MobileNetV2", offline)
    with pytest.raises(WeightsUnavailable, match="no internet access"):
        load_imagenet_classifier()


def test_the_sample_photo_ships_and_is_a_photo():
    from course_lib.convolutional_networks import images

    photo = images.sample_photo()
    assert photo.mode == "RGB" and photo.size == (451, 300)
    assert (images.SAMPLE_PHOTO.parent / "README.md").read_text().count("CC0")
