"""course_lib.recurrent_networks.text: corpora, vocabulary, windows, baselines, the stateful sampler."""

import codecs
import dataclasses
import math

import numpy as np
import pytest

from course_lib.recurrent_networks import text
from course_lib.recurrent_networks.text import CorpusError, TextSettings, Vocabulary
from course_lib.settings import validate

SNIPPET = 'def add(a, b):\n    """Return a + b."""\n    return a + b\n\nprint(add(1, 2))\n' * 20
TINY = TextSettings(hidden_units=16, embedding_dim=8, sequence_length=16, batch_size=16)


# -- vocabulary ------------------------------------------------------------------------
@pytest.mark.parametrize("level", ["character", "word"])
def test_encode_decode_round_trip(level):
    vocabulary = text.build_vocabulary(SNIPPET, level)
    ids = vocabulary.encode(SNIPPET)
    assert ids.dtype == np.int32
    assert vocabulary.decode(ids) == SNIPPET
    assert 0 not in ids  # everything known: nothing read as UNKNOWN
    assert Vocabulary.from_json(vocabulary.to_json()) == vocabulary


def test_character_vocabulary_is_the_sorted_character_set():
    vocabulary = text.build_vocabulary("banana")
    assert vocabulary.tokens == (text.UNKNOWN, "a", "b", "n")
    assert list(vocabulary.encode("nab")) == [3, 1, 2]


def test_unknown_tokens_become_id_0_and_are_reported():
    vocabulary = text.build_vocabulary("abc")
    assert list(vocabulary.encode("a€c")) == [1, 0, 3]
    assert vocabulary.decode(vocabulary.encode("a€c")) == f"a{text.UNKNOWN}c"
    assert vocabulary.unknown_in("a€€xb") == ["€", "x"]


def test_word_vocabulary_is_capped_by_frequency():
    corpus = "the cat and the dog and the bird"
    vocabulary = text.build_vocabulary(corpus, "word", max_words=4)
    assert vocabulary.size == 4
    assert vocabulary.tokens[1:] == (" ", "the", "and")  # the three most frequent tokens
    assert vocabulary.decode(vocabulary.encode("the cat")) == f"the {text.UNKNOWN}"


# -- windows, split, baselines ---------------------------------------------------------
def test_windows_predict_the_next_token():
    ids = np.arange(23, dtype=np.int32)
    x, y = text.make_windows(ids, 5)
    assert x.shape == y.shape == (4, 5)
    np.testing.assert_array_equal(x[1], [5, 6, 7, 8, 9])
    np.testing.assert_array_equal(y, x + 1)
    x, _ = text.make_windows(ids, 5, stride=2)
    assert len(x) == 9 and x[-1, -1] == 20


def test_too_short_a_text_for_one_window_is_explained():
    with pytest.raises(CorpusError, match="needs 65"):
        text.make_windows(np.arange(40), 64)
    with pytest.raises(CorpusError, match="shorter sequence length"):
        text.prepare_data("short text, longer than one character", TextSettings())


def test_split_is_contiguous_and_complete():
    ids = np.arange(100)
    train, val = text.split_ids(ids, 0.1)
    assert len(val) == 10 and train[-1] + 1 == val[0]


def test_prepared_data_is_read_only_and_has_baselines():
    data = text.prepare_data(SNIPPET, TINY)
    assert data.x_train.shape[1] == 16 and not data.x_train.flags.writeable
    assert data.baselines["uniform guess"] == pytest.approx(math.log2(data.vocabulary.size))
    assert data.baselines["unigram"] < data.baselines["uniform guess"]


def test_uniform_and_unigram_baselines():
    assert text.uniform_bits(64) == 6.0
    # tokens drawn uniformly: the unigram model cannot do better than log2 V
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, 8, 200_000)
    assert text.unigram_bits(tokens[:100_000], tokens[100_000:], 8) == pytest.approx(3.0, abs=0.01)
    # a skewed source: the unigram cross-entropy is its entropy
    skewed = rng.choice(4, size=200_000, p=[0.5, 0.25, 0.125, 0.125])
    assert text.unigram_bits(skewed[:100_000], skewed[100_000:], 4) == pytest.approx(1.75, abs=0.01)


# -- hostile uploads -------------------------------------------------------------------
def test_an_empty_or_one_character_file_is_refused():
    with pytest.raises(CorpusError, match="empty"):
        text.read_upload(b"", "empty.txt")
    with pytest.raises(CorpusError, match="1 visible character"):
        text.read_upload(b"x\n", "one.txt")


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10
    with pytest.raises(CorpusError, match="does not look like text"):
        text.read_upload(png, "picture.txt")


def test_non_utf8_falls_back_with_a_notice():
    corpus = text.read_upload("Café crème, naïve façade.\r\n".encode("cp1252"), "old.txt")
    assert corpus.text == "Café crème, naïve façade.\n"
    assert any("not UTF-8" in notice for notice in corpus.notices)


