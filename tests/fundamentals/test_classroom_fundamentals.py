"""Chapter 1 in the classroom: shareable links, the walkthrough, the quiz and the downloads."""

import dataclasses
import io

import pandas as pd
import pytest

from app_pages.fundamentals_sections import EXPERIMENTS, SECTIONS
from course_lib import charts, training, ui
from course_lib.classroom import preset_field
from course_lib.fundamentals import approximation as ap
from course_lib.fundamentals import backprop as bp
from course_lib.fundamentals import lesson
from course_lib.fundamentals import network as nw
from course_lib.fundamentals import sweep as sw
from course_lib.fundamentals import targets as tg
from course_lib.settings import from_query_params, parse_query_params, to_query_params, validate
from tests.conftest import app_page, link_notices, run_training

PAGE = "app_pages/fundamentals.py"

# One value off its default for every field, per settings object a link carries.
CHANGED = {
    tg.TargetSettings: tg.TargetSettings(
        target=tg.FORMULA, formula="abs(x) - 1", low=-3.5, high=4.0, samples=100
    ),
    nw.FitSettings: nw.FitSettings(
        hidden_units=12, activation="relu", optimizer="sgd", learning_rate=0.005, epochs=50, seed=3
    ),
    ap.HandSettings: ap.HandSettings(hidden_units=12, activation="relu"),
    sw.SweepSettings: sw.SweepSettings(widths="2, 4", epochs=40),
    sw.DepthSettings: sw.DepthSettings(budget=100, epochs=50),
    bp.BackpropSettings: bp.BackpropSettings(
        inputs=3, hidden_units=3, hidden_layers=2, activation="tanh", learning_rate=0.1, seed=5
    ),
}


# -- settings ↔ query parameters -----------------------------------------------------------


def test_every_section_has_changed_settings_to_test():
    assert set(CHANGED) == set(EXPERIMENTS)


@pytest.mark.parametrize("settings_class", list(CHANGED), ids=lambda c: c.__name__)
def test_every_field_round_trips_through_the_url(settings_class):
    settings, prefix = validate(CHANGED[settings_class]), EXPERIMENTS[settings_class]
    params = to_query_params(settings, prefix)
    assert len(params) == len(dataclasses.fields(settings))  # every field is off its default
    assert all(name.startswith(prefix) for name in params)
    back, notices = from_query_params(type(settings), params, prefix)
    assert back == settings and notices == []
    assert to_query_params(type(settings)(), prefix) == {}  # defaults make no parameters


def test_the_whole_page_round_trips_through_one_url():
    """The target and the fit share the prefix "fit_": one link carries all six."""
    params = {}
    for settings_class, settings in CHANGED.items():
        params |= to_query_params(settings, EXPERIMENTS[settings_class])
    values, notices = parse_query_params(EXPERIMENTS, params)
    assert notices == []
    for settings_class, prefix in EXPERIMENTS.items():
        back = settings_class(
            **{f.name: values[prefix + f.name] for f in dataclasses.fields(settings_class)}
        )
        assert back == CHANGED[settings_class]
    _, notices = parse_query_params(EXPERIMENTS, params | {"fit_bogus": "1"})
    assert notices == ["Ignored bogus='1' from the link: this page has no such setting."]


def test_walkthrough_presets_are_valid_and_open_a_section():
    assert 4 <= len(lesson.WALKTHROUGH) <= 8
    for step in lesson.WALKTHROUGH:
        assert step.section in SECTIONS
        assert step.title and sum(map(step.text.count, ".?!")) >= 2  # two or three sentences
        changed = {}
        for name, value in step.preset.items():
            settings_class, _, field = preset_field(EXPERIMENTS, name)
            changed.setdefault(settings_class, {})[field] = value
        for settings_class, values in changed.items():
            validate(settings_class(**values))
    # a plain name means the fit's field, a prefixed one another section's
    assert preset_field(EXPERIMENTS, "hidden_units")[0] is nw.FitSettings
    assert preset_field(EXPERIMENTS, "hand_hidden_units")[0] is ap.HandSettings
    with pytest.raises(KeyError):
        preset_field(EXPERIMENTS, "hiden_units")


# -- the page with a link ----------------------------------------------------------------------


def test_a_shared_link_sets_the_widgets_of_every_section():
    query = {
        "fit_target": "wiggly",
        "fit_hidden_units": "7",
        "hand_hidden_units": "9",
        "bp_seed": "5",
        "present": "1",
    }
    at = app_page(PAGE, query=query)
    assert not at.exception and not at.warning
    assert at.selectbox(key="fit_target").value == "wiggly"
    assert at.slider(key="hand_hidden_units").value == 9
    link = at.code[0].value  # the "Copy link to this experiment" popover
    for name, value in query.items():
        assert f"{name}={value}" in link
    at.session_state["fundamentals_section"] = "By training"
    at.run()
    assert at.slider(key="fit_hidden_units").value == 7
    at.slider(key="fit_hidden_units").set_value(64).run()  # back to its default: left out
    assert "fit_hidden_units" not in at.query_params
    at.session_state["fundamentals_section"] = "Backpropagation"
    at.run()
    assert at.number_input(key="bp_seed").value == 5
    at.number_input(key="bp_seed").set_value(8).run()
    assert at.query_params["bp_seed"] == "8"
    assert at.query_params["present"] == "1"  # presentation mode stays in the link


BAD = {  # hand-edited: (value, the widget's default that stays)
    "fit_samples": ("1e99", 256),
    "hand_hidden_units": ("<script>alert(1)</script>", 6),
    "hand_activation": ("tanh", "sigmoid"),
    "bp_seed": ("-3", 1),
}


