"""Streamlit pieces shared by the chapter pages (the only part of course_lib that imports Streamlit).

- :mod:`course_lib.ui.page`: the frame of every page: :func:`sidebar` (the device badge),
  :func:`require_tensorflow` (a message instead of a traceback), :func:`chart` and
  :func:`chart_from_layout` and :func:`live_learning_curves` (Altair, readable on a projector, redrawn cheaply), :func:`show_code`.
- :mod:`course_lib.ui.controls`: :class:`Controls`, one path from a setting to its widget:
  defaults, the shared link in and out, widgets, read-back and walkthrough presets.
- :mod:`course_lib.ui.training_panel`: :func:`session_trainer` (one trainer per student),
  :func:`training_panel` (Start / Pause / Stop / Reset, progress, live curves),
  :func:`run_with_progress`.
- :mod:`course_lib.ui.classroom`: :func:`walkthrough`, :func:`quiz`,
  :func:`notebook_download`, :func:`lab_downloads`, :func:`results_downloads`.
- :mod:`course_lib.ui.presentation`: presentation mode (large type, ``?present=1``).
"""

from course_lib.ui.classroom import (
    lab_downloads,
    notebook_download,
    quiz,
    results_downloads,
    walkthrough,
)
from course_lib.ui.controls import Controls
from course_lib.ui.page import (
    chart,
    chart_from_layout,
    component_beside,
    live_learning_curves,
    require_tensorflow,
    show_code,
    sidebar,
)
from course_lib.ui.presentation import (
    PRESENTATION_CHART_SCALE,
    PRESENTATION_KEY,
    presentation_style,
    presentation_toggle,
    presenting,
)
from course_lib.ui.training_panel import (
    CHUNK_SECONDS,
    REFRESH_SECONDS,
    kept_on,
    progress_text,
    run_with_progress,
    session_trainer,
    training_panel,
)

__all__ = [
    "CHUNK_SECONDS",
    "PRESENTATION_CHART_SCALE",
    "PRESENTATION_KEY",
    "REFRESH_SECONDS",
    "Controls",
    "chart",
    "chart_from_layout",
    "live_learning_curves",
    "component_beside",
    "lab_downloads",
    "notebook_download",
    "presentation_style",
    "presentation_toggle",
    "presenting",
    "progress_text",
    "quiz",
    "require_tensorflow",
    "results_downloads",
    "run_with_progress",
    "kept_on",
    "session_trainer",
    "show_code",
    "sidebar",
    "training_panel",
    "walkthrough",
]
