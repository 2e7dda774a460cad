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
from course_lib.training import learning_curves_frame

#: The main knobs, row by row in the knobs' column (the widget each gets: a slider unless
#: said here).
SETTINGS_ROWS = (
    ("algorithm",),
    ("learning_rate", "hidden_units"),
    ("updates", "num_envs"),
    ("gamma", "seed"),
)
#: The returns chart's height, with the entropy beside it: both under the Start button on a
#: 1366 × 768 screen too.
CHART_HEIGHT = 320
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


def knobs(controls: ui.Controls) -> tuple[AgentSettings, Any]:
    """Draw the section's header, the algorithm's equations and the widgets.

    Returns:
        ``(settings, beside)``: what the widgets hold, and the column beside them, where
        :func:`show` draws the training panel (knobs | Start + charts).
    """
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
    knobs_column, beside = st.columns([1, 2])
    with knobs_column:
        for names in SETTINGS_ROWS:
            for column, name in zip(st.columns(len(names)), names, strict=True):
                with column:
                    if name == "algorithm":
                        controls.widget(st.radio, AgentSettings, name, horizontal=True)
                    else:
                        controls.widget(WIDGETS.get(name, st.slider), AgentSettings, name)
        with st.expander("More knobs: rollout, epochs, clipping, GAE (PPO), entropy bonus"):
            columns = st.columns(2)
            for index, name in enumerate(DETAIL_FIELDS):
                with columns[index % 2]:
                    controls.widget(st.slider, AgentSettings, name)
    return controls.settings(AgentSettings), beside


def show(settings: AgentSettings, random: np.ndarray, beside: Any) -> agents.AgentTrainer:
    """The training panel, the downloads and the code; return this student's trainer.

    Args:
        settings: what the widgets hold, and ``beside`` the column next to them (:func:`knobs`).
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
        if trainer.status == "stopped" and trainer.message:
            st.info(trainer.message, icon=":material/workspace_premium:")
        if not trainer.history:
            return
        previous = getattr(trainer, "previous_history", None)  # the run before: a ghost
        returns, entropy = st.columns([2, 1])
        with returns:
            ui.chart(
                charts.returns_chart(
                    trainer.history,
                    random_mean=random.mean(),
                    random_std=random.std(),
                    height=CHART_HEIGHT,
                )
            )
        with entropy:
            ui.live_learning_curves(
                learning_curves_frame(trainer.history),
                "entropy",
                x_title="update",
                height=CHART_HEIGHT,
                previous=learning_curves_frame(previous) if previous else None,
            )
        st.caption(
            returns_caption(trainer.history) + " Entropy (right) measures how undecided the "
            "policy is: log 2 ≈ 0.69 nats is a coin flip, 0 is certain. It falls as the agent "
            "learns what to do."
        )

    with beside:
        ui.training_panel(
            trainer, key=f"{PREFIX}train", metrics=(), live_view=returns_view, unit="update"
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
