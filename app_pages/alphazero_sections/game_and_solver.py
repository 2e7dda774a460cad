"""Section 1 of the AlphaZero page: the rules, and the solver that scores the learner."""

import numpy as np
import streamlit as st

from course_lib import ui
from course_lib.reinforcement_learning import alphazero_charts, solver
from course_lib.reinforcement_learning.alphazero_lesson import EXAMPLE_POSITION
from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE, parse_board


def show() -> None:
    st.header("1 · The game, from its rules only", divider="gray")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            "AlphaZero is told the **rules** and nothing else: whose turn it is, where a piece "
            "may go, when a game is over and who won. Tic-tac-toe (3×3, three in a row) is the "
            "first game; Connect Four (6×7, pieces fall, four in a row) the second.\n\n"
            "Tic-tac-toe is small enough to **solve**: minimax over every position gives the "
            "value under perfect play (+1 win, 0 draw, −1 loss). The solver never teaches the "
            "network. It only **scores** it: the *optimal-move rate* is the share of the "
            f"{solver.POSITION_COUNT:,} positions where someone has to move in which the "
            "network's favourite move keeps the value."
        )
        columns = st.columns(3)
        columns[0].metric("positions to move in", f"{len(solver.reachable_positions()):,}")
        columns[1].metric(
            "perfect play", "draw" if solver.value(TIC_TAC_TOE.initial()) == 0 else "?"
        )
        columns[2].metric("random move optimal", f"{random_rate():.0%}")
    with right:
        board = parse_board(TIC_TAC_TOE, EXAMPLE_POSITION)
        values = np.full(9, np.nan)
        for move in TIC_TAC_TOE.legal_moves(board):
            values[move] = -solver.value(TIC_TAC_TOE.play(board, move))
        stats = {"visits": np.full(9, np.nan), "q": values, "prior": np.full(9, np.nan)}
        ui.chart(alphazero_charts.search_heatmap(TIC_TAC_TOE, board, stats, "q"))
        st.caption(
            "The solver's value of each move for O (to move): only the block at the top right "
            "keeps the draw; every other move loses (−1)."
        )


@st.cache_data(show_spinner=False)
def random_rate() -> float:
    rng = np.random.default_rng(0)
    return solver.optimal_move_rate(lambda boards: rng.random((len(boards), 9)))
