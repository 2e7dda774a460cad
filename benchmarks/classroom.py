"""A lab session on one server: N students arrive within a minute, read, move sliders, train.

One real ``streamlit run`` server. Each simulated student is a *protocol-level* client: it
opens Streamlit's websocket (``/_stcore/stream``) and speaks the app's own protobuf
messages (``streamlit.proto``: ``BackMsg`` rerun requests with widget states, ``ForwardMsg``
deltas back), exactly what the browser's JavaScript sends, including the timed fragment
reruns that drive live training. Why not browsers: thirty Chromium tabs on the same two cores
would spend more CPU drawing pages than the server spends serving them, and the benchmark
would measure the clients. One asyncio process holds every student for a few MB and almost
no CPU, so the figures are the server's. (What it does not measure: the browser's own drawing
time, which is each student's own machine in a real class.)

Each student, arriving at a random time in the first ``--arrival-seconds``:
Home → chapter 1 (Fundamentals) → moves "Hidden units N" three times → the "By training"
tab → Start on the default training (300 epochs) → waits for "Finished" → chapter 2
(Deep supervised learning) → moves "Noise" twice → leaves.

Before the class, one student alone runs the same default training twice: the second run,
on a server as warm as the class finds it, is the solo time each class training is compared
with (the first, which also waits for TensorFlow's warm-up, is reported too). A sampler records the server's resident memory every 0.2 s.

Prints one JSON object: peak and final server RSS (final: after every student left and
Streamlit dropped their sessions), MB per extra student, p50/p95 widget-change-to-settled
(the rerun a slider move starts, until the server says the script finished) for students
not training, each default training's time against solo, errors, exception elements.

Targets (issue 14, for N = 30): peak RSS ≤ 2500 MB, no errors, p95 widget ≤ 2 s, median
training ≤ 4× solo and p95 ≤ 10×.

Run: ``python benchmarks/classroom.py [--students 10] [--arrival-seconds 60]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.harness import StreamlitServer  # noqa: E402

FINISHED = ("Finished:", "Stopped after", "Training stopped")
RUN_TIMEOUT = 300.0  # seconds one script run may take before it counts as an error


def rss_mb(process: psutil.Process) -> float:
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Student:
    """One browser session, spoken at the protocol level."""

    def __init__(self, url: str, name: str, cookie: str | None = None):
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.name = name
        self.cookie = cookie  # a browser's cookies: every tab of one browser sends the same
        self.widgets: dict[str, dict] = {}  # label -> {"id": ..., "kind": ...}
        self.states: dict[str, tuple[str, object]] = {}  # widget id -> (field, value)
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.alerts: list[str] = []
        self.exceptions: list[str] = []
        self.auto_reruns: dict[str, float] = {}  # fragment id -> interval
        self.ws = None

    # -- the protocol --------------------------------------------------------------------
    async def connect(self) -> None:
        import websockets

        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            additional_headers=headers,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _back_msg(self, *, page_name: str = "", fragment_id: str = "", trigger: str = ""):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = ""
        rerun.page_script_hash = self.page_hash
        rerun.page_name = page_name
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = True
        for widget_id, (field, value) in self.states.items():
            state = rerun.widget_states.widgets.add()
            state.id = widget_id
            if field == "double_array_value":
                state.double_array_value.data.extend(value)
            else:
                setattr(state, field, value)
        if trigger:
            state = rerun.widget_states.widgets.add()
            state.id = trigger
            state.trigger_value = True
        return msg.SerializeToString()

    async def run(self, **kwargs) -> float:
        """Ask for a rerun and read the reply until the script has finished; seconds taken."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        started = time.perf_counter()
        await self.ws.send(self._back_msg(**kwargs))
        fragment = bool(kwargs.get("fragment_id"))
        while True:
            data = await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session" and not fragment:
                self.auto_reruns.clear()  # a full run registers its timed fragments again
                self.alerts.clear()
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash  # the page st.navigation ran
            elif kind == "auto_rerun":
                self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fragment_id in msg.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(fragment_id, None)
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)
            elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                block = msg.delta.add_block
                if block.WhichOneof("type") == "tab_container":
                    self.widgets["tabs"] = {"id": block.tab_container.id, "kind": "tabs"}
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    fragment = False  # st.rerun() from the fragment: a full run follows
                    continue
                return time.perf_counter() - started

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            self.exceptions.append(f"{body.type}: {body.message}"[:200])
        elif kind == "alert":
            self.alerts.append(body.body)
        elif hasattr(body, "id") and hasattr(body, "label") and body.id:
            self.widgets[body.label] = {"id": body.id, "kind": kind}

    # -- what a student does ---------------------------------------------------------------
    async def open(self, path: str) -> float:
        if not self.pages:  # first page of the visit: by its URL, as a browser does
            return await self.run(page_name=path)
        self.page_hash = self.pages[path]
        self.states.clear()
        return await self.run()

    async def move_slider(self, label: str, value: float) -> float:
        self.states[self.widgets[label]["id"]] = ("double_array_value", [value])
        return await self.run()

    async def open_tab(self, label: str) -> float:
        """Open a tab of the page's tab container (a widget whose value is the tab's label)."""
        self.states[self.widgets["tabs"]["id"]] = ("string_value", label)
        return await self.run()

    async def train(self, start_label: str = "Start", deadline: float = float("inf")) -> float:
        """Press Start and drive the panel's timed fragment until the run is over."""
        started = time.perf_counter()
        await self.run(trigger=self.widgets[start_label]["id"])
        while not any(alert.startswith(FINISHED) for alert in self.alerts):
            # the panel's timer (0.1 s); the page's 60 s heartbeat does not count
            timers = {f: i for f, i in self.auto_reruns.items() if i <= 30}
            if not timers:
                raise RuntimeError(f"training stopped without finishing: {self.alerts}")
            fragment_id, interval = next(iter(timers.items()))
            if time.perf_counter() > deadline:
                raise TimeoutError(
                    f"training not finished after {time.perf_counter() - started:.0f} s"
                )
            await asyncio.sleep(interval)
            await self.run(fragment_id=fragment_id)
        return time.perf_counter() - started


