"""The text a recurrent network learns from, its vocabulary and its training windows.

1. **Corpus.** Python's own standard library (ships with the project, works offline), the
   Shakespeare corpus of the TensorFlow tutorial (downloaded), or the student's ``.txt``.
2. **Vocabulary.** Every character (or, as an option, every frequent word) gets an integer
   id; the network sees ids, never letters.
3. **Windows.** The text is cut into sequences of ``sequence_length`` ids; the target of
   each position is the *next* id. The last part of the text is held out for validation.
4. **Baselines.** Before training, two honest guesses: uniform over the vocabulary
   (log₂ V bits per character) and the character frequencies (a unigram model). A network
   that reads context must beat both.
"""

from __future__ import annotations

import codecs
import collections
import hashlib
import math
import re
import sysconfig
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from course_lib.recurrent_networks.model import TextSettings

ROOT = Path(__file__).resolve().parents[2]


ASSETS = ROOT / "assets" / "text"


#: The offline corpus: a fixed selection of Python's standard library (see STDLIB_MODULES).
OFFLINE_CORPUS_PATH = ASSETS / "python_stdlib.txt"


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
