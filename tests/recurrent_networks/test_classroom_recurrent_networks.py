"""Chapter 4 in class: shared links, walkthroughs, quiz and downloads of the recurrent page."""

import dataclasses

import pytest

from course_lib.recurrent_networks import lesson
from course_lib.recurrent_networks import sampler as sampling
from course_lib.recurrent_networks.model import TextSettings
from course_lib.recurrent_networks.sampler import GenerationSettings
from course_lib.settings import bounds, from_query_params, snap, to_query_params, validate
from tests.conftest import app_page, link_notices

PAGE = "app_pages/recurrent_networks.py"
CHANGED = {
    TextSettings: (
        "rnn_",
        TextSettings(corpus="shakespeare", level="word", cell="LSTM", hidden_units=64,
                     learning_rate=0.01, validation_fraction=0.2, seed=7),
    ),
    GenerationSettings: (
        "gen_",
        GenerationSettings(network="yours", seed_text="class A:", length=50, temperature=1.5),
    ),
}  # fmt: skip


@pytest.mark.parametrize("settings_class", list(CHANGED))
def test_settings_round_trip_through_query_params(settings_class):
    prefix, settings = CHANGED[settings_class]
    params = to_query_params(settings, prefix)
    assert all(name.startswith(prefix) for name in params)
    assert all(isinstance(value, str) for value in params.values())
    back, notices = from_query_params(settings_class, params, prefix)
    assert back == settings and notices == []
    assert to_query_params(settings_class(), prefix) == {}  # defaults make a short link


@pytest.mark.parametrize(
    ("steps", "settings_class"),
    [(lesson.WALKTHROUGH, TextSettings), (lesson.GENERATION_WALKTHROUGH, GenerationSettings)],
)
def test_every_preset_is_a_valid_setting_the_widgets_can_show(steps, settings_class):
    assert 4 <= len(steps) <= 8
    for step in steps:  # a preset is a complete experiment: the defaults and its values
        validate(dataclasses.replace(settings_class(), **step.preset))
        for name, value in step.preset.items():
            assert snap(settings_class, name, value) == (value, None)


def test_the_generation_walkthrough_compares_low_and_high_temperatures():
    temperatures = [s.preset.get("temperature") for s in lesson.GENERATION_WALKTHROUGH]
    assert 0.2 in temperatures and 1.5 in temperatures
    assert lesson.GENERATION_WALKTHROUGH[0].preset["network"] == "pretrained"


def test_values_between_slider_stops_move_to_the_nearest_with_a_note():
    assert snap(TextSettings, "hidden_units", 100)[0] == 128
    assert snap(TextSettings, "learning_rate", 0.004)[0] == 0.005  # nearest on a log scale
    value, note = snap(TextSettings, "hidden_units", 1000)
    assert value == 512 and "nearest" in note
    value, note = sampling.cut_seed_text("x" * 900)
    assert len(value) == sampling.MAX_SEED_CHARS and "cut" in note
    assert snap(TextSettings, "cell", "LSTM") == ("LSTM", None)


def test_a_shared_validation_fraction_reaches_the_trainer():
    """It used to be accepted from a link and then silently dropped by the page."""
    at = app_page(PAGE, timeout=300, query={"rnn_validation_fraction": "0.2"})
    assert not at.exception
    assert not link_notices(at)
    assert at.slider(key="rnn_validation_fraction").value == 0.2
    assert at.session_state["rnn_trainer"][0][0].validation_fraction == 0.2
    assert at.query_params["rnn_validation_fraction"] == "0.2"


def test_a_long_seed_text_from_a_link_is_cut_with_a_note():
    at = app_page(PAGE, timeout=300, query={"gen_seed_text": "x" * 900})
    assert not at.exception
    assert at.text_input(key="gen_seed_text").value == "x" * sampling.MAX_SEED_CHARS
    assert any("cut to" in info.value for info in at.info)


def test_a_shared_link_sets_the_widgets_of_both_settings():
    at = app_page(
        PAGE,
        timeout=300,
        query={"rnn_cell": "LSTM", "rnn_layers": "2", "rnn_hidden_units": "64",
               "gen_temperature": "1.5", "gen_seed_text": "class "},
    )  # fmt: skip
    assert not at.exception
    assert at.selectbox(key="rnn_cell").value == "LSTM"
    assert at.slider(key="rnn_layers").value == 2
    assert at.select_slider(key="rnn_hidden_units").value == 64
    assert at.slider(key="gen_temperature").value == 1.5
    assert at.text_input(key="gen_seed_text").value == "class "
    assert not [notice for notice in link_notices(at) if "Ignored" in notice]
    # the URL keeps them, and the trainer is built with them
    assert at.query_params["rnn_cell"] == "LSTM" and at.query_params["gen_temperature"] == "1.5"
    links = [c.value for c in at.code if "rnn_cell=" in c.value or "gen_temperature=" in c.value]
    assert len(links) == 1  # one "Copy link" for the training and the generation settings
    assert "rnn_cell=LSTM" in links[0] and "gen_temperature=1.5" in links[0]
    settings = at.session_state["rnn_trainer"][0][0]
    assert (settings.cell, settings.layers, settings.hidden_units) == ("LSTM", 2, 64)


