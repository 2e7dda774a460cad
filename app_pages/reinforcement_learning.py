"""Chapter 5 — Deep reinforcement learning: play CartPole, then watch a network learn it.

The page sets up the classroom pieces (the page's controls with a shared link, the
walkthrough, the quiz) and draws the lesson section by section. Each section's view is a
module in ``app_pages/reinforcement_learning_sections``: the environment, playing it
yourself, training an agent, watching it balance, what the policy learnt, luck and
variance, and beyond CartPole.
"""

import streamlit as st

from app_pages.reinforcement_learning_sections import (
    EXPERIMENTS,
    PREFIX,
    beyond_cartpole,
    environment,
    luck_and_variance,
    play_it_yourself,
    train_an_agent,
    watch_it_balance,
    what_the_policy_learnt,
)
from course_lib import ui
from course_lib.reinforcement_learning import lesson

st.title("Deep reinforcement learning: balance a pole")
st.markdown(
    "An **agent** acts in an **environment**, gets a **reward**, and a deep network learns "
    "a **policy** — which action to take in which state — from nothing but that reward. "
    "You will balance CartPole yourself, then train a network that beats you and look "
    "inside what it learnt."
)
random_returns = play_it_yourself.random_returns()  # the baseline of sections 2 and 3

# the lecturer's guided tour and a shared link both set the page's widgets
controls = ui.Controls(EXPERIMENTS)
controls.begin()
ui.walkthrough(lesson.WALKTHROUGH, key=f"{PREFIX}walk", controls=controls)

# -- 1. the environment, 2. play it yourself -------------------------------------------------
environment.show()
play_it_yourself.show(controls, random_returns)

# -- 3. train an agent: its knobs, the link to them, the training panel ------------------------
settings, beside = train_an_agent.knobs(controls)
controls.share_link()
trainer = train_an_agent.show(settings, random_returns, beside)

# -- 4. watch it, 5. what the policy learnt, 6. luck and variance, 7. beyond ---------------------
policy, which = watch_it_balance.show(controls, trainer)
what_the_policy_learnt.show(trainer, policy, which)
luck_and_variance.show(controls, settings)
beyond_cartpole.show()

ui.quiz(lesson.QUIZ, key=f"{PREFIX}quiz")
