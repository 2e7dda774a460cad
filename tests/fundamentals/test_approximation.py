"""Universal approximation: targets, uploaded points, bumps by hand, training, sweeps."""

import math

import numpy as np
import pytest

from course_lib.classroom import preset_field
from course_lib.fundamentals import approximation as ap
from course_lib.settings import validate


def sin_points(samples: int = 256) -> ap.Points:
    return ap.target_points(ap.TargetSettings(target="sin", samples=samples))


# -- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ap.TARGETS))
def test_every_menu_target_is_finite_on_its_interval(name):
    points = ap.target_points(ap.TargetSettings(target=name, samples=100))
    target = ap.TARGETS[name]
    assert points.x.shape == points.y.shape == (100,)
    assert points.low == target.low and points.high == target.high
    assert np.all(np.isfinite(points.y)) and np.ptp(points.y) > 0


def test_a_typed_formula_is_sampled_on_its_interval():
    points = ap.target_points(
        ap.TargetSettings(target=ap.FORMULA, formula="sin(3*x) + x**2", low=-1, high=2, samples=50)
    )
    np.testing.assert_allclose(points.y, np.sin(3 * points.x) + points.x**2)
    assert (points.low, points.high) == (-1, 2)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            ap.TargetSettings(target=ap.FORMULA, formula="1/x", low=-1, high=1, samples=201),
            "Division by zero",
        ),
        (ap.TargetSettings(target=ap.FORMULA, formula="x.real"), "Attribute"),
        (ap.TargetSettings(target=ap.FORMULA, low=2, high=1), "left end"),
        (ap.TargetSettings(target=ap.CSV), "Upload a CSV"),
    ],
)
def test_unusable_targets_raise_a_plain_message(settings, message):
    with pytest.raises(ValueError, match=message):
        ap.target_points(settings)


def test_settings_defaults_are_valid():
    for settings in (
        ap.TargetSettings(),
        ap.HandSettings(),
        ap.FitSettings(),
        ap.SweepSettings(),
        ap.DepthSettings(),
    ):
        validate(settings)


# -- uploaded CSV -------------------------------------------------------------------------


def test_csv_with_a_header_is_read_and_sorted():
    points, notices = ap.read_csv_points(b"x,y\n0.5,1\n0,0\n1,2\n0.25,0.5\n0.75,1.5\n")
    np.testing.assert_allclose(points.x, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(points.y, 2 * points.x)
    assert notices == []


def test_csv_without_header_and_extra_columns_uses_the_first_two():
    rows = "\n".join(f"{i},{i * i},extra" for i in range(6)).encode()
    points, notices = ap.read_csv_points(rows)
    np.testing.assert_allclose(points.y, points.x**2)
    assert "first two" in notices[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "no rows"),
        (b"x\n1\n2\n3\n4\n5\n", "one column"),
        (b"x,y\n1,2\n2,abc\n3,4\n4,5\n5,6\n", "row 3, column y holds 'abc'"),
        (b"1,2\n2,\n3,4\n4,5\n5,6\n", "missing"),
        (b"1,2\n2,nan\n3,4\n4,5\n5,6\n", "missing"),
        (b"1,2\n2,inf\n3,4\n4,5\n5,6\n", "infinite"),
        (b"1,2\n1,3\n3,4\n4,5\n5,6\n", "x = 1 appears more than once"),
        (b"1,2\n2,3\n", "at least 5"),
        (b"x,y\n", "no data rows"),
        (b"\xff\xfe\x00garbage", "not a text"),
    ],
)
def test_bad_csv_files_get_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        ap.read_csv_points(data, "data.csv")


def test_a_million_rows_are_down_sampled_evenly():
    x = np.linspace(0, 1, 1_000_000)
    text = "\n".join(f"{a:.7f},{b:.5f}" for a, b in zip(x, np.sin(6 * x), strict=True))
    points, notices = ap.read_csv_points(text.encode())
    assert len(points.x) == ap.MAX_POINTS
    assert points.low == 0 and points.high == 1
    assert "1,000,000 points" in notices[0]
    np.testing.assert_allclose(points.y, np.sin(6 * points.x), atol=1e-4)


def test_too_big_a_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(ap, "MAX_CSV_BYTES", 100)
    with pytest.raises(ValueError, match="at most"):
        ap.read_csv_points(b"1,2\n" * 100)


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


# -- by training --------------------------------------------------------------------------


def test_64_tanh_units_fit_sin_to_mse_below_1e_3():
    points = sin_points()
    trainer = ap.train_to_end(ap.fit_trainer(ap.FitSettings(), points))  # the defaults
    assert trainer.status == "finished"
    y_hat, shares = ap.network_parts(trainer.model, points.x)
    assert ap.approximation_errors(y_hat, points.y)["mse"] < 1e-3
    # the numpy view of the network is the Keras model itself
    np.testing.assert_allclose(y_hat, ap.predict(trainer.model, points.x), atol=1e-5)
    assert shares.shape == (256, 64)


