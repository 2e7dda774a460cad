"""The convolution explainer, the architecture table, the CNN and its probes, preprocessing."""

import dataclasses
import json

import numpy as np
import pytest

from app_pages.convolutional_networks_sections import PREFIX
from app_pages.convolutional_networks_sections.build_network import SETTINGS_COLUMNS
from course_lib import datasets, settings
from course_lib.convolutional_networks import vision
from course_lib.convolutional_networks.vision import CNNSettings


@pytest.fixture(scope="module")
def digits():
    return datasets.load_digits()


@pytest.fixture(scope="module")
def pretrained():
    model, info = vision.load_pretrained_digits()
    assert model is not None, (
        "assets/digits_cnn.keras is missing: run python -m course_lib.convolutional_networks.vision"
    )
    return model, info


# -- 1. convolution --------------------------------------------------------------------
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("kernel_size", [3, 5])
def test_convolve2d_matches_keras_conv(stride, padding, kernel_size):
    import keras

    rng = np.random.default_rng(kernel_size + stride)
    image = rng.normal(size=(9, 12))
    kernel = rng.normal(size=(kernel_size, kernel_size))
    ours = vision.convolve2d(image, kernel, stride=stride, padding=padding)
    theirs = keras.ops.conv(
        image[None, :, :, None].astype("float32"),
        kernel[:, :, None, None].astype("float32"),
        strides=stride,
        padding=padding,
    )
    theirs = np.asarray(theirs)[0, :, :, 0]
    assert ours.shape == theirs.shape
    assert ours.shape[0] == vision.conv_output_size(9, kernel_size, stride, padding)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", ["max", "average"])
def test_pool2d_matches_keras_pooling(kind):
    import keras

    feature_map = np.random.default_rng(0).normal(size=(7, 6))
    pool = keras.ops.max_pool if kind == "max" else keras.ops.average_pool
    theirs = np.asarray(pool(feature_map[None, :, :, None].astype("float32"), 2, 2, "valid"))
    np.testing.assert_allclose(vision.pool2d(feature_map, 2, kind), theirs[0, :, :, 0], rtol=1e-5)


def test_parse_kernel_accepts_nine_numbers_and_explains_otherwise():
    kernel = vision.parse_kernel("-1, 0 1\n-2 0 2; -1 0 1")
    np.testing.assert_array_equal(kernel, np.array(vision.KERNELS["vertical edges (Sobel)"]))
    for bad in ("1 2 3", "a b c d e f g h i", "1 2 3 4 5 6 7 8 nan", ""):
        with pytest.raises(ValueError, match="nine"):
            vision.parse_kernel(bad)


def test_convolution_demo_describes_the_shapes():
    image = np.zeros((8, 8))
    _, shapes = vision.convolution_demo(image, np.ones((3, 3)), 2, "valid", "max")
    assert "→ 3×3 feature map → 2×2 max pooling → 1×1" in shapes


# -- 2. architecture -------------------------------------------------------------------
ARCHITECTURES = [
    (CNNSettings(), (8, 8, 1), 10),
    (
        CNNSettings(
            conv_blocks=3, kernel_size=5, stride=2, padding="valid", pooling="none", dense_units=0
        ),
        (32, 32, 3),
        7,
    ),
    (
        CNNSettings(conv_blocks=1, pooling="average", dropout=0.0, augmentation=True),
        (28, 28, 1),
        10,
    ),
    (CNNSettings(conv_blocks=4, filters=8, kernel_size=1, dense_units=16), (32, 32, 3), 2),
]


@pytest.mark.parametrize("config, image_shape, num_classes", ARCHITECTURES)
def test_layer_table_matches_keras(config, image_shape, num_classes):
    model = vision.build_cnn(config, image_shape, num_classes, compile_model=False)
    rows = vision.layer_rows(config, image_shape, num_classes)
    assert rows[0].output_shape == image_shape  # the Input row: Keras keeps no layer for it
    assert [r.layer for r in rows[1:]] == [layer.name for layer in model.layers]
    for row, layer in zip(rows[1:], model.layers, strict=True):
        assert row.output_shape == tuple(layer.output.shape[1:]), row.layer
        assert row.parameters == layer.count_params(), row.layer
    assert sum(r.parameters for r in rows) == model.count_params()
    table = vision.layer_table(config, image_shape, num_classes)
    assert table["parameters"].sum() == model.count_params()


