"""Section 3 of the convolutional-networks lesson: build the network.

The architecture and training knobs (four columns of ``cnn_`` widgets), then the layer
table with its parameter counts, and a warning when the network would not fit.
"""

import dataclasses

import streamlit as st

from course_lib import budget, datasets, ui
from course_lib.convolutional_networks import model

#: The knobs in four columns, each with the widget that offers its values: a switch for
#: yes/no, buttons in a row for named choices, a slider for numbers (over its stops where
#: the setting declares them: powers of two, decades).
SETTINGS_COLUMNS = (
    (("conv_blocks", st.slider), ("filters", st.slider), ("kernel_size", st.select_slider)),
    (("stride", st.select_slider), ("padding", st.radio), ("pooling", st.radio)),
    (("activation", st.radio), ("dense_units", st.slider), ("dropout", st.slider)),
    (
        ("learning_rate", st.slider),
        ("epochs", st.slider),
        ("batch_size", st.slider),
        ("augmentation", st.toggle),
    ),
)


def knobs(controls: ui.Controls, dataset_key: str) -> model.CNNSettings:
    """Draw the section's header and widgets; return the settings they hold now.

    Args:
        controls: the page's controls (``EXPERIMENTS``).
        dataset_key: the data set actually used (section 1 may have kept the digits).
    """
    st.header("3 · Build the network")
    for column, fields in zip(st.columns(4), SETTINGS_COLUMNS, strict=True):
        with column:
            for field, make in fields:
                extra = {"horizontal": True} if make is st.radio else {}
                controls.widget(make, model.CNNSettings, field, **extra)
    settings = controls.settings(model.CNNSettings)
    return dataclasses.replace(settings, dataset=dataset_key)


def show(settings: model.CNNSettings, dataset: datasets.ImageDataset) -> None:
    """The layer table and the parameter count; stops the page if the network cannot be built."""
    try:
        table = model.layer_table(settings, dataset.image_shape, dataset.num_classes)
        estimate = model.estimate_resources(
            settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
        )
    except model.ArchitectureError as problem:
        st.error(str(problem), icon=":material/error:")
        st.stop()
    st.dataframe(table, hide_index=True, width="stretch")
    st.markdown(f"**{estimate.parameters:,} parameters** to learn, every one by backpropagation.")
    cost = budget.cnn_training(
        settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
    )
    if refusal := budget.check(cost):  # over this server's budget: not even built
        st.error(refusal, icon=":material/block:")
        st.stop()
    if warning := model.resource_warning(estimate):
        st.warning(warning, icon=":material/warning:")
    ui.show_code(model.build_cnn)
