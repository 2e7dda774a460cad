"""KerasTrainer.prepare: the training step traced before Start, the run unchanged."""

import threading
import time

import numpy as np

from course_lib import sharing
from course_lib.sharing import FairQueue
from course_lib.training import FIRST_CHUNK_SECONDS, TrainingStatus
from tests.test_training import assert_same, make_trainer, weights


def count_traces(trainer) -> list[int]:
    """Counts how often TensorFlow traces ``trainer``'s training step: Python code inside a
    ``tf.function`` runs only while it is traced, never when the traced graph runs."""
    traces = [0]
    step = trainer.model.train_step

    def counted(data):
        traces[0] += 1
        return step(data)

    trainer.model.train_step = counted
    return traces


def dropout_trainer(**kwargs):
    import keras

    def build():
        model = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(
                    16,
                    activation="tanh",
                    kernel_initializer=keras.initializers.GlorotUniform(seed=3),
                ),
                keras.layers.Dropout(0.3, seed=5),
                keras.layers.Dense(
                    2,
                    activation="softmax",
                    kernel_initializer=keras.initializers.GlorotUniform(seed=4),
                ),
            ]
        )
        model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
        return model

    trainer = make_trainer(**kwargs)
    trainer._build_model = build
    trainer.reset()
    return trainer


def run(trainer, epochs=3):
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    return [row["loss"] for row in trainer.history[:epochs]], weights(trainer)


def test_prepare_traces_the_step_that_the_first_chunk_then_reuses():
    unprepared = make_trainer(epochs=2)
    traces = count_traces(unprepared)
    unprepared.start()
    unprepared.run_chunk(max_seconds=60)
    assert traces[0] >= 1  # the counter sees a chunk's tracing

    trainer = make_trainer(epochs=2)
    traces = count_traces(trainer)
    assert trainer.needs_preparing
    assert trainer.prepare()
    traced = traces[0]
    assert traced >= 1
    assert not trainer.needs_preparing and not trainer.prepare()  # once per model
    trainer.start()
    trainer.run_chunk(max_seconds=60)
    assert trainer.epochs_done == 2
    assert traces[0] == traced  # the chunk ran the prepared trace, it did not trace again


def test_a_prepared_run_is_the_run_it_would_have_been():
    for build in (make_trainer, dropout_trainer):  # dropout: its random seed is put back too
        plain_losses, plain_weights = run(build(epochs=3))
        prepared = build(epochs=3)
        initial = weights(prepared)
        prepared.prepare()
        assert_same(initial, weights(prepared))  # the step it took is undone
        assert prepared.model.optimizer.iterations.numpy() == 0
        losses, final = run(prepared)
        np.testing.assert_allclose(losses, plain_losses, rtol=1e-6)
        assert_same(plain_weights, final)


def test_reset_gives_a_new_model_to_prepare():
    trainer = make_trainer()
    trainer.prepare()
    trainer.reset()
    assert trainer.needs_preparing


def test_nothing_to_prepare_once_training_began():
    trainer = make_trainer(epochs=5)
    trainer.start()
    trainer.run_chunk(max_seconds=0.0)
    assert not trainer.needs_preparing and not trainer.prepare()


def test_the_first_chunk_of_a_run_is_short():
    trainer = make_trainer(epochs=10_000)  # 80,000 steps: many seconds on any machine
    trainer.first_chunk_seconds = FIRST_CHUNK_SECONDS
    trainer.prepare()
    trainer.start()
    trainer.run_chunk(max_seconds=600)
    # asked for ten minutes, the first chunk gave back after FIRST_CHUNK_SECONDS of steps
    assert trainer.status is TrainingStatus.RUNNING and 0 < trainer.progress < 0.5
    trainer.run_chunk(max_seconds=0.0)  # later chunks: a whole slice at least, as before
    assert trainer.status is TrainingStatus.RUNNING


def wait_until(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_prepared_in_the_background_in_turn_with_the_class():
    queue = FairQueue(slots=1)
    trainer = make_trainer()
    queue.acquire("a student training")  # the only core is busy
    assert sharing.prepare_in_background(trainer, queue)
    assert not sharing.prepare_in_background(trainer, queue)  # one thread per model
    time.sleep(0.3)
    assert trainer.needs_preparing  # it waits for its turn
    queue.release("a student training")
    wait_until(lambda: not trainer.needs_preparing)
    wait_until(lambda: queue.waiting == 0 and queue.running == 0)


def test_start_before_the_preparation_makes_it_give_up():
    queue = FairQueue(slots=1)
    trainer = make_trainer(epochs=2)
    queue.acquire("a student training")
    sharing.prepare_in_background(trainer, queue)
    trainer.start()  # the student did not wait: the chunk traces, as it always did
    trainer.run_chunk(max_seconds=60)
    queue.release("a student training")
    wait_until(lambda: queue.waiting == 0 and queue.running == 0)  # it left the queue
    assert trainer._prepared_model is None  # and traced nothing: the run had begun


def test_the_progress_tells_the_steps_inside_a_long_epoch():
    from course_lib.ui.training_panel import progress_text

    trainer = make_trainer(epochs=3, steps_per_epoch=100_000)  # an epoch of many seconds
    trainer.first_chunk_seconds = 0.05
    trainer.start()
    trainer.run_chunk(max_seconds=600)
    steps = trainer.steps_into_epoch
    assert 0 < steps < 100_000 and trainer.epochs_done == 0
    assert progress_text(trainer).startswith(f"Epoch 0 of 3 · step {steps:,} of 100,000 of epoch 1")


def test_the_preparation_waits_for_the_page_run_that_asked_for_it():
    queue = FairQueue(slots=1)
    trainer = make_trainer()
    page_drawn = threading.Event()

    def page_run():  # Streamlit's script thread: the page goes on drawing after the panel
        sharing.prepare_in_background(trainer, queue)
        page_drawn.wait(timeout=30)

    script = threading.Thread(target=page_run, name=sharing.SCRIPT_THREAD)
    script.start()
    time.sleep(0.5)
    assert trainer.needs_preparing  # not beside the page run
    page_drawn.set()
    script.join()
    wait_until(lambda: not trainer.needs_preparing)
