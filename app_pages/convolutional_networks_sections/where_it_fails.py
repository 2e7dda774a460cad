"""Section 5 of the convolutional-networks lesson: where the network fails.

Test accuracy, the confusion matrix (click a cell), and the misclassified test images of
the pair picked, with the network's confidence in its wrong answer.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from app_pages.convolutional_networks_sections.what_it_learnt import pretrained_digits
from course_lib import classroom, datasets, ui
from course_lib.convolutional_networks import charts, probe

#: Side of each misclassified test image, in pixels: readable on a projector.
WRONG_IMAGE_SIZE = 128


@st.cache_resource(show_spinner=False)
def pretrained_evaluation() -> probe.Evaluation | None:
    """The pretrained digits network on the digits' test images (shared, read-only)."""
    network, _ = pretrained_digits()
    if network is None:
        return None
    return probe.evaluate(network, datasets.load_digits())


def show(model, about: str, dataset: datasets.ImageDataset, dataset_key: str = "") -> None:
    """Test accuracy (the pretrained network's beside it), the clickable confusion matrix,
    and the misclassified images of a cell."""
    cache_key = (id(model), about, dataset.fingerprint)  # `about` counts the epochs
    if st.session_state.get(PREFIX + "evaluation", (None,))[0] != cache_key:
        st.session_state[PREFIX + "evaluation"] = (cache_key, probe.evaluate(model, dataset))
    result = st.session_state[PREFIX + "evaluation"][1]
    ours = not about.startswith("the pretrained")
    baseline = pretrained_evaluation() if dataset_key == "digits" else None
    columns = st.columns(3)
    columns[0].metric(
        "Test accuracy",
        f"{result.accuracy:.1%}",
        delta=f"{result.accuracy - baseline.accuracy:+.1%} vs pretrained"
        if ours and baseline
        else None,
        help=f"On {len(dataset.y_test):,} test images never used in training; {about}.",
    )
    wrong_count = int((result.predicted != dataset.y_test).sum())
    columns[1].metric("Misclassified", classroom.count(wrong_count, "test image"))
    if ours and baseline is not None:
        columns[2].metric(
            "Pretrained network",
            f"{baseline.accuracy:.1%}",
            help="The shipped digits network (the default architecture), on the same test images.",
        )
    left, right = st.columns([3, 2])
    with left:
        event = ui.chart(
            charts.confusion_chart(result.confusion, dataset.class_names),
            key=PREFIX + "confusion",
            on_select="rerun",
            selection_mode="cell",
        )
    pair = probe.selected_pair(event.selection if event else {}, dataset.class_names)
    pair = pair or probe.most_confused_pair(result.confusion)
    with right:
        if pair is None:
            st.success("No test image is misclassified.")
            return
        true, predicted = pair
        wrong = probe.misclassified(dataset.y_test, result.predicted, true, predicted)
        names = dataset.class_names
        st.subheader(f"True {names[true]}, predicted {names[predicted]}: {len(wrong)}")
        if len(wrong):
            confidence = result.probabilities[wrong, predicted]
            st.image(
                [probe.upscale(dataset.x_test[i], WRONG_IMAGE_SIZE) for i in wrong[:12]],
                caption=[f"{p:.0%}" for p in confidence[:12]],
            )
        else:
            st.caption("None of this pair: click an orange cell.")
