"""Take the code home: the playground as a standalone Keras script and a lab notebook.

Both are made of the app's own functions: a constants cell written from the
:class:`~course_lib.deep_supervised_learning.experiment.PlaygroundSettings`, then the
source (``inspect.getsource``) of the functions the app calls to generate or read the
points, split them, build the model, order the mini-batches and draw the decision
boundary. Only the calls that glue them together are written here. The result needs
numpy, pandas, keras (TensorFlow) and altair, all on Colab, and never ``course_lib``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from course_lib import budget, training, uploads
from course_lib import charts as course_charts
from course_lib.classroom import count, source_of
from course_lib.deep_supervised_learning import charts, data, model
from course_lib.deep_supervised_learning.experiment import MOMENTUM, PlaygroundSettings


def imports(*, csv: bool, notebook: bool) -> str:
    """The import lines the inlined functions need (pandas for a CSV, altair in a notebook)."""
    standard = ["import csv", "import io", "import types"] if csv else []
    standard += ["from collections import Counter"] if csv else []
    standard += ["import base64", "import json"] if notebook else []
    standard += ["import math", "import random"]
    standard += (
        ["from collections.abc import Collection, Sequence"]
        if csv
        else ["from collections.abc import Sequence"]
    )
    standard += ["from dataclasses import dataclass"]
    standard += ["import struct", "import zlib"] if notebook else []
    standard += ["from typing import Any"] if notebook else []
    third_party = ["import altair as alt"] if notebook else []
    third_party += ["import keras", "import numpy as np"]
    third_party += ["import pandas as pd"] if csv or notebook else []
    third_party += ["import tensorflow as tf"]
    return "\n".join(standard) + "\n\n" + "\n".join(third_party)


#: The file a notebook writes its run to (initial weights, history, test result).
RESULTS_FILE = "playground_run.json"


def source(*parts: Callable[..., Any] | type) -> str:
    """The source of the app's own functions and classes, one after the other."""
    return "\n\n\n".join(source_of(part).strip() for part in parts)


def assignments(**values: Any) -> str:
    """``NAME = value`` lines for module constants the inlined functions read."""
    return "\n".join(f"{name} = {value!r}" for name, value in values.items())


def constants(
    settings: PlaygroundSettings, csv_name: str | None = None, *, notebook: bool = False
) -> str:
    """The hyperparameters cell: every setting the experiment uses, as a named constant."""
    steps = None
    if settings.dataset != "your CSV":
        points = data.make_dataset(settings)
        steps = model.steps_per_epoch(settings, len(points.x_train), points.classes)
    lines = [
        imports(csv=settings.dataset == "your CSV", notebook=notebook),
        "",
        f"DATASET = {settings.dataset!r}",
    ]
    if settings.dataset == "your CSV":
        lines.append(f"CSV_FILE = {csv_name or 'points.csv'!r}  # columns x1, x2, label")
    else:
        lines += [
            f"SAMPLES = {settings.samples}  # points, train and test together",
            f"NOISE = {settings.noise!r}  # standard deviation of the noise on each point",
        ]
        if settings.dataset == "Gaussian blobs":
            lines.append(f"CLASSES = {settings.classes}  # number of blobs")
    lines += [
        f"TEST_FRACTION = {settings.test_fraction!r}  # share of the points held out for testing",
        f"SEED = {settings.seed}  # fixes the points, the initial weights and the batch order",
        f"LAYERS = {settings.layers!r}  # (neurons, activation) of each hidden layer",
        f"DROPOUT = {settings.dropout!r}  # share of hidden neurons switched off per step",
        f"L1 = {settings.l1!r}  # L1 penalty on the weights",
        f"L2 = {settings.l2!r}  # L2 penalty on the weights",
        f"BATCH_NORM = {settings.batch_norm!r}  # normalise each hidden layer's pre-activations",
        f"OPTIMIZER = {settings.optimizer!r}",
        f"LEARNING_RATE = {settings.learning_rate!r}",
        f"MOMENTUM = {MOMENTUM!r}  # of SGD+momentum",
        f"BATCH_SIZE = {settings.batch_size}  # points per gradient step",
        f"EPOCHS = {settings.epochs}",
        f"STEPS_PER_EPOCH = {steps!r}  # None: an epoch is one full pass over the training points",
    ]
    return "\n".join(lines)


