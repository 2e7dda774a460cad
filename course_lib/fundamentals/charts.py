"""The chapter's charts (Altair): approximations, error curves, sweeps, the drawn network.

Every builder takes plain data (points, arrays, the frames of a sweep) and returns an
Altair chart; the page hands it to ``course_lib.ui.chart``. The by-hand section draws
from *layouts* (a chart without its data) so that a slider move only sends new curves.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course_lib import charts
from course_lib.charts import LINE_WIDTH
from course_lib.fundamentals.backprop import Pass, TinyNetwork, layer_name
from course_lib.fundamentals.targets import Points

#: Points per curve in the plots: smooth enough for steep steps, light enough to redraw.
PLOT_POINTS = 240
CURVE_COLOURS = {"target": "#222222", "network": "#0b5394"}


def plot_grid(points: Points) -> np.ndarray:
    """Evenly spaced x over the target's interval, for drawing curves."""
    return np.linspace(points.low, points.high, PLOT_POINTS)


def curves_frame(x: np.ndarray, curves: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long format (``x``, ``y``, ``curve``) for :func:`course_lib.charts.function_plot`."""
    return pd.concat(
        [pd.DataFrame({"x": x, "y": y, "curve": name}) for name, y in curves.items()],
        ignore_index=True,
    )


def approximation_chart(
    points: Points,
    x: np.ndarray,
    y_hat: np.ndarray,
    contributions: np.ndarray | None = None,
    *,
    highlight: int | None = None,
    title: str = "",
    height: int = 380,
) -> alt.Chart:
    """The target and the network's output; optionally each unit's share underneath.

    One chart, one data set, one line mark (the kinds of curve told apart by colour and
    stroke width): it serialises several times faster than layers. The page's by-hand
    section draws the same thing from :func:`approximation_layout` and
    :func:`approximation_frame`, so that a slider move only sends new data.

    Args:
        points: the target samples.
        x, y_hat: the network's output on a plotting grid, shapes ``(m,)``.
        contributions: ``(m, units)`` shares w_j g(·) of the units, drawn thin and grey.
        highlight: index of a unit drawn thick and orange (the one being edited).
    """
    frame = approximation_frame(points, x, y_hat, contributions, highlight=highlight)
    layout = approximation_layout(curve_kinds(contributions, highlight), height)
    return layout.properties(data=frame, title=title)


def curve_kinds(contributions: np.ndarray | None, highlight: int | None) -> tuple[str, ...]:
    """Which kinds of curve an approximation chart shows, in legend order."""
    kinds = ("target", "network")
    if contributions is not None:
        kinds += ("hidden unit",) + (("edited unit",) if highlight is not None else ())
    return kinds


def approximation_frame(
    points: Points,
    x: np.ndarray,
    y_hat: np.ndarray,
    contributions: np.ndarray | None = None,
    *,
    highlight: int | None = None,
) -> pd.DataFrame:
    """Long format (``x``, ``y``, ``curve``, ``kind``): the units' shares, target, network."""
    frames = []
    if contributions is not None:
        units = contributions.shape[1]
        unit = np.tile(np.arange(1, units + 1), len(x))
        frames.append(
            pd.DataFrame(
                {
                    "x": np.repeat(x, units),
                    "y": contributions.ravel(),
                    "curve": np.char.add("unit ", unit.astype(str)),
                    "kind": np.where(unit == (highlight or 0) + 1, "edited unit", "hidden unit")
                    if highlight is not None
                    else "hidden unit",
                }
            )
        )
    frames.append(pd.DataFrame({"x": points.x, "y": points.y, "curve": "target", "kind": "target"}))
    frames.append(pd.DataFrame({"x": x, "y": y_hat, "curve": "network", "kind": "network"}))
    return pd.concat(frames, ignore_index=True)


#: Colour and stroke width of each kind of curve.
CURVE_STYLES = {
    "target": ("#222222", 3),
    "network": ("#0b5394", 3.5),
    "hidden unit": ("#9aa5b1", 1.5),
    "edited unit": ("#e69138", 4),
}


def approximation_layout(kinds: tuple[str, ...], height: int = 380) -> alt.Chart:
    """The approximation chart without its data and title: marks, encodings, legend."""
    styles = [CURVE_STYLES[kind] for kind in kinds]
    return (
        alt.Chart()
        .mark_line()
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=list(kinds), range=[colour for colour, _ in styles]),
                legend=alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=4),
            ),
            strokeWidth=alt.StrokeWidth(
                "kind:N",
                scale=alt.Scale(domain=list(kinds), range=[width for _, width in styles]),
                legend=None,
            ),
            # channel objects, not "curve:N" strings: Altair parses each string shorthand
            # anew, which costs milliseconds on every redraw
            detail=alt.Detail("curve:N"),
            tooltip=[
                alt.Tooltip("curve:N"),
                alt.Tooltip("x:Q", format=".3f"),
                alt.Tooltip("y:Q", format=".4g"),
            ],
        )
        .properties(height=height)
    )


