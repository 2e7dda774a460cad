"""Presentation mode: large type for a lecture hall, kept in the link (``?present=1``)."""

from __future__ import annotations

import streamlit as st

PRESENTATION_KEY = "presentation_mode"
#: How much larger chart fonts are in presentation mode.
PRESENTATION_CHART_SCALE = 1.3

_PRESENTATION_CSS = """
<style>
[data-testid="stMain"] { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.5; }
[data-testid="stMain"] h1 { font-size: 3.4rem; }
[data-testid="stMain"] h2 { font-size: 2.6rem; }
[data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stMain"] h4 { font-size: 1.8rem; }
[data-testid="stMain"] label p, [data-testid="stMain"] button p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea,
[data-testid="stMain"] [data-baseweb="select"] div { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 2.8rem; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
/* a slider's value sits above its thumb, not over it, once the type is larger */
[data-testid="stMain"] [data-testid="stSliderThumbValue"] { top: -2.1em; }
[data-testid="stMain"] [data-testid="stSlider"] { padding-top: 0.6rem; }
/* a toggle's knob grows with its label and sits on the label's line */
[data-testid="stMain"] [data-testid="stCheckbox"] label { align-items: center; }
[data-testid="stMain"] [data-testid="stCheckbox"] label > div:not([data-testid]) {
  transform: scale(1.35); margin-right: 0.5rem; }
/* the lecture's equations and the tables at the same size as the text */
[data-testid="stMain"] .katex { font-size: 1.55em; }
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stDataFrame"] { zoom: 1.3; }
</style>
"""


def presenting() -> bool:
    """Whether presentation mode (large type, sidebar collapsed) is on in this session."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def presentation_toggle() -> None:
    """The switch for presentation mode, kept in the URL (``?present=1``) so a link opens in it."""
    if PRESENTATION_KEY not in st.session_state:
        st.session_state[PRESENTATION_KEY] = st.query_params.get("present") == "1"

    def remember() -> None:
        if st.session_state[PRESENTATION_KEY]:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)

    st.toggle(
        "Presentation mode",
        key=PRESENTATION_KEY,
        on_change=remember,
        help="Larger type and the sidebar folded away, readable from the back of a lecture hall.",
    )


def presentation_style() -> None:
    """Inject the large-type style when presentation mode is on (call once per run)."""
    if presenting():
        st.html(_PRESENTATION_CSS)
