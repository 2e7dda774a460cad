"""The playground in the classroom: shared links, the walkthrough, the quiz, the downloads."""

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest

from course_lib import training
from course_lib.deep_supervised_learning.data import make_dataset
from course_lib.deep_supervised_learning.experiment import (
    FIELDS,
    PlaygroundSettings,
    settings_from_values,
)
from course_lib.deep_supervised_learning.lesson import (
    PRESETS,
    QUIZ,
    WALKTHROUGH,
    is_preset,
    preset_settings,
)
from course_lib.settings import bounds, from_query_params, snap, to_query_params, validate
from course_lib.ui import Controls
from tests.conftest import app_page, link_notices, run_training

PAGE = "app_pages/deep_supervised_learning.py"
PREFIX = "play_"


def used(values: dict) -> PlaygroundSettings:
    """The settings a page with these values trains (unused layers at their defaults)."""
    return settings_from_values({**dataclasses.asdict(PlaygroundSettings()), **values})


EXPERIMENTS = [
    PlaygroundSettings(),
    *(used(item.values) for item in PRESETS),
    *(used(step.preset) for step in WALKTHROUGH),
    used({"batch_norm": True, "l1": 1e-5, "learning_rate": 3e-4, "classes": 5, "seed": 2**31 - 2}),
]


# -- settings as data: links and presets ---------------------------------------------------


@pytest.mark.parametrize("settings", EXPERIMENTS)
def test_settings_round_trip_through_query_params(settings):
    params = to_query_params(settings, PREFIX)
    assert all(name.startswith(PREFIX) and isinstance(v, str) for name, v in params.items())
    back, notices = from_query_params(PlaygroundSettings, params, PREFIX)
    assert back == settings and notices == []


def test_default_settings_make_an_empty_link():
    assert to_query_params(PlaygroundSettings(), PREFIX) == {}


@pytest.mark.parametrize("step", WALKTHROUGH, ids=lambda step: step.title)
def test_walkthrough_presets_are_valid_and_on_the_sliders(step):
    # every field but the seed: a step gives the same experiment whatever came before
    assert set(step.preset) == set(FIELDS) - {"seed"}
    validate(dataclasses.replace(PlaygroundSettings(), **step.preset))
    for name, value in step.preset.items():
        assert snap(PlaygroundSettings, name, value) == (value, None), name


def test_values_off_the_sliders_snap_to_the_nearest_offered_one():
    def offered(name, value):
        return snap(PlaygroundSettings, name, value)

    assert offered("learning_rate", 0.02)[0] == 0.03  # nearest on a log scale
    assert offered("hidden_units_4", 20)[0] == 24
    value, note = offered("l2", 7e-6)  # the penalties start at 0: nearest on a linear scale
    assert value == 1e-5 and "not a stop of its slider" in note
    assert offered("epochs", 7) == (7, None)  # a number input takes any value


def test_a_preset_stays_named_only_until_a_control_moves():
    chosen = preset_settings("overfit me")
    assert is_preset("overfit me", chosen)
    assert is_preset("overfit me", dataclasses.replace(chosen, hidden_units_6=8))  # unused
    assert not is_preset("overfit me", dataclasses.replace(chosen, l2=1e-3))
    assert not is_preset("overfit me", PlaygroundSettings())


# -- the page ------------------------------------------------------------------------------


def test_a_shared_link_sets_the_widgets_and_stays_in_the_url():
    link = {
        "play_dataset": "Gaussian blobs",
        "play_classes": "4",
        "play_hidden_layers": "4",
        "play_hidden_units_4": "32",
        "play_activation_4": "relu",
        "play_batch_norm": "true",
        "play_learning_rate": "0.003",
    }
    at = app_page(PAGE, timeout=180, query=link)
    assert not at.exception and not at.warning
    assert at.selectbox(key="play_dataset").value == "Gaussian blobs"
    assert at.slider(key="play_classes").value == 4
    assert at.slider(key="play_hidden_layers").value == 4
    assert at.select_slider(key="play_hidden_units_4").value == 32
    assert at.selectbox(key="play_activation_4").value == "relu"
    assert at.toggle(key="play_batch_norm").value is True
    assert at.select_slider(key="play_learning_rate").value == 0.003
    expected, _ = from_query_params(PlaygroundSettings, link, PREFIX)
    assert at.session_state["play_trainer"][0][0] == expected
    assert {name: at.query_params[name] for name in link} == link
    # moving a control rewrites the link; a setting back at its default leaves it
    at.slider(key="play_hidden_layers").set_value(5).run()
    assert at.query_params["play_hidden_layers"] == "5"
    at.slider(key="play_hidden_layers").set_value(PlaygroundSettings().hidden_layers).run()
    assert "play_hidden_layers" not in at.query_params
    assert "play_hidden_units_4" not in at.query_params  # an unused layer is not shared


def test_a_hand_edited_link_is_ignored_with_a_notice():
    at = app_page(
        PAGE,
        timeout=180,
        query={
            "play_samples": "1e99",
            "play_optimizer": "<script>alert(1)</script>",
            "play_epochs": "ten",
            "play_learning_rate": "0.02",
            "play_noise": "0.2",
        },
    )
    assert not at.exception
    warnings = " ".join(link_notices(at))
    assert "Ignored samples=" in warnings and "Ignored epochs=" in warnings
    assert "Ignored optimizer='<script>" in warnings
    assert (
        "learning_rate = 0.02 is not a stop of its slider: moved to the nearest, 0.03." in warnings
    )
    assert at.slider(key="play_samples").value == PlaygroundSettings().samples
    assert at.selectbox(key="play_optimizer").value == PlaygroundSettings().optimizer
    assert at.select_slider(key="play_learning_rate").value == 0.03
    assert at.slider(key="play_noise").value == 0.2  # the good values still apply
    assert at.button(key="play_train_start").label == "Start"
    at.run()  # the notices belong to the visit, not to every rerun
    assert not at.warning