def test_utf8_with_bom_and_utf16_are_read_exactly():
    words = "Grüße, 世界!\n"
    assert text.read_upload(codecs.BOM_UTF8 + words.encode()).text == words
    corpus = text.read_upload(words.encode("utf-16"))
    assert corpus.text == words and corpus.notices == ()


def test_a_100_mb_upload_is_truncated_with_a_notice():
    data = ("é" * 50_000_000).encode("utf-8")  # 100 MB, two bytes per character
    corpus = text.read_upload(data, "huge.txt")
    assert len(corpus.text) == text.MAX_CORPUS_CHARS
    assert set(corpus.text) == {"é"}  # no half character at the cut
    assert any("100 MB" in notice for notice in corpus.notices)


def test_shakespeare_offline_says_so(monkeypatch):
    import keras

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(CorpusError, match="offline"):
        text.load_shakespeare()


def test_shakespeare_loader_reads_a_cached_file(tmp_path):
    source = tmp_path / "plays.txt"
    source.write_text("ROMEO:\nBut soft, what light through yonder window breaks?\n")
    corpus = text.load_shakespeare(cache_dir=str(tmp_path / "cache"), origin=source.as_uri())
    assert corpus.text.startswith("ROMEO:") and corpus.seed_text == "ROMEO:"


def test_offline_corpus_and_statistics():
    corpus = text.load_offline_corpus()
    statistics = text.corpus_statistics(corpus.text)
    assert statistics["characters"] > 200_000
    top = text.character_frequencies(corpus.text, top=5)
    assert top["character"].iloc[0] == "space ␣"  # Python is mostly spaces
    assert top["share"].is_monotonic_decreasing


# -- model and the stateful sampler ----------------------------------------------------
@pytest.fixture(scope="module")
def snippet_vocabulary():
    return text.build_vocabulary(SNIPPET)


@pytest.mark.parametrize(("cell", "layers"), [("GRU", 1), ("LSTM", 2), ("SimpleRNN", 2)])
def test_reading_one_token_at_a_time_equals_the_whole_sequence(snippet_vocabulary, cell, layers):
    settings = TextSettings(cell=cell, layers=layers, hidden_units=12, embedding_dim=6, seed=3)
    model = text.build_model(snippet_vocabulary.size, settings)
    sampler = text.Sampler(model, snippet_vocabulary)
    seed = "def add(a, b):\n    return"
    stepwise, _ = sampler.read(seed)
    whole = model(snippet_vocabulary.encode(seed)[None])[0].numpy()
    np.testing.assert_allclose(stepwise, whole, atol=1e-5)
    # generating N tokens greedily, one by one, picks the argmax of the whole-sequence logits
    written = "".join(sampler.generate(seed, 40, temperature=0.0))
    full = model(snippet_vocabulary.encode(seed + written)[None])[0].numpy()
    assert len(written) == 40
    assert written == snippet_vocabulary.decode(full.argmax(-1)[len(seed) - 1 : -1])


def test_forgetting_the_state_between_steps_is_wrong(snippet_vocabulary):
    """The pitfall of tensorflow/tensorflow#27789: feeding one character per call from zero state."""
    model = text.build_model(snippet_vocabulary.size, TINY)
    ids = snippet_vocabulary.encode("return a + b")
    whole = model(ids[None])[0].numpy()
    forgetful = np.stack([model(ids[None, t : t + 1])[0, 0].numpy() for t in range(len(ids))])
    assert not np.allclose(forgetful[1:], whole[1:], atol=1e-4)


def test_single_step_carries_the_state(snippet_vocabulary):
    model = text.build_model(snippet_vocabulary.size, TINY)
    sampler = text.Sampler(model, snippet_vocabulary)
    ids = snippet_vocabulary.encode("print(add")
    states = sampler.initial_state()
    for token in ids:
        _, logits, states = sampler.step(int(token), states, temperature=0.0)
    np.testing.assert_allclose(logits, model(ids[None])[0, -1].numpy(), atol=1e-5)


def test_sampling_is_reproducible_and_temperature_to_zero_is_greedy(snippet_vocabulary):
    model = text.build_model(snippet_vocabulary.size, TINY)
    sampler = text.Sampler(model, snippet_vocabulary, chunk=7)
    first = "".join(sampler.generate("def", 30, temperature=1.0, seed=5))
    assert first == "".join(sampler.generate("def", 30, temperature=1.0, seed=5))
    assert first != "".join(sampler.generate("def", 30, temperature=1.0, seed=6))
    # an untrained network is nearly indifferent; make its choices clear-cut (logits ×100)
    dense = model.get_layer("next_token_logits")
    dense.set_weights([w * 100 for w in dense.get_weights()])
    greedy = "".join(sampler.generate("def", 30, temperature=0.0))
    assert "".join(sampler.generate("def", 30, temperature=1e-3, seed=9)) == greedy
    assert "".join(sampler.generate("def", 30, temperature=1.0, seed=9)) != greedy


