"""Section 1 of the convolutional-networks lesson: the images the network learns from.

The data set's widget, the offline digits kept when a download fails, the student's own
ZIP of images, and a gallery of every class.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import datasets, ui
from course_lib.convolutional_networks import model, probe, training

#: What the data set widget calls each choice.
DATASET_LABELS = {
    "digits": "Digits (8×8, offline)",
    "mnist": "MNIST (28×28 digits)",
    "fashion_mnist": "Fashion-MNIST (28×28 clothes)",
    "cifar10": "CIFAR-10 (32×32 colour photos)",
    "zip": "Your own images (ZIP)",
}

#: The gallery: classes per row, and the side of each class's 2×2 tile of examples (pixels).
GALLERY_COLUMNS = 5
GALLERY_SIZE = 240


@st.cache_resource(show_spinner="Loading the images…")
def shared_dataset(name: str) -> datasets.ImageDataset:
    """Read-only arrays shared by every student."""
    return training.load_images(name)


def choose_dataset() -> None:
    """Before the data set's widget: a download that fails keeps the offline digits.

    Runs on every rerun, so a choice from the widget, a shared link or a walkthrough step
    is checked alike (a data set already downloaded is a cache hit).
    """
    name = st.session_state.get(PREFIX + "dataset")
    if name in datasets.KERAS_DATASETS:
        try:
            shared_dataset(name)
        except datasets.DatasetUnavailable as error:
            st.session_state[PREFIX + "dataset_error"] = str(error)
            st.session_state[PREFIX + "dataset"] = "digits"


def own_images() -> datasets.ImageDataset | None:
    """The student's ZIP (kept in their session only), or None with a message why."""
    upload = st.file_uploader(
        "A ZIP with one folder per class (e.g. cats/…, dogs/…), PNG or JPEG images",
        type=["zip"],
        key=PREFIX + "zip",
    )
    if upload is None:
        st.info("Upload a ZIP to train on your own images; until then the digits are used.")
        return None
    cached = st.session_state.get(PREFIX + "zip_data")
    if cached is None or cached[0] != upload.file_id:
        try:
            loaded = datasets.load_image_zip(upload.getvalue(), image_size=32)
        except datasets.UploadError as error:
            loaded = str(error)
        st.session_state[PREFIX + "zip_data"] = (upload.file_id, loaded)
    loaded = st.session_state[PREFIX + "zip_data"][1]
    if isinstance(loaded, str):
        st.error(f"This ZIP cannot be used: {loaded}", icon=":material/error:")
        return None
    for note in loaded.notes:
        st.warning(note, icon=":material/info:")
    return loaded


def show(controls: ui.Controls) -> tuple[datasets.ImageDataset, str]:
    """Draw the section and return the images to learn from.

    Returns:
        ``(dataset, dataset_key)``: the images, and the name of the data set they are
        (``"digits"`` while a download failed or no ZIP has been uploaded yet).
    """
    st.header("1 · The images")
    choice, about = st.columns([1, 2], gap="large", vertical_alignment="bottom")
    with choice:
        choose_dataset()
        controls.widget(st.selectbox, model.CNNSettings, "dataset", format_func=DATASET_LABELS.get)
        if error := st.session_state.pop(PREFIX + "dataset_error", None):
            st.warning(error, icon=":material/cloud_off:")
        dataset_key = st.session_state[PREFIX + "dataset"]
        dataset = own_images() if dataset_key == "zip" else None
        if dataset is None:
            dataset_key = dataset_key if dataset_key in datasets.KERAS_DATASETS else "digits"
            dataset = shared_dataset(dataset_key)
    about.caption(probe.describe_dataset(dataset))
    pictures = probe.class_gallery(dataset, per_class=4, size=GALLERY_SIZE)
    for first in range(0, len(pictures), GALLERY_COLUMNS):
        row = pictures[first : first + GALLERY_COLUMNS]
        for column, (name, picture) in zip(st.columns(GALLERY_COLUMNS), row, strict=False):
            column.image(picture, caption=name, width="stretch")
    return dataset, dataset_key
