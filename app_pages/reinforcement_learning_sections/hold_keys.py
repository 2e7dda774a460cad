"""A small custom component: press and hold ← / → (keys or on-screen pads) to push the cart.

Streamlit's buttons report clicks, not how long a key is held, and its slider debounces;
playing CartPole in real time needs both. This component (Components v2: HTML and
JavaScript in the page, two-way state) reports, while a direction is held, one *tick*
every ``TICK_MS`` milliseconds: ``{"action": 0 | 1, "ms": milliseconds held since the last
tick, "seq": a counter, "first": whether this hold just began}``. The next tick waits until the server has answered the last one
(the component is re-drawn with a new ``data["answered"]``), so a slow server is never
flooded; ``ms`` lets the server step the physics by the time that really passed.

The arrow keys count only while the pads are on screen (elsewhere they scroll the page as
usual) and never while a text field or slider has the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from course_lib import ui
from course_lib.reinforcement_learning import cartpole

#: Milliseconds between two ticks while a direction is held: 12.5 pushes a second, each of
#: "Physics time per press" (one 0.02 s step by default: 4× slow motion).
TICK_MS = 80

#: The browser side: ``hold_keys.html``, ``hold_keys.css`` and ``hold_keys.js`` beside this file.
_component = ui.component_beside(__file__, "course_hold_keys")


def hold_keys(
    key: str, answered: int, game: cartpole.CartPoleGame, on_tick: Callable[[], None]
) -> Any:
    """Draw ``game``'s cart and the pads; ``on_tick`` runs (before the script) on each tick
    of a held direction.

    The cart is drawn in the browser (a canvas) from the state the server sends: a tick
    then costs a few numbers, not a picture, which keeps a loaded browser quick.

    Args:
        key: the widget key: the tick is ``st.session_state[key]["tick"]`` in ``on_tick``.
        answered: changes each time the server has handled a tick (lets the next one go).
    """
    return _component(
        key=key,
        data={
            "name": key,
            "answered": answered,
            "tick_ms": TICK_MS,
            "state": [float(v) for v in game.state],
            "episode_return": game.episode_return,
            "done": game.done,
            "action": game.last_action,
            "view_half_width": cartpole.VIEW_HALF_WIDTH,
            "position_limit": cartpole.POSITION_LIMIT,
            "pole_length": cartpole.POLE_LENGTH,
            "angle_limit": cartpole.ANGLE_LIMIT,
        },
        on_tick_change=on_tick,
    )
