"""Chapter 4 · Deep recurrent networks: a character-level text generator."""

import streamlit as st

from app_pages.recurrent_networks_sections import EXPERIMENTS, PREFIX, generate, look_inside
from course_lib import budget, ui
from course_lib.recurrent_networks import charts, lab, lesson, model
from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks.corpus import CorpusError
from course_lib.recurrent_networks.model import TextSettings

#: How the page names the corpora of :class:`TextSettings`.
CORPUS_LABELS = {
    "python": "Python's standard library (offline)",
    "shakespeare": "Shakespeare (download)",
    "upload": "Your own .txt file",
}

st.title("Deep recurrent networks: a text generator")
st.markdown(
    "A recurrent network reads a sequence one step at a time and carries a **hidden state** "
    "from step to step: its memory of what it has read. Here one learns to predict the next "
    "character of a text; you will watch it go from gibberish to words, turn the "
    "**temperature** of its sampling up and down, and see single hidden units light up as it reads."
)
ui.require_tensorflow()
# A shared link's settings first (once per visit), then the walkthrough, then the widgets.
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(  # its presets reset the training settings only, not the generation ones
    lesson.WALKTHROUGH, key=PREFIX + "tour", controls=ui.Controls({TextSettings: PREFIX})
)
link = st.container()  # "Copy link", filled at the end when both settings are known


def widget(kind, field: str, **kwargs):
    """A widget for one training setting: key, default, range, stops and help declared once."""
    return controls.widget(kind, TextSettings, field, **kwargs)


@st.cache_resource(show_spinner="Reading the text…", max_entries=4)
def load_corpus(name: str) -> corpora.Corpus:
    return corpora.load_shakespeare() if name == "shakespeare" else corpora.load_offline_corpus()


@st.cache_resource(show_spinner="Cutting the text into training windows…", max_entries=4)
def prepare(corpus_text: str, settings: TextSettings) -> corpora.TextData:
    return corpora.prepare_data(corpus_text, settings)


@st.cache_data(show_spinner=False, max_entries=4)
def describe(corpus_text: str):
    return corpora.corpus_statistics(corpus_text), corpora.character_frequencies(
        corpus_text, top=12
    )


# -- 1. The text ---------------------------------------------------------------------------
st.header("1 · The text")
source = widget(st.radio, "corpus", horizontal=True, format_func=CORPUS_LABELS.get)
corpus = None
try:
    if source == "upload":
        upload = st.file_uploader(
            "A plain-text file", type=["txt"], key=PREFIX + "upload", max_upload_size=20
        )
        if upload is not None:
            corpus = corpora.read_upload(upload.getvalue(), upload.name)
        else:
            st.info(
                "Upload a .txt file (a book from Project Gutenberg works well). Meanwhile: Python."
            )
    else:
        corpus = load_corpus(source)
except CorpusError as error:
    st.error(f"{error} Meanwhile the page uses Python's standard library.", icon=":material/error:")
corpus = corpus or load_corpus("python")
for notice in corpus.notices:
    st.warning(notice, icon=":material/info:")
st.caption(corpus.source)
statistics, frequencies = describe(corpus.text)
for column, (name, value) in zip(st.columns(4), statistics.items(), strict=True):
    column.metric(name, f"{value:,}")
left, right = st.columns([3, 2])
left.code(corpus.text[:600], language=None, height=320)
with right:
    ui.chart(charts.character_frequency_chart(frequencies, height=320))

# -- 2. The network ------------------------------------------------------------------------
st.header("2 · The network")
st.markdown(
    "Each character becomes an id, the id an **embedding** vector $x_t$; the recurrent layer "
    "updates its hidden state from it, and a dense layer turns the state into a score for "
    "every possible next character, the network's output $\\tilde{y}_t$:"
)
st.latex(
    r"h_t = f(W x_t + U h_{t-1} + b), \qquad \tilde{y}_t = p(x_{t+1} \mid x_{\le t})"
    r" = \mathrm{softmax}(V h_t + c)"
)

# -- 3. Training: the knobs in a column beside the curves and Start (one screen) ------------
st.header("3 · Train it")
knobs, panel = st.columns([1, 3], gap="medium")
with knobs:
    level = widget(st.radio, "level", horizontal=True)
    widget(st.selectbox, "cell")
    widget(st.select_slider, "hidden_units")
    widget(st.slider, "layers")
    with st.expander("More settings", icon=":material/tune:"):
        for field in ("sequence_length", "batch_size", "learning_rate", "embedding_dim"):
            widget(st.select_slider, field)
        widget(st.number_input, "steps_per_epoch")
        widget(st.number_input, "epochs")
        widget(st.number_input, "max_words", disabled=level != "word")
        widget(st.slider, "validation_fraction")
        widget(st.number_input, "seed")
settings = controls.settings(TextSettings)
metric = model.bits_metric(level)
trainer = data = None
vocabulary = settings.max_words if level == "word" else corpora.MAX_CHARACTERS + 1  # at most
cost = budget.rnn_training(settings, vocabulary, len(corpus.text) // settings.sequence_length)
try:
    if refusal := budget.check(cost):  # over this server's budget: not even built
        st.error(refusal, icon=":material/block:")
    else:
        data = prepare(corpus.text, settings)
except CorpusError as error:
    st.error(str(error), icon=":material/error:")
if data is not None:
    trainer = ui.session_trainer(
        PREFIX + "trainer",
        (settings, corpus.fingerprint),
        lambda: model.make_trainer(data, settings, corpus.seed_text),
    )

    def show_samples(trainer) -> None:
        if trainer.history:
            st.markdown(f"**Epoch {trainer.history[-1]['epoch']} writes:**")
            st.code(corpus.seed_text + trainer.history[-1]["sample"], language=None)
            st.dataframe(
                model.samples_frame(trainer.history, last=6), hide_index=True, width="stretch"
            )

    with panel, st.container(key=PREFIX + "curves"):
        ui.training_panel(
            trainer,
            key=PREFIX + "train",
            metrics=(metric,),
            reference_lines=data.baselines,
            live_view=show_samples,
            step_button=True,
            prepare=True,  # a recurrent network takes seconds to trace: while the student reads
        )
    st.markdown(model.data_summary(data))
    ui.lab_downloads(
        trainer,
        lambda: lab.notebook_cells(settings),
        title="A text generator with a recurrent network",
        file_name="recurrent-text-generator.ipynb",
        name="text-generator",
        key=PREFIX,
    )
    ui.show_code(model.build_model, model.epoch_hooks, label="Show the model and the epoch hooks")

# -- 4. Generation and 5. Look inside ------------------------------------------------------
sampler = generate.show(controls, trainer, data)
look_inside.show(sampler, corpus.text)
ui.quiz(lesson.QUIZ, key=PREFIX + "quiz")
with link:
    controls.share_link()
