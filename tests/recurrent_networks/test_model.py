"""course_lib.recurrent_networks.model: the settings, the network and its live training."""

import dataclasses
import math

import pytest

from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks import model, pretrained
from course_lib.recurrent_networks import sampler as sampling
from course_lib.recurrent_networks.model import TextSettings
from course_lib.settings import validate
from tests.recurrent_networks.conftest import SNIPPET, TINY


def test_a_short_run_records_bits_and_samples():
    settings = dataclasses.replace(TINY, steps_per_epoch=3)
    trainer = model.make_trainer(corpora.prepare_data(SNIPPET, settings), settings, seed_text="def")
    trainer.step()
    row = trainer.history[-1]
    assert row["bits_per_character"] == pytest.approx(row["loss"] / math.log(2))
    assert row["val_bits_per_character"] == pytest.approx(row["val_loss"] / math.log(2))
    assert len(row["sample"]) == sampling.SAMPLE_CHARACTERS
    frame = model.samples_frame(trainer.history)
    assert list(frame.columns) == ["epoch", "validation bits", "sample"]


def test_settings_defaults_are_valid():
    validate(TextSettings())
    validate(sampling.GenerationSettings())
    validate(pretrained.PRETRAINED_SETTINGS)


def test_the_training_batches_are_the_live_trainers():
    """The notebook's batches come in the live trainer's order: the same windows, step by step."""
    import numpy as np

    settings = dataclasses.replace(TINY, batch_size=16)
    data = corpora.prepare_data(SNIPPET, settings)
    trainer = model.make_trainer(data, settings, samples=False)
    steps = 2 * trainer.steps_per_pass + 1  # across two reshuffles
    ours = list(model.shuffled_batches(data.x_train, data.y_train, 16, settings.seed).take(steps))
    theirs = list(trainer._batches(0, steps))
    assert len(ours) == len(theirs) == steps
    for (x, y), (x_live, y_live) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(x, x_live)
        np.testing.assert_array_equal(y, y_live)


def test_one_plain_fit_ends_where_the_live_trainer_ends():
    settings = dataclasses.replace(TINY, epochs=3, steps_per_epoch=4)
    data = corpora.prepare_data(SNIPPET, settings)
    trainer = model.make_trainer(data, settings, seed_text="def")
    for _ in range(settings.epochs):
        trainer.step()
    network = model.build_model(data.vocabulary.size, settings)
    history = model.train_with_fit(network, data, settings, "def", report=lambda row: None)
    assert [row["epoch"] for row in history] == [1, 2, 3]
    for row, live in zip(history, trainer.history, strict=True):
        assert row["loss"] == pytest.approx(live["loss"], rel=1e-4)
        assert row["val_loss"] == pytest.approx(live["val_loss"], rel=1e-4)
        assert row["sample"] == live["sample"]
