"""Shared test setup: quiet TensorFlow, the repository root importable, tiny models."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# AppTest runs pages in this process: no background TensorFlow import under the tests that
# check Home never imports it (the browser tests' servers turn the warm-up back on).
os.environ["COURSE_WARM_UP"] = "0"
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def app_page(page: str, *, timeout: float = 120, query: dict[str, str] | None = None):
    """An AppTest of the real router, switched to ``page`` (e.g. "app_pages/home.py") and run.

    Going through ``streamlit_app.py`` runs the page as students get it: with the page
    config, the navigation and the shared sidebar.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at.run()
    if page != "app_pages/home.py":
        at.switch_page(page).run()
    return at


def run_training(at, key: str, *, max_runs: int = 200):
    """Click the training panel's Start (widget key ``f"{key}_start"``) and rerun the app
    until the run is over.

    AppTest has no clock, so a ``run_every`` fragment never fires on its own: each
    ``at.run()`` here stands for one tick of the browser's timer and trains one chunk.
    Returns the AppTest after the run has finished, stopped or diverged.
    """
    at.button(key=f"{key}_start").click().run()
    for _ in range(max_runs):
        start = at.button(key=f"{key}_start")
        if not start.disabled:  # Start is enabled again: the run is no longer running
            return at
        at.run()
    raise AssertionError(f"training {key!r} still running after {max_runs} reruns")


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No Keras data set in the cache, and any download attempt fails like offline."""
    from course_lib import datasets

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def no_network(name):
        raise OSError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(datasets, "_download", no_network)


def link_notices(at) -> list[str]:
    """The notices of a shared link's summary warning, as the student reads them.

    The page escapes the link's text so that Markdown shows it as typed; this undoes the
    escaping (a backslash before punctuation, a zero-width space that breaks a bare URL) to
    compare with what was typed.
    """
    import re

    for warning in at.warning:
        if warning.value.startswith("Some settings in this link were not used"):
            lines = warning.value.split("\n")[1:]
            return [
                re.sub(r"\\(.)", r"\1", line[2:]).replace("\u200b", "")
                for line in lines
                if line.startswith("- ")
            ]
    return []
