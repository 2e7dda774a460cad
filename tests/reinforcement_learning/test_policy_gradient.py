"""The advantages on hand-made trajectories: discounted returns and GAE."""

import numpy as np

from course_lib.reinforcement_learning import policy_gradient


def test_discounted_returns_by_hand():
    rewards = np.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(
        policy_gradient.discounted_returns(rewards, np.array([0, 0, 1.0]), 0.5), [1.75, 1.5, 1.0]
    )
    # an episode ending at step 1: step 0 sees only its own episode's rewards
    np.testing.assert_allclose(
        policy_gradient.discounted_returns(np.array([1.0, 2.0, 4.0]), np.array([0, 1.0, 0]), 0.5),
        [2.0, 2.0, 4.0],
    )
    # two environments side by side, (T, n_envs)
    both = policy_gradient.discounted_returns(
        np.ones((3, 2)), np.array([[0, 0], [0, 1.0], [1.0, 0]]), 1.0
    )
    np.testing.assert_allclose(both, [[3, 2], [2, 1], [1, 1]])


def test_gae_by_hand():
    rewards = np.array([[1.0], [1.0]])
    values = np.array([[0.5], [0.25]])
    dones = np.array([[0.0], [0.0]])
    last = np.array([2.0])
    gamma, lam = 0.9, 0.5
    # δ1 = 1 + 0.9·2 − 0.25 = 2.55 ; δ0 = 1 + 0.9·0.25 − 0.5 = 0.725
    # A1 = 2.55 ; A0 = 0.725 + 0.9·0.5·2.55 = 1.8725
    advantages, returns = policy_gradient.gae_advantages(rewards, values, dones, last, gamma, lam)
    np.testing.assert_allclose(advantages[:, 0], [1.8725, 2.55], rtol=1e-6)
    np.testing.assert_allclose(returns, advantages + values)


def test_gae_stops_at_the_end_of_an_episode_and_matches_its_limits():
    rng = np.random.default_rng(0)
    rewards = rng.normal(size=(6, 3)).astype(np.float32)
    values = rng.normal(size=(6, 3)).astype(np.float32)
    dones = np.zeros((6, 3), np.float32)
    dones[2, 0] = dones[5, :] = 1.0
    last = rng.normal(size=3).astype(np.float32)
    # λ = 1: the advantage is the discounted return minus the value (Monte Carlo)
    advantages, _ = policy_gradient.gae_advantages(rewards, values, dones, last, 0.9, 1.0)
    np.testing.assert_allclose(
        advantages,
        policy_gradient.discounted_returns(rewards, dones, 0.9) - values,
        rtol=1e-5,
        atol=1e-6,
    )
    # λ = 0: the one-step TD error
    advantages, _ = policy_gradient.gae_advantages(rewards, values, dones, last, 0.9, 0.0)
    next_values = np.concatenate([values[1:], last[None]])
    np.testing.assert_allclose(
        advantages, rewards + 0.9 * next_values * (1 - dones) - values, rtol=1e-5, atol=1e-6
    )
