"""course_lib.deep_supervised_learning.model: the builder, its parameter count, training."""

import dataclasses

import numpy as np
import pytest

from course_lib.deep_supervised_learning.charts import (
    gradient_frame,
)
from course_lib.deep_supervised_learning.data import (
    make_dataset,
)
from course_lib.deep_supervised_learning.experiment import (
    MOMENTUM,
    OPTIMIZERS,
    PlaygroundSettings,
)
from course_lib.deep_supervised_learning.lesson import preset_settings
from course_lib.deep_supervised_learning.model import (
    MAX_EPOCH_SECONDS,
    GradientNorms,
    make_optimizer,
    make_trainer,
    model_for,
    parameter_count,
    seconds_per_epoch,
    steps_per_epoch,
)


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


ARCHITECTURES = [
    {},
    {"hidden_layers": 1, "hidden_units_1": 1, "activation_1": "linear"},
    {"hidden_layers": 3, "hidden_units_2": 32, "batch_norm": True, "dropout": 0.2},
    {"hidden_layers": 6, "hidden_units_3": 512, "l1": 1e-4, "l2": 1e-3, "optimizer": "RMSprop"},
]


@pytest.mark.parametrize("changes", ARCHITECTURES)
@pytest.mark.parametrize("classes", [2, 5])
def test_parameter_count_matches_keras(changes, classes):
    choice = settings(**changes)
    model = model_for(choice, classes)
    count = parameter_count(choice, classes)
    assert count["total"] == model.count_params()
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert count["trainable"] == trainable
    assert model.output_shape == (None, classes)


def test_the_builder_honours_each_layer_and_the_seed():
    choice = settings(hidden_layers=3, hidden_units_2=5, activation_3="sigmoid")
    model = model_for(choice, 2)
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    assert [layer.activation.__name__ for layer in hidden] == ["tanh", "tanh", "sigmoid"]
    assert model.get_layer("dense_2").units == 5
    again = model_for(choice, 2)
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    other = model_for(dataclasses.replace(choice, seed=1), 2)
    assert not np.array_equal(model.get_weights()[0], other.get_weights()[0])


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_is_built(name):
    optimizer = make_optimizer(name, 0.05)
    assert float(optimizer.learning_rate) == pytest.approx(0.05)
    assert (getattr(optimizer, "momentum", 0.0) == MOMENTUM) == (name == "SGD+momentum")


def test_a_huge_network_gets_short_epochs_and_a_small_one_full_passes():
    big = settings(hidden_layers=6, **{f"hidden_units_{i}": 512 for i in range(1, 7)}, batch_size=1)
    assert seconds_per_epoch(big, 1400, 2) > MAX_EPOCH_SECONDS
    steps = steps_per_epoch(big, 1400, 2)
    assert steps is not None and 1 <= steps < 1400
    assert steps_per_epoch(settings(), 280, 2) is None


def test_training_records_gradient_norms_per_layer_and_learns():
    choice = settings(dataset="XOR", hidden_layers=2, hidden_units_1=16, epochs=15, samples=200)
    data = make_dataset(choice)
    trainer = make_trainer(choice, data)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    assert trainer.epochs_done == 15
    first = trainer.history[0]
    assert {"grad_norm_1", "grad_norm_2", "grad_norm_output"} <= set(first)
    assert all(first[k] > 0 for k in first if k.startswith("grad_norm_"))
    assert trainer.history[-1]["val_accuracy"] > 0.75
    frame = gradient_frame(trainer.history)
    assert set(frame["layer"]) == {"layer 1", "layer 2", "output"}


def test_a_deep_sigmoid_net_has_vanishing_gradients():
    choice = preset_settings("vanishing gradients")
    data = make_dataset(choice)
    hook = GradientNorms(data.x_train, data.y_train)
    row = {"epoch": 1}
    hook(model_for(choice, data.classes), row)
    assert row["grad_norm_1"] < row["grad_norm_6"] / 10


def test_a_too_large_learning_rate_is_stopped_with_an_explanation():
    choice = dataclasses.replace(preset_settings("learning rate too large"), epochs=30)
    trainer = make_trainer(choice, make_dataset(choice))
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    assert trainer.status == "diverged"
    assert "learning rate" in trainer.message


def test_shuffled_batches_visit_every_point_once_per_pass_in_a_seeded_order():
    from course_lib.training import shuffled_batches

    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    y = np.arange(5, dtype=np.int32)

    def labels(seed):
        return [b[1].numpy().tolist() for b in shuffled_batches(x, y, 2, seed).take(6)]

    first = labels(3)
    assert [len(batch) for batch in first] == [2, 2, 1, 2, 2, 1]  # two passes of 5 points
    assert sorted(sum(first[:3], [])) == sorted(sum(first[3:], [])) == list(range(5))
    assert labels(3) == first and labels(4) != first
