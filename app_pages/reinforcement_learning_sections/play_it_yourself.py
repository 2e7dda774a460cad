"""Section 2 of the reinforcement-learning lesson: play CartPole yourself, in real time.

Hold ← or → (keys or on-screen pads, :mod:`.hold_keys`) and the cart is pushed every
:data:`~.hold_keys.TICK_MS` milliseconds while you hold, gymnasium doing the physics on the server; let go and the
simulation waits. Left and Right buttons still take one step at a time. A scoreboard
compares the student's episodes with a random policy's.
"""

import numpy as np
import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from app_pages.reinforcement_learning_sections.hold_keys import TICK_MS, hold_keys
from course_lib import ui
from course_lib.classroom import count
from course_lib.reinforcement_learning import cartpole
from course_lib.reinforcement_learning.cartpole import PlaySettings

GAME = f"{PREFIX}game"
PADS = f"{PREFIX}pads"


@st.cache_data(show_spinner=False)
def random_returns() -> np.ndarray:
    """The returns of 100 episodes of the random policy: the baseline every chart shows."""
    returns = cartpole.episode_returns(cartpole.random_policy, range(100), greedy=False)
    returns.flags.writeable = False
    return returns


def game() -> cartpole.CartPoleGame:
    """This student's game (one per browser session)."""
    if GAME not in st.session_state:
        st.session_state[GAME] = cartpole.CartPoleGame(seed=0)
    return st.session_state[GAME]


def steps_for_tick(tick: dict, steps_per_press: int, carried_ms: float = 0.0) -> tuple[int, float]:
    """Environment steps for one tick of a held key, and the milliseconds carried over.

    The cart is pushed for the time really held: a tick that arrives late (a busy
    server, a slow network) carries more milliseconds, and what is left of a tick's
    time (110 ms held: one 80 ms tick, 30 ms over) counts towards the next one, so holding
    for a second gives 12.5 ticks' worth of steps however the ticks arrive (at most five
    ticks' worth at once). Letting go sends one ``last`` tick with the time held since.
    """
    held = min(5 * TICK_MS, max(0.0, float(tick.get("ms", TICK_MS))) + carried_ms)
    if tick.get("last"):  # the key was let go: the time held since the last tick, rounded
        return round(held / TICK_MS) * steps_per_press, 0.0
    ticks = max(1, int(held // TICK_MS))
    return ticks * steps_per_press, max(0.0, held - ticks * TICK_MS)


def show(controls: ui.Controls, random: np.ndarray) -> None:
    """Draw the game and the scoreboard.

    Args:
        controls: the page's controls (the physics time per press is a setting).
        random: the random policy's returns (:func:`random_returns`).
    """
    st.header("2 · Play it yourself", divider="gray")
    game()
    speed, note = st.columns([2, 3], vertical_alignment="bottom")
    with speed:
        steps_per_press = controls.widget(
            st.select_slider,
            PlaySettings,
            "steps_per_press",
            format_func=lambda k: f"{k * cartpole.SECONDS_PER_STEP:.2f} s",
        )
    note.caption(
        f"Held, a key pushes every {TICK_MS / 1000:.2f} s for this long: 0.02 s is "
        f"{TICK_MS / 20:.0f}× slow motion, {TICK_MS / 1000:.2f} s real time."
    )
    live_game(steps_per_press, random)


@st.fragment
def live_game(steps_per_press: int, random: np.ndarray) -> None:
    """The cart, the pads and the scoreboard: a fragment, so a tick redraws only these."""
    current = game()
    play, board = st.columns([3, 2])

    def on_tick() -> None:
        tick = st.session_state[PADS].get("tick") or {}
        # answered, even when ignored: the pads send the next tick only after an answer
        st.session_state[f"{PREFIX}ticks"] = st.session_state.get(f"{PREFIX}ticks", 0) + 1
        if tick.get("action") not in (0, 1):
            return
        if current.done and not tick.get("first"):
            return  # the pole fell during this hold: let go and press again for a new one
        carried = st.session_state.get(f"{PREFIX}carried_ms", 0.0) if not tick.get("first") else 0.0
        steps, st.session_state[f"{PREFIX}carried_ms"] = steps_for_tick(
            tick, steps_per_press, carried
        )
        if steps:
            current.push(int(tick["action"]), steps)

    with play:
        hold_keys(PADS, st.session_state.get(f"{PREFIX}ticks", 0), current, on_tick)
    with board:
        buttons = st.columns(2)
        buttons[0].button(
            "Left", icon=":material/arrow_back:", key=f"{PREFIX}left", width="stretch",
            on_click=current.push, args=(0, steps_per_press), help="one press: one push",
        )  # fmt: skip
        buttons[1].button(
            "Right", icon=":material/arrow_forward:", key=f"{PREFIX}right", width="stretch",
            on_click=current.push, args=(1, steps_per_press), help="one press: one push",
        )  # fmt: skip
        if current.done:
            st.warning(
                f"Episode over after {count(current.episode_return, 'step')}. Press Left or Right "
                "(or hold a key) to start a new one.",
                icon=":material/sports_score:",
            )
        st.table(cartpole.scoreboard(current.returns, random))
        st.caption(
            f"The random policy pushes left or right at random (100 episodes). You have "
            f"played {count(current.steps_played, 'step')} in all."
        )
