"""The pretrained digits network shipped in ``assets/``, and the script that makes it.

``python -m course_lib.convolutional_networks.pretrained`` retrains it: the default
network (:data:`PRETRAINED_SETTINGS`) on scikit-learn's digits, trained by
:func:`course_lib.convolutional_networks.training.train_cnn`, saved without optimizer.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from course_lib.convolutional_networks.model import CNNSettings, build_cnn
from course_lib.convolutional_networks.probe import evaluate
from course_lib.convolutional_networks.training import (
    build_model,
    load_images,
    train_cnn,
    validation_split,
)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
PRETRAINED_MODEL = ASSETS / "digits_cnn.keras"
PRETRAINED_INFO = ASSETS / "digits_cnn.json"


#: How the shipped model is made: the default network, trained on the digits.
PRETRAINED_SETTINGS = CNNSettings()


def load_pretrained_digits():
    """The model in ``assets/digits_cnn.keras`` and its description, or ``(None, {})``."""
    import keras

    if not PRETRAINED_MODEL.is_file():
        return None, {}
    model = keras.saving.load_model(PRETRAINED_MODEL, compile=False, safe_mode=True)
    info = json.loads(PRETRAINED_INFO.read_text()) if PRETRAINED_INFO.is_file() else {}
    return model, info


def describe_pretrained(info: dict[str, Any]) -> str:
    """One sentence on how the shipped model was made, from its JSON description."""
    return (
        f"the pretrained digits network (the default architecture, {info.get('epochs')} "
        f"epochs, made by `{info.get('made_by')}`; test accuracy "
        f"{info.get('test_accuracy', 0):.1%})"
    )


def pretrain_digits(settings: CNNSettings = PRETRAINED_SETTINGS) -> dict[str, Any]:
    """Train the default CNN on the digits set and save it (weights only, no optimizer).

    The lab notebook's experiment: the same split, model and batches as the page.
    """
    import keras

    dataset = load_images("digits")
    train, validation = validation_split(dataset, settings.seed)
    model = build_model(settings, dataset)
    started = time.perf_counter()
    history = train_cnn(model, settings, train, validation)
    seconds = time.perf_counter() - started
    result = evaluate(model, dataset)
    # a fresh uncompiled copy: no optimizer state, the smallest file
    inference = build_cnn(settings, dataset.image_shape, dataset.num_classes, compile_model=False)
    inference.set_weights(model.get_weights())
    ASSETS.mkdir(exist_ok=True)
    inference.save(PRETRAINED_MODEL)
    info = {
        "test_accuracy": round(result.accuracy, 4),
        "test_images": int(len(dataset.y_test)),
        "epochs": len(history.history["loss"]),
        "training_seconds": round(seconds, 1),
        "settings": asdict(settings),
        "made_by": "python -m course_lib.convolutional_networks.pretrained",
        "keras_version": keras.__version__,
    }
    PRETRAINED_INFO.write_text(json.dumps(info, indent=2) + "\n")
    return info


if __name__ == "__main__":
    print(json.dumps(pretrain_digits(), indent=2))
