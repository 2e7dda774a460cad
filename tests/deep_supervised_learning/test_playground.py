"""course_lib.deep_supervised_learning.playground: data sets, CSV checks, the model builder, the exported script."""

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pytest

from course_lib.deep_supervised_learning import playground as pg
from course_lib.settings import validate

GENERATED = [name for name in pg.DATASETS if name != "your CSV"]


def settings(**changes) -> pg.PlaygroundSettings:
    return dataclasses.replace(pg.PlaygroundSettings(), **changes)


# -- data sets -------------------------------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sets_have_the_asked_shapes_and_balanced_classes(name):
    data = pg.make_dataset(settings(dataset=name, samples=301, test_fraction=0.25, classes=4))
    classes = 4 if name == "Gaussian blobs" else 2
    assert data.classes == classes
    assert data.x_train.shape[1] == 2 and data.x_test.shape[1] == 2
    assert len(data.x_train) + len(data.x_test) == 301
    assert len(data.x_test) == pytest.approx(0.25 * 301, abs=classes)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int32
    labels = np.concatenate([data.y_train, data.y_test])
    counts = np.bincount(labels, minlength=classes)
    assert counts.max() - counts.min() <= 1  # as even as 301 points allow
    # each class keeps its share in the test set (stratified split)
    test_counts = np.bincount(data.y_test, minlength=classes)
    assert test_counts.max() - test_counts.min() <= 1
    assert not data.x_train.flags.writeable  # shared by all sessions through the cache


@pytest.mark.parametrize("name", GENERATED)
def test_the_seed_fixes_the_points(name):
    first = pg.make_dataset(settings(dataset=name, seed=3))
    again = pg._generated.__wrapped__(name, 400, 0.1, 3 if name == "Gaussian blobs" else 2, 0.3, 3)
    other = pg.make_dataset(settings(dataset=name, seed=4))
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.x_train, other.x_train)


def test_noise_free_sets_have_their_shape():
    spirals = pg.make_dataset(settings(dataset="two spirals", noise=0.0, samples=200))
    radius = np.hypot(*spirals.x_train.T)
    assert radius.min() >= 0.1 - 1e-6 and radius.max() <= 1.5 + 1e-6
    circles = pg.make_dataset(settings(dataset="circles", noise=0.0))
    radius = np.hypot(*circles.x_train.T)
    np.testing.assert_allclose(radius, np.where(circles.y_train == 0, 1.0, 0.5), atol=1e-6)
    xor = pg.make_dataset(settings(dataset="XOR", noise=0.0))
    product = xor.x_train[:, 0] * xor.x_train[:, 1]
    assert np.all((product < 0) == (xor.y_train == 1))


def test_unused_layers_do_not_change_the_settings():
    values = dataclasses.asdict(settings(hidden_layers=2))
    values["hidden_units_5"], values["activation_6"] = 512, "relu"
    assert pg.settings_from_values(values) == settings(hidden_layers=2)
    values["hidden_layers"] = 6
    assert pg.settings_from_values(values).layers[4:] == ((512, "tanh"), (8, "relu"))


def test_presets_are_valid_settings():
    for item in pg.PRESETS:
        validate(pg.preset_settings(item.name))
    deep = pg.preset_settings("deep enough")
    assert deep.dataset == "two spirals" and deep.hidden_layers >= 3


# -- CSV uploads -----------------------------------------------------------------------


def csv(rows, header="x1,x2,label") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def good_rows(n=40, classes=2):
    rng = np.random.default_rng(0)
    return [f"{rng.normal():.4f},{rng.normal():.4f},{i % classes}" for i in range(n)]


def test_a_good_csv_loads_standardised_with_named_classes():
    rows = [f"{x},{2 * x},{'cat' if x % 2 else 'dog'}" for x in range(100)]
    data = pg.load_csv(csv(rows, header="X1, x2 ,Label"), test_fraction=0.2)
    assert data.class_names == ("cat", "dog")
    assert len(data.x_train) + len(data.x_test) == 100
    points = np.concatenate([data.x_train, data.x_test])
    np.testing.assert_allclose(points.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(points.std(axis=0), 1, atol=1e-5)


def test_numeric_labels_are_ordered_as_numbers():
    rows = [f"{i},{i},{label}" for i, label in enumerate([10, 2, 1] * 5)]
    assert pg.load_csv(csv(rows)).class_names == ("1", "2", "10")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (csv(good_rows(), header="a,b,c"), "Missing column(s) x1, x2, label"),
        (csv(["1,2,0", "hello,3,1", *good_rows()]), "row 3"),
        (csv([f"{i},{i},same" for i in range(20)]), "same label"),
        (csv([f"{i},{i},{i}" for i in range(30)]), "30 different values"),
        (b"\xff\xfe\x00\x01binary", "not a text file"),
        (b"", "could not be read"),
        (csv(["1,2,0", "3,4,1", "5,6,1"]), "single point"),
        (csv(["nan,1,0", "inf,2,1"]), "no complete rows"),
    ],
    ids=[
        "columns",
        "non-numeric",
        "one-class",
        "too-many-classes",
        "binary",
        "empty",
        "lonely-class",
        "only-nan",
    ],
)
def test_hostile_csvs_get_a_plain_message(data, words):
    with pytest.raises(pg.CsvProblem, match=None) as problem:
        pg.load_csv(data)
    assert words in str(problem.value)