def test_an_image_shrunk_to_nothing_is_explained():
    with pytest.raises(vision.ArchitectureError, match="too small|smaller than"):
        vision.layer_rows(CNNSettings(conv_blocks=4), (8, 8, 1), 10)
    with pytest.raises(vision.ArchitectureError, match="'same' padding"):
        vision.layer_rows(
            CNNSettings(conv_blocks=3, padding="valid", pooling="none", kernel_size=5),
            (8, 8, 1),
            10,
        )


def test_resource_warning_only_for_networks_that_do_not_fit():
    small = vision.estimate_resources(CNNSettings(), (8, 8, 1), 10, 1437)
    assert vision.resource_warning(small) is None and small.fits_in_memory
    huge_config = CNNSettings(
        conv_blocks=1, filters=128, pooling="none", dense_units=512, batch_size=1024
    )
    huge = vision.estimate_resources(huge_config, (32, 32, 3), 10, 20000)
    assert not huge.fits_in_memory
    assert "MB" in vision.resource_warning(huge) and "min per epoch" in vision.resource_warning(
        huge
    )


def test_settings_defaults_are_valid_and_round_trip_through_a_link():
    settings.validate(CNNSettings())
    changed = dataclasses.replace(CNNSettings(), filters=64, padding="valid", augmentation=True)
    params = settings.to_query_params(changed, prefix=PREFIX)
    assert settings.from_query_params(CNNSettings, params, prefix=PREFIX) == (changed, [])


def test_mixed_precision_model_keeps_a_float32_softmax():
    model = vision.build_cnn(CNNSettings(), (8, 8, 1), 10, dtype_policy="mixed_float16")
    assert model.get_layer("conv1").compute_dtype == "float16"
    probabilities = vision.predict_proba(model, np.zeros((2, 8, 8, 1), np.uint8))
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-3)


# -- 3. training -----------------------------------------------------------------------
def test_training_learns_the_digits_and_is_reproducible(digits):
    config = CNNSettings(epochs=3, filters=8, dense_units=32)
    first, second = vision.make_trainer(config, digits), vision.make_trainer(config, digits)
    for trainer in (first, second):
        trainer.start()
        while trainer.is_running:
            trainer.run_chunk(max_seconds=30)
    assert first.epochs_done == 3 and {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(
        first.history[-1]
    )
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    result = vision.evaluate(first.model, digits)
    assert result.accuracy > 0.5  # chance is 0.1


# -- 4. evaluation and probes ----------------------------------------------------------
def test_pretrained_asset_matches_its_description(digits, pretrained):
    model, info = pretrained
    result = vision.evaluate(model, digits)
    assert result.accuracy == pytest.approx(info["test_accuracy"], abs=1e-3)
    assert result.accuracy >= 0.95
    assert info["made_by"] == "python -m course_lib.convolutional_networks.vision"
    assert CNNSettings(**info["settings"]) == vision.PRETRAINED_SETTINGS
    assert vision.PRETRAINED_MODEL.stat().st_size < 1_000_000  # small enough for the repo
    json.loads(vision.PRETRAINED_INFO.read_text())


def test_confusion_matrix_and_misclassified_examples(digits, pretrained):
    model, _ = pretrained
    result = vision.evaluate(model, digits)
    assert result.confusion.sum() == len(digits.y_test)
    assert np.trace(result.confusion) / len(digits.y_test) == pytest.approx(result.accuracy)
    true, predicted = vision.most_confused_pair(result.confusion)
    wrong = vision.misclassified(digits.y_test, result.predicted, true, predicted)
    assert len(wrong) == result.confusion[true, predicted] > 0
    assert np.all(digits.y_test[wrong] == true) and np.all(result.predicted[wrong] == predicted)
    assert vision.most_confused_pair(np.eye(3, dtype=int) * 5) is None


def test_a_click_on_the_confusion_matrix_selects_a_pair():
    names = ("cat", "dog", "fox")
    assert vision.selected_pair({"cell": [{"true": "dog", "predicted": "fox"}]}, names) == (1, 2)
    assert vision.selected_pair(
        {"cell": [], "cell_label": [{"true": "cat", "predicted": "dog"}]}, names
    ) == (0, 1)
    assert vision.selected_pair({"cell": [{"true": "<script>", "predicted": "dog"}]}, names) is None
    chart = vision.confusion_chart(np.array([[3, 1, 0], [0, 4, 0], [2, 0, 5]]), names).to_dict()
    assert {p["name"] for p in chart["params"]} == {"cell", "cell_label"}


def test_filters_and_feature_maps_have_the_table_shapes(digits, pretrained):
    model, _ = pretrained
    filters = vision.first_layer_filters(model)
    assert filters.shape == (32, 3, 3) and filters.dtype == np.uint8
    maps = vision.feature_maps(model, digits.x_test[0])
    rows = {
        r.layer: r.output_shape
        for r in vision.layer_rows(vision.PRETRAINED_SETTINGS, (8, 8, 1), 10)
    }
    assert [name for name, _ in maps] == ["conv1", "conv2"]
    for name, activations in maps:
        assert activations.shape == rows[name]
    grid = vision.feature_map_grid(maps[1][1], max_maps=16, columns=8)
    assert grid.dtype == np.uint8 and grid.ndim == 2


# -- 5. try it yourself ----------------------------------------------------------------
def _canvas_from(image: np.ndarray, size: int = 240) -> np.ndarray:
    """A training image blown up to canvas size, as an RGBA drawing (ink white on black)."""
    factor = size // image.shape[0]
    grey = np.kron(image[..., 0], np.ones((factor, factor))).astype(np.uint8)
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])


