"""course_lib.recurrent_networks.sampler: the stateful sampler and the temperature."""

import numpy as np
import pytest

from course_lib.recurrent_networks import sampler as sampling
from course_lib.recurrent_networks.model import TextSettings, build_model
from tests.recurrent_networks.conftest import TINY


@pytest.mark.parametrize(("cell", "layers"), [("GRU", 1), ("LSTM", 2), ("SimpleRNN", 2)])
def test_reading_one_token_at_a_time_equals_the_whole_sequence(snippet_vocabulary, cell, layers):
    settings = TextSettings(cell=cell, layers=layers, hidden_units=12, embedding_dim=6, seed=3)
    model = build_model(snippet_vocabulary.size, settings)
    sampler = sampling.Sampler(model, snippet_vocabulary)
    seed = "def add(a, b):\n    return"
    stepwise, _ = sampler.read(seed)
    whole = model(snippet_vocabulary.encode(seed)[None])[0].numpy()
    np.testing.assert_allclose(stepwise, whole, atol=1e-5)
    # generating N tokens greedily, one by one, picks the argmax of the whole-sequence logits
    written = "".join(sampler.generate(seed, 40, temperature=0.0))
    full = model(snippet_vocabulary.encode(seed + written)[None])[0].numpy()
    assert len(written) == 40
    assert written == snippet_vocabulary.decode(full.argmax(-1)[len(seed) - 1 : -1])


def test_forgetting_the_state_between_steps_is_wrong(snippet_vocabulary):
    """The pitfall of tensorflow/tensorflow#27789: feeding one character per call from zero state."""
    model = build_model(snippet_vocabulary.size, TINY)
    ids = snippet_vocabulary.encode("return a + b")
    whole = model(ids[None])[0].numpy()
    forgetful = np.stack([model(ids[None, t : t + 1])[0, 0].numpy() for t in range(len(ids))])
    assert not np.allclose(forgetful[1:], whole[1:], atol=1e-4)


def test_single_step_carries_the_state(snippet_vocabulary):
    model = build_model(snippet_vocabulary.size, TINY)
    sampler = sampling.Sampler(model, snippet_vocabulary)
    ids = snippet_vocabulary.encode("print(add")
    states = sampler.initial_state()
    for token in ids:
        _, logits, states = sampler.step(int(token), states, temperature=0.0)
    np.testing.assert_allclose(logits, model(ids[None])[0, -1].numpy(), atol=1e-5)


def test_sampling_is_reproducible_and_temperature_to_zero_is_greedy(snippet_vocabulary):
    model = build_model(snippet_vocabulary.size, TINY)
    sampler = sampling.Sampler(model, snippet_vocabulary, chunk=7)
    first = "".join(sampler.generate("def", 30, temperature=1.0, seed=5))
    assert first == "".join(sampler.generate("def", 30, temperature=1.0, seed=5))
    assert first != "".join(sampler.generate("def", 30, temperature=1.0, seed=6))
    # an untrained network is nearly indifferent; make its choices clear-cut (logits ×100)
    dense = model.get_layer("next_token_logits")
    dense.set_weights([w * 100 for w in dense.get_weights()])
    greedy = "".join(sampler.generate("def", 30, temperature=0.0))
    assert "".join(sampler.generate("def", 30, temperature=1e-3, seed=9)) == greedy
    assert "".join(sampler.generate("def", 30, temperature=1.0, seed=9)) != greedy


def test_next_token_probabilities_at_temperatures():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    plain = sampling.next_token_probabilities(logits, 1.0)
    np.testing.assert_allclose(plain, np.exp(logits) / np.exp(logits).sum())
    assert sampling.next_token_probabilities(logits, 1e-3)[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(sampling.next_token_probabilities(logits, 0.0), [1, 0, 0, 0])
    hot = sampling.next_token_probabilities(logits, 1e3)
    np.testing.assert_allclose(hot, 0.25, atol=1e-3)
    assert np.isfinite(sampling.next_token_probabilities(logits * 1e6, 1e-6)).all()


def test_temperature_checks():
    assert sampling.check_temperature(0.7) == (0.7, "")
    assert "greedy" in sampling.check_temperature(0.0)[1]
    assert "uniform" in sampling.check_temperature(2.5)[1]
    assert "loops" in sampling.check_temperature(0.3)[1]
    with pytest.raises(ValueError, match="0 or more"):
        sampling.check_temperature(-1)
    with pytest.raises(ValueError):
        sampling.check_temperature(float("nan"))
