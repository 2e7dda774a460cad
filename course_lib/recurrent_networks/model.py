"""The network that predicts the next token, its settings, and its live training.

Embedding → recurrent layer(s) (SimpleRNN, GRU or LSTM) → a dense layer giving one logit
per vocabulary entry, at every position. The loss is the cross-entropy of the next token;
divided by ln 2 it is bits per token, the unit of the baselines. After every epoch the
network writes a short sample (:mod:`course_lib.recurrent_networks.sampler`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from course_lib.recurrent_networks.corpus import TextData, Vocabulary
from course_lib.recurrent_networks.sampler import SAMPLE_CHARACTERS, SAMPLE_TEMPERATURE, Sampler
from course_lib.settings import setting
from course_lib.training import (
    FIRST_CHUNK_SECONDS,
    KerasTrainer,
    seed_sequence,
    shuffled_batches,
)


@dataclass(frozen=True)
class TextSettings:
    """The knobs of a text-generation experiment (defaults train visibly on 2 CPU cores).

    The wide ranges (hidden units, sequence length, batch, learning rate, embedding) are
    offered on a slider at a few ``stops``; any value in range is valid in a link and
    moves to the nearest stop.
    """

    corpus: str = setting(
        "python",
        choices=("python", "shakespeare", "upload"),
        label="Corpus",
        help="which text to learn from",
    )
    level: str = setting(
        "character",
        choices=("character", "word"),
        label="Tokens",
        help="a token is a character or a word",
    )
    max_words: int = setting(
        2000,
        minimum=50,
        maximum=20000,
        label="Word vocabulary",
        help="word level: vocabulary size (rarer words → �)",
    )
    cell: str = setting(
        "GRU",
        choices=("SimpleRNN", "GRU", "LSTM"),
        label="Cell",
        help="the recurrent cell of each layer",
    )
    embedding_dim: int = setting(
        32,
        minimum=4,
        maximum=256,
        stops=(8, 16, 32, 64, 128),
        label="Embedding size",
        help="numbers that represent one token",
    )
    hidden_units: int = setting(
        128,
        minimum=8,
        maximum=1024,
        stops=(16, 32, 64, 128, 256, 512),
        label="Hidden units",
        help="size of the hidden state of each layer",
    )
    layers: int = setting(1, minimum=1, maximum=3, label="Layers", help="recurrent layers stacked")
    sequence_length: int = setting(
        64,
        minimum=8,
        maximum=256,
        stops=(16, 32, 64, 128, 256),
        label="Sequence length",
        help="tokens per training window (backprop through time)",
    )
    batch_size: int = setting(
        64,
        minimum=8,
        maximum=512,
        stops=(16, 32, 64, 128, 256),
        label="Batch size",
        help="windows per gradient step",
    )
    learning_rate: float = setting(
        0.005,
        minimum=1e-5,
        maximum=1.0,
        stops=(0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 1.0),
        label="Learning rate",
        help="Adam's step size (gradients clipped at norm 1)",
    )
    epochs: int = setting(
        40, minimum=1, maximum=1000, label="Epochs per run", help="epochs per run"
    )
    steps_per_epoch: int = setting(
        25,
        minimum=1,
        maximum=2000,
        label="Steps per epoch",
        help="gradient steps per epoch (a short epoch moves the curve)",
    )
    validation_fraction: float = setting(
        0.1,
        minimum=0.02,
        maximum=0.5,
        step=0.02,
        format="%.2f",
        label="Validation share",
        help="share of the text, at its end, held out",
    )
    seed: int = setting(
        0, minimum=0, maximum=2**31 - 1, label="Seed", help="seeds weights and shuffling"
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


def build_model(vocabulary_size: int, settings: TextSettings, *, compile: bool = True):
    """Embedding → ``layers`` × recurrent cell → Dense logits, compiled.

    Input ``(batch, time)`` int ids; output ``(batch, time, vocabulary_size)`` logits of
    the next token at every position. Initializers are seeded, nothing global changes.
    """
    import keras

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
    hooks = epoch_hooks(data.vocabulary, seed_text)
    trainer = KerasTrainer(
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
    trainer.first_chunk_seconds = FIRST_CHUNK_SECONDS  # an epoch takes seconds: show a step soon
    return trainer


def train_with_fit(
    model, data: TextData, settings: TextSettings, seed_text: str = "", report=print
) -> list[dict[str, Any]]:
    """Train ``model`` in one plain ``model.fit``: the live trainer's run, for a notebook.

    The batches of :func:`~course_lib.training.shuffled_batches` (the live trainer's order), ``settings.epochs``
    epochs of ``settings.steps_per_epoch`` steps, validation and :func:`epoch_hooks` after
    each epoch. Returns one row per epoch, like the live trainer's history; ``report`` is
    called with each row as it comes.
    """
    import keras

    hooks, history = epoch_hooks(data.vocabulary, seed_text), []

    def end_of_epoch(epoch: int, logs: dict) -> None:
        row = {"epoch": epoch + 1, **{name: float(value) for name, value in logs.items()}}
        for hook in hooks:
            hook(model, row)
        history.append(row)
        report(row)

    model.fit(
        shuffled_batches(data.x_train, data.y_train, settings.batch_size, settings.seed),
        epochs=settings.epochs,
        steps_per_epoch=settings.steps_per_epoch,
        validation_data=(data.x_val, data.y_val),
        validation_batch_size=max(256, 4 * settings.batch_size),
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=end_of_epoch)],
        shuffle=False,  # the batches are already shuffled, pass by pass
        verbose=0,
    )
    return history


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