def test_drawing_preprocessing_shapes_and_empty_canvas():
    canvas = np.zeros((240, 240, 4), np.uint8)
    assert vision.preprocess_drawing(canvas, (8, 8, 1)) is None
    canvas[40:200, 110:130] = 255  # a vertical stroke: a "1"
    digit = vision.preprocess_drawing(canvas, (8, 8, 1), "digits")
    assert digit.shape == (8, 8, 1) and digit.dtype == np.uint8 and digit.max() == 255
    assert digit[:, 3:5].mean() > digit[:, [0, 7]].mean()  # centred
    mnist = vision.preprocess_drawing(canvas, (28, 28, 1), "mnist")
    rows = np.flatnonzero(mnist[..., 0].max(axis=1))
    assert rows.min() >= 3 and rows.max() <= 24  # inside MNIST's central 20×20 box
    transparent = canvas.copy()
    transparent[..., :3] = 255  # white everywhere, the strokes only in the alpha channel
    transparent[..., 3] = np.where(canvas[..., 0] > 0, 255, 0)
    np.testing.assert_array_equal(vision.preprocess_drawing(transparent, (8, 8, 1)), digit)
    assert vision.preprocess_drawing(canvas, (32, 32, 3), "cifar10").shape == (32, 32, 3)


def test_a_digit_drawn_like_the_data_is_recognised(digits, pretrained):
    """Test digits, blown up to canvas size and preprocessed back, keep their label."""
    model, _ = pretrained
    images = digits.x_test[:60]
    drawn = np.stack([vision.preprocess_drawing(_canvas_from(x), (8, 8, 1)) for x in images])
    direct = vision.predict_proba(model, images).argmax(axis=1)
    via_canvas = vision.predict_proba(model, drawn).argmax(axis=1)
    assert np.mean(via_canvas == digits.y_test[:60]) >= 0.8
    assert np.mean(via_canvas == direct) >= 0.8


def test_photo_preprocessing_inverts_paper_like_the_data():
    from PIL import Image

    paper = np.full((100, 80), 230, np.uint8)
    paper[20:80, 35:45] = 20  # a dark pen stroke on light paper
    image = vision.preprocess_photo(Image.fromarray(paper), (28, 28, 1), "mnist")
    assert image.shape == (28, 28, 1) and image[..., 0].max() == 255
    assert image[0, 0, 0] == 0  # the paper became the black background
    colour = vision.preprocess_photo(Image.fromarray(paper).convert("RGB"), (32, 32, 3), "cifar10")
    assert colour.shape == (32, 32, 3) and colour[0, 0, 0] > 200  # photos are not inverted


def test_top_k_is_sorted():
    frame = vision.top_k(np.array([0.1, 0.5, 0.05, 0.35]), ("a", "b", "c", "d"), k=3)
    assert list(frame["class"]) == ["b", "d", "a"]


