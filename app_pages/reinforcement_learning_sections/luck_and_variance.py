"""Section 6 of the reinforcement-learning lesson: luck and variance.

The same settings trained on a few seeds, their learning curves side by side, and a
summary table: one curve proves little in reinforcement learning.
"""

import dataclasses

import streamlit as st

from course_lib import agents, budget, cartpole, ui

PREFIX = "rl_"


def show(settings: agents.AgentSettings) -> None:
    """Draw the seed sweep's controls and, once run, its curves and summary."""
    st.header("6 · Luck and variance", divider="gray")
    st.markdown(
        "Run the *same* settings with different seeds: different start states, different "
        "random actions, different initial weights. Reinforcement learning results vary a lot "
        "from run to run — one curve proves little."
    )
    columns = st.columns([1, 1, 2])
    seed_count = columns[0].slider("seeds", 2, 5, 3, key=f"{PREFIX}seed_count")
    seed_updates = columns[1].slider(
        "updates per seed", 5, 60, 30, step=5, key=f"{PREFIX}seed_updates"
    )
    cost = budget.rl_run(dataclasses.replace(settings, updates=seed_updates), seeds=seed_count)
    clicked = columns[2].button(
        "Train on every seed", icon=":material/casino:", key=f"{PREFIX}seeds_run"
    )
    if clicked and (refusal := budget.check(cost)):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
    elif clicked:
        st.session_state[f"{PREFIX}seeds"] = ui.run_with_progress(
            agents.train_seeds,
            dataclasses.replace(settings, updates=seed_updates),
            range(settings.seed, settings.seed + seed_count),
            text="Starting…",
        )
    if (runs := st.session_state.get(f"{PREFIX}seeds")) is not None:
        ui.chart(cartpole.seeds_chart(runs))
        st.dataframe(agents.seeds_summary(runs))
