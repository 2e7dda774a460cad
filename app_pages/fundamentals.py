"""Chapter 1, Fundamentals: a network is "just a function", learnt by backpropagation."""

import dataclasses
import functools

import numpy as np
import pandas as pd
import streamlit as st

from course_lib import approximation as ap
from course_lib import backprop as bp
from course_lib import ui
from course_lib.settings import bounds, to_query_params

st.title("Fundamentals: a network is just a function")
st.markdown(
    "A network with one hidden layer adds up simple steps, and enough of them can trace "
    "any curve: first you place them by hand, then backpropagation finds them for you. "
    "Last, you follow every derivative of the backward pass through a tiny network."
)
st.latex(r"\tilde y = w \cdot g\big(W^{(1)} x + b^{(1)}\big) + b = \sum_j w_j\, g(W_j x + b_j) + b")

PREFIXES = {
    ap.TargetSettings: "fit_",
    ap.FitSettings: "fit_",
    ap.HandSettings: "hand_",
    ap.SweepSettings: "sweep_",
    ap.DepthSettings: "depth_",
    bp.BackpropSettings: "bp_",
}
# What a shared link carries: the target and the fit share the prefix "fit_", so they
# travel as one FitExperiment.
LINKED = {ap.FitExperiment: "fit_"} | {c: p for c, p in PREFIXES.items() if p != "fit_"}
for settings_class, prefix in LINKED.items():
    ui.shared_settings(settings_class, prefix)  # a shared link's values, once per visit
# Seed every widget from its dataclass default and keep the value while its tab is
# closed (Streamlit forgets the state of widgets that were not drawn in a run).
for settings_class, prefix in PREFIXES.items():
    for field in dataclasses.fields(settings_class):
        key = prefix + field.name
        st.session_state[key] = st.session_state.get(key, field.default)


def widget(make, settings_class, name: str, label: str, **kwargs):
    """A widget for one settings field: key, range and help from the dataclass."""
    b = bounds(settings_class, name)
    if b.choices is not None and "options" not in kwargs:
        kwargs["options"] = b.choices
    elif b.minimum is not None and make in (st.slider, st.number_input):
        kwargs.setdefault("min_value", type(b.minimum)(b.minimum))
        kwargs.setdefault("max_value", type(b.maximum)(b.maximum))
    return make(label, key=PREFIXES[settings_class] + name, help=b.help, **kwargs)


def settings_of(settings_class):
    prefix = {**PREFIXES, **LINKED}[settings_class]
    return settings_class(
        **{f.name: st.session_state[prefix + f.name] for f in dataclasses.fields(settings_class)}
    )


def open_walkthrough_section() -> None:
    """Open the section the walkthrough's step is about, once when the step changes."""
    step = st.session_state.get("walkthrough_step")
    if step is not None and st.session_state.get("walkthrough_opened") != step:
        st.session_state.walkthrough_opened = step
        st.session_state.fundamentals_section = ap.WALKTHROUGH_SECTIONS[step]


def share_page_link() -> None:
    """Put every section's settings into the URL, with one "Copy link" for all of them.

    ``ui.share_link`` draws a popover per call showing the URL written so far, so the
    other sections write their parameters first and the fit's call comes last.
    """
    for settings_class, prefix in LINKED.items():
        if prefix == "fit_":
            continue
        for notice in st.session_state.pop(f"_shared_notices_{prefix}", []):
            st.warning(notice, icon=":material/link_off:")
        for name in [name for name in st.query_params if name.startswith(prefix)]:
            del st.query_params[name]
        for name, value in to_query_params(settings_of(settings_class), prefix).items():
            st.query_params[name] = value
    ui.share_link(settings_of(ap.FitExperiment), "fit_")


# Settings come from the widgets' session state, which the walkthrough and links set
# before any widget is drawn, so the link is complete even when the page stops early.
ui.walkthrough(ap.WALKTHROUGH, key="walkthrough", prefix="fit_", settings_class=ap.FitExperiment)
open_walkthrough_section()
share_page_link()

# -- The target -------------------------------------------------------------------------
st.header("The target y = f*(x)", divider="gray")
left, right = st.columns([1, 2])
with left:
    widget(st.selectbox, ap.TargetSettings, "target", "Target function")
