"""Section 4 of the reinforcement-learning lesson: watch it balance.

One greedy episode of the student's agent, the pretrained agent from ``assets/`` or the
untrained network: an animated replay, and a frame slider with the policy's probabilities.
"""

import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from course_lib import ui
from course_lib.reinforcement_learning import agents, cartpole, charts
from course_lib.reinforcement_learning.cartpole import PlaySettings
from course_lib.reinforcement_learning.policy import NumpyPolicy, load_policy

#: The policies one can watch (section 4) and map (section 5), as the radio buttons say.
POLICIES = ("your agent", "pretrained agent", "untrained network")


def episode_summary(episode: cartpole.Episode) -> str:
    """One line under a replay: the return, and why the episode ended (Markdown)."""
    outcome = "the pole fell or the cart left the track" if episode.terminated else "500 steps"
    return f"Return **{episode.episode_return}** (ended at {outcome}); greedy: the likelier action."


def frame_slider_end(episode: cartpole.Episode) -> int:
    """The end of the replay's frame slider (at least 1: a slider needs two positions)."""
    return max(1, episode.episode_return - 1)


def frame_to_show(episode: cartpole.Episode, picked: int) -> int:
    """The step shown for the slider's position ``picked``: never past the last action."""
    return min(picked, episode.episode_return - 1)


@st.cache_resource(show_spinner=False)
def pretrained() -> NumpyPolicy | None:
    """The policy trained ahead of time (``assets/``), shared by every student; None if missing."""
    try:
        return load_policy()
    except (OSError, ValueError, KeyError):
        return None


@st.cache_data(show_spinner="Playing and drawing the episode…", max_entries=16)
def pretrained_replay(seed: int) -> tuple[cartpole.Episode, bytes]:
    """The pretrained agent's episode from one start seed, and its GIF (shared)."""
    return cartpole.replay(pretrained(), seed)


def replay(trainer: agents.AgentTrainer, which: str, policy, seed: int):
    """This student's episode and GIF, replayed only when the policy or the seed changed."""
    replay_key = (which, trainer.epochs_done, trainer.status, seed, id(trainer))
    if st.session_state.get(f"{PREFIX}replay", (None,))[0] != replay_key:
        with st.spinner("Playing and drawing the episode…"):
            st.session_state[f"{PREFIX}replay"] = (replay_key, *cartpole.replay(policy, seed))
    _, episode, gif = st.session_state[f"{PREFIX}replay"]
    return episode, gif


def show(controls: ui.Controls, trainer: agents.AgentTrainer):
    """Draw the replay of the policy the student picks (its start seed is a setting).

    Returns:
        ``(policy, which)``: the policy replayed and its name on the radio buttons.
    """
    st.header("4 · Watch it balance", divider="gray")
    choices = dict(
        zip(POLICIES, (trainer.policy, pretrained(), trainer.initial_policy), strict=True)
    )
    # the knobs beside the picture: policy, start seed and frame | the replay | the frame
    knobs, movie, still = st.columns([1, 2, 2])
    which = knobs.radio("Policy", list(choices), index=1, key=f"{PREFIX}watch")
    if which == "your agent" and not trainer.history:
        knobs.info("Your agent has not trained yet (section 3): it is still the untrained network.")
    if choices[which] is None:
        knobs.warning("The pretrained policy in assets/ could not be loaded; showing your agent.")
        which = "your agent"
    episode_seed = controls.widget(knobs.number_input, PlaySettings, "episode_seed")
    if which == "pretrained agent":
        episode, gif = pretrained_replay(int(episode_seed))
    else:
        episode, gif = replay(trainer, which, choices[which], int(episode_seed))
    knobs.markdown(episode_summary(episode))
    last_frame = frame_slider_end(episode)
    if st.session_state.get(f"{PREFIX}frame", 0) > last_frame:  # a shorter episode than before
        st.session_state[f"{PREFIX}frame"] = last_frame
    frame = frame_to_show(episode, knobs.slider("frame", 0, last_frame, key=f"{PREFIX}frame"))
    with movie:
        st.image(gif, caption="The whole episode, in real time (25 frames per second).")
    with still:
        st.image(
            cartpole.draw_frame(
                episode.states[frame],
                action=int(episode.actions[frame]),
                caption=cartpole.step_caption(frame, episode.probabilities[frame]),
            )
        )
        ui.chart(
            charts.probabilities_chart(episode.probabilities[frame], int(episode.actions[frame]))
        )
    return choices[which], which
