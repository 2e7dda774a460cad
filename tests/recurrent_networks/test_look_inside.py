"""course_lib.recurrent_networks.look_inside: hidden units over a text, as coloured HTML."""

import dataclasses

import numpy as np

from course_lib.recurrent_networks import look_inside
from course_lib.recurrent_networks.model import build_model
from tests.recurrent_networks.conftest import TINY


def test_hidden_activations_and_the_most_variable_units(snippet_vocabulary):
    model = build_model(
        snippet_vocabulary.size, dataclasses.replace(TINY, layers=2, hidden_units=8)
    )
    activations = look_inside.hidden_activations(model, snippet_vocabulary, "def add(a, b):")
    assert activations.shape == (14, 8)
    assert np.abs(activations).max() <= 1
    order = look_inside.units_by_variance(activations)
    variances = activations.var(axis=0)[order]
    assert sorted(order) == list(range(8)) and np.all(np.diff(variances) <= 0)
    first = look_inside.hidden_activations(model, snippet_vocabulary, "def add(a, b):", layer=0)
    assert not np.allclose(first, activations)


def test_activation_html_escapes_the_text():
    page = look_inside.activation_html(["<", "script", ">", "\n", "&"], [1.0, -1.0, 0.0, 0.5, 2.0])
    assert "<script>" not in page
    assert "&lt;" in page and "&gt;" in page and "&amp;" in page and "<br>" in page
    assert page.count("<span") == 5
