"""Look at what the network learnt: the decision boundary, each hidden neuron, the gradients.

Each chart has a frame builder (a pandas DataFrame, tested on its own) and an Altair
builder: :func:`boundary_frame` / :func:`boundary_chart`, :func:`neuron_frame` /
:func:`neuron_chart`, :func:`gradient_frame` / :func:`gradient_chart`.
"""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course_lib.charts import with_data
from course_lib.deep_supervised_learning.data import Dataset
from course_lib.deep_supervised_learning.model import grid_points, hidden_outputs, predict

#: Class colours (colour-blind friendly, Tableau 10), the same for regions and points.
CLASS_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def boundary_frame(model, data: Dataset, resolution: int = 60) -> pd.DataFrame:
    """The predicted class and its probability at each cell of a grid over the data.

    Columns: ``x1``, ``x2`` (cell centre), ``predicted`` (class name) and
    ``confidence`` (its probability, from 1/classes to 1). ``resolution²`` rows.
    """
    points = grid_points(data.extent, resolution)
    probabilities = predict(model, points)
    return pd.DataFrame(
        {
            "x1": points[:, 0],
            "x2": points[:, 1],
            "predicted": pd.Categorical.from_codes(
                probabilities.argmax(axis=1), categories=list(data.class_names)
            ),
            "confidence": probabilities.max(axis=1),
        }
    )


def points_frame(data: Dataset) -> pd.DataFrame:
    """Train and test points, one row each: ``x1``, ``x2``, ``label`` (name), ``split``."""
    names = np.asarray(data.class_names)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "x1": x[:, 0],
                    "x2": x[:, 1],
                    "label": names[y],
                    "split": split,
                }
            )
            for x, y, split in (
                (data.x_train, data.y_train, "train"),
                (data.x_test, data.y_test, "test"),
            )
        ],
        ignore_index=True,
    )


#: Opacity of a region's colour over white: at a guess (1/classes), and when certain.
REGION_OPACITY = (0.05, 0.6)
#: Screen pixels per grid cell side in the boundary image (crisp cells, not a blur).
CELL_PIXELS = 4


def png_data_url(rgb: np.ndarray) -> str:
    """An ``(height, width, 3)`` uint8 image as a ``data:image/png`` URL (no imaging library).

    A PNG is a signature and three chunks (header, zlib-compressed rows each led by a 0
    "no filter" byte, end), each chunk with its length and CRC.
    """
    height, width, _ = rgb.shape

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, -1)], axis=1)
    png = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    )
    png += chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def boundary_image(frame: pd.DataFrame, data: Dataset) -> str:
    """The regions as one picture: each grid cell in its predicted class's colour over
    white, paler where the network is unsure (a PNG data URL, x₂ growing upwards).

    One image mark is far cheaper to send and to draw than a rectangle per cell, so the
    boundary can be redrawn several times a second while the network trains.
    """
    resolution = max(2, int(round(np.sqrt(len(frame)))))
    colours = np.array(
        [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLOURS[: data.classes]],
        dtype=np.float64,
    )
    classes = frame["predicted"].cat.codes.to_numpy()
    guess = 1 / data.classes
    certainty = np.clip((frame["confidence"].to_numpy() - guess) / (1 - guess), 0, 1)
    low, high = REGION_OPACITY
    alpha = (low + (high - low) * certainty)[:, None]
    rgb = 255 * (1 - alpha) + colours[classes] * alpha
    grid = rgb.reshape(resolution, resolution, 3)[::-1]  # row 0 of the image: the top
    cells = np.repeat(np.repeat(grid, CELL_PIXELS, axis=0), CELL_PIXELS, axis=1)
    return png_data_url(np.round(cells).astype(np.uint8))


def boundary_chart(
    frame: pd.DataFrame,
    data: Dataset,
    *,
    title: str = "",
    size: int = 520,
    image: str | None = None,
) -> alt.Chart:
    """The decision boundary behind the points.

    Each grid cell is coloured by the class the network predicts there, paler where it
    is unsure (one picture, :func:`boundary_image`); training points are filled circles
    with a dark outline, test points hollow diamonds outlined in the colour of their true
    class. ``image``: the regions' picture, if already made (or a placeholder to fill in).
    """
    extent = data.extent
    colours = alt.Scale(domain=list(data.class_names), range=list(CLASS_COLOURS[: data.classes]))
    x_scale = alt.Scale(domain=[extent[0], extent[1]], nice=False, zero=False)
    y_scale = alt.Scale(domain=[extent[2], extent[3]], nice=False, zero=False)
    picture = pd.DataFrame(
        {
            "x1": [(extent[0] + extent[1]) / 2],
            "x2": [(extent[2] + extent[3]) / 2],
            "image": [image or boundary_image(frame, data)],
        }
    )
    regions = (
        alt.Chart(picture)
        # the picture fills the plot: centred, as wide and as tall as the plot itself
        .mark_image(width=alt.ExprRef("width"), height=alt.ExprRef("height"), aspect=False)
        .encode(
            x=alt.X("x1:Q", title="x₁", scale=x_scale, axis=alt.Axis(tickMinStep=0.5)),
            y=alt.Y("x2:Q", title="x₂", scale=y_scale, axis=alt.Axis(tickMinStep=0.5)),
            url="image:N",
        )
    )
    points = (
        alt.Chart(points_frame(data))
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            x=alt.X("x1:Q", scale=x_scale),
            y=alt.Y("x2:Q", scale=y_scale),
            color=alt.Color("label:N", scale=colours, title="class", legend=alt.Legend()),
            # train points: filled, dark outline; test points: an outline in their class colour
            stroke=alt.condition(
                "datum.split == 'test'",
                alt.Stroke("label:N", scale=colours, legend=None),
                alt.value("#222"),
            ),
            strokeWidth=alt.condition("datum.split == 'test'", alt.value(2.5), alt.value(1)),
            shape=alt.Shape(
                "split:N",
                title="points",
                scale=alt.Scale(domain=["train", "test"], range=["circle", "diamond"]),
            ),
            fillOpacity=alt.FillOpacity(
                "split:N", scale=alt.Scale(domain=["train", "test"], range=[1, 0]), legend=None
            ),
            tooltip=[
                alt.Tooltip("x1:Q", title="x₁", format=".2f"),
                alt.Tooltip("x2:Q", title="x₂", format=".2f"),
                alt.Tooltip("label:N", title="true class"),
                alt.Tooltip("split:N", title="set"),
            ],
        )
    )
    return alt.layer(regions, points, title=title).properties(width=size, height=size)


