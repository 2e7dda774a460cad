"""AlphaZero: a policy-value network that learns a board game by self-play and search.

It is told the rules only (:mod:`board_games`). One *iteration* of its loop:

1. **Self-play** — the network plays games against itself, choosing every move by a
   tree search it guides (:mod:`mcts`). Each position is stored with the search's
   visit distribution π (what the search thought of the moves) and, once the game is
   over, its outcome z (+1 win, 0 draw, −1 loss for the player who was to move there),
   in all the board's symmetric versions.
2. **Training** — the network ``f(s) = (p, v)`` learns to predict π and z from the
   position: the loss is ``cross-entropy(π, p) + (z − v)²``. The search made the moves
   better than the raw network; the network learns to play like its search ("a memory
   of past experiences"), and the next search starts from better guesses.
3. **The frozen copy** — AlphaGo Zero kept a *best* network that generated the games;
   a newly trained network replaced it only after winning ≥ 55% of evaluation games
   against it (the *arena*). AlphaZero dropped the arena and always plays the latest
   network. :class:`AlphaZeroSettings.arena` switches between the two.

The network is built and trained with Keras; the search evaluates thousands of
positions a second, one small batch at a time, so it uses a copy of the weights in
numpy (:class:`NumpyNetwork`) instead of calling Keras per position. The solver
(:mod:`solver`) only *scores* the network, it never trains it.

Run ``python -m course_lib.reinforcement_learning.alphazero`` to remake the pretrained
tic-tac-toe network in ``assets/``.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from course_lib.reinforcement_learning import mcts, solver
from course_lib.reinforcement_learning.board_games import GAMES, TIC_TAC_TOE, Board, BoardGame
from course_lib.reinforcement_learning.matches import (
    arena_accepts,
    batch,
    choose_move,
    evaluate_network,
    match,
    search_player,
)
from course_lib.reinforcement_learning.mcts import search_many, visit_distribution
from course_lib.settings import setting
from course_lib.training import LiveTraining, seed_sequence

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PRETRAINED_PATH = ASSETS / "alphazero_tictactoe.npz"


@dataclass(frozen=True)
class AlphaZeroSettings:
    """The knobs of one AlphaZero run."""

    game: str = setting("tic-tac-toe", choices=tuple(GAMES), help="the game it learns")
    simulations: int = setting(
        25, minimum=1, maximum=10_000, help="MCTS simulations per move: how long it thinks"
    )
    games_per_iteration: int = setting(
        16, minimum=1, maximum=512, help="self-play games per iteration, played side by side"
    )
    iterations: int = setting(150, minimum=1, maximum=5_000, help="iterations per training run")
    c_puct: float = setting(
        1.5, minimum=0.1, maximum=10.0, help="c in PUCT: exploration against exploitation"
    )
    hidden_units: int = setting(
        128, minimum=8, maximum=4_096, help="neurons in each of the two hidden layers"
    )
    filters: int = setting(
        32, minimum=4, maximum=512, help="Connect Four only: filters of each 3×3 conv layer"
    )
    learning_rate: float = setting(2e-3, minimum=1e-5, maximum=1.0, help="Adam's step size")
    train_steps: int = setting(
        48, minimum=1, maximum=2_000, help="gradient steps per iteration (batches of 128)"
    )
    replay_iterations: int = setting(
        20, minimum=1, maximum=500, help="train on the positions of the last this many iterations"
    )
    dirichlet_alpha: float = setting(
        0.6, minimum=0.01, maximum=10.0, help="α of the Dirichlet noise at the self-play root"
    )
    noise_fraction: float = setting(
        0.25, minimum=0.0, maximum=1.0, help="ε: how much noise is mixed into the root's priors"
    )
    temperature_moves: int = setting(
        9, minimum=0, maximum=42, help="self-play samples its first this many moves ∝ N (τ = 1)"
    )
    random_openings: int = setting(
        4, minimum=0, maximum=20, help="self-play games open with up to this many random moves"
    )
    arena: bool = setting(
        False, help="AlphaGo Zero's arena: a new network plays only after beating the best"
    )
    arena_games: int = setting(
        20, minimum=2, maximum=400, help="arena games between the new and the best network"
    )
    evaluation_games: int = setting(
        10, minimum=2, maximum=400, help="games against each yardstick after every iteration"
    )
    seed: int = setting(1, minimum=0, maximum=100_000, help="seeds the network and self-play")

    @property
    def board_game(self) -> BoardGame:
        return GAMES[self.game]


#: Defaults that suit Connect Four (a walkthrough step or the page applies them).
CONNECT_FOUR_SETTINGS = AlphaZeroSettings(
    game="Connect Four",
    simulations=40,
    games_per_iteration=24,
    iterations=100,
    hidden_units=128,
    train_steps=64,
    dirichlet_alpha=1.0,
    temperature_moves=8,
    evaluation_games=6,
)
BATCH_SIZE = 128


def one_blas_thread():
    """A context in which numpy multiplies matrices on one thread.

    The search multiplies tiny matrices thousands of times a second; several BLAS threads
    only wait on each other (on a busy 2-core server up to 18× slower).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


