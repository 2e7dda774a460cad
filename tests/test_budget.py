"""The cost budget: limits from the environment, refusals that name the knob, estimates
that every chapter's own experiments fit, and estimates close to measured peaks."""

import dataclasses
import json
import subprocess
import sys

import pytest

from course_lib import budget
from course_lib.convolutional_networks import lesson as cnn_lesson
from course_lib.convolutional_networks import model as cnn_model
from course_lib.deep_supervised_learning import experiment
from course_lib.deep_supervised_learning import lesson as playground_lesson
from course_lib.fundamentals import network
from course_lib.recurrent_networks import corpus, sampler
from course_lib.recurrent_networks import lesson as rnn_lesson
from course_lib.recurrent_networks import model as rnn_model
from course_lib.recurrent_networks import pretrained as rnn_pretrained
from course_lib.reinforcement_learning import agents
from tests.conftest import ROOT


def test_limits_come_from_the_environment_with_safe_fallbacks(monkeypatch):
    monkeypatch.delenv("COURSE_MEMORY_MB_PER_STUDENT", raising=False)
    assert budget.limits().memory_mb_per_student == budget.DEFAULT_MEMORY_MB_PER_STUDENT
    monkeypatch.setenv("COURSE_MEMORY_MB_PER_STUDENT", "4000")
    monkeypatch.setenv("COURSE_SECONDS_PER_ACTION", "60")
    monkeypatch.setenv("COURSE_SECONDS_PER_STEP", "3")
    assert budget.limits() == budget.Limits(4000, 60, 3)
    for nonsense in ("lots", "-5", "0", "nan", "inf"):
        monkeypatch.setenv("COURSE_MEMORY_MB_PER_STUDENT", nonsense)
        assert budget.limits().memory_mb_per_student == budget.DEFAULT_MEMORY_MB_PER_STUDENT


def test_the_issues_recurrent_network_is_refused_with_a_knob_and_a_value_that_fits():
    settings = rnn_model.TextSettings(
        level="word", max_words=20000, sequence_length=256, batch_size=256
    )
    estimate = budget.rnn_training(settings, 20000, 2000)
    assert estimate.peak_bytes > 3 * 1024**3  # gigabytes, as the issue measured
    message = budget.check(estimate)
    assert message is not None
    assert "sequence 256 × batch 256" in message and "GB" in message
    assert "this server allows 100 MB per student" in message
    assert "lower the" in message


LABELS = {"batch size": "batch_size", "sequence length": "sequence_length",
          "hidden units": "hidden_units", "layers": "layers"}  # fmt: skip


def advised(message: str) -> dict[str, int]:
    """``"…: lower the batch size to 16 and the sequence length to 128."`` → the changes."""
    advice = message.rsplit("lower the ", 1)[1].rstrip(".")
    changes = {}
    for part in advice.split(" and the "):
        label, value = part.rsplit(" to ", 1)
        changes[LABELS[label]] = int(value.replace(",", ""))
    return changes


@pytest.mark.parametrize("memory_mb", [200, 400, 2000])
def test_the_suggested_values_fit(monkeypatch, memory_mb):
    monkeypatch.setenv("COURSE_MEMORY_MB_PER_STUDENT", str(memory_mb))
    monkeypatch.setenv("COURSE_SECONDS_PER_STEP", "1000")  # memory alone here
    settings = rnn_model.TextSettings(sequence_length=256, batch_size=512, hidden_units=512)
    message = budget.check(budget.rnn_training(settings, 257, 2000))
    changes = advised(message)
    assert "batch_size" in changes  # the first knob to turn
    smaller = dataclasses.replace(settings, **changes)
    assert budget.check(budget.rnn_training(smaller, 257, 2000)) is None
    if len(changes) == 1:  # the largest value that fits
        doubled = dataclasses.replace(settings, batch_size=2 * changes["batch_size"])
        assert budget.check(budget.rnn_training(doubled, 257, 2000)) is not None


