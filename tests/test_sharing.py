"""Fair turns for training chunks, and memory given back by idle and closed sessions."""

import gc
import threading
import time

from course_lib import sharing
from course_lib.sharing import FairQueue, TrainerRegistry, TrainerSlot, Turn


def test_turns_keep_the_order_of_arrival_up_to_the_slots():
    queue = FairQueue(slots=1)
    assert queue.acquire("alice", timeout=0).granted
    bob = queue.acquire("bob", timeout=0)
    carol = queue.acquire("carol", timeout=0)
    assert (bob.granted, bob.ahead) == (False, 0)
    assert (carol.granted, carol.ahead) == (False, 1)
    queue.release("alice")
    again = queue.acquire("alice", timeout=0.0)
    # bob and carol are away redrawing their pages: the free core is not left idle …
    assert again.granted
    queue.release("alice")
    # … but whoever is waiting in line when it frees goes first, in the order they came
    order = []
    threads = [
        threading.Thread(target=lambda n=name: order.append((n, queue.acquire(n, timeout=30))))
        for name in ("bob", "carol")
    ]
    queue.acquire("dave", timeout=0)  # dave holds the core while bob and carol wait
    for thread in threads:
        thread.start()
    while queue.waiting < 2:
        time.sleep(0.01)
    queue.release("dave")
    threads[0].join(timeout=30)
    assert order[0][0] == "bob" and order[0][1].granted
    queue.release("bob")
    threads[1].join(timeout=30)
    assert order[1][0] == "carol"


def test_a_waiting_student_gets_the_core_as_soon_as_it_is_free():
    queue = FairQueue(slots=1)
    queue.acquire("alice", timeout=0)
    result = {}
    waiter = threading.Thread(target=lambda: result.update(turn=queue.acquire("bob", timeout=30)))
    waiter.start()
    while queue.waiting == 0:
        time.sleep(0.01)
    queue.release("alice")
    waiter.join(timeout=30)
    assert result["turn"].granted


def test_a_student_who_stops_asking_loses_their_place(monkeypatch):
    queue = FairQueue(slots=1)
    queue.acquire("alice", timeout=0)
    queue.acquire("bob", timeout=0)
    monkeypatch.setattr(sharing, "STALE_SECONDS", 0.0)
    time.sleep(0.01)
    carol = queue.acquire("carol", timeout=0)
    assert carol.ahead == 0  # bob left (paused, closed the tab) without a word
    queue.leave("carol")
    assert queue.waiting == 0


def test_while_others_wait_every_chunk_has_one_length():
    """Alone, a panel trains the chunk it plans (short ones redraw a live view often);
    while others wait, turns are one length: shorter than a long chunk, so turns come
    round, and no shorter, so frequent redraws do not spend the class's cores."""
    assert Turn(granted=True, waiting=0).chunk_seconds(0.8) == 0.8
    assert Turn(granted=True, waiting=0).chunk_seconds(0.1) == 0.1
    assert Turn(granted=True, waiting=3).chunk_seconds(0.8) == sharing.BUSY_CHUNK_SECONDS
    assert Turn(granted=True, waiting=3).chunk_seconds(0.1) == sharing.BUSY_CHUNK_SECONDS
    assert 0.1 < sharing.BUSY_CHUNK_SECONDS < 0.8


class FakeTrainer:
    is_running = False


def test_an_idle_trainer_is_dropped_and_a_running_one_kept():
    registry = TrainerRegistry(idle_seconds=60)
    idle = registry.register(TrainerSlot("settings", FakeTrainer()))
    busy = registry.register(TrainerSlot("settings", FakeTrainer()))
    busy.trainer.is_running = True
    now = time.monotonic() + 120
    assert registry.sweep_idle(now, force=True) == 1
    assert idle.trainer is None and idle.evicted
    assert busy.trainer is not None and not busy.evicted
    assert len(registry) == 1


def test_a_closed_session_takes_its_trainers_with_it():
    registry = TrainerRegistry()
    session_state = {"fit_trainer": registry.register(TrainerSlot("s", FakeTrainer()))}
    assert len(registry) == 1
    del session_state  # Streamlit drops a closed tab's session after disconnectedSessionTTL
    gc.collect()
    assert len(registry) == 0


