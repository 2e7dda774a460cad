"""Sharing one server's cores and memory fairly between the students of a class.

One Streamlit process serves every student. Without care, twenty students pressing Start
in the same minute run twenty TensorFlow trainings at once on two cores: each thread pool
fights the others, every chunk takes many times longer than planned, and the students who
only move a slider wait behind them. Three rules keep it fair:

1. **Turns.** At most :data:`TRAINING_SLOTS` training chunks run at a time in the process
   (one: see there why). A student's next chunk waits in a first-come, first-served queue; a
   student who just had a turn goes to the back, so turns go round. The training panel shows
   "waiting for a free core (n ahead)" instead of freezing, and waits at most
   :data:`WAIT_SECONDS` per redraw. While others wait, every chunk is one fixed length.
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

No Streamlit here: ``course_lib/ui/training_panel.py`` calls these from the page.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from course_lib.classroom import count

_LOG = logging.getLogger(__name__)


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
#: Longest a panel redraw waits for a turn before it shows the queue and asks again, with
#: a short queue; a long queue waits longer, up to :data:`MAX_WAIT_SECONDS` (each waiting
#: redraw costs the class CPU: thirty students redrawing every 2 s spent as much as the
#: training itself, benchmarks/classroom.py), so Pause answers within that time at worst.
WAIT_SECONDS = 2.0
MAX_WAIT_SECONDS = 4.0
#: Seconds of waiting per student ahead in the queue, between those two.
WAIT_SECONDS_PER_WAITING = 0.15
#: A queued student who has not asked again for this long has left (paused, closed the tab).
STALE_SECONDS = 10.0
#: Every chunk is this long while others wait: short enough that turns come round, long
#: enough that a turn is mostly training (each chunk also pays for a redraw).
BUSY_CHUNK_SECONDS = 0.6
#: A trainer unused this long is dropped to give its memory back (``COURSE_IDLE_MINUTES``).
IDLE_SECONDS = 60.0 * _env_int("COURSE_IDLE_MINUTES", 20)
#: How often the idle sweep looks (it runs inside a student's page run).
SWEEP_EVERY_SECONDS = 30.0
#: Tabs (sessions) of one browser that may hold trained models at once
#: (``COURSE_TABS_PER_BROWSER``): a student who opens 20 tabs, or reloads in a loop, holds
#: at most this many sessions' models; the least recently used tab's are put away.
TABS_PER_BROWSER = _env_int("COURSE_TABS_PER_BROWSER", 2)


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
        """The chunk to train: ``planned`` alone; :data:`BUSY_CHUNK_SECONDS` while others
        wait for a core (shorter, so turns come round; and no shorter, so a panel that
        redraws often when alone does not spend the class's cores on redraws)."""
        return BUSY_CHUNK_SECONDS if self.waiting else planned


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

    def acquire(self, owner: Hashable, timeout: float | None = None) -> Turn:
        with self._condition:
            if timeout is None:  # the longer the queue, the fewer waiting redraws
                timeout = min(
                    MAX_WAIT_SECONDS,
                    max(WAIT_SECONDS, WAIT_SECONDS_PER_WAITING * len(self._queue)),
                )
            deadline = time.monotonic() + timeout
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


#: The name Streamlit gives the thread that runs a page's script.
SCRIPT_THREAD = "ScriptRunner.scriptThread"


def prepare_in_background(trainer: Any, queue: FairQueue = TRAINING_QUEUE) -> bool:
    """Let ``trainer`` trace its training step (``trainer.prepare()``) in a thread of its own.

    For a model whose first step takes seconds to trace: the student reads the page
    meanwhile, and Start trains at once. The thread begins once the page is drawn (the
    script run that asked for it has ended: tracing beside it, mostly Python, held the
    page back by seconds), then takes a turn in ``queue`` like any chunk (its owner is
    ``("prepare", trainer)``), so a class opening the page at once traces in turn instead
    of starving the students training. It gives up as soon as the trainer no longer needs
    it (Start came first: the chunk traces, as it always did). Returns whether a thread
    was started (one per trainer and model).
    """
    if not trainer.needs_preparing or getattr(trainer, "_preparing_model", None) is trainer.model:
        return False
    trainer._preparing_model = trainer.model
    owner = ("prepare", id(trainer))
    reference = weakref.ref(trainer)  # a dropped trainer is not kept alive by its thread
    del trainer
    caller = threading.current_thread()
    page_run = caller if caller.name == SCRIPT_THREAD else None

    def prepare() -> None:
        if page_run is not None:
            page_run.join(timeout=60)  # the page first
        try:
            while (waiting := reference()) is not None and waiting.needs_preparing:
                del waiting
                turn = queue.acquire(owner, timeout=WAIT_SECONDS)
                if not turn.granted:
                    continue
                try:
                    if (ready := reference()) is not None:
                        ready.prepare()
                finally:
                    queue.release(owner)
                return
        except Exception:  # a failed preparation costs only the time it saves
            _LOG.exception("preparing a trainer in the background failed")
        finally:
            queue.leave(owner)

    threading.Thread(target=prepare, name="prepare-trainer", daemon=True).start()
    return True


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
    #: Why it was put away (:data:`IDLE_MESSAGE` or :data:`OTHER_TABS_MESSAGE`).
    evicted_because: str = ""
    #: The browser (:func:`browser_of`) and the session (tab) it belongs to, when known.
    browser: str | None = None
    session: str | None = None

    def evict(self, because: str) -> None:
        """Drop the model (a running one is paused first, so its panel redraws once)."""
        trainer = self.trainer
        if trainer is not None and getattr(trainer, "is_running", False):
            trainer.pause()
        self.trainer = None
        self.evicted = True
        self.evicted_because = because

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

    def register(
        self,
        slot: TrainerSlot,
        tabs_per_browser: int = TABS_PER_BROWSER,
        *,
        limit_tabs: bool = True,
    ) -> TrainerSlot:
        """Keep ``slot``; if its browser now has models in more than ``tabs_per_browser``
        tabs (and ``limit_tabs``), put away those of its least recently used other tabs."""
        with self._lock:
            self._slots.add(slot)
            self._changed = True  # usually in place of an older trainer, now garbage
            if limit_tabs and slot.browser is not None:
                self._limit_tabs(slot, max(1, tabs_per_browser))
        return slot

    def _limit_tabs(self, newest: TrainerSlot, tabs: int) -> None:
        last_used: dict[str | None, float] = {}  # tab -> when its models were last used
        mine = [s for s in self._slots if s.browser == newest.browser and s.trainer is not None]
        for slot in mine:
            last_used[slot.session] = max(last_used.get(slot.session, 0.0), slot.last_used)
        others = sorted(
            (tab for tab in last_used if tab != newest.session), key=last_used.__getitem__
        )
        for tab in others[: max(0, len(last_used) - tabs)]:
            for slot in mine:
                if slot.session == tab:
                    slot.evict(OTHER_TABS_MESSAGE)

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
                    slot.evict(IDLE_MESSAGE)
                    dropped += 1
            if dropped or self._changed:
                self._changed = False
                self.collections += 1
                gc.collect()  # the dropped models' cycles: their memory back, once
            return dropped


#: The process-wide registry :func:`course_lib.ui.session_trainer` puts trainers in.
TRAINERS = TrainerRegistry()


def browser_of(cookies: Any) -> str | None:
    """A short, stable name for the browser behind a session, or ``None`` if unknown.

    Every tab of one browser sends the same XSRF cookie, which Streamlit sets on the first
    page load (``_streamlit_xsrf``, version 2: ``2|mask|masked token|time``, the token
    XOR the mask). The token itself is never kept: only a hash of it.
    """
    try:
        value = str(cookies.get(XSRF_COOKIE) or "").strip("\"' ")
    except Exception:  # noqa: BLE001 (no cookies at all: AppTest, a bare client)
        return None
    if not value:
        return None
    parts = value.split("|")
    token = value
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            repeated = (mask * len(masked))[: len(masked)]
            token = bytes(m ^ b for m, b in zip(repeated, masked, strict=True)).hex()
        except ValueError:
            token = value
    return hashlib.sha256(token.encode()).hexdigest()[:16]


#: The cookie every tab of one browser shares (Streamlit's XSRF protection, on by default).
XSRF_COOKIE = "_streamlit_xsrf"

OTHER_TABS_MESSAGE = (
    "Your trained model here was put away: this browser has the course open in other tabs "
    f"with trained models, and one browser keeps those of {count(TABS_PER_BROWSER, 'tab')} at most "
    "(the class shares this server's memory). Your settings are kept: press Start to train "
    "it again."
)

IDLE_MESSAGE = (
    "You were away for a while, so your trained model was put away to free the server's "
    "memory for the class. Your settings are kept: press Start to train it again."
)
