"""The experiment's controls: the data and the optimiser, then the network, in two columns.

Like TensorFlow Playground's data | network | output columns: the page gives this module
the first two columns and draws the decision boundary and Start in the third.
"""

import streamlit as st

from app_pages.deep_supervised_learning_sections import PREFIX
from course_lib import ui
from course_lib.deep_supervised_learning.data import MAX_CLASSES, MAX_CSV_ROWS
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings, unused_layer_values

Settings = PlaygroundSettings


def show(controls: ui.Controls, data_column, network_column):
    """Draw every control in the two columns given; returns the student's upload.

    The upload is ``None`` unless the data set is "your CSV".
    """
    upload = None
    with data_column:
        st.subheader("Data")
        dataset = controls.widget(st.selectbox, Settings, "dataset")
        if dataset == "your CSV":
            upload = st.file_uploader(
                "Your points (CSV with columns x1, x2, label)",
                type=["csv", "txt"],
                key=PREFIX + "upload",
                help=f"Up to {MAX_CLASSES} classes; more than {MAX_CSV_ROWS:,} rows are "
                "randomly down-sampled.",
            )
        else:
            if dataset == "Gaussian blobs":
                controls.widget(st.slider, Settings, "classes")
            controls.widget(st.slider, Settings, "samples")
            controls.widget(st.slider, Settings, "noise")
        controls.widget(st.slider, Settings, "test_fraction")
        controls.widget(st.number_input, Settings, "seed")
        st.subheader("Optimiser")
        controls.widget(st.selectbox, Settings, "optimizer")
        controls.widget(st.select_slider, Settings, "learning_rate")
        batch_size, epochs = st.columns(2)
        controls.widget(batch_size.select_slider, Settings, "batch_size")
        controls.widget(epochs.number_input, Settings, "epochs")

    with network_column:
        st.subheader("Network")
        hidden_layers = controls.widget(st.slider, Settings, "hidden_layers")
        for i in range(1, hidden_layers + 1):
            units, activation = st.columns(2)
            controls.widget(units.select_slider, Settings, f"hidden_units_{i}")
            controls.widget(activation.selectbox, Settings, f"activation_{i}")
        # a layer that is not drawn keeps no width of its own: it is not shared in a link
        for name, value in unused_layer_values(hidden_layers).items():
            st.session_state[controls.key(Settings, name)] = value
        controls.widget(st.slider, Settings, "dropout")
        l1, l2 = st.columns(2)
        controls.widget(l1.select_slider, Settings, "l1")
        controls.widget(l2.select_slider, Settings, "l2")
        controls.widget(st.toggle, Settings, "batch_norm")

    return upload
