"""Section 5 of the reinforcement-learning lesson: what the policy learnt.

The probability of pushing right over the pole's angle and angular velocity (cart at rest
in the middle), before training and for the policy watched in section 4.
"""

import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from app_pages.reinforcement_learning_sections.watch_it_balance import POLICIES
from course_lib import ui
from course_lib.reinforcement_learning import agents, cartpole, charts


def follow_the_map() -> None:
    """Picking a policy beside the maps picks it in section 4 too: one choice, two places."""
    st.session_state[f"{PREFIX}watch"] = st.session_state[f"{PREFIX}map_policy"]


def show(trainer: agents.AgentTrainer, policy, which: str) -> None:
    """Draw the two policy maps beside a copy of section 4's policy picker.

    Args:
        trainer: this student's trainer (its untrained network is the "before").
        policy: the policy watched in section 4, and ``which`` its name.
    """
    st.header("5 · What the policy learnt", divider="gray")
    knobs, before, after = st.columns([1, 2, 2])
    with knobs:
        st.session_state[f"{PREFIX}map_policy"] = which  # the one watched in section 4
        st.radio(
            "Policy",
            POLICIES,
            key=f"{PREFIX}map_policy",
            on_change=follow_the_map,
            help="The same choice as in section 4: changing one changes the other.",
        )
        st.markdown(
            "Every state with the cart at rest in the middle, coloured by the probability of "
            "pushing **right**. A good policy pushes the cart *under* the falling pole: right "
            "when the pole leans or swings right (orange), left otherwise (blue)."
        )
    with before:
        ui.chart(
            charts.policy_heatmap(cartpole.policy_grid(trainer.initial_policy), "Before training")
        )
    with after:
        ui.chart(charts.policy_heatmap(cartpole.policy_grid(policy), f"Now: {which}"))
    st.caption(heatmap_caption(cartpole.heatmap_spread(cartpole.policy_grid(policy)), which))


def heatmap_caption(spread: dict[str, float], which: str) -> str:
    """What the "now" heatmap shows, from its numbers (:func:`cartpole.heatmap_spread`)."""
    angle, velocity = spread["angle"], spread["angular velocity"]
    if max(angle, velocity) < 0.2:
        verdict = "it hardly depends on either yet: the policy is still about 50/50"
    elif velocity > 2 * angle:
        verdict = (
            "it goes mostly by the angular velocity, which says where the pole will be "
            "next; the angle only tips the balance when the pole barely moves"
        )
    elif angle > 2 * velocity:
        verdict = "it goes mostly by the angle"
    else:
        verdict = "the angle and the angular velocity count about as much"
    return (
        "Before training the last layer's weights are tiny, so the network says about 50/50 "
        f"everywhere. For the {which}, P(push right) changes on average by {angle:.2f} from "
        f"−12° to +12° (at a fixed angular velocity) and by {velocity:.2f} from −2 to +2 "
        f"rad/s (at a fixed angle): {verdict}."
    )