def test_next_token_probabilities_at_temperatures():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    plain = text.next_token_probabilities(logits, 1.0)
    np.testing.assert_allclose(plain, np.exp(logits) / np.exp(logits).sum())
    assert text.next_token_probabilities(logits, 1e-3)[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(text.next_token_probabilities(logits, 0.0), [1, 0, 0, 0])
    hot = text.next_token_probabilities(logits, 1e3)
    np.testing.assert_allclose(hot, 0.25, atol=1e-3)
    assert np.isfinite(text.next_token_probabilities(logits * 1e6, 1e-6)).all()


def test_temperature_checks():
    assert text.check_temperature(0.7) == (0.7, "")
    assert "greedy" in text.check_temperature(0.0)[1]
    assert "uniform" in text.check_temperature(2.5)[1]
    assert "loops" in text.check_temperature(0.3)[1]
    with pytest.raises(ValueError, match="0 or more"):
        text.check_temperature(-1)
    with pytest.raises(ValueError):
        text.check_temperature(float("nan"))


# -- training, looking inside, the pretrained model ------------------------------------
def test_a_short_run_records_bits_and_samples():
    settings = dataclasses.replace(TINY, steps_per_epoch=3)
    trainer = text.make_trainer(text.prepare_data(SNIPPET, settings), settings, seed_text="def")
    trainer.step()
    row = trainer.history[-1]
    assert row["bits_per_character"] == pytest.approx(row["loss"] / math.log(2))
    assert row["val_bits_per_character"] == pytest.approx(row["val_loss"] / math.log(2))
    assert len(row["sample"]) == text.SAMPLE_CHARACTERS
    frame = text.samples_frame(trainer.history)
    assert list(frame.columns) == ["epoch", "validation bits", "sample"]


def test_hidden_activations_and_the_most_variable_units(snippet_vocabulary):
    model = text.build_model(
        snippet_vocabulary.size, dataclasses.replace(TINY, layers=2, hidden_units=8)
    )
    activations = text.hidden_activations(model, snippet_vocabulary, "def add(a, b):")
    assert activations.shape == (14, 8)
    assert np.abs(activations).max() <= 1
    order = text.units_by_variance(activations)
    variances = activations.var(axis=0)[order]
    assert sorted(order) == list(range(8)) and np.all(np.diff(variances) <= 0)
    first = text.hidden_activations(model, snippet_vocabulary, "def add(a, b):", layer=0)
    assert not np.allclose(first, activations)


def test_activation_html_escapes_the_text():
    page = text.activation_html(["<", "script", ">", "\n", "&"], [1.0, -1.0, 0.0, 0.5, 2.0])
    assert "<script>" not in page
    assert "&lt;" in page and "&gt;" in page and "&amp;" in page and "<br>" in page
    assert page.count("<span") == 5


def test_the_pretrained_model_beats_the_unigram_baseline():
    shipped = text.load_pretrained()
    info = shipped.info
    assert (
        info["validation_bits_per_character"] < info["baselines_bits_per_character"]["unigram"] - 1
    )
    corpus = text.load_offline_corpus()
    assert shipped.vocabulary == text.build_vocabulary(corpus.text)
    sampler = text.Sampler(shipped.model, shipped.vocabulary)
    assert len("".join(sampler.generate("def ", 50, temperature=0.5))) == 50


def test_settings_defaults_are_valid():
    validate(TextSettings())
    validate(text.GenerationSettings())
    validate(text.PRETRAINED_SETTINGS)


# -- classroom: walkthrough, quiz, notebook --------------------------------------------
def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(text.WALKTHROUGH) <= 8 and 3 <= len(text.QUIZ) <= 5
    settings = TextSettings()
    for step in text.WALKTHROUGH:
        settings = dataclasses.replace(settings, **step.preset)
        validate(settings)
        assert step.text.count(".") >= 2


def test_the_notebook_runs_headless_offline():
    """Word level, two LSTM layers: the paths the defaults do not take (one kernel: ~30 s)."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    from course_lib import classroom

    small = dataclasses.replace(
        TINY, level="word", max_words=300, epochs=1, steps_per_epoch=2, cell="LSTM", layers=2
    )
    source = classroom.notebook(text.notebook_cells(small), title="A text generator")
    book = nbformat.reads(source.decode(), as_version=4)
    nbclient.NotebookClient(book, timeout=300, kernel_name="python3").execute()
    printed = "".join(
        output.get("text", "") for cell in book.cells for output in cell.get("outputs", [])
    )
    assert "unigram" in printed and "def" in printed
