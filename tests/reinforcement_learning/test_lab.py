"""The lab notebooks run outside the project and redo the app's experiment exactly."""

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest

from course_lib import classroom
from course_lib.reinforcement_learning import agents, lab
from tests.conftest import ROOT

SMALL = agents.AgentSettings(
    num_envs=2, rollout_steps=32, update_epochs=1, minibatches=2, updates=2, hidden_units=8
)

#: The first cell the test adds: the project must not be importable from the notebook.
NOT_IMPORTABLE = """
import importlib.util
assert importlib.util.find_spec("course_lib") is None, "the notebook must not need course_lib"
"""
#: Added after ``agent = make_agent(settings)``: the weights the run starts from.
INITIAL = """
import json
json.dump([w.tolist() for w in agent.actor.get_weights()], open("initial.json", "w"))
"""
#: Added at the end: what the run reached.
RESULTS = """
json.dump({"history": history, "greedy": [float(r) for r in greedy_returns]},
          open("results.json", "w"))
"""


def execute(cells: list[classroom.Cell], folder: Path, monkeypatch) -> dict:
    """Run the notebook in ``folder`` with the project off the path; its weights and results."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    cells = [classroom.code(NOT_IMPORTABLE), *cells]
    at = next(i for i, cell in enumerate(cells) if cell.source == "agent = make_agent(settings)")
    cells = [*cells[: at + 1], classroom.code(INITIAL), *cells[at + 1 :], classroom.code(RESULTS)]
    book = nbformat.reads(classroom.notebook(cells, title="test").decode(), as_version=4)
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    path = [p for p in path if Path(p).resolve() != ROOT]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    monkeypatch.chdir(folder)
    nbclient.NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    outputs = "".join(
        output.get("text", "") for cell in book.cells for output in cell.get("outputs", [])
    )
    results = json.loads((folder / "results.json").read_text())
    results["initial"] = json.loads((folder / "initial.json").read_text())
    results["outputs"] = outputs
    return results


def app_run(settings: agents.AgentSettings):
    trainer = agents.AgentTrainer(settings)
    initial = trainer.actor.get_weights()
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=60)
    return trainer, initial


@pytest.mark.parametrize("algorithm", ["PPO", "REINFORCE"])
def test_the_notebook_runs_outside_the_project_and_redoes_the_apps_run(
    algorithm, tmp_path, monkeypatch
):
    settings = dataclasses.replace(SMALL, algorithm=algorithm)
    cells = lab.notebook_cells(settings)
    assert all("course_lib" not in cell.source for cell in cells)
    notebook = execute(cells, tmp_path, monkeypatch)
    trainer, initial = app_run(settings)
    assert "greedy returns:" in notebook["outputs"]
    # the same initial weights, exactly
    assert len(notebook["initial"]) == len(initial)
    for ours, theirs in zip(initial, notebook["initial"], strict=True):
        np.testing.assert_array_equal(ours, np.asarray(theirs, np.float32))
    # the same run: every update's returns, its losses to float32 rounding, the same greedy play
    assert len(notebook["history"]) == len(trainer.history) == settings.updates
    for ours, theirs in zip(trainer.history, notebook["history"], strict=True):
        assert theirs["episode_return"] == pytest.approx(ours["episode_return"], rel=1e-6)
        assert theirs["env_steps"] == ours["env_steps"]
        assert theirs["policy_loss"] == pytest.approx(ours["policy_loss"], rel=1e-4, abs=1e-6)
        assert theirs["entropy"] == pytest.approx(ours["entropy"], rel=1e-4)
    np.testing.assert_array_equal(notebook["greedy"], agents.evaluate(trainer.policy))


def test_the_notebook_holds_the_apps_functions_and_a_constants_cell():
    cells = lab.notebook_cells(SMALL)
    text = "\n".join(cell.source for cell in cells)
    assert "HIDDEN_UNITS = 8" in text and "CLIP_COEF" in text
    assert "def make_ppo_update(" in text and "def ppo_iteration(" in text
    assert "def make_reinforce_update(" not in text
    reinforce = "\n".join(
        cell.source
        for cell in lab.notebook_cells(dataclasses.replace(SMALL, algorithm="REINFORCE"))
    )
    assert "def discounted_returns(" in reinforce and "def make_ppo_update(" not in reinforce
    for cell in cells:
        if cell.kind == "code":
            compile(cell.source, "<notebook cell>", "exec")
