"""A recurrent network that reads text one character at a time and learns to write it.

The lesson in the order of the lecture:

1. **Corpus.** A text to learn from: Python's own standard library (ships with the
   project, works offline), the Shakespeare corpus of the TensorFlow tutorial
   (downloaded), or the student's ``.txt`` file.
2. **Vocabulary.** Every character (or, as an option, every frequent word) gets an
   integer id; the network sees ids, never letters.
3. **Windows.** The text is cut into sequences of ``sequence_length`` ids; the target of
   each position is the *next* id. The last part of the text is held out for validation.
4. **Baselines.** Before training, two honest guesses: uniform over the vocabulary
   (log₂ V bits per character) and the character frequencies (a unigram model). A
   network that reads context must beat both.
5. **Model.** Embedding → recurrent layer(s) (SimpleRNN, GRU or LSTM) → a dense layer
   giving one logit per vocabulary entry, at every position.
6. **Generation.** Feed a seed, then sample one character at a time and feed it back,
   *carrying the hidden state* from step to step. Temperature sharpens (T < 1) or
   flattens (T > 1) the distribution; T = 0 always takes the most likely character.
7. **Look inside.** The hidden state is a vector of numbers per position; some units
   track things a reader can name (inside a string, indentation depth, line length).

Run ``python -m course_lib.text`` to rebuild the offline corpus and retrain the
pretrained model in ``assets/text/``.
"""

from __future__ import annotations

import codecs
import collections
import hashlib
import html
import json
import math
import re
import sysconfig
import time
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from course_lib.settings import setting

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets" / "text"
#: The offline corpus: a fixed selection of Python's standard library (see STDLIB_MODULES).
OFFLINE_CORPUS_PATH = ASSETS / "python_stdlib.txt"
PRETRAINED_WEIGHTS_PATH = ASSETS / "python_gru.weights.h5"
PRETRAINED_INFO_PATH = ASSETS / "python_gru.json"

#: The corpus of the TensorFlow "Text generation with an RNN" tutorial (public domain).
SHAKESPEARE_URL = "https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt"

#: Modules of the standard library with plenty of docstring prose next to the code.
STDLIB_MODULES = (
    "textwrap.py",
    "heapq.py",
    "bisect.py",
    "fractions.py",
    "statistics.py",
    "random.py",
    "functools.py",
    "difflib.py",
    "string.py",
    "calendar.py",
    "dataclasses.py",
    "contextlib.py",
    "abc.py",
    "shlex.py",
    "glob.py",
    "fnmatch.py",
    "colorsys.py",
    "queue.py",
    "sched.py",
    "graphlib.py",
    "numbers.py",
    "copy.py",
    "pprint.py",
    "reprlib.py",
)

#: How the page names the corpora of :class:`TextSettings`.
CORPUS_LABELS = {
    "python": "Python's standard library (offline)",
    "shakespeare": "Shakespeare (download)",
    "upload": "Your own .txt file",
}
#: Longest text used for training (characters); a longer one is truncated with a notice.
MAX_CORPUS_CHARS = 2_000_000
#: Bytes of an upload that are read at most (UTF-8 needs up to 4 bytes per character).
MAX_UPLOAD_BYTES = 4 * MAX_CORPUS_CHARS
#: Largest character vocabulary; rarer characters become UNKNOWN.
MAX_CHARACTERS = 256
#: Read as the stand-in for anything outside the vocabulary.
UNKNOWN = "\ufffd"
#: Words, runs of white space, single punctuation marks: together they cover every character.
WORD_PATTERN = re.compile(r"\w+|\s+|[^\w\s]")

#: The epoch samples: same length and temperature every epoch, so they compare.
SAMPLE_TEMPERATURE = 0.5
SAMPLE_CHARACTERS = 120


# -- 1. Corpus ---------------------------------------------------------------------------
class CorpusError(ValueError):
    """A text that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class Corpus:
    """A text to learn from.

    Attributes:
        name: short name shown on the page.
        text: the text itself (newlines normalised to ``\\n``).
        source: where it comes from, in one sentence (licence included).
        notices: what was done to the text on the way in (truncated, re-encoded…).
        seed_text: a natural beginning for generated text.
    """

    name: str
    text: str
    source: str
    notices: tuple[str, ...] = ()
    seed_text: str = ""

    @property
    def fingerprint(self) -> str:
        """Short hash of the text: two corpora with the same text compare equal."""
        return hashlib.sha1(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def build_stdlib_corpus(modules: Sequence[str] = STDLIB_MODULES) -> str:
    """The source of some standard-library modules of the running Python, one after another."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    parts = []
    for module in modules:
        source = (stdlib / module).read_text(encoding="utf-8")
        parts.append(f"# ---- {module} ----\n{source.strip()}\n\n")
    return "".join(parts)


def load_offline_corpus() -> Corpus:
    """Python's standard library, as shipped in ``assets/text`` (no download needed)."""
    if OFFLINE_CORPUS_PATH.is_file():
        text = OFFLINE_CORPUS_PATH.read_text(encoding="utf-8")
    else:  # a checkout without assets: the same modules from the running Python
        text = build_stdlib_corpus()
    return Corpus(
        name="Python standard library",
        text=text,
        source=(
            f"The source of {len(STDLIB_MODULES)} modules of Python's standard library "
            "(textwrap, heapq, random, functools, dataclasses, …), copied from Python 3.11 "
            "under the Python Software Foundation License."
        ),
        seed_text="def ",
    )


