"""Chapter 3 · Deep convolutional networks: an image classifier to build, train and probe.

Classroom: a guided walkthrough and shareable links drive the `cnn_` widgets; the notebook,
the training log and the model download beside the training panel; a quiz ends the page.
"""

import numpy as np
import streamlit as st

from course_lib import charts, datasets, ui, vision
from course_lib.device import detect_device
from course_lib.settings import bounds

PREFIX = "cnn_"
DEFAULTS = vision.CNNSettings()
KERAS_MAX_TRAIN = 20_000  # training images kept from the Keras data sets (memory, CPU time)

st.title("Deep convolutional networks")
st.markdown(vision.INTRODUCTION)
ui.require_tensorflow()
device = detect_device()


@st.cache_resource(show_spinner="Loading the images…")
def shared_dataset(name: str) -> datasets.ImageDataset:
    """Read-only arrays shared by every student."""
    if name == "digits":
        return datasets.load_digits()
    return datasets.load_keras_dataset(name, max_train=KERAS_MAX_TRAIN)


@st.cache_resource(show_spinner="Loading the pretrained digits model…")
def pretrained_digits():
    return vision.load_pretrained_digits()


@st.cache_resource(show_spinner="Loading MobileNetV2 with its ImageNet weights…")
def imagenet_classifier():
    return vision.load_imagenet_classifier()  # a failed download raises: nothing is cached


def widget(field: str):
    """A settings widget: key ``cnn_<field>``; default, range and help from CNNSettings."""
    default, spec = getattr(DEFAULTS, field), bounds(vision.CNNSettings, field)
    common = {"label": vision.LABELS[field], "key": PREFIX + field, "help": spec.help}
    options = spec.choices or vision.SLIDER_STEPS.get(field)
    if isinstance(default, bool):
        return st.toggle(value=default, **common)
    if options and isinstance(default, str):
        return st.radio(options=options, index=options.index(default), horizontal=True, **common)
    if options:
        return st.select_slider(options=options, value=default, **common)
    kind, step = type(default), 0.05 if isinstance(default, float) else 1
    return st.slider(
        min_value=kind(spec.minimum),
        max_value=kind(spec.maximum),
        value=default,
        step=step,
        **common,
    )


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


# -- Classroom: a shared link's settings, the guided walkthrough (before the widgets) -----
ui.shared_settings({vision.CNNSettings: PREFIX})
ui.walkthrough(vision.WALKTHROUGH, key=PREFIX + "walk", experiments={vision.CNNSettings: PREFIX})

# -- 1. The data -----------------------------------------------------------------------
st.header("1 · The images")
choose_dataset()
st.selectbox(
    "Data set",
    vision.DATASET_CHOICES,
    index=vision.DATASET_CHOICES.index(DEFAULTS.dataset),
    format_func=vision.DATASET_LABELS.get,
    key=PREFIX + "dataset",
    help=bounds(vision.CNNSettings, "dataset").help,
)
if error := st.session_state.pop(PREFIX + "dataset_error", None):
    st.warning(error, icon=":material/cloud_off:")
dataset_key = st.session_state[PREFIX + "dataset"]
dataset = own_images() if dataset_key == "zip" else None
if dataset is None:
    dataset = shared_dataset(dataset_key if dataset_key in datasets.KERAS_DATASETS else "digits")
    dataset_key = dataset_key if dataset_key in datasets.KERAS_DATASETS else "digits"
st.caption(vision.describe_dataset(dataset))
for column, (name, picture) in zip(
    st.columns(min(12, dataset.num_classes)), vision.class_gallery(dataset), strict=True
):
    column.image(picture, caption=name)

# -- 2. How a convolution works --------------------------------------------------------
st.header("2 · How a convolution works")
st.markdown(vision.CONVOLUTION_TEXT)
st.latex(vision.CONVOLUTION_FORMULA)
columns = st.columns(5)
index = columns[0].number_input("Test image", 0, len(dataset.y_test) - 1, 0, key="cnn_demo_image")
kernel_name = columns[1].selectbox("Kernel", [*vision.KERNELS, "your own"], key="cnn_demo_kernel")
stride = columns[2].radio("Stride", (1, 2), horizontal=True, key="cnn_demo_stride")
padding = columns[3].radio("Padding", ("same", "valid"), horizontal=True, key="cnn_demo_padding")
pooling = columns[4].radio("Pooling", ("max", "average", "none"), key="cnn_demo_pool")
kernel = np.array(vision.KERNELS.get(kernel_name, vision.KERNELS["identity"]), dtype=np.float32)
if kernel_name == "your own":
    typed = columns[1].text_input(
        "Nine numbers, row by row", "1 0 -1 2 0 -2 1 0 -1", key="cnn_demo_typed"
    )
    try:
        kernel = vision.parse_kernel(typed)
    except ValueError as problem:
        st.error(
            f"Kernel not understood: {problem}. Showing the identity.", icon=":material/error:"
        )
