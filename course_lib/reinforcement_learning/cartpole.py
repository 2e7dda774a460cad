"""CartPole: the environment of the reinforcement-learning chapter, drawn and played.

Description:
    A pole is attached by an un-actuated joint to a cart that moves along a frictionless
    track (gymnasium's ``CartPole-v1``, after Barto, Sutton & Anderson, 1983). The pole
    starts upright; the goal is to keep it upright by pushing the cart left or right.

Action space:
    ``0`` push the cart to the left, ``1`` push it to the right (a fixed force of 10 N
    for one time step of 0.02 s).

Observation space (the *state*, a ``(4,)`` float32 vector):
    ========  =======================  ======================
    index     observation              episode ends beyond
    ========  =======================  ======================
    0         cart position (m)        ±2.4 m
    1         cart velocity (m/s)      (unbounded)
    2         pole angle (rad)         ±12° (±0.2095 rad)
    3         pole angular velocity    (unbounded)
    ========  =======================  ======================

    A positive angle means the pole leans to the right.

Reward:
    +1 for every step taken, including the last one: the *episode return* is the number
    of steps the pole stayed up.

Starting state:
    All four observations uniformly random in ±0.05.

Episode end:
    *Terminated* when the pole tilts more than 12° or the cart leaves ±2.4 m;
    *truncated* after 500 steps (the best possible return is 500).

Solved:
    An average return of at least 475 over many episodes (gymnasium's threshold).

This module draws states with Pillow (gymnasium's own renderer needs pygame), makes
animated GIFs of whole episodes and lets a human play; the chapter's charts are in
:mod:`course_lib.reinforcement_learning.charts`.
It imports neither Streamlit nor TensorFlow: a policy here is any function from a
batch of states ``(n, 4)`` to action probabilities ``(n, 2)``.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from course_lib.settings import setting

ENV_ID = "CartPole-v1"
ACTIONS = ("push left", "push right")
OBSERVATION_NAMES = ("cart position", "cart velocity", "pole angle", "pole angular velocity")
OBSERVATION_UNITS = ("m", "m/s", "rad", "rad/s")
POSITION_LIMIT = 2.4  # m
ANGLE_LIMIT = 12 * 2 * math.pi / 360  # rad, gymnasium's theta_threshold_radians
MAX_EPISODE_STEPS = 500
SOLVED_RETURN = 475.0
SECONDS_PER_STEP = 0.02  # gymnasium's tau

#: A policy: states ``(n, 4)`` → probabilities of (left, right) ``(n, 2)``.
Policy = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class PlaySettings:
    """The knobs of playing CartPole yourself and of watching an episode."""

    steps_per_press: int = setting(
        1,
        choices=(1, 2, 3, 4, 5),
        label="Physics time per press",
        help="The simulation waits for you. Each press, and each 0.08 s you hold ← or →, "
        "pushes for this long (steps of 0.02 s): 0.02 s plays in 4× slow motion, 0.08 s in "
        "real time.",
    )
    episode_seed: int = setting(
        0, minimum=0, maximum=1_000_000, label="start seed", help="a different start state"
    )


# -- the environment -------------------------------------------------------------------
def make_env():
    """One gymnasium ``CartPole-v1`` (no rendering: we draw the frames ourselves)."""
    import gymnasium as gym

    return gym.make(ENV_ID)


def make_vector_env(num_envs: int):
    """``num_envs`` CartPoles stepped together, resetting themselves when an episode ends.

    *Same-step* autoreset: the step that ends an episode already returns the first state
    of the next one, and the true last state is in ``info["final_obs"]`` — so every
    transition of a rollout is a real one.
    """
    import gymnasium as gym

    return gym.vector.SyncVectorEnv(
        [make_env for _ in range(num_envs)],
        autoreset_mode=gym.vector.AutoresetMode.SAME_STEP,
    )


def random_policy(states: np.ndarray) -> np.ndarray:
    """Push left or right with probability ½ each, whatever the state."""
    return np.full((len(states), 2), 0.5)


def pick_actions(
    probabilities: np.ndarray, *, greedy: bool, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Actions ``(n,)`` from probabilities ``(n, 2)``: the likelier one, or a sample."""
    if greedy:
        return (probabilities[:, 1] > probabilities[:, 0]).astype(np.int64)
    rng = rng if rng is not None else np.random.default_rng()
    return (rng.random(len(probabilities)) < probabilities[:, 1]).astype(np.int64)


