"""The AlphaZero lab notebook: the app's own functions, shown by ``inspect.getsource``.

The notebook needs only numpy, Keras (with TensorFlow) and the Python standard library,
so it runs on Colab without this project. Its first code cell holds the settings as
constants; then come the rules, the solver, the search, the network, self-play and the
matches, each the very source the app runs; a short loop drives them.
"""

from __future__ import annotations

import dataclasses

from course_lib import classroom
from course_lib.reinforcement_learning import alphazero, board_games, matches, mcts, solver
from course_lib.reinforcement_learning.alphazero import AlphaZeroSettings
from course_lib.training import seed_sequence

DEFAULTS = AlphaZeroSettings()

IMPORTS = """
import functools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import keras
import numpy as np
"""

#: The loop that drives the functions above (the app's trainer does the same, a chunk at a time).
LOOP = """
game = GAME
model = build_network(game, HIDDEN_UNITS, FILTERS, SEED)
train_step = make_train_step(model, keras.optimizers.Adam(LEARNING_RATE))
rng = np.random.default_rng(SEED)
latest = best = NumpyNetwork.from_keras(game, model)
if game == TIC_TAC_TOE:
    print(f"untrained network's optimal-move rate: {optimal_move_rate(best.policy):.6f}")
replay, history = [], []
for iteration in range(1, ITERATIONS + 1):
    latest, replay, losses = self_play_and_train(
        game, best, model, train_step, replay, rng,
        games=GAMES_PER_ITERATION, simulations=SIMULATIONS, c_puct=C_PUCT,
        dirichlet_alpha=DIRICHLET_ALPHA, noise_fraction=NOISE_FRACTION,
        temperature_moves=TEMPERATURE_MOVES, train_steps=TRAIN_STEPS,
        replay_iterations=REPLAY_ITERATIONS, random_openings=RANDOM_OPENINGS,
    )
    if not ARENA:  # AlphaZero: always the latest network
        best = latest
    else:  # AlphaGo Zero: the latest network must beat the best one first
        new = search_player(game, latest, SIMULATIONS, C_PUCT, rng, 2)
        old = search_player(game, best, SIMULATIONS, C_PUCT, rng, 2)
        if arena_accepts(match(game, new, old, ARENA_GAMES)):
            best = latest
    row = {"iteration": iteration, "policy_loss": losses[0], "value_loss": losses[1]}
    row.update(evaluate_network(game, best, SIMULATIONS, C_PUCT, EVALUATION_GAMES, rng))
    history.append(row)
    print(", ".join(f"{k} {v:.3g}" for k, v in row.items()))
"""

RESULTS = """
import altair as alt
import pandas as pd

scores = [name for name in history[0] if name not in ("iteration", "policy_loss", "value_loss")]
frame = pd.DataFrame(history).melt("iteration", scores, var_name="score")
display(alt.Chart(frame).mark_line(point=True).encode(x="iteration:Q", y="value:Q", color="score:N"))
player = search_player(game, best, SIMULATIONS, C_PUCT, rng)
yardstick = perfect_player(rng) if game == TIC_TAC_TOE else minimax_player(game, 2, rng)
print("100 games against", "the perfect player:" if game == TIC_TAC_TOE else "depth-2 minimax:",
      match(game, player, batch(yardstick), 100))
"""


def source(*objects) -> str:
    """The objects' source, after the future import that keeps their type hints as text."""
    parts = [classroom.source_of(obj).strip("\n") for obj in objects]
    return "from __future__ import annotations\n\n" + "\n\n\n".join(parts)


def constants(settings: AlphaZeroSettings) -> str:
    """The settings as the notebook's constants (the game as its rules object)."""
    lines = [
        f"{field.name.upper()} = {getattr(settings, field.name)!r}"
        for field in dataclasses.fields(settings)
        if field.name != "game"
    ]
    lines += [
        f"BATCH_SIZE = {alphazero.BATCH_SIZE}",
        f"ARENA_THRESHOLD = {matches.ARENA_THRESHOLD}",
    ]
    return "\n".join(lines)


def notebook_cells(settings: AlphaZeroSettings = DEFAULTS) -> list[classroom.Cell]:
    """A plain numpy + Keras notebook that trains AlphaZero with ``settings``."""
    game = settings.board_game
    return [
        classroom.markdown(
            f"AlphaZero learns **{game.name}** from its rules alone, by self-play and tree "
            "search, as in the course app's reinforcement-learning chapter. Every function "
            "below is the app's own code. Runs on Colab as it is (numpy and Keras)."
        ),
        classroom.code(constants(settings)),
        classroom.code(IMPORTS),
        classroom.markdown("## The rules\nA board is a tuple: +1 for X, −1 for O, 0 empty."),
        classroom.code(
            source(seed_sequence, board_games.BoardGame)
            + "\n\n\nX, O, EMPTY = 1, -1, 0\nSYMBOLS = {X: 'X', O: 'O', EMPTY: '·'}\n"
            + f"TIC_TAC_TOE = {board_games.TIC_TAC_TOE!r}\nCONNECT_FOUR = {board_games.CONNECT_FOUR!r}\n"
            + f"GAME = {'CONNECT_FOUR' if game.gravity else 'TIC_TAC_TOE'}"
        ),
        classroom.markdown(
            "## The yardsticks\nAn exact tic-tac-toe solver and simple players. They *score* "
            "the network; they never train it."
        ),
        classroom.code(
            source(
                solver.value,
                solver.optimal_moves,
                solver.reachable_positions,
                solver.optimal_move_rate,
                solver.perfect_player,
                solver.random_player,
                solver.minimax_value,
                solver.minimax_player,
            )
        ),
        classroom.markdown(
            "## Monte Carlo Tree Search\nSelect by PUCT, expand and evaluate with the network, "
            "back up. Many trees grow side by side so that the network evaluates their new "
            "positions in one batch."
        ),
        classroom.code(
            source(
                mcts.Node,
                mcts.select_child,
                mcts.expand,
                mcts.add_dirichlet_noise,
                mcts.backup,
                mcts.outcome_for_player_to_move,
                mcts.search_many,
                mcts.visit_distribution,
            )
        ),
        classroom.markdown(
            "## The policy-value network\nBuilt and trained with Keras; the search uses a copy "
            "of its weights in numpy (much faster for a few positions at a time)."
        ),
        classroom.code(
            source(
                alphazero.build_network,
                alphazero.make_train_step,
                alphazero.conv_same,
                alphazero.NumpyNetwork,
            )
        ),
        classroom.markdown("## Self-play and training, matches and the arena"),
        classroom.code(
            source(
                alphazero.with_symmetries,
                matches.choose_move,
                alphazero.self_play,
                alphazero.self_play_and_train,
                matches.search_player,
                matches.batch,
                matches.play_games,
                matches.match,
                matches.arena_accepts,
                matches.search_sample,
                matches.evaluate_network,
            )
        ),
        classroom.markdown("## The loop: self-play → train → (arena) → evaluate"),
        classroom.code(LOOP),
        classroom.markdown("## How it learnt, and a last match"),
        classroom.code(RESULTS),
    ]
