"""Chapter 1, Fundamentals: a network is "just a function", learnt by backpropagation.

The page sets up the target y = f*(x) and the classroom pieces, then opens one tab per
section of the lesson. Each section's view is a module in ``app_pages/fundamentals_sections``:
by hand, by training, the width sweep, shallow to deep, and backpropagation.
"""

import streamlit as st

from app_pages.fundamentals_sections import (
    backpropagation,
    by_hand,
    by_training,
    shallow_to_deep,
    width_sweep,
)
from course_lib import ui
from course_lib.fundamentals import approximation as ap

PREFIX = ap.PAGE_SETTINGS[ap.TargetSettings]  # "fit_": the target travels with the fit

st.title("Fundamentals: a network is just a function")
st.markdown(
    "A network with one hidden layer adds up simple steps, and enough of them can trace "
    "any curve: first you place them by hand, then backpropagation finds them for you. "
    "Last, you follow every derivative of the backward pass through a tiny network."
)
st.latex(r"\tilde y = w \cdot g\big(W^{(1)} x + b^{(1)}\big) + b = \sum_j w_j\, g(W_j x + b_j) + b")

# A shared link's values (once per visit), then every section's settings kept in the
# session, so the walkthrough and the link see them even while their tab is closed.
ui.shared_settings(ap.PAGE_SETTINGS)
ui.remember_settings(ap.PAGE_SETTINGS)
ui.walkthrough(
    ap.WALKTHROUGH,
    key="walkthrough",
    experiments=ap.PAGE_SETTINGS,
    section_key="fundamentals_section",
)
ui.share_link(
    *((ui.settings_from_widgets(cls, prefix), prefix) for cls, prefix in ap.PAGE_SETTINGS.items())
)

# -- The target -------------------------------------------------------------------------
st.header("The target y = f*(x)", divider="gray")
left, right = st.columns([1, 2])
ui.setting_widget(left.selectbox, ap.TargetSettings, "target", "Target function", prefix=PREFIX)
target_name = st.session_state["fit_target"]
uploaded = None
with right:
    if target_name == ap.FORMULA:
        ui.setting_widget(st.text_input, ap.TargetSettings, "formula", "y = ", prefix=PREFIX)
        low_column, high_column = st.columns(2)
        ui.setting_widget(
            low_column.number_input, ap.TargetSettings, "low", "from x =", prefix=PREFIX
        )
        ui.setting_widget(
            high_column.number_input, ap.TargetSettings, "high", "to x =", prefix=PREFIX
        )
    elif target_name == ap.CSV:
        file = st.file_uploader(
            "CSV of (x, y) rows",
            type=["csv", "txt"],
            key="fit_csv",
            help=f"Two columns x and y, a header row is optional. Up to "
            f"{ap.MAX_CSV_BYTES // 2**20} MB; more than {ap.MAX_POINTS:,} points are "
            "down-sampled evenly.",
        )
        if file is not None:
            # parse each upload once, not on every rerun
            if st.session_state.get("fit_csv_parsed", (None,))[0] != file.file_id:
                try:
                    parsed = ap.read_csv_points(file.getvalue(), file.name)
                except ValueError as error:
                    parsed = (None, [str(error)])
                st.session_state.fit_csv_parsed = (file.file_id, parsed)
            uploaded, notices = st.session_state.fit_csv_parsed[1]
            for notice in notices:
                if uploaded is None:
                    st.error(notice, icon=":material/error:")
                else:
                    st.info(notice, icon=":material/info:")
    else:
        st.latex(ap.TARGETS[target_name].latex)
try:
    points = ap.target_points(ui.settings_from_widgets(ap.TargetSettings, PREFIX), uploaded)
except ValueError as error:
    if target_name != ap.CSV or st.session_state.get("fit_csv") is None:
        right.error(str(error), icon=":material/error:")
    st.stop()
plot_x = ap.plot_grid(points)

# -- The sections: only the open tab runs -------------------------------------------------
tabs = st.tabs(list(ap.SECTIONS), key="fundamentals_section", on_change="rerun")
sections = {
    "By hand": lambda: by_hand.show(points, plot_x),
    "By training": lambda: by_training.show(points, plot_x),
    "Width sweep": lambda: width_sweep.show(points),
    "Shallow to deep": lambda: shallow_to_deep.show(points),
    "Backpropagation": backpropagation.show,
}
for tab, label in zip(tabs, ap.SECTIONS, strict=True):
    with tab:
        if tab.open:
            sections[label]()

ui.quiz(ap.QUIZ, key="fundamentals_quiz")
