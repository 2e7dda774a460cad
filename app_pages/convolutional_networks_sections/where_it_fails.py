"""Section 5 of the convolutional-networks lesson: where the network fails.

Test accuracy, the confusion matrix (click a cell), and the misclassified test images of
the pair picked, with the network's confidence in its wrong answer.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import datasets, ui
from course_lib.convolutional_networks import charts, probe


def show(model, about: str, dataset: datasets.ImageDataset) -> None:
    """Test accuracy, the clickable confusion matrix, and the misclassified images of a cell."""
    cache_key = (id(model), about, dataset.fingerprint)  # `about` counts the epochs
    if st.session_state.get(PREFIX + "evaluation", (None,))[0] != cache_key:
        st.session_state[PREFIX + "evaluation"] = (cache_key, probe.evaluate(model, dataset))
    result = st.session_state[PREFIX + "evaluation"][1]
    st.metric(
        "Test accuracy",
        f"{result.accuracy:.1%}",
        help=f"On {len(dataset.y_test):,} test images never used in training; {about}.",
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
                [probe.upscale(dataset.x_test[i], 72) for i in wrong[:24]],
                caption=[f"{p:.0%}" for p in confidence[:24]],
            )
        else:
            st.caption("None of this pair: click an orange cell.")
