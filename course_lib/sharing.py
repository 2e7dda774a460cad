"""Sharing one server's cores and memory fairly between the students of a class.

One Streamlit process serves every student. Without care, twenty students pressing Start
in the same minute run twenty TensorFlow trainings at once on two cores: each thread pool
fights the others, every chunk takes many times longer than planned, and the students who
only move a slider wait behind them. Three rules keep it fair:

1. **Turns.** At most :data:`TRAINING_SLOTS` training chunks run at a time in the process
   (one: see there why). A student's next chunk waits in a first-come, first-served queue; a
   student who just had a turn goes to the back, so turns go round. The training panel shows
   "waiting for a free core (n ahead)" instead of freezing, and waits at most
   :data:`WAIT_SECONDS` per redraw. Chunks are shorter while others wait.
2. **Threads.** TensorFlow is told once, before its first operation, how many threads one
   operation may use (cores divided by slots), so concurrent chunks do not oversubscribe.
3. **Memory back.** Every session's trainers are registered (weakly: a closed tab's session,
   dropped by Streamlit after ``server.disconnectedSessionTTL``, takes its trainers with it).
   A trainer not used for :data:`IDLE_SECONDS` is dropped by :func:`sweep_idle`, and its
   student is told so when they come back. A dropped Keras model is a web of reference
   cycles, so the same sweep runs Python's full garbage collection, at most every
   :data:`SWEEP_EVERY_SECONDS` and only when trainers came or went: Streamlit's own
   collection after every script run (``runner.postScriptGC``) is off in
   ``.streamlit/config.toml``, because in one TensorFlow process each full collection holds
   the interpreter for a good part of a second and a class's reruns starved every training.

No Streamlit here: ``course_lib/ui.py`` calls these from the page.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


CPU_COUNT = os.cpu_count() or 1
#: How many training chunks may run at once in this process (``COURSE_TRAINING_SLOTS``).
#: One by default, whatever the cores: the chapters' small models spend most of a chunk in
#: Keras's Python loop (one epoch per step), so concurrent chunks fight over Python's global
#: interpreter lock, and each waits for it after every TensorFlow call. Measured with
#: benchmarks/classroom.py: with one slot per core, two students trained 8x slower than one
#: and ten did not finish in 9 minutes. One chunk at a time gets TensorFlow all the cores.
TRAINING_SLOTS = _env_int("COURSE_TRAINING_SLOTS", 1)
#: Threads one TensorFlow operation may use (``COURSE_TF_THREADS``): the cores shared out.
TF_THREADS = _env_int("COURSE_TF_THREADS", max(1, CPU_COUNT // TRAINING_SLOTS))
#: Longest a panel redraw waits for a turn before it shows the queue and asks again.
WAIT_SECONDS = 2.0
#: A queued student who has not asked again for this long has left (paused, closed the tab).
STALE_SECONDS = 10.0
#: Chunks are at most this long while others wait (a turn should come round quickly).
BUSY_CHUNK_SECONDS = 0.4
#: A trainer unused this long is dropped to give its memory back (``COURSE_IDLE_MINUTES``).
IDLE_SECONDS = 60.0 * _env_int("COURSE_IDLE_MINUTES", 20)
#: How often the idle sweep looks (it runs inside a student's page run).
SWEEP_EVERY_SECONDS = 30.0


# -- 1. turns -------------------------------------------------------------------------------


@dataclass
class Turn:
    """The answer to "may I train a chunk now?".

    Attributes:
        granted: a core is this student's until :meth:`FairQueue.release`.
        ahead: students before this one in the queue (when not granted).
        waiting: students waiting in the queue in all.
    """

    granted: bool
    ahead: int = 0
    waiting: int = 0

    def chunk_seconds(self, planned: float) -> float:
        """The chunk to train: ``planned``, or shorter while others wait for a core."""
        return min(planned, BUSY_CHUNK_SECONDS) if self.waiting else planned


class FairQueue:
    """At most ``slots`` owners hold a turn at once; the others queue, first come first served.

    An owner is anything hashable that stands for one student's training (the trainer).
    :meth:`acquire` blocks for at most ``timeout`` seconds; an owner that gives up keeps
    its place as long as it asks again within :data:`STALE_SECONDS`.
    """

    def __init__(self, slots: int = TRAINING_SLOTS):
        self.slots = max(1, int(slots))
        self._condition = threading.Condition()
        self._busy: set[Hashable] = set()
        self._queue: OrderedDict[Hashable, float] = OrderedDict()  # owner -> last asked
        self._present: dict[Hashable, int] = {}  # owners blocked in acquire() right now

    def acquire(self, owner: Hashable, timeout: float = WAIT_SECONDS) -> Turn:
        deadline = time.monotonic() + timeout
        with self._condition:
            self._present[owner] = self._present.get(owner, 0) + 1
            try:
                while True:
                    now = time.monotonic()
                    self._drop_stale(now)
                    self._queue[owner] = now  # joins at the back, or keeps its place
                    free = self.slots - len(self._busy)
                    # the first owners in line *that are here asking*: one away redrawing
                    # its page keeps its place, but does not hold up a free core
                    here = [o for o in self._queue if self._present.get(o)]
                    position = list(self._queue).index(owner)
                    if owner not in self._busy and owner in here[: max(0, free)]:
                        del self._queue[owner]
                        self._busy.add(owner)
                        return Turn(granted=True, waiting=len(self._queue))
                    remaining = deadline - now
                    if remaining <= 0:
                        return Turn(granted=False, ahead=position, waiting=len(self._queue))
                    self._condition.wait(remaining)
            finally:
                self._present[owner] -= 1
                if not self._present[owner]:
                    del self._present[owner]

    def release(self, owner: Hashable) -> None:
        with self._condition:
            self._busy.discard(owner)
            self._condition.notify_all()

    def leave(self, owner: Hashable) -> None:
        """Give up a place in the queue (the run was paused or stopped)."""
        with self._condition:
            self._queue.pop(owner, None)
            self._condition.notify_all()

    @property
    def running(self) -> int:
        return len(self._busy)

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def _drop_stale(self, now: float) -> None:
        for owner, asked in list(self._queue.items()):
            if now - asked > STALE_SECONDS:
                del self._queue[owner]


#: The process-wide queue every training panel takes turns in.
TRAINING_QUEUE = FairQueue()


# -- 2. threads -----------------------------------------------------------------------------

_threads_lock = threading.Lock()
_threads_set = False


def configure_tensorflow_threads(tf: Any) -> None:
    """Tell TensorFlow, once per process and before its first operation, how many threads
    one operation may use (:data:`TF_THREADS`). Too late (TensorFlow already ran) is harmless.
    """
    global _threads_set
    with _threads_lock:
        if _threads_set:
            return
        _threads_set = True
        try:
            tf.config.threading.set_intra_op_parallelism_threads(TF_THREADS)
            tf.config.threading.set_inter_op_parallelism_threads(max(2, TF_THREADS))
        except RuntimeError:
            pass  # TensorFlow was initialised already; it keeps its own choice


# -- 3. memory back -------------------------------------------------------------------------


@dataclass(eq=False)
class TrainerSlot:
    """One student's trainer as their session keeps it.

    ``trainer`` becomes ``None`` (and ``evicted`` true) when an idle sweep drops it.
    """

    settings: Any
    trainer: Any
    last_used: float = field(default_factory=time.monotonic)
    evicted: bool = False

    def touch(self) -> None:
        self.last_used = time.monotonic()

    def __getitem__(self, index: int) -> Any:
        """``slot[0]`` is the settings, ``slot[1]`` the trainer (as the older pair was)."""
        return (self.settings, self.trainer)[index]


class TrainerRegistry:
    """Every live trainer slot in the process, held weakly (a session's end frees it)."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._slots: weakref.WeakSet[TrainerSlot] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._last_sweep = time.monotonic()
        self._changed = False  # trainers came (and maybe went) since the last collection
        self.collections = 0

    def register(self, slot: TrainerSlot) -> TrainerSlot:
        with self._lock:
            self._slots.add(slot)
            self._changed = True  # usually in place of an older trainer, now garbage
        return slot

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for slot in self._slots if slot.trainer is not None)

    def sweep_idle(self, now: float | None = None, *, force: bool = False) -> int:
        """Drop the trainers idle for :attr:`idle_seconds`; returns how many were dropped.

        Cheap to call on every page run: it looks at most every :data:`SWEEP_EVERY_SECONDS`
        unless ``force``. A trainer that is running is never dropped.
        """
        now = time.monotonic() if now is None else now
        with self._lock:
            if not force and now - self._last_sweep < SWEEP_EVERY_SECONDS:
                return 0
            self._last_sweep = now
            dropped = 0
            for slot in list(self._slots):
                trainer = slot.trainer
                if trainer is None:
                    continue
                if getattr(trainer, "is_running", False):
                    slot.last_used = now  # training counts as use: idle from its end
                    continue
                if now - slot.last_used >= self.idle_seconds:
                    slot.trainer = None
                    slot.evicted = True
                    dropped += 1
            if dropped or self._changed:
                self._changed = False
                self.collections += 1
                gc.collect()  # the dropped models' cycles: their memory back, once
            return dropped


#: The process-wide registry :func:`course_lib.ui.session_trainer` puts trainers in.
TRAINERS = TrainerRegistry()

IDLE_MESSAGE = (
    "You were away for a while, so your trained model was put away to free the server's "
    "memory for the class. Your settings are kept: press Start to train it again."
)