def test_a_hand_edited_link_is_ignored_with_a_notice():
    at = app_page(
        PAGE,
        timeout=300,
        query={"rnn_cell": "<script>alert(1)</script>", "rnn_epochs": "1e99",
               "gen_temperature": "hot", "rnn_hidden_units": "100", "rnn_nonsense": "1"},
    )  # fmt: skip
    assert not at.exception
    warnings = " ".join(link_notices(at))
    assert "Ignored cell=" in warnings and "Ignored epochs=" in warnings
    assert "Ignored temperature=" in warnings
    assert "nearest, 128" in warnings  # valid, but between two slider stops
    assert at.selectbox(key="rnn_cell").value == "GRU"
    assert at.number_input(key="rnn_epochs").value == TextSettings().epochs
    assert at.slider(key="gen_temperature").value == GenerationSettings().temperature
    assert at.select_slider(key="rnn_hidden_units").value == 128


@pytest.fixture(scope="module")
def page():
    """One rendered page for the walkthroughs and the quiz."""
    return app_page(PAGE, timeout=300)


def test_walkthrough_steps_move_the_training_widgets(page):
    at = page
    at.toggle(key="rnn_tour_on").set_value(True).run()
    at.button(key="rnn_tour_begin").click().run()
    assert any("Step 1 of" in m.value for m in at.markdown)
    at.button(key="rnn_tour_next").click().run()
    at.button(key="rnn_tour_next").click().run()  # step 3: short windows, still a GRU
    assert at.select_slider(key="rnn_sequence_length").value == 16
    at.button(key="rnn_tour_next").click().run()  # step 4: a plain RNN
    assert at.selectbox(key="rnn_cell").value == "SimpleRNN"
    at.button(key="rnn_tour_next").click().run()  # step 5: 16 units
    assert at.select_slider(key="rnn_hidden_units").value == 16
    at.button(key="rnn_tour_back").click().run()
    assert at.select_slider(key="rnn_hidden_units").value == 128
    assert at.selectbox(key="rnn_cell").value == "SimpleRNN"
    at.button(key="rnn_tour_back").click().run()
    assert at.selectbox(key="rnn_cell").value == "GRU"
    assert not at.exception


def test_walkthrough_compares_temperatures_on_the_pretrained_network(page):
    at = page
    at.toggle(key="gen_tour_on").set_value(True).run()
    at.button(key="gen_tour_begin").click().run()
    assert at.slider(key="gen_temperature").value == 0.2
    assert at.radio(key="gen_network").value == "pretrained"
    assert any("low temperature" in info.value for info in at.info)  # the page explains it
    at.button(key="gen_tour_next").click().run()
    assert at.slider(key="gen_temperature").value == 1.5
    at.button(key="gen_tour_back").click().run()
    assert at.slider(key="gen_temperature").value == 0.2
    assert at.query_params["gen_temperature"] == "0.2"  # the link follows the walkthrough
    assert not at.exception


def test_the_quiz_gives_feedback(page):
    at = page
    first = lesson.QUIZ[0]
    wrong = next(i for i in range(len(first.options)) if i != first.answer)
    at.radio(key="rnn_quiz_q0").set_value(wrong).run()
    assert any(e.value.startswith("Not quite") for e in at.error)
    at.radio(key="rnn_quiz_q0").set_value(first.answer).run()
    assert any(s.value.startswith("Right") for s in at.success)
    assert any("1 of" in c.value for c in at.caption)


def other_value(settings_class, name):
    """A valid value of one field other than its default: another stop, choice or the range's end."""
    limits, default = bounds(settings_class, name), getattr(settings_class(), name)
    for options in (limits.stops, limits.choices):
        if options:
            return next(option for option in options if option != default)
    if limits.maximum is not None:
        return type(default)(limits.maximum)
    return default + "x"  # free text


@pytest.mark.parametrize("settings_class", [TextSettings, GenerationSettings])
def test_every_field_of_the_page_survives_a_link(settings_class):
    from app_pages.recurrent_networks_sections import EXPERIMENTS
    from course_lib.ui import Controls

    controls, prefix = Controls(EXPERIMENTS), EXPERIMENTS[settings_class]
    for field in dataclasses.fields(settings_class):
        settings = dataclasses.replace(
            settings_class(), **{field.name: other_value(settings_class, field.name)}
        )
        values, notices = controls.read_link(to_query_params(settings, prefix))
        assert notices == [], field.name
        assert values == {prefix + field.name: getattr(settings, field.name)}
