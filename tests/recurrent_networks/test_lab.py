"""course_lib.recurrent_networks.lab: the lab notebook, made of the app's own functions.

Every notebook the page offers (one per corpus) runs in an empty folder where
``course_lib`` cannot be imported, and must do the app's experiment: the same initial
weights, exactly, and the same losses and samples at the end of every epoch.
"""

import dataclasses
import json
import os
from pathlib import Path

import numpy as np
import pytest

from course_lib import classroom
from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks import lab, model
from course_lib.recurrent_networks.model import TextSettings
from tests.recurrent_networks.conftest import SNIPPET, TINY

REPO = Path(__file__).resolve().parents[2]
#: Relative tolerance on the losses: the app and the notebook run the same float32 steps
#: on the same batches; only the order of a few sums may differ.
LOSS_TOLERANCE = 1e-4

#: One small experiment per notebook the page offers, between them every path of the code:
#: the offline corpus at word level with two LSTM layers, Shakespeare (from a cache, no
#: download) with a plain RNN, an uploaded file with a GRU.
EXPERIMENTS = {
    "python": dataclasses.replace(
        TINY, corpus="python", level="word", max_words=300, cell="LSTM", layers=2
    ),
    "shakespeare": dataclasses.replace(TINY, corpus="shakespeare", cell="SimpleRNN"),
    "upload": dataclasses.replace(TINY, corpus="upload", cell="GRU", validation_fraction=0.2),
}
EPOCHS, STEPS = 2, 3

SHAKESPEARE = "ROMEO:\nBut soft, what light through yonder window breaks?\n\n" * 40
#: Cells the test adds: is course_lib out of reach? the initial weights; the history.
ISOLATION_CELL = (
    "import importlib.util, json, sys\n"
    'json.dump({"course_lib": importlib.util.find_spec("course_lib") is not None,'
    ' "path": sys.path}, open("isolation.json", "w"))'
)
WEIGHTS_CELL = 'np.savez("initial_weights.npz", *model.get_weights())'
HISTORY_CELL = 'json.dump(history, open("history.json", "w"))'


def app_corpus(name: str, folder: Path) -> corpora.Corpus:
    """The corpus as the page reads it."""
    if name == "python":
        return corpora.load_offline_corpus()
    if name == "shakespeare":
        return corpora.load_shakespeare(cache_dir=str(folder / "keras"))
    return corpora.read_upload((folder / lab.UPLOAD_FILE).read_bytes(), lab.UPLOAD_FILE)


def run_outside_the_repo(settings: TextSettings, folder: Path, monkeypatch) -> list:
    """Execute the notebook for ``settings`` in ``folder``, as a student's Colab would."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    source = classroom.notebook(lab.notebook_cells(settings), title="A text generator")
    book = nbformat.reads(source.decode(), as_version=4)
    model_cell = next(
        i for i, cell in enumerate(book.cells) if "model = build_model(" in cell.source
    )
    book.cells.insert(model_cell + 1, nbformat.v4.new_code_cell(WEIGHTS_CELL))
    book.cells.insert(1, nbformat.v4.new_code_cell(ISOLATION_CELL))
    book.cells.append(nbformat.v4.new_code_cell(HISTORY_CELL))
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    kept = [p for p in paths if Path(p).resolve() != REPO]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(kept))
    monkeypatch.setenv("KERAS_HOME", str(folder / "keras"))  # Shakespeare: the cached copy
    monkeypatch.chdir(folder)
    client = nbclient.NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    isolation = json.loads((folder / "isolation.json").read_text())
    assert not isolation["course_lib"], "the notebook could import course_lib"
    assert str(REPO) not in isolation["path"]  # nothing of the repository on its path
    return book.cells


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_the_notebook_is_the_apps_experiment(name, tmp_path, monkeypatch):
    settings = dataclasses.replace(EXPERIMENTS[name], epochs=EPOCHS, steps_per_epoch=STEPS)
    (tmp_path / lab.UPLOAD_FILE).write_text(SNIPPET, encoding="utf-8")
    (tmp_path / "keras" / "datasets").mkdir(parents=True)
    (tmp_path / "keras" / "datasets" / "shakespeare.txt").write_text(SHAKESPEARE)
    if name != "upload":
        (tmp_path / lab.UPLOAD_FILE).unlink()
    # the app: the page's corpus, data, model and live trainer
    corpus = app_corpus(name, tmp_path)
    data = corpora.prepare_data(corpus.text, settings)
    trainer = model.make_trainer(data, settings, corpus.seed_text)
    initial = trainer.model.get_weights()
    for _ in range(EPOCHS):
        trainer.step()
    # the notebook, in an empty folder without course_lib
    for leftover in tmp_path.glob("*.npz"):
        leftover.unlink()
    cells = run_outside_the_repo(settings, tmp_path, monkeypatch)
    with np.load(tmp_path / "initial_weights.npz") as saved:
        weights = [saved[f"arr_{i}"] for i in range(len(saved.files))]
    assert len(weights) == len(initial)
    for ours, theirs in zip(weights, initial, strict=True):
        np.testing.assert_array_equal(ours, theirs)  # exactly the app's initial weights
    history = json.loads((tmp_path / "history.json").read_text())
    assert [row["epoch"] for row in history] == [1, 2]
    for row, live in zip(history, trainer.history, strict=True):
        for metric in ("loss", "val_loss", f"val_{model.bits_metric(settings.level)}"):
            assert row[metric] == pytest.approx(live[metric], rel=LOSS_TOLERANCE), metric
        assert row["sample"] == live["sample"]  # the same network writes the same text
    printed = "".join(
        output.get("text", "") for cell in cells for output in cell.get("outputs", [])
    )
    assert "unigram" in printed and corpus.seed_text in printed
    assert not any(
        output.get("output_type") == "error" for cell in cells for output in cell.get("outputs", [])
    )


def test_the_notebook_imports_nothing_of_course_lib():
    for name, settings in EXPERIMENTS.items():
        source = "\n".join(cell.source for cell in lab.notebook_cells(settings))
        assert "import course_lib" not in source and "from course_lib" not in source, name


def test_the_constants_cell_is_the_settings():
    settings = EXPERIMENTS["python"]
    namespace: dict = {}
    exec("from types import SimpleNamespace\n" + lab.settings_cell(settings), namespace)
    assert vars(namespace["settings"]) == dataclasses.asdict(settings)
