"""Agents that learn to balance CartPole: REINFORCE and PPO, written out step by step.

A *policy network* maps the state ``s`` (4 numbers) to the probabilities of the two
actions, ``π(a | s)``. Reinforcement learning improves it from experience, in a loop:

1. **Rollout** — let the current policy act in the environment and record what
   happened: states, actions, rewards, where episodes ended.
2. **Advantage** — for every step, how much better than expected did things go after
   that action? REINFORCE uses the (normalised) discounted return that followed;
   PPO uses an *actor-critic*: a second network, the critic ``V(s)``, predicts the
   return, and the advantage is what happened minus that prediction (GAE).
3. **Update** — gradient ascent on ``log π(a | s) × advantage``: make the actions that
   went better than expected more likely. PPO *clips* the update so that the new policy
   stays close to the one that collected the data, and reuses each rollout for a few
   epochs of minibatches.

Everything is seeded by :class:`AgentSettings.seed` without touching global seeds: the
environments' resets, the action sampling (a numpy ``Generator``), the initializers
and the minibatch order. Acting uses the network's weights in numpy (a tiny MLP on a
few states is faster there than a TensorFlow call); the updates are compiled
``tf.function`` steps.

Run ``python -m course_lib.agents`` to remake the pretrained policy in ``assets/``.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from course_lib import cartpole
from course_lib.device import seed_sequence
from course_lib.settings import setting
from course_lib.training import LiveTraining, TrainingStatus

PRETRAINED_PATH = Path(__file__).resolve().parents[1] / "assets" / "cartpole_policy.npz"


@dataclass(frozen=True)
class AgentSettings:
    """The knobs of one training run on CartPole-v1."""

    algorithm: str = setting(
        "PPO",
        choices=("PPO", "REINFORCE"),
        help="PPO: actor-critic with clipped updates (fast). REINFORCE: the plain policy gradient.",
    )
    hidden_units: int = setting(
        64, minimum=4, maximum=256, help="neurons in each of the two hidden layers (tanh)"
    )
    learning_rate: float = setting(
        3e-3, minimum=1e-5, maximum=10.0, help="Adam's step size; too large and learning breaks"
    )
    gamma: float = setting(
        0.99, minimum=0.8, maximum=0.999, help="discount γ: how much later rewards count"
    )
    gae_lambda: float = setting(
        0.95, minimum=0.0, maximum=1.0, help="PPO: λ of GAE, trades bias (0) for variance (1)"
    )
    num_envs: int = setting(
        8,
        minimum=1,
        maximum=32,
        help="CartPoles played side by side (episodes per REINFORCE update)",
    )
    rollout_steps: int = setting(
        128, minimum=16, maximum=512, help="PPO: steps per environment between two updates"
    )
    update_epochs: int = setting(
        4, minimum=1, maximum=10, help="PPO: passes over each rollout per update"
    )
    minibatches: int = setting(4, minimum=1, maximum=16, help="PPO: minibatches per pass")
    clip_coef: float = setting(
        0.2, minimum=0.05, maximum=0.5, help="PPO: how far the probability ratio may move, ε"
    )
    entropy_coef: float = setting(
        0.0, minimum=0.0, maximum=0.1, help="bonus for keeping the policy random (exploration)"
    )
    updates: int = setting(60, minimum=1, maximum=500, help="updates per training run")
    seed: int = setting(
        1, minimum=0, maximum=100_000, help="seeds networks, environments, sampling"
    )


#: The learning rates a page offers (a log scale; the last ones break learning on purpose).
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1.0, 10.0)


def offered_learning_rate(learning_rate: float) -> float:
    """The rate of :data:`LEARNING_RATES` nearest to ``learning_rate`` (> 0) on a log scale.

    A page's learning-rate slider offers only those; a shared link may carry any valid rate.
    """
    return min(LEARNING_RATES, key=lambda rate: abs(math.log(rate / learning_rate)))


#: The finer knobs (the page tucks them into an expander); all but entropy_coef are PPO's.
DETAIL_FIELDS = (
    "rollout_steps",
    "update_epochs",
    "minibatches",
    "clip_coef",
    "gae_lambda",
    "entropy_coef",
)

#: Slider step and number format per settings field (the rest: whole numbers, step 1).
SLIDER_STEPS = {
    "hidden_units": (4, None),
    "updates": (5, None),
    "gamma": (0.001, "%.3f"),
    "rollout_steps": (16, None),
    "clip_coef": (0.05, "%.2f"),
    "gae_lambda": (0.01, "%.2f"),
    "entropy_coef": (0.005, "%.3f"),
}


def slider_options(name: str) -> dict[str, Any]:
    """The ``step`` and ``format`` of the slider for one field of :class:`AgentSettings`."""
    step, number_format = SLIDER_STEPS.get(name, (1, None))
    return {"step": step, "format": number_format}


# -- the networks -----------------------------------------------------------------------
def build_networks(hidden_units: int, seed: int):
    """The actor ``π(a | s)`` (logits ``(n, 2)``) and the critic ``V(s)`` (``(n, 1)``).

    Two separate 4 → hidden → hidden → out tanh MLPs, with CleanRL's orthogonal
    initialisation: a tiny last actor layer (gain 0.01) so the untrained policy is
    close to 50/50 in every state.
    """
    import keras

    seeds = seed_sequence(seed, 6)

    def mlp(outputs: int, out_gain: float, layer_seeds: Sequence[int], name: str):
        init = keras.initializers.Orthogonal
        return keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(
                    hidden_units, "tanh", kernel_initializer=init(math.sqrt(2), layer_seeds[0])
                ),
                keras.layers.Dense(
                    hidden_units, "tanh", kernel_initializer=init(math.sqrt(2), layer_seeds[1])
                ),
                keras.layers.Dense(outputs, kernel_initializer=init(out_gain, layer_seeds[2])),
            ],
            name=name,
        )

    return mlp(2, 0.01, seeds[:3], "actor"), mlp(1, 1.0, seeds[3:], "critic")


def mlp_forward(weights: Sequence[np.ndarray], states: np.ndarray) -> np.ndarray:
    """The MLP in numpy: ``[W1, b1, W2, b2, W3, b3]`` applied to ``(n, 4)`` states."""
    h = np.asarray(states, np.float32)
    for i in range(0, len(weights) - 2, 2):
        h = np.tanh(h @ weights[i] + weights[i + 1])
    return h @ weights[-2] + weights[-1]


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # a policy may be shared between students (cached)
    return array


class NumpyPolicy:
    """A trained actor as a plain function: states ``(n, 4)`` → P(left), P(right) ``(n, 2)``."""

    def __init__(self, weights: Sequence[np.ndarray]):
        self.weights = tuple(_read_only(np.array(w, np.float32)) for w in weights)

    def __call__(self, states: np.ndarray) -> np.ndarray:
        return softmax(mlp_forward(self.weights, np.atleast_2d(states)))


def save_policy(policy: NumpyPolicy, path: Path, metadata: dict[str, Any]) -> None:
    """Weights as a plain ``.npz`` (no pickle), the story of how it was made next to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{f"w{i}": w for i, w in enumerate(policy.weights)})
    path.with_suffix(".json").write_text(json.dumps(metadata, indent=2) + "\n")


