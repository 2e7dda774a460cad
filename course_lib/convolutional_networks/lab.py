"""The lab notebook: the page's experiment, made of the page's own functions.

:func:`notebook_cells` writes the settings as a constants cell, then inlines (with
``inspect.getsource``) the very functions the page runs: the data preparation and
split (:mod:`~course_lib.convolutional_networks.training`, ``course_lib.datasets``), the
model builder (:mod:`~course_lib.convolutional_networks.model`), the training and the
evaluation (:mod:`~course_lib.convolutional_networks.probe`). The notebook needs only
what Colab has (Keras, TensorFlow, numpy, pandas, Altair, scikit-learn), never this
project; tests run it outside the repository and check it reaches the page's result.
"""

from __future__ import annotations

import dataclasses
import re
from types import ModuleType

from course_lib import datasets
from course_lib import training as live_training
from course_lib.classroom import Cell, code, markdown, source_of
from course_lib.convolutional_networks import model, probe, training
from course_lib.convolutional_networks.model import CNNSettings
from course_lib.settings import bounds

#: What the notebook imports: what the inlined functions use, and the charts.
IMPORTS = """
from __future__ import annotations  # the type hints of the functions below stay text

import hashlib
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import altair as alt
import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import layers
"""


def constant(module: ModuleType, name: str) -> str:
    """``NAME = value`` from ``module``, with the ``#:`` comment that explains it."""
    source = source_of(module)
    found = re.search(rf"((?:^#:.*\n)*)^{name}\b", source, flags=re.MULTILINE)
    comment = found.group(1).replace("#:", "#") if found else ""
    return f"{comment}{name} = {getattr(module, name)!r}"


def inline(*parts) -> Cell:
    """One code cell with the source of functions and classes (or ready-made lines)."""
    sources = [part if isinstance(part, str) else source_of(part) for part in parts]
    return code("\n\n\n".join(source.strip() for source in sources))


def settings_cell(settings: CNNSettings) -> Cell:
    """The constants cell: every setting of the page, with its one-line help."""
    lines = ["# The experiment's settings, as on the course page: change them and rerun."]
    lines.append("settings = SimpleNamespace(")
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        lines.append(f"    {field.name}={value!r},  # {bounds(CNNSettings, field.name).help}")
    lines.append(")")
    return code("\n".join(lines))


def data_functions(dataset: str) -> list:
    """The page's data preparation for ``dataset``, and what it calls."""
    common = [datasets.ImageDataset, datasets._read_only, datasets.stratified_split]
    if dataset == "digits":
        loaders = [datasets.load_digits]
    else:
        loaders = [
            datasets.DatasetUnavailable,
            f"KERAS_DATASETS = {datasets.KERAS_DATASETS!r}",
            datasets.keras_cache_dir,
            datasets._download,
            datasets.load_keras_dataset,
        ]
    return [
        *common,
        *loaders,
        constant(training, "KERAS_MAX_TRAIN"),
        training.load_images,
        constant(training, "VALIDATION_FRACTION"),
        training.validation_split,
    ]


def notebook_cells(settings: CNNSettings) -> list[Cell]:
    """A plain-Keras notebook that runs the page's experiment for ``settings``.

    Your own ZIP of images cannot travel into a notebook: it uses the digits instead.
    """
    note = ""
    if settings.dataset == "zip":
        note = "Your own images stay on the course page; this notebook uses the digits instead.\n\n"
        settings = dataclasses.replace(settings, dataset="digits")
    return [
        markdown(
            f"""
{note}A convolutional network classifies images: the same experiment as the course page,
made of the page's own functions. *Prepare the data*, *build the model*, *train*,
*evaluate*. With the same settings it starts from the same weights and reaches the
same accuracy (on a GPU the page takes bigger batches, so there it differs a little).
"""
        ),
        code(IMPORTS),
        settings_cell(settings),
        markdown(
            "## Prepare the data\nImages stay `uint8` (the model rescales them to [0, 1]); "
            "a stratified part of the training images is held out for the validation curve."
        ),
        inline(*data_functions(settings.dataset)),
        code(
            "dataset = load_images(settings.dataset)\n"
            "(x_train, y_train), (x_val, y_val) = validation_split(dataset, settings.seed)\n"
            "print(dataset.name, x_train.shape, x_val.shape, dataset.x_test.shape)"
        ),
        markdown(
            "## Build the model\nEvery initializer, dropout and augmentation layer is seeded "
            "from `settings.seed` (never the global seed); `layer_rows` works out the shapes "
            "and parameters by hand, like the page's table."
        ),
        inline(
            live_training.seed_sequence,
            model.conv_output_size,
            model.ArchitectureError,
            model.LayerRow,
            model.block_filters,
            model.layer_rows,
            model.build_cnn,
            constant(training, "FLIPPED_DATASETS"),
            training.build_model,
        ),
        code("model = build_model(settings, dataset)\nmodel.summary()"),
        markdown(
            "## Train\nEach epoch is at most 200 batches, each pass over the images shuffled "
            "by `(seed, pass)`: the page's live trainer feeds the same batches."
        ),
        inline(
            constant(training, "MAX_STEPS_PER_EPOCH"),
            training.steps_per_epoch,
            training.shuffled_batches,
            training.train_cnn,
        ),
        code(
            """
history = train_cnn(model, settings, (x_train, y_train), (x_val, y_val))
curves = pd.DataFrame(history.history).reset_index(names="epoch")
curves["epoch"] += 1
alt.Chart(curves.melt("epoch", ["accuracy", "val_accuracy"])).mark_line(point=True).encode(
    x="epoch:Q", y=alt.Y("value:Q", title="accuracy"), color="variable:N"
)
"""
        ),
        markdown("## Evaluate\nRows: the true class; columns: the class the network predicted."),
        inline(probe.predict_proba, probe.Evaluation, probe.confusion_matrix, probe.evaluate),
        code(
            """
result = evaluate(model, dataset)
print(f"test accuracy: {result.accuracy:.1%}")
pd.DataFrame(result.confusion, index=dataset.class_names, columns=dataset.class_names)
"""
        ),
    ]