def error_curve_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The errors of :func:`bump_error_curve` under the names the chart shows."""
    return frame.rename(columns={"max_error": "max |ỹ − y|", "mse": "MSE"})


def error_curve_title(current: int | None = None) -> str:
    return "Error of the automatic placement" + (f" (your N = {current})" if current else "")


def error_curve_layout() -> alt.Chart:
    """The error-curve chart without its data and title."""
    return (
        alt.Chart()
        .transform_fold(["max |ỹ − y|", "MSE"], as_=["error", "value"])
        .mark_line(point=True, strokeWidth=LINE_WIDTH)
        .encode(
            x=alt.X("hidden_units:Q", title="hidden units N", axis=alt.Axis(tickCount=10)),
            y=alt.Y("value:Q", title="error (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color("error:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("hidden_units:Q"),
                alt.Tooltip("error:N"),
                alt.Tooltip("value:Q", format=".3g"),
            ],
        )
        .properties(height=260)
    )


def sweep_chart(frame: pd.DataFrame) -> alt.Chart:
    """MSE after training against hidden units, both axes logarithmic."""
    return (
        alt.Chart(frame, title="Error after training, by width")
        .mark_line(point=alt.OverlayMarkDef(size=90), strokeWidth=LINE_WIDTH)
        .encode(
            x=alt.X(
                "hidden_units:Q", title="hidden units (log scale)", scale=alt.Scale(type="log")
            ),
            y=alt.Y("mse:Q", title="MSE after training (log scale)", scale=alt.Scale(type="log")),
            tooltip=[
                "hidden_units:Q",
                "parameters:Q",
                alt.Tooltip("mse:Q", title="MSE", format=".3g"),
                alt.Tooltip("max_error:Q", title="max |ỹ − y|", format=".3g"),
            ],
        )
        .properties(height=340)
    )


def sweep_loss_chart(history: list[dict[str, Any]], *, height: int = 280) -> alt.Chart:
    """The loss of each network of a live sweep against its own epochs (log y)."""
    frame = pd.DataFrame(history, columns=["network", "network_epoch", "loss"])
    return (
        alt.Chart(frame, title="Loss of each network while it trains")
        .mark_line(strokeWidth=LINE_WIDTH)
        .encode(
            x=alt.X("network_epoch:Q", title="epoch"),
            y=alt.Y("loss:Q", title="loss (log scale)", scale=alt.Scale(type="log")),
            color=alt.Color(
                "network:N",
                title="hidden widths",
                sort=list(dict.fromkeys(frame["network"])),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["network:N", "network_epoch:Q", alt.Tooltip("loss:Q", format=".3g")],
        )
        .properties(height=height)
    )


def depth_chart(curves: pd.DataFrame, row: Any) -> alt.Chart:
    """The target and the fitted net for one row of :func:`compare_depths`' summary."""
    layers = "layer" if row.hidden_layers == 1 else "layers"
    return charts.function_plot(
        curves[curves["hidden_layers"] == row.hidden_layers],
        colours=CURVE_COLOURS,
        height=280,
        title=f"{row.hidden_layers} hidden {layers}: {row.layers}",
    )


#: Weights are written on the drawing up to this many connections (2-2-1 has 6).
MAX_LABELLED_EDGES = 8