def load_policy(path: Path = PRETRAINED_PATH) -> NumpyPolicy:
    """Load a policy written by :func:`save_policy` (arrays only: ``allow_pickle=False``)."""
    with np.load(path, allow_pickle=False) as data:
        return NumpyPolicy([data[f"w{i}"] for i in range(len(data.files))])


# -- step 2: advantages -----------------------------------------------------------------
def discounted_returns(rewards: np.ndarray, dones: np.ndarray, gamma: float) -> np.ndarray:
    """Return-to-go ``G_t = r_t + γ r_{t+1} + γ² r_{t+2} + …`` up to the episode's end.

    Args:
        rewards: ``(T,)`` or ``(T, n_envs)`` rewards, in time order.
        dones: same shape, 1 where the episode ended *at* that step (no bootstrapping).
        gamma: discount factor in [0, 1].
    """
    returns = np.zeros_like(rewards, dtype=np.float32)
    following = np.zeros_like(rewards[0], dtype=np.float32)
    for t in reversed(range(len(rewards))):
        following = rewards[t] + gamma * following * (1.0 - dones[t])
        returns[t] = following
    return returns


def gae_advantages(
    rewards: np.ndarray,
    values: np.ndarray,
    dones: np.ndarray,
    last_values: np.ndarray,
    gamma: float,
    gae_lambda: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Generalised advantage estimation (Schulman et al., 2016).

    ``δ_t = r_t + γ V(s_{t+1}) − V(s_t)`` is how much better step ``t`` went than the critic
    expected; the advantage is ``A_t = δ_t + γλ δ_{t+1} + (γλ)² δ_{t+2} + …``, cut where an
    episode ended.

    Args:
        rewards, values, dones: ``(T, n_envs)``; ``dones`` is 1 where the episode ended at
            that step.
        last_values: ``(n_envs,)`` critic's value of the state after the last step.

    Returns:
        ``(advantages, returns)``, both ``(T, n_envs)``; ``returns = advantages + values``
        is the critic's regression target.
    """
    advantages = np.zeros_like(rewards, dtype=np.float32)
    running = np.zeros_like(last_values, dtype=np.float32)
    for t in reversed(range(len(rewards))):
        next_values = last_values if t == len(rewards) - 1 else values[t + 1]
        alive = 1.0 - dones[t]
        delta = rewards[t] + gamma * next_values * alive - values[t]
        running = delta + gamma * gae_lambda * alive * running
        advantages[t] = running
    return advantages, advantages + values


# -- step 3: the updates, compiled -------------------------------------------------------
def make_ppo_update(actor, critic, optimizer, clip_coef: float, entropy_coef: float):
    """A ``tf.function`` that runs all the epochs × minibatches of one PPO update.

    Arguments of the returned function: ``states (B, 4)``, ``actions (B,)``,
    ``old_log_probs (B,)``, ``advantages (B,)``, ``returns (B,)`` and ``order
    (epochs × minibatches, minibatch_size)`` (indices into the batch). Returns the
    last minibatch's (policy loss, value loss, entropy).
    """
    import tensorflow as tf

    variables = actor.trainable_variables + critic.trainable_variables
    optimizer.build(variables)

    @tf.function(reduce_retracing=True)
    def update(states, actions, old_log_probs, advantages, returns, order):
        policy_loss = value_loss = entropy = tf.constant(0.0)
        for i in tf.range(tf.shape(order)[0]):
            idx = order[i]
            adv = tf.gather(advantages, idx)
            adv = (adv - tf.reduce_mean(adv)) / (tf.math.reduce_std(adv) + 1e-8)
            with tf.GradientTape() as tape:
                log_probs_all = tf.nn.log_softmax(actor(tf.gather(states, idx)))
                log_probs = tf.gather(log_probs_all, tf.gather(actions, idx), batch_dims=1)
                ratio = tf.exp(log_probs - tf.gather(old_log_probs, idx))
                # the clipped surrogate: no gain from moving the ratio beyond 1 ± ε
                policy_loss = tf.reduce_mean(
                    tf.maximum(
                        -adv * ratio, -adv * tf.clip_by_value(ratio, 1 - clip_coef, 1 + clip_coef)
                    )
                )
                predicted = critic(tf.gather(states, idx))[:, 0]
                value_loss = 0.5 * tf.reduce_mean(tf.square(predicted - tf.gather(returns, idx)))
                entropy = -tf.reduce_mean(
                    tf.reduce_sum(tf.exp(log_probs_all) * log_probs_all, axis=1)
                )
                loss = policy_loss + 0.5 * value_loss - entropy_coef * entropy
            gradients = tape.gradient(loss, variables)
            gradients, _ = tf.clip_by_global_norm(gradients, 0.5)
            optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return policy_loss, value_loss, entropy

    return update


def make_reinforce_update(actor, optimizer, entropy_coef: float):
    """A ``tf.function``: one policy-gradient step on a batch of whole episodes.

    Arguments: ``states (B, 4)``, ``actions (B,)``, ``advantages (B,)`` (normalised
    returns-to-go). Returns (policy loss, entropy).
    """
    import tensorflow as tf

    variables = actor.trainable_variables
    optimizer.build(variables)

    @tf.function(
        input_signature=[
            tf.TensorSpec((None, 4), tf.float32),
            tf.TensorSpec((None,), tf.int64),
            tf.TensorSpec((None,), tf.float32),
        ]
    )
    def update(states, actions, advantages):
        with tf.GradientTape() as tape:
            log_probs_all = tf.nn.log_softmax(actor(states))
            log_probs = tf.gather(log_probs_all, actions, batch_dims=1)
            # gradient ascent on E[log π(a|s) · G]: descent on its negative
            policy_loss = -tf.reduce_mean(log_probs * advantages)
            entropy = -tf.reduce_mean(tf.reduce_sum(tf.exp(log_probs_all) * log_probs_all, 1))
            loss = policy_loss - entropy_coef * entropy
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables, strict=True))
        return policy_loss, entropy

    return update


def divergence_message(update: int, what: str, last_good_update: int) -> str:
    rolled_back = (
        f"The policy was rolled back to update {last_good_update}, its last good state."
        if last_good_update > 0
        else "The policy was rolled back to its initial weights."
    )
    return (
        f"Training stopped at update {update}: the {what}. This is what too large a "
        f"learning rate does: each update jumps too far. {rolled_back} "
        "Try a learning rate about 10× smaller."
    )


#: A policy this certain (entropy in nats) that loses the pole this fast has collapsed.
COLLAPSED_ENTROPY = 0.02
COLLAPSED_RETURN = 15.0
#: Consecutive collapsed updates before the run is stopped.
COLLAPSE_PATIENCE = 3


def _finite(snapshot) -> bool:
    return all(np.isfinite(w).all() for part in snapshot for w in part)


# -- the trainer: the loop, one update per history row -------------------------------------
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
        self._reset()

    # -- state ----------------------------------------------------------------------------
    def _reset(self) -> None:
        import keras

        s = self.settings
        self.actor, self.critic = build_networks(s.hidden_units, s.seed)
        self.optimizer = keras.optimizers.Adam(s.learning_rate, epsilon=1e-5)
        if s.algorithm == "PPO":
            self._update = make_ppo_update(
                self.actor, self.critic, self.optimizer, s.clip_coef, s.entropy_coef
            )
        else:
            self._update = make_reinforce_update(self.actor, self.optimizer, s.entropy_coef)
        self.rng = np.random.default_rng(s.seed)
        if getattr(self, "envs", None) is not None:
            self.envs.close()
        self.envs = cartpole.make_vector_env(s.num_envs)
        self.states, _ = self.envs.reset(seed=s.seed)
        self.running_returns = np.zeros(s.num_envs)
        self.recent_returns: list[float] = []
        self.env_steps = 0
        self.initial_policy = NumpyPolicy(self.actor.get_weights())
        self._sync_numpy()
        self._good = self._snapshot()
        self._good_update = 0
        self._collapsed = 0
        # (episode_return, updates it had had, snapshot) of the best policy seen
        self.best: tuple[float, int, Any] | None = None

    def _sync_numpy(self) -> None:
        self.actor_weights = [w.astype(np.float32) for w in self.actor.get_weights()]
        self.critic_weights = [w.astype(np.float32) for w in self.critic.get_weights()]

    def _snapshot(self):
        return (
            self.actor.get_weights(),
            self.critic.get_weights(),
            [v.numpy() for v in self.optimizer.variables],
        )

    def _restore(self, snapshot) -> None:
        actor, critic, optimizer = snapshot
        self.actor.set_weights(actor)
        self.critic.set_weights(critic)
        for variable, value in zip(self.optimizer.variables, optimizer, strict=False):
            variable.assign(value)
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
        return NumpyPolicy(self.actor_weights)

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
            if self.settings.algorithm == "PPO":
                row = self._ppo_iteration()
            else:
                row = self._reinforce_iteration()
            problem = self._problem(row)
            collapsed = (
                row["entropy"] < COLLAPSED_ENTROPY and row["episode_return"] < COLLAPSED_RETURN
            )
            self._collapsed = self._collapsed + 1 if collapsed else 0
            if not problem and self._collapsed >= COLLAPSE_PATIENCE:
                problem = (
                    "policy collapsed: it pushes the same way in every state (entropy ≈ 0) "
                    "and the pole falls within a few steps, worse than random. A certain "
                    "policy gets no gradient to learn from, so it would stay stuck"
                )
            if problem:
                if self._collapsed == 0 and _finite(before):  # NaN from this very update
                    self._good, self._good_update = before, update - 1
                self._restore(self._good)
                self._diverge(divergence_message(update, problem, self._good_update))
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
        if not all(np.isfinite(w).all() for w in self.actor_weights + self.critic_weights):
            return "network's weights became NaN or infinite"
        return ""

    def _act(self, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sample actions ``(n,)`` and their log-probabilities ``(n,)`` from the policy."""
        probabilities = softmax(mlp_forward(self.actor_weights, states))
        probabilities = np.nan_to_num(probabilities, nan=0.5)  # NaN weights are caught later
        actions = cartpole.pick_actions(probabilities, greedy=False, rng=self.rng)
        chosen = probabilities[np.arange(len(actions)), actions]
        return actions, np.log(np.maximum(chosen, 1e-12)).astype(np.float32)

    def _episode_stats(self, finished: list[float]) -> dict[str, float]:
        self.recent_returns = (self.recent_returns + finished)[-2 * self.settings.num_envs :]
        shown = finished or self.recent_returns[-self.settings.num_envs :] or [0.0]
        return {
            "episode_return": float(np.mean(shown)),
            "episode_return_min": float(np.min(shown)),
            "episode_return_max": float(np.max(shown)),
            "episodes": len(finished),
        }

    def _ppo_iteration(self) -> dict[str, float]:
        s = self.settings
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
            states[t] = self.states
            values[t] = mlp_forward(self.critic_weights, self.states)[:, 0]
            actions[t], log_probs[t] = self._act(self.states)
            self.states, rewards[t], terminated, truncated, info = self.envs.step(actions[t])
            dones[t] = terminated | truncated
            # cut off at 500 steps is not the pole falling: the critic's value of the
            # state it was cut at stands in for the rewards that would have followed
            cut = truncated & ~terminated
            if cut.any():
                final = np.stack(info["final_obs"][cut]).astype(np.float32)
                rewards[t, cut] += s.gamma * mlp_forward(self.critic_weights, final)[:, 0]
            self.running_returns += 1
            for i in np.flatnonzero(dones[t]):
                finished.append(float(self.running_returns[i]))
                self.running_returns[i] = 0
        self.env_steps += s.rollout_steps * s.num_envs

        # 2. advantages: what happened compared with what the critic expected
        last_values = mlp_forward(self.critic_weights, self.states)[:, 0]
        advantages, returns = gae_advantages(
            rewards, values, dones, last_values, s.gamma, s.gae_lambda
        )

        # 3. update: epochs × minibatches of clipped policy-gradient steps, compiled
        batch = s.rollout_steps * s.num_envs
        minibatch = batch // s.minibatches
        order = np.stack(
            [
                self.rng.permutation(batch)[: minibatch * s.minibatches]
                for _ in range(s.update_epochs)
            ]
        ).reshape(-1, minibatch)
        policy_loss, value_loss, entropy = self._update(
            states.reshape(-1, 4),
            actions.reshape(-1),
            log_probs.reshape(-1),
            advantages.reshape(-1),
            returns.reshape(-1),
            order.astype(np.int32),
        )
        self._sync_numpy()
        return {
            **self._episode_stats(finished),
            "policy_loss": float(policy_loss),
            "value_loss": float(value_loss),
            "entropy": float(entropy),
        }

    def _reinforce_iteration(self) -> dict[str, float]:
        s = self.settings
        # 1. rollout: one whole episode in each environment, fresh starts
        self.states, _ = self.envs.reset(seed=int(self.rng.integers(2**31 - 1)))
        episodes: list[list[tuple[np.ndarray, int]]] = [[] for _ in range(s.num_envs)]
        alive = np.ones(s.num_envs, dtype=bool)
        while alive.any():
            actions, _ = self._act(self.states)
            for i in np.flatnonzero(alive):
                episodes[i].append((self.states[i], int(actions[i])))
            self.states, _, terminated, truncated, _ = self.envs.step(actions)
            self.env_steps += int(alive.sum())
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
        policy_loss, entropy = self._update(
            np.array([state for steps in episodes for state, _ in steps], np.float32),
            np.array([action for steps in episodes for _, action in steps], np.int64),
            advantages.astype(np.float32),
        )
        self._sync_numpy()
        return {
            **self._episode_stats([float(len(steps)) for steps in episodes]),
            "policy_loss": float(policy_loss),
            "entropy": float(entropy),
        }

    def close(self) -> None:
        self.envs.close()


# -- evaluation, luck and variance, solving ----------------------------------------------
def evaluate(policy: cartpole.Policy, episodes: int = 20, seed: int = 10_000) -> np.ndarray:
    """Greedy returns of ``episodes`` fresh episodes (start seeds ``seed``, ``seed + 1``, …)."""
    return cartpole.episode_returns(policy, range(seed, seed + episodes), greedy=True)


def train_seeds(
    settings: AgentSettings,
    seeds: Sequence[int],
    *,
    on_progress: Callable[[float, str], None] | None = None,
    chunk_seconds: float = 0.5,
):
    """Train the same settings once per seed; learning curves of all of them.

    Args:
        on_progress: called with (fraction done in [0, 1], a short text) as it goes.

    Returns:
        A DataFrame with columns ``seed``, ``update``, ``episode_return`` and the final
        greedy evaluation per seed in ``greedy_return`` (repeated on each row).
    """
    import pandas as pd

    frames = []
    for index, seed in enumerate(seeds):
        trainer = AgentTrainer(dataclasses.replace(settings, seed=int(seed)))
        trainer.start()
        while trainer.is_running:
            trainer.run_chunk(chunk_seconds)
            if on_progress is not None:
                fraction = (index + trainer.progress) / len(seeds)
                on_progress(fraction, f"seed {seed}: update {trainer.epochs_done}")
        greedy = float(evaluate(trainer.policy, episodes=10).mean())
        frames.append(
            pd.DataFrame(
                {
                    "seed": int(seed),
                    "update": [row["epoch"] for row in trainer.history],
                    "episode_return": [row["episode_return"] for row in trainer.history],
                    "greedy_return": greedy,
                }
            )
        )
        trainer.close()
    return pd.concat(frames, ignore_index=True)


def seeds_summary(runs):
    """One row per seed of :func:`train_seeds`' frame: its last update's return and the
    greedy policy's mean return over 10 episodes, rounded for a table."""
    return (
        runs.groupby("seed")
        .agg(final_return=("episode_return", "last"), greedy_return=("greedy_return", "first"))
        .rename(
            columns={"final_return": "last update's return", "greedy_return": "greedy (10 ep.)"}
        )
        .round(1)
    )


def solve(
    settings: AgentSettings = AgentSettings(),
    *,
    max_updates: int = 300,
    episodes: int = 20,
    threshold: float = cartpole.SOLVED_RETURN,
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
        result = solve(settings, max_updates=300, threshold=cartpole.MAX_EPISODE_STEPS)
        if not result["solved"]:
            continue
        check = evaluate(result["trainer"].policy, episodes=50, seed=50_000)
        if check.min() < cartpole.MAX_EPISODE_STEPS:
            continue
        metadata = {
            "made_by": "python -m course_lib.agents",
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


# -- classroom: walkthrough, quiz, notebook -------------------------------------------------
def _classroom():
    from course_lib.classroom import Question, Step

    walkthrough = (
        Step(
            "Watch the pretrained agent first",
            "Before training anything, replay the pretrained policy (section 4) and look at "
            "its heatmap (section 5): it pushes right when the pole leans or swings right. "
            "That is the target a network has to discover from reward alone.",
            {},
        ),
        Step(
            "PPO with the defaults",
            "In section 3, press Start. The episode return climbs from the random policy's "
            "~22 to the 475 line within a few dozen updates, while the entropy falls: the "
            "policy becomes decisive.",
            {
                "algorithm": "PPO",
                "learning_rate": 3e-3,
                "hidden_units": 64,
                "gamma": 0.99,
                "num_envs": 8,
                "updates": 60,
                "seed": 1,
            },
        ),
        Step(
            "REINFORCE: the plain policy gradient",
            "Now train REINFORCE: no critic, no clipping, one gradient step per batch of "
            "whole episodes. It learns too, but needs many more environment steps — the "
            "returns it learns from are noisy.",
            {"algorithm": "REINFORCE", "learning_rate": 1e-2, "updates": 80},
        ),
        Step(
            "Too large a learning rate",
            "With a learning rate of 1, one update pushes the policy to always pick the same "
            "action; it becomes certain, gets no gradient, and the run is stopped and rolled "
            "back. Size of step matters in RL as in supervised learning.",
            {"algorithm": "PPO", "learning_rate": 1.0, "updates": 20},
        ),
        Step(
            "Short-sighted agents",
            "Lower the discount γ to 0.8: the agent only cares about the next few steps. "
            "Compare how high and how stable the return gets with γ = 0.99.",
            {"algorithm": "PPO", "learning_rate": 3e-3, "gamma": 0.8, "updates": 60},
        ),
        Step(
            "Luck and variance",
            "Back to the defaults, then train on several seeds in section 6. Same code, same "
            "settings, different curves: judge an RL method by many seeds, not one.",
            {"algorithm": "PPO", "learning_rate": 3e-3, "gamma": 0.99, "seed": 1},
        ),
    )
    quiz = (
        Question(
            "What reward does CartPole give?",
            (
                "+1 when the agent pushes the right way",
                "+1 for every step the pole stays up",
                "+500 at the end of a successful episode",
                "−1 when the pole falls",
            ),
            1,
            "+1 per step, including the last: the episode return counts the steps the pole "
            "stayed up. Nobody tells the agent which push was right — it must work that out "
            "from the returns that followed.",
        ),
        Question(
            "Before training, the heatmap of P(push right) is about 0.5 everywhere. Why?",
            (
                "The environment is symmetric",
                "The last layer starts with tiny weights",
                "The heatmap is normalised",
                "The network has not seen the state yet",
            ),
            1,
            "The actor's last layer is initialised with a gain of 0.01, so its logits are "
            "nearly equal and the softmax gives about 50/50: a fair start for exploration.",
        ),
        Question(
            "What does PPO's critic add to the plain REINFORCE update?",
            (
                "A second action to choose from",
                "A prediction of the return to compare with",
                "A larger learning rate",
                "A replay of human games",
            ),
            1,
            "The critic V(s) predicts the return; the advantage is what happened minus that "
            "prediction. Actions are judged against expectations, which cuts the noise.",
        ),
        Question(
            "Two runs with the same settings but different seeds end at returns 500 and 180. "
            "What should you conclude?",
            (
                "The code has a bug",
                "The second seed's settings were wrong",
                "RL results vary: compare methods over several seeds",
                "Training longer always fixes it",
            ),
            2,
            "The seed changes the initial weights, the start states and the sampled actions. "
            "RL is noisy, so a method is judged by many seeds.",
        ),
    )
    return walkthrough, quiz


WALKTHROUGH, QUIZ = _classroom()


def notebook_cells(settings: AgentSettings = AgentSettings()):
    """A plain Keras + gymnasium notebook that trains the agent of ``settings``.

    Returns a list of :class:`course_lib.classroom.Cell`: the settings as constants, the
    environments, the networks, the advantage, the update, the training loop, a chart
    of the episode returns and a greedy evaluation.
    """
    from course_lib import classroom

    s = settings
    ppo = s.algorithm == "PPO"
    cells = [
        classroom.markdown(
            f"Train a **{s.algorithm}** agent on gymnasium's CartPole-v1 with Keras, as in "
            "the course app's reinforcement-learning chapter: rollout → advantage → update. "
            "On Colab, run `!pip install gymnasium` first."
        ),
        classroom.code(
            "\n".join(
                [
                    f"{name.upper()} = {getattr(s, name)!r}"
                    for name in (f.name for f in dataclasses.fields(s))
                    if name != "algorithm"
                ]
            )
        ),
        classroom.markdown("## The environments and the networks"),
        classroom.code(NOTEBOOK_SETUP),
        classroom.markdown(
            "## The advantage\n"
            + (
                "GAE: what happened minus what the critic expected, discounted."
                if ppo
                else "The discounted return that followed each action, normalised."
            )
        ),
        classroom.code(inspect.getsource(gae_advantages) if ppo else NOTEBOOK_RETURNS),
        classroom.markdown("## The update and the training loop"),
        classroom.code(NOTEBOOK_PPO if ppo else NOTEBOOK_REINFORCE),
        classroom.markdown("## How it learnt, and how it plays"),
        classroom.code(NOTEBOOK_RESULTS),
    ]
    return cells


NOTEBOOK_SETUP = """
import altair as alt
import gymnasium as gym
import keras
import numpy as np
import pandas as pd
import tensorflow as tf

envs = gym.vector.SyncVectorEnv(
    [lambda: gym.make("CartPole-v1") for _ in range(NUM_ENVS)],
    autoreset_mode=gym.vector.AutoresetMode.SAME_STEP,
)
rng = np.random.default_rng(SEED)


def mlp(outputs, gain, seed):
    init = keras.initializers.Orthogonal
    return keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(HIDDEN_UNITS, "tanh", kernel_initializer=init(2**0.5, seed)),
        keras.layers.Dense(HIDDEN_UNITS, "tanh", kernel_initializer=init(2**0.5, seed + 1)),
        keras.layers.Dense(outputs, kernel_initializer=init(gain, seed + 2)),
    ])


actor = mlp(2, 0.01, SEED)  # logits of (left, right)
critic = mlp(1, 1.0, SEED + 100)  # V(s)
optimizer = keras.optimizers.Adam(LEARNING_RATE, epsilon=1e-5)


def act(states):
    probabilities = tf.nn.softmax(actor(states)).numpy()
    actions = (rng.random(len(states)) < probabilities[:, 1]).astype(np.int64)
    return actions, np.log(probabilities[np.arange(len(actions)), actions] + 1e-12)
"""

NOTEBOOK_RETURNS = """
def discounted_returns(rewards):
    returns, following = np.zeros(len(rewards), np.float32), 0.0
    for t in reversed(range(len(rewards))):
        following = rewards[t] + GAMMA * following
        returns[t] = following
    return returns
"""

NOTEBOOK_PPO = """
variables = actor.trainable_variables + critic.trainable_variables


@tf.function
def update(states, actions, old_log_probs, advantages, returns):
    adv = (advantages - tf.reduce_mean(advantages)) / (tf.math.reduce_std(advantages) + 1e-8)
    with tf.GradientTape() as tape:
        log_probs_all = tf.nn.log_softmax(actor(states))
        log_probs = tf.gather(log_probs_all, actions, batch_dims=1)
        ratio = tf.exp(log_probs - old_log_probs)
        clipped = tf.clip_by_value(ratio, 1 - CLIP_COEF, 1 + CLIP_COEF)
        policy_loss = tf.reduce_mean(tf.maximum(-adv * ratio, -adv * clipped))
        value_loss = 0.5 * tf.reduce_mean(tf.square(critic(states)[:, 0] - returns))
        entropy = -tf.reduce_mean(tf.reduce_sum(tf.exp(log_probs_all) * log_probs_all, 1))
        loss = policy_loss + 0.5 * value_loss - ENTROPY_COEF * entropy
    gradients, _ = tf.clip_by_global_norm(tape.gradient(loss, variables), 0.5)
    optimizer.apply_gradients(zip(gradients, variables))


states, _ = envs.reset(seed=SEED)
running_returns, history = np.zeros(NUM_ENVS), []
shape = (ROLLOUT_STEPS, NUM_ENVS)
for update_number in range(1, UPDATES + 1):
    # 1. rollout
    batch = {k: np.zeros(shape, np.float32) for k in ("log_probs", "rewards", "dones", "values")}
    batch_states, batch_actions, finished = np.zeros((*shape, 4), np.float32), np.zeros(shape, np.int64), []
    for t in range(ROLLOUT_STEPS):
        batch_states[t] = states
        batch["values"][t] = critic(states)[:, 0].numpy()
        batch_actions[t], batch["log_probs"][t] = act(states)
        states, batch["rewards"][t], terminated, truncated, info = envs.step(batch_actions[t])
        batch["dones"][t] = terminated | truncated
        cut = truncated & ~terminated  # cut off at 500 steps: bootstrap with V(last state)
        if cut.any():
            final = np.stack(info["final_obs"][cut]).astype(np.float32)
            batch["rewards"][t, cut] += GAMMA * critic(final)[:, 0].numpy()
        running_returns += 1
        for i in np.flatnonzero(batch["dones"][t]):
            finished.append(running_returns[i])
            running_returns[i] = 0
    # 2. advantage
    advantages, returns = gae_advantages(
        batch["rewards"], batch["values"], batch["dones"], critic(states)[:, 0].numpy(),
        GAMMA, GAE_LAMBDA,
    )
    # 3. update: epochs x minibatches
    size = ROLLOUT_STEPS * NUM_ENVS
    flat = [batch_states.reshape(-1, 4), batch_actions.reshape(-1), batch["log_probs"].reshape(-1),
            advantages.reshape(-1), returns.reshape(-1)]
    for epoch in range(UPDATE_EPOCHS):
        for idx in np.array_split(rng.permutation(size), MINIBATCHES):
            update(*(tf.constant(part[idx]) for part in flat))
    if finished:
        history.append({"update": update_number, "episode_return": float(np.mean(finished))})
    print(update_number, history[-1]["episode_return"] if history else "-")
"""

NOTEBOOK_REINFORCE = """
@tf.function(reduce_retracing=True)
def update(states, actions, advantages):
    with tf.GradientTape() as tape:
        log_probs_all = tf.nn.log_softmax(actor(states))
        log_probs = tf.gather(log_probs_all, actions, batch_dims=1)
        entropy = -tf.reduce_mean(tf.reduce_sum(tf.exp(log_probs_all) * log_probs_all, 1))
        loss = -tf.reduce_mean(log_probs * advantages) - ENTROPY_COEF * entropy
    gradients = tape.gradient(loss, actor.trainable_variables)
    optimizer.apply_gradients(zip(gradients, actor.trainable_variables))


history = []
for update_number in range(1, UPDATES + 1):
    # 1. rollout: one whole episode per environment
    states, _ = envs.reset(seed=int(rng.integers(2**31 - 1)))
    episodes = [[] for _ in range(NUM_ENVS)]
    alive = np.ones(NUM_ENVS, bool)
    while alive.any():
        actions, _ = act(states)
        for i in np.flatnonzero(alive):
            episodes[i].append((states[i], actions[i]))
        states, _, terminated, truncated, _ = envs.step(actions)
        alive &= ~(terminated | truncated)
    # 2. advantage: normalised return-to-go
    returns = np.concatenate([discounted_returns(np.ones(len(e), np.float32)) for e in episodes])
    advantages = (returns - returns.mean()) / (returns.std() + 1e-8)
    # 3. update
    update(
        tf.constant(np.array([s for e in episodes for s, _ in e], np.float32)),
        tf.constant(np.array([a for e in episodes for _, a in e], np.int64)),
        tf.constant(advantages.astype(np.float32)),
    )
    history.append({"update": update_number, "episode_return": float(np.mean([len(e) for e in episodes]))})
    print(update_number, history[-1]["episode_return"])
"""

NOTEBOOK_RESULTS = """
frame = pd.DataFrame(history)
solved = alt.Chart(pd.DataFrame({"y": [475]})).mark_rule(strokeDash=[6, 4]).encode(y="y:Q")
curve = alt.Chart(frame).mark_line(point=True).encode(x="update:Q", y="episode_return:Q")
display(curve + solved)

env = gym.make("CartPole-v1")
greedy_returns = []
for episode in range(5):
    state, _ = env.reset(seed=10_000 + episode)
    done, steps = False, 0
    while not done:
        action = int(np.argmax(actor(state[None, :])[0]))
        state, _, terminated, truncated, _ = env.step(action)
        done, steps = terminated or truncated, steps + 1
    greedy_returns.append(steps)
print("greedy returns:", greedy_returns)
"""

if __name__ == "__main__":
    print(json.dumps(make_pretrained(), indent=2))
