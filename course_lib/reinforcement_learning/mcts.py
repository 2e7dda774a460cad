"""Monte Carlo Tree Search guided by a policy-value network, as the lecture tells it.

To choose a move, AlphaZero grows a search tree from the current position. One
*simulation* walks down the tree and adds one position to it:

1. **Select** — from the root, repeatedly follow the move that maximises (PUCT)

   ``Q(s, a) + c_puct · P(s, a) · √N(s) / (1 + N(s, a))``

   where ``N(s, a)`` counts the simulations that took move ``a``, ``Q(s, a)`` is the mean
   value they brought back, ``P(s, a)`` is the network's prior and ``N(s)`` the visits of
   the position. Q exploits what the search found; the second term explores moves the
   network likes but the search has not tried much.
2. **Expand and evaluate** — at a position not in the tree yet, ask the network once:
   ``(P, v) = f(s)`` — move probabilities for its children and the value ``v`` in
   [−1, 1] for the player to move. A finished game needs no network: its value is the
   result. There is no random rollout: the network's ``v`` replaces it.
3. **Back up** — add ``v`` to every position on the path, flipping its sign at each
   level (a good position for one player is a bad one for the other).

After all simulations, the visit counts ``N(root, a)`` are the search's answer: play
the most visited move, or (in self-play, for the first moves) sample a move with
probability ∝ ``N^(1/τ)`` (temperature τ = 1). In self-play, Dirichlet noise is mixed
into the root's priors so that the search also tries moves the network dismisses.

:func:`search_many` grows several trees side by side, one simulation each per round,
so that the network evaluates all their new positions in one batch (much faster in
numpy than one position at a time); :func:`search` is the one-tree case.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from course_lib.reinforcement_learning.board_games import Board, BoardGame

#: ``evaluate(boards) -> (priors (n, moves), values (n,))``: the network on a batch of
#: positions, priors over all moves (illegal ones are ignored), values for the player to move.
Evaluator = Callable[[Sequence[Board]], tuple[np.ndarray, np.ndarray]]


class Node:
    """A position in the search tree, reached by ``move`` from its parent.

    ``visits`` is N(s, a) of the move that leads here and ``value_sum / visits`` its Q,
    both from the point of view of the player who made that move.
    """

    __slots__ = ("board", "move", "prior", "visits", "value_sum", "children", "terminal_value")

    def __init__(self, board: Board | None, move: int | None, prior: float):
        self.board = board
        self.move = move
        self.prior = prior
        self.visits = 0
        self.value_sum = 0.0
        self.children: list[Node] = []
        self.terminal_value: float | None = None  # for the player to move, once known over

    @property
    def expanded(self) -> bool:
        return bool(self.children)

    @property
    def q(self) -> float:
        return self.value_sum / self.visits if self.visits else 0.0


def select_child(node: Node, c_puct: float) -> Node:
    """The child with the largest PUCT score Q + c·P·√N / (1 + n)."""
    exploration = c_puct * math.sqrt(max(1, node.visits))
    return max(
        node.children,
        key=lambda child: child.q + exploration * child.prior / (1 + child.visits),
    )


def expand(game: BoardGame, node: Node, priors: np.ndarray) -> None:
    """Give ``node`` one child per legal move, with the network's priors renormalised."""
    moves = game.legal_moves(node.board)
    p = np.asarray(priors, np.float64)[moves]
    p = p / p.sum() if p.sum() > 0 else np.full(len(moves), 1 / len(moves))
    # a child's board is worked out only when the search first goes there
    node.children = [Node(None, m, float(prior)) for m, prior in zip(moves, p, strict=True)]


def add_dirichlet_noise(
    node: Node, alpha: float, fraction: float, rng: np.random.Generator
) -> None:
    """Mix Dirichlet(α) noise into the priors of the root's moves: P ← (1−ε)P + ε·η."""
    noise = rng.dirichlet([alpha] * len(node.children))
    for child, eta in zip(node.children, noise, strict=True):
        child.prior = (1 - fraction) * child.prior + fraction * float(eta)


def backup(path: list[Node], value: float) -> None:
    """Add the leaf's value (for its player to move) to every node on the path, sign
    flipped at each level: a node's statistics belong to the player who moved into it."""
    for node in reversed(path):
        node.visits += 1
        node.value_sum -= value
        value = -value


