"""How this app's one Streamlit process runs many students' pages: a process-wide setting.

After *every* script run of *every* session, Streamlit calls ``keras.backend.clear_session()``
(``_clean_problem_modules`` in its script runner, a fix from Keras 1, when models lived in
one global graph). In Keras 3 that is a full ``gc.collect()`` of the whole server, a cleared
TensorFlow kernel cache and a fresh global Keras state, for all the threads at once:

- each training chunk after any student's rerun pays again for kernels TensorFlow just
  built: measured with ``benchmarks/classroom.py``, a 0.4 s chunk trained **one** epoch of
  chapter 1's fit instead of about 180, so three students training at once each took 30×
  longer than one alone, and ten never finished;
- a student building a model while another student's run ends can have the global state
  their model is being built in swapped from under them.

Our models never share Keras's global state (each session builds its own, seeded layer by
layer), so the app keeps it: :func:`keep_keras_state_between_runs` leaves only Streamlit's
other clean-up (closing matplotlib figures). Memory is given back by the owners instead
(:mod:`course_lib.sharing`: idle trainers are dropped, closed sessions free theirs).
"""

from __future__ import annotations

import sys
import threading
from typing import Any

_lock = threading.Lock()


def _close_matplotlib_figures() -> None:
    """What Streamlit's clean-up does besides Keras: close pyplot figures left open."""
    plt: Any = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        try:
            plt.close("all")
        except Exception:  # noqa: BLE001 (as Streamlit: a clean-up never breaks a page)
            pass


_close_matplotlib_figures.keeps_keras_state = True


def keep_keras_state_between_runs() -> bool:
    """Stop Streamlit from clearing Keras's global state after each script run.

    Idempotent, and harmless on a Streamlit without that clean-up (returns ``False``).
    """
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:  # pragma: no cover (another Streamlit layout)
        return False
    with _lock:
        current = getattr(script_runner, "_clean_problem_modules", None)
        if current is None:
            return False
        if getattr(current, "keeps_keras_state", False):
            return True
        _close_matplotlib_figures.replaced = current  # Streamlit's own, kept for the tests
        script_runner._clean_problem_modules = _close_matplotlib_figures
        return True


# -- a browser that reloads in a loop ----------------------------------------------------------

#: The sessions (tabs) each browser opened, oldest first: browser -> session ids.
_tabs: dict[str, list[str]] = {}


def close_tabs_left_behind(browser: str | None, session_id: str) -> int:
    """A browser opened a new session (a new tab, or a reload): free its closed ones now.

    Streamlit keeps a session whose tab went away for ``server.disconnectedSessionTTL``
    (two minutes), in case its websocket comes back; a reload never comes back, it is a new
    session. So a browser reloading in a loop would pile up sessions (about 7 MB each,
    ``benchmarks/classroom.py --reloads``) until each one's two minutes are up. Here the
    browser's sessions that are no longer connected are closed as soon as the same browser
    opens a new one; its open tabs are never touched. Returns how many were closed.
    """
    if browser is None:
        return 0
    try:
        from streamlit.runtime import Runtime

        runtime = Runtime.instance()
    except Exception:  # noqa: BLE001 (no runtime: AppTest, bare mode)
        return 0
    with _lock:
        tabs = _tabs.setdefault(browser, [])
        left = [tab for tab in tabs if tab != session_id and not runtime.is_active_session(tab)]
        _tabs[browser] = [tab for tab in tabs if tab not in left and tab != session_id]
        _tabs[browser].append(session_id)
        if len(_tabs) > 10_000:  # browsers that never came back: forget the oldest
            del _tabs[next(iter(_tabs))]
    for tab in left:
        # thread-safe: marks the session as not to be resumed and, as it is not connected,
        # closes it on Streamlit's event loop (the same path a logout takes)
        runtime.clear_user_info_for_session(tab)
    return len(left)
