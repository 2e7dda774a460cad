"""The recurrent-networks page in AppTest: it renders, trains briefly, generates, explains."""

import pytest

from course_lib import training
from tests.conftest import app_page, run_training

PAGE = "app_pages/recurrent_networks.py"


@pytest.fixture(scope="module")
def page():
    """One rendered page, shared: the first render loads TensorFlow and the pretrained model."""
    return app_page(PAGE, timeout=300)


def test_the_page_renders_with_the_offline_corpus(page):
    at = page
    assert not at.exception
    assert at.title[0].value == "Deep recurrent networks: a text generator"
    assert at.radio(key="rnn_corpus").value == "python"
    assert at.selectbox(key="rnn_cell").value == "GRU"
    assert any("bits per character" in caption.value for caption in at.caption)  # pretrained
    assert any("unigram" in markdown.value for markdown in at.markdown)
    assert at.selectbox(key="rnn_unit").value is not None  # the look-inside view


def test_generate_streams_text_that_continues_the_seed(page):
    at = page
    at.text_input(key="gen_seed_text").set_value("class ").run()
    at.number_input(key="gen_length").set_value(60).run()
    at.button(key="rnn_generate").click().run()
    assert not at.exception
    written = at.session_state["rnn_written"]
    assert written.startswith("class ") and len(written) == len("class ") + 60
    assert any(code.value == written for code in at.code)


def test_each_press_of_generate_draws_a_fresh_seed_and_shows_it(page):
    at = page
    at.text_input(key="gen_seed_text").set_value("def ").run()
    at.slider(key="gen_temperature").set_value(1.5).run()
    texts, seeds = [], []
    for _ in range(2):
        at.button(key="rnn_generate").click().run()
        texts.append(at.session_state["rnn_written"])
        seeds.append(at.session_state["rnn_sampling_seed"])
        assert any(f"Sampling seed {seeds[-1]}" in caption.value for caption in at.caption)
    assert not at.exception
    assert seeds[0] != seeds[1] and texts[0] != texts[1]


def test_temperature_zero_and_unknown_characters_are_explained(page):
    at = page
    at.slider(key="gen_temperature").set_value(0.0).run()
    assert any("greedy" in info.value for info in at.info)
    at.text_input(key="gen_seed_text").set_value("def ☃(x):").run()
    assert any("☃" in warning.value for warning in at.warning)
    assert not at.exception


def test_a_short_training_run_writes_samples_and_your_network_generates():
    at = app_page(PAGE, timeout=300)
    at.select_slider(key="rnn_hidden_units").set_value(16)
    at.select_slider(key="rnn_sequence_length").set_value(16)
    at.number_input(key="rnn_steps_per_epoch").set_value(2)
    at.number_input(key="rnn_epochs").set_value(2).run()  # one rerun for all four
    at = run_training(at, "rnn_train")
    assert not at.exception
    trainer = at.session_state["rnn_trainer"][1]
    assert trainer.epochs_done == 2
    assert all(len(row["sample"]) > 0 for row in trainer.history)
    assert any("Finished: 2 epochs" in success.value for success in at.success)
    # keep the results: the log as CSV, one row per epoch, samples included
    import io

    import pandas as pd

    log = pd.read_csv(io.StringIO(training.history_csv(trainer.history).decode()))
    assert list(log["epoch"]) == [1, 2] and "sample" in log.columns
    assert log.filter(like="bits").notna().all().all()
    downloads = {button.proto.id.split("-")[-1]: button for button in at.get("download_button")}
    assert set(downloads) == {"rnn_notebook", "rnn_results_log", "rnn_results_model"}
    assert not any(button.proto.disabled for button in downloads.values())  # trained: enabled
    at.radio(key="gen_network").set_value("yours").run()
    at.button(key="rnn_generate").click().run()
    assert not at.exception
    assert len(at.session_state["rnn_written"]) == len("def ") + 400


def test_word_level_reports_bits_per_word():
    at = app_page(PAGE, timeout=300)
    at.radio(key="rnn_level").set_value("word").run()  # enables the vocabulary size
    at.number_input(key="rnn_max_words").set_value(50).run()
    assert not at.exception
    assert any("bits per word" in markdown.value for markdown in at.markdown)


def test_shakespeare_offline_falls_back_to_python(monkeypatch):
    import keras

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: no internet")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    at = app_page(PAGE, timeout=300)
    at.radio(key="rnn_corpus").set_value("shakespeare").run()
    assert not at.exception
    assert any("could not be downloaded" in error.value for error in at.error)
