"""Streamlit pieces shared by the chapter pages (the only part of course_lib that imports Streamlit).

- :mod:`course_lib.ui.page`: the frame of every page: :func:`sidebar` (the device badge),
  :func:`require_tensorflow` (a message instead of a traceback), :func:`chart` and
  :func:`chart_from_layout` (Altair, readable on a projector), :func:`show_code`.
- :mod:`course_lib.ui.controls`: :class:`Controls`, one path from a setting to its widget:
  defaults, the shared link in and out, widgets, read-back and walkthrough presets.
- :mod:`course_lib.ui.training_panel`: :func:`session_trainer` (one trainer per student),
  :func:`training_panel` (Start / Pause / Stop / Reset, progress, live curves),
  :func:`run_with_progress`.
- :mod:`course_lib.ui.classroom`: :func:`walkthrough`, :func:`quiz`,
  :func:`notebook_download`, :func:`lab_downloads`, :func:`results_downloads`.
- :mod:`course_lib.ui.presentation`: presentation mode (large type, ``?present=1``).
"""

from course_lib.ui._compat import (
    remember_settings,
    setting_widget,
    settings_from_widgets,
    share_link,
    shared_settings,
)
from course_lib.ui._compat import walkthrough as _walkthrough_with_experiments
from course_lib.ui.classroom import (
    lab_downloads,
    notebook_download,
    quiz,
    results_downloads,
)
from course_lib.ui.controls import Controls, literal
from course_lib.ui.page import chart, chart_from_layout, require_tensorflow, show_code, sidebar
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
    progress_text,
    run_with_progress,
    session_trainer,
    training_panel,
)


def walkthrough(steps, *, key, controls=None, experiments=None, adjust=None, section_key=None):
    """A guided walkthrough (see :func:`course_lib.ui.classroom.walkthrough`)."""
    from course_lib.ui import classroom

    if controls is None:
        return _walkthrough_with_experiments(
            steps, key=key, experiments=experiments, adjust=adjust, section_key=section_key
        )
    return classroom.walkthrough(
        steps, key=key, controls=controls, adjust=adjust, section_key=section_key
    )


__all__ = [
    "CHUNK_SECONDS",
    "PRESENTATION_CHART_SCALE",
    "PRESENTATION_KEY",
    "REFRESH_SECONDS",
    "Controls",
    "chart",
    "chart_from_layout",
    "lab_downloads",
    "literal",
    "notebook_download",
    "presentation_style",
    "presentation_toggle",
    "presenting",
    "progress_text",
    "quiz",
    "remember_settings",
    "require_tensorflow",
    "results_downloads",
    "run_with_progress",
    "session_trainer",
    "setting_widget",
    "settings_from_widgets",
    "share_link",
    "shared_settings",
    "show_code",
    "sidebar",
    "training_panel",
    "walkthrough",
]
