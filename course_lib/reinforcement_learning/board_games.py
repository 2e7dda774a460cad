"""Board games from their rules alone: tic-tac-toe (3×3) and Connect Four (6×7).

Both are "k in a row" games for two players, X (who starts) and O:

- **Board**: a tuple of ``rows × columns`` numbers, row by row from the top: ``+1`` for
  X, ``-1`` for O, ``0`` for an empty square. Immutable and hashable, so a board can key
  a cache (the solver) or a search tree.
- **Move**: tic-tac-toe puts a piece on an empty square (moves ``0..8``, row by row);
  Connect Four drops a piece into a column that is not full (moves ``0..6``), and it
  falls to the lowest empty square (*gravity*).
- **End**: the first player with ``connect`` pieces in a row, column or diagonal wins;
  a full board with no such line is a draw.
- **The network's view** (:meth:`BoardGame.planes`): two ``rows × columns`` planes, the
  pieces of the player to move and those of the opponent. The network always plays
  "the player to move", so one network plays both sides.
- **Symmetries**: the rules do not change when the board is rotated or mirrored, so
  one self-play position teaches 8 (tic-tac-toe) or 2 (Connect Four: left-right) ones.

This module is the whole of what AlphaZero is told about a game.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

Board = tuple[int, ...]
X, O, EMPTY = 1, -1, 0  # noqa: E741 - the players are called X and O
SYMBOLS = {X: "X", O: "O", EMPTY: "·"}


@dataclass(frozen=True)
class BoardGame:
    """The rules of a k-in-a-row game on a ``rows × columns`` board.

    Attributes:
        name: what the page calls it.
        rows, columns: the board's size.
        connect: pieces in a line that win (3 for tic-tac-toe, 4 for Connect Four).
        gravity: moves are columns and pieces fall (Connect Four), else moves are squares.
    """

    name: str
    rows: int
    columns: int
    connect: int
    gravity: bool

    # -- the board -------------------------------------------------------------------
    @property
    def squares(self) -> int:
        return self.rows * self.columns

    @property
    def moves(self) -> int:
        """How many different moves there are: squares, or columns with gravity."""
        return self.columns if self.gravity else self.squares

    def initial(self) -> Board:
        return (EMPTY,) * self.squares

    def to_move(self, board: Board) -> int:
        """Whose turn it is: X (+1) when both have as many pieces, else O (−1)."""
        return X if sum(board) == 0 else O

    def legal_moves(self, board: Board) -> list[int]:
        """The moves allowed now (none once the game is over)."""
        if self.winner(board) is not None:
            return []
        if self.gravity:
            return [c for c in range(self.columns) if board[c] == EMPTY]
        return [i for i, piece in enumerate(board) if piece == EMPTY]

    def play(self, board: Board, move: int) -> Board:
        """The board after the player to move plays ``move``; ValueError if it is illegal."""
        if move not in self.legal_moves(board):
            raise ValueError(f"move {move} is not legal here")
        square = move
        if self.gravity:  # the lowest empty square of the column
            square = max(
                r * self.columns + move
                for r in range(self.rows)
                if board[r * self.columns + move] == EMPTY
            )
        cells = list(board)
        cells[square] = self.to_move(board)
        return tuple(cells)

    @cached_property
    def lines(self) -> tuple[tuple[int, ...], ...]:
        """Every set of ``connect`` squares in a row, a column or a diagonal."""
        found = []
        for r in range(self.rows):
            for c in range(self.columns):
                for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                    end_r, end_c = r + dr * (self.connect - 1), c + dc * (self.connect - 1)
                    if 0 <= end_r < self.rows and 0 <= end_c < self.columns:
                        found.append(
                            tuple(
                                (r + dr * k) * self.columns + c + dc * k
                                for k in range(self.connect)
                            )
                        )
        return tuple(found)

    def winner(self, board: Board) -> int | None:
        """+1 if X has won, −1 if O has, 0 for a draw (full board), None while it goes on."""
        cache = self.__dict__.setdefault("_winners", {})  # a search asks again and again
        if board in cache:
            return cache[board]
        if len(cache) > 1_000_000:
            cache.clear()
        found = 0 if EMPTY not in board else None
        for line in self.lines:
            total = sum(board[i] for i in line)
            if total == self.connect or total == -self.connect:
                found = X if total > 0 else O
                break
        cache[board] = found
        return found

    def is_over(self, board: Board) -> bool:
        return self.winner(board) is not None

    # -- what the network sees -------------------------------------------------------
    def planes(self, board: Board) -> np.ndarray:
        """``(rows, columns, 2)`` float32: the pieces of the player to move, then the opponent's."""
        return self.planes_of([board])[0]

    def planes_of(self, boards) -> np.ndarray:
        """:meth:`planes` of many boards at once: ``(n, rows, columns, 2)``."""
        cells = np.asarray(boards, np.float32).reshape(len(boards), self.squares)
        to_move = np.where(cells.sum(axis=1, keepdims=True) == 0, 1.0, -1.0)
        cells = (cells * to_move).reshape(len(boards), self.rows, self.columns)
        return np.stack([cells == 1, cells == -1], axis=-1).astype(np.float32)

    @cached_property
    def symmetries(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """``(square permutation, move permutation)`` pairs; the identity comes first.

        A symmetric position's square ``i`` holds the original's square ``squares_perm[i]``,
        and its move ``j`` is the original's move ``moves_perm[j]``.
        """
        grid = np.arange(self.squares).reshape(self.rows, self.columns)
        if self.gravity:
            mirrored = grid[:, ::-1]
            return (
                (grid.ravel(), np.arange(self.columns)),
                (mirrored.ravel(), np.arange(self.columns)[::-1].copy()),
            )
        found = []
        for flip in (False, True):
            for quarter_turns in range(4):
                view = np.rot90(grid.T if flip else grid, quarter_turns)
                found.append((view.ravel().copy(), view.ravel().copy()))
        return tuple(found)

    # -- reading and writing boards --------------------------------------------------
    def text(self, board: Board) -> str:
        """The board as ``rows`` lines of X, O and · ."""
        return "\n".join(
            "".join(SYMBOLS[board[r * self.columns + c]] for c in range(self.columns))
            for r in range(self.rows)
        )

    def code(self, board: Board) -> str:
        """The board as one short string for a link: ``x``, ``o`` and ``-``, row by row."""
        return "".join({X: "x", O: "o", EMPTY: "-"}[piece] for piece in board)


TIC_TAC_TOE = BoardGame("tic-tac-toe", rows=3, columns=3, connect=3, gravity=False)
CONNECT_FOUR = BoardGame("Connect Four", rows=6, columns=7, connect=4, gravity=True)
GAMES = {game.name: game for game in (TIC_TAC_TOE, CONNECT_FOUR)}


def parse_board(game: BoardGame, text: str) -> Board:
    """A board from a link or typed text: ``x``/``X``, ``o``/``O`` and ``-``, ``.`` or ``·``.

    Spaces and line breaks are ignored. Raises ValueError, in plain words, for anything
    that no game of ``game`` can reach: wrong length or symbols, the wrong number of
    pieces for whose turn it is, both players with a line, play after a win, or (with
    gravity) a piece floating above an empty square.
    """
    cleaned = "".join(str(text).split())
    if len(cleaned) > 4 * game.squares:
        raise ValueError(f"that board is far too long for {game.name}")
    symbols = {"x": X, "o": O, "-": EMPTY, ".": EMPTY, "·": EMPTY, "_": EMPTY}
    unknown = sorted({ch for ch in cleaned.lower() if ch not in symbols})
    if unknown:
        raise ValueError(f"a board uses only x, o and - (found {', '.join(map(repr, unknown))})")
    if len(cleaned) != game.squares:
        raise ValueError(
            f"a {game.name} board has {game.squares} squares, this one has {len(cleaned)}"
        )
    board = tuple(symbols[ch] for ch in cleaned.lower())
    xs, os_ = board.count(X), board.count(O)
    if xs not in (os_, os_ + 1):
        raise ValueError(
            f"X starts and the players take turns, so X has as many pieces as O or one more "
            f"(this board has {xs} X and {os_} O)"
        )
    lines = {sum(board[i] for i in line) for line in game.lines}
    x_won, o_won = game.connect in lines, -game.connect in lines
    if x_won and o_won:
        raise ValueError("both players have a line: the game stops at the first one")
    if x_won and xs != os_ + 1:
        raise ValueError("X has a line but O moved after it: the game was already over")
    if o_won and xs != os_:
        raise ValueError("O has a line but X moved after it: the game was already over")
    if game.gravity:
        for r in range(game.rows - 1):
            for c in range(game.columns):
                if (
                    board[r * game.columns + c] != EMPTY
                    and board[(r + 1) * game.columns + c] == EMPTY
                ):
                    raise ValueError(f"a piece in column {c + 1} floats above an empty square")
    return board
