"""The CartPole helpers: frames for any state, GIF replays, human play, the policy grid."""

import io
import math

import numpy as np
import pytest
from PIL import Image

from course_lib.reinforcement_learning import cartpole


def lean_policy(states: np.ndarray) -> np.ndarray:
    """Push towards where the pole is falling (angle + angular velocity): a hand-made policy."""
    right = (states[:, 2] + 0.5 * states[:, 3] > 0).astype(float)
    return np.stack([1 - right, right], axis=1)


@pytest.mark.parametrize(
    "state",
    [
        [0, 0, 0, 0],
        [100.0, 5, 0.1, 0],  # far off to the right
        [-100.0, -5, -0.1, 0],
        [0, 0, math.pi, 0],  # upside down
        [2.39, 0, -1.5, 20],
        [float("nan"), 0, float("inf"), 0],
    ],
)
def test_frames_are_drawn_for_any_state_even_extreme_ones(state):
    image = cartpole.draw_frame(state, action=1, caption="test")
    assert image.size == cartpole.FRAME_SIZE
    assert image.mode == "RGB"
    pixels = np.asarray(image)
    cart = np.array(cartpole.COLOURS["cart"])
    grey = np.array(cartpole.COLOURS["cart_out"])
    # the cart is always visible: in blue when on screen, greyed at the edge when beyond it
    assert (pixels == cart).all(-1).any() or (pixels == grey).all(-1).any()


def test_a_fallen_pole_is_red_and_the_cart_moves_with_its_position():
    upright = np.asarray(cartpole.draw_frame([0, 0, 0, 0]))
    fallen = np.asarray(cartpole.draw_frame([0, 0, 0.5, 0]))
    red = np.array(cartpole.COLOURS["pole_fallen"])
    assert not (upright == red).all(-1).any()
    assert (fallen == red).all(-1).any()
    cart = np.array(cartpole.COLOURS["cart"])
    left_cols = np.nonzero((np.asarray(cartpole.draw_frame([-1, 0, 0, 0])) == cart).all(-1))[1]
    right_cols = np.nonzero((np.asarray(cartpole.draw_frame([1, 0, 0, 0])) == cart).all(-1))[1]
    assert left_cols.mean() < cartpole.FRAME_SIZE[0] / 2 < right_cols.mean()


def test_random_policy_returns_are_short_and_reproducible():
    returns = cartpole.episode_returns(cartpole.random_policy, range(30), greedy=False)
    assert returns.shape == (30,)
    assert 10 < returns.mean() < 40
    again = cartpole.episode_returns(cartpole.random_policy, range(30), greedy=False)
    np.testing.assert_array_equal(returns, again)


def test_a_sensible_hand_made_policy_balances_far_longer_than_random():
    returns = cartpole.episode_returns(lean_policy, range(5))
    assert returns.mean() > 100


def test_an_episode_replays_as_an_animated_gif():
    episode = cartpole.play_episode(cartpole.random_policy, seed=3, greedy=False)
    steps = episode.episode_return
    assert episode.states.shape == (steps + 1, 4)
    assert episode.actions.shape == (steps,)
    assert episode.probabilities.shape == (steps, 2)
    assert episode.terminated
    gif = Image.open(io.BytesIO(cartpole.episode_gif(episode, every=2)))
    assert gif.format == "GIF"
    assert gif.n_frames == len(range(0, steps + 1, 2))
    assert gif.info["duration"] == 40


def test_the_policy_grid_has_one_cell_per_angle_and_velocity():
    grid = cartpole.policy_grid(lean_policy)
    assert grid.shape == (31 * 31, 3)
    grid = cartpole.policy_grid(
        lean_policy, angles_deg=np.linspace(-12, 12, 7), angular_velocities=np.zeros(1)
    )
    assert grid.shape == (7, 3)
    p = grid["P(push right)"].to_numpy()
    assert ((p >= 0) & (p <= 1)).all()
    # the hand-made policy pushes right exactly when the pole leans right
    np.testing.assert_array_equal(p, (grid["pole angle (°)"] > 0).astype(float))


def test_a_human_can_play_and_a_press_after_the_end_starts_a_new_episode():
    game = cartpole.CartPoleGame(seed=0)
    assert game.episode_return == 0 and not game.done
    game.push(1)
    assert game.episode_return == 1 and game.last_action == 1
    presses = 0
    while not game.done:  # always right: the pole falls soon
        game.push(1, steps_per_press=2)
        presses += 1
        assert presses < 300
    assert game.terminated
    assert game.returns == [game.episode_return]
    game.push(0)  # a new episode
    assert not game.done and game.episode_return == 1 and len(game.returns) == 1
    with pytest.raises(ValueError):
        game.push(2)
    assert game.frame().size == cartpole.FRAME_SIZE


def test_the_scoreboard_compares_you_with_the_random_policy():
    board = cartpole.scoreboard([10, 30], np.array([20.0, 22.0]))
    assert board.loc["you", "mean"] == "20.0"
    assert board.loc["random policy", "best"] == "22"
    assert cartpole.scoreboard([], np.array([20.0])).loc["you", "mean"] == "—"
