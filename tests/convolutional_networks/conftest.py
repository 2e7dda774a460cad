"""Fixtures of chapter 3's tests: the digits and the pretrained digits network."""

import pytest

from course_lib import datasets
from course_lib.convolutional_networks.pretrained import load_pretrained_digits


@pytest.fixture(scope="module")
def digits():
    return datasets.load_digits()


@pytest.fixture(scope="module")
def pretrained_model():
    model, info = load_pretrained_digits()
    assert model is not None, (
        "assets/digits_cnn.keras is missing: run python -m course_lib.convolutional_networks.pretrained"
    )
    return model, info
