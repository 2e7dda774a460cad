"""A small custom component: press and hold ← / → (keys or on-screen pads) to push the cart.

Streamlit's buttons report clicks, not how long a key is held, and its slider debounces;
playing CartPole in real time needs both. This component (Components v2: HTML and
JavaScript in the page, two-way state) reports, while a direction is held, one *tick*
about every tenth of a second: ``{"action": 0 | 1, "ms": milliseconds held since the last
tick, "seq": a counter, "first": whether this hold just began}``. The next tick waits until the server has answered the last one
(the component is re-drawn with a new ``data["answered"]``), so a slow server is never
flooded; ``ms`` lets the server step the physics by the time that really passed.

The arrow keys count only while the pads are on screen (elsewhere they scroll the page as
usual) and never while a text field or slider has the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

#: Milliseconds between two ticks while a direction is held.
TICK_MS = 100

HTML = """
<div class="pads">
  <button type="button" class="pad" data-action="0" aria-label="Hold to push left">
    ◀&nbsp; Left</button>
  <button type="button" class="pad" data-action="1" aria-label="Hold to push right">
    Right &nbsp;▶</button>
</div>
<p class="hint">Hold <kbd>←</kbd> or <kbd>→</kbd> (or a pad): the cart is pushed while you
hold, and the simulation waits when you let go.</p>
"""

CSS = """
.pads { display: flex; gap: 0.75rem; }
.pad {
  flex: 1; font-size: 1.4rem; padding: 1.1rem 0.5rem; border-radius: 0.6rem;
  border: 2px solid var(--st-primary-color, #ff4b4b); background: transparent;
  color: var(--st-text-color, inherit); cursor: pointer; touch-action: none;
  user-select: none; -webkit-user-select: none;
}
.pad.held { background: var(--st-primary-color, #ff4b4b); color: white; }
.hint { font-size: 0.95rem; margin: 0.5rem 0 0 0; opacity: 0.8; }
kbd { border: 1px solid #999; border-radius: 3px; padding: 0 0.3em; }
"""

JS = """
export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const store = (window.__courseHoldKeys ??= {});
  const s = (store[data.name] ??= {held: null, seq: 0, sentAt: 0, waiting: false,
                                    answered: -1, since: 0, first: false});
  s.setStateValue = setStateValue;  // the latest mount's: the one Streamlit listens to
  s.tickMs = data.tick_ms;
  if (data.answered !== s.answered) { s.answered = data.answered; s.waiting = false; }
  const pads = parentElement.querySelectorAll(".pad");
  s.pads = pads;
  const mark = () => pads.forEach(
    (pad) => pad.classList.toggle("held", String(s.held) === pad.dataset.action));
  s.send ??= () => {
    if (s.held === null) return;
    const now = performance.now();
    if (now - s.sentAt < s.tickMs) return;
    if (s.waiting && now - s.sentAt < 1000) return;  // the server has not answered yet
    const ms = Math.min(now - s.since, 5 * s.tickMs);
    s.since = now; s.sentAt = now; s.waiting = true; s.seq += 1;
    s.setStateValue("tick", {action: s.held, ms: Math.round(ms), seq: s.seq, first: s.first});
    s.first = false;
  };
  s.timer ??= setInterval(() => s.send(), 20);
  const hold = (action) => {
    if (s.held === action) return;
    s.held = action; s.first = true; s.since = performance.now() - s.tickMs; s.sentAt = 0;
    s.waiting = false; mark(); s.send();
  };
  const release = (action) => {
    if (action === undefined || s.held === action) { s.held = null; mark(); }
  };
  const onScreen = () => {
    const box = pads[0].getBoundingClientRect();  // (a shadow root's host has no box)
    return box.bottom > 0 && box.top < window.innerHeight;
  };
  const typing = (e) => {
    const t = e.target;
    return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)
                 || t.getAttribute?.("role") === "slider");
  };
  const KEYS = {ArrowLeft: 0, ArrowRight: 1};
  const down = (e) => {
    if (!(e.key in KEYS) || typing(e) || !onScreen()) return;
    e.preventDefault();
    hold(KEYS[e.key]);
  };
  const up = (e) => { if (e.key in KEYS) release(KEYS[e.key]); };
  const pointerUp = () => release();
  pads.forEach((pad) => {
    pad.onpointerdown = (e) => { e.preventDefault(); hold(Number(pad.dataset.action)); };
    pad.oncontextmenu = (e) => e.preventDefault();
  });
  document.addEventListener("keydown", down);
  document.addEventListener("keyup", up);
  window.addEventListener("pointerup", pointerUp);
  window.addEventListener("pointercancel", pointerUp);
  window.addEventListener("blur", pointerUp);
  mark();
  return () => {
    document.removeEventListener("keydown", down);
    document.removeEventListener("keyup", up);
    window.removeEventListener("pointerup", pointerUp);
    window.removeEventListener("pointercancel", pointerUp);
    window.removeEventListener("blur", pointerUp);
  };
}
"""

_component = st.components.v2.component("course_hold_keys", html=HTML, css=CSS, js=JS)


def hold_keys(key: str, answered: int, on_tick: Callable[[], None]) -> Any:
    """Mount the pads; ``on_tick`` runs (before the script) on each tick of a held direction.

    Args:
        key: the widget key: the tick is ``st.session_state[key]["tick"]`` in ``on_tick``.
        answered: changes each time the server has handled a tick (lets the next one go).
    """
    return _component(
        key=key,
        data={"name": key, "answered": answered, "tick_ms": TICK_MS},
        on_tick_change=on_tick,
    )
