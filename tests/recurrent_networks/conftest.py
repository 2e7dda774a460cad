"""Shared pieces of the recurrent-networks tests: a small Python text and tiny settings."""

import pytest

from course_lib.recurrent_networks import corpus
from course_lib.recurrent_networks.model import TextSettings

SNIPPET = 'def add(a, b):\n    """Return a + b."""\n    return a + b\n\nprint(add(1, 2))\n' * 20
TINY = TextSettings(hidden_units=16, embedding_dim=8, sequence_length=16, batch_size=16)


@pytest.fixture(scope="module")
def snippet_vocabulary():
    return corpus.build_vocabulary(SNIPPET)
