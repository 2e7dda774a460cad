"""Section 5, Look inside: the text coloured by one hidden unit of the recurrent layer."""

import streamlit as st

from app_pages.recurrent_networks_sections import PREFIX, WRITTEN_KEY
from course_lib.recurrent_networks import look_inside
from course_lib.recurrent_networks import sampler as sampling


def show(sampler: sampling.Sampler, corpus_text: str) -> None:
    st.header("5 · Look inside: one hidden unit")
    st.markdown(
        "The hidden state after each character is a vector of numbers. Colour the text by one "
        "of them: **orange** when the unit is high, **blue** when it is low. The units that "
        "vary most over the text come first; some track quotes, brackets or the start of a line."
    )
    inside = (st.session_state.get(WRITTEN_KEY) or corpus_text[-700:])[:1000]
    activations = look_inside.hidden_activations(sampler.model, sampler.vocabulary, inside)
    unit = st.selectbox(
        "Hidden unit (most variable first)",
        [int(u) for u in look_inside.units_by_variance(activations)],
        key=PREFIX + "unit",
        format_func=lambda u: f"unit {u} · variance {activations[:, u].var():.3f}",
    )
    st.html(look_inside.activation_html(sampler.vocabulary.tokenize(inside), activations[:, unit]))
