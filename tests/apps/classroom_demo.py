"""A minimal page using the classroom widgets, for their tests (walkthrough, link, quiz, downloads)."""

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from course_lib import ui  # noqa: E402
from course_lib.classroom import Question, Step  # noqa: E402
from course_lib.settings import bounds, setting  # noqa: E402


@dataclass(frozen=True)
class DemoSettings:
    hidden_units: int = setting(8, minimum=1, maximum=64, help="neurons")
    activation: str = setting("tanh", choices=("tanh", "relu"))


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

st.title("Classroom demo")
ui.shared_settings({DemoSettings: "demo_"})
ui.walkthrough(STEPS, key="demo_walk", experiments={DemoSettings: "demo_"})
limits = bounds(DemoSettings, "hidden_units")
units = st.slider(
    "hidden units",
    limits.minimum,
    limits.maximum,
    DemoSettings.hidden_units,
    key="demo_hidden_units",
)
activation = st.selectbox(
    "activation", bounds(DemoSettings, "activation").choices, key="demo_activation"
)
settings = DemoSettings(hidden_units=units, activation=activation)
st.write(f"Settings: {settings}")
ui.share_link((settings, "demo_"))
ui.quiz(QUIZ, key="demo_quiz")
