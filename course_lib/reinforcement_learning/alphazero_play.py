"""A game between a student and a network with search: whose turn, what it thought, who won."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_lib.reinforcement_learning import mcts
from course_lib.reinforcement_learning.board_games import Board, BoardGame


@dataclass
class HumanGame:
    """One game: the student plays ``human`` (+1 X, who starts, or −1 O).

    ``thoughts`` holds the network's last search (N, Q, P per move) and ``message`` what
    to tell the student (why a click did nothing, who won).
    """

    game: BoardGame
    human: int = 1
    board: Board = ()
    moves: list[int] = field(default_factory=list)
    thoughts: dict[str, np.ndarray] | None = None
    message: str = ""

    def __post_init__(self) -> None:
        self.board = self.board or self.game.initial()

    @property
    def over(self) -> bool:
        return self.game.is_over(self.board)

    @property
    def humans_turn(self) -> bool:
        return not self.over and self.game.to_move(self.board) == self.human

    def result(self) -> str | None:
        """ "You won", "It won", "A draw", or None while the game goes on."""
        winner = self.game.winner(self.board)
        if winner is None:
            return None
        if winner == 0:
            return "A draw"
        return "You won" if winner == self.human else "It won"

    def why_not(self, move: int) -> str | None:
        """Why the student may not play ``move`` now, in plain words (None if they may)."""
        if self.over:
            return "The game is over: start a new one."
        if not self.humans_turn:
            return "It is the network's turn."
        if move not in self.game.legal_moves(self.board):
            return "That column is full." if self.game.gravity else "That square is taken."
        return None

    def click(self, move: int, evaluate: mcts.Evaluator, simulations: int, c_puct: float) -> None:
        """The student plays ``move`` (if allowed), then the network answers."""
        reason = self.why_not(move)
        if reason is not None:
            self.message = reason
            return
        self.message = ""
        self.board = self.game.play(self.board, move)
        self.moves.append(move)
        self.answer(evaluate, simulations, c_puct)

    def answer(self, evaluate: mcts.Evaluator, simulations: int, c_puct: float) -> None:
        """The network's move: the most visited after ``simulations`` simulations, no noise."""
        if self.over or self.humans_turn:
            return
        root = mcts.search(self.game, self.board, evaluate, simulations, c_puct)
        self.thoughts = mcts.root_statistics(self.game, root)
        visits = np.nan_to_num(self.thoughts["visits"], nan=-1)
        move = int(np.argmax(visits))
        self.board = self.game.play(self.board, move)
        self.moves.append(move)
