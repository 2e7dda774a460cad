"""Benchmark of chapter 1: a slider move by hand, and training the default net on sin.

Run: ``python benchmarks/fundamentals.py`` (prints one JSON object).

- ``slider_move_ms_median``: server-side time of one rerun of the Fundamentals page after
  releasing a slider of the by-hand plot (the unit edit it sends), median of 20 AppTest
  reruns (target ≤ 50 ms); during the drag the browser redraws alone (``live.py``). AppTest reruns
  the whole page and compiles it anew each time; in the browser the by-hand section is
  an ``st.fragment``, so a slider move reruns only that section.
- ``apptest_compile_ms``: of that, what compiling the router and the page script costs
  (with Streamlit's "magic"): AppTest pays it on every rerun, a server once per process.
- ``train_to_mse_1e-3_s``: seconds from building the default network (64 tanh units,
  Adam, learning rate 0.03, full batch) to the first epoch whose training MSE on sin over
  [-π, π] is below 1e-3 (target ≤ 3 s on a 2-core CPU); TensorFlow's import is excluded
  and reported apart. Median of 3 runs.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from course_lib.fundamentals import network as nw  # noqa: E402
from course_lib.fundamentals import targets as tg  # noqa: E402

SLIDER_RERUNS = 20
TRAINING_RUNS = 3
TARGET_MSE = 1e-3
PAGE_FILE = Path(__file__).resolve().parents[1] / "app_pages" / "fundamentals.py"


def slider_move_ms() -> tuple[list[float], list[float]]:
    from tests.conftest import app_page
    from tests.fundamentals.test_page_fundamentals import edit_unit

    at = app_page(str(PAGE_FILE.relative_to(PAGE_FILE.parents[1])))
    at.button[0].click().run()  # place the units automatically, as in class
    times, cpu_times = [], []
    for index in range(SLIDER_RERUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        # a slider of the by-hand plot released: the edit it sends, and the rerun
        edit_unit(at, weight=0.1 * (index % 5) - 0.2)
        times.append(1000 * (time.perf_counter() - started))
        # CPU time of the whole process (the test thread mostly waits): less sensitive
        # than wall time to other programs sharing the cores
        cpu_times.append(1000 * (time.process_time() - cpu_started))
        assert not at.exception
    return times, cpu_times


def compile_ms() -> float:
    """Milliseconds to compile the router and the page as Streamlit does (median of 20)."""
    from streamlit.runtime.scriptrunner import magic

    root = Path(__file__).resolve().parents[1]
    sources = [(path, path.read_text()) for path in (root / "streamlit_app.py", PAGE_FILE)]
    times = []
    for _ in range(20):
        started = time.perf_counter()
        for path, source in sources:
            compile(magic.add_magic(source, str(path)), str(path), "exec", dont_inherit=True)
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def seconds_to_fit_sin() -> tuple[float, int, float]:
    """(seconds, epochs, MSE of the network at that epoch)."""
    points = tg.target_points(tg.TargetSettings(target="sin"))
    started = time.perf_counter()
    trainer = nw.fit_trainer(nw.FitSettings(epochs=2000), points)
    trainer.start()
    reached = None
    while trainer.is_running and reached is None:
        rows = trainer.run_chunk(max_seconds=0.2)
        reached = next((row["epoch"] for row in rows if row["loss"] < TARGET_MSE), None)
    seconds = time.perf_counter() - started
    mse = tg.approximation_errors(nw.predict(trainer.model, points.x), points.y)["mse"]
    return seconds, reached, mse


def main() -> None:
    moves, cpu_moves = slider_move_ms()
    started = time.perf_counter()
    from course_lib.device import detect_device

    device = detect_device()
    import_seconds = time.perf_counter() - started
    runs = [seconds_to_fit_sin() for _ in range(TRAINING_RUNS)]
    print(
        json.dumps(
            {
                "slider_move_ms_median": round(statistics.median(moves), 1),
                "slider_move_ms_p90": round(float(np.percentile(moves, 90)), 1),
                "slider_move_cpu_ms_median": round(statistics.median(cpu_moves), 1),
                "slider_reruns": SLIDER_RERUNS,
                "apptest_compile_ms": round(compile_ms(), 1),
                "train_to_mse_1e-3_s": round(statistics.median(r[0] for r in runs), 2),
                "train_runs_s": [round(r[0], 2) for r in runs],
                "train_epoch_first_below_1e-3": [r[1] for r in runs],
                "train_mse_when_stopped": [float(f"{r[2]:.3g}") for r in runs],
                "tensorflow_import_s": round(import_seconds, 2),
                "device": device.badge,
                "cpu_count": os.cpu_count(),
                "load_average_1min": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
