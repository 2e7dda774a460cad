"""Chapter 2 · Deep supervised learning: a playground for depth, optimisation and overfitting.

A view only: the widgets (drawn by one ``ui.Controls`` from what ``PlaygroundSettings``
declares) fill a :class:`course_lib.deep_supervised_learning.experiment.PlaygroundSettings`,
and ``course_lib.deep_supervised_learning`` generates the data, builds and trains the network
and draws what it learnt. Each section's view is a module in
``app_pages/deep_supervised_learning_sections``.
"""

import streamlit as st

from app_pages.deep_supervised_learning_sections import (
    EXPERIMENTS,
    PREFIX,
    inside_the_net,
    keras_code,
    presets,
    the_experiment,
    training,
)
from course_lib import budget, ui
from course_lib.deep_supervised_learning.data import CsvProblem, csv_digest, load_csv, make_dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lesson import QUIZ, WALKTHROUGH
from course_lib.deep_supervised_learning.model import (
    heavy_network_warning,
    make_trainer,
    size_summary,
)

st.title("Deep supervised learning: a playground")

# Defaults, a shared link's values (once per visit, moved onto the sliders' stops with a
# notice), then the walkthrough and the presets, which write into the same widgets.
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(WALKTHROUGH, key=PREFIX + "tour", controls=controls)
# TensorFlow Playground's data | network | output: the boundary and Start beside the knobs
data_column, network_column, output_column = st.columns([1, 1, 2.4], gap="medium")
upload = the_experiment.show(controls, data_column, network_column)
csv_name = upload.name if upload is not None else None


@st.cache_resource(max_entries=4, show_spinner="Reading your points…")
def read_upload(data: bytes, test_fraction: float, seed: int):
    """``(dataset, None)`` or ``(None, message)``; cached so a bad file is read once."""
    try:
        return load_csv(data, test_fraction=test_fraction, seed=seed), None
    except CsvProblem as problem:
        return None, str(problem)


settings = controls.settings(PlaygroundSettings)
controls.share_link()
with output_column:
    if settings.dataset == "your CSV":
        if upload is None:
            st.info(
                "Upload a CSV file of labelled points: a header line `x1,x2,label`, then one "
                "point per line, e.g. `0.3,-1.2,cat`. Or pick a generated data set.",
                icon=":material/upload_file:",
            )
            st.stop()
        upload_bytes = upload.getvalue()
        data, problem = read_upload(upload_bytes, settings.test_fraction, settings.seed)
        if problem:
            st.error(problem, icon=":material/error:")
            st.stop()
        data_id = csv_digest(upload_bytes)
        for note in data.notes:
            st.caption(f":material/info: {note}")
    else:
        data, data_id = make_dataset(settings), settings.dataset
network_column.markdown(size_summary(settings, data))
with output_column:
    if warning := heavy_network_warning(settings, data):
        st.warning(warning, icon=":material/hourglass_top:")

    ui.require_tensorflow()
    if refusal := budget.check(budget.playground_training(settings)):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not built
        st.stop()
    trainer = ui.session_trainer(
        PREFIX + "trainer", (settings, data_id), lambda: make_trainer(settings, data)
    )
    training.show(trainer, settings, data, csv_name)
presets.show(controls)
st.markdown(
    "Train a network of your chosen depth and width on points in the plane and watch its "
    "**decision boundary** bend as it learns. You will see why depth helps, how the "
    "optimiser and the learning rate decide whether training works at all, and how a big "
    "network **overfits** a few points — and how dropout or L2 pull it back."
)
inside_the_net.show(trainer, settings, data)
keras_code.show(settings, csv_name)
ui.quiz(QUIZ, key=PREFIX + "quiz")
