"""Presets: one button per named experiment, and what to watch while it trains."""

import streamlit as st

from app_pages.deep_supervised_learning_sections import PREFIX
from course_lib import ui
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lesson import PRESETS, is_preset, preset

#: Where the name of the last preset clicked is kept (until a control moves).
CHOSEN = PREFIX + "preset"


def button_key(name: str) -> str:
    """The widget key of a preset's button (``play_preset_overfit_me``)."""
    return f"{PREFIX}preset_{name.replace(' ', '_')}"


def show(controls: ui.Controls) -> None:
    def choose(name: str) -> None:
        controls.apply_preset(preset(name).values)
        st.session_state[CHOSEN] = name

    st.subheader("Presets")
    columns = st.columns(len(PRESETS))
    for column, item in zip(columns, PRESETS, strict=True):
        column.button(
            item.name,
            key=button_key(item.name),
            help=item.description,
            on_click=choose,
            args=(item.name,),
            width="stretch",
        )
    chosen = st.session_state.get(CHOSEN)
    if chosen and is_preset(chosen, controls.settings(PlaygroundSettings)):
        st.caption(f"**{chosen}** — {preset(chosen).description}")