def episode_returns(
    policy: Policy, seeds: Sequence[int], *, greedy: bool = True, sample_seed: int = 0
) -> np.ndarray:
    """The return of one episode per start seed, all played side by side.

    Args:
        policy: states ``(n, 4)`` → probabilities ``(n, 2)``.
        seeds: one environment seed per episode (a fresh start state each).
        greedy: take the likelier action (evaluation) instead of sampling.

    Returns:
        ``(len(seeds),)`` float array of returns in [1, 500].
    """
    envs = make_vector_env(len(seeds))
    rng = np.random.default_rng(sample_seed)
    states, _ = envs.reset(seed=[int(s) for s in seeds])
    returns = np.zeros(len(seeds))
    running = np.ones(len(seeds), dtype=bool)
    while running.any():
        actions = pick_actions(policy(states), greedy=greedy, rng=rng)
        states, rewards, terminated, truncated, _ = envs.step(actions)
        returns += rewards * running
        running &= ~(terminated | truncated)
    envs.close()
    return returns


@dataclass
class Episode:
    """One episode played by a policy, step by step.

    Attributes:
        states: ``(steps + 1, 4)``: the state before each action, then the last state.
        actions: ``(steps,)`` 0 (left) or 1 (right).
        probabilities: ``(steps, 2)`` the policy's P(left), P(right) in each state.
        terminated: the pole fell or the cart left the track (False: truncated at 500).
    """

    states: np.ndarray
    actions: np.ndarray
    probabilities: np.ndarray
    terminated: bool

    @property
    def episode_return(self) -> int:
        return len(self.actions)


def play_episode(policy: Policy, seed: int, *, greedy: bool = True) -> Episode:
    """Play one episode from start seed ``seed`` and record everything for a replay."""
    env = make_env()
    rng = np.random.default_rng(seed)
    state, _ = env.reset(seed=int(seed))
    states, actions, probabilities = [state], [], []
    terminated = truncated = False
    while not (terminated or truncated):
        p = policy(state[None, :])
        action = int(pick_actions(p, greedy=greedy, rng=rng)[0])
        state, _, terminated, truncated, _ = env.step(action)
        states.append(state)
        actions.append(action)
        probabilities.append(p[0])
    env.close()
    return Episode(
        np.asarray(states, np.float32),
        np.asarray(actions, np.int64),
        np.asarray(probabilities, np.float32),
        bool(terminated),
    )


