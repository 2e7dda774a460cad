"""Chapter 1, Fundamentals: a network is "just a function", learnt by backpropagation.

The page sets up the target y = f*(x) and the classroom pieces, then opens one tab per
section of the lesson. Each section's view is a module in ``app_pages/fundamentals_sections``:
by hand, by training, the width sweep, shallow to deep, and backpropagation.
"""

import streamlit as st

from app_pages.fundamentals_sections import (
    EXPERIMENTS,
    SECTIONS,
    backpropagation,
    by_hand,
    by_training,
    shallow_to_deep,
    width_sweep,
)
from course_lib import ui
from course_lib.fundamentals import charts, lesson
from course_lib.fundamentals import targets as tg

st.title("Fundamentals: a network is just a function")
st.markdown(
    "A network with one hidden layer adds up simple steps, and enough of them can trace "
    "any curve: first you place them by hand, then backpropagation finds them for you. "
    "Last, you follow every derivative of the backward pass through a tiny network."
)
st.latex(r"\tilde y = w \cdot g\big(W^{(1)} x + b^{(1)}\big) + b = \sum_j w_j\, g(W_j x + b_j) + b")

# A shared link's values (once per visit), then every section's settings kept in the
# session, so the walkthrough and the link see them even while their tab is closed.
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(
    lesson.WALKTHROUGH,
    key="walkthrough",
    controls=controls,
    section_key="fundamentals_section",
)
controls.share_link()

# -- The target -------------------------------------------------------------------------
st.header("The target y = f*(x)", divider="gray")
left, right = st.columns([1, 2])
controls.widget(left.selectbox, tg.TargetSettings, "target")
target_name = controls.settings(tg.TargetSettings).target
uploaded = None
with right:
    if target_name == tg.FORMULA:
        controls.widget(st.text_input, tg.TargetSettings, "formula")
        low_column, high_column = st.columns(2)
        controls.widget(low_column.number_input, tg.TargetSettings, "low")
        controls.widget(high_column.number_input, tg.TargetSettings, "high")
    elif target_name == tg.CSV:
        file = st.file_uploader(
            "CSV of (x, y) rows",
            type=["csv", "txt"],
            key="fit_csv",
            help=f"Two columns x and y, a header row is optional. Up to "
            f"{tg.MAX_CSV_BYTES // 2**20} MB; more than {tg.MAX_POINTS:,} points are "
            "down-sampled evenly.",
        )
        if file is not None:
            # parse each upload once, not on every rerun
            if st.session_state.get("fit_csv_parsed", (None,))[0] != file.file_id:
                try:
                    parsed = tg.read_csv_points(file.getvalue(), file.name)
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
        st.latex(tg.TARGETS[target_name].latex)
try:
    points = tg.target_points(controls.settings(tg.TargetSettings), uploaded)
except ValueError as error:
    if target_name != tg.CSV or st.session_state.get("fit_csv") is None:
        right.error(str(error), icon=":material/error:")
    st.stop()
plot_x = charts.plot_grid(points)

# -- The sections: only the open tab runs -------------------------------------------------
tabs = st.tabs(list(SECTIONS), key="fundamentals_section", on_change="rerun")
sections = {
    "By hand": lambda: by_hand.show(controls, points, plot_x),
    "By training": lambda: by_training.show(controls, points, plot_x),
    "Width sweep": lambda: width_sweep.show(controls, points),
    "Shallow to deep": lambda: shallow_to_deep.show(controls, points),
    "Backpropagation": lambda: backpropagation.show(controls),
}
for tab, label in zip(tabs, SECTIONS, strict=True):
    with tab:
        if tab.open:
            sections[label]()

ui.quiz(lesson.QUIZ, key="fundamentals_quiz")
