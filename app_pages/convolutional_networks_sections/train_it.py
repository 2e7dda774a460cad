"""Section 4 of the convolutional-networks lesson: train it.

The student's network lives in their session and trains in chunks under the shared
training panel; the lab notebook, the training log and the model download beside it.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import datasets, ui
from course_lib.convolutional_networks import lab, model, training
from course_lib.device import DeviceInfo


def show(settings: model.CNNSettings, dataset: datasets.ImageDataset, device: DeviceInfo):
    """Draw the training panel; return this student's trainer."""
    batch_size = device.batch_size(settings.batch_size)
    if device.has_gpu:
        st.caption(
            f"On this GPU: batches of {batch_size} images and {device.mixed_precision} precision."
        )
    trainer = ui.session_trainer(
        PREFIX + "trainer",
        (settings, dataset.fingerprint),
        lambda: training.make_trainer(
            settings, dataset, batch_size=batch_size, dtype_policy=device.mixed_precision
        ),
    )
    ui.training_panel(trainer, key=PREFIX + "train", metrics=("loss", "accuracy"))
    return trainer


def downloads(trainer, settings: model.CNNSettings) -> None:
    """The lab notebook, the training log and the model, below the section."""
    ui.lab_downloads(  # take it to the lab, and keep the results
        trainer,
        lambda: lab.notebook_cells(settings),
        title="Deep convolutional networks: an image classifier in Keras",
        file_name="convolutional-network.ipynb",
        name="convolutional-network",
        key=PREFIX,
    )
