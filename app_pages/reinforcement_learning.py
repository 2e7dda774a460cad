"""Chapter 5 — Deep reinforcement learning: play CartPole, then watch a network learn it."""

import dataclasses

import numpy as np
import streamlit as st

from course_lib import agents, cartpole, ui
from course_lib.settings import bounds

PREFIX = "rl_"
DEFAULTS = agents.AgentSettings()
#: slider step and number format per settings field (the rest: whole numbers)
SLIDER_STEPS = {
    "hidden_units": (4, None),
    "updates": (5, None),
    "gamma": (0.001, "%.3f"),
    "rollout_steps": (16, None),
    "clip_coef": (0.05, "%.2f"),
    "gae_lambda": (0.01, "%.2f"),
    "entropy_coef": (0.005, "%.3f"),
}

st.title("Deep reinforcement learning: balance a pole")
st.markdown(
    "An **agent** acts in an **environment**, gets a **reward**, and a deep network learns "
    "a **policy** — which action to take in which state — from nothing but that reward. "
    "You will balance CartPole yourself, then train a network that beats you and look "
    "inside what it learnt."
)


@st.cache_data(show_spinner=False)
def random_returns() -> np.ndarray:
    returns = cartpole.episode_returns(cartpole.random_policy, range(100), greedy=False)
    returns.flags.writeable = False
    return returns


@st.cache_resource(show_spinner=False)
def pretrained() -> agents.NumpyPolicy | None:
    try:
        return agents.load_policy()
    except (OSError, ValueError, KeyError):
        return None


@st.cache_data(show_spinner="Playing and drawing the episode…", max_entries=16)
def pretrained_replay(seed: int) -> tuple[cartpole.Episode, bytes]:
    return cartpole.replay(pretrained(), seed)


RANDOM = random_returns()

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

# -- 1. the environment ---------------------------------------------------------------------
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
st.graphviz_chart(cartpole.AGENT_ENVIRONMENT_LOOP)
st.markdown("The agent wants the most reward over the whole episode, the **return**:")
st.latex(r"G_t = r_{t+1} + \gamma\, r_{t+2} + \gamma^2 r_{t+3} + \dots \qquad 0 < \gamma \le 1")

# -- 2. play it yourself ----------------------------------------------------------------------
st.header("2 · Play it yourself", divider="gray")
if f"{PREFIX}game" not in st.session_state:
    st.session_state[f"{PREFIX}game"] = cartpole.CartPoleGame(seed=0)
game: cartpole.CartPoleGame = st.session_state[f"{PREFIX}game"]
play, board = st.columns([3, 2])
with board:
    steps_per_press = st.select_slider(
        "Physics time per press",
        options=(1, 2, 3, 5),
        format_func=lambda k: f"{k * cartpole.SECONDS_PER_STEP:.2f} s",
        key=f"{PREFIX}steps_per_press",
        help="The simulation waits for you. Each press pushes for this long (steps of 0.02 s).",
    )
    buttons = st.columns(2)
    buttons[0].button(
        "Left", icon=":material/arrow_back:", key=f"{PREFIX}left", width="stretch",
        on_click=game.push, args=(0, steps_per_press),
    )  # fmt: skip
    buttons[1].button(
        "Right", icon=":material/arrow_forward:", key=f"{PREFIX}right", width="stretch",
        on_click=game.push, args=(1, steps_per_press),
    )  # fmt: skip
    if game.done:
        st.warning(
            f"Episode over after {game.episode_return} steps. Press Left or Right to start "
            "a new one.",
            icon=":material/sports_score:",
        )
    st.dataframe(cartpole.scoreboard(game.returns, RANDOM))
    st.caption("The random policy pushes left or right at random (100 episodes).")
with play:
    st.image(game.frame())

# -- 3. train an agent ------------------------------------------------------------------------
st.header("3 · Train an agent live", divider="gray")
st.markdown(
    "The policy is a small network: 4 numbers in, two probabilities out, π(left | s) and "
    "π(right | s). Training repeats three steps: **rollout** (let the policy play), "
    "**advantage** (which actions went better than expected?), **update** (make those "
    "actions more likely):"
)
st.latex(r"\theta \leftarrow \theta + \alpha\, \nabla_\theta \log \pi_\theta(a_t \mid s_t)\, A_t")
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


def slider(name: str):
    """A slider for one field of the settings, its range and help from the dataclass."""
    b = bounds(agents.AgentSettings, name)
    step, number_format = SLIDER_STEPS.get(name, (1, None))
    return st.slider(
        name.replace("_", " "), b.minimum, b.maximum, getattr(DEFAULTS, name), step=step,
        format=number_format, help=b.help, key=PREFIX + name,
    )  # fmt: skip


values = {}
columns = st.columns(4)
with columns[0]:
    b = bounds(agents.AgentSettings, "algorithm")
    values["algorithm"] = st.radio("algorithm", b.choices, key=f"{PREFIX}algorithm", help=b.help)
with columns[1]:
    values["learning_rate"] = st.select_slider(
        "learning rate", agents.LEARNING_RATES, value=DEFAULTS.learning_rate,
        key=f"{PREFIX}learning_rate", help=bounds(agents.AgentSettings, "learning_rate").help,
    )  # fmt: skip
    values["hidden_units"] = slider("hidden_units")
with columns[2]:
    values["updates"] = slider("updates")
    values["num_envs"] = slider("num_envs")
with columns[3]:
    values["gamma"] = slider("gamma")
    values["seed"] = int(st.number_input("seed", 0, 100_000, DEFAULTS.seed, key=f"{PREFIX}seed"))
with st.expander("More knobs: rollout length, epochs, clipping and GAE (PPO), entropy bonus"):
    columns = st.columns(3)
    for index, name in enumerate(agents.DETAIL_FIELDS):
        with columns[index % 3]:
            values[name] = slider(name)