# -- the policy-value network ------------------------------------------------------------
def build_network(game: BoardGame, hidden_units: int, filters: int, seed: int):
    """``planes (n, rows, columns, 2) → (move logits (n, moves), value (n, 1) in [−1, 1])``.

    Tic-tac-toe: a small MLP (two ReLU layers). Connect Four: two 3×3 conv layers
    first, so that the same pattern is recognised anywhere on the board. Every layer
    is seeded from ``seed``; layer names are what :class:`NumpyNetwork` reads.
    """
    import keras

    seeds = iter(seed_sequence(seed, 8))
    init = keras.initializers.GlorotUniform
    planes = keras.Input((game.rows, game.columns, 2), name="planes")
    h = planes
    if game.gravity:
        for i in range(2):
            h = keras.layers.Conv2D(
                filters, 3, padding="same", activation="relu",
                kernel_initializer=init(next(seeds)), name=f"conv_{i}",
            )(h)  # fmt: skip
    h = keras.layers.Flatten()(h)
    for i in range(2):
        h = keras.layers.Dense(
            hidden_units, "relu", kernel_initializer=init(next(seeds)), name=f"dense_{i}"
        )(h)
    logits = keras.layers.Dense(game.moves, kernel_initializer=init(next(seeds)), name="policy")(h)
    value = keras.layers.Dense(1, "tanh", kernel_initializer=init(next(seeds)), name="value")(h)
    return keras.Model(planes, [logits, value], name="policy_value")


def make_train_step(model, optimizer):
    """One compiled gradient step on ``cross-entropy(π, p) + (z − v)²``; returns both losses."""
    import tensorflow as tf

    @tf.function
    def train_step(planes, pi, z):
        with tf.GradientTape() as tape:
            logits, value = model(planes, training=True)
            policy_loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(pi, logits))
            value_loss = tf.reduce_mean(tf.square(z - value[:, 0]))
            loss = policy_loss + value_loss
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return policy_loss, value_loss

    return train_step


