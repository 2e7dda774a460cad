"""Section 4 of the AlphaZero page: play against the network, click a square."""

import streamlit as st

from app_pages.alphazero_sections import CONTROLS, EXPERIMENTS
from course_lib import ui
from course_lib.reinforcement_learning import alphazero, alphazero_charts
from course_lib.reinforcement_learning.alphazero_lesson import NETWORKS, PlaySettings
from course_lib.reinforcement_learning.alphazero_play import HumanGame
from course_lib.reinforcement_learning.board_games import SYMBOLS, TIC_TAC_TOE

PREFIX = EXPERIMENTS[PlaySettings]


def show(pretrained, trainer) -> None:
    st.header("4 · Play against it", divider="gray")
    controls, board_column, thoughts_column = st.columns([1, 1, 1])
    with controls:
        CONTROLS.widget(st.radio, PlaySettings, "first", "who starts (plays X)")
        CONTROLS.widget(st.select_slider, PlaySettings, "simulations")
        CONTROLS.widget(st.radio, PlaySettings, "opponent", "opponent")
    settings = CONTROLS.settings(PlaySettings)
    network, game = pretrained, TIC_TAC_TOE
    if settings.opponent == NETWORKS[2]:
        if trainer is not None and trainer.history:
            network, game = trainer.network, trainer.game
        else:
            controls.info(
                "Train a network in section 3 first; until then the pretrained one plays."
            )

    def new_game() -> None:
        human = 1 if st.session_state[f"{PREFIX}first"] == "you" else -1
        play = HumanGame(game, human=human)
        with alphazero.one_blas_thread():
            play.answer(network, settings.simulations, 1.5)
        st.session_state[f"{PREFIX}game"] = play

    play: HumanGame | None = st.session_state.get(f"{PREFIX}game")
    if play is None or play.game != game:
        new_game()
        play = st.session_state[f"{PREFIX}game"]

    def click(move: int) -> None:
        with alphazero.one_blas_thread():
            play.click(move, network, settings.simulations, 1.5)

    controls.button("New game", on_click=new_game, key=f"{PREFIX}new", icon=":material/replay:")
    with board_column:
        if game.gravity:  # Connect Four: one button per column above the board
            buttons = st.columns(game.columns)
            for column, button in enumerate(buttons):
                button.button("↓", key=f"{PREFIX}col_{column}", on_click=click, args=(column,))
            st.code(game.text(play.board), language=None)
        else:
            for row in range(game.rows):
                cells = st.columns(game.columns)
                for column, cell in enumerate(cells):
                    square = row * game.columns + column
                    piece = play.board[square]
                    cell.button(
                        SYMBOLS[piece] if piece else "\u2003",
                        key=f"{PREFIX}cell_{square}",
                        on_click=click,
                        args=(square,),
                        width="stretch",
                    )
        you = "X" if play.human == 1 else "O"
        if play.message:
            st.warning(play.message, icon=":material/block:")
        if (result := play.result()) is not None:
            st.success(f"{result}! Press New game to play again.", icon=":material/sports_score:")
        else:
            st.caption(f"You play {you}. Your turn: click an empty square.")
    with thoughts_column:
        if play.thoughts is not None:
            ui.chart(alphazero_charts.search_heatmap(game, play.board, play.thoughts, "visits"))
            st.caption("Its last search: the visits N of each move it considered (tooltips: Q, P).")
