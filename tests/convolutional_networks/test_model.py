"""The network: its settings and widgets, the layer table equal to Keras's, its cost."""

import dataclasses

import numpy as np
import pytest

from app_pages.convolutional_networks_sections import PREFIX
from app_pages.convolutional_networks_sections.build_network import SETTINGS_COLUMNS
from course_lib import settings
from course_lib.convolutional_networks import probe
from course_lib.convolutional_networks.model import (
    ArchitectureError,
    CNNSettings,
    build_cnn,
    estimate_resources,
    layer_rows,
    layer_table,
    resource_warning,
)

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
    model = build_cnn(config, image_shape, num_classes, compile_model=False)
    rows = layer_rows(config, image_shape, num_classes)
    assert rows[0].output_shape == image_shape  # the Input row: Keras keeps no layer for it
    assert [r.layer for r in rows[1:]] == [layer.name for layer in model.layers]
    for row, layer in zip(rows[1:], model.layers, strict=True):
        assert row.output_shape == tuple(layer.output.shape[1:]), row.layer
        assert row.parameters == layer.count_params(), row.layer
    assert sum(r.parameters for r in rows) == model.count_params()
    table = layer_table(config, image_shape, num_classes)
    assert table["parameters"].sum() == model.count_params()


def test_an_image_shrunk_to_nothing_is_explained():
    with pytest.raises(ArchitectureError, match="too small|smaller than"):
        layer_rows(CNNSettings(conv_blocks=4), (8, 8, 1), 10)
    with pytest.raises(ArchitectureError, match="'same' padding"):
        layer_rows(
            CNNSettings(conv_blocks=3, padding="valid", pooling="none", kernel_size=5),
            (8, 8, 1),
            10,
        )


def test_resource_warning_only_for_networks_that_do_not_fit():
    small = estimate_resources(CNNSettings(), (8, 8, 1), 10, 1437)
    assert resource_warning(small) is None and small.fits_in_memory
    huge_config = CNNSettings(
        conv_blocks=1, filters=128, pooling="none", dense_units=512, batch_size=1024
    )
    huge = estimate_resources(huge_config, (32, 32, 3), 10, 20000)
    assert not huge.fits_in_memory
    assert "MB" in resource_warning(huge) and "min per epoch" in resource_warning(huge)


def test_settings_defaults_are_valid_and_round_trip_through_a_link():
    settings.validate(CNNSettings())
    changed = dataclasses.replace(CNNSettings(), filters=64, padding="valid", augmentation=True)
    params = settings.to_query_params(changed, prefix=PREFIX)
    assert settings.from_query_params(CNNSettings, params, prefix=PREFIX) == (changed, [])


def test_mixed_precision_model_keeps_a_float32_softmax():
    model = build_cnn(CNNSettings(), (8, 8, 1), 10, dtype_policy="mixed_float16")
    assert model.get_layer("conv1").compute_dtype == "float16"
    probabilities = probe.predict_proba(model, np.zeros((2, 8, 8, 1), np.uint8))
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-3)


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
