import numpy as np
import pytest

from course_lib import training
from course_lib.training import KerasTrainer, TrainingStatus, learning_curves_frame


def xor_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2)).astype("float32")
    y = ((x[:, 0] * x[:, 1]) > 0).astype("int32")
    return x, y


def tiny_builder(seed=0, learning_rate=0.05):
    import keras

    def build():
        init = [keras.initializers.GlorotUniform(seed=seed + i) for i in range(2)]
        model = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(8, activation="tanh", kernel_initializer=init[0]),
                keras.layers.Dense(2, activation="softmax", kernel_initializer=init[1]),
            ]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        return model

    return build


def make_trainer(epochs=6, seed=0, learning_rate=0.05, **kwargs):
    x, y = xor_data()
    return KerasTrainer(
        tiny_builder(seed, learning_rate),
        x,
        y,
        epochs=epochs,
        batch_size=32,
        validation_data=xor_data(64, seed=1),
        seed=seed,
        **kwargs,
    )


def weights(trainer):
    return [w.copy() for w in trainer.model.get_weights()]


def assert_same(a, b):
    assert len(a) == len(b)
    for wa, wb in zip(a, b, strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-6)


def train_to_end(trainer, chunk_epochs=None):
    trainer.start()
    while trainer.is_running:
        if chunk_epochs is None:
            trainer.run_chunk(max_seconds=60)
        else:
            for _ in range(chunk_epochs):
                trainer.step()
            if trainer.epochs_done < trainer.total_epochs:
                trainer.start()


def test_runs_all_epochs_and_records_metrics():
    trainer = make_trainer(epochs=5)
    assert trainer.status is TrainingStatus.READY
    trainer.start()
    rows = trainer.run_chunk(max_seconds=60)
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4, 5]
    assert trainer.status is TrainingStatus.FINISHED
    assert trainer.progress == 1.0
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"} <= set(rows[-1])
    # the network learns: loss goes down on XOR
    assert rows[-1]["loss"] < rows[0]["loss"]
    frame = learning_curves_frame(trainer.history)
    assert set(frame["split"]) == {"train", "validation"}
    assert set(frame["metric"]) == {"loss", "accuracy"}
    assert len(frame) == 5 * 4


def test_same_seed_same_weights_whatever_the_chunking():
    in_one_go = make_trainer(epochs=4)
    train_to_end(in_one_go)
    epoch_by_epoch = make_trainer(epochs=4)
    train_to_end(epoch_by_epoch, chunk_epochs=1)
    assert epoch_by_epoch.epochs_done == 4
    assert_same(weights(in_one_go), weights(epoch_by_epoch))


def test_different_seed_different_weights():
    a, b = make_trainer(epochs=2, seed=0), make_trainer(epochs=2, seed=1)
    train_to_end(a)
    train_to_end(b)
    assert not np.allclose(a.model.get_weights()[0], b.model.get_weights()[0])


def test_epoch_shuffle_changes_between_epochs():
    trainer = make_trainer(epochs=1)
    first = np.concatenate([b[0].numpy() for b in trainer._batches(0, trainer.steps_per_pass)])
    second = np.concatenate(
        [b[0].numpy() for b in trainer._batches(trainer.steps_per_pass, trainer.steps_per_pass)]
    )
    # each pass is a permutation of the whole training set, in a new order
    assert sorted(map(tuple, first)) == sorted(map(tuple, second))
    assert not np.array_equal(first, second)


def test_pause_and_resume_keep_weights():
    trainer = make_trainer(epochs=4)
    trainer.start()
    trainer._advance(2, 60)
    trainer.pause()
    assert trainer.status is TrainingStatus.PAUSED
    paused = weights(trainer)
    assert trainer.run_chunk() == []  # a paused run does not train
    assert_same(paused, weights(trainer))
    trainer.start()
    trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.FINISHED
    reference = make_trainer(epochs=4)
    train_to_end(reference)
    assert_same(weights(reference), weights(trainer))


def test_stop_keeps_the_partial_model_and_start_trains_more():
    trainer = make_trainer(epochs=5)
    trainer.start()
    trainer._advance(2, 60)
    before = weights(trainer)
    trainer.stop()
    assert trainer.status is TrainingStatus.STOPPED
    assert trainer.epochs_done == 2
    assert_same(before, weights(trainer))
    trainer.start()  # after a stop, Start trains the planned number of epochs more
    assert trainer.total_epochs == 7
    trainer.run_chunk(max_seconds=60)
    assert trainer.epochs_done == 7


def test_reset_gives_back_the_initial_weights():
    trainer = make_trainer(epochs=2)
    initial = weights(trainer)
    train_to_end(trainer)
    trainer.reset()
    assert trainer.status is TrainingStatus.READY
    assert trainer.history == []
    assert_same(initial, weights(trainer))


def test_time_budget_splits_training_into_chunks():
    trainer = make_trainer(epochs=50)
    trainer.start()
    rows = trainer.run_chunk(max_seconds=0.0)  # at least one epoch, then stop
    assert len(rows) == 1
    assert trainer.status is TrainingStatus.RUNNING


