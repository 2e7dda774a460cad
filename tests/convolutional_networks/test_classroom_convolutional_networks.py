"""Chapter 3's classroom: shared links, the guided walkthrough, the quiz, the downloads."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import datasets, settings, training
from course_lib.convolutional_networks import lesson, model
from course_lib.convolutional_networks.model import CNNSettings
from course_lib.settings import from_query_params, to_query_params
from tests.conftest import app_page, link_notices

PAGE = "app_pages/convolutional_networks.py"


def texts(elements) -> str:
    return " ".join(element.value for element in elements)


# -- settings <-> query params -------------------------------------------------------------
def test_settings_round_trip_through_query_params():
    changed = CNNSettings(
        dataset="fashion_mnist",
        conv_blocks=3,
        filters=16,
        kernel_size=5,
        stride=2,
        padding="valid",
        activation="elu",
        pooling="average",
        dense_units=0,
        dropout=0.5,
        learning_rate=3e-4,
        epochs=7,
        batch_size=128,
        augmentation=True,
        seed=42,
    )
    params = to_query_params(changed, PREFIX)
    assert len(params) == len(dataclasses.fields(CNNSettings))  # every field differs
    assert all(name.startswith(PREFIX) and isinstance(v, str) for name, v in params.items())
    again, notices = from_query_params(CNNSettings, params, PREFIX)
    assert again == changed and notices == []
    assert to_query_params(CNNSettings(), PREFIX) == {}  # defaults make a short link
    assert from_query_params(CNNSettings, {}, PREFIX) == (CNNSettings(), [])


# -- walkthrough presets ------------------------------------------------------------------
@pytest.mark.parametrize("step", lesson.WALKTHROUGH, ids=lambda step: step.title)
def test_each_walkthrough_preset_is_a_valid_network_even_on_the_smallest_images(step):
    preset = dataclasses.replace(CNNSettings(), **step.preset)
    settings.validate(preset)
    table = model.layer_table(preset, (8, 8, 1), 10)  # the digits: 8×8 grey, 10 classes
    assert table["parameters"].sum() > 0
    # every step sets the whole experiment, so Back and Next always land on the same one
    assert set(step.preset) == set(lesson.WALKTHROUGH_FIELDS)
    for name in ("filters", "dense_units", "learning_rate", "batch_size"):
        assert (
            step.preset[name] in settings.bounds(CNNSettings, name).stops
        )  # reachable on the select_slider


def test_the_parameter_counts_the_walkthrough_quotes_are_the_tables():
    def parameters(title):
        (step,) = [step for step in lesson.WALKTHROUGH if step.title == title]
        table = model.layer_table(CNNSettings(**step.preset), (8, 8, 1), 10)
        assert "parameters" in step.text
        return step.text, table.set_index("layer")["parameters"]

    text, table = parameters("Deeper and wider")
    assert round(table.sum(), -3) == 36_000 and "36,000" in text
    assert table["conv1"] == 320 and "only 320" in text
    text, without_pooling = parameters("Why pooling?")
    assert round(without_pooling.sum() / table.sum()) == 8 and "eight times" in text
    text, tiny = parameters("A tiny network")
    assert 100 < tiny.sum() < 1000 and "a few hundred" in text


# -- the page with a shared link ----------------------------------------------------------
def test_a_shared_link_sets_the_widgets_and_the_url_keeps_them():
    at = app_page(
        PAGE,
        query={
            "cnn_filters": "8",
            "cnn_pooling": "average",
            "cnn_learning_rate": "0.01",
            "cnn_epochs": "3",
            "cnn_augmentation": "true",
            "cnn_seed": "7",
        },
    )
    assert not at.exception
    assert at.select_slider(key="cnn_filters").value == 8
    assert at.radio(key="cnn_pooling").value == "average"
    assert at.select_slider(key="cnn_learning_rate").value == 0.01
    assert at.slider(key="cnn_epochs").value == 3
    assert at.toggle(key="cnn_augmentation").value is True
    trained_settings = at.session_state["cnn_trainer"][0][0]
    assert trained_settings == CNNSettings(
        filters=8, pooling="average", learning_rate=0.01, epochs=3, augmentation=True, seed=7
    )
    assert at.query_params["cnn_filters"] == "8"
    assert not texts(at.warning)  # nothing was ignored
    at.slider(key="cnn_epochs").set_value(15).run()  # back to the default: left out of the URL
    assert "cnn_epochs" not in at.query_params
    assert "cnn_filters" in at.query_params


@pytest.mark.parametrize(
    "bad",
    [
        {"cnn_filters": "1e99"},
        {"cnn_pooling": "<script>alert(1)</script>"},
        {"cnn_epochs": "ten", "cnn_dropout": "nan"},
    ],
)
def test_a_hand_edited_link_is_ignored_with_a_notice(bad):
    at = app_page(PAGE, query=bad)
    assert not at.exception
    for key in bad:
        assert f"Ignored {key.removeprefix(PREFIX)}=" in " ".join(link_notices(at))
    assert at.select_slider(key="cnn_filters").value == CNNSettings().filters
    assert at.radio(key="cnn_pooling").value == CNNSettings().pooling
    assert at.session_state["cnn_trainer"][0][0] == CNNSettings()
    assert "<script>" not in texts(at.markdown)  # shown as text in a notice, never as HTML


def test_a_link_to_a_data_set_that_cannot_be_downloaded_keeps_the_digits(offline):
    at = app_page(PAGE, query={"cnn_dataset": "cifar10", "cnn_filters": "16"})
    assert not at.exception
    assert "could not be downloaded" in texts(at.warning)
    assert at.selectbox(key="cnn_dataset").value == "digits"
    assert at.select_slider(key="cnn_filters").value == 16  # the rest of the link still applies
    assert "cnn_dataset" not in at.query_params


# -- walkthrough --------------------------------------------------------------------------
def test_walkthrough_next_and_back_set_the_controls_to_each_step():
    at = app_page(PAGE)
    at.slider(key="cnn_conv_blocks").set_value(3).run()  # the student moved something first
    at.toggle(key="cnn_walk_on").set_value(True).run()
    at.button(key="cnn_walk_begin").click().run()
    assert f"Step 1 of {len(lesson.WALKTHROUGH)}" in texts(at.markdown)
    assert at.slider(key="cnn_conv_blocks").value == 2  # step 1: the default network again
    assert "pretrained digits network" in texts(at.info)

    at.button(key="cnn_walk_next").click().run()
    tiny = lesson.WALKTHROUGH[1].preset
    assert f"Step 2 of {len(lesson.WALKTHROUGH)}: {lesson.WALKTHROUGH[1].title}" in texts(
        at.markdown
    )
    assert at.slider(key="cnn_conv_blocks").value == tiny["conv_blocks"] == 1
    assert at.select_slider(key="cnn_filters").value == tiny["filters"] == 4
    assert at.select_slider(key="cnn_dense_units").value == 0
    assert at.slider(key="cnn_dropout").value == 0.0

    at.button(key="cnn_walk_next").click().run()
    at.button(key="cnn_walk_next").click().run()
    assert at.radio(key="cnn_pooling").value == "none"  # step 4: why pooling?
    at.select_slider(key="cnn_filters").set_value(16).run()  # the controls stay live
    assert at.select_slider(key="cnn_filters").value == 16

    at.button(key="cnn_walk_back").click().run()
    assert f"Step 3 of {len(lesson.WALKTHROUGH)}" in texts(at.markdown)
    assert at.radio(key="cnn_pooling").value == "max"
    assert at.select_slider(key="cnn_filters").value == 32
    assert at.session_state["cnn_trainer"][0][0] == CNNSettings()
    assert not at.exception


# -- quiz ----------------------------------------------------------------------------------
def test_the_quiz_gives_feedback_with_the_explanation():
    at = app_page(PAGE)
    first, second = lesson.QUIZ[0], lesson.QUIZ[1]
    at.radio(key="cnn_quiz_q0").set_value(first.answer).run()
    assert f"Right. {first.explanation}" in texts(at.success)
    wrong = (second.answer + 1) % len(second.options)
    at.radio(key="cnn_quiz_q1").set_value(wrong).run()
    assert f"Not quite. {second.explanation}" in texts(at.error)
    assert f"1 of {len(lesson.QUIZ)} right so far." in texts(at.caption)
    assert not at.exception


@pytest.fixture
def small_fashion_mnist(monkeypatch, tmp_path):
    """A tiny local Fashion-MNIST (random pixels) in the Keras cache; no download."""
    import streamlit as st

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(datasets, "_download", lambda name: pytest.fail("tried to download"))
    rng = np.random.default_rng(0)
    (tmp_path / "datasets").mkdir()
    np.savez(
        tmp_path / "datasets" / "fashion_mnist.npz",
        x_train=rng.integers(0, 256, (60, 28, 28), dtype=np.uint8),
        y_train=np.arange(60, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        y_test=np.arange(20, dtype=np.uint8) % 10,
    )
    yield
    st.cache_resource.clear()  # no later test gets these random pictures as Fashion-MNIST


def test_a_link_to_another_data_set_loads_it_and_the_quiz_is_still_there(small_fashion_mnist):
    at = app_page(PAGE, query={"cnn_dataset": "fashion_mnist"})
    assert not at.exception
    assert at.selectbox(key="cnn_dataset").value == "fashion_mnist"
    assert "28×28 pixels" in texts(at.caption)
    assert "Train the network" in texts(at.info)  # no pretrained network for these images
    assert at.radio(key="cnn_quiz_q0").value is None  # the quiz ends the page all the same
    assert at.query_params["cnn_dataset"] == "fashion_mnist"


# -- downloads ----------------------------------------------------------------------------
# the notebook's contents and its run outside the repository: test_lab.py


def test_the_downloads_sit_next_to_the_training_panel():
    at = app_page(PAGE)
    buttons = at.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels == [
        "Notebook for the lab (.ipynb)",
        "Training log (.csv)",
        "Trained model (.keras)",
    ]
    assert [b.proto.disabled for b in buttons] == [False, True, True]  # nothing trained yet


def test_history_csv_has_one_row_per_epoch():

    history = [
        {"epoch": 1, "loss": 1.2, "accuracy": 0.6, "val_loss": 1.0, "val_accuracy": 0.7},
        {"epoch": 2, "loss": 0.8, "accuracy": 0.8, "val_loss": 0.9, "val_accuracy": 0.75},
    ]
    frame = pd.read_csv(__import__("io").BytesIO(training.history_csv(history)))
    assert list(frame.columns) == list(history[0])
    assert frame["loss"].tolist() == [1.2, 0.8]


def test_every_field_survives_a_link_through_the_pages_controls():
    from app_pages.convolutional_networks_sections import EXPERIMENTS
    from course_lib import ui

    controls = ui.Controls(EXPERIMENTS)
    for field in dataclasses.fields(CNNSettings):
        limits = settings.bounds(CNNSettings, field.name)
        options = limits.stops or limits.choices or (limits.maximum, True)
        value = next(o for o in options if o != field.default and o is not None)
        if isinstance(field.default, bool):
            value = not field.default
        changed = dataclasses.replace(CNNSettings(), **{field.name: value})
        values, notices = controls.read_link(to_query_params(changed, PREFIX))
        assert values == {PREFIX + field.name: value} and notices == [], field.name
    values, notices = controls.read_link({PREFIX + "learning_rate": "0.002"})
    assert values == {PREFIX + "learning_rate": 0.003}  # between two stops: the nearest
    assert "moved to the nearest, 0.003" in notices[0]