def test_a_slot_still_reads_like_the_settings_trainer_pair():
    trainer = FakeTrainer()
    slot = TrainerSlot("settings", trainer)
    assert slot[0] == "settings" and slot[1] is trainer


def test_a_student_back_from_a_long_break_is_told_their_model_was_put_away(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT, run_training

    at = AppTest.from_file(str(ROOT / "tests" / "apps" / "tiny_training.py"), default_timeout=120)
    at.query_params["epochs"] = "3"
    run_training(at.run(), "tiny")
    assert at.session_state["tiny"][1].epochs_done == 3
    monkeypatch.setattr(sharing.TRAINERS, "idle_seconds", 0.0)
    assert sharing.TRAINERS.sweep_idle(force=True) >= 1
    at.run()
    assert any(sharing.IDLE_MESSAGE in info.value for info in at.info)
    assert at.session_state["tiny"][1].epochs_done == 0  # a fresh model, same settings
    assert not at.exception


# -- Streamlit's clean-up after each run leaves Keras's state alone (course_lib/ui/server.py) --


def test_a_script_run_ending_no_longer_clears_keras_state(monkeypatch):
    """Streamlit clears Keras after every run unless the app says otherwise: a full
    ``gc.collect`` and TensorFlow's kernel cache, which made every class training chunk
    start cold. After ``keep_keras_state_between_runs`` the layer-name counter (Keras's
    global state) survives the clean-up, and pyplot figures are still closed."""
    import sys
    import types

    import keras
    from streamlit.runtime.scriptrunner import script_runner

    from course_lib.ui.server import keep_keras_state_between_runs

    closed = []
    pyplot = types.SimpleNamespace(close=closed.append)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    # Streamlit's own clean-up (an earlier AppTest of the router may have replaced it)
    current = script_runner._clean_problem_modules
    streamlit_own = getattr(current, "replaced", current)
    monkeypatch.setattr(script_runner, "_clean_problem_modules", streamlit_own)

    keras.layers.Dense(1)
    assert keras.layers.Dense(1).name != "dense"
    script_runner._clean_problem_modules()  # Streamlit's own: the next name starts over
    assert keras.layers.Dense(1).name == "dense"
    assert closed == ["all"]

    assert keep_keras_state_between_runs()
    assert keep_keras_state_between_runs()  # idempotent
    script_runner._clean_problem_modules()
    assert keras.layers.Dense(1).name != "dense"  # the counter went on
    assert closed == ["all", "all"]


def test_a_sweep_collects_garbage_only_when_trainers_came_or_went():
    """Streamlit's collection after every run is off (.streamlit/config.toml); the sweep
    collects instead, and only when a trainer was registered or dropped since the last."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit/config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False

    registry = TrainerRegistry(idle_seconds=60)
    now = 1000.0
    registry.sweep_idle(now, force=True)
    assert registry.collections == 0  # nothing came or went
    slot = registry.register(TrainerSlot(settings=1, trainer=object(), last_used=now))
    registry.sweep_idle(now + 1, force=True)
    assert registry.collections == 1
    registry.sweep_idle(now + 2, force=True)
    assert registry.collections == 1
    registry.sweep_idle(now + 100, force=True)  # the trainer was idle: dropped, collected
    assert slot.evicted and registry.collections == 2


# -- one browser, many tabs -------------------------------------------------------------------


class _Running:
    """A stand-in trainer that is training until paused."""

    is_running = True

    def pause(self):
        self.is_running = False


def test_one_browser_keeps_models_in_at_most_its_tabs_share_and_the_oldest_tab_gives_way():
    registry = TrainerRegistry()
    first = registry.register(
        TrainerSlot("a", _Running(), last_used=1.0, browser="b1", session="tab1"), 2
    )
    also_first = registry.register(
        TrainerSlot("b", object(), last_used=2.0, browser="b1", session="tab1"), 2
    )
    second = registry.register(
        TrainerSlot("a", object(), last_used=3.0, browser="b1", session="tab2"), 2
    )
    elsewhere = registry.register(
        TrainerSlot("a", object(), last_used=0.5, browser="b2", session="tab9"), 2
    )
    assert len(registry) == 4  # two tabs of b1: within its share

    running = first.trainer
    third = registry.register(
        TrainerSlot("a", object(), last_used=4.0, browser="b1", session="tab3"), 2
    )
    # tab1 was the least recently used: all its models go, a running one paused first
    assert first.evicted and also_first.evicted and not running.is_running
    assert first.evicted_because == sharing.OTHER_TABS_MESSAGE
    assert not second.evicted and not third.evicted
    assert not elsewhere.evicted  # another browser (another student) is never touched
    assert len(registry) == 3

    # tab1 builds again after being put away: it does not put tab2 away in turn
    registry.register(
        TrainerSlot("a", object(), last_used=5.0, browser="b1", session="tab1"),
        2,
        limit_tabs=False,
    )
    assert not second.evicted and not third.evicted


def test_a_reload_loop_holds_only_the_newest_tabs_models():
    registry = TrainerRegistry()
    slots = [
        registry.register(TrainerSlot("a", object(), last_used=t, browser="b", session=f"s{t}"))
        for t in range(20)
    ]
    assert len(registry) == sharing.TABS_PER_BROWSER
    assert [s.evicted for s in slots[-sharing.TABS_PER_BROWSER :]] == [False] * (
        sharing.TABS_PER_BROWSER
    )


def test_the_browser_is_named_by_its_xsrf_token_not_by_the_cookie_text():
    """Streamlit masks the same token afresh on every page load: ``2|mask|masked|time``."""
    token = bytes(range(16))

    def cookie(mask: bytes, when: int) -> dict:
        masked = bytes(t ^ mask[i % 4] for i, t in enumerate(token))
        return {sharing.XSRF_COOKIE: f"2|{mask.hex()}|{masked.hex()}|{when}"}

    one, two = cookie(b"\x01\x02\x03\x04", 1), cookie(b"\xaa\xbb\xcc\xdd", 2)
    assert one != two
    assert sharing.browser_of(one) == sharing.browser_of(two) is not None
    assert token.hex() not in sharing.browser_of(one)
    other = {sharing.XSRF_COOKIE: "2|01020304|" + bytes(16).hex() + "|1"}
    assert sharing.browser_of(other) != sharing.browser_of(one)
    assert sharing.browser_of({}) is None
    assert sharing.browser_of({sharing.XSRF_COOKIE: "2|zz|yy|1"}) is not None  # kept as text


def test_a_new_tab_of_a_browser_frees_its_tabs_that_are_gone_and_no_others(monkeypatch):
    """A reload is a new session; the old one (no websocket any more) is closed at once
    instead of after Streamlit's two minutes. Open tabs, and other browsers, are kept."""
    from streamlit.runtime import Runtime

    from course_lib.ui import server

    class FakeRuntime:
        def __init__(self):
            self.active, self.closed = set(), []

        def is_active_session(self, session_id):
            return session_id in self.active

        def clear_user_info_for_session(self, session_id):
            self.closed.append(session_id)

    runtime = FakeRuntime()
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    monkeypatch.setattr(server, "_tabs", {})
    runtime.active = {"a1", "a2", "b1"}
    assert server.close_tabs_left_behind("alice", "a1") == 0
    assert server.close_tabs_left_behind("alice", "a2") == 0  # two open tabs: both kept
    assert server.close_tabs_left_behind("bob", "b1") == 0
    runtime.active = {"a2", "a3", "b1"}  # alice reloaded her first tab: a1 is gone
    assert server.close_tabs_left_behind("alice", "a3") == 1
    assert runtime.closed == ["a1"]
    runtime.active = {"a3", "a4", "b1"}  # and reloads again
    assert server.close_tabs_left_behind("alice", "a4") == 1
    assert runtime.closed == ["a1", "a2"]
    assert server.close_tabs_left_behind(None, "x") == 0  # no cookie: nothing known
    assert "b1" not in runtime.closed