settings = agents.AgentSettings(**values)
ui.share_link((settings, PREFIX))

ui.require_tensorflow()
trainer: agents.AgentTrainer = ui.session_trainer(
    f"{PREFIX}trainer", settings, lambda: agents.AgentTrainer(settings)
)


def returns_view(trainer: agents.AgentTrainer) -> None:
    if trainer.history:
        ui.chart(
            cartpole.returns_chart(
                trainer.history, random_mean=RANDOM.mean(), random_std=RANDOM.std()
            )
        )
        last = trainer.history[-1]
        st.caption(
            f"{last['env_steps']:,} environment steps so far. Light line: the mean return of "
            "the episodes that ended during each update (band: their min–max); dark line: "
            "its moving average over 10 updates."
        )
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

# -- 4. watch it ----------------------------------------------------------------------------
st.header("4 · Watch it balance", divider="gray")
choices = {
    "your agent": trainer.policy,
    "pretrained agent": pretrained(),
    "untrained network": trainer.initial_policy,
}
columns = st.columns([2, 1])
which = columns[0].radio("Policy", list(choices), index=1, horizontal=True, key=f"{PREFIX}watch")
if which == "your agent" and not trainer.history:
    st.info("Your agent has not trained yet (section 3): it is still the untrained network.")
if choices[which] is None:
    st.warning("The pretrained policy in assets/ could not be loaded; showing your agent.")
    which = "your agent"
episode_seed = columns[1].number_input(
    "start seed", 0, 1_000_000, 0, key=f"{PREFIX}episode_seed", help="a different start state"
)
if which == "pretrained agent":
    episode, gif = pretrained_replay(int(episode_seed))
else:
    replay_key = (which, trainer.epochs_done, trainer.status, int(episode_seed), id(trainer))
    if st.session_state.get(f"{PREFIX}replay", (None,))[0] != replay_key:
        with st.spinner("Playing and drawing the episode…"):
            st.session_state[f"{PREFIX}replay"] = (
                replay_key, *cartpole.replay(choices[which], int(episode_seed))
            )  # fmt: skip
    _, episode, gif = st.session_state[f"{PREFIX}replay"]
outcome = "the pole fell or the cart left the track" if episode.terminated else "500 steps"
st.markdown(
    f"Return **{episode.episode_return}** (ended at {outcome}); greedy: the likelier action."
)
movie, still = st.columns(2)
with movie:
    st.image(gif, caption="The whole episode, in real time (25 frames per second).")
with still:
    last_frame = max(1, episode.episode_return - 1)
    if st.session_state.get(f"{PREFIX}frame", 0) > last_frame:  # a shorter episode than before
        st.session_state[f"{PREFIX}frame"] = last_frame
    frame = min(st.slider("frame", 0, last_frame, key=f"{PREFIX}frame"), episode.episode_return - 1)
    st.image(
        cartpole.draw_frame(
            episode.states[frame],
            action=int(episode.actions[frame]),
            caption=cartpole.step_caption(frame, episode.probabilities[frame]),
        )
    )
    ui.chart(
        cartpole.probabilities_chart(episode.probabilities[frame], int(episode.actions[frame]))
    )

# -- 5. what the policy learnt --------------------------------------------------------------
st.header("5 · What the policy learnt", divider="gray")
st.markdown(
    "Every state with the cart at rest in the middle, coloured by the probability of "
    "pushing **right**. A good policy pushes the cart *under* the falling pole: right when "
    "the pole leans or swings right (orange), left otherwise (blue)."
)
before, after = st.columns(2)
with before:
    ui.chart(
        cartpole.policy_heatmap(
            cartpole.policy_grid(trainer.initial_policy), "Before training (seed's weights)"
        )
    )
with after:
    ui.chart(cartpole.policy_heatmap(cartpole.policy_grid(choices[which]), f"Now: {which}"))
st.caption(
    "Before training the last layer's weights are tiny, so the network says about 50/50 "
    "everywhere. A trained policy splits the plane along a line: the angular velocity "
    "matters as much as the angle, because it says where the pole will be next."
)

# -- 6. luck and variance ---------------------------------------------------------------------
st.header("6 · Luck and variance", divider="gray")
st.markdown(
    "Run the *same* settings with different seeds: different start states, different "
    "random actions, different initial weights. Reinforcement learning results vary a lot "
    "from run to run — one curve proves little."
)
columns = st.columns([1, 1, 2])
seed_count = columns[0].slider("seeds", 2, 5, 3, key=f"{PREFIX}seed_count")
seed_updates = columns[1].slider("updates per seed", 5, 60, 30, step=5, key=f"{PREFIX}seed_updates")
if columns[2].button("Train on every seed", icon=":material/casino:", key=f"{PREFIX}seeds_run"):
    progress = st.progress(0.0, text="Starting…")
    st.session_state[f"{PREFIX}seeds"] = agents.train_seeds(
        dataclasses.replace(settings, updates=seed_updates),
        range(settings.seed, settings.seed + seed_count),
        on_progress=lambda fraction, text: progress.progress(min(1.0, fraction), text=text),
    )
    progress.empty()
if (runs := st.session_state.get(f"{PREFIX}seeds")) is not None:
    ui.chart(cartpole.seeds_chart(runs))
    st.dataframe(agents.seeds_summary(runs))

# -- 7. beyond cartpole --------------------------------------------------------------------
st.header("7 · Beyond CartPole: AlphaGo and AlphaZero", divider="gray")
st.markdown(cartpole.BEYOND_CARTPOLE)

ui.quiz(agents.QUIZ, key=f"{PREFIX}quiz")
