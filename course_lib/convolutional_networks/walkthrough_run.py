"""A walkthrough step of chapter 3, run headless as the page runs it: the numbers its claim checks.

:func:`run_step` builds the step's settings from its preset, trains them with the page's own
live trainer (:func:`~course_lib.convolutional_networks.training.make_trainer`, driven chunk
by chunk as the training panel does) for the epochs the preset says, and evaluates the
result on the test images with :func:`~course_lib.convolutional_networks.probe.evaluate`,
the function behind the page's "Test accuracy". The pretrained digits network's numbers
come along, since several steps compare with it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from functools import cache
from typing import Any

from course_lib.convolutional_networks import model, pretrained, probe, training


@cache
def _dataset(name: str):
    return training.load_images(name)


@cache
def pretrained_numbers() -> dict[str, float]:
    """The shipped digits network on the test images: accuracy and its misclassified count."""
    network, info = pretrained.load_pretrained_digits()
    if network is None:
        return {}
    evaluation = probe.evaluate(network, _dataset("digits"))
    wrong = int((evaluation.predicted != _dataset("digits").y_test).sum())
    return {
        "pretrained_test_accuracy": evaluation.accuracy,
        "pretrained_misclassified": wrong,
        "test_images": int(len(_dataset("digits").y_test)),
        "pretrained_parameters": int(network.count_params()),
    }


def run_step(preset: Mapping[str, Any], *, train: bool = True) -> dict[str, Any]:
    """Train ``preset`` (a complete walkthrough preset) as the page would; return its numbers.

    Returns a dict with ``parameters``, ``first_conv_parameters``, and when ``train`` is
    true ``epochs``, ``train_accuracy``, ``val_accuracy``, ``train_loss``, ``first_loss``,
    ``test_accuracy`` (fractions in [0, 1]), ``status`` and ``seconds``; plus the
    pretrained network's numbers (:func:`pretrained_numbers`).
    """
    settings = dataclasses.replace(model.CNNSettings(), **preset)
    dataset = _dataset(settings.dataset)
    rows = model.layer_rows(settings, dataset.image_shape, dataset.num_classes)
    result: dict[str, Any] = {
        "parameters": sum(row.parameters for row in rows),
        "first_conv_parameters": next(row.parameters for row in rows if row.layer == "conv1"),
        **pretrained_numbers(),
    }
    if not train:
        return result
    started = time.perf_counter()
    trainer = training.make_trainer(settings, dataset)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=5.0)
    last = trainer.history[-1]
    result |= {
        "epochs": trainer.epochs_done,
        "status": str(trainer.status),
        "first_loss": float(trainer.history[0]["loss"]),
        "train_loss": float(last["loss"]),
        "train_accuracy": float(last["accuracy"]),
        "val_accuracy": float(last.get("val_accuracy", float("nan"))),
        "test_accuracy": probe.evaluate(trainer.model, dataset).accuracy,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return result
