"""Chapter 2 · Deep supervised learning: a playground for depth, optimisation and overfitting.

A view only: the widgets fill a :class:`course_lib.playground.PlaygroundSettings`, and
``course_lib.playground`` generates the data, builds and trains the network and draws
what it learnt. The classroom pieces (walkthrough, shareable link, quiz, notebook and
results downloads) are ``course_lib.ui``'s; their content is ``course_lib.playground``'s.
"""

import streamlit as st

from course_lib import budget, ui
from course_lib import playground as pg
from course_lib.settings import bounds

PREFIX = "play_"
DEFAULTS = pg.PlaygroundSettings()

st.title("Deep supervised learning: a playground")
st.markdown(
    "Train a network of your chosen depth and width on points in the plane and watch its "
    "**decision boundary** bend as it learns. You will see why depth helps, how the "
    "optimiser and the learning rate decide whether training works at all, and how a big "
    "network **overfits** a few points — and how dropout or L2 pull it back."
)


def key(field: str) -> str:
    return PREFIX + field


def hint(field: str) -> str:
    return bounds(pg.PlaygroundSettings, field).help.capitalize() + "."


def current_settings() -> pg.PlaygroundSettings:
    return pg.settings_from_values({f: st.session_state[key(f)] for f in pg.FIELDS})


def apply_preset(name: str) -> None:
    for field, value in pg.preset(name).values.items():
        st.session_state[key(field)] = value
    st.session_state[key("preset")] = name


# Widgets read their value from the session, where presets, walkthrough steps and shared
# links write; the dataclass defaults fill it the first time.
ui.shared_settings({pg.PlaygroundSettings: PREFIX})
for field in pg.FIELDS:
    st.session_state.setdefault(key(field), getattr(DEFAULTS, field))
# a link may hold any value in range; a select slider shows only the values it offers
snapped = []
for field in pg.OFFERED:
    value, note = pg.offered_value(field, st.session_state[key(field)])
    if note:
        st.session_state[key(field)] = value
        snapped.append(note)

ui.walkthrough(
    pg.WALKTHROUGH,
    key=key("tour"),
    experiments={pg.PlaygroundSettings: PREFIX},
    adjust=pg.offered_value,
)

st.subheader("Presets")
columns = st.columns(len(pg.PRESETS))
for column, item in zip(columns, pg.PRESETS, strict=True):
    column.button(
        item.name,
        key=key(f"preset_{item.name.replace(' ', '_')}"),
        help=item.description,
        on_click=apply_preset,
        args=(item.name,),
        width="stretch",
    )
chosen = st.session_state.get(key("preset"))
if chosen and pg.is_preset(chosen, current_settings()):  # until a control moves
    st.caption(f"**{chosen}** — {pg.preset(chosen).description}")

data_column, network_column, training_column = st.columns(3, gap="large")
with data_column:
    st.subheader("Data")
    dataset = st.selectbox("Data set", pg.DATASETS, key=key("dataset"), help=hint("dataset"))
    upload = None
    if dataset == "your CSV":
        upload = st.file_uploader(
            "Your points (CSV with columns x1, x2, label)",
            type=["csv", "txt"],
            key=key("upload"),
            help=f"Up to {pg.MAX_CLASSES} classes; more than {pg.MAX_CSV_ROWS:,} rows are "
            "randomly down-sampled.",
        )
    else:
        if dataset == "Gaussian blobs":
            st.slider("Classes", 2, 5, key=key("classes"), help=hint("classes"))
        st.slider("Points", 20, 2000, step=20, key=key("samples"), help=hint("samples"))
        st.slider("Noise", 0.0, 0.5, step=0.05, key=key("noise"), help=hint("noise"))
    st.slider(
        "Test share", 0.1, 0.9, step=0.1, key=key("test_fraction"), help=hint("test_fraction")
    )
    st.number_input("Seed", 0, 2**31 - 2, key=key("seed"), help=hint("seed"))

with network_column:
    st.subheader("Network")
    hidden_layers = st.slider(
        "Hidden layers", 1, pg.MAX_LAYERS, key=key("hidden_layers"), help=hint("hidden_layers")
    )
    for i in range(1, hidden_layers + 1):
        units, activation = st.columns(2)
        units.select_slider(f"Layer {i}: neurons", pg.WIDTHS, key=key(f"hidden_units_{i}"))
        activation.selectbox(f"Layer {i}: activation", pg.ACTIVATIONS, key=key(f"activation_{i}"))
    st.slider("Dropout", 0.0, 0.7, step=0.05, key=key("dropout"), help=hint("dropout"))
    l1, l2 = st.columns(2)
    l1.select_slider("L1", pg.PENALTIES, key=key("l1"), help=hint("l1"), format_func="{:g}".format)
    l2.select_slider("L2", pg.PENALTIES, key=key("l2"), help=hint("l2"), format_func="{:g}".format)
    st.toggle("Batch normalisation", key=key("batch_norm"), help=hint("batch_norm"))

