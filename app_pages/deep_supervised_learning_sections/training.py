"""Training: the live panel, the decision boundary and the gradient norms as it learns."""

import hashlib
import json

import altair as alt
import numpy as np
import streamlit as st

from app_pages.deep_supervised_learning_sections import PREFIX
from course_lib import charts as course_charts
from course_lib import classroom, ui
from course_lib.deep_supervised_learning.charts import (
    NORMS,
    boundary_chart,
    boundary_frame,
    boundary_image,
    gradient_frame,
    gradient_layers,
    gradient_layout,
)
from course_lib.deep_supervised_learning.data import Dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lab import notebook_cells
from course_lib.training import learning_curves_frame

#: Side of the square decision boundary, in pixels (presentation mode scales it up).
BOUNDARY_PIXELS = 220

#: Seconds of training between two redraws of the boundary (the panel's chunk length):
#: short, so the boundary moves several times a second. The live driver trains faster
#: than a plain ``model.fit`` (benchmarks/playground.py), which pays for the redraws; while
#: other students wait for a core, the chunk is the class's turn length instead
#: (course_lib/sharing.py). Measured with benchmarks/live.py: see benchmarks/RESULTS.md.
CHUNK_SECONDS = 0.07


def square(chart, pixels: int = BOUNDARY_PIXELS):
    """``chart`` at a fixed square size (a stretched boundary distorts the plane)."""
    scale = ui.PRESENTATION_CHART_SCALE if ui.presenting() else 1.0
    side = int(pixels * scale)
    sized = chart.properties(width=side, height=side, autosize=alt.AutoSizeParams(type="pad"))
    # the legend below the plane: beside it, it would squeeze the plane in a narrow column
    return course_charts.readable(sized, scale).configure_legend(
        orient="bottom", direction="horizontal"
    )


#: Stands for the regions' picture in a boundary spec built once per run (see below).
IMAGE_PLACEHOLDER = "data:image/png;base64,REGIONS"
#: The boundary spec's one data set that a redraw changes: the regions' picture and the
#: title. The layout around it stays the same string, so the browser swaps the data into
#: the chart it has instead of building the chart again (Streamlit's Vega-Lite element does
#: that when only named data sets change): a redraw costs it a frame, not a new chart.
REGIONS = "regions"


def fingerprint(data: Dataset) -> str:
    """A short hash of the points and names: two students' equal data sets share it."""
    digest = hashlib.sha1()
    for array in (data.x_train, data.y_train, data.x_test, data.y_test):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update("\x00".join((data.name, *data.class_names)).encode())
    return digest.hexdigest()


@st.cache_resource(max_entries=32, show_spinner=False, hash_funcs={Dataset: fingerprint})
def boundary_layout(data: Dataset, presenting: bool) -> str:
    """The boundary chart of ``data`` as Vega-Lite JSON, the regions a named data set.

    Built once per data set for the whole class (students with the same settings have the
    same points); a shared, immutable string. The regions' layer reads the data set
    :data:`REGIONS` (one row: the picture's centre, the picture, the title), and the
    chart's title is that row's. Not checked against the schema each time: the chart tests
    check :func:`boundary_chart`. ``presenting`` keys presentation mode.
    """
    chart = boundary_chart(None, data, image=IMAGE_PLACEHOLDER)  # no frame: the image is given
    spec = square(chart).to_dict(validate=False)
    regions = next(
        name for name, rows in spec["datasets"].items() if rows[0].get("image") == IMAGE_PLACEHOLDER
    )
    spec["datasets"][REGIONS] = spec["datasets"].pop(regions)
    spec["title"] = {"text": {"expr": f"data('{REGIONS}')[0].title"}}
    return json.dumps(spec).replace(f'"{regions}"', f'"{REGIONS}"')


def boundary_spec(frame, data: Dataset, title: str) -> dict:
    """The boundary chart as a Vega-Lite spec: the shared layout, with this network's
    regions and title in its :data:`REGIONS` data set (milliseconds, not the 60 of a new chart)."""
    spec = json.loads(boundary_layout(data, ui.presenting()))
    (row,) = spec["datasets"][REGIONS]
    row.update(image=boundary_image(frame, data), title=title)
    return spec


def show(trainer, settings: PlaygroundSettings, data: Dataset, csv_name: str | None):
    def live_view(trainer) -> None:
        """Drawn inside the training fragment: it moves as the network learns."""
        boundary, curves = st.columns([7, 4], gap="small")
        with boundary:
            frame = boundary_frame(trainer.model, data, resolution=60)
            title = f"Decision boundary, {classroom.count(trainer.epochs_done, 'epoch')}"
            st.vega_lite_chart(boundary_spec(frame, data, title), width="content", theme=None)
            st.caption(
                "Background: the class the network predicts, paler where it is unsure. "
                "Circles: training points. Hollow diamonds: test points."
            )
        with curves:
            if trainer.history:
                rows = learning_curves_frame(trainer.history)
                previous = getattr(trainer, "previous_history", None)
                ghost = learning_curves_frame(previous) if previous else None
                for metric in ("loss", "accuracy"):
                    ui.live_learning_curves(rows, metric, previous=ghost, height=190)
                st.caption(
                    "*validation* is the held-out **test** points: the network never trains "
                    "on them. A growing gap between the two is overfitting."
                )
            else:
                st.caption("The loss and accuracy curves appear here once training starts.")
        norms = gradient_frame(trainer.history)
        if len(norms):
            with st.expander("Gradient norm per layer", expanded=True):
                ui.chart_from_layout(
                    gradient_layout, gradient_layers(norms), 320, datasets={NORMS: norms}
                )
                st.caption(
                    "How strongly the loss pulls on each layer's weights. Curves far below "
                    "the output's mean the first layers barely learn: vanishing gradients."
                )

    ui.training_panel(
        trainer,
        key=PREFIX + "train",
        metrics=(),
        live_view=live_view,
        step_button=True,
        chunk_seconds=CHUNK_SECONDS,
    )
    ui.lab_downloads(
        trainer,
        lambda: notebook_cells(settings, csv_name=csv_name),
        title=f"Deep supervised learning playground: {settings.dataset}",
        file_name="playground.ipynb",
        name="playground",
        key=PREFIX,
    )