target_name = st.session_state["fit_target"]
uploaded = None
with right:
    if target_name == ap.FORMULA:
        widget(st.text_input, ap.TargetSettings, "formula", "y = ")
        low_col, high_col = st.columns(2)
        with low_col:
            widget(st.number_input, ap.TargetSettings, "low", "from x =")
        with high_col:
            widget(st.number_input, ap.TargetSettings, "high", "to x =")
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
    points = ap.target_points(settings_of(ap.TargetSettings), uploaded)
except ValueError as error:
    if target_name != ap.CSV or st.session_state.get("fit_csv") is None:
        with right:
            st.error(str(error), icon=":material/error:")
    st.stop()
plot_x = ap.plot_grid(points)

by_hand, by_training, sweep, depth, backprop = st.tabs(
    list(ap.SECTIONS),
    key="fundamentals_section",
    on_change="rerun",
)


# -- By hand ------------------------------------------------------------------------------
def hand_network() -> ap.HandNetwork:
    """This student's hand-made network, started blank and resized with the slider."""
    hand = settings_of(ap.HandSettings)
    owner = (points.fingerprint, hand.activation)
    network = st.session_state.get("hand_network")
    if network is None or st.session_state.get("hand_owner") != owner:
        network = ap.blank_network(hand.hidden_units, hand.activation, points.low, points.high)
    elif network.hidden_units != hand.hidden_units:
        network = ap.resize_network(network, hand.hidden_units, points.low, points.high)
    changed = network is not st.session_state.get("hand_network")
    st.session_state.hand_network, st.session_state.hand_owner = network, owner
    st.session_state.hand_unit = min(st.session_state.get("hand_unit", 1), hand.hidden_units)
    if changed or "hand_position" not in st.session_state:  # new, or back from another tab
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
    """A slider moved: write it into the network."""
    state = st.session_state
    state.hand_network = dataclasses.replace(
        state.hand_network.with_unit(
            state.hand_unit - 1,
            position=state.hand_position,
            steepness=state.hand_steepness,
            weight=state.hand_weight,
        ),
        bias=state.hand_bias,
    )


def place_automatically() -> None:
    hand = settings_of(ap.HandSettings)
    st.session_state.hand_network = ap.place_bumps(points, hand.hidden_units, hand.activation)
    load_unit()


def error_curve(points: ap.Points, activation: str) -> pd.DataFrame:
    """Error of the automatic placement for N = 1..50, kept while the target stays."""
    key = (points.fingerprint, activation)
    if st.session_state.get("hand_error_curve", (None,))[0] != key:
        st.session_state.hand_error_curve = (key, ap.bump_error_curve(points, activation))
    return st.session_state.hand_error_curve[1]


