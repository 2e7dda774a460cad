"""The chapter's charts: the policy map, the returns per update, seeds side by side."""

import numpy as np
import pandas as pd

from course_lib.reinforcement_learning import cartpole, charts


def lean_policy(states: np.ndarray) -> np.ndarray:
    """Push towards where the pole is falling (angle + angular velocity): a hand-made policy."""
    right = (states[:, 2] + 0.5 * states[:, 3] > 0).astype(float)
    return np.stack([1 - right, right], axis=1)


def test_the_policy_heatmap_is_a_grid_of_cells():
    grid = cartpole.policy_grid(lean_policy)
    chart = charts.policy_heatmap(grid).to_dict()
    assert chart["mark"]["type"] == "rect"


def test_training_charts_build():
    history = [
        {"epoch": i, "episode_return": 20.0 * i, "episode_return_min": 10, "episode_return_max": 99}
        for i in range(1, 6)
    ]
    spec = charts.returns_chart(history, random_mean=22, random_std=12).to_dict()
    assert len(spec["layer"]) == 4
    runs = pd.DataFrame(
        {"seed": [1, 1, 2, 2], "update": [1, 2, 1, 2], "episode_return": [1, 2, 3, 4]}
    )
    assert charts.seeds_chart(runs).to_dict()["layer"]
    assert charts.probabilities_chart([0.3, 0.7], 1).to_dict()["mark"]["type"] == "bar"


# -- what the page writes under a replay and the returns chart ------------------------------
