"""Chapter 4 · Deep recurrent networks: a character-level text generator."""

import dataclasses

import streamlit as st

from course_lib import charts, text, ui
from course_lib.text import CorpusError, GenerationSettings, TextSettings

PREFIX = "rnn_"
#: Widget-key (and shared-link) prefix of each settings dataclass: one shared link each.
PREFIXES = {TextSettings: PREFIX, GenerationSettings: "gen_"}

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


@st.cache_resource(show_spinner="Loading the pretrained network…")
def pretrained() -> tuple[text.Pretrained, text.Sampler]:
    shipped = text.load_pretrained()
    return shipped, text.Sampler(shipped.model, shipped.vocabulary)


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
try:
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

# -- 4. Generation ---------------------------------------------------------------------------
st.header("4 · Generate")
shipped, shipped_sampler = pretrained()
st.caption(text.pretrained_summary(shipped.info))
ui.walkthrough(
    text.GENERATION_WALKTHROUGH, key="gen_tour", experiments={GenerationSettings: "gen_"},
    adjust=text.widget_value,
)  # fmt: skip
# fmt: off
columns = st.columns([1, 2, 1, 1])
network = widget(columns[0].radio, "network", "Network", GenerationSettings, disabled=trainer is None,
                 format_func={"pretrained": "pretrained (Python)", "yours": "yours (section 3)"}.get)
seed_text = widget(columns[1].text_input, "seed_text", "Seed text", GenerationSettings, max_chars=text.MAX_SEED_CHARS)
temperature = widget(columns[2].slider, "temperature", "Temperature", GenerationSettings, step=0.05)
length = widget(columns[3].number_input, "length", "Length", GenerationSettings)
# fmt: on
generation = GenerationSettings(
    network=network, seed_text=seed_text, temperature=temperature, length=int(length)
)
sampler = st.session_state.get(PREFIX + "sampler")
if sampler is not None and (trainer is None or sampler.model is not trainer.model):
    sampler = st.session_state[PREFIX + "sampler"] = None  # a reset or new settings: free it
if network == "yours" and trainer is not None:
    if sampler is None:
        sampler = st.session_state[PREFIX + "sampler"] = text.Sampler(
            trainer.model, data.vocabulary
        )
    if trainer.epochs_done == 0:
        st.info(
            "Your network has not trained yet: expect random characters. Train it in section 3."
        )
else:
    sampler = shipped_sampler
vocabulary = sampler.vocabulary
unknown = vocabulary.unknown_in(seed_text)
if unknown:
    shown = ", ".join(f"'{text.visible(t)}'" for t in unknown[:10])
    st.warning(
        f"The network has never seen {shown}: it reads them as {text.UNKNOWN}.",
        icon=":material/help:",
    )
temperature, note = text.check_temperature(temperature)
if note:
    st.info(note, icon=":material/thermostat:")
logits, _ = sampler.read(seed_text or "\n")
probabilities = text.next_token_probabilities(logits[-1], temperature)
left, right = st.columns([3, 2])
with right:
    ui.chart(
        charts.bar_chart(
            text.next_token_frame(probabilities, vocabulary, top=12),
            category="token",
            value="probability",
            title=f"Next {vocabulary.unit} at T = {temperature:g}",
            value_title="probability",
            height=360,
        )
    )
with left:
    clicked = st.button(
        "Generate", key=PREFIX + "generate", type="primary", icon=":material/edit_note:"
    )
    box = st.container(key=PREFIX + "written_box")
    if clicked:
        placeholder, written = box.empty(), seed_text
        for piece in sampler.generate(seed_text, int(length), temperature):
            written += piece
            placeholder.code(written, language=None, wrap_lines=True)
        st.session_state[PREFIX + "written"] = written
    elif PREFIX + "written" in st.session_state:
        box.code(st.session_state[PREFIX + "written"], language=None, wrap_lines=True)
    else:
        st.caption("Press Generate: the text appears as the network writes it, chunk by chunk.")
ui.show_code(text.Sampler, label="Show the sampler that carries the hidden state")

# -- 5. Look inside --------------------------------------------------------------------------
st.header("5 · Look inside: one hidden unit")
st.markdown(
    "The hidden state after each character is a vector of numbers. Colour the text by one of "
    "them: **orange** when the unit is high, **blue** when it is low. The units that vary "
    "most over the text come first; some track quotes, brackets or the start of a line."
)
inside = (st.session_state.get(PREFIX + "written") or corpus.text[-700:])[:1000]
activations = text.hidden_activations(sampler.model, vocabulary, inside)
order = text.units_by_variance(activations)
unit = st.selectbox(
    "Hidden unit (most variable first)",
    [int(u) for u in order],
    key=PREFIX + "unit",
    format_func=lambda u: f"unit {u} · variance {activations[:, u].var():.3f}",
)
st.html(text.activation_html(vocabulary.tokenize(inside), activations[:, unit]))
ui.quiz(text.QUIZ, key=PREFIX + "quiz")
with link:
    ui.share_link((settings, PREFIX), (generation, "gen_"))