def conv_same(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A 3×3 'same' convolution in numpy: ``(n, r, c, in) → (n, r, c, out)``, as Keras does it."""
    n, rows, columns, channels = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    # every 3×3 neighbourhood as one row (im2col), then one matrix product
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2))
    patches = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * rows * columns, 9 * channels)
    out = patches @ kernel.reshape(9 * channels, -1) + bias
    return out.reshape(n, rows, columns, -1)


class NumpyNetwork:
    """The policy-value network in numpy, for the search: boards → (priors, values).

    Args:
        game: the game whose boards it reads.
        weights: ``{layer name: [kernel, bias]}`` as in :func:`build_network`.
    """

    def __init__(self, game: BoardGame, weights: dict[str, Sequence[np.ndarray]]):
        self.game = game
        self.weights = {name: [np.array(w, np.float32) for w in ws] for name, ws in weights.items()}

    @classmethod
    def from_keras(cls, game: BoardGame, model) -> NumpyNetwork:
        return cls(
            game, {layer.name: layer.get_weights() for layer in model.layers if layer.weights}
        )

    def forward(self, planes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``planes (n, rows, columns, 2)`` → move logits ``(n, moves)``, values ``(n,)``."""
        h = np.asarray(planes, np.float32)
        i = 0
        while f"conv_{i}" in self.weights:
            h = np.maximum(conv_same(h, *self.weights[f"conv_{i}"]), 0)
            i += 1
        h = h.reshape(len(h), -1)
        i = 0
        while f"dense_{i}" in self.weights:
            kernel, bias = self.weights[f"dense_{i}"]
            h = np.maximum(h @ kernel + bias, 0)
            i += 1
        kernel, bias = self.weights["policy"]
        logits = h @ kernel + bias
        kernel, bias = self.weights["value"]
        return logits, np.tanh(h @ kernel + bias)[:, 0]

    def __call__(self, boards: Sequence[Board]) -> tuple[np.ndarray, np.ndarray]:
        """The search's evaluator: move probabilities ``(n, moves)`` and values ``(n,)``."""
        if len(boards) == 0:
            return np.zeros((0, self.game.moves)), np.zeros(0)
        logits, values = self.forward(self.game.planes_of(boards))
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        return probabilities / probabilities.sum(axis=1, keepdims=True), values

    def policy(self, boards: Sequence[Board]) -> np.ndarray:
        """The raw network's move probabilities alone (no search)."""
        return self(boards)[0]


# -- self-play ---------------------------------------------------------------------------
def with_symmetries(
    game: BoardGame, planes: np.ndarray, pi: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every example in each symmetric version of the board (8 or 2 times as many)."""
    n = len(planes)
    flat = planes.reshape(n, game.squares, 2)
    all_planes, all_pi = [], []
    for squares, moves in game.symmetries:
        all_planes.append(flat[:, squares].reshape(planes.shape))
        all_pi.append(pi[:, moves])
    return np.concatenate(all_planes), np.concatenate(all_pi), np.tile(z, len(game.symmetries))


def self_play(
    game: BoardGame,
    evaluate: mcts.Evaluator,
    games: int,
    simulations: int,
    c_puct: float,
    dirichlet_alpha: float,
    noise_fraction: float,
    temperature_moves: int,
    rng: np.random.Generator,
    random_openings: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Play ``games`` games of the network against itself, side by side.

    Each game may open with up to ``random_openings`` random legal moves (how many is
    drawn per game): they are not learnt from, but the games then visit positions that
    the network's own play would never reach.

    Returns ``(planes, pi, z)`` over every position played, in all symmetric versions:
    planes ``(n, rows, columns, 2)``, the search's visit distribution ``(n, moves)`` and
    the final outcome for the player to move, ``(n,)`` in {−1, 0, +1}.
    """
    boards = [game.initial()] * games
    history: list[list[tuple[Board, np.ndarray]]] = [[] for _ in range(games)]
    opening = rng.integers(0, random_openings + 1, size=games)
    ply = 0
    while True:
        for i in range(games):
            if ply < opening[i] and not game.is_over(boards[i]):
                boards[i] = game.play(boards[i], int(rng.choice(game.legal_moves(boards[i]))))
        playing = [i for i in range(games) if ply >= opening[i] and not game.is_over(boards[i])]
        if not playing and ply >= opening.max():
            break
        roots = search_many(
            game, [boards[i] for i in playing], evaluate, simulations, c_puct,
            dirichlet_alpha=dirichlet_alpha, noise_fraction=noise_fraction, rng=rng,
        )  # fmt: skip
        for i, root in zip(playing, roots, strict=True):
            pi = visit_distribution(game, root)
            history[i].append((boards[i], pi))
            boards[i] = game.play(boards[i], choose_move(pi, ply < temperature_moves, rng))
        ply += 1
    planes, pis, outcomes = [], [], []
    for board, positions in zip(boards, history, strict=True):
        winner = game.winner(board)
        for position, pi in positions:
            planes.append(position)
            pis.append(pi)
            outcomes.append(winner * game.to_move(position))
    return with_symmetries(
        game,
        game.planes_of(planes),
        np.stack(pis).astype(np.float32),
        np.array(outcomes, np.float32),
    )


def self_play_and_train(
    game: BoardGame,
    network: NumpyNetwork,
    model,
    train_step,
    replay: list,
    rng: np.random.Generator,
    *,
    games: int,
    simulations: int,
    c_puct: float,
    dirichlet_alpha: float,
    noise_fraction: float,
    temperature_moves: int,
    train_steps: int,
    replay_iterations: int,
    random_openings: int = 0,
):
    """One iteration: ``network`` plays ``games`` games against itself, then ``model``
    trains ``train_steps`` batches on the positions of the last ``replay_iterations``.

    Returns the trained model as a new :class:`NumpyNetwork`, the replay buffer (a
    list of ``(planes, pi, z)``, one per iteration) and the mean (policy, value) losses.
    """
    examples = self_play(
        game, network, games, simulations, c_puct,
        dirichlet_alpha, noise_fraction, temperature_moves, rng, random_openings,
    )  # fmt: skip
    replay = [*replay, examples][-replay_iterations:]
    planes, pi, z = (np.concatenate(parts) for parts in zip(*replay, strict=True))
    losses = []
    for _ in range(train_steps):
        idx = rng.integers(len(planes), size=BATCH_SIZE)
        losses.append(train_step(planes[idx], pi[idx], z[idx]))
    policy_loss, value_loss = np.mean(np.array(losses), axis=0)
    return NumpyNetwork.from_keras(game, model), replay, (float(policy_loss), float(value_loss))


# -- the cost of a run -----------------------------------------------------------------------
#: Measured on the shared 2-core server: seconds per simulation of one tree (trees
#: searched side by side, default network size), and per training example.
SECONDS_PER_SIMULATION = {"tic-tac-toe": 1.0e-4, "Connect Four": 3.0e-4}
REFERENCE_PARAMETERS = {"tic-tac-toe": 21_000, "Connect Four": 200_000}
SECONDS_PER_TRAIN_EXAMPLE = 2.0e-5


def parameter_count(settings: AlphaZeroSettings) -> int:
    """Weights and biases of the network :func:`build_network` makes for ``settings``."""
    game, h, f = settings.board_game, settings.hidden_units, settings.filters
    count, width = 0, game.squares * 2
    if game.gravity:
        count += 9 * 2 * f + f + 9 * f * f + f
        width = game.squares * f
    return count + width * h + h + h * h + h + h * game.moves + game.moves + h + 1


def estimate_cost(settings: AlphaZeroSettings) -> tuple[float, int]:
    """``(seconds per iteration, bytes)`` a run of ``settings`` is expected to take.

    Time: the searches of self-play, the arena and the evaluation (games × moves ×
    simulations; in a game against a yardstick the network makes half the moves), and
    training. Memory: the replay buffer (all symmetric positions of the last
    ``replay_iterations``) and the network with its Adam state.
    """
    game, s = settings.board_game, settings
    moves_per_game = 0.75 * game.squares
    games = s.games_per_iteration + s.evaluation_games + (s.arena_games if s.arena else 0)
    if not game.gravity:  # the search is also scored on 100 positions
        games += 100 / moves_per_game
    size = max(1.0, parameter_count(s) / REFERENCE_PARAMETERS[s.game])
    search = games * moves_per_game * (s.simulations + 1) * SECONDS_PER_SIMULATION[s.game] * size
    train = s.train_steps * BATCH_SIZE * SECONDS_PER_TRAIN_EXAMPLE * size
    examples = s.replay_iterations * s.games_per_iteration * moves_per_game
    buffer_bytes = examples * len(game.symmetries) * 4 * (2 * game.squares + game.moves + 1)
    return search + train, int(buffer_bytes + 6 * 4 * parameter_count(s))


def budget_refusal(settings: AlphaZeroSettings) -> str | None:
    """Why ``settings`` are too costly for this server (:mod:`course_lib.budget`), naming the
    knob to turn; ``None`` when a run fits."""
    from course_lib import budget

    return budget.check(budget.alphazero_training(settings))


# -- live training -----------------------------------------------------------------------
class AlphaZeroTrainer(LiveTraining):
    """Self-play, training and evaluation, one iteration per history row.

    Rows carry ``epoch`` (the iteration), the losses, the evaluation of
    :func:`evaluate_network`, ``replaced`` (arena: did the new network take over?),
    ``generation`` (of the network that plays) and ``self_play_seconds`` (self-play and
    training time so far, without the evaluation).
    """

    def __init__(self, settings: AlphaZeroSettings = AlphaZeroSettings()):
        super().__init__(settings.iterations)
        self.settings = settings
        self.game = settings.board_game
        self._reset()

    def _reset(self) -> None:
        import keras

        s = self.settings
        self.model = build_network(self.game, s.hidden_units, s.filters, s.seed)
        self.optimizer = keras.optimizers.Adam(s.learning_rate)
        self._train_step = make_train_step(self.model, self.optimizer)
        self.rng = np.random.default_rng(s.seed)
        self.latest = NumpyNetwork.from_keras(self.game, self.model)
        self.best = self.latest
        self.generation = 0
        self.replay: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.self_play_seconds = 0.0

    @property
    def network(self) -> NumpyNetwork:
        """The network that plays: the best one with the arena, else the latest."""
        return self.best if self.settings.arena else self.latest

    @property
    def playing(self) -> str:
        if self.settings.arena:
            return f"the best network (generation {self.generation})"
        return "the latest network"

    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        rows, started = [], time.perf_counter()
        with one_blas_thread():
            while len(rows) < max_epochs and (
                not rows or time.perf_counter() - started < max_seconds
            ):
                rows.append(self.iteration(self.epochs_done + len(rows) + 1))
        return rows

    def iteration(self, number: int) -> dict[str, Any]:
        """Self-play → train → (arena) → evaluate; return the history row."""
        s, started = self.settings, time.perf_counter()
        self.latest, self.replay, (policy_loss, value_loss) = self_play_and_train(
            self.game, self.network, self.model, self._train_step, self.replay, self.rng,
            games=s.games_per_iteration, simulations=s.simulations, c_puct=s.c_puct,
            dirichlet_alpha=s.dirichlet_alpha, noise_fraction=s.noise_fraction,
            temperature_moves=s.temperature_moves, train_steps=s.train_steps,
            replay_iterations=s.replay_iterations, random_openings=s.random_openings,
        )  # fmt: skip
        row: dict[str, Any] = {
            "epoch": number,
            "policy_loss": policy_loss,
            "value_loss": value_loss,
            "examples": sum(len(z) for _, _, z in self.replay),
        }
        # 3. the arena (AlphaGo Zero) or always the latest (AlphaZero)
        if s.arena:
            result = match(
                self.game,
                search_player(self.game, self.latest, s.simulations, s.c_puct, self.rng, 2),
                search_player(self.game, self.best, s.simulations, s.c_puct, self.rng, 2),
                s.arena_games,
            )
            row["replaced"] = arena_accepts(result)
            row["arena_win_share"] = result["wins"] / max(1, result["wins"] + result["losses"])
            if row["replaced"]:
                self.best, self.generation = self.latest, self.generation + 1
        else:
            self.generation += 1
        row["generation"] = self.generation
        self.self_play_seconds += time.perf_counter() - started
        row["self_play_seconds"] = self.self_play_seconds
        # 4. how good is it now? (the solver scores; it does not train)
        row.update(
            evaluate_network(
                self.game, self.network, s.simulations, s.c_puct, s.evaluation_games, self.rng
            )
        )
        return row


# -- the pretrained network ------------------------------------------------------------------
def save_network(network: NumpyNetwork, path: Path, metadata: dict[str, Any]) -> None:
    """Weights as a plain ``.npz`` (no pickle), how they were made in a ``.json`` next to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"{name}/{i}": w for name, ws in network.weights.items() for i, w in enumerate(ws)}
    np.savez(path, **arrays)
    path.with_suffix(".json").write_text(json.dumps(metadata, indent=2) + "\n")


def load_network(path: Path = PRETRAINED_PATH, game: BoardGame = TIC_TAC_TOE) -> NumpyNetwork:
    """A network written by :func:`save_network` (arrays only: ``allow_pickle=False``)."""
    weights: dict[str, list[np.ndarray]] = {}
    with np.load(path, allow_pickle=False) as data:
        for key in sorted(data.files, key=lambda k: (k.split("/")[0], int(k.split("/")[1]))):
            weights.setdefault(key.split("/")[0], []).append(data[key])
    return NumpyNetwork(game, weights)


def make_pretrained(
    path: Path = PRETRAINED_PATH, settings: AlphaZeroSettings = AlphaZeroSettings()
) -> dict[str, Any]:
    """Train tic-tac-toe from random with ``settings`` (seeded) and save the network."""
    trainer = AlphaZeroTrainer(settings)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5.0)
    last = trainer.history[-1]
    rng = np.random.default_rng(12345)
    player = search_player(
        trainer.game, trainer.network, settings.simulations, settings.c_puct, rng
    )
    perfect = match(trainer.game, player, batch(solver.perfect_player(rng)), 100)
    metadata = {
        "made_by": "python -m course_lib.reinforcement_learning.alphazero",
        "settings": asdict(settings),
        "iterations": trainer.epochs_done,
        "self_play_seconds": round(trainer.self_play_seconds, 1),
        "optimal_move_rate": round(last["optimal_move_rate"], 4),
        "vs_perfect_100_games": perfect,
    }
    save_network(trainer.network, path, metadata)
    return metadata


def quick_settings(**changes: Any) -> AlphaZeroSettings:
    """The defaults with a few changes (tests and notebooks use small runs)."""
    return replace(AlphaZeroSettings(), **changes)


if __name__ == "__main__":
    print(json.dumps(make_pretrained(), indent=2))
