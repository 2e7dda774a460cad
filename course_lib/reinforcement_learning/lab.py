"""The lab notebook: the app's own agent, written out for Colab.

The notebook is made of the functions the app itself calls, inlined with
:func:`inspect.getsource` after one cell of constants written from the settings: the
environments, the networks, the advantage, the compiled update, one iteration of
rollout → advantage → update, and the loop that repeats it; then the app's returns chart
and a greedy evaluation. It never imports ``course_lib``: for the same settings it starts
from the app's initial weights and reaches the app's returns (``tests`` check both).
"""

from __future__ import annotations

import dataclasses

from course_lib import classroom, training
from course_lib.reinforcement_learning import agents, cartpole, charts, policy, policy_gradient
from course_lib.reinforcement_learning.agents import AgentSettings

DEFAULT_SETTINGS = AgentSettings()

#: Installs what Colab may lack; a no-op where gymnasium is already there.
PIP_CELL = """
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("gymnasium") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "gymnasium"])
"""

IMPORTS = """
from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
"""


def source(*functions) -> str:
    """The source of the app's functions and classes, one after another."""
    return "\n\n".join(classroom.source_of(function).strip() for function in functions)


def constants_cell(settings: AgentSettings) -> str:
    """The settings as named constants (with their help), and the environment's constants."""
    lines = ["# the experiment: the app's settings"]
    for field in dataclasses.fields(settings):
        help_text = field.metadata.get("help", "")
        lines.append(f"{field.name.upper()} = {getattr(settings, field.name)!r}  # {help_text}")
    names = ", ".join(f"{f.name}={f.name.upper()}" for f in dataclasses.fields(settings))
    lines += [
        f"settings = SimpleNamespace({names})",
        "",
        "# CartPole-v1 and the charts",
        f"ENV_ID = {cartpole.ENV_ID!r}",
        f"SOLVED_RETURN = {cartpole.SOLVED_RETURN!r}  # gymnasium's threshold",
        f"FRAME_SIZE = {cartpole.FRAME_SIZE!r}  # pixels of a drawn frame",
    ]
    return "\n".join(lines)


def notebook_cells(settings: AgentSettings = DEFAULT_SETTINGS) -> list[classroom.Cell]:
    """A plain Keras + gymnasium notebook that trains the agent of ``settings``.

    Returns a list of :class:`course_lib.classroom.Cell`: the settings as constants, the
    environments, the networks, the advantage, the update, one iteration, the training
    loop, the chart of the episode returns and a greedy evaluation.
    """
    ppo = settings.algorithm == "PPO"
    iteration = agents.ppo_iteration if ppo else agents.reinforce_iteration
    md, code = classroom.markdown, classroom.code
    return [
        md(
            f"Train a **{settings.algorithm}** agent on gymnasium's CartPole-v1 with Keras, "
            "exactly as the course app's reinforcement-learning chapter does: rollout → "
            "advantage → update. Every function below is the app's own code."
        ),
        code(PIP_CELL),
        code(IMPORTS),
        md("## The settings"),
        code(constants_cell(settings)),
        md(
            "## The environments\n"
            "CartPoles stepped side by side; a policy maps states `(n, 4)` to the "
            "probabilities of (left, right) `(n, 2)`."
        ),
        code(
            source(
                cartpole.make_env,
                cartpole.make_vector_env,
                cartpole.random_policy,
                cartpole.pick_actions,
                cartpole.episode_returns,
            )
        ),
        md(
            "## The networks\nThe actor π(a | s) and the critic V(s), seeded without "
            "global seeds; the agent acts with their weights in numpy."
        ),
        code(
            source(
                training.seed_sequence, policy.build_networks, policy.mlp_forward, policy.softmax
            )
        ),
        md(
            "## The advantage\n"
            + (
                "GAE: what happened minus what the critic expected, discounted."
                if ppo
                else "The discounted return that followed each action, normalised."
            )
        ),
        code(source(policy_gradient.gae_advantages if ppo else policy_gradient.discounted_returns)),
        md("## The update"),
        code(
            source(
                policy_gradient.make_ppo_update if ppo else policy_gradient.make_reinforce_update
            )
        ),
        md("## One iteration: rollout → advantage → update"),
        code(
            source(
                agents.Agent,
                agents.make_agent,
                agents.sync_weights,
                agents.act,
                agents.episode_stats,
                iteration,
            )
        ),
        md("## Train"),
        code("agent = make_agent(settings)"),
        code(
            "history = []\n"
            "for update_number in range(1, UPDATES + 1):\n"
            f"    row = {iteration.__name__}(agent, settings)\n"
            '    history.append({"epoch": update_number, **row, "env_steps": agent.env_steps})\n'
            '    print(update_number, round(row["episode_return"], 1))'
        ),
        md("## How it learnt"),
        code(source(charts.returns_chart, charts._random_band, charts._solved_line)),
        code(
            "random_returns = episode_returns(random_policy, range(100), greedy=False)\n"
            "returns_chart(history, random_mean=random_returns.mean(), "
            "random_std=random_returns.std())"
        ),
        md("## How it plays: the likelier action in 20 fresh episodes"),
        code(source(agents.evaluate)),
        code(
            "greedy_returns = evaluate(lambda states: softmax(mlp_forward(agent.actor_weights, "
            "states)))\n"
            'print("greedy returns:", greedy_returns)'
        ),
    ]