def test_a_hand_edited_link_is_ignored_with_a_notice():
    at = app_page(PAGE, query={name: value for name, (value, _) in BAD.items()} | {"x": "1"})
    assert not at.exception
    warnings = link_notices(at)
    assert len(warnings) == len(BAD) and len(at.warning) == 1  # one summary notice
    for name, (_, default) in BAD.items():
        assert any(w.startswith(f"Ignored {name.split('_', 1)[1]}=") for w in warnings)
        assert at.session_state[name] == default
        assert name not in at.query_params  # the bad value is gone from the link
    at.run()
    assert not at.exception and not at.warning  # said once


def test_a_script_in_a_linked_formula_is_text_that_never_runs():
    query = {"fit_target": tg.FORMULA, "fit_formula": "__import__('os').getcwd()"}
    at = app_page(PAGE, query=query)
    assert not at.exception
    assert at.text_input(key="fit_formula").value == query["fit_formula"]
    assert any("not allowed" in error.value for error in at.error)  # refused by the parser


# -- the walkthrough --------------------------------------------------------------------------


def test_the_walkthrough_sets_the_fit_and_opens_its_section():
    at = app_page(PAGE)
    at.selectbox(key="fit_target").set_value("|x|").run()
    at.toggle(key="walkthrough_on").set_value(True).run()
    at.button(key="walkthrough_begin").click().run()
    assert any("Step 1 of" in m.value for m in at.markdown)
    assert at.selectbox(key="fit_target").value == "sin"
    assert at.session_state["fundamentals_section"] == "By hand"
    assert at.slider(key="hand_hidden_units").value == 1  # another section's setting
    for _ in range(3):
        at.button(key="walkthrough_next").click().run()
    assert not at.exception
    assert any("Step 4 of" in m.value for m in at.markdown)
    assert at.session_state["fundamentals_section"] == "By training"
    assert at.selectbox(key="fit_target").value == "wiggly"
    assert at.slider(key="fit_hidden_units").value == 2
    assert at.number_input(key="fit_epochs").value == 500
    assert at.query_params["fit_hidden_units"] == "2"  # the link follows the walkthrough
    at.slider(key="fit_hidden_units").set_value(5).run()  # the controls stay live
    assert at.slider(key="fit_hidden_units").value == 5
    at.button(key="walkthrough_back").click().run()
    assert any("Step 3 of" in m.value for m in at.markdown)
    assert at.slider(key="fit_hidden_units").value == 64
    assert at.selectbox(key="fit_target").value == "sin"
    for _ in range(5):
        at.button(key="walkthrough_next").click().run()
    assert any(f"Step 8 of {len(lesson.WALKTHROUGH)}" in m.value for m in at.markdown)
    assert at.session_state["fundamentals_section"] == "Backpropagation"
    assert at.number_input(key="bp_hidden_layers").value == 1
    assert at.session_state["depth_budget"] == 200  # set by step 7, kept while its tab is closed
    assert not at.exception


# -- the quiz and the downloads ---------------------------------------------------------------


def test_the_quiz_gives_feedback():
    at = app_page(PAGE)
    at.radio(key="fundamentals_quiz_q0").set_value(lesson.QUIZ[0].answer).run()
    assert any(s.value.startswith("Right.") for s in at.success)
    wrong = (lesson.QUIZ[1].answer + 1) % len(lesson.QUIZ[1].options)
    at.radio(key="fundamentals_quiz_q1").set_value(wrong).run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert any(f"1 of {len(lesson.QUIZ)} right" in c.value for c in at.caption)


def test_training_log_and_model_download_after_a_run():
    at = app_page(PAGE, query={"fit_epochs": "20", "fit_hidden_units": "8"})
    at.session_state["fundamentals_section"] = "By training"
    at.run()
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert not buttons["Notebook for the lab (.ipynb)"].disabled
    assert buttons["Training log (.csv)"].disabled  # nothing trained yet
    at = run_training(at, "fit")
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert not buttons["Training log (.csv)"].disabled
    assert not buttons["Trained model (.keras)"].disabled
    trainer = at.session_state["fit_trainer"][1]
    log = pd.read_csv(io.BytesIO(training.history_csv(trainer.history)))
    assert len(log) == 20 and "loss" in log.columns
    assert log["loss"].iloc[-1] == pytest.approx(trainer.history[-1]["loss"])
    model = training.keras_bytes(trainer.model)
    assert model[:2] == b"PK"  # a .keras file is a zip archive


# -- presentation mode -------------------------------------------------------------------------


def chart_label_sizes(at) -> set[int]:
    import json

    return {
        json.loads(chart.proto.spec)["config"]["axis"]["labelFontSize"]
        for chart in at.get("vega_lite_chart")
    }


def test_presentation_mode_enlarges_the_type_and_the_charts():
    at = app_page(PAGE, query={"present": "1"})  # a link opens in presentation mode
    assert at.toggle(key=ui.PRESENTATION_KEY).value
    assert any("font-size: 1.3rem" in element.proto.body for element in at.get("html"))
    large = round(charts.AXIS_LABEL_SIZE * ui.PRESENTATION_CHART_SCALE)
    assert chart_label_sizes(at) == {large}
    at.toggle(key=ui.PRESENTATION_KEY).set_value(False).run()
    assert chart_label_sizes(at) == {charts.AXIS_LABEL_SIZE}
    assert not any("font-size: 1.3rem" in element.proto.body for element in at.get("html"))
    assert "present" not in at.query_params
