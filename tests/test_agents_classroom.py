"""The chapter's walkthrough, quiz and notebook (for the Classroom issue)."""

import dataclasses

import pytest

from course_lib import agents, classroom
from course_lib.settings import validate


def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(agents.WALKTHROUGH) <= 8
    fields = {f.name for f in dataclasses.fields(agents.AgentSettings)}
    for step in agents.WALKTHROUGH:
        assert set(step.preset) <= fields
        validate(agents.AgentSettings(**step.preset))
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