def test_too_large_a_learning_rate_diverges_with_an_explanation():
    settings = ap.FitSettings(optimizer="sgd", learning_rate=10.0, epochs=50)
    trainer = ap.train_to_end(ap.fit_trainer(settings, sin_points(64)))
    assert trainer.status == "diverged"
    assert "learning rate" in trainer.message


@pytest.mark.parametrize(
    ("text", "expected"), [("1, 4, 16", (1, 4, 16)), ("16;4;4,1", (1, 4, 16)), ("512", (512,))]
)
def test_widths_are_parsed(text, expected):
    assert ap.parse_widths(text) == expected


@pytest.mark.parametrize("text", ["", "a, b", "0, 4", "1000", ",".join(map(str, range(1, 13)))])
def test_bad_widths_are_refused(text):
    with pytest.raises(ValueError):
        ap.parse_widths(text)


def test_width_sweep_reports_one_row_per_width_and_wider_fits_better():
    progress = []
    frame = ap.width_sweep(
        sin_points(64),
        (1, 32),
        ap.FitSettings(),
        epochs=150,
        on_progress=lambda p, text: progress.append(p),
    )
    assert list(frame["hidden_units"]) == [1, 32]
    assert list(frame["parameters"]) == [4, 97]
    assert frame["mse"].iloc[1] < frame["mse"].iloc[0] / 10
    assert progress and 0 < progress[-1] <= 1


def test_depths_share_a_parameter_budget():
    for depth in (1, 2, 3):
        layers = ap.layers_for_budget(200, depth)
        assert len(layers) == depth
        assert abs(ap.parameter_count(layers) - 200) < 0.25 * 200
    assert ap.parameter_count((12, 12)) == 12 * 2 + 12 * 13 + 13


def test_compare_depths_fits_one_two_and_three_layers():
    summary, curves = ap.compare_depths(
        sin_points(64), ap.DepthSettings(budget=60, epochs=30), ap.FitSettings()
    )
    assert list(summary["hidden_layers"]) == [1, 2, 3]
    assert set(curves["curve"]) == {"target", "network"}
    assert np.all(np.isfinite(summary["mse"]))


# -- classroom ----------------------------------------------------------------------------


def test_the_large_step_of_the_walkthrough_really_diverges():
    import dataclasses

    step = next(step for step in ap.WALKTHROUGH if step.title == "Too large a step")
    parts = {}
    for name, value in step.preset.items():
        settings_class, _, field = preset_field(ap.PAGE_SETTINGS, name)
        parts.setdefault(settings_class, {})[field] = value
    assert set(parts) == {ap.TargetSettings, ap.FitSettings}
    fit = dataclasses.replace(ap.FitSettings(**parts[ap.FitSettings]), epochs=40)
    points = ap.target_points(ap.TargetSettings(**parts[ap.TargetSettings]))
    trainer = ap.train_to_end(ap.fit_trainer(fit, points))
    assert trainer.status == "diverged"


def test_quiz_questions_have_their_answer_among_the_options():
    assert 3 <= len(ap.QUIZ) <= 5
    for question in ap.QUIZ:
        assert question.check(question.answer)
        assert len(set(question.options)) == len(question.options)


@pytest.mark.parametrize("target", list(ap.TARGETS))
def test_notebook_sources_compute_the_menu_targets(target):
    chosen = ap.TARGETS[target]
    x = np.linspace(chosen.low, chosen.high, 101)
    namespace = {"np": np, "x": x}
    exec(compile(f"y = {chosen.source}", "<target>", "exec"), namespace)  # our own code
    np.testing.assert_allclose(namespace["y"], chosen.function(x))


