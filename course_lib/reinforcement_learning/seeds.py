"""Luck and variance: the same settings trained on several seeds, one after another.

In reinforcement learning one curve proves little: the seed changes the initial weights,
the start states and every sampled action. :class:`SeedSweep` trains one
:class:`~course_lib.reinforcement_learning.agents.AgentTrainer` per seed, a chunk at a
time like any live run (so the page stays responsive and shows the curves as they come),
and evaluates each seed's greedy policy when its run ends.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from course_lib.reinforcement_learning.agents import AgentSettings, AgentTrainer, evaluate
from course_lib.settings import setting
from course_lib.training import LiveTraining, TrainingStatus

#: Fresh episodes each seed's greedy policy is evaluated on.
GREEDY_EPISODES = 10


@dataclass(frozen=True)
class SweepSettings:
    """How many seeds, and how long each trains."""

    seed_count: int = setting(
        3, minimum=2, maximum=5, step=1, label="seeds", help="seeds tried, from the agent's seed on"
    )
    seed_updates: int = setting(
        30, minimum=5, maximum=60, step=5, label="updates per seed", help="updates of each run"
    )


class SeedSweep(LiveTraining):
    """Train ``settings`` once per seed, one seed after the other; one history row per update.

    Rows: ``epoch`` (updates of the whole sweep so far), ``seed``, ``update`` (of that
    seed's run) and ``episode_return``. A seed whose run diverges ends early and the sweep
    goes on with the next one.
    """

    def __init__(self, settings: AgentSettings, seeds: Sequence[int]):
        super().__init__(len(seeds) * settings.updates)
        self.settings = settings
        self.seeds = [int(seed) for seed in seeds]
        self._trainer: AgentTrainer | None = None
        self._reset()

    def _reset(self) -> None:
        if getattr(self, "_trainer", None) is not None:
            self._trainer.close()
        self._trainer = None
        self._index = 0
        #: each finished seed's greedy mean return over GREEDY_EPISODES episodes
        self.greedy: dict[int, float] = {}

    def start(self) -> None:
        """Start or resume; a sweep that has ended starts again from the first seed."""
        if self.status in (TrainingStatus.FINISHED, TrainingStatus.STOPPED):
            self.reset()
        super().start()

    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        started = time.perf_counter()
        while len(rows) < max_epochs and self._index < len(self.seeds):
            seed = self.seeds[self._index]
            if self._trainer is None:
                self._trainer = AgentTrainer(dataclasses.replace(self.settings, seed=seed))
                self._trainer.start()
            for row in self._trainer.run_chunk(max_seconds=0.0):  # one update
                rows.append(
                    {
                        "epoch": self.epochs_done + len(rows) + 1,
                        "seed": seed,
                        "update": row["epoch"],
                        "episode_return": row["episode_return"],
                    }
                )
            if not self._trainer.is_running:
                self._finish_seed(seed)
            if time.perf_counter() - started >= max_seconds:
                break
        return rows

    def _finish_seed(self, seed: int) -> None:
        trainer = self._trainer
        self.total_epochs -= trainer.total_epochs - trainer.epochs_done  # a diverged run
        self.greedy[seed] = float(evaluate(trainer.policy, episodes=GREEDY_EPISODES).mean())
        trainer.close()
        self._trainer = None
        self._index += 1

    @property
    def current_seed(self) -> int | None:
        """The seed training now (``None`` once every seed is done)."""
        return self.seeds[self._index] if self._index < len(self.seeds) else None

    def runs(self):
        """The learning curves so far: a DataFrame with columns ``seed``, ``update``,
        ``episode_return`` and each seed's greedy evaluation in ``greedy_return``
        (repeated on each row; NaN while the seed trains)."""
        import pandas as pd

        frame = pd.DataFrame(self.history, columns=["seed", "update", "episode_return"])
        frame["greedy_return"] = frame["seed"].map(self.greedy).astype(float)
        return frame


def sweep_of(
    settings: AgentSettings, sweep_settings: SweepSettings
) -> tuple[AgentSettings, tuple[int, ...]]:
    """What section 6 trains: ``settings`` for ``seed_updates`` updates on ``seed_count``
    seeds, from ``settings.seed`` on (the arguments of :class:`SeedSweep`)."""
    agent = dataclasses.replace(settings, updates=sweep_settings.seed_updates)
    return agent, tuple(range(settings.seed, settings.seed + sweep_settings.seed_count))


def train_seeds(
    settings: AgentSettings,
    seeds: Sequence[int],
    *,
    on_progress: Callable[[float, str], None] | None = None,
    chunk_seconds: float = 0.5,
):
    """Train the same settings once per seed, to the end; the curves of :meth:`SeedSweep.runs`.

    Args:
        on_progress: called with (fraction done in [0, 1], a short text) after each chunk.
    """
    sweep = SeedSweep(settings, seeds)
    sweep.start()
    while sweep.is_running:
        sweep.run_chunk(chunk_seconds)
        if on_progress is not None:
            on_progress(sweep.progress, f"seed {sweep.current_seed}: update {sweep.epochs_done}")
    return sweep.runs()


def seeds_summary(runs):
    """One row per seed of :meth:`SeedSweep.runs`: its last update's return and the
    greedy policy's mean return over 10 episodes, rounded for a table."""
    return (
        runs.groupby("seed")
        .agg(final_return=("episode_return", "last"), greedy_return=("greedy_return", "first"))
        .rename(
            columns={"final_return": "last update's return", "greedy_return": "greedy (10 ep.)"}
        )
        .round(1)
    )