demo, shapes = vision.convolution_demo(
    vision.grey(dataset.x_test[index]), kernel, stride, padding, pooling
)
ui.chart(demo)
st.caption(shapes)
ui.show_code(vision.convolve2d, vision.pool2d)

# -- 3. Architecture -------------------------------------------------------------------
st.header("3 · Build the network")
for column, fields in zip(st.columns(4), vision.SETTINGS_COLUMNS, strict=True):
    with column:
        for field in fields:
            widget(field)
settings = vision.CNNSettings(
    **{
        name: st.session_state[PREFIX + name]
        for name in vision.CNNSettings.__dataclass_fields__
        if PREFIX + name in st.session_state and name != "dataset"
    },
    dataset=dataset_key,
)
ui.share_link((settings, PREFIX))
try:
    table = vision.layer_table(settings, dataset.image_shape, dataset.num_classes)
    estimate = vision.estimate_resources(
        settings, dataset.image_shape, dataset.num_classes, len(dataset.y_train)
    )
except vision.ArchitectureError as problem:
    st.error(str(problem), icon=":material/error:")
    st.stop()
st.dataframe(table, hide_index=True, width="stretch")
st.markdown(f"**{estimate.parameters:,} parameters** to learn, every one by backpropagation.")
if warning := vision.resource_warning(estimate):
    (st.warning if estimate.fits_in_memory else st.error)(warning, icon=":material/warning:")
    if not estimate.fits_in_memory:
        st.stop()
ui.show_code(vision.build_cnn)

# -- 4. Training -----------------------------------------------------------------------
st.header("4 · Train it")
batch_size = device.batch_size(settings.batch_size)
if device.has_gpu:
    st.caption(
        f"On this GPU: batches of {batch_size} images and {device.mixed_precision} precision."
    )
trainer = ui.session_trainer(
    PREFIX + "trainer",
    (settings, dataset.fingerprint),
    lambda: vision.make_trainer(
        settings, dataset, batch_size=batch_size, dtype_policy=device.mixed_precision
    ),
)
ui.training_panel(trainer, key=PREFIX + "train", metrics=("loss", "accuracy"))
ui.lab_downloads(  # take it to the lab, and keep the results
    trainer,
    lambda: vision.notebook_cells(settings),
    title="Deep convolutional networks: an image classifier in Keras",
    file_name="convolutional-network.ipynb",
    name="convolutional-network",
    key=PREFIX,
)


# -- 5. What it learnt and where it fails ----------------------------------------------
def model_to_probe(trainer, dataset_key: str):
    """The student's network once trained; before that the pretrained digits one (or None)."""
    if trainer.epochs_done > 0:
        return trainer.model, f"your network after {trainer.epochs_done} epochs"
    pretrained, info = pretrained_digits()
    if dataset_key == "digits" and pretrained is not None:
        about = vision.describe_pretrained(info)
        st.info(
            f"Not trained yet: showing {about}. Press Start to train your own.",
            icon=":material/info:",
        )
        return pretrained, about
    return None, ""


def where_it_fails(model, about: str, dataset: datasets.ImageDataset) -> None:
    """Test accuracy, the clickable confusion matrix, and the misclassified images of a cell."""
    cache_key = (id(model), about, dataset.fingerprint)  # `about` counts the epochs
    if st.session_state.get(PREFIX + "evaluation", (None,))[0] != cache_key:
        st.session_state[PREFIX + "evaluation"] = (cache_key, vision.evaluate(model, dataset))
    result = st.session_state[PREFIX + "evaluation"][1]
    st.metric(
        "Test accuracy",
        f"{result.accuracy:.1%}",
        help=f"On {len(dataset.y_test):,} test images never used in training; {about}.",
    )
    left, right = st.columns([3, 2])
    with left:
        event = ui.chart(
            vision.confusion_chart(result.confusion, dataset.class_names),
            key=PREFIX + "confusion",
            on_select="rerun",
            selection_mode="cell",
        )
    pair = vision.selected_pair(event.selection if event else {}, dataset.class_names)
    pair = pair or vision.most_confused_pair(result.confusion)
    with right:
        if pair is None:
            st.success("No test image is misclassified.")
            return
        true, predicted = pair
        wrong = vision.misclassified(dataset.y_test, result.predicted, true, predicted)
        names = dataset.class_names
        st.subheader(f"True {names[true]}, predicted {names[predicted]}: {len(wrong)}")
        if len(wrong):
            confidence = result.probabilities[wrong, predicted]
            st.image(
                [vision.upscale(dataset.x_test[i], 72) for i in wrong[:24]],
                caption=[f"{p:.0%}" for p in confidence[:24]],
            )
        else:
            st.caption("None of this pair: click an orange cell.")


