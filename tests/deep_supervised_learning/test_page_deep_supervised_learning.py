"""The deep supervised learning page in AppTest, through the real router."""

import pytest

from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lesson import preset
from course_lib.deep_supervised_learning.model import parameter_count
from tests.conftest import app_page, run_training

PAGE = "app_pages/deep_supervised_learning.py"


@pytest.fixture(scope="module")
def at():
    """One page for the cheap checks (loading TensorFlow once)."""
    return app_page(PAGE, timeout=180)


def trainer_of(at):
    return at.session_state["play_trainer"][1]


def test_the_page_opens_like_the_lecture(at):
    assert not at.exception
    assert at.title[0].value == "Deep supervised learning: a playground"
    count = parameter_count(PlaygroundSettings(), 2)["trainable"]
    assert any(f"{count:,} trainable parameters" in m.value for m in at.markdown)
    assert at.button(key="play_train_start").label == "Start"
    assert any("keras.Sequential" in code.value for code in at.code)


def test_a_deeper_network_shows_more_layer_widgets_and_parameters(at):
    at.slider(key="play_hidden_layers").set_value(4).run()
    at.select_slider(key="play_hidden_units_4").set_value(32).run()
    assert not at.exception
    assert at.selectbox(key="play_activation_4").value == "tanh"
    settings = at.session_state["play_trainer"][0][0]
    assert settings.layers == ((16, "tanh"), (16, "tanh"), (16, "tanh"), (32, "tanh"))
    count = parameter_count(settings, 2)["trainable"]
    assert any(f"{count:,} trainable parameters" in m.value for m in at.markdown)


def test_a_short_run_trains_and_redraws(at):
    at.slider(key="play_hidden_layers").set_value(2).run()
    at.number_input(key="play_epochs").set_value(3).run()
    run_training(at, "play_train")
    assert not at.exception
    assert trainer_of(at).epochs_done == 3
    assert any("Finished: 3 epochs" in s.value for s in at.success)
    # the step button trains exactly one more epoch and pauses
    at.button(key="play_train_step").click().run()
    assert trainer_of(at).epochs_done == 4
    assert "grad_norm_1" in trainer_of(at).history[0]


def test_a_preset_sets_the_widgets(at):
    at.button(key="play_preset_overfit_me").click().run()
    assert not at.exception
    values = preset("overfit me").values
    assert at.slider(key="play_samples").value == values["samples"]
    assert at.selectbox(key="play_dataset").value == values["dataset"]
    assert at.select_slider(key="play_hidden_units_1").value == values["hidden_units_1"]
    assert any("overfit me" in c.value for c in at.caption)


def test_a_huge_network_warns_instead_of_freezing(at):
    at.selectbox(key="play_dataset").set_value("two spirals")
    at.slider(key="play_samples").set_value(2000)
    at.slider(key="play_hidden_layers").set_value(6).run()
    for i in range(1, 7):
        at.select_slider(key=f"play_hidden_units_{i}").set_value(512)
    at.select_slider(key="play_batch_size").set_value(1).run()
    assert not at.exception
    assert any("heavy for the server" in w.value for w in at.warning)
    assert trainer_of(at).steps_per_epoch < trainer_of(at).steps_per_pass


def test_choosing_csv_without_a_file_asks_for_one(at):
    at.selectbox(key="play_dataset").set_value("your CSV").run()
    assert not at.exception
    assert any("Upload a CSV file" in i.value for i in at.info)
    at.selectbox(key="play_dataset").set_value("circles").run()
    assert not at.exception


def test_a_diverging_learning_rate_is_stopped_and_explained():
    at = app_page(PAGE, timeout=180)
    at.button(key="play_preset_learning_rate_too_large").click().run()
    run_training(at, "play_train")
    assert not at.exception
    assert trainer_of(at).status == "diverged"
    assert any("learning rate" in e.value for e in at.error)
