"""The agents: advantages on hand-made trajectories, learning, divergence, Stop, pretrained."""

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from course_lib.reinforcement_learning import agents, cartpole
from course_lib.settings import bounds, validate
from course_lib.training import TrainingStatus

SMALL_PPO = agents.AgentSettings(num_envs=4, rollout_steps=128, hidden_units=32, updates=12, seed=3)


def train(settings: agents.AgentSettings) -> agents.AgentTrainer:
    trainer = agents.AgentTrainer(settings)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    return trainer


# -- advantages, by hand --------------------------------------------------------------------
def test_discounted_returns_by_hand():
    rewards = np.array([1.0, 1.0, 1.0])
    np.testing.assert_allclose(
        agents.discounted_returns(rewards, np.array([0, 0, 1.0]), 0.5), [1.75, 1.5, 1.0]
    )
    # an episode ending at step 1: step 0 sees only its own episode's rewards
    np.testing.assert_allclose(
        agents.discounted_returns(np.array([1.0, 2.0, 4.0]), np.array([0, 1.0, 0]), 0.5),
        [2.0, 2.0, 4.0],
    )
    # two environments side by side, (T, n_envs)
    both = agents.discounted_returns(np.ones((3, 2)), np.array([[0, 0], [0, 1.0], [1.0, 0]]), 1.0)
    np.testing.assert_allclose(both, [[3, 2], [2, 1], [1, 1]])


def test_gae_by_hand():
    rewards = np.array([[1.0], [1.0]])
    values = np.array([[0.5], [0.25]])
    dones = np.array([[0.0], [0.0]])
    last = np.array([2.0])
    gamma, lam = 0.9, 0.5
    # δ1 = 1 + 0.9·2 − 0.25 = 2.55 ; δ0 = 1 + 0.9·0.25 − 0.5 = 0.725
    # A1 = 2.55 ; A0 = 0.725 + 0.9·0.5·2.55 = 1.8725
    advantages, returns = agents.gae_advantages(rewards, values, dones, last, gamma, lam)
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
    advantages, _ = agents.gae_advantages(rewards, values, dones, last, 0.9, 1.0)
    np.testing.assert_allclose(
        advantages, agents.discounted_returns(rewards, dones, 0.9) - values, rtol=1e-5, atol=1e-6
    )
    # λ = 0: the one-step TD error
    advantages, _ = agents.gae_advantages(rewards, values, dones, last, 0.9, 0.0)
    next_values = np.concatenate([values[1:], last[None]])
    np.testing.assert_allclose(
        advantages, rewards + 0.9 * next_values * (1 - dones) - values, rtol=1e-5, atol=1e-6
    )


# -- learning ------------------------------------------------------------------------------
def test_ppo_improves_clearly_above_random_and_is_reproducible():
    trainer = train(SMALL_PPO)
    assert trainer.status is TrainingStatus.FINISHED
    returns = [row["episode_return"] for row in trainer.history]
    assert len(returns) == 12
    random_mean = cartpole.episode_returns(cartpole.random_policy, range(50), greedy=False).mean()
    assert np.mean(returns[-3:]) > 3 * random_mean
    assert np.mean(returns[-3:]) > 2 * np.mean(returns[:2])
    assert agents.evaluate(trainer.policy, episodes=10).mean() > 3 * random_mean
    row = trainer.history[-1]
    assert {"epoch", "episode_return", "entropy", "policy_loss", "value_loss", "env_steps"} <= set(
        row
    )
    assert row["env_steps"] == 12 * 4 * 128
    # the same seed trains the same way (two updates are enough to compare)
    first = train(dataclasses.replace(SMALL_PPO, updates=2))
    second = train(dataclasses.replace(SMALL_PPO, updates=2))
    assert [r["episode_return"] for r in first.history] == [
        r["episode_return"] for r in second.history
    ]
    np.testing.assert_allclose(first.policy.weights[0], second.policy.weights[0], atol=1e-5)


def test_reinforce_improves_above_random():
    trainer = train(
        agents.AgentSettings(algorithm="REINFORCE", learning_rate=1e-2, updates=12, seed=2)
    )
    returns = [row["episode_return"] for row in trainer.history]
    assert trainer.status is TrainingStatus.FINISHED
    assert np.mean(returns[-3:]) > 2 * np.mean(returns[:2])
    assert np.mean(returns[-3:]) > 40


# -- bad input and Stop ----------------------------------------------------------------------
def test_nan_weights_stop_the_run_and_roll_back_to_the_last_good_policy():
    trainer = agents.AgentTrainer(dataclasses.replace(SMALL_PPO, updates=10))
    initial = [w.copy() for w in trainer.actor.get_weights()]
    trainer.step()
    weights = trainer.actor.get_weights()
    weights[0][0, 0] = np.nan
    trainer.actor.set_weights(weights)
    trainer._sync_numpy()
    trainer.start()
    trainer.run_chunk(max_seconds=60)
    assert trainer.status is TrainingStatus.DIVERGED
    assert "NaN" in trainer.message and "learning rate" in trainer.message
    assert trainer.epochs_done == 1  # the bad update left no row
    # the last policy known to be good is the one that played update 1's episodes
    assert "initial weights" in trainer.message
    for restored, expected in zip(trainer.actor.get_weights(), initial, strict=True):
        np.testing.assert_array_equal(restored, expected)
    assert np.isfinite(trainer.policy(np.zeros((1, 4)))).all()


