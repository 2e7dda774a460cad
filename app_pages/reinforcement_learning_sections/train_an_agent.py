"""Section 3 of the reinforcement-learning lesson: train an agent live.

The policy gradient and PPO's clipped objective, the ``rl_`` training widgets (which the
walkthrough and shared links set), the training panel with the returns chart, the lab
notebook and downloads, and the code of rollout → advantage → update.
"""

import numpy as np
import streamlit as st

from course_lib import agents, budget, cartpole, ui

PREFIX = "rl_"


def slider(name: str) -> None:
    """A slider for one field of the settings: range and help from the dataclass."""
    label = name.replace("_", " ")
    options = agents.slider_options(name)
    ui.setting_widget(st.slider, agents.AgentSettings, name, label, prefix=PREFIX, **options)


def knobs() -> agents.AgentSettings:
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
    columns = st.columns(4)
    with columns[0]:
        ui.setting_widget(st.radio, agents.AgentSettings, "algorithm", "algorithm", prefix=PREFIX)
    with columns[1]:
        ui.setting_widget(
            st.select_slider,
            agents.AgentSettings,
            "learning_rate",
            "learning rate",
            prefix=PREFIX,
            options=agents.LEARNING_RATES,
        )
        slider("hidden_units")
    with columns[2]:
        slider("updates")
        slider("num_envs")
    with columns[3]:
        slider("gamma")
        # no help text on the seed, as before; its default goes through the session state
        st.session_state.setdefault(f"{PREFIX}seed", agents.AgentSettings().seed)
        st.number_input("seed", 0, 100_000, key=f"{PREFIX}seed")
    with st.expander("More knobs: rollout length, epochs, clipping and GAE (PPO), entropy bonus"):
        columns = st.columns(3)
        for index, name in enumerate(agents.DETAIL_FIELDS):
            with columns[index % 3]:
                slider(name)
    return ui.settings_from_widgets(agents.AgentSettings, PREFIX)


def show(settings: agents.AgentSettings, random: np.ndarray) -> agents.AgentTrainer:
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
                cartpole.returns_chart(
                    trainer.history, random_mean=random.mean(), random_std=random.std()
                )
            )
            st.caption(cartpole.returns_caption(trainer.history))
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
        lambda: agents.notebook_cells(settings),
        title=f"CartPole with {settings.algorithm}",
        file_name=f"cartpole_{settings.algorithm.lower()}.ipynb",
        name="cartpole-policy",
        key=PREFIX,
    )
    ui.show_code(
        agents.AgentTrainer._ppo_iteration,
        agents.gae_advantages,
        agents.make_ppo_update,
        agents.AgentTrainer._reinforce_iteration,
        label="Show the code: rollout → advantage → update",
    )
    return trainer
