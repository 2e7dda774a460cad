"""Section 7 of the convolutional-networks lesson: is there a cat in this picture?

A photo of the student's classified by MobileNetV2, pretrained on ImageNet (a small
modern descendant of AlexNet); its weights are downloaded once and shared.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import charts, datasets, ui, uploads
from course_lib.convolutional_networks import images


@st.cache_resource(show_spinner="Loading MobileNetV2 with its ImageNet weights…")
def imagenet_classifier():
    """MobileNetV2 with its ImageNet weights, shared by every student (inference only)."""
    return images.load_imagenet_classifier()  # a failed download raises: nothing is cached


def show() -> None:
    """The photo upload, and the ImageNet top 5 once the student asks for them."""
    st.header("7 · Is there a cat in this picture?")
    st.markdown(
        "AlexNet won ImageNet in 2012: 1.2 million photos, 1,000 classes. MobileNetV2 is a small modern descendant, pretrained on the same photos."
    )
    photo = st.file_uploader(
        "A photo for the ImageNet classifier",
        type=["png", "jpg", "jpeg", "webp"],
        key=PREFIX + "imagenet_photo",
    )
    if photo is not None and st.button("Classify with MobileNetV2", key=PREFIX + "imagenet_run"):
        try:
            decoded = uploads.decode_photo(photo.getvalue())  # small, once per upload
            labels = images.classify_imagenet(imagenet_classifier(), decoded)
            st.image(decoded, width=300)
            ui.chart(
                charts.bar_chart(
                    labels,
                    category="class",
                    value="probability",
                    title="ImageNet top 5",
                    height=230,
                )
            )
        except (datasets.UploadError, images.WeightsUnavailable) as problem:
            st.warning(str(problem), icon=":material/cloud_off:")
