"""The pretrained digits network in assets/ is what its description says."""

import json

import pytest

from course_lib.convolutional_networks import pretrained, probe
from course_lib.convolutional_networks.model import CNNSettings


def test_pretrained_asset_matches_its_description(digits, pretrained_model):
    model, info = pretrained_model
    result = probe.evaluate(model, digits)
    assert result.accuracy == pytest.approx(info["test_accuracy"], abs=1e-3)
    assert result.accuracy >= 0.95
    assert info["made_by"] == "python -m course_lib.convolutional_networks.pretrained"
    assert CNNSettings(**info["settings"]) == pretrained.PRETRAINED_SETTINGS
    assert pretrained.PRETRAINED_MODEL.stat().st_size < 1_000_000  # small enough for the repo
    json.loads(pretrained.PRETRAINED_INFO.read_text())
