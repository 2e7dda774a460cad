"""The agents: learning, divergence, Stop, the settings and their link, the downloads."""

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from course_lib import training
from course_lib.reinforcement_learning import agents, cartpole
from course_lib.reinforcement_learning.policy import softmax
from course_lib.settings import bounds, from_query_params, snap, to_query_params, validate
from course_lib.training import TrainingStatus

SMALL_PPO = agents.AgentSettings(num_envs=4, rollout_steps=128, hidden_units=32, updates=12, seed=3)


def train(settings: agents.AgentSettings) -> agents.AgentTrainer:
    trainer = agents.AgentTrainer(settings)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    return trainer


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
    for kept, expected in zip(trainer.actor.get_weights(), best_snapshot[0][0], strict=True):
        np.testing.assert_array_equal(kept, expected)
    np.testing.assert_array_equal(trainer.policy.weights[0], best_snapshot[0][0][0])


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


def test_no_eta_from_the_first_chunk_which_also_compiles_the_update():
    trainer = agents.AgentTrainer(dataclasses.replace(SMALL_PPO, updates=4))
    trainer.start()
    assert len(trainer.run_chunk(max_seconds=0)) == 1
    assert trainer.eta_seconds is None
    trainer.run_chunk(max_seconds=0)
    assert trainer.eta_seconds is not None and trainer.eta_seconds > 0
    trainer.close()


def test_every_slider_steps_through_its_range_in_a_few_hundred_moves_at_most():
    for field in dataclasses.fields(agents.AgentSettings):
        limits = bounds(agents.AgentSettings, field.name)
        if limits.choices is not None or limits.stops is not None or field.name == "seed":
            continue  # a radio, a select slider over its stops, a number box
        assert limits.step is not None, field.name
        assert 0 < limits.step < limits.maximum - limits.minimum, field.name
        assert (limits.maximum - limits.minimum) / limits.step <= 600, field.name
        whole = isinstance(field.default, int)
        assert (limits.format is None) == whole, field.name  # decimals shown for fractions
    gamma = bounds(agents.AgentSettings, "gamma")
    assert (gamma.step, gamma.format) == (0.001, "%.3f")
    num_envs = bounds(agents.AgentSettings, "num_envs")
    assert (num_envs.step, num_envs.format) == (1, None)


# -- shared links and downloads ----------------------------------------------------------
def test_settings_round_trip_through_query_params():
    assert to_query_params(agents.AgentSettings(), "rl_") == {}  # defaults: a clean URL
    settings = agents.AgentSettings(
        algorithm="REINFORCE", hidden_units=32, learning_rate=1e-2, gamma=0.95, gae_lambda=0.9,
        num_envs=4, rollout_steps=64, update_epochs=2, minibatches=8, clip_coef=0.3,
        entropy_coef=0.01, updates=80, seed=7,
    )  # fmt: skip
    changed = {f.name for f in dataclasses.fields(settings)}
    changed -= {n for n in changed if getattr(settings, n) == getattr(agents.AgentSettings(), n)}
    assert changed == {f.name for f in dataclasses.fields(settings)}  # every field is tried
    params = to_query_params(settings, "rl_")
    assert set(params) == {f"rl_{name}" for name in changed}
    assert from_query_params(agents.AgentSettings, params, "rl_") == (settings, [])


def test_a_link_rate_off_the_slider_goes_to_the_nearest_offered_one():
    def nearest(rate: float) -> float:
        return snap(agents.AgentSettings, "learning_rate", rate)[0]

    assert nearest(0.005) == 3e-3
    assert nearest(0.008) == 1e-2
    assert nearest(1e-5) == 1e-4
    for rate in bounds(agents.AgentSettings, "learning_rate").stops:
        assert snap(agents.AgentSettings, "learning_rate", rate) == (rate, None)


SMALL = agents.AgentSettings(
    num_envs=2, rollout_steps=32, update_epochs=1, minibatches=2, updates=2, hidden_units=8
)


@pytest.fixture(scope="module")
def trained():
    trainer = agents.AgentTrainer(SMALL)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    return trainer


def test_the_training_log_downloads_as_csv(trained):
    log = pd.read_csv(io.BytesIO(training.history_csv(trained.history)))
    assert list(log["epoch"]) == [1, 2]
    assert {"episode_return", "entropy", "policy_loss", "env_steps"} <= set(log.columns)
    assert np.allclose(log["entropy"], [row["entropy"] for row in trained.history])


def test_the_model_download_is_the_policy_network_and_loads_back(trained, tmp_path):
    import keras

    path = tmp_path / "cartpole-policy.keras"
    path.write_bytes(training.keras_bytes(trained.model))
    loaded = keras.saving.load_model(path)
    states = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    # the loaded network acts exactly like the trained policy (logits → probabilities)
    probabilities = softmax(np.asarray(loaded(states)))
    assert probabilities.shape == (5, 2)
    assert np.allclose(probabilities, trained.policy(states), atol=1e-5)
    assert not np.allclose(probabilities, trained.initial_policy(states), atol=1e-5)