def network_chart(network: TinyNetwork, result: Pass, height: int = 440) -> alt.LayerChart:
    """The network drawn left to right: each unit with its z, y and ∂E/∂z, each
    connection coloured by the sign of its weight, thickness ∝ |w|, with w and ∂E/∂w
    (written on small networks, in the tooltips always).
    """
    sizes = network.layer_sizes
    layers = len(sizes) - 1

    def position(k: int, j: int) -> tuple[float, float]:
        return float(k), (sizes[k] - 1) / 2 - j  # centred vertically

    nodes = []
    for k, outputs in enumerate(result.y):
        for j, value in enumerate(outputs):
            px, py = position(k, j)
            above = (
                f"x{j + 1} = {value:.3f}"
                if k == 0
                else f"z = {result.z[k][j]:.3f}   y = {value:.3f}"
            )
            below = (
                f"∂E/∂y = {result.dE_dy[k][j]:.3f}"
                if k == 0
                else f"∂E/∂z = {result.dE_dz[k][j]:.4f}"
            )
            nodes.append(
                {
                    "px": px,
                    "py": py,
                    "unit": f"{layer_name(k, layers)} unit {j + 1}",
                    "above": above,
                    "below": below,
                    "gradient": 0.0 if k == 0 else float(result.dE_dz[k][j]),
                }
            )
    edges = []
    for k, (w, g) in enumerate(zip(network.weights, result.dE_dw, strict=True)):
        along = 0.5 if w.shape[1] == 1 else 0.4
        for i, j in np.ndindex(w.shape):
            (x0, y0), (x1, y1) = position(k, i), position(k + 1, j)
            edges.append(
                {
                    "x0": x0,
                    "y0": y0,
                    "x1": x1,
                    "y1": y1,
                    # labels 40 % of the way along, apart where edges cross (at 50 %);
                    # edges into a single unit never cross: halfway, clear of both ends
                    "lx": x0 + along * (x1 - x0),
                    "ly": y0 + along * (y1 - y0),
                    "weight": f"w{i + 1}{j + 1}",
                    "w": float(w[i, j]),
                    "|w|": abs(float(w[i, j])),
                    "sign": "positive" if w[i, j] >= 0 else "negative",
                    "dE_dw": float(g[i, j]),
                    "label": f"w={w[i, j]:.2f} · ∂E/∂w={g[i, j]:.3f}",
                }
            )
    node_frame, edge_frame = pd.DataFrame(nodes), pd.DataFrame(edges)
    span = max(sizes) / 2 + 0.2
    x_scale = alt.Scale(domain=[-0.45, layers + 0.45], nice=False)
    y_scale = alt.Scale(domain=[-span, span], nice=False)
    no_axis = {"axis": None}
    edge_layer = (
        alt.Chart(edge_frame)
        .mark_rule(opacity=0.6)
        .encode(
            x=alt.X("x0:Q", scale=x_scale, **no_axis),
            y=alt.Y("y0:Q", scale=y_scale, **no_axis),
            x2="x1:Q",
            y2="y1:Q",
            color=alt.Color(
                "sign:N",
                title="weight",
                scale=alt.Scale(domain=["positive", "negative"], range=["#0b5394", "#cc0000"]),
                legend=alt.Legend(orient="top"),
            ),
            strokeWidth=alt.StrokeWidth("|w|:Q", scale=alt.Scale(range=[1, 9]), legend=None),
            tooltip=[
                alt.Tooltip("weight:N"),
                alt.Tooltip("w:Q", format=".4f"),
                alt.Tooltip("dE_dw:Q", title="∂E/∂w", format=".5f"),
            ],
        )
    )
    edge_labels = (
        alt.Chart(edge_frame)
        .mark_text(fontSize=14, color="#333", dy=-9)
        .encode(x=alt.X("lx:Q", scale=x_scale), y=alt.Y("ly:Q", scale=y_scale), text="label:N")
    )
    node_layer = (
        alt.Chart(node_frame)
        .mark_circle(size=1400, opacity=1, stroke="#222", strokeWidth=2)
        .encode(
            x=alt.X("px:Q", scale=x_scale),
            y=alt.Y("py:Q", scale=y_scale),
            color=alt.Color(
                "gradient:Q",
                title="∂E/∂z",
                scale=alt.Scale(scheme="redblue", domainMid=0, reverse=True),
            ),
            tooltip=[
                alt.Tooltip("unit:N"),
                alt.Tooltip("above:N", title="values"),
                alt.Tooltip("below:N", title="gradient"),
            ],
        )
    )
    text_above = (
        alt.Chart(node_frame)
        .mark_text(fontSize=16, fontWeight="bold", dy=-34)
        .encode(x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale), text="above:N")
    )
    text_below = (
        alt.Chart(node_frame)
        .mark_text(fontSize=15, color="#7a1f1f", dy=36)
        .encode(x=alt.X("px:Q", scale=x_scale), y=alt.Y("py:Q", scale=y_scale), text="below:N")
    )
    # on a bigger network the edge labels would pile up: the tooltips and the table remain
    layers_drawn = [edge_layer, node_layer, text_above, text_below]
    if len(edges) <= MAX_LABELLED_EDGES:
        layers_drawn.insert(1, edge_labels)
    return alt.layer(*layers_drawn).resolve_scale(color="independent").properties(height=height)
