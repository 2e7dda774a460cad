"""AlphaZero's figures (issue 15): time to an unbeatable tic-tac-toe network, search speed,
and Connect Four after a few minutes. Prints one JSON object.

- **Tic-tac-toe** (default settings, per seed): ``--max-seconds`` of self-play (self-play
  and training, not the per-iteration evaluation); when the raw network's optimal-move
  rate over all 4,520 positions first reached 97%; at the end, that rate and 100 games
  of the network with search (default simulations) against the perfect player, 50 with
  each side to start. Median over the seeds.
- **MCTS simulations per second**: 16 tic-tac-toe (and Connect Four) trees searched one
  after another (one network call per simulation) and side by side (one batched call
  per round of simulations), with the pretrained (or an untrained) network.
- **Connect Four** (unless ``--skip-connect-four``): ``CONNECT_FOUR_SETTINGS`` trained
  for ``--connect-four-seconds`` of self-play, then 100 games against a random player
  and against depth-2 minimax.

The server is shared: the load average is reported, and timings are noisy.

Usage: ``python benchmarks/alphazero.py [--quick] [--skip-connect-four] [--seeds 1 2 3]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from course_lib.reinforcement_learning import alphazero, mcts, solver  # noqa: E402
from course_lib.reinforcement_learning.board_games import CONNECT_FOUR, TIC_TAC_TOE  # noqa: E402

TARGET_RATE = 0.97


def train_until(settings, max_seconds: float, target: float | None = None):
    """Train for ``max_seconds`` of self-play; note when the optimal-move rate first
    reached ``target`` (if given)."""
    trainer = alphazero.AlphaZeroTrainer(dataclasses.replace(settings, iterations=100_000))
    trainer.start()
    reached = None
    while trainer.self_play_seconds < max_seconds:
        (row,) = trainer.step()
        if target is not None and reached is None and row["optimal_move_rate"] >= target:
            reached = row["self_play_seconds"]
    return trainer, reached


def tic_tac_toe(seed: int, max_seconds: float, games: int) -> dict:
    settings = dataclasses.replace(alphazero.AlphaZeroSettings(), seed=seed)
    trainer, reached = train_until(settings, max_seconds, TARGET_RATE)
    rng = np.random.default_rng(1000 + seed)
    with alphazero.one_blas_thread():
        player = alphazero.search_player(
            TIC_TAC_TOE, trainer.network, settings.simulations, settings.c_puct, rng
        )
        perfect = alphazero.match(
            TIC_TAC_TOE, player, alphazero.batch(solver.perfect_player(rng)), games
        )
    last = trainer.history[-1]
    return {
        "seed": seed,
        "seconds_to_97": None if reached is None else round(reached, 1),
        "iterations": trainer.epochs_done,
        "self_play_seconds": round(trainer.self_play_seconds, 1),
        "optimal_move_rate": round(last["optimal_move_rate"], 4),
        "best_optimal_move_rate": round(max(r["optimal_move_rate"] for r in trainer.history), 4),
        f"vs_perfect_{games}_games": perfect,
    }


def simulations_per_second(game, network, simulations: int, trees: int = 16) -> dict:
    boards = [game.initial()] * trees
    with alphazero.one_blas_thread():
        started = time.perf_counter()
        for board in boards:
            mcts.search(game, board, network, simulations, 1.5)
        one_at_a_time = trees * simulations / (time.perf_counter() - started)
        started = time.perf_counter()
        mcts.search_many(game, boards, network, simulations, 1.5)
        side_by_side = trees * simulations / (time.perf_counter() - started)
    return {"unbatched": round(one_at_a_time), "batched": round(side_by_side)}


def connect_four(max_seconds: float, games: int) -> dict:
    settings = alphazero.CONNECT_FOUR_SETTINGS
    trainer, _ = train_until(settings, max_seconds)
    rng = np.random.default_rng(99)
    with alphazero.one_blas_thread():
        player = alphazero.search_player(
            CONNECT_FOUR, trainer.network, settings.simulations, settings.c_puct, rng
        )
        random = alphazero.match(
            CONNECT_FOUR, player, alphazero.batch(solver.random_player(CONNECT_FOUR, rng)), games
        )
        minimax = alphazero.match(
            CONNECT_FOUR,
            player,
            alphazero.batch(solver.minimax_player(CONNECT_FOUR, 2, rng)),
            games,
        )
    return {
        "self_play_seconds": round(trainer.self_play_seconds, 1),
        "iterations": trainer.epochs_done,
        f"vs_random_{games}_games": random,
        f"vs_minimax_depth2_{games}_games": minimax,
        "win_rate_vs_random": random["wins"] / games,
        "win_rate_vs_minimax_depth2": minimax["wins"] / games,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--connect-four-seconds", type=float, default=300.0)
    parser.add_argument("--quick", action="store_true", help="one seed, 20 games, 60 s of C4")
    parser.add_argument("--skip-connect-four", action="store_true")
    args = parser.parse_args()
    games = 20 if args.quick else 100
    seeds = args.seeds[:1] if args.quick else args.seeds
    started = time.perf_counter()
    runs = [tic_tac_toe(seed, args.max_seconds, games) for seed in seeds]
    reached = [r["seconds_to_97"] for r in runs]
    result = {
        "benchmark": "alphazero",
        "cpu_count": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "settings": dataclasses.asdict(alphazero.AlphaZeroSettings()),
        "tic_tac_toe": {
            "runs": runs,
            "median_seconds_to_97": None if None in reached else statistics.median(reached),
            "seeds_reaching_97_within_cap": sum(r is not None for r in reached),
            "median_optimal_move_rate_at_end": statistics.median(
                r["optimal_move_rate"] for r in runs
            ),
            "losses_vs_perfect": [r[f"vs_perfect_{games}_games"]["losses"] for r in runs],
        },
        "mcts_simulations_per_second": {
            "tic_tac_toe_pretrained_25": simulations_per_second(
                TIC_TAC_TOE, alphazero.load_network(), 25
            ),
        },
    }
    untrained = alphazero.NumpyNetwork.from_keras(
        CONNECT_FOUR, alphazero.build_network(CONNECT_FOUR, 128, 32, 1)
    )
    result["mcts_simulations_per_second"]["connect_four_untrained_40"] = simulations_per_second(
        CONNECT_FOUR, untrained, 40
    )
    if not args.skip_connect_four:
        result["connect_four"] = connect_four(
            60.0 if args.quick else args.connect_four_seconds, games
        )
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
