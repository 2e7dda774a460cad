"""Live training: learn the parameters a chunk at a time, so a page stays responsive.

Backpropagation is a loop — forward pass, loss, backward pass, parameter update — run
over the training set again and again (an *epoch* is one pass). Keras's ``fit`` runs
that loop. A web page cannot sit inside one long ``fit`` call: the student wants to
see the curve move, pause, look, go on. So :class:`KerasTrainer` runs ``fit``'s loop for a
few epochs at a time (a *chunk*, about a second), keeps the model between chunks, and
records one row of metrics per epoch. The time budget is checked between *steps*, not
only between epochs: a chunk of a big model stops inside an epoch, and the next chunk
(or the next "Step one epoch") carries the same epoch on from the step it reached.

The state of a training run::

    ready --start--> running --pause--> paused --start--> running ...
                     running --(all epochs done)--> finished
                     running/paused --stop--> stopped        (model kept)
                     running --(loss NaN or exploding)--> diverged (last good weights kept)
    any --reset--> ready                                      (fresh weights, same seed)

Reproducible without global state: the model builder seeds its own initializers, and
the order of the training examples in epoch ``e`` is a *stateless* shuffle keyed by
``(seed, e)`` (:mod:`course_lib.batches`). The same seed gives the same weights whether the
run was trained in one chunk or twenty, and two students training at once cannot disturb
each other.

:class:`LiveTraining` is the state machine alone; reinforcement learning subclasses it
with its own loop (``course_lib.reinforcement_learning.agents.AgentTrainer``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import numpy as np

# the run's reproducible order (seeds, shuffled batches) lives in its own module; named here too
from course_lib.batches import seed_sequence, shuffled_batches  # noqa: F401

# the last good state and the message when a run diverges: course_lib/rollback.py
from course_lib.rollback import (  # noqa: F401
    EXPLODING_LOSS_FACTOR,
    STUCK_EPOCHS,
    STUCK_LOSS_FACTOR,
    divergence_message,
    restore,
    snapshot,
)

# the training log (curves, CSV, the saved model) lives in its own module; named here too
from course_lib.training_log import history_csv, keras_bytes, learning_curves_frame  # noqa: F401


class TrainingStatus(StrEnum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"
    DIVERGED = "diverged"


#: Seconds between two copies of the weights (copying every epoch of a tiny model would
#: cost more than the epoch itself). A copy becomes the rollback target once the next
#: epoch's loss, the first loss those weights are seen to give, has confirmed it good.
SNAPSHOT_SECONDS = 0.5
#: A chunk may stop inside an epoch once it has trained this long after its first step
#: and ``max_seconds`` have passed: small models still finish whole epochs per chunk.
MIN_SLICE_SECONDS = 0.5
#: A short first chunk for :attr:`KerasTrainer.first_chunk_seconds`: the progress bar
#: moves within a second of Start even for a model whose epoch takes long.
FIRST_CHUNK_SECONDS = 0.25
#: The longest "Step one epoch" runs before it pauses inside the epoch (press it again to
#: go on): the button answers within a few seconds even for the largest allowed model.
STEP_SECONDS = 3.0


class LiveTraining:
    """The state machine of a training run that advances in chunks.

    Subclasses implement :meth:`_train` (advance by at most ``max_epochs`` epochs or
    ``max_seconds`` of wall time, return one metrics dict per finished epoch) and
    :meth:`_reset` (fresh parameters). Records carry at least ``"epoch"`` (1-based)
    and ``"seconds"`` (training time so far).
    """

    def __init__(self, epochs: int):
        if epochs < 1:
            raise ValueError("epochs must be at least 1")
        self.planned_epochs = int(epochs)
        self.total_epochs = int(epochs)
        self.status = TrainingStatus.READY
        self.history: list[dict[str, Any]] = []
        self.message = ""
        self.train_seconds = 0.0
        self._seconds_per_epoch: float | None = None
        #: at most this many epochs a chunk (``None``: as many as fit in its time), so a
        #: run that trains in a blink is still seen learning, a chunk at a time
        self.epochs_per_chunk: int | None = None

    # -- what the page reads ---------------------------------------------------------
    @property
    def epochs_done(self) -> int:
        return len(self.history)

    @property
    def progress(self) -> float:
        """Fraction of the planned epochs done, in [0, 1]."""
        return min(1.0, self.epochs_done / self.total_epochs)

    @property
    def eta_seconds(self) -> float | None:
        """Estimated seconds of training left, or ``None`` before the first epoch."""
        if self._seconds_per_epoch is None:
            return None
        return max(0, self.total_epochs - self.epochs_done) * self._seconds_per_epoch

    @property
    def is_running(self) -> bool:
        return self.status is TrainingStatus.RUNNING

    @property
    def steps_into_epoch(self) -> int:
        """Steps of the next epoch trained so far (a chunk may stop inside an epoch)."""
        return 0

    # -- what the buttons do ---------------------------------------------------------
    def start(self) -> None:
        """Start, resume, or (after finish/stop/divergence) train ``epochs`` more."""
        if self.status in (
            TrainingStatus.FINISHED,
            TrainingStatus.STOPPED,
            TrainingStatus.DIVERGED,
        ):
            self.total_epochs = self.epochs_done + self.planned_epochs
        self.message = ""
        self.status = TrainingStatus.RUNNING

    def pause(self) -> None:
        if self.status is TrainingStatus.RUNNING:
            self.status = TrainingStatus.PAUSED

    def stop(self) -> None:
        """End the run early; the partly trained model is kept."""
        if self.status in (TrainingStatus.RUNNING, TrainingStatus.PAUSED, TrainingStatus.READY):
            self.status = TrainingStatus.STOPPED
            self.total_epochs = max(1, self.epochs_done)

    def reset(self) -> None:
        """Forget the run: fresh parameters from the same seed, empty history."""
        self._reset()
        self.total_epochs = self.planned_epochs
        self.status = TrainingStatus.READY
        self.history = []
        self.message = ""
        self.train_seconds = 0.0
        self._seconds_per_epoch = None

    def run_chunk(self, max_seconds: float = 1.0, *, paced: bool = True) -> list[dict[str, Any]]:
        """If running, train for about ``max_seconds`` (at least one epoch).

        ``paced``: at most :attr:`epochs_per_chunk` epochs. The training panel turns it off
        while other students wait for a core: then each turn should do all it can.
        Returns the new history rows (empty when not running).
        """
        if self.status is not TrainingStatus.RUNNING:
            return []
        left = self.total_epochs - self.epochs_done
        if paced and self.epochs_per_chunk:
            left = min(left, self.epochs_per_chunk)
        return self._advance(left, max_seconds)

    def step(self, max_seconds: float = STEP_SECONDS) -> list[dict[str, Any]]:
        """Train one epoch now, whatever the state, and leave the run paused.

        A trainer that can stop inside an epoch (:class:`KerasTrainer`) stops after about
        ``max_seconds`` and finishes the epoch on the next call (no row until it does).
        """
        if self.epochs_done >= self.total_epochs:
            self.total_epochs = self.epochs_done + 1
        rows = self._advance(1, max_seconds)
        if self.status is not TrainingStatus.DIVERGED and self.epochs_done < self.total_epochs:
            self.status = TrainingStatus.PAUSED
        return rows

    def _advance(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        started = time.perf_counter()
        rows = self._train(max_epochs=max_epochs, max_seconds=max_seconds)
        elapsed = time.perf_counter() - started
        first_chunk = not self.history
        if rows and not first_chunk:  # the first chunk also traces the model: no ETA from it
            per_epoch = elapsed / len(rows)
            self._seconds_per_epoch = (
                per_epoch
                if self._seconds_per_epoch is None
                else 0.5 * self._seconds_per_epoch + 0.5 * per_epoch
            )
        self.train_seconds += elapsed
        for row in rows:
            row.setdefault("seconds", self.train_seconds)
        self.history.extend(rows)
        if self.status is not TrainingStatus.DIVERGED and self.epochs_done >= self.total_epochs:
            self.status = TrainingStatus.FINISHED
        return rows

    def _diverge(self, message: str) -> None:
        """Called by a subclass that found the run diverging (weights already restored)."""
        self.status = TrainingStatus.DIVERGED
        self.message = message

    # -- what a subclass provides ----------------------------------------------------
    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _reset(self) -> None:
        raise NotImplementedError


EpochHook = Callable[[Any, dict[str, Any]], None]
"""``hook(model, row)`` runs after each epoch and may add entries to the metrics row."""


class KerasTrainer(LiveTraining):
    """Train a compiled Keras model on in-memory arrays, a chunk at a time.

    Args:
        build_model: returns a freshly built **compiled** model; called again on reset,
            so it must seed its own initializers to be reproducible.
        x, y: training inputs and targets, e.g. ``(n, 2)`` float32 points and ``(n,)``
            int labels. Images may stay uint8 (rescale inside the model) to save memory.
        epochs: how many epochs a run trains.
        batch_size: examples per gradient step.
        validation_data: optional ``(x_val, y_val)``, evaluated after every epoch.
        seed: keys the stateless shuffle of every epoch.
        steps_per_epoch: make an "epoch" this many batches instead of one full pass
            (for big data sets, so the curve moves more often).
        on_epoch_end: optional hooks ``hook(model, row)`` that add entries to each row.
        full_batch_loop: train in compiled calls of many epochs, one trace shared by every
            model of the same shape (:mod:`course_lib.full_batch`): for a training set
            that is one batch, with no validation, hooks or metrics besides the loss.
            The examples keep one order (in a full batch it changes only rounding).
    """

    def __init__(
        self,
        build_model: Callable[[], Any],
        x: np.ndarray,
        y: np.ndarray,
        *,
        epochs: int,
        batch_size: int = 32,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        seed: int = 0,
        steps_per_epoch: int | None = None,
        on_epoch_end: Sequence[EpochHook] = (),
        full_batch_loop: bool = False,
    ):
        super().__init__(epochs)
        from course_lib.device import import_tensorflow

        tf = import_tensorflow()
        if len(x) == 0 or len(x) != len(y):
            raise ValueError(f"need as many targets as inputs, got {len(x)} and {len(y)}")
        self._build_model = build_model
        self.model = build_model()
        self.batch_size = max(1, min(int(batch_size), len(x)))
        self.seed = int(seed)
        self.examples = len(x)
        self.steps_per_pass = math.ceil(self.examples / self.batch_size)
        self.steps_per_epoch = int(steps_per_epoch or self.steps_per_pass)
        self.on_epoch_end = tuple(on_epoch_end)
        self.full_batch_loop = bool(full_batch_loop)
        if self.full_batch_loop and (
            self.steps_per_epoch != 1 or self.steps_per_pass != 1 or validation_data or on_epoch_end
        ):
            raise ValueError(
                "the full-batch loop needs every example in one batch, one step an epoch, "
                "and no validation data or hooks"
            )
        self._x = tf.constant(x)
        self._y = tf.constant(y)
        self._validation = None
        if validation_data is not None and len(validation_data[0]) > 0:
            x_val, y_val = validation_data
            self._validation = (
                tf.data.Dataset.from_tensor_slices((x_val, y_val))
                .batch(max(256, 4 * self.batch_size))
                .cache()
            )
        self._good_state = self._snapshot()  # confirmed good: rolled back to on divergence
        self._good_epoch = 0
        self._pending: tuple[int, Any] | None = None  # (epoch, weights) awaiting their loss
        self._snapshot_time = time.perf_counter()
        self._high_epochs = 0
        self._partial_steps = 0  # steps of the next epoch already trained by a chunk
        self._partial_sums: dict[str, float] = {}  # their metrics × steps, for the epoch mean
        #: held while the model trains or is prepared: a chunk waits for a preparation
        self._lock = threading.RLock()
        self._prepared_model: Any = None  # the model whose steps :meth:`prepare` traced
        self._stream: Any = None  # the run's batches, from batch ``_stream_step`` on
        self._stream_step = 0
        self._stream_model: Any = None
        #: at most this long the run's first chunk, which may then stop inside an epoch
        #: that soon (``None``: like any other), so Start shows a first step at once
        self.first_chunk_seconds: float | None = None

    # -- before the first chunk: trace the steps while the student reads the page ------
    @property
    def needs_preparing(self) -> bool:
        """Nothing trained yet and the training step not traced (see :meth:`prepare`)."""
        return (
            not self.full_batch_loop
            and self.status is TrainingStatus.READY
            and not self.history
            and not self._partial_steps
            and self._prepared_model is not self.model
        )

    def prepare(self) -> bool:
        """Trace the training and validation steps now, and leave the model as it was.

        TensorFlow traces a model's step before its first batch (one to three seconds for
        a recurrent network on two cores): done here, while the student reads the page,
        the first chunk after Start trains at once. One step of ``fit`` on the run's first
        batch and one validation batch, the very calls a chunk makes, so the chunk reuses
        their traces; then every variable (weights, optimizer state, random seeds) is put
        back, so the run is the one it would have been. Returns whether it traced.
        """
        with self._lock:
            if not self.needs_preparing:
                return False
            model = self.model
            variables = list(model.variables)
            saved = [variable.numpy() for variable in variables]
            optimizer = getattr(model, "optimizer", None)
            optimizer_state = snapshot([], optimizer)
            try:
                model.fit(
                    self._batches(0, 1), steps_per_epoch=1, epochs=1, shuffle=False, verbose=0
                )
                if self._validation is not None:
                    model.evaluate(self._validation.take(1), verbose=0)
            finally:
                for variable, value in zip(variables, saved, strict=True):
                    variable.assign(value)
                restore(optimizer_state, [], optimizer)
            self._prepared_model = model
            return True

    def _advance(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        with self._lock:  # after a preparation still under way
            return super()._advance(max_epochs, max_seconds)

    # -- the data: one stateless shuffle per pass over the training set --------------
    def _batches(self, first_step: int, steps: int):
        """The ``steps`` batches that follow batch number ``first_step`` of the run."""
        return shuffled_batches(
            self._x, self._y, self.batch_size, self.seed, first_step=first_step
        ).take(steps)

    @property
    def _tf(self):
        from course_lib.device import import_tensorflow

        return import_tensorflow()

    # -- keeping the last good weights -----------------------------------------------
    def _snapshot(self):
        return snapshot([self.model], getattr(self.model, "optimizer", None))

    def _restore(self, state) -> None:
        restore(state, [self.model], getattr(self.model, "optimizer", None))

    # -- the chunk -------------------------------------------------------------------
    @property
    def steps_into_epoch(self) -> int:
        return self._partial_steps

    @property
    def epoch_fraction(self) -> float:
        """How far into the next epoch a chunk that stopped inside it got, in [0, 1)."""
        return self._partial_steps / self.steps_per_epoch

    @property
    def progress(self) -> float:
        return min(1.0, (self.epochs_done + self.epoch_fraction) / self.total_epochs)

    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        if self.full_batch_loop:
            return self._train_full_batch(max_epochs, max_seconds)
        rows: list[dict[str, Any]] = []
        clock = {"started": time.perf_counter(), "first_step_done": None}
        clock["slice"] = MIN_SLICE_SECONDS
        if self.first_chunk_seconds and not self.history and not self._partial_steps:
            max_seconds = clock["slice"] = min(max_seconds, self.first_chunk_seconds)
        if self._partial_steps:  # finish the epoch an earlier chunk stopped inside
            rows += self._fit(1, self.steps_per_epoch - self._partial_steps, max_seconds, clock, [])
            max_epochs -= len(rows)
            if self._partial_steps or self.status is TrainingStatus.DIVERGED:
                return rows
            if time.perf_counter() - clock["started"] >= max_seconds:
                return rows
        if max_epochs > 0:
            rows += self._fit(max_epochs, self.steps_per_epoch, max_seconds, clock, rows)
        finished_on_an_epoch = self._partial_steps == 0  # the weights are those after rows[-1]
        if (
            rows
            and finished_on_an_epoch
            and self.status is not TrainingStatus.DIVERGED
            and self._high_epochs == 0
        ):
            self._keep_candidate(rows[-1]["epoch"])  # confirmed by the next chunk's first epoch
        return rows

    def _fit(
        self,
        max_epochs: int,
        first_epoch_steps: int,
        max_seconds: float,
        clock: dict,
        earlier: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """``max_epochs`` epochs, the first of ``first_epoch_steps`` steps (the rest of an
        epoch begun earlier), stopping on time between steps.

        ``fit``'s own loop, without building a data pipeline and its iterator each chunk
        (for a chunk of a tenth of a second, that took half of it): the steps are Keras's
        compiled ``train_function``, fed by one iterator over the run's batches that lives
        as long as the run (:meth:`_stream_at`). As in ``fit``: the metrics restart every
        epoch, an epoch's logs are its metrics' results, then the validation.
        """
        model = self.model
        rows: list[dict[str, Any]] = []
        first_epoch = self.epochs_done + len(earlier)  # ``earlier``: this chunk's rows so far
        already = self._partial_steps  # steps of the first epoch done by earlier chunks
        stream = self._stream_at(first_epoch * self.steps_per_epoch + already)
        model.make_train_function()

        def out_of_time() -> bool:
            now = time.perf_counter()
            if clock["first_step_done"] is None:  # the first step also traces the model
                clock["first_step_done"] = now
            elapsed = now - clock["started"]
            since_first = now - clock["first_step_done"]
            return elapsed >= max_seconds and since_first >= clock["slice"]

        for epoch in range(first_epoch, first_epoch + max_epochs):
            epoch_steps = first_epoch_steps if not rows else self.steps_per_epoch
            model.reset_metrics()
            steps = 0
            while steps < epoch_steps:
                model.train_function(stream)
                self._stream_step += 1
                steps += 1
                if steps < epoch_steps and out_of_time():
                    break  # inside the epoch: carried on by the next chunk
            logs = {name: float(value) for name, value in model.get_metrics_result().items()}
            done = steps + (already if not rows else 0)
            if done < self.steps_per_epoch:  # stopped inside the epoch: keep its sums
                self._partial_steps = done
                for name, value in logs.items():
                    self._partial_sums[name] = self._partial_sums.get(name, 0.0) + value * steps
                break
            if self._partial_sums:  # the epoch's mean over all its steps
                for name, total in self._partial_sums.items():
                    if name in logs:
                        logs[name] = (total + logs[name] * steps) / done
            self._partial_steps = 0
            self._partial_sums = {}
            if self._validation is not None:
                results = model.evaluate(self._validation, verbose=0, return_dict=True)
                logs.update({f"val_{k}": float(v) for k, v in results.items()})
            row = {"epoch": epoch + 1, **logs}
            run_first = (self.history or earlier or rows or [None])[0]
            if not self._judge(epoch, row.get("loss", 0.0), run_first):
                break
            for hook in self.on_epoch_end:
                hook(model, row)
            rows.append(row)
            high = self._high_epochs > 0
            if not high and time.perf_counter() - self._snapshot_time >= SNAPSHOT_SECONDS:
                self._keep_candidate(epoch + 1)
            if time.perf_counter() - clock["started"] >= max_seconds:
                break
        model.optimizer.finalize_variable_values(model.trainable_weights)  # as fit ends
        return rows

    def _stream_at(self, step: int):
        """The iterator over the run's batches (:meth:`_batches`), at batch number ``step``.

        Kept from chunk to chunk; made again only when the run moved elsewhere (a rollback)
        or the model is a new one (a reset).
        """
        if (
            self._stream is None
            or self._stream_step != step
            or self._stream_model is not self.model
        ):
            self._stream = iter(self._batches(step, 2**62))
            self._stream_step, self._stream_model = step, self.model
        return self._stream

    def _judge(self, epoch: int, loss: float, first: dict[str, Any] | None) -> bool:
        """Epoch ``epoch + 1`` ended with ``loss``: keep its row (``True``), or stop the run.

        The run diverges, rolled back to the last confirmed good weights, when the loss is
        not finite, exploded past :data:`EXPLODING_LOSS_FACTOR` times the first epoch's
        (``first``, the run's first row), or stayed above :data:`STUCK_LOSS_FACTOR` times it for
        :data:`STUCK_EPOCHS` epochs. A good loss confirms the weights it was measured on.
        """
        reference = max(first["loss"], 1e-12) if first else None
        exploding = reference is not None and loss > EXPLODING_LOSS_FACTOR * reference
        high = reference is not None and loss > STUCK_LOSS_FACTOR * reference
        self._high_epochs = self._high_epochs + 1 if high else 0
        stuck = self._high_epochs >= STUCK_EPOCHS
        if not math.isfinite(loss) or exploding or stuck:
            self._restore(self._good_state)
            self._pending = None  # the weights it held were never confirmed
            self._high_epochs = 0
            self._diverge(
                divergence_message(epoch + 1, loss, self._good_epoch, stuck=stuck and not exploding)
            )
            return False
        if not high:  # this epoch's loss is the first seen of the weights before it
            self._confirm(epoch)
        return True

    def _train_full_batch(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        """Epochs in compiled calls of the shared :class:`~course_lib.full_batch.FullBatchLoop`.

        Each call trains as many epochs as fit in the time left (the loop knows its own
        seconds per epoch); the weights before each call are the rollback candidate that
        the call's first loss confirms.
        """
        from course_lib.full_batch import loop_for

        loop = loop_for(self.model)
        started = time.perf_counter()
        rows: list[dict[str, Any]] = []
        while len(rows) < max_epochs and self.status is not TrainingStatus.DIVERGED:
            left = max_epochs - len(rows)
            elapsed = time.perf_counter() - started
            if rows and elapsed >= max_seconds:
                break
            per_epoch = loop.seconds_per_epoch
            epochs = 1 if per_epoch is None else int((max_seconds - elapsed) / max(per_epoch, 1e-6))
            epochs = max(1, min(left, epochs))
            first_row = (self.history or rows or [None])[0]  # the run's first: the reference
            reference = max(first_row["loss"], 1e-12) if first_row else None
            stop_above = math.inf if reference is None else EXPLODING_LOSS_FACTOR * reference
            first = self.epochs_done + len(rows)  # 0-based: the epoch the call begins with
            self._pending = (first, self._snapshot())
            for offset, loss in enumerate(
                loop.train(self.model, self._x, self._y, epochs, stop_above)
            ):
                if not self._judge(
                    first + offset, float(loss), (self.history or rows or [None])[0]
                ):
                    break
                rows.append({"epoch": first + offset + 1, "loss": float(loss)})
        return rows

    def _keep_candidate(self, epoch: int) -> None:
        """Copy the weights after ``epoch``: a rollback target once the next loss is good.

        An epoch's loss is measured while its steps train, so the weights after epoch k
        show their loss only in epoch k + 1; until then they may be the first bad ones.
        """
        if self._pending is None or self._pending[0] != epoch:
            self._pending = (epoch, self._snapshot())
        self._snapshot_time = time.perf_counter()

    def _confirm(self, epoch: int) -> None:
        """Epoch ``epoch + 1`` had a good loss: the weights after ``epoch`` were good."""
        if self._pending is not None and self._pending[0] == epoch:
            self._good_epoch, self._good_state = self._pending
        self._pending = None

    def _reset(self) -> None:
        with self._lock:
            self.model = self._build_model()
        self._good_state = self._snapshot()
        self._good_epoch = 0
        self._pending = None
        self._snapshot_time = time.perf_counter()
        self._high_epochs = 0
        self._partial_steps = 0
        self._partial_sums = {}

    def evaluate(self, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """The compiled loss and metrics of the current model on ``(x, y)``."""
        with self._lock:  # not while a preparation has the weights one step on
            results = self.model.evaluate(
                x, y, batch_size=max(256, self.batch_size), verbose=0, return_dict=True
            )
        return {name: float(value) for name, value in results.items()}