@pytest.fixture(scope="module")
def at():
    return app_page(PAGE, timeout=180)


def widget_values(at) -> dict:
    """The settings each rendered widget shows (hidden layers have no widget)."""
    values = {}
    for kind in (at.selectbox, at.slider, at.select_slider, at.number_input, at.toggle):
        for widget in kind:
            if widget.key and widget.key.startswith(PREFIX) and widget.key[5:] in FIELDS:
                values[widget.key[len(PREFIX) :]] = widget.value
    return values


def shows_step(at, step) -> bool:
    shown = widget_values(at)
    return any(step.title in m.value for m in at.markdown) and all(
        shown[name] == step.preset[name] for name in shown if name != "seed"
    )


def test_the_walkthrough_moves_the_controls(at):
    at.toggle(key="play_tour_on").set_value(True).run()
    at.button(key="play_tour_begin").click().run()
    assert not at.exception
    assert shows_step(at, WALKTHROUGH[0])
    assert at.select_slider(key="play_hidden_units_1").value == 1
    at.button(key="play_tour_next").click().run()
    assert shows_step(at, WALKTHROUGH[1])
    assert at.select_slider(key="play_hidden_units_1").value == 8
    for _ in range(3):
        at.button(key="play_tour_next").click().run()
    assert shows_step(at, WALKTHROUGH[4])  # six sigmoid layers: one widget pair each
    assert at.selectbox(key="play_activation_6").value == "sigmoid"
    at.button(key="play_tour_back").click().run()
    assert shows_step(at, WALKTHROUGH[3])
    assert at.slider(key="play_hidden_layers").value == 4
    # the controls stay live: the student moves one and the step does not put it back
    at.slider(key="play_hidden_layers").set_value(2).run()
    assert at.slider(key="play_hidden_layers").value == 2
    assert any(WALKTHROUGH[3].title in m.value for m in at.markdown)
    assert not at.exception


def test_the_walkthroughs_last_step_diverges_and_says_why(at):
    at.toggle(key="play_tour_on").set_value(True).run()
    if at.session_state["play_tour_step"] is None:
        at.button(key="play_tour_begin").click().run()
    while not at.button(key="play_tour_next").disabled:
        at.button(key="play_tour_next").click().run()
    assert shows_step(at, WALKTHROUGH[-1])
    run_training(at, "play_train")
    assert not at.exception
    assert at.session_state["play_trainer"][1].status == "diverged"
    assert any("learning rate" in e.value for e in at.error)


def test_the_quiz_gives_feedback(at):
    right = QUIZ[0].answer
    at.radio(key="play_quiz_q0").set_value(right).run()
    assert any(s.value.startswith("Right.") for s in at.success)
    at.radio(key="play_quiz_q0").set_value((right + 1) % len(QUIZ[0].options)).run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert any(f"0 of {len(QUIZ)} right" in c.value for c in at.caption)


def test_the_training_log_and_the_model_can_be_downloaded(at, tmp_path):
    at.toggle(key="play_tour_on").set_value(False).run()
    at.button(key="play_preset_deep_enough").click().run()
    at.number_input(key="play_epochs").set_value(2).run()
    downloads = {b.label: b for b in at.get("download_button")}
    assert downloads["Training log (.csv)"].disabled  # nothing trained yet
    assert "Notebook for the lab (.ipynb)" in downloads
    run_training(at, "play_train")
    downloads = {b.label: b for b in at.get("download_button")}
    assert not downloads["Training log (.csv)"].disabled
    assert not downloads["Trained model (.keras)"].disabled

    trainer = at.session_state["play_trainer"][1]
    log = pd.read_csv(io.BytesIO(training.history_csv(trainer.history)))
    assert list(log["epoch"]) == [1, 2]
    assert {"loss", "val_loss", "accuracy", "val_accuracy", "grad_norm_1"} <= set(log.columns)
    assert np.allclose(log["loss"], [row["loss"] for row in trainer.history])

    import keras

    path = tmp_path / "playground.keras"
    path.write_bytes(training.keras_bytes(trainer.model))
    points = make_dataset(at.session_state["play_trainer"][0][0]).x_test[:5]
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(points, verbose=0), trainer.model(points), atol=1e-6)


def _another_value(name: str):
    """A valid value of field ``name`` other than its default (a stop, a choice, the top)."""
    limits = bounds(PlaygroundSettings, name)
    default = getattr(PlaygroundSettings(), name)
    options = limits.stops or limits.choices
    if options:
        return next(option for option in reversed(options) if option != default)
    if isinstance(default, bool):
        return not default
    return type(default)(limits.maximum)


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_survives_a_link_through_the_pages_controls(name):
    from app_pages.deep_supervised_learning_sections import EXPERIMENTS

    value = _another_value(name)
    chosen = dataclasses.replace(PlaygroundSettings(), **{name: value})
    controls = Controls(EXPERIMENTS)
    values, notices = controls.read_link(to_query_params(chosen, PREFIX))
    assert values == {PREFIX + name: value} and notices == []


def test_a_link_value_between_stops_gets_one_notice_naming_the_stop():
    from app_pages.deep_supervised_learning_sections import EXPERIMENTS

    values, notices = Controls(EXPERIMENTS).read_link({"play_hidden_units_2": "20"})
    assert values == {"play_hidden_units_2": 24}
    assert notices == ["hidden_units_2 = 20 is not a stop of its slider: moved to the nearest, 24."]