# -- the lab session ----------------------------------------------------------------------


async def solo_training(url: str) -> float:
    """The default training of chapter 1 with nobody else on the server."""
    student = Student(url, "solo")
    await student.connect()
    try:
        await student.open("fundamentals")
        await student.open_tab("By training")
        return await student.train()
    finally:
        await student.close()


async def lab_student(
    url: str, name: str, arrive_at: float, record: dict, deadline: float = float("inf")
) -> None:
    await asyncio.sleep(arrive_at)
    student = Student(url, name)
    record.update(widget_seconds=[], errors=[], training_seconds=None)
    try:
        await student.connect()
        await student.open("")  # Home
        await student.open("fundamentals")
        for value in (8, 12, 16):
            record["widget_seconds"].append(await student.move_slider("Hidden units N", value))
        await student.open_tab("By training")
        record["training_seconds"] = await student.train(deadline=deadline)
        await student.open("deep-supervised-learning")
        for value in (0.2, 0.3):
            record["widget_seconds"].append(await student.move_slider("Noise", value))
    except Exception as error:  # one student's failure is a figure, not the end
        record["errors"].append(f"{name}: {type(error).__name__}: {error}"[:300])
    finally:
        record["exceptions"] = student.exceptions
        record["finished_at"] = time.perf_counter()
        print(f"{name} done: {record}"[:300], file=sys.stderr, flush=True)
        await student.close()


async def reload_loop(url: str, reloads: int) -> dict:
    """One browser reloading in a loop: each reload a new session (tab) with the same
    cookie, which builds the default fit, presses Start and goes after a few chunks. The
    server keeps the models of ``COURSE_TABS_PER_BROWSER`` tabs of one browser at most."""
    import secrets

    mask, token = secrets.token_bytes(4), secrets.token_bytes(16)
    masked = bytes(t ^ mask[i % 4] for i, t in enumerate(token))
    cookie = f"_streamlit_xsrf=2|{mask.hex()}|{masked.hex()}|{int(time.time())}"
    errors = []
    for reload in range(reloads):
        student = Student(url, f"reload{reload + 1}", cookie=cookie)
        try:
            await student.connect()
            await student.open("fundamentals")
            await student.open_tab("By training")
            await student.run(trigger=student.widgets["Start"]["id"])
            for _ in range(3):  # a few chunks of training, then the page is reloaded
                timers = {f: i for f, i in student.auto_reruns.items() if i <= 30}
                if not timers:
                    break
                await student.run(fragment_id=next(iter(timers)))
        except Exception as error:  # noqa: BLE001 (a figure, not the end)
            errors.append(f"reload{reload + 1}: {type(error).__name__}: {error}"[:300])
        finally:
            errors += student.exceptions
            await student.close()
    return {"errors": errors}


