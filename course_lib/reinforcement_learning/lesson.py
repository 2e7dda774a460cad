"""The chapter's lesson as data: the lecturer's walkthrough and the quiz.

Each walkthrough step's preset is a complete experiment of
:class:`~course_lib.reinforcement_learning.agents.AgentSettings` (and, for the seed sweep,
:class:`~course_lib.reinforcement_learning.seeds.SweepSettings`): the settings it does not
name are the defaults (the page's controls reset them), so Back restores exactly the step
before. A step that claims something carries a :class:`~course_lib.classroom.Claim`, checked
against :func:`step_result`, which runs the step's preset headless with the page's own
trainers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from course_lib.classroom import Claim, Question, Step

#: The line CartPole counts as solved (mean return), drawn on the returns chart.
SOLVED = 475


def _first_update_at(returns: list[float], level: float = SOLVED) -> int | None:
    """The first update (1-based) whose mean episode return reached ``level``."""
    return next((i + 1 for i, value in enumerate(returns) if value >= level), None)


def _after_first_solved(result: Mapping[str, Any]) -> list[float]:
    first = _first_update_at(result["returns"])
    return [] if first is None else list(result["returns"][first:])


WALKTHROUGH = (
    Step(
        "Watch the pretrained agent first",
        "Before training anything, replay the pretrained policy (section 4) and look at "
        "its heatmap (section 5): it pushes right when the pole leans or swings right, and "
        "it keeps the pole up for all 500 steps. That is the target a network has to discover "
        "from reward alone.",
        {},
        claim=Claim(
            "the pretrained agent's replay lasts 500 steps; P(push right) > 0.9 where the pole "
            "leans and swings right, < 0.1 where it leans and swings left",
            lambda r: (
                r["replay_return"] == 500
                and r["p_right_leaning_right"] > 0.9
                and r["p_right_leaning_left"] < 0.1
            ),
        ),
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
        claim=Claim(
            "the first update's return is below 40, an update reaches 475 by update 40, and "
            "the entropy ends at least 0.15 nats below where it started",
            lambda r: (
                r["returns"][0] < 40
                and (_first_update_at(r["returns"]) or 999) <= 40
                and r["entropies"][-1] < r["entropies"][0] - 0.15
            ),
        ),
    ),
    Step(
        "REINFORCE: the plain policy gradient",
        "Now train REINFORCE: no critic, no clipping, one gradient step per batch of "
        "whole episodes. With this seed it even reaches the 475 line sooner than PPO did, "
        "but it does not stay there: the returns it learns from are noisy, and a few "
        "updates later it has fallen back below 200. Compare with PPO's curve (the ghost "
        "of step 2), which holds 500 over its last updates.",
        {"algorithm": "REINFORCE", "learning_rate": 1e-2, "updates": 80},
        claim=Claim(
            "REINFORCE reaches 475, then falls below 200 before the run ends",
            lambda r: (
                _first_update_at(r["returns"]) is not None and min(_after_first_solved(r)) < 200
            ),
        ),
    ),
    Step(
        "Too large a learning rate",
        "With a learning rate of 1, one update pushes the policy to always pick the same "
        "action: it becomes certain (entropy ≈ 0) and the pole falls within about 10 steps. "
        "A certain policy gets no gradient, so after three such updates the run is stopped "
        "(at update 4) and rolled back. Size of step matters in RL as in supervised learning.",
        {"algorithm": "PPO", "learning_rate": 1.0, "updates": 20},
        claim=Claim(
            "after one update the entropy is below 0.02 and the return below 15; the run "
            "stops at update 4, rolled back",
            lambda r: (
                r["entropies"][1] < 0.02
                and r["returns"][1] < 15
                and r["status"] == "diverged"
                and "update 4" in r["message"]
                and "rolled back" in r["message"]
            ),
        ),
    ),
    Step(
        "Short-sighted agents",
        "Lower the discount γ to 0.8: the agent only cares about the next few steps. "
        "Compare how high and how stable the return gets with γ = 0.99: it stays well "
        "below the 475 line, where γ = 0.99 (step 2) ends at 500.",
        # seed 3: four seeds in five stay below 475 with γ = 0.8 (benchmarks/walkthroughs.py)
        {"algorithm": "PPO", "learning_rate": 3e-3, "gamma": 0.8, "updates": 60, "seed": 3},
        claim=Claim(
            "with γ = 0.8 the last 10 updates average below 400 and none reaches 475",
            lambda r: sum(r["returns"][-10:]) / 10 < 400 and max(r["returns"][-10:]) < SOLVED,
        ),
    ),
    Step(
        "Luck and variance",
        "In section 6, train five seeds of PPO with a learning rate of 0.01, 20 updates "
        "each. Same code, same settings, different luck: one seed ends at 500 while another "
        "stays below 300. Judge an RL method by many seeds, not one.",
        {
            "algorithm": "PPO",
            "learning_rate": 1e-2,
            "seed": 0,
            "seed_count": 5,
            "seed_updates": 20,
        },
        claim=Claim(
            "the seeds' last-5-update mean returns differ by at least 150",
            lambda r: r["spread"] >= 150,
        ),
    ),
)


def step_result(step: Step) -> dict[str, Any]:
    """Run a walkthrough step's preset headless, as the page would, and return its numbers.

    The pretrained step replays the pretrained policy (start seed 0, as section 4 does) and
    reads its heatmap; a seed-sweep step runs the page's :class:`~.seeds.SeedSweep`; any
    other step trains the page's :class:`~.agents.AgentTrainer` for the preset's updates.

    Returns:
        ``returns`` and ``entropies`` per update, ``status`` and ``message`` of the run;
        for the pretrained step ``replay_return`` and the mean P(push right) where the pole
        leans and swings right (``p_right_leaning_right``) or left; for a sweep each
        seed's ``final_returns`` (mean of its last 5 updates) and their ``spread``.
    """
    from course_lib.reinforcement_learning import agents, cartpole, policy, seeds

    preset = dict(step.preset)
    if not preset:
        pretrained = policy.load_policy()
        grid = cartpole.policy_grid(pretrained)
        angle, velocity = grid["pole angle (°)"], grid["angular velocity (rad/s)"]
        right = grid["P(push right)"][(angle > 0) & (velocity > 0)]
        left = grid["P(push right)"][(angle < 0) & (velocity < 0)]
        episode = cartpole.play_episode(pretrained, seed=0)
        return {
            "replay_return": int(episode.episode_return),
            "p_right_leaning_right": float(right.mean()),
            "p_right_leaning_left": float(left.mean()),
        }
    sweep_names = {f.name for f in dataclasses.fields(seeds.SweepSettings)}
    sweep_settings = seeds.SweepSettings(**{k: v for k, v in preset.items() if k in sweep_names})
    settings = agents.AgentSettings(**{k: v for k, v in preset.items() if k not in sweep_names})
    if sweep_names & preset.keys():
        sweep = seeds.SeedSweep(*seeds.sweep_of(settings, sweep_settings))
        sweep.start()
        while sweep.is_running:
            sweep.run_chunk(1.0)
        runs = sweep.runs()
        final = runs.groupby("seed")["episode_return"].apply(lambda r: float(r.tail(5).mean()))
        return {
            "final_returns": final.round(1).tolist(),
            "spread": float(final.max() - final.min()),
            "status": str(sweep.status),
        }
    trainer = agents.AgentTrainer(settings)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(1.0)
    trainer.close()
    return {
        "returns": [float(row["episode_return"]) for row in trainer.history],
        "entropies": [float(row["entropy"]) for row in trainer.history],
        "status": str(trainer.status),
        "message": trainer.message,
    }


QUIZ = (
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