def neuron_frame(
    model, data: Dataset, *, resolution: int = 24, max_layers: int = 2, max_neurons: int = 8
) -> pd.DataFrame:
    """Each hidden neuron's output over the plane, for the small-multiples chart.

    Columns: ``layer``, ``neuron`` (1-based), ``row``, ``column`` (grid cell indices;
    row 0 at the top), ``output`` (the activation) and ``scaled`` (the output mapped
    from that neuron's own lowest..highest value on the grid to [-1, 1], so every
    neuron's pattern is visible whatever its scale; 0 for a constant, "dead" neuron).
    At most ``max_neurons`` per layer.
    """
    points = grid_points(data.extent, resolution)
    rows = np.repeat(np.arange(resolution)[::-1], resolution)  # x₂ grows upwards
    columns = np.tile(np.arange(resolution), resolution)
    frames = []
    for layer_index, outputs in enumerate(hidden_outputs(model, points, max_layers), start=1):
        for neuron in range(min(max_neurons, outputs.shape[1])):
            values = outputs[:, neuron]
            low, high = float(values.min()), float(values.max())
            spread = high - low
            frames.append(
                pd.DataFrame(
                    {
                        "layer": f"layer {layer_index}",
                        "neuron": neuron + 1,
                        "row": rows,
                        "column": columns,
                        "output": values,
                        # a dead (constant) neuron stays white
                        "scaled": 2 * (values - low) / spread - 1 if spread > 1e-9 else 0 * values,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def neuron_chart(frame: pd.DataFrame, *, cell: int = 4) -> alt.Chart:
    """Small heatmaps, one per hidden neuron: a row per layer, a column per neuron.

    Orange where the neuron's output is at its highest over the plane, blue where it is
    at its lowest, white for a neuron that outputs the same everywhere (dead).
    """
    resolution = int(frame["column"].max()) + 1
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("column:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "scaled:Q",
                title="neuron output",
                scale=alt.Scale(scheme="blueorange", domain=[-1, 1]),
                legend=alt.Legend(
                    orient="bottom",
                    gradientLength=240,
                    values=[-1, 1],
                    labelExpr="datum.value < 0 ? 'lowest' : 'highest'",
                ),
            ),
            tooltip=[
                alt.Tooltip("layer:N"),
                alt.Tooltip("neuron:O"),
                alt.Tooltip("output:Q", format=".3f"),
            ],
        )
        .properties(width=cell * resolution, height=cell * resolution)
        .facet(
            row=alt.Row("layer:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            column=alt.Column("neuron:O", title="neuron"),
            spacing=6,
        )
    )


def gradient_frame(history: list[dict[str, Any]]) -> pd.DataFrame:
    """Gradient norms per layer and epoch: columns ``epoch``, ``layer``, ``norm``."""
    records = [
        {
            "epoch": row["epoch"],
            "layer": "output" if key == "grad_norm_output" else f"layer {key.rsplit('_', 1)[1]}",
            "norm": value,
        }
        for row in history
        for key, value in row.items()
        if key.startswith("grad_norm_") and value > 0
    ]
    return pd.DataFrame.from_records(records, columns=["epoch", "layer", "norm"])


#: The named data set of the gradient chart's rows (:func:`gradient_frame`).
NORMS = "norms"


def gradient_chart(frame: pd.DataFrame, *, height: int = 360) -> alt.Chart:
    """Each layer's gradient norm against the epoch, on a log axis.

    :func:`gradient_layout` with the rows as its data set :data:`NORMS` (a live panel
    keeps the layout and sends only the rows)."""
    return with_data(gradient_layout(gradient_layers(frame), height), {NORMS: frame})


def gradient_layers(frame: pd.DataFrame) -> tuple[str, ...]:
    """The layers in the chart's order: from the first, the output last."""
    return tuple(sorted(frame["layer"].unique(), key=lambda name: (name == "output", name)))


def gradient_layout(layers: tuple[str, ...], height: int = 360) -> alt.Chart:
    """The gradient chart without its rows, for the layers ``layers``."""
    return (
        alt.Chart(alt.NamedData(NORMS), title="Gradient norm per layer")
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X("epoch:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(
                "norm:Q",
                title="‖∂loss/∂W‖",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format="~e"),
            ),
            color=alt.Color(
                "layer:N",
                title=None,
                sort=list(layers),
                scale=alt.Scale(scheme="viridis"),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=["epoch:Q", "layer:N", alt.Tooltip("norm:Q", format=".3g")],
        )
        .properties(height=height)
    )
