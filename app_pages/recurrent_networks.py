"""Chapter 4 · Deep recurrent networks: a character-level text generator."""

import dataclasses

import streamlit as st

from app_pages.recurrent_networks_sections import generate, look_inside
from course_lib import budget, charts, text, ui
from course_lib.text import CorpusError, GenerationSettings, TextSettings

PREFIX = "rnn_"
#: Widget-key (and shared-link) prefix of each settings dataclass: one shared link each.
PREFIXES = {TextSettings: PREFIX, GenerationSettings: generate.PREFIX}

st.title("Deep recurrent networks: a text generator")
st.markdown(
    "A recurrent network reads a sequence one step at a time and carries a **hidden state** "
    "from step to step: its memory of what it has read. Here one learns to predict the next "
    "character of a text; you will watch it go from gibberish to words, turn the "
    "**temperature** of its sampling up and down, and see single hidden units light up as it reads."
)
ui.require_tensorflow()
# A shared link's settings first (once per visit), then the walkthrough, then the widgets.
ui.shared_settings(PREFIXES)
for settings_class, prefix in PREFIXES.items():
    for field in dataclasses.fields(settings_class):
        if prefix + field.name in st.session_state:  # valid, but maybe between slider stops
            value, note = text.widget_value(field.name, st.session_state[prefix + field.name])
            if note:
                st.session_state[prefix + field.name] = value
                st.warning(f"From the link: {note}", icon=":material/link_off:")
ui.walkthrough(
    text.WALKTHROUGH, key=PREFIX + "tour", experiments={TextSettings: PREFIX},
    adjust=text.widget_value,
)  # fmt: skip
link = st.container()  # "Copy link", filled at the end when both settings are known


def widget(kind, field: str, label: str, settings_class=TextSettings, **kwargs):
    """A widget for one settings field: key, default, range and help from the dataclass."""
    if kind.__name__ == "select_slider":
        kwargs["options"] = text.SLIDER_STOPS[field]
    return ui.setting_widget(
        kind, settings_class, field, label, prefix=PREFIXES[settings_class], **kwargs
    )


@st.cache_resource(show_spinner="Reading the text…", max_entries=4)
def load_corpus(name: str) -> text.Corpus:
    return text.load_shakespeare() if name == "shakespeare" else text.load_offline_corpus()


@st.cache_resource(show_spinner="Cutting the text into training windows…", max_entries=4)
def prepare(corpus_text: str, settings: TextSettings) -> text.TextData:
    return text.prepare_data(corpus_text, settings)


@st.cache_data(show_spinner=False, max_entries=4)
def describe(corpus_text: str):
    return text.corpus_statistics(corpus_text), text.character_frequencies(corpus_text, top=12)


# -- 1. The text ---------------------------------------------------------------------------
st.header("1 · The text")
source = widget(st.radio, "corpus", "Corpus", horizontal=True, format_func=text.CORPUS_LABELS.get)
corpus = None
try:
    if source == "upload":
        upload = st.file_uploader(
            "A plain-text file", type=["txt"], key=PREFIX + "upload", max_upload_size=20
        )
        if upload is not None:
            corpus = text.read_upload(upload.getvalue(), upload.name)
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
    ui.chart(
        charts.bar_chart(
            frequencies,
            category="character",
            value="share",
            title="Most frequent characters",
            value_title="share of the text",
            height=320,
        )
    )

# -- 2. The network ------------------------------------------------------------------------
st.header("2 · The network")
st.markdown(
    "Each character becomes an id, the id an **embedding** vector $x_t$; the recurrent layer "
    "updates its hidden state from it, and a dense layer turns the state into a score for "
    "every possible next character:"
)
st.latex(
    r"h_t = f(W x_t + U h_{t-1} + b), \qquad p(x_{t+1} \mid x_{\le t}) = \mathrm{softmax}(V h_t + c)"
)
# fmt: off
columns = st.columns(4)
level = widget(columns[0].radio, "level", "Tokens")
cell = widget(columns[1].selectbox, "cell", "Cell")
hidden_units = widget(columns[2].select_slider, "hidden_units", "Hidden units")
layers = widget(columns[3].slider, "layers", "Layers")
with st.expander("More settings: sequence length, batch, learning rate, epochs", icon=":material/tune:"):
    columns = st.columns(4)
    sequence_length = widget(columns[0].select_slider, "sequence_length", "Sequence length")
    batch_size = widget(columns[1].select_slider, "batch_size", "Batch size")
    learning_rate = widget(columns[2].select_slider, "learning_rate", "Learning rate")
    embedding_dim = widget(columns[3].select_slider, "embedding_dim", "Embedding size")
    columns = st.columns(4)
    steps_per_epoch = widget(columns[0].number_input, "steps_per_epoch", "Steps per epoch")
    epochs = widget(columns[1].number_input, "epochs", "Epochs per run")
    max_words = widget(columns[2].number_input, "max_words", "Word vocabulary", disabled=level != "word")
    seed = widget(columns[3].number_input, "seed", "Seed")
# fmt: on
settings = TextSettings(
    corpus=source,
    level=level,
    max_words=int(max_words),
    cell=cell,
    embedding_dim=embedding_dim,
    hidden_units=hidden_units,
    layers=layers,
    sequence_length=sequence_length,
    batch_size=batch_size,
    learning_rate=learning_rate,
    epochs=int(epochs),
    steps_per_epoch=int(steps_per_epoch),
    seed=int(seed),
)  # fmt: skip

# -- 3. Training ---------------------------------------------------------------------------
st.header("3 · Train it")
metric = text.bits_metric(level)
trainer = data = None
vocabulary = settings.max_words if level == "word" else text.MAX_CHARACTERS + 1  # at most
cost = budget.rnn_training(settings, vocabulary, len(corpus.text) // settings.sequence_length)
try:
    if refusal := budget.check(cost):  # over this server's budget: not even built
        st.error(refusal, icon=":material/block:")
    else:
        data = prepare(corpus.text, settings)
except CorpusError as error:
    st.error(str(error), icon=":material/error:")
if data is not None:
    st.markdown(text.data_summary(data))
    trainer = ui.session_trainer(
        PREFIX + "trainer",
        (settings, corpus.fingerprint),
        lambda: text.make_trainer(data, settings, corpus.seed_text),
    )

    def show_samples(trainer) -> None:
        if trainer.history:
            st.markdown(f"**Epoch {trainer.history[-1]['epoch']} writes:**")
            st.code(corpus.seed_text + trainer.history[-1]["sample"], language=None)
            st.dataframe(
                text.samples_frame(trainer.history, last=6), hide_index=True, width="stretch"
            )

    ui.training_panel(
        trainer,
        key=PREFIX + "train",
        metrics=(metric,),
        reference_lines=data.baselines,
        live_view=show_samples,
        step_button=True,
    )
    ui.lab_downloads(
        trainer,
        lambda: text.notebook_cells(settings),
        title="A text generator with a recurrent network",
        file_name="recurrent-text-generator.ipynb",
        name="text-generator",
        key=PREFIX,
    )
    ui.show_code(text.build_model, text.epoch_hooks, label="Show the model and the epoch hooks")

# -- 4. Generation and 5. Look inside ------------------------------------------------------
generation, sampler = generate.show(trainer, data)
look_inside.show(sampler, corpus.text)
ui.quiz(text.QUIZ, key=PREFIX + "quiz")
with link:
    ui.share_link((settings, PREFIX), (generation, generate.PREFIX))
