"""The by-hand plot: the curve follows the unit's sliders *while* they are dragged.

Streamlit's slider sends its value once the student lets go (debounced by 200 ms) and
the server then redraws, so nothing moves during a drag. This component (Components v2:
HTML and JavaScript in the page, two-way state) draws the target, the network's output
ỹ(x) = Σ_j w_j g(s_j (x − p_j)) + b and each unit's share on a canvas, and has its own
sliders for the picked unit's p, s, w and b: every ``input`` event of a drag recomputes
the sum in the browser, on the page's plotting grid, and repaints on the next animation
frame, with no server round trip. :func:`course_lib.fundamentals.approximation.hand_predict`
stays the reference: a browser test compares the curve drawn here with it.

On release (the ``change`` event) the component sends the unit's values as its state
``unit``: ``{"seq", "unit" (0-based), "units" (N), "position", "steepness", "weight",
"bias"}``. The server checks and clips them
(:func:`~course_lib.fundamentals.approximation.checked_unit_edit`), stores them in the
session's network, and recomputes the metrics; ``data["applied"]`` tells the browser
which edit the network it sends already holds.

For tests and benchmarks, ``window.__courseByHand[name]`` holds the last painted curve
(``curve``, ``x``, ``network``), ``paints`` and ``inputEvents`` counters and the input-to-paint
``latencies`` in milliseconds (from the first input event a frame paints to the end of
that frame's drawing; ``frameLatencies``: to the start of the next frame, by when the
drawing is on screen).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from course_lib import ui
from course_lib.fundamentals import approximation as ap
from course_lib.fundamentals import charts
from course_lib.fundamentals.targets import Points

#: Most target points the canvas draws (a large CSV is thinned for drawing only).
MAX_DRAWN_POINTS = 1000

#: The browser side: ``hand_plot.html``, ``hand_plot.css`` and ``hand_plot.js`` beside this file.
_component = ui.component_beside(__file__, "course_hand_plot")


def hand_plot(
    key: str,
    network: ap.HandNetwork,
    unit: int,
    points: Points,
    plot_x: np.ndarray,
    *,
    applied: int,
    title: str,
    scale: float,
    on_unit: Callable[[], None],
) -> Any:
    """Draw the by-hand plot with the sliders of unit ``unit`` (0-based) of ``network``.

    Args:
        key: the widget key: the student's last edit is ``st.session_state[key]["unit"]``.
        plot_x: the plotting grid, shape ``(m,)``: the browser computes ỹ on exactly it.
        applied: the ``seq`` of the last edit the server stored in ``network``.
        scale: font and line scale (presentation mode draws larger).
        on_unit: runs (before the script) when the student releases a slider.
    """
    stride = max(1, len(points.x) // MAX_DRAWN_POINTS)
    shares = ap.hand_contributions(network, plot_x)
    y_hat = ap.hand_predict(network, plot_x)
    kinds = charts.curve_kinds(shares, unit)
    labels = {"target": "target", "network": "network ỹ", "hidden unit": "hidden units"}
    labels["edited unit"] = f"unit {unit + 1}"
    return _component(
        key=key,
        data={
            "name": key,
            "title": title,
            "scale": scale,
            "activation": network.activation,
            "positions": list(network.positions),
            "steepness": list(network.steepness),
            "weights": list(network.weights),
            "bias": network.bias,
            "unit": unit,
            "applied": applied,
            "x": plot_x.tolist(),
            "target_x": points.x[::stride].tolist(),
            "target_y": points.y[::stride].tolist(),
            "y_range": [
                float(min(y_hat.min(), shares.min())),
                float(max(y_hat.max(), shares.max())),
            ],
            "ranges": ap.hand_slider_ranges(network, points),
            "styles": charts.CURVE_STYLES,
            "legend": [(labels[kind], charts.CURVE_STYLES[kind]) for kind in kinds],
        },
        on_unit_change=on_unit,
    )
