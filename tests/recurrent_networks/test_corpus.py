"""course_lib.recurrent_networks.corpus: corpora, uploads, vocabulary, windows, baselines."""

import codecs
import math

import numpy as np
import pytest

from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks.corpus import CorpusError, Vocabulary
from course_lib.recurrent_networks.model import TextSettings
from tests.recurrent_networks.conftest import SNIPPET, TINY


@pytest.mark.parametrize("level", ["character", "word"])
def test_encode_decode_round_trip(level):
    vocabulary = corpora.build_vocabulary(SNIPPET, level)
    ids = vocabulary.encode(SNIPPET)
    assert ids.dtype == np.int32
    assert vocabulary.decode(ids) == SNIPPET
    assert 0 not in ids  # everything known: nothing read as UNKNOWN
    assert Vocabulary.from_json(vocabulary.to_json()) == vocabulary


def test_character_vocabulary_is_the_sorted_character_set():
    vocabulary = corpora.build_vocabulary("banana")
    assert vocabulary.tokens == (corpora.UNKNOWN, "a", "b", "n")
    assert list(vocabulary.encode("nab")) == [3, 1, 2]


def test_unknown_tokens_become_id_0_and_are_reported():
    vocabulary = corpora.build_vocabulary("abc")
    assert list(vocabulary.encode("a€c")) == [1, 0, 3]
    assert vocabulary.decode(vocabulary.encode("a€c")) == f"a{corpora.UNKNOWN}c"
    assert vocabulary.unknown_in("a€€xb") == ["€", "x"]


def test_word_vocabulary_is_capped_by_frequency():
    corpus = "the cat and the dog and the bird"
    vocabulary = corpora.build_vocabulary(corpus, "word", max_words=4)
    assert vocabulary.size == 4
    assert vocabulary.tokens[1:] == (" ", "the", "and")  # the three most frequent tokens
    assert vocabulary.decode(vocabulary.encode("the cat")) == f"the {corpora.UNKNOWN}"


def test_windows_predict_the_next_token():
    ids = np.arange(23, dtype=np.int32)
    x, y = corpora.make_windows(ids, 5)
    assert x.shape == y.shape == (4, 5)
    np.testing.assert_array_equal(x[1], [5, 6, 7, 8, 9])
    np.testing.assert_array_equal(y, x + 1)
    x, _ = corpora.make_windows(ids, 5, stride=2)
    assert len(x) == 9 and x[-1, -1] == 20


def test_too_short_a_text_for_one_window_is_explained():
    with pytest.raises(CorpusError, match="needs 65"):
        corpora.make_windows(np.arange(40), 64)
    with pytest.raises(CorpusError, match="shorter sequence length"):
        corpora.prepare_data("short text, longer than one character", TextSettings())


def test_split_is_contiguous_and_complete():
    ids = np.arange(100)
    train, val = corpora.split_ids(ids, 0.1)
    assert len(val) == 10 and train[-1] + 1 == val[0]


def test_prepared_data_is_read_only_and_has_baselines():
    data = corpora.prepare_data(SNIPPET, TINY)
    assert data.x_train.shape[1] == 16 and not data.x_train.flags.writeable
    assert data.baselines["uniform guess"] == pytest.approx(math.log2(data.vocabulary.size))
    assert data.baselines["unigram"] < data.baselines["uniform guess"]


def test_uniform_and_unigram_baselines():
    assert corpora.uniform_bits(64) == 6.0
    # tokens drawn uniformly: the unigram model cannot do better than log2 V
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, 8, 200_000)
    assert corpora.unigram_bits(tokens[:100_000], tokens[100_000:], 8) == pytest.approx(
        3.0, abs=0.01
    )
    # a skewed source: the unigram cross-entropy is its entropy
    skewed = rng.choice(4, size=200_000, p=[0.5, 0.25, 0.125, 0.125])
    assert corpora.unigram_bits(skewed[:100_000], skewed[100_000:], 4) == pytest.approx(
        1.75, abs=0.01
    )


def test_an_empty_or_one_character_file_is_refused():
    with pytest.raises(CorpusError, match="empty"):
        corpora.read_upload(b"", "empty.txt")
    with pytest.raises(CorpusError, match="1 visible character"):
        corpora.read_upload(b"x\n", "one.txt")


def test_a_binary_file_is_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10
    with pytest.raises(CorpusError, match="does not look like text"):
        corpora.read_upload(png, "picture.txt")


def test_non_utf8_falls_back_with_a_notice():
    corpus = corpora.read_upload("Café crème, naïve façade.\r\n".encode("cp1252"), "old.txt")
    assert corpus.text == "Café crème, naïve façade.\n"
    assert any("not UTF-8" in notice for notice in corpus.notices)


def test_utf8_with_bom_and_utf16_are_read_exactly():
    words = "Grüße, 世界!\n"
    assert corpora.read_upload(codecs.BOM_UTF8 + words.encode()).text == words
    corpus = corpora.read_upload(words.encode("utf-16"))
    assert corpus.text == words and corpus.notices == ()


def test_a_100_mb_upload_is_truncated_with_a_notice():
    data = ("é" * 50_000_000).encode("utf-8")  # 100 MB, two bytes per character
    corpus = corpora.read_upload(data, "huge.txt")
    assert len(corpus.text) == corpora.MAX_CORPUS_CHARS
    assert set(corpus.text) == {"é"}  # no half character at the cut
    assert any("100 MB" in notice for notice in corpus.notices)


def test_shakespeare_offline_says_so(monkeypatch):
    import keras

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: [Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(CorpusError, match="offline"):
        corpora.load_shakespeare()


def test_shakespeare_loader_reads_a_cached_file(tmp_path):
    source = tmp_path / "plays.txt"
    source.write_text("ROMEO:\nBut soft, what light through yonder window breaks?\n")
    corpus = corpora.load_shakespeare(cache_dir=str(tmp_path / "cache"), origin=source.as_uri())
    assert corpus.text.startswith("ROMEO:") and corpus.seed_text == "ROMEO:"


def test_offline_corpus_and_statistics():
    corpus = corpora.load_offline_corpus()
    statistics = corpora.corpus_statistics(corpus.text)
    assert statistics["characters"] > 200_000
    top = corpora.character_frequencies(corpus.text, top=5)
    assert top["character"].iloc[0] == "space ␣"  # Python is mostly spaces
    assert top["share"].is_monotonic_decreasing