# -- drawing -----------------------------------------------------------------------------
FRAME_SIZE = (640, 280)
VIEW_HALF_WIDTH = POSITION_LIMIT * 1.25  # m shown either side of the centre
POLE_LENGTH = 1.0  # m, gymnasium draws 2 × its half-length 0.5
COLOURS = {
    "sky": (255, 255, 255),
    "track": (60, 60, 60),
    "limit": (200, 40, 40),
    "cart": (11, 83, 148),
    "cart_out": (150, 150, 150),
    "pole": (230, 145, 56),
    "pole_fallen": (220, 0, 0),
    "axle": (90, 90, 90),
    "text": (30, 30, 30),
    "arrow": (56, 118, 29),
    "wedge": (225, 225, 225),
}


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def draw_frame(
    state: Sequence[float],
    *,
    action: int | None = None,
    caption: str = "",
    size: tuple[int, int] = FRAME_SIZE,
):
    """A picture of the cart and pole in ``state`` (any values, even far outside the limits).

    Args:
        state: ``(4,)`` cart position (m), velocity, pole angle (rad), angular velocity.
        action: 0/1 draws an arrow for the push being applied, ``None`` none.
        caption: text in the top-left corner (e.g. ``"step 12 · return 12"``).

    Returns:
        A ``PIL.Image`` in RGB of ``size`` pixels. A cart beyond the edge of the view is
        drawn greyed at the edge; a pole past 12° is drawn red.
    """
    from PIL import Image, ImageDraw

    width, height = size
    x, _, theta, _ = (float(v) for v in state)
    x = x if math.isfinite(x) else 0.0
    theta = theta if math.isfinite(theta) else 0.0
    scale = width / (2 * VIEW_HALF_WIDTH)  # pixels per metre
    track_y = int(height * 0.78)
    image = Image.new("RGB", size, COLOURS["sky"])
    draw = ImageDraw.Draw(image)

    def to_px(position: float) -> float:
        return width / 2 + position * scale

    # the ±2.4 m limits and the track
    for limit in (-POSITION_LIMIT, POSITION_LIMIT):
        px = to_px(limit)
        for y0 in range(int(height * 0.25), track_y, 12):
            draw.line([(px, y0), (px, y0 + 6)], fill=COLOURS["limit"], width=2)
    draw.line([(0, track_y), (width, track_y)], fill=COLOURS["track"], width=3)

    cart_w, cart_h = 0.5 * scale, 0.3 * scale
    # a cart beyond the view stays drawn, whole, at its edge
    cart_x = min(max(to_px(x), cart_w / 2 + 2), width - cart_w / 2 - 2)
    inside = abs(to_px(x) - cart_x) < 1e-6
    axle = (cart_x, track_y - cart_h * 0.75)
    pole_px = POLE_LENGTH * scale
    # the ±12° wedge in which the pole must stay
    for sign in (-1, 1):
        draw.line(
            [
                axle,
                (
                    axle[0] + sign * pole_px * math.sin(ANGLE_LIMIT),
                    axle[1] - pole_px * math.cos(ANGLE_LIMIT),
                ),
            ],
            fill=COLOURS["wedge"],
            width=2,
        )
    draw.rectangle(
        [cart_x - cart_w / 2, track_y - cart_h, cart_x + cart_w / 2, track_y],
        fill=COLOURS["cart"] if inside else COLOURS["cart_out"],
    )
    tip = (axle[0] + pole_px * math.sin(theta), axle[1] - pole_px * math.cos(theta))
    fallen = abs(theta) > ANGLE_LIMIT or abs(x) > POSITION_LIMIT
    draw.line(
        [axle, tip], fill=COLOURS["pole_fallen" if fallen else "pole"], width=max(4, width // 80)
    )
    r = max(3, width // 120)
    draw.ellipse([axle[0] - r, axle[1] - r, axle[0] + r, axle[1] + r], fill=COLOURS["axle"])

    if action is not None:  # an arrow under the cart: the push being applied
        sign = 1 if action == 1 else -1
        y = track_y + (height - track_y) / 2
        start, end = cart_x - sign * cart_w * 0.4, cart_x + sign * cart_w * 0.6
        draw.line([(start, y), (end, y)], fill=COLOURS["arrow"], width=5)
        draw.polygon(
            [(end + sign * 10, y), (end, y - 8), (end, y + 8)],
            fill=COLOURS["arrow"],
        )
    if not inside:
        draw.text(
            (cart_x - sign_of(x) * 60 - 30, track_y - cart_h - 28),
            f"x = {x:+.1f} m",
            fill=COLOURS["limit"],
            font=_font(16),
        )
    if caption:
        draw.text((10, 8), caption, fill=COLOURS["text"], font=_font(20))
    return image


def sign_of(value: float) -> int:
    return 1 if value >= 0 else -1


def step_caption(step: int, probabilities: Sequence[float] | None = None) -> str:
    text = f"step {step} · return {step}"
    if probabilities is not None:
        text += f" · P(right) = {float(probabilities[1]):.2f}"
    return text


def episode_gif(episode: Episode, *, every: int = 2, size: tuple[int, int] = (480, 210)) -> bytes:
    """The episode as an animated GIF that plays in real time in the browser.

    Args:
        every: draw every ``every``-th step (2: 25 frames per second, half the file).

    Returns:
        GIF bytes (loops forever).
    """
    from PIL import Image

    frames = []
    for step in range(0, len(episode.states), every):
        action = int(episode.actions[step]) if step < len(episode.actions) else None
        frame = draw_frame(episode.states[step], action=action, caption=f"step {step}", size=size)
        frames.append(frame.quantize(palette=_gif_palette(), dither=Image.Dither.NONE))
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=int(1000 * SECONDS_PER_STEP * every),
        loop=0,
        optimize=False,
    )
    return buffer.getvalue()


def replay(policy: Policy, seed: int) -> tuple[Episode, bytes]:
    """One greedy episode of ``policy`` from start seed ``seed``, and its GIF."""
    episode = play_episode(policy, seed)
    return episode, episode_gif(episode)


def observation_table() -> pd.DataFrame:
    """The four state variables, their units and the limits that end an episode."""
    return pd.DataFrame(
        {
            "state": OBSERVATION_NAMES,
            "unit": OBSERVATION_UNITS,
            "episode ends beyond": ["±2.4 m", "—", "±12°", "—"],
        }
    )


@functools.cache
def _gif_palette():
    """A fixed palette: our colours plus greys for the anti-aliased text (fast, no flicker)."""
    from PIL import Image

    colours = list(COLOURS.values()) + [(g, g, g) for g in range(0, 256, 16)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for colour in colours for channel in colour])
    return palette


