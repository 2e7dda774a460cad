"""Shallow to deep: one, two and three hidden layers at a comparable parameter budget."""

import functools

import streamlit as st

from course_lib import approximation as ap
from course_lib import budget, ui

PREFIX = ap.PAGE_SETTINGS[ap.DepthSettings]  # "depth_"


def show(points: ap.Points) -> None:
    ui.require_tensorflow()
    st.markdown("Deep networks stack the same thing: one, two and three hidden layers.")
    for formula in ap.DEPTH_FORMULAS:
        st.latex(formula)
    columns = st.columns(3, vertical_alignment="bottom")
    depth_widget = functools.partial(
        ui.setting_widget, settings_class=ap.DepthSettings, prefix=PREFIX
    )
    depth_widget(columns[0].number_input, name="budget", label="Parameters (about)", step=50)
    depth_widget(columns[1].number_input, name="epochs", label="Epochs", step=100)
    depth = ui.settings_from_widgets(ap.DepthSettings, PREFIX)
    fit = ui.settings_from_widgets(ap.FitSettings, ap.PAGE_SETTINGS[ap.FitSettings])
    cost = budget.width_sweep((max(1, depth.budget // 3),) * 3, depth.epochs, len(points.x))
    clicked = columns[2].button("Train the three networks", type="primary")
    if clicked and (refusal := budget.check(cost)):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
    elif clicked:
        st.session_state.depth_result = ui.run_with_progress(ap.compare_depths, points, depth, fit)
    if (result := st.session_state.get("depth_result")) is not None:
        summary, curves = result
        for column, row in zip(st.columns(3), summary.itertuples(), strict=True):
            with column:
                ui.chart(ap.depth_chart(curves, row))
                st.caption(f"{row.parameters} parameters · MSE {row.mse:.2e}")
        st.dataframe(summary.rename(columns=ap.COLUMN_TITLES), hide_index=True)
    target = ui.settings_from_widgets(ap.TargetSettings, ap.PAGE_SETTINGS[ap.TargetSettings])
    ui.notebook_download(
        functools.partial(ap.depth_notebook_cells, depth, fit, target),
        title="Fundamentals: from shallow to deep",
        file_name="fundamentals-shallow-to-deep.ipynb",
        key="depth_notebook",
    )
    ui.show_code(ap.layers_for_budget, ap.compare_depths)