def _data_code(settings: PlaygroundSettings) -> tuple[str, str]:
    """``(why, code)`` of the data section: the app's generator or CSV reader, then a call."""
    dataset_code = source(data.train_test_split, data.Dataset, data._frozen_dataset)
    if settings.dataset == "your CSV":
        limits = assignments(
            MAX_CSV_BYTES=data.MAX_CSV_BYTES,
            MAX_CSV_ROWS=data.MAX_CSV_ROWS,
            MAX_CLASSES=data.MAX_CLASSES,
            CSV_COLUMNS=data.CSV_COLUMNS,
        )
        # the app's bounded CSV reader (course_lib/uploads.py), reached as the app reaches it
        bounded = "\n\n\n".join(
            [
                assignments(
                    MAX_CSV_COLUMNS=budget.MAX_CSV_COLUMNS,
                    MAX_CSV_CELLS=budget.MAX_CSV_CELLS,
                    MAX_CSV_LINE_BYTES=uploads.MAX_CSV_LINE_BYTES,
                ),
                source(
                    uploads.UploadProblem,
                    uploads.longest_line,
                    uploads._first_line,
                    uploads.count_columns,
                    uploads.read_csv,
                ),
                "uploads = types.SimpleNamespace(read_csv=read_csv, UploadProblem=UploadProblem)",
            ]
        )
        readers = (
            bounded
            + "\n\n\n"
            + source(data.CsvProblem, data._number_labels, data._stratified_sample)
        )
        call = (
            "with open(CSV_FILE, 'rb') as file:\n"
            "    data = load_csv(file.read(), test_fraction=TEST_FRACTION, seed=SEED)\n"
            "print(*data.notes, sep='\\n')"
        )
        code = "\n\n\n".join([limits, dataset_code, readers, source(data.load_csv), call])
        return "Your points, read, checked and standardised as the playground does.", code
    generator = data.GENERATORS[settings.dataset]
    classes = "CLASSES" if settings.dataset == "Gaussian blobs" else "2"
    extra = ", classes=CLASSES" if settings.dataset == "Gaussian blobs" else ""
    call = (
        f"x, y = {generator.__name__}(SAMPLES, NOISE, np.random.default_rng(SEED){extra})\n"
        "split = train_test_split(x, y, TEST_FRACTION, SEED)\n"
        f'data = _frozen_dataset(*split, [f"class {{c}}" for c in range({classes})], DATASET)'
    )
    code = "\n\n\n".join([source(data.class_sizes, generator), dataset_code, call])
    why = (
        f"{settings.dataset.capitalize()}, generated with numpy from a fixed seed, then split "
        "so that each class keeps its share of test points."
    )
    return why, code


def script_sections(
    settings: PlaygroundSettings, csv_name: str | None = None, *, notebook: bool = False
) -> list[tuple[str, str, str]]:
    """The experiment as ``(heading, why, code)`` sections, in the lecture's order.

    ``notebook``: the notebook's imports (altair and what its chart functions use).
    """
    data_why, data_code = _data_code(settings)
    counts = (
        'print(f"{len(data.x_train)} training points, {len(data.x_test)} test points, '
        '{data.classes} classes")'
    )
    build = (
        "model = build_model(\n    LAYERS,\n    data.classes,\n    dropout=DROPOUT,\n"
        "    l1=L1,\n    l2=L2,\n    batch_norm=BATCH_NORM,\n    optimizer=OPTIMIZER,\n"
        "    learning_rate=LEARNING_RATE,\n    seed=SEED,\n)\n"
        "initial_weights = model.get_weights()\nmodel.summary()\n"
        'print("parameters:", model.count_params())'
    )
    fit = "\n".join(
        [
            "train_size = len(data.x_train)",
            "steps = STEPS_PER_EPOCH or math.ceil(train_size / min(BATCH_SIZE, train_size))",
            "batches = shuffled_batches(data.x_train, data.y_train, BATCH_SIZE, SEED)",
            "history = model.fit(",
            "    batches,",
            "    epochs=EPOCHS,",
            "    steps_per_epoch=steps,",
            "    validation_data=(data.x_test, data.y_test),",
            "    shuffle=False,  # shuffled_batches already ordered the points",
            "    verbose=2,",
            ")",
        ]
    )
    evaluate = (
        "loss, accuracy = model.evaluate(data.x_test, data.y_test, verbose=0)\n"
        'print(f"test loss {loss:.4f}, test accuracy {accuracy:.3f}")'
    )
    return [
        (
            "Hyperparameters",
            "The playground's settings, as named constants.",
            constants(settings, csv_name, notebook=notebook),
        ),
        ("Prepare the data", data_why, f"{data_code}\n{counts}"),
        (
            "Build the model",
            f"A multilayer perceptron with {count(settings.hidden_layers, 'hidden layer')} and a "
            "softmax output, one neuron per class; every initial weight is seeded.",
            source(training.seed_sequence, model.make_optimizer, model.build_model)
            + "\n\n\n"
            + build,
        ),
        (
            "Train",
            "Backpropagation, one mini-batch at a time, in the same seeded order as the app.",
            source(training.shuffled_batches) + "\n\n\n" + fit,
        ),
        ("Evaluate", "Accuracy on the held-out test points.", evaluate),
    ]