@st.fragment
def hand_section() -> None:
    st.markdown(
        "Each hidden unit is a **step** (sigmoid) or a **ramp** (ReLU) at position p, with "
        "steepness s and height w: its share is w·g(s(x − p)). Two opposite steps make a "
        "bump; pick a unit, move its sliders, and build the target out of bumps."
    )
    controls, plot = st.columns([1, 2])
    with controls:
        widget(st.slider, ap.HandSettings, "hidden_units", "Hidden units N")
        widget(st.segmented_control, ap.HandSettings, "activation", "Activation g", required=True)
        network = hand_network()
        units = network.hidden_units
        st.button(
            f"Place the {units} units automatically",
            on_click=place_automatically,
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
        ranges = ap.hand_slider_ranges(network, points)
        for name, label in [
            ("position", "position p"),
            ("steepness", "steepness s"),
            ("weight", "output weight w"),
            ("bias", "output bias b (all units)"),
        ]:
            low, high, step = ranges[name]
            # a unit placed outside the slider's range (e.g. after a target change)
            st.session_state[f"hand_{name}"] = float(
                np.clip(st.session_state[f"hand_{name}"], low, high)
            )
            st.slider(
                label, low, high, step=step, key=f"hand_{name}", on_change=store_unit, format="%.3f"
            )
    y_hat = ap.hand_predict(network, points.x)
    errors = ap.approximation_errors(y_hat, points.y)
    with plot:
        ui.chart(
            ap.approximation_chart(
                points,
                plot_x,
                ap.hand_predict(network, plot_x),
                ap.hand_contributions(network, plot_x),
                highlight=st.session_state.hand_unit - 1,
                title=f"{units} units by hand (unit {st.session_state.hand_unit} in orange)",
            )
        )
        first, second = st.columns(2)
        first.metric("max |ŷ − y|", f"{errors['max_error']:.4f}")
        second.metric("mean squared error", f"{errors['mse']:.5f}")
        ui.chart(ap.error_curve_chart(error_curve(points, network.activation), units))
    ui.show_code(ap.hand_contributions, ap.place_bumps)


with by_hand:
    if by_hand.open:
        hand_section()


# -- By training ----------------------------------------------------------------------------
def draw_fit(trainer) -> None:
    """Live view: the fitted curve, and each hidden unit's share when asked."""
    y_hat, shares = ap.network_parts(trainer.model, plot_x)
    errors = ap.approximation_errors(ap.network_parts(trainer.model, points.x)[0], points.y)
    show = st.session_state.get("fit_show_units", False)
    ui.chart(
        ap.approximation_chart(
            points,
            plot_x,
            y_hat,
            shares if show else None,
            title=f"After {trainer.epochs_done} epochs: MSE {errors['mse']:.2e}, "
            f"max |ŷ − y| {errors['max_error']:.3f}",
        )
    )


with by_training:
    if by_training.open:
        ui.require_tensorflow()
        st.markdown(
            "The same network, but backpropagation sets w, W and b: each epoch is one "
            "gradient step on all points, downhill on the mean squared error."
        )
        columns = st.columns(5)
        with columns[0]:
            widget(st.slider, ap.FitSettings, "hidden_units", "Hidden units")
        with columns[1]:
            widget(st.selectbox, ap.FitSettings, "activation", "Activation g")
        with columns[2]:
            widget(st.selectbox, ap.FitSettings, "optimizer", "Optimizer")
        with columns[3]:
            widget(
                st.number_input,
                ap.FitSettings,
                "learning_rate",
                "Learning rate",
                format="%.4f",
                step=0.005,
            )
        with columns[4]:
            widget(st.number_input, ap.FitSettings, "epochs", "Epochs", step=100)
        st.toggle(r"Show each hidden unit's share $w_j\,g(W_j x + b_j)$", key="fit_show_units")
        fit = settings_of(ap.FitSettings)
        trainer = ui.session_trainer(
            "fit_trainer", (fit, points.fingerprint), lambda: ap.fit_trainer(fit, points)
        )
        ui.training_panel(trainer, key="fit", metrics=("loss",), log_scale=True, live_view=draw_fit)
        ui.lab_downloads(
            trainer,
            functools.partial(ap.notebook_cells, fit, settings_of(ap.TargetSettings)),
            title="Fundamentals: one hidden layer learns a curve",
            file_name="fundamentals-fit.ipynb",
            name="fundamentals-fit",
            key="fit_",
        )
        ui.show_code(ap.build_network, ap.fit_trainer)


# -- Width sweep ----------------------------------------------------------------------------
def run_with_progress(compute, *args):
    bar = st.progress(0.0, text="Training…")
    result = compute(*args, on_progress=lambda p, text: bar.progress(min(p, 1.0), text=text))
    bar.empty()
    return result


with sweep:
    if sweep.open:
        ui.require_tensorflow()
        st.markdown(
            "More hidden units, smaller error: train one network per width (with the "
            "activation, optimizer and learning rate of *By training*) and compare."
        )
        columns = st.columns([2, 1, 1], vertical_alignment="bottom")
        with columns[0]:
            widget(st.text_input, ap.SweepSettings, "widths", "Widths")
        with columns[1]:
            widget(st.number_input, ap.SweepSettings, "epochs", "Epochs per width", step=100)
        sweep_settings = settings_of(ap.SweepSettings)
        try:
            widths = ap.parse_widths(sweep_settings.widths)
        except ValueError as error:
            st.error(str(error), icon=":material/error:")
            widths = ()
        if columns[2].button("Train all widths", type="primary", disabled=not widths):
            st.session_state.sweep_result = run_with_progress(
                ap.width_sweep, points, widths, settings_of(ap.FitSettings), sweep_settings.epochs
            )
        result = st.session_state.get("sweep_result")
        if result is not None:
            ui.chart(ap.sweep_chart(result))
            st.dataframe(result.rename(columns=ap.COLUMN_TITLES), hide_index=True)
        ui.show_code(ap.width_sweep)


# -- Shallow to deep ------------------------------------------------------------------------
with depth:
    if depth.open:
        ui.require_tensorflow()
        st.markdown("Deep networks stack the same thing: one, two and three hidden layers.")
        for formula in ap.DEPTH_FORMULAS:
            st.latex(formula)
        columns = st.columns(3, vertical_alignment="bottom")
        with columns[0]:
            widget(st.number_input, ap.DepthSettings, "budget", "Parameters (about)", step=50)
        with columns[1]:
            widget(st.number_input, ap.DepthSettings, "epochs", "Epochs", step=100)
        if columns[2].button("Train the three networks", type="primary"):
            st.session_state.depth_result = run_with_progress(
                ap.compare_depths,
                points,
                settings_of(ap.DepthSettings),
                settings_of(ap.FitSettings),
            )
        if (result := st.session_state.get("depth_result")) is not None:
            summary, curves = result
            for column, row in zip(st.columns(3), summary.itertuples(), strict=True):
                with column:
                    ui.chart(ap.depth_chart(curves, row))
                    st.caption(f"{row.parameters} parameters · MSE {row.mse:.2e}")
            st.dataframe(summary.rename(columns=ap.COLUMN_TITLES), hide_index=True)
        ui.show_code(ap.layers_for_budget, ap.compare_depths)


# -- Backpropagation ------------------------------------------------------------------------
def take_step(stepped: bp.TinyNetwork) -> None:
    st.session_state.bp_network = stepped
    st.session_state.bp_version += 1  # the weight editors start again from the new weights


with backprop:
    if backprop.open:
        st.markdown(
            "Follow one example through a tiny network: the forward pass computes every z "
            "and y, the backward pass every ∂E/∂·, from the output down. Edit the inputs, "
            "the target and the weights; take a gradient step and watch E fall."
        )
        for equation in bp.EQUATIONS:
            st.latex(equation)
        labels = {
            "inputs": "Inputs",
            "hidden_layers": "Hidden layers",
            "hidden_units": "Units per layer",
            "activation": "f",
            "learning_rate": "Learning rate ε",
            "seed": "Random weights: seed",
        }
        for column, (name, label) in zip(st.columns(6), labels.items(), strict=True):
            with column:
                make = st.selectbox if name == "activation" else st.number_input
                widget(make, bp.BackpropSettings, name, label)
        settings = settings_of(bp.BackpropSettings)
        if st.session_state.get("bp_owner") != settings:  # a new shape: new random weights
            st.session_state.bp_owner = settings
            st.session_state.bp_network = bp.random_network(settings)
            st.session_state.bp_version = st.session_state.get("bp_version", 0) + 1
        inputs_column, weights_column = st.columns([1, 3])
        with inputs_column:
            x = np.array(
                [
                    st.number_input(
                        f"x{i + 1}", value=(1.0, 0.5, -0.5)[i], step=0.1, key=f"bp_x{i + 1}"
                    )
                    for i in range(settings.inputs)
                ]
            )
            t = np.array([st.number_input("target t", value=0.9, step=0.1, key="bp_t")])
        with weights_column:
            tables = []
            for k, table in enumerate(bp.weight_tables(st.session_state.bp_network)):
                layers = len(settings.layer_sizes) - 1
                st.caption(f"Layer {bp.layer_name(k, layers)} → {bp.layer_name(k + 1, layers)}")
                tables.append(
                    st.data_editor(table, key=f"bp_table_{st.session_state.bp_version}_{k}")
                )
        network = bp.network_from_tables(tables, settings.activation)
        result = bp.backward(network, x, t)
        stepped = bp.gradient_step(network, result, settings.learning_rate)
        after = bp.error(stepped, x, t)
        ui.chart(bp.network_chart(network, result))
        first, second, third = st.columns(3)
        first.metric("Error E before", f"{result.error:.6f}")
        second.metric(
            "E after one step",
            f"{after:.6f}",
            delta=f"{after - result.error:.2e}",
            delta_color="inverse",
        )
        third.button(
            "Take the step",
            type="primary",
            on_click=take_step,
            args=(stepped,),
            icon=":material/south:",
        )
        st.dataframe(bp.units_frame(result), hide_index=True)
        st.dataframe(bp.weights_frame(network, result, settings.learning_rate), hide_index=True)
        ui.require_tensorflow()
        gap = bp.tape_difference(network, x, t, result)
        st.success(
            f"tf.GradientTape computes the same ∂E/∂w and ∂E/∂b: largest difference {gap:.1e}.",
            icon=":material/check_circle:",
        )
        ui.show_code(bp.forward, bp.backward, bp.gradient_step)

ui.quiz(ap.QUIZ, key="fundamentals_quiz")
