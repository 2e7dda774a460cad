"""The policy network in numpy: the pretrained policy, saved and loaded without pickle."""

import numpy as np

from course_lib.reinforcement_learning import cartpole
from course_lib.reinforcement_learning.policy import NumpyPolicy, load_policy, save_policy


def test_the_pretrained_policy_balances_for_500_steps_on_several_seeds():
    policy = load_policy()
    returns = cartpole.episode_returns(policy, [0, 1, 2, 7, 42, 1234, 99_999])
    np.testing.assert_array_equal(returns, 500)
    grid = cartpole.policy_grid(policy)
    assert grid.shape == (31 * 31, 3)
    # it learnt to push the cart under a falling pole
    leaning_right = grid[(grid["pole angle (°)"] > 6) & (grid["angular velocity (rad/s)"] > 0.5)]
    leaning_left = grid[(grid["pole angle (°)"] < -6) & (grid["angular velocity (rad/s)"] < -0.5)]
    assert (leaning_right["P(push right)"] > 0.9).all()
    assert (leaning_left["P(push right)"] < 0.1).all()


def test_policies_round_trip_through_npz_without_pickle(tmp_path):
    policy = NumpyPolicy([np.ones((4, 3)), np.zeros(3), np.ones((3, 2)), np.zeros(2)])
    path = tmp_path / "policy.npz"
    save_policy(policy, path, {"note": "test"})
    loaded = load_policy(path)
    np.testing.assert_array_equal(loaded(np.ones((2, 4))), policy(np.ones((2, 4))))
    assert path.with_suffix(".json").exists()
