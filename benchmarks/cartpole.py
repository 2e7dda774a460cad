"""How fast does the chapter's default agent solve CartPole-v1? Prints one JSON object.

"Solved" here is strict: the *greedy* policy averages ≥ 475 over 20 fresh episodes.
For each seed, the wall clock runs from building the agent (networks, compiled update,
environments) to the evaluation that passed, evaluations included; TensorFlow's import
is measured once, apart.

The reference is the textbook loop a student would otherwise write (the keras-io
"Actor Critic Method" example): one episode at a time, the network called eagerly on
one state per step, one update per episode. It runs under the same solve criterion
with a time cap.

Usage: ``python benchmarks/cartpole.py [--seeds 1 2 3] [--reference-seconds 90]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from course_lib.reinforcement_learning import cartpole  # noqa: E402

EVAL_EPISODES = 20


def reference_actor_critic(seed: int, max_seconds: float) -> dict:
    """The eager one-episode-at-a-time actor-critic (keras-io style), until solved or capped."""
    import keras
    import tensorflow as tf

    started = time.perf_counter()
    gamma, hidden_units = 0.99, 128
    initializer = keras.initializers.GlorotUniform
    inputs = keras.Input((4,))
    common = keras.layers.Dense(hidden_units, "relu", kernel_initializer=initializer(seed))(inputs)
    action = keras.layers.Dense(2, "softmax", kernel_initializer=initializer(seed + 1))(common)
    critic = keras.layers.Dense(1, kernel_initializer=initializer(seed + 2))(common)
    model = keras.Model(inputs, [action, critic])
    optimizer = keras.optimizers.Adam(0.01)
    huber = keras.losses.Huber()
    rng = np.random.default_rng(seed)
    env = cartpole.make_env()

    def policy(states: np.ndarray) -> np.ndarray:
        return model(states, training=False)[0].numpy()

    env_steps, episodes, training_seconds = 0, 0, 0.0
    running_return, solved, greedy = 0.0, False, 0.0
    while time.perf_counter() - started < max_seconds and not solved:
        episode_started = time.perf_counter()
        state, _ = env.reset(seed=int(rng.integers(2**31 - 1)))
        log_probs, values, rewards = [], [], []
        with tf.GradientTape() as tape:
            done = False
            while not done:
                probabilities, value = model(state[None, :])
                chosen = int(rng.random() < float(probabilities[0, 1]))
                log_probs.append(tf.math.log(probabilities[0, chosen]))
                values.append(value[0, 0])
                state, reward, terminated, truncated, _ = env.step(chosen)
                rewards.append(reward)
                done = terminated or truncated
            returns, following = [], 0.0
            for reward in reversed(rewards):
                following = reward + gamma * following
                returns.insert(0, following)
            returns = np.array(returns, np.float32)
            returns = (returns - returns.mean()) / (returns.std() + 1e-8)
            actor_losses, critic_losses = [], []
            for log_prob, value, ret in zip(log_probs, values, returns, strict=True):
                actor_losses.append(-log_prob * (ret - value))
                critic_losses.append(huber(tf.expand_dims(value, 0), tf.expand_dims(ret, 0)))
            loss = tf.add_n(actor_losses) + tf.add_n(critic_losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        training_seconds += time.perf_counter() - episode_started
        env_steps += len(rewards)
        episodes += 1
        running_return = 0.05 * len(rewards) + 0.95 * running_return
        if running_return > 200 and episodes % 10 == 0:
            greedy = float(
                cartpole.episode_returns(
                    policy, range(10_000, 10_000 + EVAL_EPISODES), greedy=True
                ).mean()
            )
            solved = greedy >= cartpole.SOLVED_RETURN
    return {
        "seed": seed,
        "solved": solved,
        "seconds": round(time.perf_counter() - started, 2),
        "episodes": episodes,
        "env_steps": env_steps,
        "env_steps_per_second": round(env_steps / max(training_seconds, 1e-9)),
        "last_greedy_mean": round(greedy, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--reference-seconds", type=float, default=90.0)
    parser.add_argument("--reference-seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()

    started = time.perf_counter()
    import tensorflow as tf

    import_seconds = time.perf_counter() - started
    from course_lib.reinforcement_learning import agents

    default = agents.AgentSettings()
    runs = []
    for seed in args.seeds:
        result = agents.solve(agents.AgentSettings(seed=seed), episodes=EVAL_EPISODES)
        runs.append(
            {
                "seed": seed,
                "solved": result["solved"],
                "seconds": round(result["seconds"], 2),
                "updates": result["updates"],
                "env_steps": result["env_steps"],
                "env_steps_per_second": round(result["env_steps"] / result["training_seconds"]),
                "greedy_mean": round(float(result["greedy_returns"].mean()), 1),
            }
        )
        result["trainer"].close()
    reference = [
        reference_actor_critic(seed, args.reference_seconds) for seed in args.reference_seeds
    ]
    solved_seconds = [run["seconds"] for run in runs if run["solved"]]
    print(
        json.dumps(
            {
                "benchmark": "cartpole",
                "criterion": f"greedy mean >= {cartpole.SOLVED_RETURN:g} over {EVAL_EPISODES} fresh episodes",
                "agent": f"PPO, {default.num_envs} envs x {default.rollout_steps} steps, "
                f"{default.hidden_units}x{default.hidden_units} tanh, lr {default.learning_rate}",
                "median_seconds_to_solve": (
                    round(statistics.median(solved_seconds), 2)
                    if len(solved_seconds) == len(runs)
                    else None
                ),
                "seeds": runs,
                "env_steps_per_second": round(
                    statistics.median(run["env_steps_per_second"] for run in runs)
                ),
                "reference_eager_actor_critic": {
                    "cap_seconds": args.reference_seconds,
                    "seeds": reference,
                    "env_steps_per_second": round(
                        statistics.median(run["env_steps_per_second"] for run in reference)
                    ),
                },
                "tensorflow_import_seconds": round(import_seconds, 2),
                "tensorflow": tf.__version__,
                "cpu_count": os.cpu_count(),
                "affinity_cpus": len(os.sched_getaffinity(0))
                if hasattr(os, "sched_getaffinity")
                else None,
                "python": platform.python_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
