"""The policy gradient: how good was each action (the advantage), and the update it drives.

Gradient ascent on ``log π(a | s) × advantage`` makes the actions that went better than
expected more likely. REINFORCE takes as advantage the (normalised) discounted return
that followed the action (:func:`discounted_returns`); PPO compares what happened with
what its critic expected (:func:`gae_advantages`) and *clips* the update so that the new
policy stays close to the one that collected the data (:func:`make_ppo_update`).

The updates are compiled ``tf.function`` steps; the advantages are plain numpy.
"""

from __future__ import annotations

import numpy as np


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
