"""Backpropagation by hand: numpy derivatives agree with tf.GradientTape; a step lowers E."""

import numpy as np
import pytest

from course_lib.fundamentals import backprop as bp
from course_lib.fundamentals import charts


def random_case(seed: int, inputs: int, hidden_units: int, hidden_layers: int, activation: str):
    settings = bp.BackpropSettings(
        inputs=inputs,
        hidden_units=hidden_units,
        hidden_layers=hidden_layers,
        activation=activation,
        seed=seed,
    )
    rng = np.random.default_rng(seed + 100)
    network = bp.random_network(settings)
    # unrounded weights too, so nothing depends on the two decimals shown on the page
    network = bp.TinyNetwork(
        tuple(w + rng.normal(0, 0.3, w.shape) for w in network.weights),
        tuple(b + rng.normal(0, 0.3, b.shape) for b in network.biases),
        activation,
    )
    return network, rng.uniform(-2, 2, inputs), rng.uniform(-1, 1, 1)


CASES = [
    (seed, inputs, units, layers, activation)
    for seed, (inputs, units, layers, activation) in enumerate(
        [(2, 2, 1, "sigmoid"), (2, 3, 2, "sigmoid"), (3, 4, 2, "tanh"), (1, 1, 1, "tanh")] * 3
    )
]


@pytest.mark.parametrize(("seed", "inputs", "units", "layers", "activation"), CASES)
def test_hand_gradients_agree_with_gradient_tape(seed, inputs, units, layers, activation):
    network, x, t = random_case(seed, inputs, units, layers, activation)
    result = bp.backward(network, x, t)
    tape_w, tape_b = bp.tape_gradients(network, x, t)
    for hand, tape in zip([*result.dE_dw, *result.dE_db], [*tape_w, *tape_b], strict=True):
        assert hand.shape == tape.shape
        np.testing.assert_allclose(hand, tape, rtol=0, atol=1e-6)
    # and the gradients are not all zero, so the agreement means something
    assert max(np.abs(g).max() for g in result.dE_dw) > 1e-4


def test_the_backward_pass_follows_the_lecture_equations():
    network, x, t = random_case(7, 2, 2, 1, "sigmoid")
    result = bp.backward(network, x, t)
    y_out = result.y[-1]
    np.testing.assert_allclose(result.dE_dy[-1], y_out - t)
    np.testing.assert_allclose(result.dE_dz[-1], (y_out - t) * y_out * (1 - y_out))
    np.testing.assert_allclose(result.dE_dy[1], network.weights[1] @ result.dE_dz[2])
    np.testing.assert_allclose(result.dE_dw[0], np.outer(x, result.dE_dz[1]))
    np.testing.assert_allclose(result.error, 0.5 * np.sum((y_out - t) ** 2))


def test_the_derivative_matches_a_finite_difference():
    network, x, t = random_case(3, 2, 3, 2, "tanh")
    result = bp.backward(network, x, t)
    eps = 1e-6
    bumped = [w.copy() for w in network.weights]
    bumped[0][1, 2] += eps
    moved = bp.TinyNetwork(tuple(bumped), network.biases, network.activation)
    numeric = (bp.error(moved, x, t) - result.error) / eps
    assert numeric == pytest.approx(result.dE_dw[0][1, 2], abs=1e-5)


def test_a_small_gradient_step_lowers_the_error():
    for seed in range(5):
        network, x, t = random_case(seed, 2, 2, 1, "sigmoid")
        result = bp.backward(network, x, t)
        stepped = bp.gradient_step(network, result, learning_rate=0.1)
        assert bp.error(stepped, x, t) < result.error


def test_tables_and_drawing_cover_every_unit_and_weight():
    settings = bp.BackpropSettings(hidden_layers=2, hidden_units=3)
    network = bp.random_network(settings)
    result = bp.backward(network, np.array([1.0, 0.5]), np.array([0.9]))
    assert len(bp.units_frame(result)) == sum(settings.layer_sizes)
    parameters = sum(w.size + b.size for w, b in zip(network.weights, network.biases, strict=True))
    assert len(bp.weights_frame(network, result, 0.5)) == parameters
    spec = charts.network_chart(network, result).to_dict()
    assert len(spec["layer"]) == 4  # 3 + 3 + 3 + 1 units: too many edges to label
    small = bp.random_network(bp.BackpropSettings())
    drawn = charts.network_chart(small, bp.backward(small, np.ones(2), np.ones(1))).to_dict()
    assert len(drawn["layer"]) == 5  # with the weights written on the edges
