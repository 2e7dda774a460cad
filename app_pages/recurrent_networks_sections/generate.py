"""Section 4, Generate: sample text one character at a time, at a chosen temperature.

The pretrained GRU (shared, read-only) or the student's own network from section 3 reads
the seed text, shows its next-character probabilities, and writes on.
"""

import streamlit as st

from course_lib import budget, charts, text, ui
from course_lib.text import GenerationSettings

PREFIX = "gen_"
SAMPLER_KEY = "rnn_sampler"  # the student's own sampler, kept with their trainer
NETWORK_LABELS = {"pretrained": "pretrained (Python)", "yours": "yours (section 3)"}


@st.cache_resource(show_spinner="Loading the pretrained network…")
def pretrained() -> tuple[text.Pretrained, text.Sampler]:
    shipped = text.load_pretrained()
    return shipped, text.Sampler(shipped.model, shipped.vocabulary)


def generation_widgets(trainer) -> GenerationSettings:
    columns = st.columns([1, 2, 1, 1])
    widget = ui.setting_widget
    network = widget(
        columns[0].radio, GenerationSettings, "network", "Network", prefix=PREFIX,
        disabled=trainer is None, format_func=NETWORK_LABELS.get,
    )  # fmt: skip
    seed_text = widget(
        columns[1].text_input, GenerationSettings, "seed_text", "Seed text", prefix=PREFIX,
        max_chars=text.MAX_SEED_CHARS,
    )  # fmt: skip
    temperature = widget(
        columns[2].slider, GenerationSettings, "temperature", "Temperature", prefix=PREFIX, step=0.05
    )  # fmt: skip
    length = widget(columns[3].number_input, GenerationSettings, "length", "Length", prefix=PREFIX)
    return GenerationSettings(
        network=network, seed_text=seed_text, temperature=temperature, length=int(length)
    )


def choose_sampler(network: str, trainer, data, shipped_sampler: text.Sampler) -> text.Sampler:
    """The pretrained sampler, or one over the student's own model (kept in their session)."""
    sampler = st.session_state.get(SAMPLER_KEY)
    if sampler is not None and (trainer is None or sampler.model is not trainer.model):
        sampler = st.session_state[SAMPLER_KEY] = None  # a reset or new settings: free it
    if network != "yours" or trainer is None:
        return shipped_sampler
    if sampler is None:
        sampler = st.session_state[SAMPLER_KEY] = text.Sampler(trainer.model, data.vocabulary)
    if trainer.epochs_done == 0:
        st.info(
            "Your network has not trained yet: expect random characters. Train it in section 3."
        )
    return sampler


def show(trainer, data) -> tuple[GenerationSettings, text.Sampler]:
    """Draw the section; returns its settings (for the link) and the sampler it used."""
    st.header("4 · Generate")
    shipped, shipped_sampler = pretrained()
    st.caption(text.pretrained_summary(shipped.info))
    ui.walkthrough(
        text.GENERATION_WALKTHROUGH, key="gen_tour", experiments={GenerationSettings: PREFIX},
        adjust=text.widget_value,
    )  # fmt: skip
    generation = generation_widgets(trainer)
    sampler = choose_sampler(generation.network, trainer, data, shipped_sampler)
    vocabulary, seed_text = sampler.vocabulary, generation.seed_text
    if unknown := vocabulary.unknown_in(seed_text):
        shown = ", ".join(f"'{text.visible(t)}'" for t in unknown[:10])
        st.warning(
            f"The network has never seen {shown}: it reads them as {text.UNKNOWN}.",
            icon=":material/help:",
        )
    temperature, note = text.check_temperature(generation.temperature)
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
        write(sampler, seed_text, generation.length, temperature)
    ui.show_code(text.Sampler, label="Show the sampler that carries the hidden state")
    return generation, sampler


def write(sampler: text.Sampler, seed_text: str, length: int, temperature: float) -> None:
    """The Generate button, and the text appearing chunk by chunk as the network writes it."""
    clicked = st.button("Generate", key="rnn_generate", type="primary", icon=":material/edit_note:")
    box = st.container(key="rnn_written_box")
    refusal = budget.check(budget.text_generation(length, sampler.model.count_params()))
    if clicked and refusal:  # over this server's budget: not started
        st.error(refusal, icon=":material/block:")
    elif clicked:
        placeholder, written = box.empty(), seed_text
        for piece in sampler.generate(seed_text, int(length), temperature):
            written += piece
            placeholder.code(written, language=None, wrap_lines=True)
        st.session_state.rnn_written = written
    elif "rnn_written" in st.session_state:
        box.code(st.session_state.rnn_written, language=None, wrap_lines=True)
    else:
        st.caption("Press Generate: the text appears as the network writes it, chunk by chunk.")
