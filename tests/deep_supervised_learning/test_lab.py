"""course_lib.deep_supervised_learning.lab: the exported script and the notebook run."""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from course_lib.deep_supervised_learning.data import load_csv, make_dataset
from course_lib.deep_supervised_learning.experiment import (
    PlaygroundSettings,
)
from course_lib.deep_supervised_learning.lab import RESULTS_FILE, keras_script, notebook_cells
from course_lib.deep_supervised_learning.model import (
    make_trainer,
    parameter_count,
)
from tests.deep_supervised_learning.test_data import csv, good_rows


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


def run_script(tmp_path, script: str) -> str:
    path = tmp_path / "playground_model.py"
    path.write_text(script)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_exported_script_runs_and_builds_the_same_network(tmp_path):
    choice = settings(
        dataset="Gaussian blobs",
        classes=3,
        hidden_layers=3,
        hidden_units_2=12,
        activation_3="relu",
        dropout=0.1,
        l2=1e-3,
        batch_norm=True,
        optimizer="SGD+momentum",
        epochs=2,
        samples=120,
    )
    output = run_script(tmp_path, keras_script(choice))
    data = make_dataset(choice)
    assert (
        f"{len(data.x_train)} training points, {len(data.x_test)} test points, 3 classes" in output
    )
    assert f"parameters: {parameter_count(choice, 3)['total']}" in output
    assert "Epoch 2/2" in output and "test accuracy" in output


def test_the_exported_script_reads_a_csv(tmp_path):
    (tmp_path / "mine.csv").write_text(csv(good_rows(60, classes=3)).decode())
    choice = settings(dataset="your CSV", epochs=2)
    output = run_script(tmp_path, keras_script(choice, csv_name="mine.csv"))
    assert "3 classes" in output and "test accuracy" in output


def test_the_notebook_runs_headless(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    from course_lib.classroom import notebook

    choice = settings(dataset="circles", samples=80, epochs=2, hidden_layers=2)
    book = nbformat.reads(
        notebook(notebook_cells(choice), title="Playground").decode(), as_version=4
    )
    nbclient.NotebookClient(book, timeout=240, kernel_name="python3").execute(cwd=str(tmp_path))
    outputs = "".join(
        output.get("text", "") for cell in book.cells for output in cell.get("outputs", [])
    )
    assert "test accuracy" in outputs
    assert f"parameters: {parameter_count(choice, 2)['total']}" in outputs


# -- the same experiment in the app and in the notebook ---------------------------------


def run_outside_the_repo(cells, folder, monkeypatch) -> tuple[dict, str]:
    """Execute a notebook in ``folder`` with ``course_lib`` out of reach; its saved run."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    from course_lib.classroom import code, notebook

    guard = code(
        "import importlib.util, sys\n"
        "sys.path = [p for p in sys.path if 'course_lib' not in p and p not in ('', '.')]\n"
        "assert importlib.util.find_spec('course_lib') is None, 'course_lib is importable'"
    )
    book = nbformat.reads(notebook([guard, *cells], title="Playground").decode(), as_version=4)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    nbclient.NotebookClient(book, timeout=300, kernel_name="python3").execute(cwd=str(folder))
    outputs = "".join(
        output.get("text", "") for cell in book.cells for output in cell.get("outputs", [])
    )
    return json.loads((folder / RESULTS_FILE).read_text()), outputs


def app_run(choice, points):
    """The app's live driver on the same settings: its initial weights and its history."""
    trainer = make_trainer(choice, points)
    initial = trainer.model.get_weights()
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    assert trainer.status == "finished"
    return initial, trainer.history


#: The notebook's epoch losses and accuracies agree with the app's to this relative
#: tolerance: the same weights, batches and operations, only evaluated in another process.
TOLERANCE = 1e-4

NOTEBOOK_EXPERIMENTS = {
    "generated": dict(
        dataset="Gaussian blobs",
        classes=3,
        samples=120,
        hidden_layers=3,
        hidden_units_2=12,
        activation_3="relu",
        dropout=0.1,
        l2=1e-3,
        batch_norm=True,
        optimizer="SGD+momentum",
        learning_rate=0.1,
        batch_size=16,
        epochs=4,
    ),
    "your CSV": dict(dataset="your CSV", hidden_layers=2, epochs=3, seed=7),
}


@pytest.mark.parametrize("name", NOTEBOOK_EXPERIMENTS)
def test_the_notebook_is_the_apps_experiment(name, tmp_path, monkeypatch):
    choice = settings(**NOTEBOOK_EXPERIMENTS[name])
    if choice.dataset == "your CSV":
        rows = csv(good_rows(90, classes=3))
        (tmp_path / "mine.csv").write_bytes(rows)
        points = load_csv(rows, test_fraction=choice.test_fraction, seed=choice.seed)
    else:
        points = make_dataset(choice)
    run, outputs = run_outside_the_repo(
        notebook_cells(choice, csv_name="mine.csv"), tmp_path, monkeypatch
    )
    initial, history = app_run(choice, points)
    # the notebook's network starts from the app's exact weights...
    assert len(run["initial_weights"]) == len(initial)
    for theirs, ours in zip(run["initial_weights"], initial, strict=True):
        np.testing.assert_array_equal(np.asarray(theirs, dtype=ours.dtype), ours)
    # ...sees the same batches and ends where the app ends, epoch by epoch
    assert [row["epoch"] for row in run["history"]] == [row["epoch"] for row in history]
    for metric in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(
            [row[metric] for row in run["history"]],
            [row[metric] for row in history],
            rtol=TOLERANCE,
            err_msg=metric,
        )
    assert run["test"]["accuracy"] == pytest.approx(history[-1]["val_accuracy"], rel=TOLERANCE)
    assert f"{len(points.x_train)} training points, {len(points.x_test)} test points" in outputs


def test_the_script_is_the_apps_own_code_and_needs_no_charting():
    import inspect

    from course_lib import training
    from course_lib.deep_supervised_learning import data, model

    script = keras_script(settings(dataset="XOR"))
    for function in (data.make_xor, data.train_test_split, model.build_model):
        assert inspect.getsource(function).strip() in script
    assert inspect.getsource(training.shuffled_batches).strip() in script
    assert "import altair" not in script and "import pandas" not in script
    assert "course_lib" not in script
