"""Section 2 of the AlphaZero page: the search tree of one move, N, Q and P on the board."""

import numpy as np
import pandas as pd
import streamlit as st

from app_pages.alphazero_sections import CONTROLS, EXPERIMENTS
from course_lib import ui
from course_lib.reinforcement_learning import alphazero, alphazero_charts, mcts, solver
from course_lib.reinforcement_learning.alphazero_lesson import (
    EXAMPLE_POSITION,
    NETWORKS,
    SearchSettings,
)
from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE, parse_board

PREFIX = EXPERIMENTS[SearchSettings]


def show(pretrained, trainer) -> None:
    """Draw the search of the chosen guide on the chosen position.

    Args:
        pretrained: the pretrained :class:`NumpyNetwork`.
        trainer: this student's trainer, or None.
    """
    st.header("2 · Search: what it thinks before a move", divider="gray")
    st.markdown(
        "Each **simulation** walks down the tree by the PUCT rule, asks the network about one "
        "new position, and backs its value up. After the simulations, the visit counts N are "
        "the search's answer."
    )
    st.latex(
        r"a^* = \arg\max_a \; Q(s,a) + c_{\text{puct}}\, P(s,a)\, \frac{\sqrt{N(s)}}{1 + N(s,a)}"
    )
    game = TIC_TAC_TOE
    controls, view = st.columns([1, 2])
    with controls:
        CONTROLS.widget(st.radio, SearchSettings, "guide", "guide of the search")
        CONTROLS.widget(st.select_slider, SearchSettings, "simulations")
        CONTROLS.widget(st.text_input, SearchSettings, "board", "position (x, o, -)")
        statistic = st.radio(
            "colour the board by",
            list(alphazero_charts.STATISTICS),
            format_func=lambda name: alphazero_charts.STATISTICS[name][0],
            horizontal=True,
            key=f"{PREFIX}statistic",
        )
    settings = CONTROLS.settings(SearchSettings)
    try:
        board = parse_board(game, settings.board)
    except ValueError as error:
        st.warning(
            f"That position cannot happen: {error}. Showing the example instead.",
            icon=":material/grid_off:",
        )
        board = parse_board(game, EXAMPLE_POSITION)
    if game.is_over(board):
        st.info("That game is over: nothing to search. Type a position where someone has to move.")
        return
    evaluate = mcts.uniform_evaluator(game)
    if settings.guide == NETWORKS[1]:
        evaluate = pretrained
    elif settings.guide == NETWORKS[2]:
        if trainer is not None and trainer.game == game and trainer.history:
            evaluate = trainer.network
        else:
            st.info("Train a tic-tac-toe network in section 3 first; until then: no network.")
    with alphazero.one_blas_thread():
        root = mcts.search(game, board, evaluate, settings.simulations, 1.5)
    stats = mcts.root_statistics(game, root)
    best = int(np.nanargmax(stats["visits"]))
    optimal = solver.optimal_moves(board)
    with view:
        ui.chart(alphazero_charts.search_heatmap(game, board, stats, statistic))
        verdict = "an optimal move" if best in optimal else "**not** optimal: the solver disagrees"
        st.markdown(
            f"Most visited: square **{best}** (row {best // 3 + 1}, column {best % 3 + 1}): {verdict}."
        )
    table = pd.DataFrame(
        {
            "move (square)": [c.move for c in root.children],
            "visits N": [c.visits for c in root.children],
            "value Q": [round(c.q, 3) for c in root.children],
            "prior P": [round(c.prior, 3) for c in root.children],
            "solver: optimal?": [c.move in optimal for c in root.children],
        }
    )
    st.dataframe(table, hide_index=True)
    ui.show_code(
        mcts.search_many, mcts.select_child, mcts.backup, label="Show the code: the search"
    )
