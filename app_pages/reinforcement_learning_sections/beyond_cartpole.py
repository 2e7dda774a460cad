"""Section 7 of the reinforcement-learning lesson: beyond CartPole, AlphaGo and AlphaZero."""

import streamlit as st

from course_lib import cosmos

BEYOND_CARTPOLE = f"""
The same loop — state, action, reward, a network that learns a policy — beat the world's
best Go players. **AlphaGo** ({cosmos.milestone("AlphaGo").year}) had a *policy network* (which moves look promising) and
a *value network* (who is winning from here: a critic, like PPO's). It did not act on the
policy network alone: before each move it ran **Monte Carlo tree search**, imagining
thousands of continuations guided by the two networks, and played the move the search
trusted most. It started from human games, then improved by playing against itself.

**AlphaZero** ({cosmos.milestone("AlphaZero").year}) dropped the human games. It learnt Go, chess and shogi from the rules
alone, by **self-play**: the search, guided by the current network, plays better than the
network by itself, so the network is trained to predict the search's move choices and the
final result — and the improved network makes the next search stronger. The only reward is
+1 for a win and −1 for a loss at the very end of the game: a deferred reward, as in
CartPole's "how long did you last", but far sparser.
"""


def show() -> None:
    """Draw the section (no widgets)."""
    st.header("7 · Beyond CartPole: AlphaGo and AlphaZero", divider="gray")
    st.markdown(BEYOND_CARTPOLE)