def test_divergence_is_detected_and_weights_rolled_back():
    import keras

    x = np.linspace(-1, 1, 64, dtype="float32")[:, None]
    y = (3 * x + 1).astype("float32")

    def build():
        model = keras.Sequential(
            [
                keras.Input((1,)),
                keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(0.5)),
            ]
        )
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=50.0), loss="mse")
        return model

    trainer = KerasTrainer(build, x, y, epochs=50, batch_size=8)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.DIVERGED
    assert "learning rate" in trainer.message
    assert trainer.epochs_done < 50
    assert all(np.all(np.isfinite(w)) for w in trainer.model.get_weights())


def test_epoch_hooks_add_to_the_row():
    seen = []

    def count_params(model, row):
        row["parameters"] = model.count_params()
        seen.append(row["epoch"])

    trainer = make_trainer(epochs=3, on_epoch_end=[count_params])
    train_to_end(trainer)
    assert seen == [1, 2, 3]
    assert trainer.history[-1]["parameters"] == 2 * 8 + 8 + 8 * 2 + 2


def test_two_trainers_in_one_process_do_not_interfere():
    alone = make_trainer(epochs=3, seed=3)
    train_to_end(alone)

    a = make_trainer(epochs=3, seed=3)
    b = make_trainer(epochs=3, seed=4, learning_rate=0.5)
    a.start()
    b.start()
    # interleave their chunks, as two students' sessions would
    while a.is_running or b.is_running:
        a.run_chunk(max_seconds=0.0)
        b.run_chunk(max_seconds=0.0)
    assert_same(weights(alone), weights(a))
    assert not np.allclose(a.model.get_weights()[0], b.model.get_weights()[0])


def test_rejects_mismatched_data():
    x, y = xor_data()
    with pytest.raises(ValueError):
        KerasTrainer(tiny_builder(), x, y[:-1], epochs=1)


def test_a_classifier_stuck_far_above_its_first_loss_counts_as_diverged():
    """A huge step can throw a classifier to a large but finite loss where it stays."""
    import re

    from course_lib import training

    after_epoch = {}

    def remember(model, row):
        after_epoch[row["epoch"]] = [w.copy() for w in model.get_weights()]

    trainer = make_trainer(epochs=30, on_epoch_end=[remember])
    after_epoch[0] = weights(trainer)
    trainer.start()
    trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.FINISHED
    trainer.start()
    # pretend the first epoch's loss had been tiny: every later epoch is "10× above it"
    trainer.history[0]["loss"] = trainer.history[-1]["loss"] / (10 * training.STUCK_LOSS_FACTOR)
    trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.DIVERGED
    assert "stayed above" in trainer.message
    assert trainer.epochs_done == 30 + training.STUCK_EPOCHS - 1
    # rolled back to the last state a good loss confirmed: epoch 31's loss was already "high",
    # so the weights after epoch 30 do not count as good
    named = re.search(r"rolled back to epoch (\d+)", trainer.message)
    epoch = int(named.group(1)) if named else 0
    assert epoch < 30
    assert_same(after_epoch[epoch], weights(trainer))


def test_no_eta_from_the_first_chunk_which_also_traces_the_model():
    trainer = make_trainer(epochs=50)
    trainer.start()
    trainer.run_chunk(max_seconds=0.0)
    assert trainer.eta_seconds is None
    trainer.run_chunk(max_seconds=0.0)
    assert trainer.eta_seconds is not None and trainer.eta_seconds > 0


def test_seed_sequence_is_reproducible_and_distinct():
    assert training.seed_sequence(7, 5) == training.seed_sequence(7, 5)
    assert len(set(training.seed_sequence(7, 5))) == 5
    assert training.seed_sequence(7, 3) != training.seed_sequence(8, 3)


def test_rollback_names_an_epoch_whose_loss_was_seen_to_be_good(monkeypatch):
    """The weights after epoch k show their loss only in epoch k + 1: the rollback target
    is the last copy that the next epoch's loss confirmed, and the message names it."""
    import re

    import keras

    monkeypatch.setattr(training, "SNAPSHOT_SECONDS", 0.0)  # a candidate after every epoch
    x = np.linspace(-1, 1, 64, dtype="float32")[:, None]
    y = (3 * x + 1).astype("float32")

    def build():
        model = keras.Sequential(
            [
                keras.Input((1,)),
                keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(0.5)),
            ]
        )
        # full-batch gradient descent a little past its stable step: the loss grows each epoch
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.4), loss="mse")
        return model

    after_epoch = {}

    def remember(model, row):
        after_epoch[row["epoch"]] = [w.copy() for w in model.get_weights()]

    trainer = KerasTrainer(build, x, y, epochs=200, batch_size=64, on_epoch_end=[remember])
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.DIVERGED
    named = int(re.search(r"rolled back to epoch (\d+)", trainer.message).group(1))
    assert_same(after_epoch[named], weights(trainer))
    losses = {row["epoch"]: row["loss"] for row in trainer.history}
    seen = losses[named + 1]  # the loss the named weights gave: finite, not exploding
    assert np.isfinite(seen) and seen <= training.STUCK_LOSS_FACTOR * losses[1]
    # and the next copy was not good: its loss was the first one far above the start
    assert losses.get(named + 2, np.inf) > training.STUCK_LOSS_FACTOR * losses[1]
