"""Width sweep: more hidden units, smaller error, on log-log axes (trained live)."""

import functools

import streamlit as st

from app_pages.fundamentals_sections import COLUMN_TITLES
from course_lib import budget, ui
from course_lib.fundamentals import charts, lab
from course_lib.fundamentals import sweep as sw
from course_lib.fundamentals.network import FitSettings
from course_lib.fundamentals.targets import Points, TargetSettings

#: The charts' height: the loss and the error-against-width charts side by side, under
#: the Start button, on a 1366 × 768 screen too.
CHART_HEIGHT = 300


def draw_sweep(training: sw.SweepTraining) -> None:
    """Live view: each network's loss as it trains beside the errors of those done."""
    if training.current is not None and training.history:
        st.caption(
            f"Network {training.networks_done + 1} of {len(training.networks)}: "
            f"{training.current[0]} hidden units"
        )
    loss, errors = st.columns(2)  # both under the Start button
    if training.history:
        with loss:
            loss_chart = charts.sweep_loss_chart(training.history, height=CHART_HEIGHT)
            ui.chart(loss_chart.properties(title="Loss while each trains"))  # half a row wide
    if training.rows:
        with errors:
            ui.chart(charts.sweep_chart(training.table()).properties(height=CHART_HEIGHT))
        st.dataframe(training.table().rename(columns=COLUMN_TITLES), hide_index=True)


def show(controls: ui.Controls, points: Points) -> None:
    ui.require_tensorflow()
    st.markdown(
        "More hidden units, smaller error: train one network per width (with the "
        "activation, optimizer and learning rate of *By training*) and compare."
    )
    # the knobs beside the picture (TensorFlow Playground's columns): knobs | Start + charts
    knobs, picture = st.columns([1, 3])
    controls.widget(knobs.text_input, sw.SweepSettings, "widths")
    controls.widget(knobs.number_input, sw.SweepSettings, "epochs")
    sweep = controls.settings(sw.SweepSettings)
    fit = controls.settings(FitSettings)
    try:
        widths = sw.parse_widths(sweep.widths)
    except ValueError as error:
        st.error(str(error), icon=":material/error:")
        widths = ()
    if widths and (
        refusal := budget.check(budget.width_sweep(widths, sweep.epochs, len(points.x)))
    ):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
        widths = ()
    if widths:
        training = ui.session_trainer(
            "sweep_trainer",
            (widths, sweep.epochs, fit, points.fingerprint),
            lambda: sw.width_sweep_training(points, widths, fit, sweep.epochs),
        )
        with picture:
            ui.training_panel(training, key="sweep", metrics=(), live_view=draw_sweep)
        ui.notebook_download(
            functools.partial(
                lab.sweep_notebook_cells, sweep, fit, controls.settings(TargetSettings)
            ),
            title="Fundamentals: more hidden units, smaller error",
            file_name="fundamentals-width-sweep.ipynb",
            key="sweep_notebook",
        )
    ui.show_code(sw.SweepTraining._train, sw.width_row)
