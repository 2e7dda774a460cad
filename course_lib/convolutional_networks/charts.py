"""The chapter's Altair charts: the convolution explainer and the confusion matrix."""

from __future__ import annotations

import numpy as np

from course_lib.convolutional_networks.convolution import convolve2d, pool2d


def pixel_chart(values: np.ndarray, *, title: str, scheme: str = "greys", size: int = 260):
    """An image as an Altair grid of cells with a tooltip of each value (row 0 on top)."""
    import altair as alt
    import pandas as pd

    rows, cols = values.shape
    frame = pd.DataFrame(
        {
            "row": np.repeat(np.arange(rows), cols),
            "column": np.tile(np.arange(cols), rows),
            "value": values.reshape(-1).astype(float),
        }
    )
    centred = scheme in ("redblue", "blueorange")
    limit = float(np.abs(values).max()) or 1.0
    scale = (
        alt.Scale(scheme=scheme, domain=[-limit, limit], reverse=scheme == "redblue")
        if centred
        else alt.Scale(scheme=scheme, reverse=scheme == "greys")
    )
    axis = alt.Axis(labels=False, ticks=False, title=None)
    return (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("column:O", axis=axis),
            y=alt.Y("row:O", axis=axis),
            color=alt.Color("value:Q", scale=scale, legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["row:O", "column:O", alt.Tooltip("value:Q", format=".3g")],
        )
        .properties(width=size, height=size)
    )


def convolution_demo(
    image: np.ndarray, kernel: np.ndarray, stride: int, padding: str, pooling: str
):
    """The explainer: input, kernel, feature map (and pooled map) side by side.

    Args:
        image: ``(h, w)`` grey values in [0, 1].
        pooling: ``"max"``, ``"average"`` or ``"none"``.

    Returns:
        ``(chart, shapes)``: an Altair chart and a sentence with the shapes it produced.
    """
    import altair as alt

    feature_map = convolve2d(image, kernel, stride=stride, padding=padding)
    rows, cols = feature_map.shape
    k = kernel.shape[0]
    charts = [
        pixel_chart(image, title=f"Input {image.shape[0]}×{image.shape[1]}", size=210),
        pixel_chart(kernel, title=f"Kernel {k}×{k}", scheme="redblue", size=110),
        pixel_chart(feature_map, title=f"Feature map {rows}×{cols}", scheme="redblue", size=210),
    ]
    shapes = (
        f"{image.shape[0]}×{image.shape[1]} input, {k}×{k} kernel, stride {stride}, "
        f"'{padding}' padding → {rows}×{cols} feature map"
    )
    if pooling != "none" and min(rows, cols) >= 2:
        pooled = pool2d(feature_map, 2, pooling)
        title = f"{pooling.capitalize()} pooled {pooled.shape[0]}×{pooled.shape[1]}"
        charts.append(pixel_chart(pooled, title=title, scheme="redblue", size=140))
        shapes += f" → 2×2 {pooling} pooling → {pooled.shape[0]}×{pooled.shape[1]}"
    return alt.hconcat(*charts, spacing=30).resolve_scale(color="independent"), shapes + "."


def confusion_chart(confusion: np.ndarray, class_names: tuple[str, ...], size: int = 460):
    """The confusion matrix as a clickable heat map.

    A click on a mistake cell (or its number) selects that (true, predicted) pair: the
    selection parameters are named ``cell`` and ``cell_label``.
    """
    import altair as alt
    import pandas as pd

    n = len(class_names)
    frame = pd.DataFrame(
        {
            "true": np.repeat(class_names, n),
            "predicted": np.tile(class_names, n),
            "count": confusion.reshape(-1),
            "correct": np.eye(n, dtype=bool).reshape(-1),
        }
    )
    cell = alt.selection_point(fields=["true", "predicted"], name="cell")
    order = list(class_names)
    base = alt.Chart(frame).encode(
        x=alt.X("predicted:N", sort=order, title="predicted class", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("true:N", sort=order, title="true class"),
        tooltip=["true:N", "predicted:N", "count:Q"],
    )
    # white: never confused; green: right answers; orange, darker with more mistakes
    cells = base.mark_rect(stroke="#bbbbbb", color="white")
    right = base.mark_rect(color="#b6d7a8").transform_filter("datum.correct && datum.count > 0")
    wrong = (
        base.mark_rect()
        .transform_filter("!datum.correct && datum.count > 0")
        .encode(
            color=alt.Color(
                "count:Q",
                scale=alt.Scale(scheme="oranges", domainMin=0),
                title="mistakes",
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            opacity=alt.condition(cell, alt.value(1.0), alt.value(0.6)),
        )
        .add_params(cell)
    )
    text = base.mark_text(fontSize=15 if n <= 10 else 10).transform_filter("datum.count > 0")
    label = alt.selection_point(fields=["true", "predicted"], name="cell_label")
    text = text.encode(text="count:Q").add_params(label)  # a click on the number counts too
    return alt.layer(cells, right, wrong, text, title="Confusion matrix (click a cell)").properties(
        width=size, height=size
    )