def test_a_raised_limit_lets_a_big_network_train(monkeypatch):
    settings = rnn_model.TextSettings(sequence_length=256, batch_size=256, hidden_units=512)
    assert budget.check(budget.rnn_training(settings, 257, 2000)) is not None
    monkeypatch.setenv("COURSE_MEMORY_MB_PER_STUDENT", "100000")
    monkeypatch.setenv("COURSE_SECONDS_PER_STEP", "1000")
    assert budget.check(budget.rnn_training(settings, 257, 2000)) is None


def test_a_huge_cnn_is_refused_where_it_used_to_get_a_warning_only():
    settings = cnn_model.CNNSettings(
        dataset="cifar10", conv_blocks=4, filters=128, kernel_size=7, dense_units=512
    )
    message = budget.check(budget.cnn_training(settings, (32, 32, 3), 10, 17000))
    assert message is not None and "lower the" in message


def test_sweeps_generation_and_rl_runs_are_refused_when_too_long():
    assert "fewer" in budget.check(
        budget.width_sweep((1, 2, 4, 8, 16, 32, 64, 128, 256, 512), 3000, 2000)
    )
    assert "lower the length to" in budget.check(budget.text_generation(3000, 62_000_000))
    big = agents.AgentSettings(updates=500, num_envs=32, rollout_steps=512)
    assert "fewer seeds" in budget.check(budget.rl_run(big, seeds=5))
    assert budget.check(budget.rl_update(agents.AgentSettings(num_envs=32, rollout_steps=512)))


def _walkthrough_settings(settings_class, steps):
    """The settings each walkthrough step leads to (fields of ``settings_class`` only)."""
    names = {f.name for f in dataclasses.fields(settings_class)}
    current = settings_class()
    for step in steps:
        preset = {k: v for k, v in step.preset.items() if k in names}
        current = dataclasses.replace(current, **preset)
        yield step.title, current


