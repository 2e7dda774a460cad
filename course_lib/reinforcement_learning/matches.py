"""Matches: a network with its search against another network, the solver or chance.

Used to *score* the learner after each iteration (:func:`evaluate_network`) and, in
AlphaGo Zero's arena, to decide whether a newly trained network replaces the best one
(:func:`arena_accepts`). All games of a match are played side by side, so the search
evaluates their positions in one batch.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from course_lib.reinforcement_learning import mcts, solver
from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE, Board, BoardGame
from course_lib.reinforcement_learning.mcts import search_many, visit_distribution
from course_lib.reinforcement_learning.solver import (
    minimax_player,
    optimal_move_rate,
    perfect_player,
    random_player,
    reachable_positions,
)

if TYPE_CHECKING:
    from course_lib.reinforcement_learning.alphazero import NumpyNetwork

#: The arena's threshold: share of the decisive games the new network must win.
ARENA_THRESHOLD = 0.55


def choose_move(pi: np.ndarray, sample: bool, rng: np.random.Generator) -> int:
    """Sample a move from π, or take the most likely one (ties broken at random)."""
    if sample:
        return int(rng.choice(len(pi), p=pi))
    return int(rng.choice(np.flatnonzero(pi == pi.max())))


BatchPlayer = Callable[[Sequence[Board]], list[int]]


def search_player(
    game: BoardGame,
    evaluate: mcts.Evaluator,
    simulations: int,
    c_puct: float,
    rng: np.random.Generator,
    sample_moves: int = 0,
) -> BatchPlayer:
    """Moves for many boards at once: the most visited move after ``simulations``
    simulations (sampled ∝ N for the first ``sample_moves`` moves of a game, for variety)."""

    def play(boards: Sequence[Board]) -> list[int]:
        roots = search_many(game, boards, evaluate, simulations, c_puct)
        moves = []
        for board, root in zip(boards, roots, strict=True):
            pi = visit_distribution(game, root)
            moves.append(choose_move(pi, game.squares - board.count(0) < sample_moves, rng))
        return moves

    return play


def batch(player: solver.Player) -> BatchPlayer:
    """A one-board player (the solver's, a random one) as a batch player."""
    return lambda boards: [player(board) for board in boards]


def play_games(game: BoardGame, first: BatchPlayer, second: BatchPlayer, games: int) -> np.ndarray:
    """Play ``games`` games side by side, ``first`` as X; the winners ``(games,)`` in {+1, 0, −1}."""
    boards = [game.initial()] * games
    players = {1: first, -1: second}
    while True:
        playing = [i for i in range(games) if not game.is_over(boards[i])]
        if not playing:
            return np.array([game.winner(b) for b in boards])
        mover = players[game.to_move(boards[playing[0]])]  # side by side: same turn everywhere
        for i, move in zip(playing, mover([boards[i] for i in playing]), strict=True):
            boards[i] = game.play(boards[i], move)


def match(
    game: BoardGame, player: BatchPlayer, opponent: BatchPlayer, games: int
) -> dict[str, int]:
    """``player``'s wins, draws and losses over ``games`` games, half of them as X."""
    as_x = play_games(game, player, opponent, games - games // 2)
    as_o = -play_games(game, opponent, player, games // 2)
    results = np.concatenate([as_x, as_o])
    return {
        "wins": int((results == 1).sum()),
        "draws": int((results == 0).sum()),
        "losses": int((results == -1).sum()),
    }


def arena_accepts(result: dict[str, int], threshold: float = ARENA_THRESHOLD) -> bool:
    """AlphaGo Zero's rule: the new network wins ≥ 55% of the games that were not drawn."""
    decisive = result["wins"] + result["losses"]
    return decisive > 0 and result["wins"] / decisive >= threshold


def evaluate_network(
    game: BoardGame,
    network: NumpyNetwork,
    simulations: int,
    c_puct: float,
    games: int,
    rng: np.random.Generator,
) -> dict[str, float]:
    """How good the network is now, alone and with its search, against the yardsticks.

    Tic-tac-toe: the raw network's optimal-move rate (all 4,520 positions), the same
    with search (on a fixed sample of 100), and games against the perfect and the
    random player. Connect Four: games against random and depth-2 minimax.
    """
    with_search = search_player(game, network, simulations, c_puct, rng)
    row: dict[str, float] = {}
    if game == TIC_TAC_TOE:
        row["optimal_move_rate"] = optimal_move_rate(network.policy)
        sample = search_sample()

        def searched(boards):
            moves = with_search(boards)
            return np.eye(game.moves)[moves]

        row["search_optimal_move_rate"] = optimal_move_rate(searched, sample)
        perfect = match(game, with_search, batch(perfect_player(rng)), games)
        row["losses_vs_perfect"] = perfect["losses"] / games
        row["draws_vs_perfect"] = perfect["draws"] / games
    else:
        minimax = match(game, with_search, batch(minimax_player(game, 2, rng)), games)
        row["wins_vs_minimax"] = minimax["wins"] / games
    random = match(game, with_search, batch(random_player(game, rng)), games)
    row["wins_vs_random"] = random["wins"] / games
    return row


@functools.cache
def search_sample() -> tuple[Board, ...]:
    """100 fixed tic-tac-toe positions on which the search is scored (all 4,520 take long)."""
    positions = reachable_positions()
    picks = np.random.default_rng(0).choice(len(positions), 100, replace=False)
    return tuple(positions[i] for i in sorted(picks))