def test_nan_and_inf_rows_are_dropped_with_a_note():
    rows = [*good_rows(40), "nan,1,0", "1,inf,1", ",2,0", "1,-inf,1", "1,2,"]
    data = pg.load_csv(csv(rows))
    assert len(data.x_train) + len(data.x_test) == 40
    assert np.isfinite(data.x_train).all()
    assert any("Dropped 5 row(s)" in note for note in data.notes)


def test_a_million_rows_are_down_sampled_keeping_the_class_shares():
    rng = np.random.default_rng(1)
    n = 10**6
    labels = np.where(rng.uniform(size=n) < 0.8, 0, 1)
    body = "\n".join(
        f"{a:.3f},{b:.3f},{c}"
        for a, b, c in zip(rng.normal(size=n), rng.normal(size=n), labels, strict=True)
    )
    data = pg.load_csv(("x1,x2,label\n" + body).encode())
    total = len(data.x_train) + len(data.x_test)
    assert total <= pg.MAX_CSV_ROWS
    share = np.concatenate([data.y_train, data.y_test]).mean()
    assert share == pytest.approx(0.2, abs=0.03)
    assert any("1,000,000 points" in note for note in data.notes)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(pg.CsvProblem, match="MB"):
        pg.load_csv(b"0" * (pg.MAX_CSV_BYTES + 1))


# -- the model -------------------------------------------------------------------------

ARCHITECTURES = [
    {},
    {"hidden_layers": 1, "hidden_units_1": 1, "activation_1": "linear"},
    {"hidden_layers": 3, "hidden_units_2": 32, "batch_norm": True, "dropout": 0.2},
    {"hidden_layers": 6, "hidden_units_3": 512, "l1": 1e-4, "l2": 1e-3, "optimizer": "RMSprop"},
]


@pytest.mark.parametrize("changes", ARCHITECTURES)
@pytest.mark.parametrize("classes", [2, 5])
def test_parameter_count_matches_keras(changes, classes):
    choice = settings(**changes)
    model = pg.build_model(choice, classes)
    count = pg.parameter_count(choice, classes)
    assert count["total"] == model.count_params()
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert count["trainable"] == trainable
    assert model.output_shape == (None, classes)


def test_the_builder_honours_each_layer_and_the_seed():
    choice = settings(hidden_layers=3, hidden_units_2=5, activation_3="sigmoid")
    model = pg.build_model(choice, 2)
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    assert [layer.activation.__name__ for layer in hidden] == ["tanh", "tanh", "sigmoid"]
    assert model.get_layer("dense_2").units == 5
    again = pg.build_model(choice, 2)
    for a, b in zip(model.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    other = pg.build_model(dataclasses.replace(choice, seed=1), 2)
    assert not np.array_equal(model.get_weights()[0], other.get_weights()[0])


@pytest.mark.parametrize("name", pg.OPTIMIZERS)
def test_every_optimizer_is_built(name):
    optimizer = pg.make_optimizer(name, 0.05)
    assert float(optimizer.learning_rate) == pytest.approx(0.05)
    assert (getattr(optimizer, "momentum", 0.0) == pg.MOMENTUM) == (name == "SGD+momentum")


def test_a_huge_network_gets_short_epochs_and_a_small_one_full_passes():
    big = settings(hidden_layers=6, **{f"hidden_units_{i}": 512 for i in range(1, 7)}, batch_size=1)
    assert pg.seconds_per_epoch(big, 1400, 2) > pg.MAX_EPOCH_SECONDS
    steps = pg.steps_per_epoch(big, 1400, 2)
    assert steps is not None and 1 <= steps < 1400
    assert pg.steps_per_epoch(settings(), 280, 2) is None


# -- training and what is drawn ----------------------------------------------------------


def test_training_records_gradient_norms_per_layer_and_learns():
    choice = settings(dataset="XOR", hidden_layers=2, hidden_units_1=16, epochs=15, samples=200)
    data = pg.make_dataset(choice)
    trainer = pg.make_trainer(choice, data)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    assert trainer.epochs_done == 15
    first = trainer.history[0]
    assert {"grad_norm_1", "grad_norm_2", "grad_norm_output"} <= set(first)
    assert all(first[k] > 0 for k in first if k.startswith("grad_norm_"))
    assert trainer.history[-1]["val_accuracy"] > 0.75
    frame = pg.gradient_frame(trainer.history)
    assert set(frame["layer"]) == {"layer 1", "layer 2", "output"}


def test_a_deep_sigmoid_net_has_vanishing_gradients():
    choice = pg.preset_settings("vanishing gradients")
    data = pg.make_dataset(choice)
    hook = pg.GradientNorms(data.x_train, data.y_train)
    row = {"epoch": 1}
    hook(pg.build_model(choice, data.classes), row)
    assert row["grad_norm_1"] < row["grad_norm_6"] / 10


def test_a_too_large_learning_rate_is_stopped_with_an_explanation():
    choice = dataclasses.replace(pg.preset_settings("learning rate too large"), epochs=30)
    trainer = pg.make_trainer(choice, pg.make_dataset(choice))
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5)
    assert trainer.status == "diverged"
    assert "learning rate" in trainer.message


