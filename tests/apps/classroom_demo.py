"""A minimal page using the classroom widgets, for their tests (walkthrough, link, quiz, downloads)."""

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from course_lib import ui  # noqa: E402
from course_lib.classroom import Question, Step  # noqa: E402
from course_lib.settings import setting  # noqa: E402


@dataclass(frozen=True)
class DemoSettings:
    hidden_units: int = setting(8, minimum=1, maximum=64, label="hidden units", help="neurons")
    activation: str = setting("tanh", choices=("tanh", "relu"), label="activation")
    learning_rate: float = setting(
        0.01, minimum=1e-4, maximum=1.0, stops=(0.001, 0.003, 0.01, 0.03, 0.1), label="rate"
    )


STEPS = (
    Step("Few units", "With 2 units the curve is coarse.", {"hidden_units": 2}),
    Step("Many units", "With 64 units it is smooth.", {"hidden_units": 64, "activation": "relu"}),
    Step("Too many", "This preset asks for more than the maximum.", {"hidden_units": 1000}),
)
QUIZ = (
    Question(
        "More hidden units give…",
        ("a larger error", "a smaller error"),
        1,
        "More bumps fit finer detail.",
    ),
    Question("Is a network a function?", ("yes", "no"), 0, "It maps inputs to outputs."),
)

EXPERIMENTS = {DemoSettings: "demo_"}

st.title("Classroom demo")
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(STEPS, key="demo_walk", controls=controls)
controls.widget(st.slider, DemoSettings, "hidden_units")
controls.widget(st.selectbox, DemoSettings, "activation")
controls.widget(st.slider, DemoSettings, "learning_rate")  # drawn over its stops
settings = controls.settings(DemoSettings)
st.write(f"Settings: {settings}")
controls.share_link()
ui.quiz(QUIZ, key="demo_quiz")