def load_shakespeare(cache_dir: str | None = None, origin: str = SHAKESPEARE_URL) -> Corpus:
    """The Shakespeare corpus of the TensorFlow tutorial, downloaded once and cached.

    Raises:
        CorpusError: the file could not be downloaded (e.g. no internet).
    """
    import keras

    try:
        path = keras.utils.get_file("shakespeare.txt", origin=origin, cache_dir=cache_dir)
        data = Path(path).read_bytes()
    except Exception as error:  # urllib, HTTP and file errors all mean "not available"
        raise CorpusError(
            "The Shakespeare corpus could not be downloaded (this computer seems to be "
            f"offline: {type(error).__name__}). Use the Python corpus, which needs no "
            "download, or upload a .txt file of your own."
        ) from error
    corpus = read_upload(data, "shakespeare.txt")
    return Corpus(
        name="Shakespeare",
        text=corpus.text,
        source=(
            "Plays of Shakespeare (public domain), the corpus of TensorFlow's 'Text "
            f"generation with an RNN' tutorial, from {origin}."
        ),
        notices=corpus.notices,
        seed_text="ROMEO:",
    )


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: an image, archive or program, not text."""
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > 0.05 * max(1, len(head))


def read_upload(data: bytes, filename: str = "upload.txt") -> Corpus:
    """Turn the bytes of an uploaded file into a corpus, or explain why not.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as they are; anything else
    is read as Windows-1252 (Latin-1 as last resort) with a notice. Longer than
    :data:`MAX_UPLOAD_BYTES`: only the beginning is used, with a notice. Nothing is
    executed or unpickled: the bytes are only decoded.

    Raises:
        CorpusError: the file is empty, binary, or has fewer than 2 characters.
    """
    notices = []
    if not data:
        raise CorpusError(f"{filename} is empty: there is nothing to learn from.")
    if len(data) > MAX_UPLOAD_BYTES:
        notices.append(
            f"{filename} has {len(data) / 1e6:.0f} MB; only its first "
            f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB are used."
        )
        data = data[:MAX_UPLOAD_BYTES]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif _looks_binary(data):
        raise CorpusError(
            f"{filename} does not look like text (it contains binary data, e.g. an image, "
            "a PDF or a Word document). Save it as plain text (.txt) first."
        )
    else:
        encoding = "utf-8-sig"
    try:
        # incremental: a character cut in half at the truncation point is dropped, not an error
        text = codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            encoding = "Windows-1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "Latin-1"
        notices.append(
            f"{filename} is not UTF-8; it was read as {encoding}, so a few accented "
            "characters may look wrong. Save it as UTF-8 for an exact reading."
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CORPUS_CHARS:
        text = text[:MAX_CORPUS_CHARS]
        notices.append(f"Only the first {MAX_CORPUS_CHARS:,} characters are used.")
    if len(text.strip()) < 2:
        raise CorpusError(
            f"{filename} has {len(text.strip())} visible character(s): a network cannot "
            "learn what comes next from that. Upload a longer text (a few pages at least)."
        )
    name = Path(filename).name[:60] or "upload"
    seed = text.lstrip()[:1]
    return Corpus(name, text, f"Your file {name}.", tuple(notices), seed_text=seed)


def visible(token: str) -> str:
    """A token as a reader can see it: space, newline and tab get symbols."""
    return token.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥") or "∅"


def named(token: str) -> str:
    """A token for a chart axis: white space by name (a lone ␣ is hard to see on a projector)."""
    return {" ": "space ␣", "\n": "newline ⏎", "\t": "tab ⇥"}.get(token, visible(token))


def corpus_statistics(text: str) -> dict[str, int]:
    """Length in characters, lines and words, and the number of distinct characters."""
    return {
        "characters": len(text),
        "lines": text.count("\n") + 1,
        "words": len(re.findall(r"\w+", text)),
        "distinct characters": len(set(text)),
    }


def character_frequencies(text: str, top: int = 20) -> pd.DataFrame:
    """The ``top`` most frequent characters: columns ``character``, ``count``, ``share``."""
    counts = collections.Counter(text).most_common(top)
    total = max(1, len(text))
    return pd.DataFrame(
        {
            "character": [named(c) for c, _ in counts],
            "count": [n for _, n in counts],
            "share": [n / total for _, n in counts],
        }
    )


# -- 2. Vocabulary -----------------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    """The tokens the network knows, each with an integer id (its index).

    ``tokens[0]`` is :data:`UNKNOWN`, which stands for anything else. ``level`` is
    ``"character"`` (a token is one character) or ``"word"`` (a word, a run of white
    space or one punctuation mark; see :data:`WORD_PATTERN`).
    """

    tokens: tuple[str, ...]
    level: str = "character"
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.tokens or self.tokens[0] != UNKNOWN:
            raise ValueError("tokens[0] must be UNKNOWN")
        index = types.MappingProxyType({t: i for i, t in enumerate(self.tokens)})
        object.__setattr__(self, "_index", index)  # read-only: shared through the cache

    @property
    def size(self) -> int:
        return len(self.tokens)

    @property
    def unit(self) -> str:
        """What one token is called: ``"character"`` or ``"word"``."""
        return self.level

    def tokenize(self, text: str) -> list[str]:
        """Split text into tokens (characters, or words/spaces/punctuation)."""
        return list(text) if self.level == "character" else WORD_PATTERN.findall(text)

    def encode(self, text: str) -> np.ndarray:
        """Text → ids, shape ``(tokens,)`` int32; unknown tokens become 0."""
        return np.array([self._index.get(t, 0) for t in self.tokenize(text)], dtype=np.int32)

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """Ids → text (the inverse of :meth:`encode` for text inside the vocabulary)."""
        return "".join(self.tokens[int(i)] for i in ids)

    def unknown_in(self, text: str) -> list[str]:
        """The distinct tokens of ``text`` that the vocabulary does not know."""
        return list(dict.fromkeys(t for t in self.tokenize(text) if t not in self._index))

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "tokens": list(self.tokens)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vocabulary:
        return cls(tuple(data["tokens"]), data["level"])


def build_vocabulary(text: str, level: str = "character", max_words: int = 2000) -> Vocabulary:
    """The vocabulary of a text.

    Characters: every character (the :data:`MAX_CHARACTERS` most frequent), sorted.
    Words: the ``max_words`` most frequent tokens (ties broken alphabetically); the
    rest are read as UNKNOWN, which keeps the output layer small.
    """
    if level == "character":
        counts = collections.Counter(text)
        kept = sorted(c for c, _ in counts.most_common(MAX_CHARACTERS) if c != UNKNOWN)
    elif level == "word":
        counts = collections.Counter(WORD_PATTERN.findall(text))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        kept = [t for t, _ in ranked if t != UNKNOWN][: max(1, max_words - 1)]
    else:
        raise ValueError(f"level must be 'character' or 'word', not {level!r}")
    return Vocabulary((UNKNOWN, *kept), level)


# -- 3. Windows, split and baselines -----------------------------------------------------
def split_ids(ids: np.ndarray, validation_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """The first part of the text for training, the last part for validation.

    A contiguous split: random windows would put neighbouring, overlapping text on both
    sides and make the validation loss look better than it is.
    """
    cut = int(round(len(ids) * (1 - validation_fraction)))
    return ids[:cut], ids[cut:]


def make_windows(
    ids: np.ndarray, sequence_length: int, stride: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and next-token targets, each ``(windows, sequence_length)`` int32.

    Window ``k`` reads ``ids[s : s + L]`` and must predict ``ids[s + 1 : s + L + 1]``
    with ``s = k * stride`` (stride defaults to L: windows that do not overlap).

    Raises:
        CorpusError: the ids are too few for one window.
    """
    stride = stride or sequence_length
    count = (len(ids) - sequence_length - 1) // stride + 1 if len(ids) > sequence_length else 0
    if count < 1:
        raise CorpusError(
            f"This part of the text has {len(ids)} tokens, but one training sequence needs "
            f"{sequence_length + 1}. Use a longer text or a shorter sequence length."
        )
    starts = np.arange(count) * stride
    positions = starts[:, None] + np.arange(sequence_length + 1)[None, :]
    windows = np.asarray(ids, dtype=np.int32)[positions]
    return windows[:, :-1], windows[:, 1:]