def keras_script(settings: PlaygroundSettings, *, csv_name: str | None = None) -> str:
    """A standalone, runnable Keras script that reproduces ``settings``.

    Reads like a keras-io example: named constants, *Prepare the data*, *Build the
    model*, *Train*, *Evaluate*, each made of the app's own functions. For
    ``dataset == "your CSV"`` the script reads ``csv_name`` (a path next to it).
    Needs only numpy and keras with TensorFlow (plus pandas for a CSV).
    """
    header = (
        f'"""Deep supervised learning playground: {settings.dataset}, exported from the '
        "course app.\n\nA multilayer perceptron learns to classify 2-D points. "
        'Run with `python playground_model.py`.\n"""\n'
    )
    body = [
        f"# ## {heading}\n# {why}\n\n{code}\n"
        for heading, why, code in script_sections(settings, csv_name)
    ]
    return header + "\n\n".join(body)


def notebook_cells(settings: PlaygroundSettings, *, csv_name: str | None = None) -> list:
    """A plain-Keras notebook reproducing ``settings``: data, model, training, plots.

    The sections of :func:`keras_script`, each a markdown and a code cell, then the
    learning curves and the decision boundary drawn by the app's own chart functions, and
    a last cell that saves the run (:data:`RESULTS_FILE`) to compare with the app's log.
    Build the ``.ipynb`` with ``course_lib.classroom.notebook(cells, title=...)``.
    """
    from course_lib.classroom import code, markdown

    cells = [
        markdown(
            "A multilayer perceptron learns to classify points in the plane: the same "
            "experiment, seed and code as in the course app. Change the constants in the "
            "first cell and run all cells again."
        )
    ]
    for heading, why, cell in script_sections(settings, csv_name, notebook=True):
        cells += [markdown(f"## {heading}\n\n{why}"), code(cell)]
    rows = (
        "rows = [\n"
        '    {"epoch": epoch + 1, **{name: values[i] for name, values in history.history.items()}}\n'
        "    for i, epoch in enumerate(history.epoch)\n"
        "]"
    )
    curve_style = assignments(
        AXIS_LABEL_SIZE=course_charts.AXIS_LABEL_SIZE,
        AXIS_TITLE_SIZE=course_charts.AXIS_TITLE_SIZE,
        TITLE_SIZE=course_charts.TITLE_SIZE,
        LINE_WIDTH=course_charts.LINE_WIDTH,
        SPLIT_COLOURS_BY_NAME=course_charts.SPLIT_COLOURS_BY_NAME,
        CURVES=course_charts.CURVES,
        GHOST=course_charts.GHOST,
    )
    curves = source(
        training.learning_curves_frame,
        course_charts.learning_curves,
        course_charts.with_data,
        course_charts.learning_curves_parts,
        course_charts.learning_curves_layout,
        course_charts._ghost_curve,
        course_charts.readable,
    )
    cells += [
        markdown("## Learning curves\n\nA growing gap between train and test loss is overfitting."),
        code(
            "\n\n\n".join(
                [
                    curve_style,
                    curves,
                    rows + '\nreadable(learning_curves(learning_curves_frame(rows), "loss"))',
                ]
            )
        ),
        markdown(
            "## Decision boundary\n\nThe class the network predicts at each point of the "
            "plane, paler where it is unsure; circles are training points, hollow diamonds "
            "test points."
        ),
        code(
            "\n\n\n".join(
                [
                    assignments(
                        CLASS_COLOURS=charts.CLASS_COLOURS,
                        REGION_OPACITY=charts.REGION_OPACITY,
                        CELL_PIXELS=charts.CELL_PIXELS,
                    ),
                    source(
                        model.grid_points,
                        model.predict,
                        charts.boundary_frame,
                        charts.points_frame,
                        charts.png_data_url,
                        charts.boundary_image,
                        charts.boundary_chart,
                    ),
                    "readable(boundary_chart(boundary_frame(model, data), data, "
                    'title="Decision boundary"))',
                ]
            )
        ),
        markdown("## Save the run\n\nTo compare with the training log the app downloads."),
        code(
            f"with open({RESULTS_FILE!r}, 'w') as file:\n"
            "    json.dump(\n"
            '        {"history": rows, "test": {"loss": loss, "accuracy": accuracy},\n'
            '         "initial_weights": [w.tolist() for w in initial_weights]},\n'
            "        file,\n"
            "    )"
        ),
    ]
    return cells
