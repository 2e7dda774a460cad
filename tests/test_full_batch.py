"""The compiled full-batch loop: fit's own step, one trace for every model of a shape."""

import math

import numpy as np
import pytest

from course_lib import full_batch, training
from course_lib.fundamentals.network import FitSettings, build_network, fit_trainer
from course_lib.fundamentals.targets import TargetSettings, target_points
from course_lib.training import KerasTrainer, TrainingStatus


@pytest.fixture(scope="module")
def points():
    return target_points(TargetSettings())


def columns(points):
    return points.x.astype("float32")[:, None], points.y.astype("float32")[:, None]


def network(points, *, seed=0, units=16, **kwargs):
    return build_network((units,), "tanh", low=points.low, high=points.high, seed=seed, **kwargs)


def fit_losses(model, x, y, epochs):
    history = model.fit(x, y, batch_size=len(x), epochs=epochs, shuffle=False, verbose=0)
    return np.array(history.history["loss"])


def test_the_loop_trains_as_fit_does(points):
    x, y = columns(points)
    by_fit, by_loop = network(points, seed=3), network(points, seed=3)
    expected = fit_losses(by_fit, x, y, 25)
    losses = full_batch.loop_for(by_loop).train(by_loop, x, y, 25, math.inf)
    np.testing.assert_allclose(losses, expected, rtol=1e-4, atol=1e-6)
    for a, b in zip(by_fit.get_weights(), by_loop.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert int(by_loop.optimizer.iterations.numpy()) == 25  # its optimizer state came back too


def test_students_with_one_shape_share_one_trace_and_nothing_else(points):
    x, y = columns(points)
    first = network(points, seed=1, units=24, learning_rate=0.01)
    second = network(points, seed=2, units=24, learning_rate=0.05)
    loop = full_batch.loop_for(first)
    assert full_batch.loop_for(second) is loop  # seeds and learning rates do not matter
    loop.train(first, x, y, 10, math.inf)
    traces = loop._epochs.experimental_get_tracing_count()
    losses = loop.train(second, x, y, 10, math.inf)
    assert loop._epochs.experimental_get_tracing_count() == traces  # no second trace
    alone = network(points, seed=2, units=24, learning_rate=0.05)  # the same student, by fit
    np.testing.assert_allclose(losses, fit_losses(alone, x, y, 10), rtol=1e-4, atol=1e-6)
    assert int(first.optimizer.iterations.numpy()) == 10  # untouched by the second's chunk
    assert float(second.optimizer.learning_rate.numpy()) == pytest.approx(0.05)


def test_a_different_network_gets_its_own_loop(points):
    base = full_batch.loop_for(network(points, units=8))
    others = [
        network(points, units=9),
        build_network((8,), "relu", low=points.low, high=points.high),
        network(points, units=8, optimizer="sgd"),
        build_network((8,), "tanh", low=0.0, high=1.0),  # another input scaling
        build_network((8, 8), "tanh", low=points.low, high=points.high),
    ]
    loops = {id(full_batch.loop_for(model)) for model in others}
    assert id(base) not in loops and len(loops) == len(others)


def test_the_loop_stops_after_a_loss_above_the_limit(points):
    x, y = columns(points)
    model = network(points, learning_rate=5.0, optimizer="sgd")  # too large: the loss grows
    by_fit = fit_losses(network(points, learning_rate=5.0, optimizer="sgd"), x, y, 3)
    assert by_fit[1] > 1.001 * by_fit[0]
    losses = full_batch.loop_for(model).train(model, x, y, 50, 1.001 * by_fit[0])
    np.testing.assert_allclose(losses, by_fit[:2], rtol=1e-4)  # stopped after the first over


def full_batch_trainer(builder, x, y, epochs):
    return KerasTrainer(builder, x, y, epochs=epochs, batch_size=len(x), full_batch_loop=True)


def test_same_weights_in_one_chunk_or_epoch_by_epoch(points):
    x, y = columns(points)
    whole = full_batch_trainer(lambda: network(points, seed=5), x, y, 12)
    whole.start()
    whole.run_chunk(max_seconds=60)
    stepped = full_batch_trainer(lambda: network(points, seed=5), x, y, 12)
    while stepped.epochs_done < 12:
        stepped.step()
    assert whole.status is TrainingStatus.FINISHED and len(whole.history) == 12
    assert [r["epoch"] for r in stepped.history] == list(range(1, 13))
    for a, b in zip(whole.model.get_weights(), stepped.model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_divergence_in_the_loop_rolls_back_to_a_loss_seen_good():
    import re

    import keras

    x = np.linspace(-1, 1, 64, dtype="float32")[:, None]
    y = (3 * x + 1).astype("float32")

    def build():
        model = keras.Sequential(
            [keras.Input((1,)), keras.layers.Dense(1, kernel_initializer="ones")]
        )
        # full-batch gradient descent a little past its stable step: the loss grows each epoch
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.4), loss="mse")
        return model

    trainer = full_batch_trainer(build, x, y, 200)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=0.01)  # many chunks: each one's start is a candidate
    assert trainer.status is TrainingStatus.DIVERGED
    named = int(re.search(r"rolled back to (?:epoch (\d+)|its initial)", trainer.message)[1] or 0)
    losses = {row["epoch"]: row["loss"] for row in trainer.history}
    restored = float(trainer.model.evaluate(x, y, batch_size=64, verbose=0))
    assert restored == pytest.approx(losses[named + 1], rel=1e-4)  # the weights that gave it
    assert restored <= training.STUCK_LOSS_FACTOR * losses[1]
    assert max(losses.values()) > restored  # it did get worse before it was stopped


def test_the_fit_is_seen_learning_in_about_ten_chunks(points):
    trainer = fit_trainer(FitSettings(epochs=300), points)
    assert trainer.full_batch_loop
    trainer.start()
    chunks = []
    while trainer.is_running:
        chunks.append(len(trainer.run_chunk(max_seconds=60)))
    assert sum(chunks) == 300 and max(chunks) == 30 and len(chunks) == 10


def test_the_loop_refuses_mini_batches(points):
    x, y = columns(points)
    with pytest.raises(ValueError, match="one batch"):
        KerasTrainer(lambda: network(points), x, y, epochs=3, batch_size=8, full_batch_loop=True)


def test_a_fresh_optimizer_state_keeps_its_learning_rate(points):
    model = network(points, learning_rate=0.02)
    unbuilt = training.snapshot([model], model.optimizer)  # before the optimizer had variables
    model.optimizer.build(model.trainable_variables)
    model.optimizer.iterations.assign(7)
    training.restore(unbuilt, [model], model.optimizer)
    assert int(model.optimizer.iterations.numpy()) == 0
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.02)
