"""The lab notebook of the chapter, made of the app's own functions.

Every function the notebook shows (the corpus, the vocabulary, the windows and baselines,
the model, the training batches and epoch hooks, the sampler) is the one the page calls,
inlined with :func:`inspect.getsource` after a cell of constants written from the page's
:class:`~course_lib.recurrent_networks.model.TextSettings`. The notebook imports nothing
of ``course_lib``: it runs on Colab (or any Python with Keras) as it is.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Callable

from course_lib import classroom
from course_lib.recurrent_networks import corpus, model, sampler
from course_lib.recurrent_networks.model import TextSettings
from course_lib.training import seed_sequence

#: The file a notebook for an uploaded text reads (the student puts it next to the notebook).
UPLOAD_FILE = "my_text.txt"

IMPORTS = """\
from __future__ import annotations

import codecs
import collections
import hashlib
import math
import random
import re
import sysconfig
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import altair as alt
import keras
import numpy as np
import pandas as pd
import tensorflow as tf"""


def source(*functions: Callable | type) -> str:
    """The source of our own functions and classes, one after another, for a code cell.

    Each cell starts with ``from __future__ import annotations``, as the modules do, so
    annotations that name a class defined later are never evaluated.
    """
    parts = [textwrap.dedent(classroom.source_of(function)).strip() for function in functions]
    return "from __future__ import annotations\n\n" + "\n\n\n".join(parts)


def settings_cell(settings: TextSettings) -> str:
    """The constants cell: the page's settings, one per line, as plain Python values."""
    lines = [f"    {name}={value!r}," for name, value in dataclasses.asdict(settings).items()]
    return "settings = SimpleNamespace(\n" + "\n".join(lines) + "\n)"


def corpus_cells(settings: TextSettings) -> list[classroom.Cell]:
    """Reading the text the page learns from: the app's loader for the chosen corpus."""
    constants = "\n".join(
        f"{name} = {getattr(corpus, name)!r}"
        for name in ("UNKNOWN", "MAX_CORPUS_CHARS", "MAX_UPLOAD_BYTES", "MAX_CHARACTERS")
    )
    constants += f"\nWORD_PATTERN = re.compile({corpus.WORD_PATTERN.pattern!r})"
    if settings.corpus == "python":
        loaders = (corpus.build_stdlib_corpus, corpus.load_offline_corpus)
        constants += (
            f"\nSTDLIB_MODULES = {corpus.STDLIB_MODULES!r}\n"
            "# not next to the notebook: the modules are read from this Python's own library\n"
            'OFFLINE_CORPUS_PATH = Path("python_stdlib.txt")'
        )
        load, intro = (
            "corpus = load_offline_corpus()",
            (
                "The text is Python's own standard library: the notebook reads it from the "
                "Python it runs on (a newer Python has slightly different modules)."
            ),
        )
    elif settings.corpus == "shakespeare":
        loaders = (corpus._looks_binary, corpus.read_upload, corpus.load_shakespeare)
        constants += f"\nSHAKESPEARE_URL = {corpus.SHAKESPEARE_URL!r}"
        load, intro = (
            "corpus = load_shakespeare()",
            ("The text is the Shakespeare corpus of TensorFlow's tutorial (downloaded once)."),
        )
    else:
        loaders = (corpus._looks_binary, corpus.read_upload)
        load = f'corpus = read_upload(Path("{UPLOAD_FILE}").read_bytes(), "{UPLOAD_FILE}")'
        intro = (
            f"The text is your own file: upload it next to this notebook as `{UPLOAD_FILE}` "
            "(on Colab: the folder icon on the left, then upload)."
        )
    return [
        classroom.markdown(f"## The corpus\n\n{intro}"),
        classroom.code(
            source(corpus.CorpusError, corpus.Corpus, *loaders).replace(
                "from __future__ import annotations\n\n",
                f"from __future__ import annotations\n\n{constants}\n\n\n",
                1,
            )
            + f"\n\n\n{load}\n"
            'print(f"{corpus.name}: {len(corpus.text):,} characters")\n'
            "print(*corpus.notices, sep='\\n')"
        ),
    ]


