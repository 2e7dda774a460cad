"""Writing text one token at a time, carrying the hidden state; temperature.

Feed a seed, then sample one token at a time and feed it back, *carrying the hidden
state* from step to step. Temperature sharpens (T < 1) or flattens (T > 1) the
distribution; T = 0 always takes the most likely token.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_lib.recurrent_networks.corpus import Vocabulary, named
from course_lib.settings import setting

#: The epoch samples: same length and temperature every epoch, so they compare.
SAMPLE_TEMPERATURE = 0.5


SAMPLE_CHARACTERS = 120


#: Longest seed text the generator takes (a longer one is cut, with a note).
MAX_SEED_CHARS = 500


@dataclass(frozen=True)
class GenerationSettings:
    """How to write new text with a trained network."""

    network: str = setting(
        "pretrained",
        choices=("pretrained", "yours"),
        label="Network",
        help="the shipped model or the one you train",
    )
    seed_text: str = setting("def ", label="Seed text", help="the beginning the network continues")
    length: int = setting(400, minimum=10, maximum=3000, label="Length", help="tokens to write")
    temperature: float = setting(
        0.8,
        minimum=0.0,
        maximum=3.0,
        step=0.05,
        label="Temperature",
        help="0 = always the most likely; >1 = more random",
    )


def cut_seed_text(seed_text: str) -> tuple[str, str | None]:
    """The seed text cut to :data:`MAX_SEED_CHARS`, and a note when it had to be cut."""
    if len(seed_text) <= MAX_SEED_CHARS:
        return seed_text, None
    return seed_text[:MAX_SEED_CHARS], f"The seed text was cut to {MAX_SEED_CHARS} characters."


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


def draw_seed() -> int:
    """A fresh sampling seed for one press of Generate (the page shows it, to replay)."""
    return secrets.randbelow(2**31 - 1)


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
