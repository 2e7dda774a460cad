"""Section 5, Look inside: the text coloured by one hidden unit of the recurrent layer."""

import streamlit as st

from app_pages.recurrent_networks_sections import PREFIX, WRITTEN_KEY, generate
from course_lib.recurrent_networks import look_inside
from course_lib.recurrent_networks import sampler as sampling

MEMO_KEY = PREFIX + "inside_memo"  # the student's network: (model, updates, text, activations)


@st.cache_data(show_spinner="Reading the text with the pretrained network…", max_entries=16)
def pretrained_activations(text: str):
    """The pretrained network's hidden states over ``text`` (read-only: shared by everyone)."""
    _, shipped_sampler = generate.shipped_network()
    return look_inside.hidden_activations(shipped_sampler.model, shipped_sampler.vocabulary, text)


def default_text(corpus_text: str) -> str:
    """What the section reads before the student writes anything: the corpus's end."""
    return corpus_text[-700:]


def warm_up() -> None:
    """The pretrained network's reading of the default corpus, before the first student
    opens the page (seconds of eager recurrent steps; the router's warm-up runs it)."""
    from course_lib.recurrent_networks.corpus import load_offline_corpus

    pretrained_activations(default_text(load_offline_corpus().text)[:1000])


def activations_of(sampler: sampling.Sampler, text: str):
    """Hidden states over ``text``, computed once per network, training state and text.

    Reading a text eagerly through the recurrent layer takes seconds, so it is not redone
    on every rerun: the pretrained network's are cached for all, the student's network's
    are kept in their session until it trains on or the text changes.
    """
    if sampler is generate.shipped_network()[1]:
        return pretrained_activations(text)
    optimizer = getattr(sampler.model, "optimizer", None)
    updates = int(optimizer.iterations) if optimizer is not None else 0
    memo = st.session_state.get(MEMO_KEY)
    if memo is None or memo[0] is not sampler.model or memo[1:3] != (updates, text):
        activations = look_inside.hidden_activations(sampler.model, sampler.vocabulary, text)
        memo = st.session_state[MEMO_KEY] = (sampler.model, updates, text, activations)
    return memo[3]


def show(sampler: sampling.Sampler, corpus_text: str) -> None:
    st.header("5 · Look inside: one hidden unit")
    st.markdown(
        "The hidden state after each character is a vector of numbers. Colour the text by one "
        "of them: **orange** when the unit is high, **blue** when it is low. The units that "
        "vary most over the text come first; some track quotes, brackets or the start of a line."
    )
    inside = (st.session_state.get(WRITTEN_KEY) or default_text(corpus_text))[:1000]
    activations = activations_of(sampler, inside)
    unit = st.selectbox(
        "Hidden unit (most variable first)",
        [int(u) for u in look_inside.units_by_variance(activations)],
        key=PREFIX + "unit",
        format_func=lambda u: f"unit {u} · variance {activations[:, u].var():.3f}",
    )
    st.html(look_inside.activation_html(sampler.vocabulary.tokenize(inside), activations[:, unit]))
