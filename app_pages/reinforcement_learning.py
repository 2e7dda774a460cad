"""Chapter 5 — Deep reinforcement learning: play CartPole, then watch a network learn it.

The page sets up the classroom pieces (a shared link, the walkthrough, the link to the
experiment) and draws the lesson section by section. Each section's view is a module in
``app_pages/reinforcement_learning_sections``: the environment, playing it yourself,
training an agent, watching it balance, what the policy learnt, and luck and variance.
"""

import streamlit as st

from app_pages.reinforcement_learning_sections import (
    environment,
    luck_and_variance,
    play_it_yourself,
    train_an_agent,
    watch_it_balance,
    what_the_policy_learnt,
)
from course_lib import ui
from course_lib.reinforcement_learning import agents, cartpole

PREFIX = "rl_"

st.title("Deep reinforcement learning: balance a pole")
st.markdown(
    "An **agent** acts in an **environment**, gets a **reward**, and a deep network learns "
    "a **policy** — which action to take in which state — from nothing but that reward. "
    "You will balance CartPole yourself, then train a network that beats you and look "
    "inside what it learnt."
)
random_returns = play_it_yourself.random_returns()  # the baseline of sections 2 and 3

# the lecturer's guided tour and a shared link both set the training widgets of section 3
ui.shared_settings({agents.AgentSettings: PREFIX})
if (rate := st.session_state.get(f"{PREFIX}learning_rate")) not in (None, *agents.LEARNING_RATES):
    st.session_state[f"{PREFIX}learning_rate"] = agents.offered_learning_rate(rate)
    st.info(
        f"The link's learning rate {rate:g} is not on the slider; using the nearest, "
        f"{st.session_state[f'{PREFIX}learning_rate']:g}.",
        icon=":material/tune:",
    )
ui.walkthrough(agents.WALKTHROUGH, key=f"{PREFIX}walk", experiments={agents.AgentSettings: PREFIX})

# -- 1. the environment, 2. play it yourself -------------------------------------------------
environment.show()
play_it_yourself.show(random_returns)

# -- 3. train an agent: its knobs, the link to them, the training panel ------------------------
settings = train_an_agent.knobs()
ui.share_link((settings, PREFIX))
trainer = train_an_agent.show(settings, random_returns)

# -- 4. watch it, 5. what the policy learnt, 6. luck and variance ------------------------------
policy, which = watch_it_balance.show(trainer)
what_the_policy_learnt.show(trainer, policy, which)
luck_and_variance.show(settings)

# -- 7. beyond cartpole --------------------------------------------------------------------
st.header("7 · Beyond CartPole: AlphaGo and AlphaZero", divider="gray")
st.markdown(cartpole.BEYOND_CARTPOLE)

ui.quiz(agents.QUIZ, key=f"{PREFIX}quiz")
