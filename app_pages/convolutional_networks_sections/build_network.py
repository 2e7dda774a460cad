"""Section 3 of the convolutional-networks lesson: build the network.

The architecture and training knobs (four columns of ``cnn_`` widgets), then the layer
table with its parameter counts, and a warning when the network would not fit.
"""

import dataclasses

import streamlit as st

from course_lib import budget, datasets, ui
from course_lib.convolutional_networks import model

#: The network's knobs in two columns, each with the widget that offers its values: a
#: switch for yes/no, buttons in a row for named choices, a slider for numbers (over its
#: stops where the setting declares them: powers of two, decades).
ARCHITECTURE_COLUMNS = (
    (
        ("conv_blocks", st.slider),
        ("filters", st.slider),
        ("kernel_size", st.select_slider),
        ("stride", st.select_slider),
        ("padding", st.radio),
    ),
    (
        ("pooling", st.radio),
        ("activation", st.radio),
        ("dense_units", st.slider),
        ("dropout", st.slider),
    ),
)
#: The training knobs, in a row above the training panel's Start button.
TRAINING_ROW = (
    ("learning_rate", st.slider),
    ("epochs", st.slider),
    ("batch_size", st.slider),
    ("augmentation", st.toggle),
)
#: Every knob, as columns (the page test walks them all).
SETTINGS_COLUMNS = (*ARCHITECTURE_COLUMNS, TRAINING_ROW)


def _draw(controls: ui.Controls, field: str, make) -> None:
    extra = {"horizontal": True} if make is st.radio else {}
    controls.widget(make, model.CNNSettings, field, **extra)


def architecture_knobs(controls: ui.Controls) -> None:
    """Section 3's header and the network's knobs (two columns)."""
    st.header("3 · Build the network")
    for column, fields in zip(
        st.columns(len(ARCHITECTURE_COLUMNS)), ARCHITECTURE_COLUMNS, strict=True
    ):
        with column:
            for field, make in fields:
                _draw(controls, field, make)


def training_knobs(controls: ui.Controls) -> None:
    """The training knobs in one row (above the Start button)."""
    for column, (field, make) in zip(st.columns(len(TRAINING_ROW)), TRAINING_ROW, strict=True):
        with column:
            _draw(controls, field, make)


def settings_now(controls: ui.Controls, dataset_key: str) -> model.CNNSettings:
    """The settings the knobs hold now, on the data set actually used.

    Args:
        controls: the page's controls (``EXPERIMENTS``), every knob drawn.
        dataset_key: the data set actually used (section 1 may have kept the digits).
    """
    return dataclasses.replace(controls.settings(model.CNNSettings), dataset=dataset_key)


def summary(settings: model.CNNSettings, dataset: datasets.ImageDataset) -> None:
    """The parameter count under the knobs; stops the page if the network cannot be built."""
    try:
        estimate = model.estimate_resources(
            settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
        )
    except model.ArchitectureError as problem:
        st.error(str(problem), icon=":material/error:")
        st.stop()
    st.markdown(f"**{estimate.parameters:,} parameters** to learn, every one by backpropagation.")
    cost = budget.cnn_training(
        settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
    )
    if refusal := budget.check(cost):  # over this server's budget: not even built
        st.error(refusal, icon=":material/block:")
        st.stop()
    if warning := model.resource_warning(estimate):
        st.warning(warning, icon=":material/warning:")


def show(settings: model.CNNSettings, dataset: datasets.ImageDataset) -> None:
    """The layer table: each layer's output shape and parameters (after :func:`summary`)."""
    table = model.layer_table(settings, dataset.image_shape, dataset.num_classes)
    with st.expander(
        f"The layer table: where the {int(table['parameters'].sum()):,} parameters are",
        icon=":material/table_rows:",
    ):
        st.dataframe(table, hide_index=True, width="stretch")
    ui.show_code(model.build_cnn)