async def lab_session(
    url: str, students: int, arrival_seconds: float, seed: int, max_seconds: float
) -> list[dict]:
    deadline = time.perf_counter() + max_seconds
    rng = random.Random(seed)
    arrivals = sorted(rng.uniform(0, arrival_seconds) for _ in range(students))
    records = [{} for _ in range(students)]
    await asyncio.gather(
        *(
            lab_student(url, f"student{i + 1}", arrivals[i], records[i], deadline)
            for i in range(students)
        )
    )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--arrival-seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=20,
        help="a training still running this long after the first arrival counts as an error",
    )
    parser.add_argument(
        "--session-ttl",
        type=int,
        default=10,
        help="server.disconnectedSessionTTL: seconds until a closed tab's session is freed",
    )
    parser.add_argument(
        "--reloads",
        type=int,
        default=0,
        help="after the class: one browser reloads this many times, training each time",
    )
    args = parser.parse_args()

    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(args.session_ttl)}
    server = StreamlitServer(env=env).start()
    process = psutil.Process(server.process.pid)
    peak = [rss_mb(process)]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb(process))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        # the first solo run meets a cold server (TensorFlow's import, the default's trace);
        # the reference is the second, on a server as warm as the class finds it: stricter
        solo_first_seconds = asyncio.run(solo_training(server.url))
        solo_seconds = asyncio.run(solo_training(server.url))
        solo_peak = peak[0]
        started = time.perf_counter()
        records = asyncio.run(
            lab_session(
                server.url, args.students, args.arrival_seconds, args.seed, 60 * args.max_minutes
            )
        )
        session_seconds = time.perf_counter() - started
        class_peak = peak[0]
        time.sleep(args.session_ttl + 10)  # closed tabs: Streamlit drops their sessions
        final = rss_mb(process)
        reloads = None
        if args.reloads:
            peak[0] = before_reloads = rss_mb(process)
            outcome = asyncio.run(reload_loop(server.url, args.reloads))
            reloads = {
                "reloads": args.reloads,
                "rss_before_mb": round(before_reloads, 1),
                "peak_rss_mb": round(peak[0], 1),
                "rss_growth_mb": round(peak[0] - before_reloads, 1),
                "errors": outcome["errors"],
            }
    finally:
        done.set()
        sampler.join()
        server.stop()

    widget = [s for r in records for s in r.get("widget_seconds", [])]
    trainings = [r["training_seconds"] for r in records if r.get("training_seconds")]
    ratios = [t / solo_seconds for t in trainings]
    print(
        json.dumps(
            {
                "students": args.students,
                "arrival_seconds": args.arrival_seconds,
                "client": "protocol-level (Streamlit websocket protobufs), one asyncio process",
                "cpu_count": os.cpu_count(),
                "load_average_1min_at_end": round(os.getloadavg()[0], 2),
                "peak_rss_mb": round(class_peak, 1),
                "solo_peak_rss_mb": round(solo_peak, 1),
                "final_rss_mb": round(final, 1),
                "mb_per_extra_student": round(
                    (class_peak - solo_peak) / max(1, args.students - 1), 1
                ),
                "widget_to_settled_s_p50": _round(percentile(widget, 0.5)),
                "widget_to_settled_s_p95": _round(percentile(widget, 0.95)),
                "widget_moves": len(widget),
                "solo_training_s": round(solo_seconds, 2),
                "solo_first_training_s": round(solo_first_seconds, 2),
                "training_s": [round(t, 2) for t in trainings],
                "training_vs_solo_median": _round(statistics.median(ratios) if ratios else None),
                "training_vs_solo_p95": _round(percentile(ratios, 0.95)),
                "session_seconds": round(session_seconds, 1),
                "errors": [e for r in records for e in r.get("errors", [])],
                "exception_elements": [e for r in records for e in r.get("exceptions", [])],
                "reload_loop": reloads,
                "targets_at_30": {
                    "peak_rss_mb": "<= 2500",
                    "widget_p95_s": "<= 2",
                    "training_vs_solo_median": "<= 4",
                    "training_vs_solo_p95": "<= 10",
                },
            }
        )
    )


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


if __name__ == "__main__":
    main()
