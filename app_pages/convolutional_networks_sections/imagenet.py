"""Section 7 of the convolutional-networks lesson: is there a cat in this picture?

A photo (the bundled sample cat, or the student's own, previewed at once) classified by
MobileNetV2, pretrained on ImageNet (a small modern descendant of AlexNet); its weights
are downloaded once and shared. Offline the section says what it would do.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import charts, cosmos, datasets, ui, uploads
from course_lib.convolutional_networks import images

ABOUT_IMAGENET = (
    f"AlexNet won ImageNet in 2012: {cosmos.IMAGENET_IMAGES} photos, "
    f"{cosmos.IMAGENET_CLASSES:,} classes. MobileNetV2 is a small modern descendant, "
    "pretrained on the same photos."
)
WHAT_IT_DOES_ONLINE = (
    "With internet access, **Classify** downloads MobileNetV2's ImageNet weights once "
    f"(14 MB, shared by every student), shrinks the photo to 224×224 and shows its top 5 of "
    f"{cosmos.IMAGENET_CLASSES:,} classes: for the sample photo, cat breeds such as "
    "*tabby* or *Egyptian cat*."
)
OWN_PHOTO = "Your own photo"


@st.cache_resource(show_spinner="Loading MobileNetV2 with its ImageNet weights…")
def imagenet_classifier():
    """MobileNetV2 with its ImageNet weights, shared by every student (inference only)."""
    return images.load_imagenet_classifier()  # a failed download raises: nothing is cached


def chosen_photo():
    """The photo to classify (PIL RGB) and its name, or ``(None, "")`` with a message why."""
    source = st.radio(
        "Photo",
        (images.SAMPLE_PHOTO_NAME, OWN_PHOTO),
        horizontal=True,
        key=PREFIX + "imagenet_source",
    )
    if source == images.SAMPLE_PHOTO_NAME:
        return images.sample_photo(), images.SAMPLE_PHOTO_NAME
    photo = st.file_uploader(
        "A photo for the ImageNet classifier",
        type=["png", "jpg", "jpeg", "webp"],
        key=PREFIX + "imagenet_photo",
    )
    if photo is None:
        st.caption("Upload a photo (PNG, JPEG or WebP): it is shown here at once.")
        return None, ""
    try:
        return uploads.decode_photo(photo.getvalue()), "your photo"  # small, once per upload
    except datasets.UploadError as problem:
        st.error(f"This picture cannot be used: {problem}", icon=":material/error:")
        return None, ""


def show() -> None:
    """The photo and its preview beside the classifier's button and its top 5."""
    st.header("7 · Is there a cat in this picture?")
    st.markdown(ABOUT_IMAGENET)
    left, right = st.columns([1, 1])
    with left:
        photo, name = chosen_photo()
        if photo is not None:
            st.image(photo, caption=name, width=420)
    with right:
        st.markdown(WHAT_IT_DOES_ONLINE)
        if photo is None:
            return
        if st.button(
            "Classify with MobileNetV2", key=PREFIX + "imagenet_run", icon=":material/search:"
        ):
            try:
                labels = images.classify_imagenet(imagenet_classifier(), photo)
            except images.WeightsUnavailable as problem:
                st.warning(str(problem), icon=":material/cloud_off:")
                return
            ui.chart(
                charts.bar_chart(
                    labels,
                    category="class",
                    value="probability",
                    title=f"ImageNet top 5 for {name}",
                    height=260,
                )
            )
