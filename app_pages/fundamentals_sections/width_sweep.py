"""Width sweep: more hidden units, smaller error, on log-log axes."""

import functools

import streamlit as st

from course_lib import approximation as ap
from course_lib import budget, ui

PREFIX = ap.PAGE_SETTINGS[ap.SweepSettings]  # "sweep_"


def show(points: ap.Points) -> None:
    ui.require_tensorflow()
    st.markdown(
        "More hidden units, smaller error: train one network per width (with the "
        "activation, optimizer and learning rate of *By training*) and compare."
    )
    columns = st.columns([2, 1, 1], vertical_alignment="bottom")
    ui.setting_widget(columns[0].text_input, ap.SweepSettings, "widths", "Widths", prefix=PREFIX)
    ui.setting_widget(
        columns[1].number_input,
        ap.SweepSettings,
        "epochs",
        "Epochs per width",
        prefix=PREFIX,
        step=100,
    )
    sweep = ui.settings_from_widgets(ap.SweepSettings, PREFIX)
    fit = ui.settings_from_widgets(ap.FitSettings, ap.PAGE_SETTINGS[ap.FitSettings])
    try:
        widths = ap.parse_widths(sweep.widths)
    except ValueError as error:
        st.error(str(error), icon=":material/error:")
        widths = ()
    clicked = columns[2].button("Train all widths", type="primary", disabled=not widths)
    if clicked and (
        refusal := budget.check(budget.width_sweep(widths, sweep.epochs, len(points.x)))
    ):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
    elif clicked:
        st.session_state.sweep_result = ui.run_with_progress(
            ap.width_sweep, points, widths, fit, sweep.epochs
        )
    result = st.session_state.get("sweep_result")
    if result is not None:
        ui.chart(ap.sweep_chart(result))
        st.dataframe(result.rename(columns=ap.COLUMN_TITLES), hide_index=True)
    if widths:
        target = ui.settings_from_widgets(ap.TargetSettings, ap.PAGE_SETTINGS[ap.TargetSettings])
        ui.notebook_download(
            functools.partial(ap.sweep_notebook_cells, sweep, fit, target),
            title="Fundamentals: more hidden units, smaller error",
            file_name="fundamentals-width-sweep.ipynb",
            key="sweep_notebook",
        )
    ui.show_code(ap.width_sweep)