def test_boundary_and_neuron_frames_cover_the_grid():
    choice = settings(dataset="Gaussian blobs", classes=4, hidden_units_1=3)
    data = pg.make_dataset(choice)
    model = pg.build_model(choice, data.classes)
    frame = pg.boundary_frame(model, data, resolution=20)
    assert len(frame) == 400
    assert set(frame["predicted"]) <= set(data.class_names)
    assert frame["confidence"].between(1 / 4 - 1e-6, 1 + 1e-6).all()
    chart = pg.boundary_chart(frame, data).to_dict()
    assert len(chart["layer"]) == 2
    neurons = pg.neuron_frame(model, data, resolution=10, max_neurons=8)
    # layer 1 has 3 neurons, layer 2 the default 8
    assert len(neurons) == (3 + 8) * 100
    assert neurons["scaled"].between(-1 - 1e-6, 1 + 1e-6).all()
    pg.neuron_chart(neurons).to_dict()


# -- the exported script ---------------------------------------------------------------


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
    output = run_script(tmp_path, pg.keras_script(choice))
    data = pg.make_dataset(choice)
    assert (
        f"{len(data.x_train)} training points, {len(data.x_test)} test points, 3 classes" in output
    )
    assert f"parameters: {pg.parameter_count(choice, 3)['total']}" in output
    assert "Epoch 2/2" in output and "test accuracy" in output


def test_the_exported_script_reads_a_csv(tmp_path):
    (tmp_path / "mine.csv").write_text(csv(good_rows(60, classes=3)).decode())
    choice = settings(dataset="your CSV", epochs=2)
    output = run_script(tmp_path, pg.keras_script(choice, csv_name="mine.csv"))
    assert "3 classes" in output and "test accuracy" in output


# -- classroom: walkthrough, quiz, notebook ----------------------------------------------


def test_walkthrough_steps_are_valid_settings():
    assert 4 <= len(pg.WALKTHROUGH) <= 8
    for step in pg.WALKTHROUGH:
        assert step.title and step.text.count(".") >= 2
        validate(dataclasses.replace(pg.PlaygroundSettings(), **step.preset))
    regularised = pg.WALKTHROUGH[-2].preset
    assert regularised["dropout"] > 0 and regularised["l2"] > 0


def test_quiz_questions_have_valid_answers():
    assert 3 <= len(pg.QUIZ) <= 5
    for question in pg.QUIZ:
        assert 0 <= question.answer < len(question.options)
        assert question.explanation
    # the parameter-count question agrees with the page's count
    counting = next(q for q in pg.QUIZ if "How many parameters" in q.prompt)
    expected = pg.parameter_count(settings(hidden_layers=1, hidden_units_1=8), 2)["total"]
    assert counting.options[counting.answer] == str(expected)


def test_the_notebook_runs_headless(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    from course_lib.classroom import notebook

    choice = settings(dataset="circles", samples=80, epochs=2, hidden_layers=2)
    book = nbformat.reads(
        notebook(pg.notebook_cells(choice), title="Playground").decode(), as_version=4
    )
    nbclient.NotebookClient(book, timeout=240, kernel_name="python3").execute(cwd=str(tmp_path))
    outputs = "".join(
        output.get("text", "") for cell in book.cells for output in cell.get("outputs", [])
    )
    assert "test accuracy" in outputs
    assert f"parameters: {pg.parameter_count(choice, 2)['total']}" in outputs
