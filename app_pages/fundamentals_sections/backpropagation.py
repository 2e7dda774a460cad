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
    # the knobs beside the picture (TensorFlow Playground's columns): the network's shape,
    # the example and the step | the drawn network, its weights to edit under it
    knobs, picture = st.columns([1, 2])
    with knobs:
        shape, training = st.columns(2)
        for index, (name, kind) in enumerate(WIDGETS.items()):
            column = shape if index < len(WIDGETS) / 2 else training
            controls.widget(getattr(column, kind), bp.BackpropSettings, name)
    settings = controls.settings(bp.BackpropSettings)
    shown = tiny_network(settings)
    with knobs:
        example = st.columns(settings.inputs + 1)
        x = np.array(
            [
                example[i].number_input(
                    f"x{i + 1}", value=(1.0, 0.5, -0.5)[i], step=0.1, key=f"bp_x{i + 1}"
                )
                for i in range(settings.inputs)
            ]
        )
        t = np.array([example[-1].number_input("target t", value=0.9, step=0.1, key="bp_t")])
    with picture:
        drawing = st.container()  # the network is drawn here, above its weight editors
        tables = []
        layers = len(settings.layer_sizes) - 1
        for k, table in enumerate(bp.weight_tables(shown)):
            st.caption(
                f"Weights, layer {bp.layer_name(k, layers)} → {bp.layer_name(k + 1, layers)} "
                "(edit them)"
            )
            tables.append(st.data_editor(table, key=f"bp_table_{st.session_state.bp_version}_{k}"))
    network = bp.network_from_tables(tables, settings.activation)
    result = bp.backward(network, x, t)
    stepped = bp.gradient_step(network, result, settings.learning_rate)
    after = bp.error(stepped, x, t)
    with drawing:
        ui.chart(charts.network_chart(network, result))
    with knobs:
        st.metric("Error E before", f"{result.error:.6f}")  # one above the other: 6 decimals fit
        st.metric(
            "E after one step",
            f"{after:.6f}",
            delta=f"{after - result.error:.2e}",
            delta_color="inverse",
        )
        st.button(
            "Take the step",
            type="primary",
            on_click=take_step,
            args=(stepped,),
            icon=":material/south:",
            width="stretch",
        )
    st.dataframe(bp.units_frame(result), hide_index=True)
    st.dataframe(bp.weights_frame(network, result, settings.learning_rate), hide_index=True)
    ui.require_tensorflow()
    gap = bp.tape_difference(network, x, t, result)
    st.success(lesson.TAPE_AGREES.format(gap=gap), icon=":material/check_circle:")
    ui.show_code(bp.forward, bp.backward, bp.gradient_step)
