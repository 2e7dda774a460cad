"""course_lib.recurrent_networks.charts: the character and next-token bar charts."""

import numpy as np

from course_lib.recurrent_networks import charts
from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks import sampler as sampling
from tests.recurrent_networks.conftest import SNIPPET


def test_the_frequency_chart_names_white_space():
    spec = charts.character_frequency_chart(corpora.character_frequencies(SNIPPET, top=5)).to_dict()
    assert "Most frequent characters" in str(spec["title"])
    values = next(iter(spec["datasets"].values()))
    assert {row["character"] for row in values} >= {"space ␣"}


def test_the_next_token_chart_says_the_temperature():
    vocabulary = corpora.build_vocabulary(SNIPPET)
    logits = np.linspace(-1, 1, vocabulary.size)
    frame = sampling.next_token_frame(sampling.next_token_probabilities(logits, 0.5), vocabulary)
    spec = charts.next_token_chart(frame, vocabulary.unit, 0.5).to_dict()
    assert "Next character at T = 0.5" in str(spec["title"])
