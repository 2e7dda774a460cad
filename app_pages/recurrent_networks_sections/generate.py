"""Section 4, Generate: sample text one character at a time, at a chosen temperature.

The pretrained GRU (shared, read-only) or the student's own network from section 3 reads
the seed text, shows its next-character probabilities, and writes on.
"""

import streamlit as st

from app_pages.recurrent_networks_sections import GENERATION_PREFIX, PREFIX, WRITTEN_KEY
from course_lib import budget, ui
from course_lib.recurrent_networks import charts, lesson, pretrained
from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks import sampler as sampling
from course_lib.recurrent_networks.sampler import GenerationSettings

SAMPLER_KEY = PREFIX + "sampler"  # the student's own sampler, kept with their trainer
SAMPLING_SEED_KEY = PREFIX + "sampling_seed"  # the seed of the last press, shown under the text
NETWORK_LABELS = {"pretrained": "pretrained (Python)", "yours": "yours (section 3)"}


@st.cache_resource(show_spinner="Loading the pretrained network…")
def shipped_network() -> tuple[pretrained.Pretrained, sampling.Sampler]:
    shipped = pretrained.load_pretrained()
    return shipped, sampling.Sampler(shipped.model, shipped.vocabulary)


def generation_widgets(controls: ui.Controls, trainer) -> GenerationSettings:
    """The four generation widgets, and the settings they hold."""
    key = controls.key(GenerationSettings, "seed_text")
    seed_text, note = sampling.cut_seed_text(st.session_state.get(key, ""))
    if note:  # from a link: the text box takes no more
        st.session_state[key] = seed_text
        st.info(note, icon=":material/content_cut:")
    columns = st.columns([1, 2, 1, 1])
    widget = controls.widget
    widget(
        columns[0].radio, GenerationSettings, "network",
        disabled=trainer is None, format_func=NETWORK_LABELS.get,
    )  # fmt: skip
    widget(
        columns[1].text_input, GenerationSettings, "seed_text", max_chars=sampling.MAX_SEED_CHARS
    )
    widget(columns[2].slider, GenerationSettings, "temperature")
    widget(columns[3].number_input, GenerationSettings, "length")
    return controls.settings(GenerationSettings)


def choose_sampler(
    network: str, trainer, data, shipped_sampler: sampling.Sampler
) -> sampling.Sampler:
    """The pretrained sampler, or one over the student's own model (kept in their session)."""
    sampler = st.session_state.get(SAMPLER_KEY)
    if sampler is not None and (trainer is None or sampler.model is not trainer.model):
        sampler = st.session_state[SAMPLER_KEY] = None  # a reset or new settings: free it
    if network != "yours" or trainer is None:
        return shipped_sampler
    if sampler is None:
        sampler = st.session_state[SAMPLER_KEY] = sampling.Sampler(trainer.model, data.vocabulary)
    if trainer.epochs_done == 0:
        st.info(
            "Your network has not trained yet: expect random characters. Train it in section 3."
        )
    return sampler


def show(controls: ui.Controls, trainer, data) -> sampling.Sampler:
    """Draw the section with the page's ``controls``; returns the sampler it used."""
    st.header("4 · Generate")
    shipped, shipped_sampler = shipped_network()
    st.caption(pretrained.pretrained_summary(shipped.info))
    ui.walkthrough(  # its presets reset the generation settings only, not the training
        lesson.GENERATION_WALKTHROUGH,
        key=GENERATION_PREFIX + "tour",
        controls=ui.Controls({GenerationSettings: GENERATION_PREFIX}),
        adjust=lambda name, value: (
            sampling.cut_seed_text(value) if name == "seed_text" else (value, None)
        ),
    )
    generation = generation_widgets(controls, trainer)
    sampler = choose_sampler(generation.network, trainer, data, shipped_sampler)
    vocabulary, seed_text = sampler.vocabulary, generation.seed_text
    if unknown := vocabulary.unknown_in(seed_text):
        shown = ", ".join(f"'{corpora.visible(t)}'" for t in unknown[:10])
        st.warning(
            f"The network has never seen {shown}: it reads them as {corpora.UNKNOWN}.",
            icon=":material/help:",
        )
    temperature, note = sampling.check_temperature(generation.temperature)
    if note:
        st.info(note, icon=":material/thermostat:")
    logits, _ = sampler.read(seed_text or "\n")
    probabilities = sampling.next_token_probabilities(logits[-1], temperature)
    left, right = st.columns([3, 2])
    with right, st.container(key=GENERATION_PREFIX + "bars"):
        ui.chart(
            charts.next_token_chart(
                sampling.next_token_frame(probabilities, vocabulary, top=12),
                vocabulary.unit,
                temperature,
            )
        )
    with left:
        write(sampler, seed_text, generation.length, temperature)
    ui.show_code(sampling.Sampler, label="Show the sampler that carries the hidden state")
    return sampler


def write(sampler: sampling.Sampler, seed_text: str, length: int, temperature: float) -> None:
    """The Generate button, and the text appearing chunk by chunk as the network writes it."""
    clicked = st.button(
        "Generate", key=PREFIX + "generate", type="primary", icon=":material/edit_note:"
    )
    box = st.container(key=PREFIX + "written_box")
    refusal = budget.check(budget.text_generation(length, sampler.model.count_params()))
    if clicked and refusal:  # over this server's budget: not started
        st.error(refusal, icon=":material/block:")
    elif clicked:  # every press draws a fresh sampling seed, shown so it can be replayed
        placeholder, written = box.empty(), seed_text
        draw = st.session_state[SAMPLING_SEED_KEY] = sampling.draw_seed()
        for piece in sampler.generate(seed_text, int(length), temperature, seed=draw):
            written += piece
            placeholder.code(written, language=None, wrap_lines=True)
        st.session_state[WRITTEN_KEY] = written
    elif WRITTEN_KEY in st.session_state:
        box.code(st.session_state[WRITTEN_KEY], language=None, wrap_lines=True)
    else:
        st.caption("Press Generate: the text appears as the network writes it, chunk by chunk.")
    if SAMPLING_SEED_KEY in st.session_state and WRITTEN_KEY in st.session_state:
        st.caption(
            f"Sampling seed {st.session_state[SAMPLING_SEED_KEY]}: each press draws a new one "
            "(the same seed, text and temperature write the same text)."
        )
