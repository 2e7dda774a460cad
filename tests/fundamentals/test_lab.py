"""The lab notebooks: made of the app's own functions, and the same experiment as the app.

Every notebook the chapter offers is executed with nbclient in an empty temporary folder
where ``course_lib`` cannot be imported. For the same settings and seed, its networks start
from the app's exact initial weights and end at the app's result: the final training loss
and the MSE after training agree within a relative 1e-3 (the app feeds the full batch in a
shuffled order, so float32 sums are added in another order; nothing else differs).
"""

import ast
import inspect
import json
import os

import numpy as np
import pytest

from course_lib.classroom import Cell, code, notebook
from course_lib.fundamentals import charts, lab, lesson, sweep
from course_lib.fundamentals import network as nw
from course_lib.fundamentals import targets as tg
from course_lib.training import seed_sequence
from tests.conftest import ROOT

#: Final loss and MSE of the notebook against the app's, relative.
TOLERANCE = 1e-3


def run_outside_the_repository(cells: list[Cell], folder, monkeypatch) -> tuple[dict, str]:
    """Execute the notebook in ``folder`` with ``course_lib`` out of reach.

    Returns what its last cell wrote to ``results.json`` and everything it printed.
    """
    import nbformat
    from nbclient import NotebookClient

    kept = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    kept = [p for p in kept if os.path.realpath(p) != os.path.realpath(ROOT)]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(kept))
    check = code(
        "import importlib.util, json, sys\n"
        f"sys.path[:] = [p for p in sys.path if p and p != {str(ROOT)!r}]\n"
        'assert importlib.util.find_spec("course_lib") is None, "course_lib is importable"'
    )
    book = nbformat.reads(notebook([check, *cells], title="Lab").decode(), as_version=4)
    client = NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    printed = "".join(
        output.get("text", "")
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    return json.loads((folder / "results.json").read_text()), printed


def after(cells: list[Cell], marker: str, extra: str) -> list[Cell]:
    """The cells with a code cell ``extra`` inserted after the one that contains ``marker``."""
    (index,) = [i for i, cell in enumerate(cells) if cell.kind == "code" and marker in cell.source]
    return [*cells[: index + 1], code(extra), *cells[index + 1 :]]


def assert_same_weights(notebook_weights: list, app_weights: list[np.ndarray]) -> None:
    assert len(notebook_weights) == len(app_weights)
    for mine, theirs in zip(notebook_weights, app_weights, strict=True):
        np.testing.assert_array_equal(np.asarray(mine, dtype=np.float32), theirs)


SMALL_FIT = nw.FitSettings(hidden_units=8, epochs=30, seed=7)


def test_the_fit_notebook_is_the_apps_experiment(tmp_path, monkeypatch):
    target = tg.TargetSettings(target=tg.FORMULA, formula="sin(3*x) + x**2", samples=32)
    cells = after(
        lab.notebook_cells(SMALL_FIT, target),
        "model = build_network(",
        "initial = [w.tolist() for w in model.get_weights()]",
    )
    cells.append(
        code(
            'json.dump({"initial": initial, "loss": history.history["loss"][-1], '
            '"mse": float(errors["mse"])}, open("results.json", "w"))'
        )
    )
    result, printed = run_outside_the_repository(cells, tmp_path, monkeypatch)
    assert "MSE" in printed

    points = tg.target_points(target)
    trainer = nw.fit_trainer(SMALL_FIT, points)  # what By training trains
    assert_same_weights(result["initial"], trainer.model.get_weights())
    nw.train_to_end(trainer)
    assert trainer.status == "finished"
    app_mse = tg.approximation_errors(nw.predict(trainer.model, points.x), points.y)["mse"]
    assert result["loss"] == pytest.approx(trainer.history[-1]["loss"], rel=TOLERANCE)
    assert result["mse"] == pytest.approx(app_mse, rel=TOLERANCE)


def test_the_sweep_notebook_is_the_apps_width_sweep(tmp_path, monkeypatch):
    target = tg.TargetSettings(target="wiggly", samples=32)
    settings = sweep.SweepSettings(widths="8, 2", epochs=30)
    cells = after(
        lab.sweep_notebook_cells(settings, SMALL_FIT, target),
        "models = {",
        "initial = {units: [w.tolist() for w in m.get_weights()] for units, m in models.items()}",
    )
    cells.append(
        code(
            'json.dump({"initial": initial, "results": results.to_dict("list")}, '
            'open("results.json", "w"))'
        )
    )
    result, printed = run_outside_the_repository(cells, tmp_path, monkeypatch)
    lines = [line for line in printed.splitlines() if "hidden units" in line]
    assert len(lines) == 2
    for line, units in zip(lines, (2, 8), strict=True):  # in increasing order, as parsed
        assert line.startswith(f"{units} hidden units, {nw.parameter_count((units,))} parameters")
        assert "MSE" in line and "max |y_hat - y|" in line

    points = tg.target_points(target)
    widths = sweep.parse_widths(settings.widths)
    for units in widths:
        app = nw.network_trainer((units,), SMALL_FIT, points, settings.epochs).model
        assert_same_weights(result["initial"][str(units)], app.get_weights())
    table = sweep.run_sweep(
        sweep.width_sweep_training(points, widths, SMALL_FIT, settings.epochs)
    ).table()
    assert result["results"]["hidden_units"] == list(table["hidden_units"])
    assert result["results"]["parameters"] == list(table["parameters"])
    np.testing.assert_allclose(result["results"]["mse"], table["mse"], rtol=TOLERANCE)
    np.testing.assert_allclose(result["results"]["max_error"], table["max_error"], rtol=1e-2)


def test_the_depth_notebook_is_the_apps_comparison(tmp_path, monkeypatch):
    target = tg.TargetSettings(target="|x|", samples=32)
    settings = sweep.DepthSettings(budget=60, epochs=30)
    fit = nw.FitSettings(activation="relu", optimizer="sgd", learning_rate=0.01, seed=2)
    cells = after(
        lab.depth_notebook_cells(settings, fit, target),
        "models = [",
        "initial = [[w.tolist() for w in m.get_weights()] for m in models]",
    )
    cells.append(
        code(
            'json.dump({"initial": initial, "summary": summary.to_dict("list")}, '
            'open("results.json", "w"))'
        )
    )
    result, printed = run_outside_the_repository(cells, tmp_path, monkeypatch)
    lines = [line for line in printed.splitlines() if "hidden layer" in line]
    assert len(lines) == 3
    for line, hidden_layers in zip(lines, (1, 2, 3), strict=True):
        layers = sweep.layers_for_budget(60, hidden_layers)
        widths = " × ".join(map(str, layers))
        assert f"hidden layer{'s' * (hidden_layers > 1)} ({widths}): " in line
        assert f": {nw.parameter_count(layers)} parameters, MSE" in line

    points = tg.target_points(target)
    training = sweep.depth_training(points, settings, fit)
    for initial, layers in zip(result["initial"], training.networks, strict=True):
        app = nw.network_trainer(layers, fit, points, settings.epochs).model
        assert_same_weights(initial, app.get_weights())
    summary = sweep.run_sweep(training).table()
    assert result["summary"]["layers"] == list(summary["layers"])
    np.testing.assert_allclose(result["summary"]["mse"], summary["mse"], rtol=TOLERANCE)


# -- what the notebooks are made of ------------------------------------------------------------

ALL_NOTEBOOKS = {
    "fit": lambda fit, target: lab.notebook_cells(fit, target),
    "sweep": lambda fit, target: lab.sweep_notebook_cells(sweep.SweepSettings(), fit, target),
    "depth": lambda fit, target: lab.depth_notebook_cells(sweep.DepthSettings(), fit, target),
}


@pytest.mark.parametrize("name", list(ALL_NOTEBOOKS))
def test_every_notebook_shows_the_apps_own_functions(name):
    fit = nw.FitSettings(seed=7, optimizer="rmsprop")
    cells = ALL_NOTEBOOKS[name](fit, tg.TargetSettings(target=tg.CSV))
    source = "\n".join(cell.source for cell in cells if cell.kind == "code")
    for function in (
        seed_sequence,
        nw.input_scaling,
        nw.build_network,
        nw.as_columns,
        nw.predict,
        tg.approximation_errors,
    ):
        assert inspect.getsource(function).strip() in source, function.__name__
    assert "SEED = 7" in source and "OPTIMIZER = 'rmsprop'" in source
    assert "course_lib" not in source
    assert "uses sin(x) instead" in cells[0].source  # an uploaded CSV falls back to sin
    assert "y = np.sin(x)" in source
    assert all(defs_are_the_apps(cell) for cell in cells)


def defs_are_the_apps(cell: Cell) -> bool:
    """A ``def`` in a notebook cell is always the source of one of the app's functions."""
    if cell.kind != "code" or "def " not in cell.source:
        return True
    defined = [
        node.name for node in ast.parse(cell.source).body if isinstance(node, ast.FunctionDef)
    ]
    ours = {
        f.__name__: f
        for f in (
            seed_sequence,
            nw.input_scaling,
            nw.build_network,
            nw.as_columns,
            nw.predict,
            nw.parameter_count,
            tg.approximation_errors,
            sweep.width_row,
            sweep.depth_row,
            charts.sweep_chart,
        )
    }
    return all(inspect.getsource(ours[name]).strip() in cell.source for name in defined)


@pytest.mark.parametrize("target", list(tg.TARGETS))
def test_notebook_sources_compute_the_menu_targets(target):
    chosen = tg.TARGETS[target]
    x = np.linspace(chosen.low, chosen.high, 101)
    namespace = {"np": np, "x": x}
    exec(compile(f"y = {chosen.source}", "<target>", "exec"), namespace)  # our own code
    np.testing.assert_allclose(namespace["y"], chosen.function(x))


@pytest.mark.parametrize("budget", [20, 60, 200, 5000])
def test_the_depth_notebook_writes_the_widths_of_layers_for_budget(budget):
    cells = lab.depth_notebook_cells(sweep.DepthSettings(budget=budget), nw.FitSettings())
    (line,) = [
        line
        for cell in cells
        if cell.kind == "code"
        for line in cell.source.splitlines()
        if line.startswith("HIDDEN_LAYERS = ")
    ]
    written = ast.literal_eval(line.removeprefix("HIDDEN_LAYERS = "))
    assert written == [sweep.layers_for_budget(budget, depth) for depth in (1, 2, 3)]
    source = "".join(cell.source for cell in cells)
    assert all(formula in source for formula in lesson.DEPTH_FORMULAS)


def test_a_typed_formula_becomes_numpy_code_in_the_notebook():
    target = tg.TargetSettings(target=tg.FORMULA, formula="sin(3*x) + x**2")
    source = "".join(cell.source for cell in lab.notebook_cells(nw.FitSettings(), target))
    assert "np.sin(3 * x) + x ** 2" in source
