"""Altair chart builders shared by the chapters, sized for a projector.

Builders return plain (unconfigured) Altair charts so a page can layer them, e.g. a
fitted curve over a target. :func:`readable` applies the projector styling — large
type, thick lines — and is applied once, to the final chart (``course_lib.ui.chart``
does it for pages).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

#: Font sizes (px) that stay legible from the back of a lecture hall.
AXIS_LABEL_SIZE = 15
AXIS_TITLE_SIZE = 17
TITLE_SIZE = 20
LINE_WIDTH = 3

#: Colours for the train / validation split, the same on every page.
SPLIT_COLOURS_BY_NAME = {"train": "#0b5394", "validation": "#e69138"}


def readable(chart: alt.TopLevelMixin, scale: float = 1.0) -> alt.TopLevelMixin:
    """Large fonts and a quiet grid, for the final (top-level) chart.

    ``scale`` enlarges every font further (presentation mode uses 1.3).
    """
    label, axis_title, title = (
        round(size * scale) for size in (AXIS_LABEL_SIZE, AXIS_TITLE_SIZE, TITLE_SIZE)
    )
    return (
        chart.configure_axis(labelFontSize=label, titleFontSize=axis_title, gridOpacity=0.4)
        .configure_legend(labelFontSize=label, titleFontSize=label, symbolStrokeWidth=LINE_WIDTH)
        .configure_title(fontSize=title, anchor="start")
        .configure_header(labelFontSize=axis_title, titleFontSize=axis_title)
        .configure_text(fontSize=label)
    )


#: The named data sets of :func:`learning_curves`: this run's rows and the run before's.
CURVES, GHOST = "curves", "ghost"


def learning_curves(frame: pd.DataFrame, metric: str = "loss", **options: Any) -> alt.Chart:
    """Train and validation curves of one metric against the epoch (or update).

    ``frame`` and the ``options`` (title, log scale, reference lines, height, x title, the
    run before as a ghost) are those of :func:`learning_curves_parts`. The chart is
    :func:`learning_curves_layout` (no data: the same for every epoch of a run) with those
    rows as its named data sets; a live panel keeps the layout and sends only the rows
    (``course_lib.ui.live_learning_curves``).
    """
    layout, datasets = learning_curves_parts(frame, metric, **options)
    return with_data(learning_curves_layout(**layout), datasets)


def with_data(chart: alt.TopLevelMixin, datasets: dict[str, pd.DataFrame]) -> alt.TopLevelMixin:
    """``chart``, whose layers read named data sets, with those data sets in it."""
    return chart.properties(
        datasets={
            name: alt.utils.sanitize_pandas_dataframe(rows.copy()).to_dict("records")
            for name, rows in datasets.items()
        }
    )


def learning_curves_parts(
    frame: pd.DataFrame,
    metric: str = "loss",
    *,
    title: str | None = None,
    log_scale: bool = False,
    reference_lines: dict[str, float] | None = None,
    height: int = 280,
    x_title: str = "epoch",
    previous: pd.DataFrame | None = None,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """What :func:`learning_curves` draws: the layout's arguments (hashable: the same for
    the whole of a run but for a change or two, e.g. when the dots go at 60 epochs) and the
    rows of its data sets :data:`CURVES` and :data:`GHOST`.

    Args:
        frame: long format from :func:`course_lib.training.learning_curves_frame`
            (columns ``epoch``, ``metric``, ``split``, ``value``).
        metric: which metric to draw, e.g. ``"loss"`` or ``"accuracy"``.
        log_scale: a log y-axis, for losses that fall over orders of magnitude.
        reference_lines: horizontal rules with a label each, e.g. a baseline's loss
            ``{"uniform guess": 4.2}``.
        previous: the run before this one (same format), drawn as a grey "ghost" to
            compare with: its validation curve if it has one, else its training curve.
    """
    data = frame[frame["metric"] == metric] if len(frame) else frame
    # the legend names only the splits there are (no "validation" without validation data)
    splits = [s for s in ("train", "validation") if len(data) and (data["split"] == s).any()] or [
        "train"
    ]
    ghost = None
    if previous is not None and len(previous):
        ghost = previous[previous["metric"] == metric]
        if (ghost["split"] == "validation").any():
            ghost = ghost[ghost["split"] == "validation"]
        ghost = ghost[ghost["split"] == ghost["split"].iloc[0]] if len(ghost) else ghost
        ghost = ghost if len(ghost) else None
    layout = {
        "metric": metric,
        "heading": title or metric.replace("_", " ").capitalize(),
        "log_scale": log_scale,
        "reference_lines": tuple(reference_lines.items()) if reference_lines else (),
        "height": height,
        "x_title": x_title,
        "splits": tuple(splits),
        # dots mark the epochs while there are few; past 60 they would blur the line
        "dots": len(data) == 0 or data["epoch"].nunique() <= 60,
        "ghost": ghost is not None,
    }
    datasets = {CURVES: data[["epoch", "split", "value"]].reset_index(drop=True)}
    if ghost is not None:
        datasets[GHOST] = ghost[["epoch", "value"]].reset_index(drop=True)
    return layout, datasets


def learning_curves_layout(
    metric: str,
    heading: str,
    log_scale: bool,
    reference_lines: tuple[tuple[str, float], ...],
    height: int,
    x_title: str,
    splits: tuple[str, ...],
    dots: bool,
    ghost: bool,
) -> alt.Chart:
    """The chart of :func:`learning_curves` without its rows: layers that read the named
    data sets :data:`CURVES` and (``ghost``) :data:`GHOST`."""
    y_scale = alt.Scale(type="log") if log_scale else alt.Scale(zero=False)
    split_scale = alt.Scale(domain=list(splits), range=[SPLIT_COLOURS_BY_NAME[s] for s in splits])
    lines = (
        alt.Chart(alt.NamedData(CURVES), title=heading)
        .mark_line(
            point=alt.OverlayMarkDef(size=50) if dots else False,
            strokeWidth=LINE_WIDTH,
        )
        .encode(
            x=alt.X("epoch:Q", title=x_title, axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=metric.replace("_", " "), scale=y_scale),
            color=alt.Color(
                "split:N", title=None, scale=split_scale, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("epoch:Q"),
                alt.Tooltip("split:N"),
                alt.Tooltip("value:Q", title=metric, format=".4g"),
            ],
        )
        .properties(height=height)
    )
    layers = [_ghost_curve(metric), lines] if ghost else [lines]
    if not reference_lines:
        return alt.layer(*layers) if len(layers) > 1 else lines
    rules_data = pd.DataFrame(
        {"label": [label for label, _ in reference_lines], "value": [v for _, v in reference_lines]}
    )
    rules = (
        alt.Chart(rules_data)
        .mark_rule(strokeDash=[8, 5], strokeWidth=2, color="#666")
        .encode(y="value:Q", tooltip=[alt.Tooltip("label:N"), alt.Tooltip("value:Q", format=".4g")])
    )
    labels = (
        alt.Chart(rules_data)
        .mark_text(align="left", dx=4, dy=-8, fontSize=AXIS_LABEL_SIZE, color="#444")
        .encode(y="value:Q", text="label:N", x=alt.value(0))
    )
    return alt.layer(*layers, rules, labels)


def _ghost_curve(metric: str) -> alt.LayerChart:
    """The previous run (data set :data:`GHOST`), grey and dashed behind the current one,
    named at its end."""
    ghost = alt.Chart(alt.NamedData(GHOST))
    line = ghost.mark_line(
        strokeDash=[6, 4], strokeWidth=LINE_WIDTH, color="#9a9a9a", opacity=0.9
    ).encode(
        x="epoch:Q",
        y="value:Q",
        tooltip=[
            alt.Tooltip("epoch:Q"),
            alt.Tooltip("value:Q", title=f"previous run's {metric}", format=".4g"),
        ],
    )
    label = (
        ghost.transform_window(last="rank()", sort=[alt.SortField("epoch", order="descending")])
        .transform_filter("datum.last == 1")
        .transform_calculate(label="'previous run'")
        .mark_text(align="left", dx=6, fontSize=AXIS_LABEL_SIZE, color="#777")
        .encode(x="epoch:Q", y="value:Q", text="label:N")
    )
    return alt.layer(line, label)


def function_plot(
    frame: pd.DataFrame,
    *,
    x: str = "x",
    y: str = "y",
    series: str = "curve",
    title: str | None = None,
    dashed: Sequence[str] = (),
    colours: dict[str, str] | None = None,
    height: int = 320,
    x_title: str | None = None,
    y_title: str | None = None,
) -> alt.Chart:
    """Several curves y(x) in one plot, one colour per value of ``series``.

    Args:
        frame: long format, one row per (series, x) point.
        dashed: series drawn dashed (e.g. the individual hidden units' contributions).
        colours: optional fixed colour per series name.
    """
    names = list(dict.fromkeys(frame[series])) if len(frame) else []
    scale = (
        alt.Scale(domain=list(colours), range=list(colours.values()))
        if colours
        else alt.Scale(domain=names)
    )
    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=x_title or x),
        "y": alt.Y(f"{y}:Q", title=y_title or y, scale=alt.Scale(zero=False)),
        "color": alt.Color(f"{series}:N", title=None, scale=scale, legend=alt.Legend(orient="top")),
        "detail": f"{series}:N",
        "tooltip": [
            alt.Tooltip(f"{series}:N"),
            alt.Tooltip(f"{x}:Q", format=".3f"),
            alt.Tooltip(f"{y}:Q", format=".4g"),
        ],
    }
    if dashed:
        encoding["strokeDash"] = alt.condition(
            alt.FieldOneOfPredicate(field=series, oneOf=list(dashed)),
            alt.value([6, 4]),
            alt.value([1, 0]),
        )
    return (
        alt.Chart(frame, title=title or "")
        .mark_line(strokeWidth=LINE_WIDTH)
        .encode(**encoding)
        .properties(height=height)
    )


def heatmap(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    title: str | None = None,
    scheme: str = "blueorange",
    domain: tuple[float, float] | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    value_title: str | None = None,
    size: int = 320,
    binned: bool = False,
) -> alt.Chart:
    """A value over a 2-D grid, e.g. P(class 1) over the input plane.

    ``frame`` has one row per grid cell with numeric ``x`` and ``y`` cell centres
    (``binned=False``: drawn as ``rect`` marks of the grid's spacing) or ordinal cells
    (``binned=True``: one rectangle per category pair, e.g. a confusion matrix).
    """
    colour = alt.Color(
        f"{value}:Q",
        title=value_title or value,
        scale=alt.Scale(scheme=scheme, domain=list(domain) if domain else alt.Undefined),
    )
    tooltip: list[Any] = [
        alt.Tooltip(f"{x}:{'O' if binned else 'Q'}", format="" if binned else ".3f"),
        alt.Tooltip(f"{y}:{'O' if binned else 'Q'}", format="" if binned else ".3f"),
        alt.Tooltip(f"{value}:Q", format=".3g"),
    ]
    if binned:
        encoding = {
            "x": alt.X(f"{x}:O", title=x_title or x),
            "y": alt.Y(f"{y}:O", title=y_title or y),
        }
    else:
        xs = sorted(frame[x].unique()) if len(frame) else [0, 1]
        ys = sorted(frame[y].unique()) if len(frame) else [0, 1]
        dx = (xs[1] - xs[0]) if len(xs) > 1 else 1.0
        dy = (ys[1] - ys[0]) if len(ys) > 1 else 1.0
        frame = frame.assign(
            _x0=frame[x] - dx / 2,
            _x1=frame[x] + dx / 2,
            _y0=frame[y] - dy / 2,
            _y1=frame[y] + dy / 2,
        )
        encoding = {
            "x": alt.X(
                "_x0:Q",
                title=x_title or x,
                scale=alt.Scale(domain=[xs[0] - dx / 2, xs[-1] + dx / 2], nice=False),
            ),
            "x2": "_x1:Q",
            "y": alt.Y(
                "_y0:Q",
                title=y_title or y,
                scale=alt.Scale(domain=[ys[0] - dy / 2, ys[-1] + dy / 2], nice=False),
            ),
            "y2": "_y1:Q",
        }
    return (
        alt.Chart(frame, title=title or "")
        .mark_rect()
        .encode(color=colour, tooltip=tooltip, **encoding)
        .properties(width=size, height=size)
    )


def bar_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str | None = None,
    value_title: str | None = None,
    category_title: str | None = None,
    sort_descending: bool = True,
    log_scale: bool = False,
    height: int | None = None,
    colour: str = "#0b5394",
) -> alt.Chart:
    """Horizontal bars, e.g. top-k class probabilities or parameter counts."""
    encoding: dict[str, Any] = {
        "y": alt.Y(
            f"{category}:N",
            title=category_title or None,
            sort="-x" if sort_descending else None,
            axis=alt.Axis(labelLimit=400),
        ),
        "tooltip": [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=".4g")],
    }
    if log_scale:
        # a bar on a log axis cannot start at 0: start it a decade below the smallest value
        smallest = float(frame[value].min()) if len(frame) else 1.0
        floor = 10 ** math.floor(math.log10(smallest) - 1) if smallest > 0 else 1.0
        encoding["x"] = alt.X(
            f"{value}:Q",
            title=value_title or value,
            scale=alt.Scale(type="log", domainMin=floor),
            axis=alt.Axis(format="~s", values=[10**k for k in range(0, 16)]),
        )
        encoding["x2"] = alt.datum(floor)
    else:
        encoding["x"] = alt.X(f"{value}:Q", title=value_title or value)
    chart = alt.Chart(frame, title=title or "").mark_bar(color=colour).encode(**encoding)
    return chart.properties(height=height) if height else chart
