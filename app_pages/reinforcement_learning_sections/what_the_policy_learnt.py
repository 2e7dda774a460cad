"""Section 5 of the reinforcement-learning lesson: what the policy learnt.

The probability of pushing right over the pole's angle and angular velocity (cart at rest
in the middle), before training and for the policy watched in section 4.
"""

import streamlit as st

from course_lib import ui
from course_lib.reinforcement_learning import agents, cartpole, charts


def show(trainer: agents.AgentTrainer, policy, which: str) -> None:
    """Draw the two policy maps.

    Args:
        trainer: this student's trainer (its untrained network is the "before").
        policy: the policy watched in section 4, and ``which`` its name.
    """
    st.header("5 · What the policy learnt", divider="gray")
    st.markdown(
        "Every state with the cart at rest in the middle, coloured by the probability of "
        "pushing **right**. A good policy pushes the cart *under* the falling pole: right when "
        "the pole leans or swings right (orange), left otherwise (blue)."
    )
    before, after = st.columns(2)
    with before:
        ui.chart(
            charts.policy_heatmap(
                cartpole.policy_grid(trainer.initial_policy), "Before training (seed's weights)"
            )
        )
    with after:
        ui.chart(charts.policy_heatmap(cartpole.policy_grid(policy), f"Now: {which}"))
    st.caption(
        "Before training the last layer's weights are tiny, so the network says about 50/50 "
        "everywhere. A trained policy splits the plane along a line: the angular velocity "
        "matters as much as the angle, because it says where the pole will be next."
    )