def uniform_bits(vocabulary_size: int) -> float:
    """Bits per token of a uniform guess over the vocabulary: log₂ V."""
    return math.log2(vocabulary_size)


def unigram_bits(train_ids: np.ndarray, targets: np.ndarray, vocabulary_size: int) -> float:
    """Bits per token on ``targets`` of the token frequencies counted on ``train_ids``.

    The best guess that ignores context. Add-one (Laplace) smoothing keeps a token never
    seen in training from costing infinitely many bits.
    """
    counts = np.bincount(np.ravel(train_ids), minlength=vocabulary_size) + 1.0
    probabilities = counts / counts.sum()
    return float(-np.mean(np.log2(probabilities[np.ravel(targets)])))


@dataclass(frozen=True)
class TextData:
    """A corpus ready for training.

    Attributes:
        x_train, y_train: ``(windows, sequence_length)`` int32 inputs and targets.
        x_val, y_val: the same for the held-out end of the text.
        vocabulary: ids ↔ tokens.
        baselines: ``{"uniform guess": bits, "unigram": bits}`` per token on ``y_val``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    vocabulary: Vocabulary
    baselines: Mapping[str, float]


# -- Settings ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TextSettings:
    """The knobs of a text-generation experiment (defaults train visibly on 2 CPU cores)."""

    corpus: str = setting(
        "python", choices=("python", "shakespeare", "upload"), help="which text to learn from"
    )
    level: str = setting(
        "character", choices=("character", "word"), help="a token is a character or a word"
    )
    max_words: int = setting(
        2000, minimum=50, maximum=20000, help="word level: vocabulary size (rarer words → �)"
    )
    cell: str = setting(
        "GRU", choices=("SimpleRNN", "GRU", "LSTM"), help="the recurrent cell of each layer"
    )
    embedding_dim: int = setting(
        32, minimum=4, maximum=256, help="numbers that represent one token"
    )
    hidden_units: int = setting(
        128, minimum=8, maximum=1024, help="size of the hidden state of each layer"
    )
    layers: int = setting(1, minimum=1, maximum=3, help="recurrent layers stacked")
    sequence_length: int = setting(
        64, minimum=8, maximum=256, help="tokens per training window (backprop through time)"
    )
    batch_size: int = setting(64, minimum=8, maximum=512, help="windows per gradient step")
    learning_rate: float = setting(
        0.005, minimum=1e-5, maximum=1.0, help="Adam's step size (gradients clipped at norm 1)"
    )
    epochs: int = setting(40, minimum=1, maximum=1000, help="epochs per run")
    steps_per_epoch: int = setting(
        25, minimum=1, maximum=2000, help="gradient steps per epoch (a short epoch moves the curve)"
    )
    validation_fraction: float = setting(
        0.1, minimum=0.02, maximum=0.5, help="share of the text, at its end, held out"
    )
    seed: int = setting(0, minimum=0, maximum=2**31 - 1, help="seeds weights and shuffling")


@dataclass(frozen=True)
class GenerationSettings:
    """How to write new text with a trained network."""

    network: str = setting(
        "pretrained", choices=("pretrained", "yours"), help="the shipped model or the one you train"
    )
    seed_text: str = setting("def ", help="the beginning the network continues")
    length: int = setting(400, minimum=10, maximum=3000, help="tokens to write")
    temperature: float = setting(
        0.8, minimum=0.0, maximum=3.0, help="0 = always the most likely; >1 = more random"
    )
    sample_seed: int = setting(0, minimum=0, maximum=2**31 - 1, help="random key of the sampling")


#: The stops of the page's sliders for fields with wide ranges. Any value in a field's range
#: is a valid setting, but a slider only shows its stops.
SLIDER_STOPS: dict[str, tuple[float, ...]] = {
    "hidden_units": (16, 32, 64, 128, 256, 512),
    "sequence_length": (16, 32, 64, 128, 256),
    "batch_size": (16, 32, 64, 128, 256),
    "learning_rate": (0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 1.0),
    "embedding_dim": (8, 16, 32, 64, 128),
}
#: Longest seed text the page's text box takes.
MAX_SEED_CHARS = 500


def widget_value(name: str, value: Any) -> tuple[Any, str | None]:
    """A valid settings value the page's widget can show, and a note if it had to move.

    For a shared link or a walkthrough preset: a value between two slider stops goes to
    the nearest stop (on a log scale: all these fields are positive sizes and rates);
    a seed text longer than the text box takes is cut.
    """
    stops = SLIDER_STOPS.get(name)
    if stops is not None and value not in stops:
        nearest = min(stops, key=lambda stop: abs(math.log(stop) - math.log(value)))
        return nearest, f"{name} = {value} is not on the slider: using the nearest, {nearest}."
    if name == "seed_text" and len(value) > MAX_SEED_CHARS:
        return value[:MAX_SEED_CHARS], f"The seed text was cut to {MAX_SEED_CHARS} characters."
    return value, None


def prepare_data(text: str, settings: TextSettings) -> TextData:
    """Vocabulary, split, windows and baselines for a text (see :class:`TextData`).

    Raises:
        CorpusError: the text is too short for the sequence length.
    """
    vocabulary = build_vocabulary(text, settings.level, settings.max_words)
    ids = vocabulary.encode(text)
    train_ids, val_ids = split_ids(ids, settings.validation_fraction)
    x_train, y_train = make_windows(train_ids, settings.sequence_length)
    # validation needs a window too; a short text gets a shorter validation window
    val_length = min(settings.sequence_length, len(val_ids) - 1)
    if val_length < 1:
        raise CorpusError("The text is too short to hold out any of it for validation.")
    x_val, y_val = make_windows(val_ids, val_length)
    for array in (x_train, y_train, x_val, y_val):
        array.flags.writeable = False  # shared between sessions through the page's cache
    return TextData(
        x_train,
        y_train,
        x_val,
        y_val,
        vocabulary,
        types.MappingProxyType(  # read-only: shared between sessions through the cache
            {
                "uniform guess": uniform_bits(vocabulary.size),
                "unigram": unigram_bits(train_ids, y_val, vocabulary.size),
            }
        ),
    )


def data_summary(data: TextData) -> str:
    """A paragraph (Markdown) on the loss in bits, the baselines and the windows."""
    level, baselines = data.vocabulary.level, data.baselines
    return (
        f"The loss is the cross-entropy of the next {level}; divided by ln 2 it is **bits per "
        f"{level}**. Two guesses to beat: uniform over the {data.vocabulary.size:,} tokens "
        f"(log₂ V = **{baselines['uniform guess']:.2f}** bits) and the {level} frequencies "
        f"without any context (unigram: **{baselines['unigram']:.2f}** bits). "
        f"{len(data.x_train):,} training and {len(data.x_val):,} validation windows; after each "
        f"epoch the network writes a sample at temperature {SAMPLE_TEMPERATURE}."
    )


# -- 4. Model ----------------------------------------------------------------------------
def build_model(vocabulary_size: int, settings: TextSettings, *, compile: bool = True):
    """Embedding → ``layers`` × recurrent cell → Dense logits, compiled.

    Input ``(batch, time)`` int ids; output ``(batch, time, vocabulary_size)`` logits of
    the next token at every position. Initializers are seeded, nothing global changes.
    """
    import keras

    from course_lib.device import seed_sequence

    seeds = iter(seed_sequence(settings.seed, 2 + 2 * settings.layers))
    recurrent_layer = getattr(keras.layers, settings.cell)
    layers = [
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(
            vocabulary_size,
            settings.embedding_dim,
            embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=next(seeds)),
            name="embedding",
        ),
    ]
    for index in range(settings.layers):
        layers.append(
            recurrent_layer(
                settings.hidden_units,
                return_sequences=True,
                kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
                recurrent_initializer=keras.initializers.Orthogonal(seed=next(seeds)),
                name=f"recurrent_{index + 1}",
            )
        )
    layers.append(
        keras.layers.Dense(
            vocabulary_size,
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            name="next_token_logits",
        )
    )
    model = keras.Sequential(layers, name=f"{settings.cell.lower()}_text_model")
    if compile:
        model.compile(
            # clipping keeps one exploding gradient (a long-standing RNN problem) from
            # wrecking the weights
            optimizer=keras.optimizers.Adam(settings.learning_rate, clipnorm=1.0),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
    return model


def bits_metric(level: str) -> str:
    """Name of the learning-curve metric: ``bits_per_character`` or ``bits_per_word``."""
    return f"bits_per_{level}"


# -- 5. Generation: one token at a time, carrying the hidden state -----------------------
class Sampler:
    r"""Reads and writes text one token at a time with a trained model.

    The pitfall (tensorflow/tensorflow#27789): calling the model on one new character
    at a time starts every call from a zero hidden state, so the network forgets all it
    read. Here the state is explicit: one step takes the hidden state of every layer
    and returns the next one, and a loop feeds it back. The step and the loops around
    it are ``tf.function``\ s (traced once per sampler); the model's own weights are
    used, so a sampler follows its model as it trains.

    Args:
        model: from :func:`build_model` (trained or not).
        vocabulary: the vocabulary it was trained with.
        chunk: tokens generated per compiled call while streaming (fewer Python round
            trips: faster; more: the text arrives in bigger pieces).
    """

    def __init__(self, model, vocabulary: Vocabulary, chunk: int = 32):
        import tensorflow as tf

        self.model = model
        self.vocabulary = vocabulary
        self.chunk = chunk
        self._embedding = model.get_layer("embedding")
        self._recurrent = [layer for layer in model.layers if layer.name.startswith("recurrent_")]
        self._logits = model.get_layer("next_token_logits")
        # an LSTM carries two states (h and c), SimpleRNN and GRU one
        self._state_sizes = [
            [layer.units] * (2 if isinstance(layer.cell.state_size, list | tuple) else 1)
            for layer in self._recurrent
        ]
        states = [tf.TensorSpec((1, n), tf.float32) for sizes in self._state_sizes for n in sizes]
        scalar = tf.TensorSpec((), tf.float32)
        self._step = tf.function(
            self._step_graph,
            input_signature=[
                tf.TensorSpec((1,), tf.int32),
                states,
                scalar,
                tf.TensorSpec((2,), tf.int32),
            ],
            autograph=False,
        )
        self._feed = tf.function(
            self._feed_graph,
            input_signature=[tf.TensorSpec((None,), tf.int32), states],
            autograph=False,
        )
        self._sample = tf.function(
            self._sample_graph,
            input_signature=[
                tf.TensorSpec((1,), tf.int32),
                states,
                scalar,
                tf.TensorSpec((), tf.int32),
                tf.TensorSpec((), tf.int32),
                tf.TensorSpec((), tf.int32),
            ],
            autograph=False,
        )

    def initial_state(self) -> list:
        """Zeros for every state tensor of every layer (LSTM: h and c), each ``(1, units)``."""
        return [np.zeros((1, n), np.float32) for sizes in self._state_sizes for n in sizes]

    # -- the compiled pieces ---------------------------------------------------------
    def _cells(self, token, states):
        """One token through embedding, every recurrent cell and the output layer."""
        import tensorflow as tf

        x = self._embedding(tf.reshape(token, (1,)))  # a static batch of 1 for the loops
        new_states, position = [], 0
        for layer, sizes in zip(self._recurrent, self._state_sizes, strict=True):
            layer_state = list(states[position : position + len(sizes)])
            position += len(sizes)
            x, layer_new = layer.cell(x, layer_state, training=False)
            new_states.extend(tf.nest.flatten(layer_new))
        new_states = [tf.ensure_shape(h, (1, h.shape[-1])) for h in new_states]
        return self._logits(x), new_states

    @staticmethod
    def _choose(logits, temperature, seed):
        """Sample from softmax(logits / T), or take the argmax when T = 0."""
        import tensorflow as tf

        return tf.cond(
            temperature > 0,
            lambda: tf.random.stateless_categorical(
                logits / tf.maximum(temperature, 1e-6), 1, seed, dtype=tf.int32
            )[:, 0],
            lambda: tf.argmax(logits, axis=-1, output_type=tf.int32),
        )

    def _step_graph(self, token, states, temperature, seed):
        logits, new_states = self._cells(token, states)
        return self._choose(logits, temperature, seed), logits[0], new_states

    # explicit while loops, not AutoGraph: nothing depends on reading this file's source
    def _feed_graph(self, ids, states):
        import tensorflow as tf

        def body(index, all_logits, states):
            logits, states = self._cells(ids[index], states)
            return index + 1, all_logits.write(index, logits[0]), states

        count = tf.shape(ids)[0]
        start = (tf.constant(0), tf.TensorArray(tf.float32, size=count), states)
        _, all_logits, states = tf.while_loop(lambda index, *_: index < count, body, start)
        return all_logits.stack(), states

    def _sample_graph(self, token, states, temperature, seed, first_index, count):
        import tensorflow as tf

        def body(index, tokens, token, states):
            logits, states = self._cells(token, states)
            token = self._choose(logits, temperature, tf.stack([seed, first_index + index]))
            return index + 1, tokens.write(index, token[0]), token, states

        start = (tf.constant(0), tf.TensorArray(tf.int32, size=count), token, states)
        _, tokens, token, states = tf.while_loop(lambda index, *_: index < count, body, start)
        return tokens.stack(), token, states

    # -- what callers use ------------------------------------------------------------
    def step(
        self, token: int, states: list, temperature: float = 1.0, seed: int = 0, index: int = 0
    ):
        """One step: read ``token``, return ``(next_token, logits (V,), new_states)``.

        ``next_token`` is sampled at ``temperature`` (0: the most likely), keyed by
        ``(seed, index)`` so the same seed gives the same text.
        """
        next_token, logits, new_states = self._step(
            np.array([token], np.int32),
            states,
            np.float32(temperature),
            np.array([seed, index], np.int32),
        )
        return int(next_token[0]), logits.numpy(), list(new_states)

    def read(self, text: str, states: list | None = None) -> tuple[np.ndarray, list]:
        """Feed ``text``: the logits after each token ``(tokens, V)`` and the state after it."""
        ids = self.vocabulary.encode(text)
        if len(ids) == 0:
            return np.zeros((0, self.vocabulary.size), np.float32), states or self.initial_state()
        logits, states = self._feed(ids, states or self.initial_state())
        return logits.numpy(), list(states)

    def generate(
        self, seed_text: str, length: int, temperature: float = 1.0, seed: int = 0
    ) -> Iterator[str]:
        """Yield ``length`` new tokens that continue ``seed_text``, a few at a time.

        A generator, so a page can stream the text while it is written. Token ``i`` is
        drawn with the random key ``(seed, i)``: the same seed gives the same text. An
        empty seed starts from a newline (or the first token of the vocabulary).
        """
        ids = self.vocabulary.encode(seed_text or "\n")
        if len(ids) == 0:
            ids = np.array([min(1, self.vocabulary.size - 1)], np.int32)
        _, states = self.read(self.vocabulary.decode(ids[:-1]))
        token = np.array(ids[-1:], np.int32)
        for first in range(0, length, self.chunk):
            count = min(self.chunk, length - first)
            tokens, token, states = self._sample(
                token,
                states,
                np.float32(temperature),
                np.int32(seed),
                np.int32(first),
                np.int32(count),
            )
            yield self.vocabulary.decode(tokens.numpy())


def check_temperature(temperature: float) -> tuple[float, str]:
    """A usable temperature and, if it is a special case, a sentence about it.

    Raises:
        ValueError: negative or not a number.
    """
    if not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"The temperature must be 0 or more, not {temperature}.")
    if temperature == 0:
        return 0.0, (
            "Temperature 0 is greedy decoding: always the most likely next character. "
            "It is deterministic and often gets stuck repeating itself."
        )
    if temperature < 0.05:
        return temperature, "A temperature this low is practically greedy (the same as 0)."
    if temperature < 0.6:
        return temperature, (
            "At a low temperature the likeliest characters win almost every time: a small "
            "network soon loops, e.g. on a run of spaces or dashes. Try 0.8–1."
        )
    if temperature > 2:
        return temperature, (
            "A temperature this high flattens the distribution towards a uniform guess: "
            "expect random characters."
        )
    return temperature, ""


def next_token_probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T) in float64, shape ``(V,)``; T = 0 gives all mass to the argmax."""
    logits = np.asarray(logits, np.float64)
    if temperature <= 0:
        probabilities = np.zeros_like(logits)
        probabilities[np.argmax(logits)] = 1.0
        return probabilities
    scaled = logits / temperature
    scaled -= scaled.max()  # stable: exp never overflows, the largest term is exp(0) = 1
    weights = np.exp(scaled)
    return weights / weights.sum()


def next_token_frame(
    probabilities: np.ndarray, vocabulary: Vocabulary, top: int = 15
) -> pd.DataFrame:
    """The ``top`` most probable next tokens: columns ``token`` (visible) and ``probability``."""
    order = np.argsort(-probabilities, kind="stable")[:top]
    return pd.DataFrame(
        {
            "token": [named(vocabulary.tokens[i]) for i in order],
            "probability": probabilities[order],
        }
    )


# -- 6. Training, with bits and a sample after every epoch -------------------------------
def epoch_hooks(vocabulary: Vocabulary, seed_text: str) -> list[Callable[[Any, dict], None]]:
    """Hooks for :class:`~course_lib.training.KerasTrainer`: bits, then a short sample.

    The loss is cross-entropy in nats; divided by ln 2 it is bits per token, the unit
    of the baselines. The sample is written at :data:`SAMPLE_TEMPERATURE` from a fixed
    seed, so samples of successive epochs differ only because the network learnt.
    """
    metric = bits_metric(vocabulary.level)
    length = SAMPLE_CHARACTERS if vocabulary.level == "character" else SAMPLE_CHARACTERS // 4
    sampler: list[Sampler] = []

    def bits(model, row: dict) -> None:
        row[metric] = row["loss"] / math.log(2)
        if "val_loss" in row:
            row[f"val_{metric}"] = row["val_loss"] / math.log(2)

    def sample(model, row: dict) -> None:
        if not sampler or sampler[0].model is not model:  # a reset builds a new model
            sampler[:] = [Sampler(model, vocabulary)]
        row["sample"] = "".join(sampler[0].generate(seed_text, length, SAMPLE_TEMPERATURE))

    return [bits, sample]


def make_trainer(
    data: TextData, settings: TextSettings, seed_text: str = "", *, samples: bool = True
):
    """A live trainer for ``settings`` on ``data`` (see :class:`~course_lib.training.KerasTrainer`)."""
    from course_lib.training import KerasTrainer

    hooks = epoch_hooks(data.vocabulary, seed_text)
    return KerasTrainer(
        lambda: build_model(data.vocabulary.size, settings),
        data.x_train,
        data.y_train,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        validation_data=(data.x_val, data.y_val),
        seed=settings.seed,
        steps_per_epoch=settings.steps_per_epoch,
        on_epoch_end=hooks if samples else hooks[:1],
    )


def samples_frame(history: Sequence[dict[str, Any]], last: int = 8) -> pd.DataFrame:
    """The last epochs' samples: columns ``epoch``, ``bits`` (validation), ``sample``."""
    rows = [row for row in history if "sample" in row][-last:]
    metric = next((k for k in (rows[0] if rows else {}) if k.startswith("val_bits")), None)
    return pd.DataFrame(
        {
            "epoch": [row["epoch"] for row in rows],
            "validation bits": [
                row.get(metric, float("nan")) if metric else float("nan") for row in rows
            ],
            "sample": [row["sample"].replace("\n", "⏎ ") for row in rows],
        }
    )


# -- 7. Look inside: hidden units over the seed text -------------------------------------
def hidden_activations(model, vocabulary: Vocabulary, text: str, layer: int = -1) -> np.ndarray:
    """The hidden state ``h`` of one recurrent layer after each token: ``(tokens, units)``.

    GRU and SimpleRNN units lie in (-1, 1) (tanh); an LSTM's ``h`` too.
    """
    ids = vocabulary.encode(text)[None, :]
    recurrent = [lay for lay in model.layers if lay.name.startswith("recurrent_")]
    x = model.get_layer("embedding")(ids)
    for lay in recurrent[: layer % len(recurrent) + 1]:
        x = lay(x)
    return np.asarray(x)[0]


def units_by_variance(activations: np.ndarray) -> np.ndarray:
    """Unit indices, the most variable over the text first (the ones that react to it)."""
    return np.argsort(-activations.var(axis=0), kind="stable")


def activation_html(tokens: Sequence[str], values: Sequence[float]) -> str:
    """The tokens as HTML, each on a background coloured by its value in [-1, 1].

    Orange for positive, blue for negative, white for 0. Every token is HTML-escaped,
    so text from a student's file cannot inject markup.
    """
    spans = []
    for token, value in zip(tokens, values, strict=True):
        value = float(np.clip(value, -1, 1))
        # light enough at full strength for black text to stay readable
        colour = (255, 150, 40) if value >= 0 else (70, 150, 255)
        shown = html.escape(token).replace("\n", "⏎<br>")
        spans.append(
            f'<span title="{value:+.2f}" style="background: rgba({colour[0]}, {colour[1]}, '
            f'{colour[2]}, {0.8 * abs(value):.2f})">{shown}</span>'
        )
    return (
        '<div style="font-family: monospace; font-size: 1.05rem; line-height: 1.7; '
        'white-space: pre-wrap; word-break: break-all">' + "".join(spans) + "</div>"
    )


# -- Classroom: a guided walkthrough, a quiz, a notebook ---------------------------------
def _classroom():
    from course_lib.classroom import Question, Step

    walkthrough = (
        Step(
            "Gibberish first",
            "Press Start with the defaults and read the sample after each epoch. First come "
            "spaces and frequent letters, then words like 'the' and 'self', then Python's "
            "indentation: the network learns frequencies before it learns context.",
            {"cell": "GRU", "hidden_units": 128, "layers": 1, "level": "character"},
        ),
        Step(
            "Beat the baselines",
            "The dashed lines are guesses without context: uniform (log₂ V bits) and the "
            "character frequencies (unigram). Once the validation curve is below the unigram "
            "line, the network is using what it has read.",
        ),
        Step(
            "A plain RNN",
            "Switch to SimpleRNN and train again. Its gradients through time shrink (or "
            "explode) quickly, so it remembers less; GRU and LSTM gates were invented for "
            "exactly this.",
            {"cell": "SimpleRNN"},
        ),
        Step(
            "Memory size",
            "A hidden state of 16 numbers must squeeze everything it has read into 16 "
            "numbers. Compare the curve with 128 units: more state, lower bits per character.",
            {"cell": "GRU", "hidden_units": 16},
        ),
        Step(
            "Short windows",
            "With sequences of 16 characters the network is trained to use at most 16 "
            "characters of context (backpropagation through time stops at the window). "
            "Compare its validation curve with the 64-character run.",
            {"hidden_units": 128, "sequence_length": 16},
        ),
        Step(
            "Words instead of characters",
            "At word level each token is a whole word: samples read well sooner, but rare "
            "words become �. The loss is now in bits per word, not per character.",
            {"sequence_length": 64, "level": "word"},
        ),
    )
    quiz = (
        Question(
            "The vocabulary has 162 characters. What does a uniform guess cost?",
            ("162 bits", "log₂ 162 ≈ 7.3 bits per character", "1 bit", "0.5 bits"),
            1,
            "Choosing one of V equally likely symbols takes log₂ V bits. Any model that "
            "learnt something must be below this line.",
        ),
        Question(
            "At temperature 0, what does the generator do?",
            (
                "Samples uniformly at random",
                "Always takes the most likely next character",
                "Stops generating",
                "Uses the unigram frequencies",
            ),
            1,
            "Dividing the logits by T → 0 puts all probability on the largest one: greedy "
            "decoding. It is deterministic and tends to repeat itself.",
        ),
        Question(
            "Why must the hidden state be carried from one generated character to the next?",
            (
                "To save memory",
                "Otherwise the network forgets everything but the last character",
                "Keras requires it",
                "To make training faster",
            ),
            1,
            "The state is the network's memory of the text so far. Restarting from zeros at "
            "every step leaves it one character of context (tensorflow#27789).",
        ),
        Question(
            "The validation bits stop falling while the training bits keep falling. What is "
            "happening?",
            ("Underfitting", "Overfitting: it memorises the training text", "A bug", "Nothing"),
            1,
            "The validation text is the held-out end of the corpus; doing better only on the "
            "training part means memorising it rather than learning the language.",
        ),
    )
    generation = (
        Step(
            "Temperature 0.2: safe and repetitive",
            "The pretrained network writes from 'def ' at a low temperature. The bar chart "
            "shows one character taking nearly all the probability, so the text is plausible "
            "Python that soon repeats itself.",
            {"network": "pretrained", "seed_text": "def ", "temperature": 0.2, "length": 400},
        ),
        Step(
            "Temperature 1.5: inventive and broken",
            "Same network, same beginning, temperature 1.5. The bars flatten: unlikely "
            "characters get picked, names are misspelt and brackets stop matching. Press "
            "Generate a few times and compare with 0.2.",
            {"temperature": 1.5},
        ),
        Step(
            "Temperature 0: greedy decoding",
            "At T = 0 the generator always takes the most likely character. Generate twice: "
            "the text is identical every time and usually gets stuck in a loop.",
            {"temperature": 0.0},
        ),
        Step(
            "A different beginning",
            "Start from 'class ' at T = 0.8, the default. The hidden state carries the seed "
            "forward: look for methods with 'self' and an indented body after the class line.",
            {"seed_text": "class ", "temperature": 0.8},
        ),
    )
    return walkthrough, generation, quiz


#: Guided walkthroughs: training (TextSettings presets) and generation (GenerationSettings).
WALKTHROUGH, GENERATION_WALKTHROUGH, QUIZ = _classroom()


def notebook_cells(settings: TextSettings) -> list:
    """A plain-Keras notebook for ``settings``: corpus, windows, model, training, generation.

    The Python corpus is read from the notebook's own Python (nothing to download);
    Shakespeare is downloaded; an upload becomes a file name to fill in.
    """
    from course_lib.classroom import code, markdown

    if settings.corpus == "shakespeare":
        load = (
            f'path = keras.utils.get_file("shakespeare.txt", "{SHAKESPEARE_URL}")\n'
            'text = open(path, encoding="utf-8").read()'
        )
    elif settings.corpus == "upload":
        load = 'text = open("my_text.txt", encoding="utf-8").read()  # your own file'
    else:
        load = (
            "stdlib = pathlib.Path(sysconfig.get_paths()['stdlib'])\n"
            f"modules = {list(STDLIB_MODULES)!r}\n"
            "text = ''.join((stdlib / m).read_text(encoding='utf-8') + '\\n\\n' for m in modules)"
        )
    tokens = (
        "tokens = list(text)"
        if settings.level == "character"
        else "tokens = re.findall(r'\\w+|\\s+|[^\\w\\s]', text)"
    )
    cap = "" if settings.level == "character" else f"[:{settings.max_words - 1}]"
    return [
        markdown(
            "A recurrent network learns to predict the next token of a text, then writes new "
            "text one token at a time, carrying its hidden state from step to step."
        ),
        code(
            "import collections, math, pathlib, re, sysconfig\n"
            "import altair as alt\n"
            "import numpy as np\nimport pandas as pd\nimport keras\nimport tensorflow as tf\n\n"
            f"CELL = {settings.cell!r}\nEMBEDDING_DIM = {settings.embedding_dim}\n"
            f"HIDDEN_UNITS = {settings.hidden_units}\nLAYERS = {settings.layers}\n"
            f"SEQUENCE_LENGTH = {settings.sequence_length}\nBATCH_SIZE = {settings.batch_size}\n"
            f"LEARNING_RATE = {settings.learning_rate}\nEPOCHS = {settings.epochs}\n"
            f"STEPS_PER_EPOCH = {settings.steps_per_epoch}\n"
            f"VALIDATION_FRACTION = {settings.validation_fraction}\nSEED = {settings.seed}"
        ),
        markdown("## The corpus and its vocabulary"),
        code(
            f"{load}\n{tokens}\n"
            "counts = collections.Counter(tokens)\n"
            f"vocabulary = ['\\ufffd'] + sorted(t for t, _ in sorted(counts.items(), key=lambda i: (-i[1], i[0])){cap})\n"
            "index = {t: i for i, t in enumerate(vocabulary)}\n"
            "ids = np.array([index.get(t, 0) for t in tokens], dtype=np.int32)\n"
            "print(f'{len(ids):,} tokens, vocabulary of {len(vocabulary)}')"
        ),
        markdown("## Windows: each position predicts the next token"),
        code(
            "cut = int(len(ids) * (1 - VALIDATION_FRACTION))\n\n"
            "def windows(part):\n"
            "    count = (len(part) - 1) // SEQUENCE_LENGTH\n"
            "    chunks = part[: count * SEQUENCE_LENGTH + 1]\n"
            "    x = chunks[:-1].reshape(count, SEQUENCE_LENGTH)\n"
            "    y = chunks[1:].reshape(count, SEQUENCE_LENGTH)\n"
            "    return x, y\n\n"
            "x_train, y_train = windows(ids[:cut])\nx_val, y_val = windows(ids[cut:])\n"
            "frequencies = (np.bincount(ids[:cut], minlength=len(vocabulary)) + 1) / (cut + len(vocabulary))\n"
            "unigram_bits = -np.mean(np.log2(frequencies[y_val.ravel()]))\n"
            "print(f'uniform guess {math.log2(len(vocabulary)):.2f} bits, unigram {unigram_bits:.2f} bits')"
        ),
        markdown("## The model"),
        code(
            "model = keras.Sequential([keras.Input((None,), dtype='int32'),\n"
            "    keras.layers.Embedding(len(vocabulary), EMBEDDING_DIM)]\n"
            "    + [getattr(keras.layers, CELL)(HIDDEN_UNITS, return_sequences=True) for _ in range(LAYERS)]\n"
            "    + [keras.layers.Dense(len(vocabulary))])\n"
            "model.compile(keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0),\n"
            "              keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
            "model.summary()"
        ),
        markdown("## Training, in bits per token"),
        code(
            "history = model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS,\n"
            "                    steps_per_epoch=STEPS_PER_EPOCH, validation_data=(x_val, y_val))\n"
            "curves = pd.DataFrame(history.history) / math.log(2)  # nats → bits\n"
            "curves['epoch'] = range(1, len(curves) + 1)\n"
            "alt.Chart(curves.melt('epoch', var_name='split', value_name='bits per token'))"
            ".mark_line(point=True).encode(x='epoch', y='bits per token', color='split')"
        ),
        markdown("## Generation: one token at a time, carrying the hidden state"),
        code(
            "embedding, *recurrent, dense = model.layers\n\n"
            "def generate(seed_text, length=200, temperature=0.7):\n"
            "    states = [[tf.zeros((1, HIDDEN_UNITS))] * (2 if CELL == 'LSTM' else 1) for _ in recurrent]\n"
            f"    seed_tokens = {'list(seed_text)' if settings.level == 'character' else 're.findall(' + repr(WORD_PATTERN.pattern) + ', seed_text)'}\n"
            "    out = []\n"
            "    for step, token in enumerate([index.get(t, 0) for t in seed_tokens] + [None] * length):\n"
            "        if token is None:\n"
            "            scaled = logits / max(temperature, 1e-6)\n"
            "            token = int(tf.random.categorical(scaled, 1)[0, 0]) if temperature > 0 else int(tf.argmax(logits[0]))\n"
            "            out.append(vocabulary[token])\n"
            "        x = embedding(tf.constant([token]))\n"
            "        for i, layer in enumerate(recurrent):\n"
            "            x, states[i] = layer.cell(x, states[i])\n"
            "            states[i] = tf.nest.flatten(states[i])\n"
            "        logits = dense(x)\n"
            "    return seed_text + ''.join(out)\n\n"
            "print(generate('def ' if 'def' in index or 'd' in index else vocabulary[1]))"
        ),
    ]


# -- 8. The pretrained model in assets/ --------------------------------------------------
#: Settings of the shipped model: the page's defaults, so students can match it live.
PRETRAINED_SETTINGS = TextSettings()


@dataclass(frozen=True)
class Pretrained:
    model: Any
    vocabulary: Vocabulary
    info: dict[str, Any]


def load_pretrained() -> Pretrained:
    """The model shipped in ``assets/text`` (read-only use: generation, looking inside).

    Raises:
        FileNotFoundError: the assets are missing (rebuild: ``python -m course_lib.text``).
    """
    info = json.loads(PRETRAINED_INFO_PATH.read_text(encoding="utf-8"))
    vocabulary = Vocabulary.from_json(info["vocabulary"])
    settings = TextSettings(**info["settings"])
    model = build_model(vocabulary.size, settings, compile=False)
    model.load_weights(PRETRAINED_WEIGHTS_PATH)
    return Pretrained(model, vocabulary, info)


def pretrained_summary(info: dict[str, Any]) -> str:
    """One sentence (Markdown) on the shipped model and its validation loss."""
    settings, baselines = info["settings"], info["baselines_bits_per_character"]
    return (
        f"The pretrained network: a {settings['cell']} of {settings['hidden_units']} units, "
        f"trained {info['gradient_steps']:,} steps ({info['training_seconds'] / 60:.0f} min on a "
        f"CPU) on the Python corpus by `{info['made_by']}`. Validation loss "
        f"{info['validation_loss']:.3f} nats = **{info['validation_bits_per_character']:.2f} "
        f"bits per character** (unigram baseline {baselines['unigram']:.2f}, uniform "
        f"{baselines['uniform guess']:.2f})."
    )


def make_pretrained(minutes: float = 6.0, steps_per_epoch: int = 100) -> dict[str, Any]:
    """Rebuild the offline corpus and train the shipped model for about ``minutes``.

    Writes ``python_stdlib.txt``, ``python_gru.weights.h5`` and ``python_gru.json``
    (settings, vocabulary, validation loss and bits per character, baselines).
    """
    ASSETS.mkdir(parents=True, exist_ok=True)
    OFFLINE_CORPUS_PATH.write_text(build_stdlib_corpus(), encoding="utf-8")
    corpus = load_offline_corpus()
    settings = PRETRAINED_SETTINGS
    data = prepare_data(corpus.text, settings)
    trainer = make_trainer(data, settings, corpus.seed_text, samples=False)
    trainer.steps_per_epoch = steps_per_epoch
    trainer.total_epochs = 10**6
    trainer.start()
    started = time.perf_counter()
    while time.perf_counter() - started < 60 * minutes:
        rows = trainer.run_chunk(max_seconds=30)
        print(
            f"epoch {trainer.epochs_done}: "
            + ", ".join(f"{k}={v:.4f}" for k, v in rows[-1].items() if isinstance(v, float)),
            flush=True,
        )
    validation = trainer.evaluate(data.x_val, data.y_val)
    trainer.model.save_weights(PRETRAINED_WEIGHTS_PATH)
    info = {
        "made_by": "python -m course_lib.text",
        "corpus": corpus.name,
        "settings": asdict(settings),
        "gradient_steps": trainer.epochs_done * steps_per_epoch,
        "training_seconds": round(trainer.train_seconds, 1),
        "validation_loss": round(validation["loss"], 4),
        "validation_bits_per_character": round(validation["loss"] / math.log(2), 4),
        "baselines_bits_per_character": {k: round(v, 4) for k, v in data.baselines.items()},
        "vocabulary": data.vocabulary.to_json(),
    }
    PRETRAINED_INFO_PATH.write_text(
        json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return info


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=make_pretrained.__doc__)
    parser.add_argument("--minutes", type=float, default=6.0, help="training time")
    arguments = parser.parse_args()
    summary = make_pretrained(arguments.minutes)
    print(json.dumps({k: v for k, v in summary.items() if k != "vocabulary"}, indent=1))