with training_column:
    st.subheader("Optimiser")
    st.selectbox("Optimizer", pg.OPTIMIZERS, key=key("optimizer"), help=hint("optimizer"))
    st.select_slider(
        "Learning rate",
        pg.LEARNING_RATES,
        key=key("learning_rate"),
        help=hint("learning_rate"),
        format_func="{:g}".format,
    )
    st.select_slider("Batch size", pg.BATCH_SIZES, key=key("batch_size"), help=hint("batch_size"))
    st.number_input("Epochs", 1, 5000, step=50, key=key("epochs"), help=hint("epochs"))


@st.cache_resource(max_entries=4, show_spinner="Reading your points…")
def read_upload(data: bytes, test_fraction: float, seed: int):
    """``(dataset, None)`` or ``(None, message)``; cached so a bad file is read once."""
    try:
        return pg.load_csv(data, test_fraction=test_fraction, seed=seed), None
    except pg.CsvProblem as problem:
        return None, str(problem)


settings = current_settings()
for note in snapped:
    st.warning(f"From the link: {note}", icon=":material/link_off:")
ui.share_link((settings, PREFIX))
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
    data_id = pg.csv_digest(upload_bytes)
    for note in data.notes:
        st.caption(f":material/info: {note}")
else:
    data, data_id = pg.make_dataset(settings), settings.dataset

st.markdown(pg.size_summary(settings, data))
if warning := pg.heavy_network_warning(settings, data):
    st.warning(warning, icon=":material/hourglass_top:")

ui.require_tensorflow()
if refusal := budget.check(budget.playground_training(settings)):
    st.error(refusal, icon=":material/block:")  # over this server's budget: not built
    st.stop()
trainer = ui.session_trainer(
    key("trainer"), (settings, data_id), lambda: pg.make_trainer(settings, data)
)

st.header("Training", divider="gray")
st.caption(
    "The curves marked *validation* are the held-out **test** points: the network never "
    "trains on them. A growing gap between the two is overfitting."
)


def live_view(trainer) -> None:
    """Drawn inside the training fragment: it moves as the network learns."""
    boundary, gradients = st.columns([3, 2], gap="large")
    with boundary:
        frame = pg.boundary_frame(trainer.model, data, resolution=60)
        ui.chart(
            pg.boundary_chart(frame, data, title=f"Decision boundary, epoch {trainer.epochs_done}")
        )
        st.caption(
            "Background: the class the network predicts, paler where it is unsure. "
            "Circles: training points. Hollow diamonds: test points."
        )
    with gradients:
        norms = pg.gradient_frame(trainer.history)
        if len(norms):
            ui.chart(pg.gradient_chart(norms))
            st.caption(
                "How strongly the loss pulls on each layer's weights. Curves far below the "
                "output's mean the first layers barely learn: vanishing gradients."
            )
        else:
            st.caption("The gradient norm of each layer appears here once training starts.")


ui.training_panel(
    trainer,
    key=key("train"),
    metrics=("loss", "accuracy"),
    live_view=live_view,
    step_button=True,
)
ui.lab_downloads(
    trainer,
    lambda: pg.notebook_cells(settings, csv_name=upload.name if upload else None),
    title=f"Deep supervised learning playground: {settings.dataset}",
    file_name="playground.ipynb",
    name="playground",
    key=PREFIX,
)

st.header("Inside the net", divider="gray")
st.markdown(
    "Each small square is one hidden neuron's output over the same plane as the decision "
    "boundary. The first layer can only draw straight lines (one weighted sum, then the "
    "activation); the next layer combines them into curves and regions — that is what depth "
    "buys."
)
ui.chart(pg.neuron_chart(pg.neuron_frame(trainer.model, data, max_neurons=8)))
if max(units for units, _ in settings.layers[:2]) > 8:
    st.caption("Only the first 8 neurons of each of the first two layers are shown.")

st.subheader("What the optimiser minimises")
st.latex(
    r"\mathcal{L}(W) = -\frac{1}{n}\sum_{i=1}^{n} \log p_W(y_i \mid x_i)"
    r" \;+\; \lambda_1 \sum |w| \;+\; \lambda_2 \sum w^2"
)
st.markdown(
    "Cross-entropy on the training points plus the L1 and L2 penalties. Dropout is not in "
    "the formula: it switches off a random share of the hidden neurons at every step, so no "
    "neuron can rely on another — the network learns smoother, more robust boundaries."
)

st.header("The Keras code", divider="gray")
script = pg.keras_script(settings, csv_name=upload.name if upload is not None else None)
with st.expander("A standalone Keras script for these settings", icon=":material/code:"):
    st.code(script, language="python")
st.download_button(
    "Download playground_model.py",
    script,
    file_name="playground_model.py",
    mime="text/x-python",
    key=key("download"),
    icon=":material/download:",
)
ui.show_code(pg.build_model, pg.GradientNorms.__call__, label="The course_lib code behind it")

ui.quiz(pg.QUIZ, key=key("quiz"))
