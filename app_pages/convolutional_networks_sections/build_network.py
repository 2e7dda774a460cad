"""Section 3 of the convolutional-networks lesson: build the network.

The architecture and training knobs (four columns of ``cnn_`` widgets), then the layer
table with its parameter counts, and a warning when the network would not fit.
"""

import dataclasses

import streamlit as st

from course_lib import budget, datasets, ui, vision

PREFIX = "cnn_"


def knobs(dataset_key: str) -> vision.CNNSettings:
    """Draw the section's header and widgets; return the settings they hold now.

    Args:
        dataset_key: the data set actually used (section 1 may have kept the digits).
    """
    st.header("3 · Build the network")
    for column, fields in zip(st.columns(4), vision.SETTINGS_COLUMNS, strict=True):
        with column:
            for field in fields:
                widget, extra = vision.widget_kind(field)
                make = getattr(st, widget)
                label = vision.LABELS[field]
                ui.setting_widget(make, vision.CNNSettings, field, label, prefix=PREFIX, **extra)
    settings = ui.settings_from_widgets(vision.CNNSettings, PREFIX)
    return dataclasses.replace(settings, dataset=dataset_key)


def show(settings: vision.CNNSettings, dataset: datasets.ImageDataset) -> None:
    """The layer table and the parameter count; stops the page if the network cannot be built."""
    try:
        table = vision.layer_table(settings, dataset.image_shape, dataset.num_classes)
        estimate = vision.estimate_resources(
            settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
        )
    except vision.ArchitectureError as problem:
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
    if warning := vision.resource_warning(estimate):
        st.warning(warning, icon=":material/warning:")
    ui.show_code(vision.build_cnn)
