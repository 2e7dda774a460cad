"""The experiment: images, split, model and batches, live or in one call, the same."""

import numpy as np
import pytest

from course_lib.convolutional_networks import probe, training
from course_lib.convolutional_networks.model import CNNSettings


def test_training_learns_the_digits_and_is_reproducible(digits):
    config = CNNSettings(epochs=3, filters=8, dense_units=32)
    first, second = training.make_trainer(config, digits), training.make_trainer(config, digits)
    for trainer in (first, second):
        trainer.start()
        while trainer.is_running:
            trainer.run_chunk(max_seconds=30)
    assert first.epochs_done == 3 and {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(
        first.history[-1]
    )
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    result = probe.evaluate(first.model, digits)
    assert result.accuracy > 0.5  # chance is 0.1


def test_the_notebooks_batches_are_the_live_trainers(digits):
    """``shuffled_batches`` (what ``train_cnn`` and the notebook feed) is the trainer's order."""
    settings = CNNSettings(batch_size=100, seed=5)
    (x_train, y_train), _ = training.validation_split(digits, settings.seed)
    trainer = training.make_trainer(settings, digits)
    steps = 2 * trainer.steps_per_pass + 3  # across two passes, each shuffled anew
    live = list(trainer._batches(0, steps).as_numpy_iterator())
    ours = list(training.shuffled_batches(x_train, y_train, 100, settings.seed).take(steps))
    assert len(live) == len(ours) == steps
    for (x_live, y_live), (x_ours, y_ours) in zip(live, ours, strict=True):
        np.testing.assert_array_equal(x_live, x_ours.numpy())
        np.testing.assert_array_equal(y_live, y_ours.numpy())
    first, second = (y for _, y in ours[: trainer.steps_per_pass + 1 : trainer.steps_per_pass])
    assert not np.array_equal(first, second)  # the second pass is in another order


def test_epochs_are_capped_and_photos_are_flipped(digits):
    assert training.steps_per_epoch(1_000, 32) == 32
    assert training.steps_per_epoch(20_000, 32) == training.MAX_STEPS_PER_EPOCH == 200
    flipped = training.build_model(CNNSettings(dataset="cifar10", augmentation=True), digits)
    names = [layer.name for layer in flipped.get_layer("augmentation").layers]
    assert any("flip" in name for name in names)
    digits_model = training.build_model(CNNSettings(augmentation=True), digits)
    assert not any("flip" in layer.name for layer in digits_model.get_layer("augmentation").layers)


def test_the_images_are_the_digits_or_a_keras_data_set_cut_short(monkeypatch, tmp_path):
    from course_lib import datasets

    assert training.load_images("digits").x_train.shape == datasets.load_digits().x_train.shape
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    (tmp_path / "datasets").mkdir()
    monkeypatch.setattr(training, "KERAS_MAX_TRAIN", 50)
    monkeypatch.setattr(datasets, "_download", lambda name: pytest.fail("tried to download"))
    np.savez(
        tmp_path / "datasets" / "mnist.npz",
        x_train=np.zeros((80, 28, 28), np.uint8),
        y_train=np.arange(80, dtype=np.uint8) % 10,
        x_test=np.zeros((20, 28, 28), np.uint8),
        y_test=np.arange(20, dtype=np.uint8) % 10,
    )
    mnist = training.load_images("mnist")
    assert mnist.x_train.shape == (50, 28, 28, 1) and len(mnist.y_test) == 20
