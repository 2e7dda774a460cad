"""Section 3 of the AlphaZero page: learn by self-play, live; which network plays."""

import streamlit as st

from app_pages.alphazero_sections import CONTROLS, EXPERIMENTS
from course_lib import ui
from course_lib.reinforcement_learning import alphazero, alphazero_charts, alphazero_lab
from course_lib.reinforcement_learning.alphazero import AlphaZeroSettings

PREFIX = EXPERIMENTS[AlphaZeroSettings]
MAIN_KNOBS = ("simulations", "games_per_iteration", "iterations", "hidden_units")
DETAIL_KNOBS = (
    "c_puct", "learning_rate", "train_steps", "replay_iterations", "dirichlet_alpha",
    "noise_fraction", "temperature_moves", "random_openings", "arena_games",
    "evaluation_games", "filters",
)  # fmt: skip


def use_connect_four() -> None:
    for name in AlphaZeroSettings.__dataclass_fields__:
        st.session_state[PREFIX + name] = getattr(alphazero.CONNECT_FOUR_SETTINGS, name)


def knobs() -> AlphaZeroSettings:
    """Draw the header and the widgets; return the settings they hold."""
    st.header("3 · Self-play: the search teaches the network", divider="gray")
    st.markdown(
        "One **iteration**: the network plays games against itself, every move chosen by its "
        "search (with Dirichlet noise at the root, and the first moves sampled ∝ N; a game "
        "may open with a few random moves, so that it also meets positions its own play "
        "avoids). Each searched position is kept with the search's visit distribution π and "
        "the game's result z. Then the network learns to predict both:"
    )
    st.latex(r"\text{loss} = -\sum_a \pi_a \log p_a \;+\; (z - v)^2")
    columns = st.columns([1, 1, 1, 1])
    with columns[0]:
        CONTROLS.widget(st.radio, AlphaZeroSettings, "game", "game")
        st.button("Connect Four's settings", on_click=use_connect_four, key=f"{PREFIX}c4")
    with columns[1]:
        CONTROLS.widget(st.toggle, AlphaZeroSettings, "arena", "arena (AlphaGo Zero)")
        st.caption("Off: AlphaZero always plays the latest network.")
    for column, name in zip(columns[2:] * 2, MAIN_KNOBS, strict=True):
        with column:
            CONTROLS.widget(st.number_input, AlphaZeroSettings, name, name.replace("_", " "))
    with st.expander("More knobs: PUCT, learning, noise, temperature, arena, evaluation, seed"):
        columns = st.columns(4)
        for index, name in enumerate((*DETAIL_KNOBS, "seed")):
            with columns[index % 4]:
                CONTROLS.widget(st.number_input, AlphaZeroSettings, name, name.replace("_", " "))
    return CONTROLS.settings(AlphaZeroSettings)


def show(settings: AlphaZeroSettings):
    """The budget check, the training panel and the curves; return the trainer (or None)."""
    refusal = alphazero.budget_refusal(settings)
    if refusal is not None:
        st.error(refusal, icon=":material/block:")
        return None
    ui.require_tensorflow()
    trainer: alphazero.AlphaZeroTrainer = ui.session_trainer(
        f"{PREFIX}trainer", settings, lambda: alphazero.AlphaZeroTrainer(settings)
    )

    def curves(trainer: alphazero.AlphaZeroTrainer) -> None:
        st.markdown(f"**Playing the self-play games:** {trainer.playing}.")
        if not trainer.history:
            return
        last = trainer.history[-1]
        if "optimal_move_rate" in last:
            ui.chart(
                alphazero_charts.iteration_curves(
                    trainer.history, "optimal-move rate", reference=0.97
                )
            )
            st.caption(
                f"Iteration {last['epoch']}: the network alone picks an optimal move in "
                f"{last['optimal_move_rate']:.1%} of the 4,520 positions; with its search, "
                f"{last['search_optimal_move_rate']:.0%} of 100 of them. Dashed: 97%."
            )
        ui.chart(alphazero_charts.iteration_curves(trainer.history, "share of games"))
        if settings.arena:
            kept = sum(row.get("replaced", False) for row in trainer.history)
            st.caption(f"The arena let a new network take over {kept} times so far.")

    ui.training_panel(
        trainer, key=f"{PREFIX}train", metrics=("policy_loss", "value_loss"),
        live_view=curves, unit="iteration",
    )  # fmt: skip
    seconds, _ = alphazero.estimate_cost(settings)
    st.caption(f"About {seconds:.1f} s per iteration on this server (estimated).")
    ui.notebook_download(
        lambda: alphazero_lab.notebook_cells(settings),
        title=f"AlphaZero on {settings.game}",
        file_name=f"alphazero_{settings.game.lower().replace(' ', '_').replace('-', '_')}.ipynb",
        key=f"{PREFIX}notebook",
    )
    ui.show_code(
        alphazero.self_play,
        alphazero.self_play_and_train,
        alphazero.make_train_step,
        label="Show the code: self-play → train",
    )
    return trainer
