"""Chapter 3 · Deep convolutional networks: an image classifier to build, train and probe.

Classroom: a guided walkthrough and shareable links drive the `cnn_` widgets; the notebook,
the training log and the model download beside the training panel; a quiz ends the page.
Each section's view is a module in ``app_pages/convolutional_networks_sections``: the
images, how a convolution works, building and training the network, where it fails, what
it learnt, trying it yourself, and ImageNet.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import (
    EXPERIMENTS,
    PREFIX,
    build_network,
    convolution,
    imagenet,
    the_images,
    train_it,
    try_it_yourself,
    what_it_learnt,
    where_it_fails,
)
from course_lib import ui
from course_lib.convolutional_networks import lesson
from course_lib.device import detect_device

INTRODUCTION = (
    "*Is there a cat in this picture?* You will see how a convolution turns an image into "
    "feature maps, build a convolutional network layer by layer, train it live, and find out "
    "what it learnt, where it fails, and what it makes of a digit you draw yourself."
)

st.title("Deep convolutional networks")
st.markdown(INTRODUCTION)
ui.require_tensorflow()
device = detect_device()

# -- Classroom: a shared link's settings, the guided walkthrough (before the widgets) -----
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(lesson.WALKTHROUGH, key=PREFIX + "walk", controls=controls)

# -- 1. The images, 2. how a convolution works -------------------------------------------
dataset, dataset_key = the_images.show(controls)
convolution.show(dataset)

# -- 3. Build the network (its knobs) beside 4. Train it (Start, the live curves) ----------
knobs_column, training_column = st.columns([2, 3], gap="medium")
with knobs_column:
    build_network.architecture_knobs(controls)
with training_column:
    st.header("4 · Train it")
    build_network.training_knobs(controls)
settings = build_network.settings_now(controls, dataset_key)
with knobs_column:
    build_network.summary(settings, dataset)
    controls.share_link()
with training_column:
    trainer = train_it.show(settings, dataset, device)
build_network.show(settings, dataset)
train_it.downloads(trainer, settings)

# -- 5. What it learnt and where it fails, 6. try it yourself -------------------------------
st.header("5 · What it learnt, and where it fails")
model, about = what_it_learnt.model_to_probe(trainer, dataset_key)
if model is None:
    st.info(
        "Train the network (Start above) to see what it learnt and to try it yourself.",
        icon=":material/info:",
    )
else:
    where_it_fails.show(model, about, dataset, dataset_key)
    what_it_learnt.show(model, dataset)
    try_it_yourself.show(model, dataset, dataset_key)

# -- 7. Is there a cat in this picture? ----------------------------------------------------
imagenet.show()

ui.quiz(lesson.QUIZ, key=PREFIX + "quiz")