def notebook_cells(settings: TextSettings) -> list[classroom.Cell]:
    """A plain-Keras notebook for ``settings``: corpus, windows, model, training, generation.

    The same experiment as the page: the same text, vocabulary and windows, a model with
    the same initial weights, trained on the same batches in the same order.
    """
    markdown, code = classroom.markdown, classroom.code
    return [
        markdown(
            "A recurrent network learns to predict the next token of a text, then writes new "
            "text one token at a time, carrying its hidden state from step to step. Every "
            "function below is the one the course app runs."
        ),
        code(IMPORTS),
        markdown("The settings of the experiment, as the app had them:"),
        code(settings_cell(settings)),
        *corpus_cells(settings),
        markdown(
            "## The vocabulary\n\nEvery token gets an integer id; id 0 stands for anything "
            "the vocabulary does not know."
        ),
        code(source(corpus.Vocabulary, corpus.build_vocabulary)),
        markdown(
            "## Windows: each position predicts the next token\n\nThe end of the text is "
            "held out for validation. Two guesses without context to beat: uniform over the "
            "vocabulary and the token frequencies (unigram)."
        ),
        code(
            source(
                corpus.split_ids,
                corpus.make_windows,
                corpus.uniform_bits,
                corpus.unigram_bits,
                corpus.TextData,
                corpus.prepare_data,
            )
            + "\n\n\ndata = prepare_data(corpus.text, settings)\n"
            'print(f"{len(data.x_train):,} training and {len(data.x_val):,} validation windows, "\n'
            '      f"vocabulary of {data.vocabulary.size}")\n'
            'print({name: round(bits, 3) for name, bits in data.baselines.items()}, "bits")'
        ),
        markdown(
            "## The model\n\nEmbedding → recurrent layer(s) → one logit per token, at every "
            "position. Every initializer is seeded from `settings.seed`."
        ),
        code(
            source(seed_sequence, model.build_model)
            + "\n\n\nmodel = build_model(data.vocabulary.size, settings)\nmodel.summary()"
        ),
        markdown(
            "## The sampler: one token at a time, carrying the hidden state\n\n"
            "Calling the model on one new token at a time would start every call from a "
            "zero state; the sampler carries the state of every layer from step to step."
        ),
        code(
            source(sampler.Sampler).replace(
                "from __future__ import annotations\n\n",
                "from __future__ import annotations\n\n"
                f"SAMPLE_TEMPERATURE = {sampler.SAMPLE_TEMPERATURE!r}\n"
                f"SAMPLE_CHARACTERS = {sampler.SAMPLE_CHARACTERS!r}\n\n\n",
                1,
            )
        ),
        markdown(
            "## Training, in bits per token\n\nThe batches come in the app's order; after "
            "every epoch the hooks add bits per token and a short sample."
        ),
        code(
            source(
                model.bits_metric, model.epoch_hooks, model.shuffled_batches, model.train_with_fit
            )
            + "\n\n\nhistory = train_with_fit(\n"
            "    model, data, settings, corpus.seed_text,\n"
            "    report=lambda row: print(f\"epoch {row['epoch']}: {row['sample']!r}\"),\n"
            ")\n"
            'curves = pd.DataFrame(history).set_index("epoch").filter(like="bits").reset_index()\n'
            'alt.Chart(curves.melt("epoch", var_name="split", value_name="bits per token"))'
            '.mark_line(point=True).encode(x="epoch", y="bits per token", color="split")'
        ),
        markdown("## Generation at a few temperatures"),
        code(
            "writer = Sampler(model, data.vocabulary)\n"
            "for temperature in (0.0, 0.5, 1.0):\n"
            '    written = "".join(writer.generate(corpus.seed_text, 200, temperature))\n'
            '    print(f"T = {temperature}:", corpus.seed_text + written, sep="\\n", end="\\n\\n")'
        ),
    ]
