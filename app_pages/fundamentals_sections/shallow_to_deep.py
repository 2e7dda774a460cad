"""Shallow to deep: one, two and three hidden layers at a comparable parameter budget."""

import functools

import streamlit as st

from app_pages.fundamentals_sections import COLUMN_TITLES
from course_lib import budget, ui
from course_lib.fundamentals import charts, lab, lesson
from course_lib.fundamentals import sweep as sw
from course_lib.fundamentals.network import FitSettings
from course_lib.fundamentals.targets import Points, TargetSettings

#: The charts' height: the loss above the three fits, all under the Start button, on a
#: 1366 × 768 screen too.
CHART_HEIGHT = 220


def draw_depths(training: sw.SweepTraining) -> None:
    """Live view: each network's loss as it trains, then each fit beside the target."""
    if training.history:
        ui.chart(charts.sweep_loss_chart(training.history, height=CHART_HEIGHT))
    if not training.rows:
        return
    summary, curves = training.table(), sw.depth_curves(training)
    for column, row in zip(st.columns(3), summary.itertuples(), strict=False):
        with column:
            layers = "layer" if row.hidden_layers == 1 else "layers"
            title = f"{row.hidden_layers} hidden {layers}"  # the widths go in the caption
            ui.chart(charts.depth_chart(curves, row).properties(height=CHART_HEIGHT, title=title))
            st.caption(f"{row.layers} · {row.parameters} parameters · MSE {row.mse:.2e}")
    st.dataframe(summary.rename(columns=COLUMN_TITLES), hide_index=True)


def show(controls: ui.Controls, points: Points) -> None:
    ui.require_tensorflow()
    st.markdown("Deep networks stack the same thing: one, two and three hidden layers.")
    for formula in lesson.DEPTH_FORMULAS:
        st.latex(formula)
    # the knobs beside the picture (TensorFlow Playground's columns): knobs | Start + charts
    knobs, picture = st.columns([1, 3])
    controls.widget(knobs.number_input, sw.DepthSettings, "budget")
    controls.widget(knobs.number_input, sw.DepthSettings, "epochs")
    depth = controls.settings(sw.DepthSettings)
    fit = controls.settings(FitSettings)
    cost = budget.width_sweep((max(1, depth.budget // 3),) * 3, depth.epochs, len(points.x))
    if refusal := budget.check(cost):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
        return
    training = ui.session_trainer(
        "depth_trainer",
        (depth, fit, points.fingerprint),
        lambda: sw.depth_training(points, depth, fit),
    )
    with picture:
        ui.training_panel(training, key="depth", metrics=(), live_view=draw_depths)
    ui.notebook_download(
        functools.partial(lab.depth_notebook_cells, depth, fit, controls.settings(TargetSettings)),
        title="Fundamentals: from shallow to deep",
        file_name="fundamentals-shallow-to-deep.ipynb",
        key="depth_notebook",
    )
    ui.show_code(sw.layers_for_budget, sw.depth_training)
