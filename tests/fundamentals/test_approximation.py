"""Universal approximation by hand: steps, bumps and ramps placed on the target."""

import math

import numpy as np
import pytest

from course_lib.fundamentals import approximation as ap
from course_lib.fundamentals import targets as tg


def sin_points(samples: int = 256) -> tg.Points:
    return tg.target_points(tg.TargetSettings(target="sin", samples=samples))


# -- by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ap.HAND_ACTIVATIONS)
def test_placed_bumps_approach_sin_as_units_are_added(activation):
    points = sin_points()
    curve = ap.bump_error_curve(points, activation, max_units=50)
    chosen = curve.set_index("hidden_units").loc[[5, 10, 20, 50]]
    assert chosen["mse"].is_monotonic_decreasing and chosen["mse"].is_unique
    assert chosen["max_error"].is_monotonic_decreasing
    assert chosen["mse"].iloc[-1] < 1e-3


def test_relu_bumps_interpolate_the_target_at_their_knots():
    points = sin_points()
    network = ap.place_bumps(points, 8, "relu")
    knots = np.asarray(network.positions)
    np.testing.assert_allclose(ap.hand_predict(network, knots), np.sin(knots), atol=1e-2)


def test_a_hand_network_is_a_sum_of_its_units():
    network = ap.HandNetwork("sigmoid", (0.0, 1.0), (10.0, 5.0), (1.0, -0.5), 0.25)
    x = np.array([-10.0, 0.0, 0.5, 10.0])
    shares = ap.hand_contributions(network, x)
    assert shares.shape == (4, 2)
    np.testing.assert_allclose(ap.hand_predict(network, x), shares.sum(axis=1) + 0.25)
    np.testing.assert_allclose(ap.hand_predict(network, x)[[0, -1]], [0.25, 0.75], atol=1e-6)
    assert ap.hand_predict(network, x)[1] == pytest.approx(0.25 + 0.5 - 0.5 / (1 + math.exp(5)))


def test_editing_and_resizing_keep_the_other_units():
    network = ap.blank_network(3, "relu", -1, 1)
    edited = network.with_unit(1, weight=0.7, position=0.2)
    assert edited.weights == (0.0, 0.7, 0.0) and edited.positions[1] == 0.2
    assert edited.positions[0] == network.positions[0]
    grown = ap.resize_network(edited, 5, -1, 1)
    assert grown.hidden_units == 5 and grown.weights[:3] == edited.weights
    assert ap.resize_network(grown, 2, -1, 1).weights == (0.0, 0.7)


def test_slider_ranges_contain_every_unit():
    points = sin_points()
    network = ap.place_bumps(points, 50, "relu").with_unit(0, weight=40.0)
    ranges = ap.hand_slider_ranges(network, points)
    assert ranges["weight"][1] >= 40.0
    assert ranges["steepness"][1] >= max(network.steepness)
    assert ranges["position"][:2] == (points.low, points.high)


def test_an_edit_from_the_browser_is_checked_and_clipped():
    points = sin_points()
    network = ap.place_bumps(points, 4, "sigmoid")
    ranges = ap.hand_slider_ranges(network, points)
    edit = {"unit": 2, "units": 4, "position": 0.5, "steepness": 3, "weight": -0.2, "bias": 0.1}
    assert ap.checked_unit_edit(edit, network, points) == (
        2,
        {"position": 0.5, "steepness": 3.0, "weight": -0.2, "bias": 0.1},
    )
    unit, values = ap.checked_unit_edit({**edit, "position": 99, "weight": -1e300}, network, points)
    assert values["position"] == ranges["position"][1] and values["weight"] == ranges["weight"][0]


@pytest.mark.parametrize(
    "change",
    [
        {"unit": 4},
        {"unit": 1.0},
        {"units": 5},
        {"weight": "0.2"},
        {"weight": float("inf")},
        {"bias": False},
        {"steepness": None},
    ],
    ids=repr,
)
def test_a_malformed_edit_from_the_browser_is_refused(change):
    points = sin_points()
    network = ap.place_bumps(points, 4, "sigmoid")
    edit = {"unit": 2, "units": 4, "position": 0.5, "steepness": 3, "weight": -0.2, "bias": 0.1}
    assert ap.checked_unit_edit({**edit, **change}, network, points) is None
    assert ap.checked_unit_edit([edit], network, points) is None