def what_it_learnt(model, dataset: datasets.ImageDataset) -> None:
    """The first layer's filters and the feature maps of one test image."""
    st.subheader("The first layer's filters")
    st.image(
        vision.upscale(vision.tile(vision.first_layer_filters(model), columns=16, gap=1), 640),
        caption="Each square: one learnt kernel (dark = negative weight, light = positive).",
    )
    st.subheader("Feature maps of every convolution layer")
    probe = st.number_input("Test image", 0, len(dataset.y_test) - 1, 0, key="cnn_probe_image")
    st.image(
        vision.upscale(dataset.x_test[probe], 96),
        caption=f"true class {dataset.class_names[dataset.y_test[probe]]}",
    )
    for name, activations in vision.feature_maps(model, dataset.x_test[probe]):
        st.image(
            vision.feature_map_grid(activations),
            caption=vision.feature_map_caption(name, activations),
        )


# -- 6. Try it yourself ----------------------------------------------------------------
def drawn_or_uploaded(dataset: datasets.ImageDataset, dataset_key: str):
    """The student's drawing or photo, preprocessed like the data set's images (or None)."""
    pixels = None
    try:
        from streamlit_drawable_canvas import st_canvas

        drawing = st_canvas(
            stroke_width=20,
            stroke_color="#FFFFFF",
            background_color="#000000",
            width=240,
            height=240,
            return_image_data=True,
            key=PREFIX + "canvas",
        )
    except Exception as problem:  # the drawing component is optional: uploads still work
        drawing = None
        st.info(
            f"The drawing canvas is not available here ({type(problem).__name__}); upload a picture instead."
        )
    if drawing is not None and drawing.image_data is not None:
        pixels = vision.preprocess_drawing(drawing.image_data, dataset.image_shape, dataset_key)
    photo = st.file_uploader(
        "…or upload a photo",
        type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
        key=PREFIX + "photo",
    )
    if photo is not None:
        try:
            decoded = datasets.decode_image(photo.getvalue())
            pixels = vision.preprocess_photo(decoded, dataset.image_shape, dataset_key)
        except datasets.UploadError as problem:
            st.error(f"This picture cannot be used: {problem}", icon=":material/error:")
    return pixels


def try_it_yourself(model, dataset: datasets.ImageDataset, dataset_key: str) -> None:
    """What the network makes of a drawing or photo: the top-5 classes."""
    st.header("6 · Try it yourself")
    left, middle, right = st.columns([2, 1, 2])
    with left:
        pixels = drawn_or_uploaded(dataset, dataset_key)
    if pixels is None:
        st.caption("Draw a digit (white on black) or upload a photo to see what the network says.")
    else:
        probabilities = vision.predict_proba(model, pixels[None])[0]
        best = int(probabilities.argmax())
        example = dataset.x_train[dataset.y_train == best][0]
        h, w, _ = dataset.image_shape
        middle.image(
            [vision.upscale(pixels, 120), vision.upscale(example, 120)],
            caption=[f"what the network sees: {h}×{w}", f"a training {dataset.class_names[best]}"],
            width=120,
        )
        with right:
            ui.chart(
                charts.bar_chart(
                    vision.top_k(probabilities, dataset.class_names, 5),
                    category="class",
                    value="probability",
                    title="Top-5 probabilities",
                    height=230,
                )
            )
    ui.show_code(vision.preprocess_drawing)


st.header("5 · What it learnt, and where it fails")
model, about = model_to_probe(trainer, dataset_key)
if model is None:
    st.info(
        "Train the network (Start above) to see what it learnt and to try it yourself.",
        icon=":material/info:",
    )
else:
    where_it_fails(model, about, dataset)
    what_it_learnt(model, dataset)
    try_it_yourself(model, dataset, dataset_key)

# -- 7. ImageNet -----------------------------------------------------------------------
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
        decoded = datasets.decode_image(photo.getvalue())
        labels = vision.classify_imagenet(imagenet_classifier(), decoded)
        st.image(decoded, width=300)
        ui.chart(
            charts.bar_chart(
                labels, category="class", value="probability", title="ImageNet top 5", height=230
            )
        )
    except (datasets.UploadError, vision.WeightsUnavailable) as problem:
        st.warning(str(problem), icon=":material/cloud_off:")

ui.quiz(vision.QUIZ, key=PREFIX + "quiz")
