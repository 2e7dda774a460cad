"""Forward and backward pass on a tiny network, in the lecture's notation, one step at a time."""

import numpy as np
import streamlit as st

from course_lib import ui
from course_lib.fundamentals import backprop as bp
from course_lib.fundamentals import charts, lesson

#: The tiny network's settings, left to right, and the widget each is drawn with.
WIDGETS = {
    "inputs": "number_input",
    "hidden_layers": "number_input",
    "hidden_units": "number_input",
    "activation": "selectbox",
    "learning_rate": "number_input",
    "seed": "number_input",
}


def take_step(stepped: bp.TinyNetwork) -> None:
    st.session_state.bp_network = stepped
    st.session_state.bp_version += 1  # the weight editors start again from the new weights


def tiny_network(settings: bp.BackpropSettings) -> bp.TinyNetwork:
    """This student's tiny network: new random weights when its shape or seed changes."""
    if st.session_state.get("bp_owner") != settings:
        st.session_state.bp_owner = settings
        st.session_state.bp_network = bp.random_network(settings)
        st.session_state.bp_version = st.session_state.get("bp_version", 0) + 1
    return st.session_state.bp_network


def show(controls: ui.Controls) -> None:
    st.markdown(
        "Follow one example through a tiny network: the forward pass computes every z "
        "and y, the backward pass every ∂E/∂·, from the output down. Edit the inputs, "
        "the target and the weights; take a gradient step and watch E fall."
    )
    for equation in lesson.EQUATIONS:
        st.latex(equation)
    for column, (name, kind) in zip(st.columns(len(WIDGETS)), WIDGETS.items(), strict=True):
        controls.widget(getattr(column, kind), bp.BackpropSettings, name)
    settings = controls.settings(bp.BackpropSettings)
    shown = tiny_network(settings)
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
        layers = len(settings.layer_sizes) - 1
        for k, table in enumerate(bp.weight_tables(shown)):
            st.caption(f"Layer {bp.layer_name(k, layers)} → {bp.layer_name(k + 1, layers)}")
            tables.append(st.data_editor(table, key=f"bp_table_{st.session_state.bp_version}_{k}"))
    network = bp.network_from_tables(tables, settings.activation)
    result = bp.backward(network, x, t)
    stepped = bp.gradient_step(network, result, settings.learning_rate)
    after = bp.error(stepped, x, t)
    ui.chart(charts.network_chart(network, result))
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
    st.success(lesson.TAPE_AGREES.format(gap=gap), icon=":material/check_circle:")
    ui.show_code(bp.forward, bp.backward, bp.gradient_step)