# -- 6. ImageNet -----------------------------------------------------------------------
def test_imagenet_offline_gives_a_plain_message(monkeypatch):
    import keras

    def offline(**kwargs):
        raise OSError("URL fetch failure: no network")

    monkeypatch.setattr(keras.applications, "MobileNetV2", offline)
    with pytest.raises(vision.WeightsUnavailable, match="no internet access"):
        vision.load_imagenet_classifier()


# -- classroom -------------------------------------------------------------------------
def test_walkthrough_presets_are_valid_settings():
    from course_lib import classroom

    assert 4 <= len(vision.WALKTHROUGH) <= 8 and 3 <= len(vision.QUIZ) <= 5
    current = CNNSettings()
    for step in vision.WALKTHROUGH:
        assert isinstance(step, classroom.Step) and step.text
        current = dataclasses.replace(current, **step.preset)  # presets build on each other
        settings.validate(current)
    for question in vision.QUIZ:
        assert question.check(question.answer) and question.explanation


def test_the_notebook_runs_offline_and_reproduces_the_model(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    from course_lib import classroom

    small = CNNSettings(epochs=1, filters=4, dense_units=16, augmentation=True)
    book = nbformat.reads(
        classroom.notebook(vision.notebook_cells(small), title="CNN").decode(), as_version=4
    )
    NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = " ".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "test accuracy:" in outputs
    expected = vision.build_cnn(small, (8, 8, 1), 10, compile_model=False).count_params()
    assert f"{expected:,}" in outputs or str(expected) in outputs  # model.summary's total


def test_every_setting_has_a_widget_with_allowed_values():
    laid_out = [field for column in SETTINGS_COLUMNS for field, _ in column]
    fields = {f.name for f in dataclasses.fields(CNNSettings)} - {"dataset", "seed"}
    assert sorted(laid_out) == sorted(fields)
    assert all(settings.bounds(CNNSettings, field).label for field in fields)
    stepped = {
        field: settings.bounds(CNNSettings, field).stops
        for field in fields
        if settings.bounds(CNNSettings, field).stops
    }
    assert set(stepped) == {"filters", "dense_units", "learning_rate", "batch_size"}
    for field, steps in stepped.items():
        assert getattr(CNNSettings(), field) in steps
        for value in steps:
            settings.validate(dataclasses.replace(CNNSettings(), **{field: value}))


# -- what the page draws: widgets, the explainer's kernel, a training example -------------
def test_each_setting_gets_the_widget_that_offers_its_values():
    import streamlit as st

    kinds = {field: make for column in SETTINGS_COLUMNS for field, make in column}
    assert kinds["augmentation"] is st.toggle
    assert kinds["padding"] is st.radio
    assert kinds["kernel_size"] is st.select_slider  # numbered choices
    assert kinds["filters"] is st.slider  # drawn over its stops by ui.Controls
    assert settings.bounds(CNNSettings, "filters").stops == (4, 8, 16, 32, 64, 128)
    assert (
        kinds["conv_blocks"] is st.slider and settings.bounds(CNNSettings, "conv_blocks").step == 1
    )
    assert kinds["dropout"] is st.slider and settings.bounds(CNNSettings, "dropout").step == 0.05


def test_the_explainer_kernel_is_a_classic_one_or_the_typed_numbers():
    np.testing.assert_array_equal(vision.demo_kernel("sharpen"), vision.KERNELS["sharpen"])
    assert vision.demo_kernel("sharpen").dtype == np.float32
    typed = vision.demo_kernel(vision.OWN_KERNEL, "1 2 3 4 5 6 7 8 9")
    np.testing.assert_array_equal(typed, np.arange(1, 10).reshape(3, 3))
    with pytest.raises(ValueError, match="nine"):
        vision.demo_kernel(vision.OWN_KERNEL, "1 2 3 4")
    assert vision.OWN_KERNEL not in vision.KERNELS


def test_a_training_example_is_of_the_class_asked_for(digits):
    for label in (0, 7):
        example = vision.training_example(digits, label)
        first = int(np.flatnonzero(digits.y_train == label)[0])
        np.testing.assert_array_equal(example, digits.x_train[first])
        assert example.shape == digits.image_shape