def test_a_huge_learning_rate_collapses_the_policy_and_is_stopped_with_an_explanation():
    trainer = train(dataclasses.replace(SMALL_PPO, learning_rate=10.0, updates=20))
    assert trainer.status is TrainingStatus.DIVERGED
    assert "collapsed" in trainer.message and "10× smaller" in trainer.message
    assert trainer.epochs_done < 20


def test_stop_keeps_the_best_policy_so_far():
    trainer = agents.AgentTrainer(dataclasses.replace(SMALL_PPO, updates=50))
    trainer.start()
    for _ in range(6):
        trainer.run_chunk(max_seconds=0)  # one update each
    best_return, _, best_snapshot = trainer.best
    assert best_return == max(row["episode_return"] for row in trainer.history)
    trainer.stop()
    assert trainer.status is TrainingStatus.STOPPED
    assert "best policy" in trainer.message
    for kept, expected in zip(trainer.actor.get_weights(), best_snapshot[0], strict=True):
        np.testing.assert_array_equal(kept, expected)
    np.testing.assert_array_equal(trainer.policy.weights[0], best_snapshot[0][0])


def test_the_settings_are_valid_and_reset_gives_fresh_weights():
    validate(agents.AgentSettings())
    with pytest.raises(ValueError):
        validate(agents.AgentSettings(algorithm="DQN"))
    trainer = agents.AgentTrainer(dataclasses.replace(SMALL_PPO, updates=3))
    initial = trainer.actor.get_weights()[0].copy()
    trainer.step()
    assert not np.array_equal(trainer.actor.get_weights()[0], initial)
    trainer.reset()
    np.testing.assert_array_equal(trainer.actor.get_weights()[0], initial)
    assert trainer.epochs_done == 0 and trainer.env_steps == 0


def test_two_students_training_at_once_do_not_disturb_each_other():
    settings = dataclasses.replace(SMALL_PPO, updates=2)
    alone = train(settings).history
    with ThreadPoolExecutor(2) as pool:
        together = list(pool.map(train, [settings, dataclasses.replace(settings, seed=9)]))
    assert [t.status for t in together] == [TrainingStatus.FINISHED] * 2
    assert [r["episode_return"] for r in together[0].history] == [
        r["episode_return"] for r in alone
    ]


def test_several_seeds_report_progress_and_one_curve_each():
    seen = []
    runs = agents.train_seeds(
        dataclasses.replace(SMALL_PPO, updates=2),
        [5, 6],
        on_progress=lambda fraction, text: seen.append(fraction),
    )
    assert sorted(runs["seed"].unique()) == [5, 6]
    assert len(runs) == 4
    assert seen[-1] == pytest.approx(1.0)
    assert seen == sorted(seen)
    assert set(runs.columns) == {"seed", "update", "episode_return", "greedy_return"}
    summary = agents.seeds_summary(runs)
    assert list(summary.index) == [5, 6]
    last = runs[runs["update"] == 2].set_index("seed")["episode_return"].round(1)
    assert list(summary["last update's return"]) == list(last)


# -- the pretrained policy -----------------------------------------------------------------
def test_the_pretrained_policy_balances_for_500_steps_on_several_seeds():
    policy = agents.load_policy()
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
    policy = agents.NumpyPolicy([np.ones((4, 3)), np.zeros(3), np.ones((3, 2)), np.zeros(2)])
    path = tmp_path / "policy.npz"
    agents.save_policy(policy, path, {"note": "test"})
    loaded = agents.load_policy(path)
    np.testing.assert_array_equal(loaded(np.ones((2, 4))), policy(np.ones((2, 4))))
    assert path.with_suffix(".json").exists()


def test_no_eta_from_the_first_chunk_which_also_compiles_the_update():
    trainer = agents.AgentTrainer(dataclasses.replace(SMALL_PPO, updates=4))
    trainer.start()
    assert len(trainer.run_chunk(max_seconds=0)) == 1
    assert trainer.eta_seconds is None
    trainer.run_chunk(max_seconds=0)
    assert trainer.eta_seconds is not None and trainer.eta_seconds > 0
    trainer.close()


def test_every_slider_steps_through_its_range_in_a_few_hundred_moves_at_most():
    for name in ("hidden_units", "updates", "num_envs", "gamma", *agents.DETAIL_FIELDS):
        options = agents.slider_options(name)
        assert set(options) == {"step", "format"}
        limits = bounds(agents.AgentSettings, name)
        assert 0 < options["step"] < limits.maximum - limits.minimum, name
        assert (limits.maximum - limits.minimum) / options["step"] <= 600, name
        whole = isinstance(getattr(agents.AgentSettings(), name), int)
        assert (options["format"] is None) == whole, name  # decimals shown for fractions
    assert agents.slider_options("gamma") == {"step": 0.001, "format": "%.3f"}
    assert agents.slider_options("num_envs") == {"step": 1, "format": None}
