"""Agents that learn to balance CartPole: REINFORCE and PPO, the loop written out.

Reinforcement learning improves the policy network (:mod:`.policy`) from experience, in a
loop, one *update* at a time (CleanRL's ``ppo.py`` is the model):

1. **Rollout** — let the current policy act in the environments and record what
   happened: states, actions, rewards, where episodes ended.
2. **Advantage** — for every step, how much better than expected did things go after
   that action (:mod:`.policy_gradient`)?
3. **Update** — gradient ascent on ``log π(a | s) × advantage``.

:func:`make_agent` builds everything a run changes (an :class:`Agent`), and
:func:`ppo_iteration` / :func:`reinforce_iteration` run one update of it: these plain
functions are what the app's :class:`AgentTrainer` calls a chunk at a time, and what the
lab notebook shows (``course_lib.reinforcement_learning.lab``).

Everything is seeded by :class:`AgentSettings.seed` without touching global seeds: the
environments' resets, the action sampling (a numpy ``Generator``), the initializers
and the minibatch order.

Run ``python -m course_lib.reinforcement_learning.agents`` to remake the pretrained policy in ``assets/``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from course_lib.reinforcement_learning.cartpole import (
    MAX_EPISODE_STEPS,
    SOLVED_RETURN,
    Policy,
    episode_returns,
    make_vector_env,
    pick_actions,
)
from course_lib.reinforcement_learning.policy import (
    PRETRAINED_PATH,
    NumpyPolicy,
    build_networks,
    mlp_forward,
    save_policy,
    softmax,
)
from course_lib.reinforcement_learning.policy_gradient import (
    discounted_returns,
    gae_advantages,
    make_ppo_update,
    make_reinforce_update,
)
from course_lib.settings import setting
from course_lib.training import (
    LiveTraining,
    TrainingStatus,
    divergence_message,
    restore,
    snapshot,
)


@dataclass(frozen=True)
class AgentSettings:
    """The knobs of one training run on CartPole-v1."""

    algorithm: str = setting(
        "PPO",
        choices=("PPO", "REINFORCE"),
        label="algorithm",
        help="PPO: actor-critic with clipped updates (fast). REINFORCE: the plain policy gradient.",
    )
    hidden_units: int = setting(
        64,
        minimum=4,
        maximum=256,
        step=4,
        label="hidden units",
        help="neurons in each of the two hidden layers (tanh)",
    )
    learning_rate: float = setting(
        3e-3,
        minimum=1e-5,
        maximum=10.0,
        # a log scale; the last ones break learning on purpose
        stops=(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1.0, 10.0),
        label="learning rate",
        help="Adam's step size; too large and learning breaks",
    )
    gamma: float = setting(
        0.99,
        minimum=0.8,
        maximum=0.999,
        step=0.001,
        format="%.3f",
        label="gamma",
        help="discount γ: how much later rewards count",
    )
    gae_lambda: float = setting(
        0.95,
        minimum=0.0,
        maximum=1.0,
        step=0.01,
        format="%.2f",
        label="gae lambda",
        help="PPO: λ of GAE, trades bias (0) for variance (1)",
    )
    num_envs: int = setting(
        8,
        minimum=1,
        maximum=32,
        step=1,
        label="num envs",
        help="CartPoles played side by side (episodes per REINFORCE update)",
    )
    rollout_steps: int = setting(
        128,
        minimum=16,
        maximum=512,
        step=16,
        label="rollout steps",
        help="PPO: steps per environment between two updates",
    )
    update_epochs: int = setting(
        4,
        minimum=1,
        maximum=10,
        step=1,
        label="update epochs",
        help="PPO: passes over each rollout per update",
    )
    minibatches: int = setting(
        4, minimum=1, maximum=16, step=1, label="minibatches", help="PPO: minibatches per pass"
    )
    clip_coef: float = setting(
        0.2,
        minimum=0.05,
        maximum=0.5,
        step=0.05,
        format="%.2f",
        label="clip coef",
        help="PPO: how far the probability ratio may move, ε",
    )
    entropy_coef: float = setting(
        0.0,
        minimum=0.0,
        maximum=0.1,
        step=0.005,
        format="%.3f",
        label="entropy coef",
        help="bonus for keeping the policy random (exploration)",
    )
    updates: int = setting(
        60, minimum=1, maximum=500, step=5, label="updates", help="updates per training run"
    )
    seed: int = setting(
        1,
        minimum=0,
        maximum=100_000,
        label="seed",
        help="seeds networks, environments, sampling",
    )


# -- what a run changes ------------------------------------------------------------------
@dataclass
class Agent:
    """Everything one training run changes, update after update.

    Attributes:
        actor, critic: the Keras networks (:func:`build_networks`).
        optimizer: Adam; ``update`` the compiled update step of the algorithm.
        envs: ``num_envs`` CartPoles side by side; ``states`` their current ``(num_envs, 4)``.
        rng: samples the actions and orders the minibatches.
        running_returns: ``(num_envs,)`` the return so far of each environment's episode.
        recent_returns: the returns of the last episodes that ended (for updates where none did).
        env_steps: environment steps played so far.
        actor_weights, critic_weights: the networks' weights in numpy, for acting.
    """

    actor: Any
    critic: Any
    optimizer: Any
    update: Callable[..., Any]
    envs: Any
    rng: np.random.Generator
    states: np.ndarray
    running_returns: np.ndarray
    recent_returns: list[float] = field(default_factory=list)
    env_steps: int = 0
    actor_weights: list[np.ndarray] = field(default_factory=list)
    critic_weights: list[np.ndarray] = field(default_factory=list)


def make_agent(settings: AgentSettings) -> Agent:
    """The networks, the optimizer and its update, the environments: a fresh run."""
    import keras

    actor, critic = build_networks(settings.hidden_units, settings.seed)
    optimizer = keras.optimizers.Adam(settings.learning_rate, epsilon=1e-5)
    if settings.algorithm == "PPO":
        update = make_ppo_update(
            actor, critic, optimizer, settings.clip_coef, settings.entropy_coef
        )
    else:
        update = make_reinforce_update(actor, optimizer, settings.entropy_coef)
    envs = make_vector_env(settings.num_envs)
    states, _ = envs.reset(seed=settings.seed)
    agent = Agent(
        actor,
        critic,
        optimizer,
        update,
        envs,
        rng=np.random.default_rng(settings.seed),
        states=states,
        running_returns=np.zeros(settings.num_envs),
    )
    sync_weights(agent)
    return agent


def sync_weights(agent: Agent) -> None:
    """Copy the networks' weights to numpy, where the agent acts (after every update)."""
    agent.actor_weights = [w.astype(np.float32) for w in agent.actor.get_weights()]
    agent.critic_weights = [w.astype(np.float32) for w in agent.critic.get_weights()]


