"""Look inside: the hidden state after each token, and the text coloured by one unit.

The hidden state is a vector of numbers per position; some units track things a reader
can name (inside a string, indentation depth, line length).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from course_lib.recurrent_networks.corpus import Vocabulary


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
