"""Luck and variance: the same settings on several seeds, a chunk at a time."""

import dataclasses

import pytest

from course_lib.reinforcement_learning import agents, seeds
from course_lib.training import TrainingStatus

SMALL_PPO = agents.AgentSettings(num_envs=4, rollout_steps=128, hidden_units=32, updates=12, seed=3)


def test_several_seeds_report_progress_and_one_curve_each():
    seen = []
    runs = seeds.train_seeds(
        dataclasses.replace(SMALL_PPO, updates=2),
        [5, 6],
        on_progress=lambda fraction, text: seen.append(fraction),
    )
    assert sorted(runs["seed"].unique()) == [5, 6]
    assert len(runs) == 4
    assert seen[-1] == pytest.approx(1.0)
    assert seen == sorted(seen)
    assert set(runs.columns) == {"seed", "update", "episode_return", "greedy_return"}
    summary = seeds.seeds_summary(runs)
    assert list(summary.index) == [5, 6]
    last = runs[runs["update"] == 2].set_index("seed")["episode_return"].round(1)
    assert list(summary["last update's return"]) == list(last)


def test_the_sweep_trains_in_chunks_like_any_live_run_and_gives_the_same_curves():
    settings = dataclasses.replace(SMALL_PPO, updates=2)
    sweep = seeds.SeedSweep(settings, [5, 6])
    assert sweep.total_epochs == 4 and sweep.current_seed == 5
    sweep.start()
    rows = sweep.run_chunk(max_seconds=0)  # one update of the first seed
    assert [(row["seed"], row["update"]) for row in rows] == [(5, 1)]
    assert sweep.is_running and sweep.progress == pytest.approx(0.25)
    while sweep.is_running:
        sweep.run_chunk(max_seconds=0)
    assert sweep.status is TrainingStatus.FINISHED and sweep.current_seed is None
    runs = sweep.runs()
    assert list(zip(runs["seed"], runs["update"], strict=True)) == [(5, 1), (5, 2), (6, 1), (6, 2)]
    at_once = seeds.train_seeds(settings, [5, 6], chunk_seconds=60)
    assert list(runs["episode_return"]) == list(at_once["episode_return"])
    assert list(runs["greedy_return"]) == list(at_once["greedy_return"])
    sweep.start()  # a finished sweep starts again from the first seed
    assert sweep.epochs_done == 0 and sweep.current_seed == 5


def test_a_diverging_seed_ends_early_and_the_sweep_goes_on():
    settings = dataclasses.replace(SMALL_PPO, learning_rate=10.0, updates=20)
    sweep = seeds.SeedSweep(settings, [3, 4])
    sweep.start()
    while sweep.is_running:
        sweep.run_chunk(max_seconds=60)
    assert sweep.status is TrainingStatus.FINISHED
    assert sweep.epochs_done == sweep.total_epochs < 40
    assert set(sweep.greedy) == {3, 4}
