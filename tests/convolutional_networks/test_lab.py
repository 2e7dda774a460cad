"""The lab notebook is the page's experiment: run outside the repository, it starts from the
page's exact initial weights and ends at the page's loss and test accuracy."""

import dataclasses
import json

import nbformat
import numpy as np
import pytest

from course_lib import classroom
from course_lib.convolutional_networks import lab, probe, training
from course_lib.convolutional_networks.model import CNNSettings, build_cnn

#: How close the notebook's results must be to the live trainer's. Same weights, same
#: batches in the same order, same seeded dropout and augmentation: only float rounding
#: (a different batching of the validation images) may differ.
LOSS_TOLERANCE = 1e-4
ACCURACY_TOLERANCE = 1e-6


def source(cells) -> str:
    return "\n".join(cell.source for cell in cells)


def run_outside_the_repo(settings: CNNSettings, folder, monkeypatch) -> dict:
    """Execute the notebook in an empty folder where ``course_lib`` cannot be imported.

    Cells the test adds: a check that ``course_lib`` is out of reach, the initial weights
    saved right after the model is built, and the results written to ``result.json``.
    """
    from nbclient import NotebookClient

    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.chdir(folder)
    book = nbformat.reads(
        classroom.notebook(lab.notebook_cells(settings), title="CNN").decode(), as_version=4
    )
    new = nbformat.v4.new_code_cell
    built = next(
        i for i, cell in enumerate(book.cells) if cell.source.startswith("model = build_model(")
    )
    book.cells.insert(built + 1, new('np.savez("initial.npz", *model.get_weights())'))
    book.cells.insert(
        1,
        new(
            "import importlib.util, sys\n"
            'assert importlib.util.find_spec("course_lib") is None, sys.path'
        ),
    )
    book.cells.append(
        new(
            "import json\n"
            'json.dump({"loss": history.history["loss"][-1], '
            '"epochs": len(history.history["loss"]), '
            '"test_accuracy": result.accuracy}, open("result.json", "w"))'
        )
    )
    NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    result = json.loads((folder / "result.json").read_text())
    result["outputs"] = " ".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    with np.load(folder / "initial.npz") as saved:
        result["initial"] = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    return result


def the_page(settings: CNNSettings, dataset) -> dict:
    """The page's own run: the live trainer, chunk by chunk, then the test accuracy."""
    trainer = training.make_trainer(settings, dataset)
    initial = trainer.model.get_weights()
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=1.0)  # many chunks, like the page
    return {
        "initial": initial,
        "loss": trainer.history[-1]["loss"],
        "epochs": trainer.epochs_done,
        "test_accuracy": probe.evaluate(trainer.model, dataset).accuracy,
    }


def assert_same_experiment(notebook: dict, page: dict) -> None:
    assert len(notebook["initial"]) == len(page["initial"])
    for ours, theirs in zip(notebook["initial"], page["initial"], strict=True):
        np.testing.assert_array_equal(ours, theirs)  # the exact initial weights
    assert notebook["epochs"] == page["epochs"]
    assert notebook["loss"] == pytest.approx(page["loss"], rel=LOSS_TOLERANCE)
    assert notebook["test_accuracy"] == pytest.approx(page["test_accuracy"], abs=ACCURACY_TOLERANCE)


def test_the_digits_notebook_is_the_pages_experiment(tmp_path, monkeypatch):
    small = CNNSettings(epochs=3, filters=8, dense_units=16, dropout=0.25, seed=3)
    notebook = run_outside_the_repo(small, tmp_path, monkeypatch)
    assert_same_experiment(notebook, the_page(small, training.load_images("digits")))
    assert "test accuracy:" in notebook["outputs"]
    expected = build_cnn(small, (8, 8, 1), 10, compile_model=False).count_params()
    assert f"{expected:,}" in notebook["outputs"]  # model.summary's total


@pytest.fixture
def small_cifar10(monkeypatch, tmp_path):
    """A tiny local CIFAR-10 (random pixels) in the Keras cache: both sides read it, offline.

    (``datasets._download`` is not patched: the notebook inlines its source.)
    """
    home = tmp_path / "keras"
    (home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))  # the notebook's kernel inherits it
    rng = np.random.default_rng(0)
    np.savez(
        home / "datasets" / "cifar10.npz",
        x_train=rng.integers(0, 256, (300, 32, 32, 3), dtype=np.uint8),
        y_train=(np.arange(300, dtype=np.uint8) % 10)[:, None],
        x_test=rng.integers(0, 256, (50, 32, 32, 3), dtype=np.uint8),
        y_test=(np.arange(50, dtype=np.uint8) % 10)[:, None],
    )
    return tmp_path / "notebook"


def test_the_photo_notebook_flips_augments_and_is_the_pages_experiment(small_cifar10, monkeypatch):
    small = CNNSettings(
        dataset="cifar10", epochs=2, filters=4, dense_units=0, augmentation=True, batch_size=64
    )
    small_cifar10.mkdir()
    notebook = run_outside_the_repo(small, small_cifar10, monkeypatch)
    assert_same_experiment(notebook, the_page(small, training.load_images("cifar10")))


def test_the_notebook_follows_the_page_settings():
    cells = lab.notebook_cells(CNNSettings(conv_blocks=1, filters=8, pooling="average"))
    text = source(cells)
    assert "conv_blocks=1," in text and "filters=8," in text and "pooling='average'," in text
    assert "def build_cnn(" in text and "def validation_split(" in text  # the page's code
    assert "def train_cnn(" in text and "def evaluate(" in text
    assert "import course_lib" not in text and "from course_lib" not in text
    assert "def load_digits(" in text and "def load_keras_dataset(" not in text
    photos = source(lab.notebook_cells(CNNSettings(dataset="cifar10")))
    assert "def load_keras_dataset(" in photos and "KERAS_MAX_TRAIN = 20000" in photos


def test_own_images_stay_on_the_page_and_the_notebook_uses_the_digits():
    cells = lab.notebook_cells(CNNSettings(dataset="zip"))
    assert "Your own images stay on the course page" in cells[0].source
    assert "dataset='digits'," in source(cells)


def test_every_setting_is_in_the_constants_cell_with_its_help():
    (cell,) = [c for c in lab.notebook_cells(CNNSettings()) if "SimpleNamespace(" in c.source]
    for field in dataclasses.fields(CNNSettings):
        assert f"    {field.name}=" in cell.source
    assert "# Adam's step size" in cell.source
