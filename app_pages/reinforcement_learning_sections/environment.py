"""Section 1 of the reinforcement-learning lesson: the environment, CartPole-v1.

States, actions, rewards and the end of an episode, a start state drawn, the
agent–environment loop, and the return the agent wants the most of.
"""

import streamlit as st

from course_lib.reinforcement_learning import cartpole

#: The agent–environment loop, as a Graphviz diagram.
AGENT_ENVIRONMENT_LOOP = """
digraph loop {
  rankdir=LR; bgcolor="transparent"; nodesep=0.6; ranksep=1.2;
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=36, margin="0.35,0.25"];
  edge [fontname="Helvetica", fontsize=32, penwidth=3];
  agent [label="Agent\\npolicy network π(a | s)", fillcolor="#cfe2f3"];
  env [label="Environment\\nCartPole-v1 physics", fillcolor="#fce5cd"];
  agent -> env [label="action aₜ\\npush left / right"];
  env -> agent [label="state sₜ₊₁ (4 numbers)\\nreward rₜ₊₁ = +1"];
}
"""


def show() -> None:
    """Draw the section (no widgets)."""
    st.header("1 · The environment: CartPole-v1", divider="gray")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(
            "A pole stands on a cart that rolls on a track. In each **state** the agent sees "
            "four numbers and chooses one of two **actions**: push the cart left or right. "
            "It gets a **reward** of +1 for every step the pole stays up. The **episode ends** "
            "when the pole leans more than 12°, when the cart leaves the track (±2.4 m), or "
            "after 500 steps. CartPole counts as **solved** when the average return is at "
            "least 475."
        )
        st.dataframe(cartpole.observation_table(), hide_index=True)
    with right:
        st.image(
            cartpole.draw_frame([0.0, 0.0, 0.05, 0.0], caption="a start state"),
            caption="Dashed red: the ±2.4 m limits. Grey wedge: the ±12° the pole must stay in.",
        )
    st.graphviz_chart(AGENT_ENVIRONMENT_LOOP)
    st.markdown("The agent wants the most reward over the whole episode, the **return**:")
    st.latex(r"G_t = r_{t+1} + \gamma\, r_{t+2} + \gamma^2 r_{t+3} + \dots \qquad 0 < \gamma \le 1")
