"""The page frame: the sidebar, TensorFlow's availability, charts and the code behind a demo."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from course_lib import charts
from course_lib.classroom import source_of
from course_lib.device import TensorFlowUnavailable, detect_device, peek_device
from course_lib.ui.presentation import PRESENTATION_CHART_SCALE, presenting


def sidebar() -> None:
    """The shared sidebar: which device computes (without importing TensorFlow)."""
    device = peek_device()
    with st.sidebar:
        if device is None:
            st.caption(
                ":material/memory: Device: checked when a chapter first loads TensorFlow.",
                help="Home does not load TensorFlow, so that it opens instantly.",
            )
        else:
            icon = ":material/bolt:" if device.has_gpu else ":material/memory:"
            st.badge(device.badge, icon=icon, color="green" if device.has_gpu else "gray")


def require_tensorflow() -> None:
    """Load TensorFlow for this page, or explain why it cannot and stop the page here."""
    try:
        detect_device()
    except TensorFlowUnavailable as error:
        st.error(str(error), icon=":material/error:")
        st.stop()


def chart(altair_chart: Any, *, key: str | None = None, **kwargs: Any) -> Any:
    """Draw an Altair chart, full width, readable on a projector (larger in presentation mode)."""
    # theme=None: our own projector styling, not Streamlit's smaller default fonts
    scale = PRESENTATION_CHART_SCALE if presenting() else 1.0
    return st.altair_chart(
        charts.readable(altair_chart, scale), width="stretch", theme=None, key=key, **kwargs
    )


def chart_from_layout(
    layout: Callable[..., Any],
    *args: Any,
    data: Any = None,
    datasets: dict[str, Any] | None = None,
    title: str = "",
    key: str | None = None,
    **kwargs: Any,
) -> Any:
    """Draw ``data`` with a chart layout that Altair builds once per process.

    For charts redrawn on every slider move or every chunk of training, where only the
    data and the title change: building an Altair chart and turning it into Vega-Lite
    takes tens of milliseconds each time. Here ``layout(*args, **kwargs)`` (an Altair chart
    without data) is turned into a Vega-Lite spec once and kept, read-only, for every
    session; each redraw sends just the data (``data``, or the named data sets that the
    layout's layers read). The spec is then the same from one redraw to the next, and the
    browser puts the new rows into the chart it has instead of building another.
    """
    scale = PRESENTATION_CHART_SCALE if presenting() else 1.0
    spec = json.loads(_layout_spec(layout, args, tuple(sorted(kwargs.items())), scale))
    if title:  # a fresh copy: Streamlit edits it
        spec["title"] = title
    if datasets:
        spec["datasets"] = dict(datasets)
    return st.vega_lite_chart(data, spec, width="stretch", theme=None, key=key)


@functools.lru_cache(maxsize=256)
def _layout_spec(
    layout: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    scale: float,
) -> str:
    return json.dumps(charts.readable(layout(*args, **dict(kwargs)), scale).to_dict())


def live_learning_curves(frame: Any, metric: str, **options: Any) -> Any:
    """:func:`course_lib.charts.learning_curves` for a panel redrawn as the network learns:
    its layout built once, each redraw sending the rows only (:func:`chart_from_layout`)."""
    layout, datasets = charts.learning_curves_parts(frame, metric, **options)
    return chart_from_layout(charts.learning_curves_layout, datasets=datasets, **layout)


def component_beside(module_file: str, name: str) -> Any:
    """A Components v2 component whose HTML, CSS and JS sit in files beside its module.

    ``app_pages/x/hand_plot.py`` declares ``component_beside(__file__, "course_hand_plot")``
    and keeps ``hand_plot.html``, ``hand_plot.css`` and ``hand_plot.js`` next to it: the
    browser code reads (and lints) as what it is, and the module keeps only its Python.
    """
    stem = Path(module_file).with_suffix("")
    read = {
        kind: stem.with_suffix(f".{kind}").read_text(encoding="utf-8")
        for kind in ("html", "css", "js")
    }
    return st.components.v2.component(name, html=read["html"], css=read["css"], js=read["js"])


def show_code(*functions: Callable[..., Any], label: str = "Show the code") -> None:
    """An expander with the source of the course_lib functions behind a demo."""
    with st.expander(label, icon=":material/code:"):
        for function in functions:
            st.code(source_of(function), language="python")
