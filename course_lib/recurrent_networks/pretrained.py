"""The pretrained model shipped in ``assets/text/``: load it, describe it, rebuild it.

Run ``python -m course_lib.recurrent_networks.pretrained`` to rebuild the offline corpus and
retrain the pretrained model.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from typing import Any

from course_lib.recurrent_networks.corpus import (
    ASSETS,
    OFFLINE_CORPUS_PATH,
    Vocabulary,
    build_stdlib_corpus,
    load_offline_corpus,
    prepare_data,
)
from course_lib.recurrent_networks.model import TextSettings, build_model, make_trainer

PRETRAINED_WEIGHTS_PATH = ASSETS / "python_gru.weights.h5"


PRETRAINED_INFO_PATH = ASSETS / "python_gru.json"


#: Settings of the shipped model: the page's defaults, so students can match it live.
PRETRAINED_SETTINGS = TextSettings()


@dataclass(frozen=True)
class Pretrained:
    model: Any
    vocabulary: Vocabulary
    info: dict[str, Any]


def load_pretrained() -> Pretrained:
    """The model shipped in ``assets/text`` (read-only use: generation, looking inside).

    Raises:
        FileNotFoundError: the assets are missing (rebuild: ``python -m course_lib.recurrent_networks.pretrained``).
    """
    info = json.loads(PRETRAINED_INFO_PATH.read_text(encoding="utf-8"))
    vocabulary = Vocabulary.from_json(info["vocabulary"])
    settings = TextSettings(**info["settings"])
    model = build_model(vocabulary.size, settings, compile=False)
    model.load_weights(PRETRAINED_WEIGHTS_PATH)
    return Pretrained(model, vocabulary, info)


def pretrained_summary(info: dict[str, Any]) -> str:
    """One sentence (Markdown) on the shipped model and its validation loss."""
    settings, baselines = info["settings"], info["baselines_bits_per_character"]
    return (
        f"The pretrained network: a {settings['cell']} of {settings['hidden_units']} units, "
        f"trained {info['gradient_steps']:,} steps ({info['training_seconds'] / 60:.0f} min on a "
        f"CPU) on the Python corpus by `{info['made_by']}`. Validation loss "
        f"{info['validation_loss']:.3f} nats = **{info['validation_bits_per_character']:.2f} "
        f"bits per character** (unigram baseline {baselines['unigram']:.2f}, uniform "
        f"{baselines['uniform guess']:.2f})."
    )


def make_pretrained(minutes: float = 6.0, steps_per_epoch: int = 100) -> dict[str, Any]:
    """Rebuild the offline corpus and train the shipped model for about ``minutes``.

    Writes ``python_stdlib.txt``, ``python_gru.weights.h5`` and ``python_gru.json``
    (settings, vocabulary, validation loss and bits per character, baselines).
    """
    ASSETS.mkdir(parents=True, exist_ok=True)
    OFFLINE_CORPUS_PATH.write_text(build_stdlib_corpus(), encoding="utf-8")
    corpus = load_offline_corpus()
    settings = PRETRAINED_SETTINGS
    data = prepare_data(corpus.text, settings)
    trainer = make_trainer(data, settings, corpus.seed_text, samples=False)
    trainer.steps_per_epoch = steps_per_epoch
    trainer.total_epochs = 10**6
    trainer.start()
    started = time.perf_counter()
    while time.perf_counter() - started < 60 * minutes:
        rows = trainer.run_chunk(max_seconds=30)
        print(
            f"epoch {trainer.epochs_done}: "
            + ", ".join(f"{k}={v:.4f}" for k, v in rows[-1].items() if isinstance(v, float)),
            flush=True,
        )
    validation = trainer.evaluate(data.x_val, data.y_val)
    trainer.model.save_weights(PRETRAINED_WEIGHTS_PATH)
    info = {
        "made_by": "python -m course_lib.recurrent_networks.pretrained",
        "corpus": corpus.name,
        "settings": asdict(settings),
        "gradient_steps": trainer.epochs_done * steps_per_epoch,
        "training_seconds": round(trainer.train_seconds, 1),
        "validation_loss": round(validation["loss"], 4),
        "validation_bits_per_character": round(validation["loss"] / math.log(2), 4),
        "baselines_bits_per_character": {k: round(v, 4) for k, v in data.baselines.items()},
        "vocabulary": data.vocabulary.to_json(),
    }
    PRETRAINED_INFO_PATH.write_text(
        json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return info


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=make_pretrained.__doc__)
    parser.add_argument("--minutes", type=float, default=6.0, help="training time")
    arguments = parser.parse_args()
    summary = make_pretrained(arguments.minutes)
    print(json.dumps({k: v for k, v in summary.items() if k != "vocabulary"}, indent=1))
