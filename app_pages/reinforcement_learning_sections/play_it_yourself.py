"""Section 2 of the reinforcement-learning lesson: play CartPole yourself.

Left and Right buttons push the student's own cart (the simulation waits for them), and
a scoreboard compares their episodes with a random policy's.
"""

import numpy as np
import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from course_lib import ui
from course_lib.reinforcement_learning import cartpole
from course_lib.reinforcement_learning.cartpole import PlaySettings


@st.cache_data(show_spinner=False)
def random_returns() -> np.ndarray:
    """The returns of 100 episodes of the random policy: the baseline every chart shows."""
    returns = cartpole.episode_returns(cartpole.random_policy, range(100), greedy=False)
    returns.flags.writeable = False
    return returns


def show(controls: ui.Controls, random: np.ndarray) -> None:
    """Draw the game and the scoreboard.

    Args:
        controls: the page's controls (the physics time per press is a setting).
        random: the random policy's returns (:func:`random_returns`).
    """
    st.header("2 · Play it yourself", divider="gray")
    if f"{PREFIX}game" not in st.session_state:
        st.session_state[f"{PREFIX}game"] = cartpole.CartPoleGame(seed=0)
    game: cartpole.CartPoleGame = st.session_state[f"{PREFIX}game"]
    play, board = st.columns([3, 2])
    with board:
        steps_per_press = controls.widget(
            st.select_slider,
            PlaySettings,
            "steps_per_press",
            format_func=lambda k: f"{k * cartpole.SECONDS_PER_STEP:.2f} s",
        )
        buttons = st.columns(2)
        buttons[0].button(
            "Left", icon=":material/arrow_back:", key=f"{PREFIX}left", width="stretch",
            on_click=game.push, args=(0, steps_per_press),
        )  # fmt: skip
        buttons[1].button(
            "Right", icon=":material/arrow_forward:", key=f"{PREFIX}right", width="stretch",
            on_click=game.push, args=(1, steps_per_press),
        )  # fmt: skip
        if game.done:
            st.warning(
                f"Episode over after {game.episode_return} steps. Press Left or Right to start "
                "a new one.",
                icon=":material/sports_score:",
            )
        st.dataframe(cartpole.scoreboard(game.returns, random))
        st.caption("The random policy pushes left or right at random (100 episodes).")
    with play:
        st.image(game.frame())