# -- a human at the controls ----------------------------------------------------------
@dataclass
class CartPoleGame:
    """A human plays CartPole, a press (or a tick of a held key) at a time.

    The simulation waits for you: each press applies the push for ``steps_per_press``
    steps of 0.02 s (holding a key on the page repeats it every 0.08 s). A
    press after the episode ended starts a new one.

    Attributes:
        state: the current ``(4,)`` state.
        episode_return: steps survived in the current episode.
        returns: the returns of the finished episodes.
        steps_played: environment steps over all episodes (what real-time play is timed by).
    """

    seed: int = 0
    returns: list[int] = field(default_factory=list)
    steps_played: int = 0

    def __post_init__(self) -> None:
        self._env = make_env()
        self.new_episode()

    def new_episode(self) -> None:
        # each episode its own seed: a different start, the same for everyone in class
        self.state, _ = self._env.reset(seed=self.seed + len(self.returns))
        self.episode_return = 0
        self.done = False
        self.terminated = False
        self.last_action: int | None = None

    def push(self, action: int, steps_per_press: int = 1) -> None:
        """Push left (0) or right (1); if the episode is over, start a new one first."""
        if action not in (0, 1):
            raise ValueError("action must be 0 (left) or 1 (right)")
        if self.done:
            self.new_episode()
        for _ in range(max(1, int(steps_per_press))):
            self.state, reward, terminated, truncated, _ = self._env.step(action)
            self.episode_return += int(reward)
            self.steps_played += 1
            self.last_action = action
            if terminated or truncated:
                self.done, self.terminated = True, bool(terminated)
                self.returns.append(self.episode_return)
                break

    @property
    def best_return(self) -> int:
        return max(self.returns + [self.episode_return])

    def frame(self, size: tuple[int, int] = FRAME_SIZE):
        return draw_frame(
            self.state,
            action=self.last_action,
            caption=f"your return: {self.episode_return}"
            + ("  ·  episode over" if self.done else ""),
            size=size,
        )


def scoreboard(human_returns: Sequence[int], random_returns: np.ndarray) -> pd.DataFrame:
    """You vs the random policy: episodes, mean and best return, as a small table."""
    rows = [
        ("you", len(human_returns), human_returns),
        ("random policy", len(random_returns), list(random_returns)),
    ]
    return pd.DataFrame(
        [
            {
                "player": name,
                "episodes": count,
                "mean": f"{np.mean(values):.1f}" if count else "—",
                "best": f"{np.max(values):.0f}" if count else "—",
            }
            for name, count, values in rows
        ]
    ).set_index("player")


# -- what a policy learnt ------------------------------------------------------------------
def policy_grid(
    policy: Policy,
    *,
    angles_deg: np.ndarray | None = None,
    angular_velocities: np.ndarray | None = None,
) -> pd.DataFrame:
    """P(push right) over pole angle × angular velocity, with the cart at rest at x = 0.

    Returns:
        One row per grid cell: ``pole angle (°)``, ``angular velocity (rad/s)``,
        ``P(push right)`` in [0, 1]; ``len(angles) × len(velocities)`` rows (default 31 × 31).
    """
    angles_deg = np.linspace(-12, 12, 31) if angles_deg is None else np.asarray(angles_deg)
    angular_velocities = (
        np.linspace(-2, 2, 31) if angular_velocities is None else np.asarray(angular_velocities)
    )
    angle, velocity = np.meshgrid(np.radians(angles_deg), angular_velocities)
    states = np.stack(
        [np.zeros(angle.size), np.zeros(angle.size), angle.ravel(), velocity.ravel()], axis=1
    ).astype(np.float32)
    p_right = policy(states)[:, 1]
    return pd.DataFrame(
        {
            "pole angle (°)": np.degrees(angle.ravel()),
            "angular velocity (rad/s)": velocity.ravel(),
            "P(push right)": p_right,
        }
    )


def heatmap_spread(grid: pd.DataFrame) -> dict[str, float]:
    """How much P(push right) changes along each axis of a :func:`policy_grid` heatmap.

    Returns:
        ``{"angle": a, "angular velocity": v}``: the mean, over the other axis, of how far
        P(push right) moves from one end of that axis to the other (in [0, 1]). A policy
        that goes by the angular velocity has ``v`` much larger than ``a``.
    """
    table = grid.pivot(
        index="angular velocity (rad/s)", columns="pole angle (°)", values="P(push right)"
    ).to_numpy()
    return {
        "angle": float(np.abs(table[:, -1] - table[:, 0]).mean()),
        "angular velocity": float(np.abs(table[-1, :] - table[0, :]).mean()),
    }
