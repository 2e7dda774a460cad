"""By hand, the visual proof: N sigmoid steps (or ReLU ramps), placed with sliders.

The curve and the picked unit's sliders are one component (:mod:`.hand_plot`) that
recomputes the sum in the browser, so the curve follows a slider while it is dragged. On
release the unit's values come back here, are checked and stored in the student's network
(it lives in their session), and the metrics and the error chart are recomputed: this
section is an ``st.fragment``, so only it reruns.
"""

import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from app_pages.fundamentals_sections import EXPERIMENTS
from app_pages.fundamentals_sections.hand_plot import hand_plot
from course_lib import ui
from course_lib.classroom import count
from course_lib.fundamentals import approximation as ap
from course_lib.fundamentals import charts
from course_lib.fundamentals.targets import Points, approximation_errors

PREFIX = EXPERIMENTS[ap.HandSettings]  # "hand_": the unit's values share it
#: The key of the by-hand plot: its state ``"unit"`` is the student's last released edit.
PLOT = PREFIX + "plot"


def hand_network(controls: ui.Controls, points: Points) -> ap.HandNetwork:
    """This student's hand-made network, started blank and resized with the slider."""
    hand = controls.settings(ap.HandSettings)
    state = st.session_state
    owner = (points.fingerprint, hand.activation)
    network = state.get("hand_network")
    if network is None or state.get("hand_owner") != owner:
        network = ap.blank_network(hand.hidden_units, hand.activation, points.low, points.high)
        state.hand_placed = False
    elif network.hidden_units != hand.hidden_units and state.get("hand_placed"):
        # placed automatically: a new N is placed again, so the error follows N at once
        network = ap.place_bumps(points, hand.hidden_units, hand.activation)
    elif network.hidden_units != hand.hidden_units:
        network = ap.resize_network(network, hand.hidden_units, points.low, points.high)
    changed = network is not state.get("hand_network")
    state.hand_network, state.hand_owner = network, owner
    state.hand_unit = min(state.get("hand_unit", 1), hand.hidden_units)
    if changed or "hand_position" not in state:  # new, or back from another tab
        load_unit()
    return network


def load_unit() -> None:
    """Show the picked unit's values on the sliders."""
    network, unit = st.session_state.hand_network, st.session_state.hand_unit - 1
    st.session_state.hand_position = network.positions[unit]
    st.session_state.hand_steepness = network.steepness[unit]
    st.session_state.hand_weight = network.weights[unit]
    st.session_state.hand_bias = network.bias


def store_unit() -> None:
    """A unit's values changed: write them into the network (now placed by hand)."""
    state = st.session_state
    state.hand_placed = False
    state.hand_network = dataclasses.replace(
        state.hand_network.with_unit(
            state.hand_unit - 1,
            position=state.hand_position,
            steepness=state.hand_steepness,
            weight=state.hand_weight,
        ),
        bias=state.hand_bias,
    )


def apply_edit(points: Points) -> None:
    """The plot sent a unit's values (on release): check, clip and store them.

    Runs as the plot's callback and again in the script (a no-op for an edit already
    handled), which also covers a state set directly, as AppTest does.
    """
    state = st.session_state
    plot = state.get(PLOT)
    edit = plot.get("unit") if isinstance(plot, dict) else None
    if edit is None or edit == state.get("hand_edit") or "hand_network" not in state:
        return
    state.hand_edit = edit  # answered, even when ignored: the browser then shows the server's
    checked = ap.checked_unit_edit(edit, state.hand_network, points)
    if checked is None or checked[0] != state.hand_unit - 1:
        return  # malformed, or made for another unit or another N: stale
    for name, value in checked[1].items():
        state[PREFIX + name] = value
    store_unit()


def applied_edit() -> int:
    """The ``seq`` of the last edit handled (the browser waits for it), 0 before any."""
    edit = st.session_state.get("hand_edit")
    seq = edit.get("seq") if isinstance(edit, dict) else None
    return seq if type(seq) is int else 0


def place_automatically(controls: ui.Controls, points: Points) -> None:
    hand = controls.settings(ap.HandSettings)
    st.session_state.hand_network = ap.place_bumps(points, hand.hidden_units, hand.activation)
    st.session_state.hand_placed = True  # raising N now places the new units too
    load_unit()


def error_curve(points: Points, activation: str) -> pd.DataFrame:
    """Error of the automatic placement for N = 1..50, kept while the target stays."""
    key = (points.fingerprint, activation)
    if st.session_state.get("hand_error_curve", (None,))[0] != key:
        st.session_state.hand_error_curve = (key, ap.bump_error_curve(points, activation))
    return st.session_state.hand_error_curve[1]


@st.fragment
def show(controls: ui.Controls, points: Points, plot_x: np.ndarray) -> None:
    st.markdown(
        "Each hidden unit is a **step** (sigmoid) or a **ramp** (ReLU) at position p, with "
        "steepness s and height w: its share is w·g(s(x − p)). Two opposite steps make a "
        "bump; pick a unit, drag its sliders under the plot, and build the target out of bumps."
    )
    left, plot = st.columns([2, 3])
    with left:  # two knobs a row; the unit's own sliders are under the curve
        size, kind = st.columns(2)
        with size:
            controls.widget(st.slider, ap.HandSettings, "hidden_units")
        with kind:
            controls.widget(st.segmented_control, ap.HandSettings, "activation", required=True)
        network = hand_network(controls, points)
        apply_edit(points)  # an edit AppTest set, or one the callback has not seen
        network = st.session_state.hand_network
        units = network.hidden_units
        st.button(
            f"Place the {count(units, 'unit')} automatically",
            on_click=place_automatically,
            args=(controls, points),
            icon=":material/auto_fix_high:",
        )
        st.slider(
            "Unit to edit",
            1,
            max(units, 2),
            key="hand_unit",
            on_change=load_unit,
            disabled=units == 1,
        )
        errors = approximation_errors(ap.hand_predict(network, points.x), points.y)
        first, second = st.columns(2)
        first.metric("max |ỹ − y|", f"{errors['max_error']:.4f}")
        second.metric("mean squared error", f"{errors['mse']:.5f}")
    with plot:
        highlight = st.session_state.hand_unit - 1
        hand_plot(
            PLOT,
            network,
            highlight,
            points,
            plot_x,
            applied=applied_edit(),
            title=f"{count(units, 'unit')} by hand (unit {highlight + 1} in orange)",
            scale=ui.PRESENTATION_CHART_SCALE if ui.presenting() else 1.0,
            on_unit=lambda: apply_edit(points),
        )
        ui.chart_from_layout(
            charts.error_curve_layout,
            data=charts.error_curve_frame(error_curve(points, network.activation)),
            title=charts.error_curve_title(units),
        )
    ui.show_code(ap.hand_contributions, ap.place_bumps)
