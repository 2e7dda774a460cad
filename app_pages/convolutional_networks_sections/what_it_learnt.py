"""Section 5 of the convolutional-networks lesson: what the network learnt.

Which network to look inside (the student's once trained, before that the pretrained
digits network that ships in ``assets/``), its first layer's filters, and the feature
maps of every convolution layer for one test image.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import classroom, datasets
from course_lib.convolutional_networks import pretrained, probe

#: Sides in pixels, big enough for a projector: the test image, each feature map.
TEST_IMAGE_SIZE = 224
FEATURE_MAP_SIZE = 96


@st.cache_resource(show_spinner="Loading the pretrained digits model…")
def pretrained_digits():
    """The shipped digits network and what it was trained on, shared by every student."""
    return pretrained.load_pretrained_digits()


def model_to_probe(trainer, dataset_key: str):
    """The student's network once trained; before that the pretrained digits one (or None).

    Returns:
        ``(model, about)``: the network and a few words saying which it is, or
        ``(None, "")`` when there is nothing to look inside yet.
    """
    if trainer.epochs_done > 0:
        return trainer.model, f"your network after {classroom.count(trainer.epochs_done, 'epoch')}"
    network, info = pretrained_digits()
    if dataset_key == "digits" and network is not None:
        about = pretrained.describe_pretrained(info)
        st.info(
            f"Not trained yet: showing {about}. Press Start to train your own.",
            icon=":material/info:",
        )
        return network, about
    return None, ""


def show(model, dataset: datasets.ImageDataset) -> None:
    """The first layer's filters and the feature maps of one test image."""
    st.subheader("The first layer's filters")
    st.image(
        probe.upscale(probe.tile(probe.first_layer_filters(model), columns=16, gap=1), 960),
        caption="Each square: one learnt kernel (dark = negative weight, light = positive).",
    )
    st.subheader("Feature maps of every convolution layer")
    choice, maps = st.columns([1, 3], gap="large")
    with choice:
        index = st.number_input(
            "Test image", 0, len(dataset.y_test) - 1, 0, key=PREFIX + "probe_image"
        )
        st.image(
            probe.upscale(dataset.x_test[index], TEST_IMAGE_SIZE),
            caption=f"true class {dataset.class_names[dataset.y_test[index]]}",
        )
    with maps:
        for name, activations in probe.feature_maps(model, dataset.x_test[index]):
            st.image(
                probe.feature_map_grid(activations, columns=16, size=FEATURE_MAP_SIZE),
                caption=probe.feature_map_caption(name, activations),
            )