def act(agent: Agent, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample actions ``(n,)`` and their log-probabilities ``(n,)`` from the policy."""
    probabilities = softmax(mlp_forward(agent.actor_weights, states))
    probabilities = np.nan_to_num(probabilities, nan=0.5)  # NaN weights are caught later
    actions = pick_actions(probabilities, greedy=False, rng=agent.rng)
    chosen = probabilities[np.arange(len(actions)), actions]
    return actions, np.log(np.maximum(chosen, 1e-12)).astype(np.float32)


def episode_stats(agent: Agent, finished: list[float], num_envs: int) -> dict[str, float]:
    """The returns of the episodes that ended during an update (or of the last few)."""
    agent.recent_returns = (agent.recent_returns + finished)[-2 * num_envs :]
    shown = finished or agent.recent_returns[-num_envs:] or [0.0]
    return {
        "episode_return": float(np.mean(shown)),
        "episode_return_min": float(np.min(shown)),
        "episode_return_max": float(np.max(shown)),
        "episodes": len(finished),
    }


# -- one update: rollout → advantage → update ----------------------------------------------
def ppo_iteration(agent: Agent, settings: AgentSettings) -> dict[str, float]:
    """One PPO update: ``rollout_steps`` in every environment, GAE, epochs × minibatches."""
    s = settings
    shape = (s.rollout_steps, s.num_envs)
    states = np.zeros((*shape, 4), np.float32)
    actions = np.zeros(shape, np.int64)
    log_probs = np.zeros(shape, np.float32)
    rewards = np.zeros(shape, np.float32)
    dones = np.zeros(shape, np.float32)
    values = np.zeros(shape, np.float32)
    finished: list[float] = []

    # 1. rollout: the policy acts in all environments for rollout_steps steps
    for t in range(s.rollout_steps):
        states[t] = agent.states
        values[t] = mlp_forward(agent.critic_weights, agent.states)[:, 0]
        actions[t], log_probs[t] = act(agent, agent.states)
        agent.states, rewards[t], terminated, truncated, info = agent.envs.step(actions[t])
        dones[t] = terminated | truncated
        # cut off at 500 steps is not the pole falling: the critic's value of the
        # state it was cut at stands in for the rewards that would have followed
        cut = truncated & ~terminated
        if cut.any():
            final = np.stack(info["final_obs"][cut]).astype(np.float32)
            rewards[t, cut] += s.gamma * mlp_forward(agent.critic_weights, final)[:, 0]
        agent.running_returns += 1
        for i in np.flatnonzero(dones[t]):
            finished.append(float(agent.running_returns[i]))
            agent.running_returns[i] = 0
    agent.env_steps += s.rollout_steps * s.num_envs

    # 2. advantages: what happened compared with what the critic expected
    last_values = mlp_forward(agent.critic_weights, agent.states)[:, 0]
    advantages, returns = gae_advantages(rewards, values, dones, last_values, s.gamma, s.gae_lambda)

    # 3. update: epochs × minibatches of clipped policy-gradient steps, compiled
    batch = s.rollout_steps * s.num_envs
    minibatch = batch // s.minibatches
    order = np.stack(
        [agent.rng.permutation(batch)[: minibatch * s.minibatches] for _ in range(s.update_epochs)]
    ).reshape(-1, minibatch)
    policy_loss, value_loss, entropy = agent.update(
        states.reshape(-1, 4),
        actions.reshape(-1),
        log_probs.reshape(-1),
        advantages.reshape(-1),
        returns.reshape(-1),
        order.astype(np.int32),
    )
    sync_weights(agent)
    return {
        **episode_stats(agent, finished, s.num_envs),
        "policy_loss": float(policy_loss),
        "value_loss": float(value_loss),
        "entropy": float(entropy),
    }


def reinforce_iteration(agent: Agent, settings: AgentSettings) -> dict[str, float]:
    """One REINFORCE update: a whole episode in every environment, one gradient step."""
    s = settings
    # 1. rollout: one whole episode in each environment, fresh starts
    agent.states, _ = agent.envs.reset(seed=int(agent.rng.integers(2**31 - 1)))
    episodes: list[list[tuple[np.ndarray, int]]] = [[] for _ in range(s.num_envs)]
    alive = np.ones(s.num_envs, dtype=bool)
    while alive.any():
        actions, _ = act(agent, agent.states)
        for i in np.flatnonzero(alive):
            episodes[i].append((agent.states[i], int(actions[i])))
        agent.states, _, terminated, truncated, _ = agent.envs.step(actions)
        agent.env_steps += int(alive.sum())
        alive &= ~(terminated | truncated)

    # 2. advantages: the discounted return that followed each action, normalised
    #    (subtracting the mean is the simplest baseline: it lowers the variance)
    returns = []
    for steps in episodes:
        rewards = np.ones(len(steps), np.float32)
        dones = np.zeros(len(steps), np.float32)
        dones[-1] = 1.0
        returns.append(discounted_returns(rewards, dones, s.gamma))
    returns_flat = np.concatenate(returns)
    advantages = (returns_flat - returns_flat.mean()) / (returns_flat.std() + 1e-8)

    # 3. update: one gradient step on log π(a|s) · advantage
    policy_loss, entropy = agent.update(
        np.array([state for steps in episodes for state, _ in steps], np.float32),
        np.array([action for steps in episodes for _, action in steps], np.int64),
        advantages.astype(np.float32),
    )
    sync_weights(agent)
    return {
        **episode_stats(agent, [float(len(steps)) for steps in episodes], s.num_envs),
        "policy_loss": float(policy_loss),
        "entropy": float(entropy),
    }


def iteration(agent: Agent, settings: AgentSettings) -> dict[str, float]:
    """One update of the settings' algorithm; its history row (returns, losses, entropy)."""
    if settings.algorithm == "PPO":
        return ppo_iteration(agent, settings)
    return reinforce_iteration(agent, settings)


# -- the trainer: the loop a chunk at a time, with a safety net ----------------------------
#: A policy this certain (entropy in nats) that loses the pole this fast has collapsed.
COLLAPSED_ENTROPY = 0.02
COLLAPSED_RETURN = 15.0
#: Consecutive collapsed updates before the run is stopped.
COLLAPSE_PATIENCE = 3

COLLAPSED = (
    "policy collapsed: it pushes the same way in every state (entropy ≈ 0) "
    "and the pole falls within a few steps, worse than random. A certain "
    "policy gets no gradient to learn from, so it would stay stuck"
)


def _finite(state) -> bool:
    weights, optimizer_vars = state
    arrays = [w for model in weights for w in model] + list(optimizer_vars)
    return all(np.isfinite(w).all() for w in arrays)


class AgentTrainer(LiveTraining):
    """Train a CartPole agent live; one history row per update (``unit="update"``).

    Rows: ``epoch`` (the update, 1-based), ``episode_return`` (mean return of the
    episodes that ended during this update; if none ended, of the last few that did),
    ``episode_return_min``/``_max``, ``episodes``, ``env_steps`` (so far),
    ``policy_loss``, ``entropy`` (nats; log 2 ≈ 0.69 is a coin flip) and, for PPO,
    ``value_loss``.

    The best policy so far (highest ``episode_return``) is remembered: *Stop* keeps it.
    A NaN loss, non-finite weights, or a *collapsed* policy (certain and failing for
    :data:`COLLAPSE_PATIENCE` updates, what a huge learning rate does) stop the run and
    roll the networks back to the last good update.
    """

    def __init__(self, settings: AgentSettings = AgentSettings()):
        super().__init__(settings.updates)
        self.settings = settings
        self.agent: Agent | None = None
        self._reset()

    # -- state ----------------------------------------------------------------------------
    def _reset(self) -> None:
        if self.agent is not None:
            self.agent.envs.close()
        self.agent = make_agent(self.settings)
        self.initial_policy = NumpyPolicy(self.actor.get_weights())
        self._good = self._snapshot()
        self._good_update = 0
        self._collapsed = 0
        # (episode_return, updates it had had, snapshot) of the best policy seen
        self.best: tuple[float, int, Any] | None = None

    @property
    def actor(self):
        return self.agent.actor

    @property
    def critic(self):
        return self.agent.critic

    @property
    def optimizer(self):
        return self.agent.optimizer

    @property
    def env_steps(self) -> int:
        return self.agent.env_steps

    @property
    def actor_weights(self) -> list[np.ndarray]:
        return self.agent.actor_weights

    def _sync_numpy(self) -> None:
        sync_weights(self.agent)

    def _snapshot(self):
        return snapshot([self.actor, self.critic], self.optimizer)

    def _restore(self, state) -> None:
        restore(state, [self.actor, self.critic], self.optimizer)
        self._sync_numpy()

    @property
    def model(self):
        """The Keras policy network (the actor): states ``(n, 4)`` → action logits ``(n, 2)``.

        What "download the trained model" saves; the critic only helps training.
        """
        return self.actor

    @property
    def policy(self) -> NumpyPolicy:
        """The current policy as a numpy function (a copy: safe to keep for a replay)."""
        return NumpyPolicy(self.agent.actor_weights)

    def stop(self) -> None:
        """End the run and keep the best policy seen so far (not just the last one)."""
        was_training = self.status in (TrainingStatus.RUNNING, TrainingStatus.PAUSED)
        super().stop()
        if was_training and self.best is not None:
            self._restore(self.best[2])
            which = f"the one after update {self.best[1]}" if self.best[1] else "the untrained one"
            self.message = (
                f"Kept the best policy so far: {which}, whose episodes averaged a return "
                f"of {self.best[0]:.0f}."
            )

    # -- the loop -------------------------------------------------------------------------
    def _train(self, max_epochs: int, max_seconds: float) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        started = time.perf_counter()
        while len(rows) < max_epochs:
            update = self.epochs_done + len(rows) + 1
            # this update's returns and entropy describe the policy that played the
            # rollout, i.e. the networks as they are now, before the update
            before = self._snapshot()
            row = iteration(self.agent, self.settings)
            problem = self._problem(row)
            collapsed = (
                row["entropy"] < COLLAPSED_ENTROPY and row["episode_return"] < COLLAPSED_RETURN
            )
            self._collapsed = self._collapsed + 1 if collapsed else 0
            if not problem and self._collapsed >= COLLAPSE_PATIENCE:
                problem = COLLAPSED
            if problem:
                if self._collapsed == 0 and _finite(before):  # NaN from this very update
                    self._good, self._good_update = before, update - 1
                self._restore(self._good)
                self._diverge(
                    divergence_message(
                        update,
                        math.nan,
                        self._good_update,
                        unit="update",
                        problem=problem,
                        model="policy",
                    )
                )
                break
            row = {"epoch": update, **row, "env_steps": self.env_steps}
            rows.append(row)
            if not collapsed:
                self._good, self._good_update = before, update - 1
            if self.best is None or row["episode_return"] >= self.best[0]:
                self.best = (row["episode_return"], update - 1, before)
            if time.perf_counter() - started >= max_seconds:
                break
        return rows

    def _problem(self, row: dict[str, float]) -> str:
        losses = [v for k, v in row.items() if k.endswith("loss") or k == "entropy"]
        if not all(math.isfinite(v) for v in losses):
            return "loss became NaN (not a number)"
        weights = self.agent.actor_weights + self.agent.critic_weights
        if not all(np.isfinite(w).all() for w in weights):
            return "network's weights became NaN or infinite"
        return ""

    def close(self) -> None:
        self.agent.envs.close()


# -- evaluation and solving ------------------------------------------------------------
def evaluate(policy: Policy, episodes: int = 20, seed: int = 10_000) -> np.ndarray:
    """Greedy returns of ``episodes`` fresh episodes (start seeds ``seed``, ``seed + 1``, …)."""
    return episode_returns(policy, range(seed, seed + episodes), greedy=True)


def solve(
    settings: AgentSettings = AgentSettings(),
    *,
    max_updates: int = 300,
    episodes: int = 20,
    threshold: float = SOLVED_RETURN,
    check_above: float = 200.0,
) -> dict[str, Any]:
    """Train until the greedy policy averages ≥ ``threshold`` over ``episodes`` fresh episodes.

    The greedy evaluation runs whenever an update's episode return passes
    ``check_above`` (its time counts in ``seconds``). Returns a dict with ``solved``,
    ``seconds`` (wall clock, including evaluations and building the networks),
    ``env_steps``, ``training_seconds``, ``updates``, ``greedy_returns`` and the
    ``trainer``.
    """
    started = time.perf_counter()
    trainer = AgentTrainer(dataclasses.replace(settings, updates=max_updates))
    trainer.start()
    returns = np.zeros(episodes)
    solved = False
    while trainer.is_running and not solved:
        rows = trainer.run_chunk(max_seconds=0.0)  # one update
        if rows and rows[-1]["episode_return"] >= check_above:
            returns = evaluate(
                trainer.policy, episodes=episodes, seed=settings.seed * 1000 + 10_000
            )
            solved = returns.mean() >= threshold
    return {
        "solved": bool(solved),
        "seconds": time.perf_counter() - started,
        "training_seconds": trainer.train_seconds,
        "env_steps": trainer.env_steps,
        "updates": trainer.epochs_done,
        "greedy_returns": returns,
        "trainer": trainer,
    }


def make_pretrained(path: Path = PRETRAINED_PATH, seeds: Sequence[int] = range(1, 11)) -> dict:
    """Train the default PPO agent until its greedy policy balances all 20 test episodes
    for 500 steps, trying seeds in turn; save it to ``path`` (``.npz`` + ``.json``)."""
    for seed in seeds:
        settings = AgentSettings(seed=int(seed))
        result = solve(settings, max_updates=300, threshold=MAX_EPISODE_STEPS)
        if not result["solved"]:
            continue
        check = evaluate(result["trainer"].policy, episodes=50, seed=50_000)
        if check.min() < MAX_EPISODE_STEPS:
            continue
        metadata = {
            "made_by": "python -m course_lib.reinforcement_learning.agents",
            "algorithm": "PPO",
            "settings": dataclasses.asdict(settings),
            "updates": result["updates"],
            "env_steps": result["env_steps"],
            "training_seconds": round(result["training_seconds"], 1),
            "check": "greedy return 500 on 50 episodes with start seeds 50000-50049",
        }
        save_policy(result["trainer"].policy, path, metadata)
        return metadata
    raise RuntimeError("no seed reached 500 on every test episode; try more seeds")


if __name__ == "__main__":
    print(json.dumps(make_pretrained(), indent=2))
