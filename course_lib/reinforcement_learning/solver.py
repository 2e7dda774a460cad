"""Perfect and simple opponents, used only to *score* the learner, never to train it.

- Tic-tac-toe is small enough to solve exactly: :func:`value` is the minimax value of
  every position (cached), :func:`optimal_moves` the moves that keep it. The learner
  is scored by its *optimal-move rate* over all :data:`POSITION_COUNT` reachable
  positions where someone has to move.
- Connect Four is not: depth-limited minimax players (look ``depth`` moves ahead, count
  a position with no winner as even) and a random player are its yardsticks.

A *player* here is a function ``player(board) -> move``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np

from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE, Board, BoardGame

Player = Callable[[Board], int]
#: Reachable tic-tac-toe positions that are not over (someone has to move).
POSITION_COUNT = 4520


# -- tic-tac-toe, solved -----------------------------------------------------------------
@functools.cache
def value(board: Board) -> int:
    """The tic-tac-toe value for the player to move with perfect play: +1 win, 0 draw, −1 loss."""
    game = TIC_TAC_TOE
    winner = game.winner(board)
    if winner is not None:  # the player who just moved made the line (or it is a draw)
        return winner * game.to_move(board)
    return max(-value(game.play(board, move)) for move in game.legal_moves(board))


@functools.cache
def optimal_moves(board: Board) -> frozenset[int]:
    """The moves that keep the value of a tic-tac-toe position (often several)."""
    game = TIC_TAC_TOE
    best = value(board)
    return frozenset(m for m in game.legal_moves(board) if -value(game.play(board, m)) == best)


@functools.cache
def reachable_positions() -> tuple[Board, ...]:
    """Every tic-tac-toe position that a game can reach and that is not over (4,520)."""
    game, seen, stack = TIC_TAC_TOE, set(), [TIC_TAC_TOE.initial()]
    while stack:
        board = stack.pop()
        if board in seen or game.is_over(board):
            continue
        seen.add(board)
        stack.extend(game.play(board, move) for move in game.legal_moves(board))
    return tuple(sorted(seen))


def optimal_move_rate(
    policy: Callable[[Sequence[Board]], np.ndarray], boards: Sequence[Board] | None = None
) -> float:
    """The fraction of positions where ``policy``'s most likely legal move is optimal.

    Args:
        policy: maps a list of boards to move probabilities (or logits), ``(n, 9)``.
        boards: the positions to score; all :func:`reachable_positions` by default.
    """
    boards = reachable_positions() if boards is None else tuple(boards)
    scores = np.asarray(policy(boards), np.float64)
    legal = np.asarray(boards) == 0
    chosen = np.where(legal, scores, -np.inf).argmax(axis=1)
    return float(
        np.mean([move in optimal_moves(b) for b, move in zip(boards, chosen, strict=True)])
    )


def perfect_player(rng: np.random.Generator) -> Player:
    """Tic-tac-toe's perfect player: one of the optimal moves, chosen at random."""

    def play(board: Board) -> int:
        return int(rng.choice(sorted(optimal_moves(board))))

    return play


# -- any game: random and depth-limited minimax --------------------------------------------
def random_player(game: BoardGame, rng: np.random.Generator) -> Player:
    """A legal move chosen uniformly at random."""

    def play(board: Board) -> int:
        return int(rng.choice(game.legal_moves(board)))

    return play


def minimax_value(game: BoardGame, board: Board, depth: int, alpha: int = -2, beta: int = 2) -> int:
    """Negamax with alpha-beta, ``depth`` moves ahead: +1 a forced win, −1 a forced loss,
    0 when neither shows up within the horizon (for the player to move)."""
    winner = game.winner(board)
    if winner is not None:
        return winner * game.to_move(board)
    if depth == 0:
        return 0
    best = -2
    for move in game.legal_moves(board):
        best = max(best, -minimax_value(game, game.play(board, move), depth - 1, -beta, -alpha))
        alpha = max(alpha, best)
        if alpha >= beta:
            break
    return best


def minimax_player(game: BoardGame, depth: int, rng: np.random.Generator) -> Player:
    """Looks ``depth`` moves ahead (depth 2: wins when it can, blocks the opponent's
    immediate win); picks at random among equally good moves."""

    def play(board: Board) -> int:
        moves = game.legal_moves(board)
        values = [-minimax_value(game, game.play(board, m), depth - 1) for m in moves]
        best = max(values)
        return int(rng.choice([m for m, v in zip(moves, values, strict=True) if v == best]))

    return play
