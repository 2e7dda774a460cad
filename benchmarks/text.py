"""Chapter 4 benchmark: generation speed, 60 s of training, live driver vs model.fit.

Prints one JSON object:

- ``generation_chars_per_second``: the pretrained model writing 3,000 characters at
  temperature 0.8 (after a warm-up that traces the compiled functions); target ≥ 1,000.
- ``validation_bits_per_character_after_60s`` next to ``unigram_bits_per_character``:
  the page's default settings trained for 60 s by the live driver (samples included,
  as on the page) on the offline corpus; must be well below the unigram baseline.
- ``driver_vs_fit_throughput_ratio``: gradient steps per second of the live driver
  (chunks of about 0.8 s, validation after every epoch, no samples) divided by that of
  one plain ``model.fit`` call on a repeated ``tf.data`` pipeline doing the same epochs
  (best of two interleaved runs each); target ≥ 0.9.

Run: ``python benchmarks/text.py`` (CPU; several minutes on 2 cores).
"""

import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from course_lib.device import detect_device  # noqa: E402
from course_lib.recurrent_networks import corpus as corpora  # noqa: E402
from course_lib.recurrent_networks import model, pretrained  # noqa: E402
from course_lib.recurrent_networks import sampler as sampling  # noqa: E402

TRAINING_SECONDS = 60
THROUGHPUT_EPOCHS = 8


def generation_speed() -> float:
    shipped = pretrained.load_pretrained()
    sampler = sampling.Sampler(shipped.model, shipped.vocabulary)
    "".join(sampler.generate("def ", 64, temperature=0.8))  # trace once
    started = time.perf_counter()
    written = "".join(sampler.generate("def ", 3000, temperature=0.8))
    return len(written) / (time.perf_counter() - started)


def sixty_seconds(data: corpora.TextData, settings: model.TextSettings, seed_text: str) -> dict:
    trainer = model.make_trainer(data, settings, seed_text)
    trainer.total_epochs = 10**6
    trainer.start()
    while trainer.train_seconds < TRAINING_SECONDS:
        trainer.run_chunk(max_seconds=0.8)
    validation = trainer.evaluate(data.x_val, data.y_val)
    return {
        "validation_bits_per_character_after_60s": round(validation["loss"] / math.log(2), 3),
        "unigram_bits_per_character": round(data.baselines["unigram"], 3),
        "uniform_bits_per_character": round(data.baselines["uniform guess"], 3),
        "epochs_in_60s": trainer.epochs_done,
        "gradient_steps_in_60s": trainer.epochs_done * settings.steps_per_epoch,
        "sample_after_60s": trainer.history[-1]["sample"],
    }


def _driver_rate(data: corpora.TextData, settings: model.TextSettings) -> float:
    """Steps per second of the live driver, in the page's chunks (after a warm-up epoch)."""
    trainer = model.make_trainer(data, settings, samples=False)
    trainer.total_epochs = THROUGHPUT_EPOCHS + 1
    trainer.step()  # warm-up epoch: tracing
    trainer.start()
    started = time.perf_counter()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=0.8)
    return settings.steps_per_epoch * THROUGHPUT_EPOCHS / (time.perf_counter() - started)


def _fit_rate(data: corpora.TextData, settings: model.TextSettings) -> float:
    """Steps per second of one plain ``model.fit`` over the same epochs (after a warm-up)."""
    import tensorflow as tf

    network = model.build_model(data.vocabulary.size, settings)
    batches = (
        tf.data.Dataset.from_tensor_slices((data.x_train, data.y_train))
        .shuffle(len(data.x_train), seed=settings.seed)
        .batch(settings.batch_size)
        .repeat()  # steps_per_epoch × epochs may be more than one pass
        .prefetch(tf.data.AUTOTUNE)
    )
    fit_args = {
        "steps_per_epoch": settings.steps_per_epoch,
        "validation_data": (data.x_val, data.y_val),
        "verbose": 0,
    }
    network.fit(batches, epochs=1, **fit_args)  # warm-up epoch: tracing
    started = time.perf_counter()
    network.fit(batches, epochs=THROUGHPUT_EPOCHS, **fit_args)
    return settings.steps_per_epoch * THROUGHPUT_EPOCHS / (time.perf_counter() - started)


def throughput(data: corpora.TextData, settings: model.TextSettings, repeats: int = 2) -> dict:
    """Best of ``repeats`` interleaved runs each: a shared, busy CPU only ever slows a run down."""
    driver, fit = [], []
    for _ in range(repeats):
        driver.append(_driver_rate(data, settings))
        fit.append(_fit_rate(data, settings))
    return {
        "driver_steps_per_second": round(max(driver), 2),
        "fit_steps_per_second": round(max(fit), 2),
        "driver_vs_fit_throughput_ratio": round(max(driver) / max(fit), 3),
    }


def main() -> None:
    device = detect_device()
    corpus = corpora.load_offline_corpus()
    settings = model.TextSettings()
    data = corpora.prepare_data(corpus.text, settings)
    result = {
        "device": device.badge,
        "cpu_count": os.cpu_count(),
        "settings": "defaults: GRU 128 units, 1 layer, sequence 64, batch 64, 25 steps/epoch",
        "generation_chars_per_second": round(generation_speed(), 1),
    }
    result.update(throughput(data, settings))
    result.update(sixty_seconds(data, settings, corpus.seed_text))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
