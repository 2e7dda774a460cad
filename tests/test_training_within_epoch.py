"""The live driver checks its time budget between steps, not only between epochs.

A fake clock (each reading 0.1 s later than the last) stands in for a model whose steps
are slow, so these tests do not depend on the speed of the machine.
"""

import numpy as np
import pytest

from course_lib import training
from course_lib.training import TrainingStatus
from tests.test_training import assert_same, make_trainer, weights


@pytest.fixture
def slow_clock(monkeypatch):
    """Every ``time.perf_counter()`` in the driver is 0.1 s after the previous one."""
    now = [0.0]

    def tick() -> float:
        now[0] += 0.1
        return now[0]

    monkeypatch.setattr(training.time, "perf_counter", tick)
    return now


def test_a_chunk_stops_inside_a_long_epoch_and_the_next_chunks_finish_it(slow_clock):
    reference = make_trainer(epochs=2, steps_per_epoch=40)
    interrupted = make_trainer(epochs=2, steps_per_epoch=40)
    interrupted.start()
    first = interrupted.run_chunk(max_seconds=0.5)
    assert first == []  # stopped inside epoch 1: no row for half an epoch
    assert 0 < interrupted.epoch_fraction < 1
    assert 0 < interrupted.progress < 0.5
    chunks = 1
    while interrupted.is_running:
        interrupted.run_chunk(max_seconds=0.5)
        chunks += 1
    assert chunks > 3
    assert [row["epoch"] for row in interrupted.history] == [1, 2]
    assert interrupted.status is TrainingStatus.FINISHED

    reference.start()
    slow_clock[0] = -1e9  # the reference runs with all the time in the world
    while reference.is_running:
        reference.run_chunk(max_seconds=1e12)
    assert_same(weights(reference), weights(interrupted))  # same steps, same order
    for row, whole in zip(interrupted.history, reference.history, strict=True):
        assert row["loss"] == pytest.approx(whole["loss"], rel=0.05)  # the epoch's mean
        assert row["val_loss"] == pytest.approx(whole["val_loss"], rel=1e-5)
        assert set(row) == set(whole)


def test_step_one_epoch_pauses_inside_a_long_epoch_and_resumes_it(slow_clock):
    trainer = make_trainer(epochs=3, steps_per_epoch=60)
    before = weights(trainer)
    assert trainer.step(max_seconds=1.0) == []
    assert trainer.status is TrainingStatus.PAUSED
    assert trainer.epochs_done == 0 and trainer.epoch_fraction > 0
    assert not all(np.array_equal(a, b) for a, b in zip(before, weights(trainer), strict=True))
    rows = []
    for _ in range(60):
        rows = trainer.step(max_seconds=1.0)
        if rows:
            break
    assert [row["epoch"] for row in rows] == [1]
    assert trainer.epoch_fraction == 0
    assert trainer.status is TrainingStatus.PAUSED


def test_reset_forgets_a_half_trained_epoch(slow_clock):
    trainer = make_trainer(epochs=2, steps_per_epoch=40)
    trainer.start()
    trainer.run_chunk(max_seconds=0.5)
    assert trainer.epoch_fraction > 0
    trainer.reset()
    assert trainer.epoch_fraction == 0 and trainer.progress == 0
