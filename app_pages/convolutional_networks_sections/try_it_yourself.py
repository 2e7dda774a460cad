"""Section 6 of the convolutional-networks lesson: try it yourself.

The student draws a digit or uploads a photo; it is preprocessed like the data set's
images, and the network's top-5 classes are shown beside a training image of its guess.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import charts, datasets, ui, uploads
from course_lib.convolutional_networks import images, probe


def drawn_or_uploaded(dataset: datasets.ImageDataset, dataset_key: str):
    """The student's drawing or photo, preprocessed like the data set's images (or None)."""
    pixels = None
    try:
        from streamlit_drawable_canvas import st_canvas

        drawing = st_canvas(
            stroke_width=20,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=300,
            height=300,
            return_image_data=True,
            key=PREFIX + "canvas",
        )
    except Exception as problem:  # the drawing component is optional: uploads still work
        drawing = None
        st.info(
            f"The drawing canvas is not available here ({type(problem).__name__}); upload a picture instead."
        )
    if drawing is not None and drawing.image_data is not None:
        pixels = images.preprocess_drawing(drawing.image_data, dataset.image_shape, dataset_key)
    photo = st.file_uploader(
        "…or upload a photo",
        type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
        key=PREFIX + "photo",
    )
    if photo is not None:
        try:
            decoded = uploads.decode_photo(photo.getvalue())  # small, once per upload
            pixels = images.preprocess_photo(decoded, dataset.image_shape, dataset_key)
        except datasets.UploadError as problem:
            st.error(f"This picture cannot be used: {problem}", icon=":material/error:")
    return pixels


def show(model, dataset: datasets.ImageDataset, dataset_key: str) -> None:
    """What the network makes of a drawing or photo: the top-5 classes."""
    st.header("6 · Try it yourself")
    left, middle, right = st.columns([3, 2, 4])
    with left:
        pixels = drawn_or_uploaded(dataset, dataset_key)
    if pixels is None:
        st.caption("Draw a digit (white on black) or upload a photo to see what the network says.")
    else:
        probabilities = probe.predict_proba(model, pixels[None])[0]
        best = int(probabilities.argmax())
        h, w, _ = dataset.image_shape
        middle.image(
            [
                probe.upscale(pixels, 200),
                probe.upscale(probe.training_example(dataset, best), 200),
            ],
            caption=[f"what the network sees: {h}×{w}", f"a training {dataset.class_names[best]}"],
            width=200,
        )
        with right:
            ui.chart(
                charts.bar_chart(
                    probe.top_k(probabilities, dataset.class_names, 5),
                    category="class",
                    value="probability",
                    title="Top-5 probabilities",
                    height=230,
                )
            )
    ui.show_code(images.preprocess_drawing)