def test_every_default_and_walkthrough_step_fits_the_default_budget(monkeypatch):
    for name in ("COURSE_MEMORY_MB_PER_STUDENT", "COURSE_SECONDS_PER_ACTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("COURSE_SECONDS_PER_STEP", raising=False)
    corpus_characters = corpus.MAX_CORPUS_CHARS
    for title, settings in [("default", rnn_model.TextSettings()), *_walkthrough_settings(
        rnn_model.TextSettings, rnn_lesson.WALKTHROUGH
    )]:  # fmt: skip
        vocabulary = settings.max_words if settings.level == "word" else corpus.MAX_CHARACTERS + 1
        windows = corpus_characters // settings.sequence_length
        assert budget.check(budget.rnn_training(settings, vocabulary, windows)) is None, title
    for title, settings in [("default", cnn_model.CNNSettings()), *_walkthrough_settings(
        cnn_model.CNNSettings, cnn_lesson.WALKTHROUGH
    )]:  # fmt: skip
        shape, examples = {
            "digits": ((8, 8, 1), 1437),
            "mnist": ((28, 28, 1), 20000),
            "fashion_mnist": ((28, 28, 1), 20000),
            "cifar10": ((32, 32, 3), 20000),
            "zip": ((32, 32, 3), 2000),
        }[settings.dataset]
        assert budget.check(budget.cnn_training(settings, shape, 10, examples)) is None, title
    for title, settings in [("default", experiment.PlaygroundSettings()), *_walkthrough_settings(
        experiment.PlaygroundSettings, playground_lesson.WALKTHROUGH
    )]:  # fmt: skip
        assert budget.check(budget.playground_training(settings)) is None, title
    assert budget.check(budget.fundamentals_fit(network.FitSettings(), 2000)) is None
    assert budget.check(budget.width_sweep((1, 3, 10, 30, 100), 300, 200)) is None
    assert budget.check(budget.rl_update(agents.AgentSettings())) is None
    assert (
        budget.check(budget.rl_run(dataclasses.replace(agents.AgentSettings(), updates=30), 3))
        is None
    )
    pretrained = rnn_pretrained.load_pretrained()
    length = sampler.GenerationSettings().length
    assert budget.check(budget.text_generation(length, pretrained.model.count_params())) is None


# -- estimates against measured peaks ------------------------------------------------------
MEASURE = r"""
import json, sys
sys.path.insert(0, {root!r})
import numpy as np
from course_lib import budget
from course_lib.reinforcement_learning import agents
from course_lib.convolutional_networks import lesson as cnn_lesson
from course_lib.convolutional_networks import model as cnn_model
from course_lib.recurrent_networks import corpus
from course_lib.deep_supervised_learning import experiment
from course_lib.fundamentals import network
from course_lib.deep_supervised_learning import lesson as playground_lesson
from course_lib.recurrent_networks import lesson as rnn_lesson
from course_lib.recurrent_networks import model as rnn_model
from course_lib.recurrent_networks import pretrained as rnn_pretrained
from course_lib.recurrent_networks import sampler
from course_lib.training import KerasTrainer

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) * 1024

rng = np.random.default_rng(0)
kind = {kind!r}
if kind == "rnn":
    settings = rnn_model.TextSettings(level="word", max_words=5000, batch_size=64, steps_per_epoch=3)
    x = rng.integers(0, 5000, (200, 64)).astype(np.int32)
    build = lambda: rnn_model.build_model(5000, settings)
    estimate = budget.rnn_training(settings, 5000, len(x))
    y = x
else:
    settings = cnn_model.CNNSettings(dataset="cifar10", filters=64, batch_size=256)
    x = rng.integers(0, 255, (2000, 32, 32, 3)).astype(np.uint8)
    y = rng.integers(0, 10, 2000).astype(np.int32)
    build = lambda: cnn_model.build_cnn(settings, (32, 32, 3), 10)
    estimate = budget.cnn_training(settings, (32, 32, 3), 10, len(x))
# warm TensorFlow with a tiny model, so its one-off start is not counted
tiny = rnn_model.TextSettings(hidden_units=8, embedding_dim=4, batch_size=8)
warm = KerasTrainer(lambda: rnn_model.build_model(20, tiny), x[:16, :8] % 20 if x.ndim == 2 else
                    rng.integers(0, 20, (16, 8)).astype(np.int32),
                    rng.integers(0, 20, (16, 8)).astype(np.int32), epochs=1, batch_size=8)
warm.start(); warm.run_chunk(60)
before = status("VmRSS")
open("/proc/self/clear_refs", "w").write("5")
trainer = KerasTrainer(build, x, y, epochs=1, batch_size=settings.batch_size, steps_per_epoch=3)
trainer.start(); trainer.run_chunk(60)
print(json.dumps({{"measured": status("VmHWM") - before, "estimated": estimate.peak_bytes}}))
"""


@pytest.mark.parametrize("kind", ["rnn", "cnn"])
def test_training_estimates_are_within_a_factor_of_two_of_the_measured_peak(kind):
    """Peak RSS over the process's RSS before the trainer is built (a fresh interpreter)."""
    code = MEASURE.format(root=str(ROOT), kind=kind)
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    ratio = figures["estimated"] / figures["measured"]
    assert 0.5 <= ratio <= 2.0, figures


def test_alphazero_is_refused_by_the_same_limits_with_the_knob_named(monkeypatch):
    from course_lib.reinforcement_learning.alphazero import CONNECT_FOUR_SETTINGS, AlphaZeroSettings

    assert budget.check(budget.alphazero_training(AlphaZeroSettings())) is None
    assert budget.check(budget.alphazero_training(CONNECT_FOUR_SETTINGS)) is None
    message = budget.check(budget.alphazero_training(AlphaZeroSettings(simulations=10_000)))
    assert "lower simulations to" in message and "15 s" in message
    monkeypatch.setenv("COURSE_SECONDS_PER_ACTION", "3600")  # one's own server: raised
    assert budget.check(budget.alphazero_training(AlphaZeroSettings(simulations=10_000))) is None
