"""The chapter's walkthrough, quiz, shared links, notebook and downloads (the Classroom issue)."""

import dataclasses
import io

import numpy as np
import pandas as pd
import pytest

from course_lib import classroom, training
from course_lib.reinforcement_learning import agents
from course_lib.settings import from_query_params, to_query_params, validate


def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(agents.WALKTHROUGH) <= 8
    fields = {f.name for f in dataclasses.fields(agents.AgentSettings)}
    for step in agents.WALKTHROUGH:
        assert set(step.preset) <= fields
        validate(dataclasses.replace(agents.AgentSettings(), **step.preset))
        if "learning_rate" in step.preset:  # the page offers only these
            assert step.preset["learning_rate"] in agents.LEARNING_RATES
        assert step.text.count(".") >= 2


def test_quiz_questions_are_well_formed():
    assert 3 <= len(agents.QUIZ) <= 5
    for question in agents.QUIZ:
        assert len(question.options) >= 3
        assert question.check(question.answer)


SMALL = agents.AgentSettings(
    num_envs=2, rollout_steps=32, update_epochs=1, minibatches=2, updates=2, hidden_units=8
)


def test_the_ppo_notebook_runs_headless_on_small_settings():
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    book = classroom.notebook(agents.notebook_cells(SMALL), title="CartPole with PPO")
    assert "HIDDEN_UNITS = 8" in book.decode() and "CLIP_COEF" in book.decode()
    executed = nbclient.NotebookClient(
        nbformat.reads(book.decode(), as_version=4), timeout=300, kernel_name="python3"
    ).execute()
    outputs = "".join(
        output.get("text", "") for cell in executed.cells for output in cell.get("outputs", [])
    )
    assert "greedy returns:" in outputs
    assert outputs.count("\n1 ") + outputs.startswith("1 ") >= 1  # update 1 was printed


def test_the_reinforce_notebook_is_valid_python_with_its_own_update():
    # executing it too would double the test time; its code shares the setup cell
    cells = agents.notebook_cells(dataclasses.replace(SMALL, algorithm="REINFORCE"))
    training = next(cell.source for cell in cells if "for update_number" in cell.source)
    assert "discounted_returns" in training and "CLIP_COEF" not in training
    for cell in cells:
        if cell.kind == "code":
            compile(cell.source, "<notebook cell>", "exec")


def test_settings_round_trip_through_query_params():
    assert to_query_params(agents.AgentSettings(), "rl_") == {}  # defaults: a clean URL
    settings = agents.AgentSettings(
        algorithm="REINFORCE", hidden_units=32, learning_rate=1e-2, gamma=0.95, gae_lambda=0.9,
        num_envs=4, rollout_steps=64, update_epochs=2, minibatches=8, clip_coef=0.3,
        entropy_coef=0.01, updates=80, seed=7,
    )  # fmt: skip
    changed = {f.name for f in dataclasses.fields(settings)}
    changed -= {n for n in changed if getattr(settings, n) == getattr(agents.AgentSettings(), n)}
    assert changed == {f.name for f in dataclasses.fields(settings)}  # every field is tried
    params = to_query_params(settings, "rl_")
    assert set(params) == {f"rl_{name}" for name in changed}
    assert from_query_params(agents.AgentSettings, params, "rl_") == (settings, [])


def test_a_link_rate_off_the_slider_goes_to_the_nearest_offered_one():
    assert agents.offered_learning_rate(0.005) == 3e-3
    assert agents.offered_learning_rate(0.008) == 1e-2
    assert agents.offered_learning_rate(1e-5) == 1e-4
    for rate in agents.LEARNING_RATES:
        assert agents.offered_learning_rate(rate) == rate


@pytest.fixture(scope="module")
def trained():
    trainer = agents.AgentTrainer(SMALL)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    return trainer


def test_the_training_log_downloads_as_csv(trained):
    log = pd.read_csv(io.BytesIO(training.history_csv(trained.history)))
    assert list(log["epoch"]) == [1, 2]
    assert {"episode_return", "entropy", "policy_loss", "env_steps"} <= set(log.columns)
    assert np.allclose(log["entropy"], [row["entropy"] for row in trained.history])


def test_the_model_download_is_the_policy_network_and_loads_back(trained, tmp_path):
    import keras

    path = tmp_path / "cartpole-policy.keras"
    path.write_bytes(training.keras_bytes(trained.model))
    loaded = keras.saving.load_model(path)
    states = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    # the loaded network acts exactly like the trained policy (logits → probabilities)
    probabilities = agents.softmax(np.asarray(loaded(states)))
    assert probabilities.shape == (5, 2)
    assert np.allclose(probabilities, trained.policy(states), atol=1e-5)
    assert not np.allclose(probabilities, trained.initial_policy(states), atol=1e-5)
