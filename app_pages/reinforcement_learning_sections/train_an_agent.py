"""Section 3 of the reinforcement-learning lesson: train an agent live.

The policy gradient and PPO's clipped objective, the ``rl_`` training widgets (which the
walkthrough and shared links set), the training panel with the returns chart, the lab
notebook and downloads, and the code of rollout → advantage → update.
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from course_lib import budget, ui
from course_lib.reinforcement_learning import agents, charts, lab, policy_gradient
from course_lib.reinforcement_learning.agents import AgentSettings

#: The main knobs, column by column (the widget each gets: a slider unless said here).
SETTINGS_COLUMNS = (
    ("algorithm",),
    ("learning_rate", "hidden_units"),
    ("updates", "num_envs"),
    ("gamma", "seed"),
)
WIDGETS = {"algorithm": st.radio, "seed": st.number_input}
#: The finer knobs, tucked into an expander; all but entropy_coef are PPO's.
DETAIL_FIELDS = (
    "rollout_steps",
    "update_epochs",
    "minibatches",
    "clip_coef",
    "gae_lambda",
    "entropy_coef",
)


def returns_caption(history: Sequence[dict[str, Any]]) -> str:
    """What the returns chart shows, with the environment steps played so far."""
    return (
        f"{history[-1]['env_steps']:,} environment steps so far. Light line: the mean return of "
        "the episodes that ended during each update (band: their min–max); dark line: "
        "its moving average over 10 updates."
    )


def knobs(controls: ui.Controls) -> AgentSettings:
    """Draw the section's header, the algorithm's equations and the widgets; return the settings."""
    st.header("3 · Train an agent live", divider="gray")
    st.markdown(
        "The policy is a small network: 4 numbers in, two probabilities out, π(left | s) and "
        "π(right | s). Training repeats three steps: **rollout** (let the policy play), "
        "**advantage** (which actions went better than expected?), **update** (make those "
        "actions more likely):"
    )
    st.latex(
        r"\theta \leftarrow \theta + \alpha\, \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, A_t"
    )
    st.markdown(
        "**REINFORCE** takes as advantage A the discounted return that followed the action "
        "(minus the batch mean). **PPO** adds a *critic* V(s) that predicts the return — A is "
        "what happened minus what the critic expected — and *clips* the probability ratio "
        "r = π_new / π_old so that one rollout cannot move the policy too far:"
    )
    st.latex(
        r"L^{\text{CLIP}} = \mathbb{E}_t\big[\min\big(r_t A_t,\;"
        r"\operatorname{clip}(r_t, 1-\varepsilon, 1+\varepsilon)\, A_t\big)\big]"
    )
    for column, names in zip(st.columns(4), SETTINGS_COLUMNS, strict=True):
        with column:
            for name in names:
                controls.widget(WIDGETS.get(name, st.slider), AgentSettings, name)
    with st.expander("More knobs: rollout length, epochs, clipping and GAE (PPO), entropy bonus"):
        columns = st.columns(3)
        for index, name in enumerate(DETAIL_FIELDS):
            with columns[index % 3]:
                controls.widget(st.slider, AgentSettings, name)
    return controls.settings(AgentSettings)


def show(settings: AgentSettings, random: np.ndarray) -> agents.AgentTrainer:
    """The training panel, the downloads and the code; return this student's trainer.

    Args:
        settings: what the widgets hold (:func:`knobs`).
        random: the random policy's returns, the band the returns chart compares with.
    """
    ui.require_tensorflow()
    if refusal := budget.check(budget.rl_update(settings)):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not built
        st.stop()
    trainer: agents.AgentTrainer = ui.session_trainer(
        f"{PREFIX}trainer", settings, lambda: agents.AgentTrainer(settings)
    )

    def returns_view(trainer: agents.AgentTrainer) -> None:
        if trainer.history:
            ui.chart(
                charts.returns_chart(
                    trainer.history, random_mean=random.mean(), random_std=random.std()
                )
            )
            st.caption(returns_caption(trainer.history))
        if trainer.status == "stopped" and trainer.message:
            st.info(trainer.message, icon=":material/workspace_premium:")

    ui.training_panel(
        trainer, key=f"{PREFIX}train", metrics=("entropy",), live_view=returns_view, unit="update"
    )
    st.caption(
        "Entropy (top) measures how undecided the policy is: log 2 ≈ 0.69 nats is a coin "
        "flip, 0 is certain. It falls as the agent learns what to do."
    )
    ui.lab_downloads(
        trainer,
        lambda: lab.notebook_cells(settings),
        title=f"CartPole with {settings.algorithm}",
        file_name=f"cartpole_{settings.algorithm.lower()}.ipynb",
        name="cartpole-policy",
        key=PREFIX,
    )
    ui.show_code(
        agents.ppo_iteration,
        policy_gradient.gae_advantages,
        policy_gradient.make_ppo_update,
        agents.reinforce_iteration,
        label="Show the code: rollout → advantage → update",
    )
    return trainer