def outcome_for_player_to_move(game: BoardGame, board: Board) -> float | None:
    """+1/0/−1 for the player to move in a finished game (who has in fact lost or drawn)."""
    winner = game.winner(board)
    return None if winner is None else float(winner * game.to_move(board))


def search_many(
    game: BoardGame,
    boards: Sequence[Board],
    evaluate: Evaluator,
    simulations: int,
    c_puct: float,
    *,
    dirichlet_alpha: float | None = None,
    noise_fraction: float = 0.25,
    rng: np.random.Generator | None = None,
) -> list[Node]:
    """Grow one tree per board, ``simulations`` simulations each; return the roots.

    The roots are expanded first (one network call, not counted as a simulation), so
    the root's children's visits add up to ``simulations``. With ``dirichlet_alpha``
    (self-play) noise is mixed into each root's priors, and only the root's.
    """
    roots = [Node(board, None, 1.0) for board in boards]
    priors, _ = evaluate([root.board for root in roots])
    for root, p in zip(roots, priors, strict=True):
        if game.winner(root.board) is None:
            expand(game, root, p)
            if dirichlet_alpha is not None:
                add_dirichlet_noise(root, dirichlet_alpha, noise_fraction, rng)
    growing = [root for root in roots if root.expanded]
    for _ in range(simulations):
        paths, leaves = [], []
        for root in growing:
            # 1. select: down to a position not expanded yet (or a finished game)
            path = [root]
            while path[-1].expanded:
                child = select_child(path[-1], c_puct)
                if child.board is None:
                    child.board = game.play(path[-1].board, child.move)
                path.append(child)
            leaf = path[-1]
            if leaf.terminal_value is None:
                leaf.terminal_value = outcome_for_player_to_move(game, leaf.board)
            if leaf.terminal_value is not None:
                backup(path, leaf.terminal_value)  # 3. back up the result itself
            else:
                paths.append(path)
                leaves.append(leaf)
        if not leaves:
            continue
        # 2. expand and evaluate: all new positions of all trees in one network call
        priors, values = evaluate([leaf.board for leaf in leaves])
        for path, leaf, p, v in zip(paths, leaves, priors, values, strict=True):
            expand(game, leaf, p)
            backup(path, float(v))  # 3. back up the network's value
    return roots


def search(
    game: BoardGame,
    board: Board,
    evaluate: Evaluator,
    simulations: int,
    c_puct: float,
    **kwargs,
) -> Node:
    """One tree: :func:`search_many` for a single position."""
    return search_many(game, [board], evaluate, simulations, c_puct, **kwargs)[0]


def root_statistics(game: BoardGame, root: Node) -> dict[str, np.ndarray]:
    """Per move (``game.moves`` entries; NaN for illegal ones): visits N, value Q (for
    the player to move at the root), prior P (after any noise)."""
    visits = np.full(game.moves, np.nan)
    q = np.full(game.moves, np.nan)
    prior = np.full(game.moves, np.nan)
    for child in root.children:
        visits[child.move] = child.visits
        q[child.move] = child.q
        prior[child.move] = child.prior
    return {"visits": visits, "q": q, "prior": prior}


def visit_distribution(game: BoardGame, root: Node, temperature: float = 1.0) -> np.ndarray:
    """π(a) ∝ N(root, a)^(1/τ) over all moves; τ → 0 puts all weight on the most visited."""
    pi = np.zeros(game.moves)
    if not root.children:
        return pi
    visits = np.array([child.visits for child in root.children], np.float64)
    moves = [child.move for child in root.children]
    if temperature <= 1e-3:
        best = np.flatnonzero(visits == visits.max())
        pi[[moves[i] for i in best]] = 1 / len(best)
        return pi
    weights = visits ** (1 / temperature)
    pi[moves] = weights / weights.sum() if weights.sum() > 0 else 1 / len(moves)
    return pi


def uniform_evaluator(game: BoardGame) -> Evaluator:
    """No learning: equal priors for every move, value 0 everywhere (search alone)."""

    def evaluate(boards: Sequence[Board]) -> tuple[np.ndarray, np.ndarray]:
        return np.full((len(boards), game.moves), 1 / game.moves), np.zeros(len(boards))

    return evaluate