def run_notebook(cells) -> tuple[str, str]:
    """Execute the cells headless as one notebook: (what it printed, all its source)."""
    import nbformat
    from nbclient import NotebookClient

    from course_lib.classroom import notebook

    book = nbformat.reads(notebook(cells, title="Fundamentals").decode(), as_version=4)
    NotebookClient(book, timeout=180, kernel_name="python3").execute()
    printed = "".join(
        output.get("text", "")
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    return printed, "".join(cell.source for cell in book.cells)


def test_the_notebook_runs_headless_on_small_settings():
    target = ap.TargetSettings(target=ap.FORMULA, formula="sin(3*x) + x**2", samples=32)
    printed, source = run_notebook(
        ap.notebook_cells(ap.FitSettings(hidden_units=8, epochs=5), target)
    )
    assert "MSE" in printed
    assert "np.sin(3 * x) + x ** 2" in source


def printed_lines(printed: str, containing: str) -> list[str]:
    return [line for line in printed.splitlines() if containing in line]


def test_the_sweep_notebook_trains_one_network_per_width():
    target = ap.TargetSettings(target=ap.FORMULA, formula="sin(3*x) + x**2", samples=32)
    sweep = ap.SweepSettings(widths="8, 2", epochs=5)
    printed, source = run_notebook(ap.sweep_notebook_cells(sweep, ap.FitSettings(), target))
    lines = printed_lines(printed, "hidden units")
    assert len(lines) == 2
    for line, units in zip(lines, (2, 8), strict=True):  # in increasing order, as parsed
        assert line.startswith(f"{units} hidden units, {ap.parameter_count((units,))} parameters")
        assert "MSE" in line and "max |y_hat - y|" in line
    assert "np.sin(3 * x) + x ** 2" in source and 'scale=alt.Scale(type="log")' in source


def test_the_depth_notebook_trains_one_two_and_three_hidden_layers():
    target = ap.TargetSettings(target="|x|", samples=32)
    depth = ap.DepthSettings(budget=60, epochs=5)
    fit = ap.FitSettings(activation="relu", optimizer="sgd", learning_rate=0.01)
    printed, source = run_notebook(ap.depth_notebook_cells(depth, fit, target))
    lines = printed_lines(printed, "hidden layer")
    assert len(lines) == 3
    for line, hidden_layers in zip(lines, (1, 2, 3), strict=True):
        layers = ap.layers_for_budget(60, hidden_layers)
        widths = " × ".join(map(str, layers))
        assert f"hidden layer{'s' * (hidden_layers > 1)} ({widths}): " in line
        assert f": {ap.parameter_count(layers)} parameters, MSE" in line
    assert all(formula in source for formula in ap.DEPTH_FORMULAS)


@pytest.mark.parametrize("budget", [20, 60, 200, 5000])
def test_the_depth_notebook_writes_the_widths_of_layers_for_budget(budget):
    import ast

    cells = ap.depth_notebook_cells(ap.DepthSettings(budget=budget), ap.FitSettings())
    (line,) = [
        line
        for cell in cells
        if cell.kind == "code"
        for line in cell.source.splitlines()
        if line.startswith("HIDDEN_LAYERS = ")
    ]
    written = ast.literal_eval(line.removeprefix("HIDDEN_LAYERS = "))
    assert written == [ap.layers_for_budget(budget, depth) for depth in (1, 2, 3)]


@pytest.mark.parametrize("make", [ap.sweep_notebook_cells, ap.depth_notebook_cells])
def test_every_notebook_shares_the_data_and_the_model(make):
    target = ap.TargetSettings(target=ap.CSV)
    settings = ap.SweepSettings() if make is ap.sweep_notebook_cells else ap.DepthSettings()
    cells = make(settings, ap.FitSettings(seed=7, optimizer="rmsprop"), target)
    reference = ap.notebook_cells(ap.FitSettings(seed=7, optimizer="rmsprop"), target)
    assert "uses sin(x) instead" in cells[0].source
    assert cells[1:4] == reference[1:4]  # imports, then the same data
    model = cells[5].source

    def build_model(source: str) -> str:
        return source[source.index("def build_model") : source.index("return model")]

    assert build_model(model) == build_model(reference[5].source)
    assert "SEED = 7" in model and "keras.optimizers.RMSprop(LEARNING_RATE)" in model


def test_an_uploaded_csv_notebook_falls_back_to_sin_and_says_so():
    cells = ap.notebook_cells(ap.FitSettings(), ap.TargetSettings(target=ap.CSV))
    assert "uses sin(x) instead" in cells[0].source
    assert "np.sin(x)" in cells[3].source


@pytest.mark.parametrize("layers", [(8,), (5, 4, 3)])
def test_the_notebooks_network_starts_from_the_apps_initial_weights(layers):
    """The notebook's build_model is the app's build_network, initial weights and all."""
    import keras

    fit = ap.FitSettings(activation="tanh", seed=7)
    target = ap.TargetSettings(target="wiggly")
    cells = ap.depth_notebook_cells(ap.DepthSettings(budget=60, epochs=5), fit, target)
    namespace = {}
    for cell in cells:
        if cell.kind == "code" and (
            "import keras" in cell.source or "def build_model" in cell.source
        ):
            # our own generated code: the imports, then the settings and build_model
            exec(compile(cell.source, "<notebook>", "exec"), namespace)  # noqa: S102
    chosen = ap.TARGETS["wiggly"]
    ours = namespace["build_model"](layers)
    apps = ap.build_network(
        layers, "tanh", low=chosen.low, high=chosen.high, learning_rate=fit.learning_rate, seed=7
    )
    assert len(ours.get_weights()) == len(apps.get_weights()) == 2 * len(layers) + 2
    for mine, theirs in zip(ours.get_weights(), apps.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    keras.backend.clear_session()
