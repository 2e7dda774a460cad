"""Chapter 5b — AlphaZero: a network learns a board game by self-play and tree search.

The page sets up the classroom pieces (a shared link, the walkthrough) and draws the
lesson section by section; each section is a module in ``app_pages/alphazero_sections``:
the game and its solver, the search of one move, self-play training, playing against it.
"""

import streamlit as st

from app_pages.alphazero_sections import (
    CONTROLS,
    game_and_solver,
    play_against_it,
    search_without_learning,
    train_by_self_play,
)
from course_lib import ui
from course_lib.reinforcement_learning import alphazero, alphazero_lesson


@st.cache_resource(show_spinner=False)
def pretrained() -> alphazero.NumpyNetwork:
    """The pretrained tic-tac-toe network, shared read-only by every session."""
    network = alphazero.load_network()
    for weights in network.weights.values():
        for array in weights:
            array.flags.writeable = False
    return network


st.title("AlphaZero: learning a game by self-play")
st.markdown(
    "AlphaGo Zero and AlphaZero learnt Go, chess and shogi from the **rules alone**: a deep "
    "network guides a **Monte Carlo Tree Search**, the search plays games against itself, "
    "and the network learns from those games — search and network in a closed loop. Here "
    "the same loop learns tic-tac-toe in about a minute. Watch it go from random to "
    "unbeatable, look inside its search, then try to beat it."
)

CONTROLS.begin()
ui.walkthrough(alphazero_lesson.WALKTHROUGH, key="az_walk", controls=CONTROLS)
network = pretrained()
slot = st.session_state.get("az_trainer")
trainer = slot[1] if slot else None

# -- 1. the game, 2. the search ----------------------------------------------------------------
game_and_solver.show()
search_without_learning.show(network, trainer)

# -- 3. self-play training -----------------------------------------------------------------------
settings = train_by_self_play.knobs()
trainer = train_by_self_play.show(settings)

# -- 4. play against it --------------------------------------------------------------------------
play_against_it.show(network, trainer)

# -- 5. the classroom ----------------------------------------------------------------------------
st.header("5 · Check your understanding", divider="gray")
CONTROLS.share_link()
ui.quiz(alphazero_lesson.QUIZ, key="az_quiz")
