"""Chapter 4 benchmark: generation speed, 60 s of training, live driver vs model.fit.

Prints one JSON object:

- ``generation_chars_per_second``: the pretrained model writing 3,000 characters at
  temperature 0.8 (after a warm-up that traces the compiled functions); target ≥ 1,000.
- ``validation_bits_per_character_after_60s`` next to ``unigram_bits_per_character``:
  the page's default settings trained for 60 s by the live driver (samples included,
  as on the page) on the offline corpus; must be well below the unigram baseline.
- ``driver_vs_fit_throughput_ratio``: gradient steps per second of the live driver
  (chunks of about 0.8 s, validation after every epoch, no samples) divided by that of
  one plain ``model.fit`` call doing the same epochs; target ≥ 0.9.

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

from course_lib import text  # noqa: E402
from course_lib.device import detect_device  # noqa: E402

TRAINING_SECONDS = 60
THROUGHPUT_EPOCHS = 8


def generation_speed() -> float:
    shipped = text.load_pretrained()
    sampler = text.Sampler(shipped.model, shipped.vocabulary)
    "".join(sampler.generate("def ", 64, temperature=0.8))  # trace once
    started = time.perf_counter()
    written = "".join(sampler.generate("def ", 3000, temperature=0.8))
    return len(written) / (time.perf_counter() - started)


def sixty_seconds(data: text.TextData, settings: text.TextSettings, seed_text: str) -> dict:
    trainer = text.make_trainer(data, settings, seed_text)
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


def throughput(data: text.TextData, settings: text.TextSettings) -> dict:
    steps = settings.steps_per_epoch * THROUGHPUT_EPOCHS
    # the live driver, in the page's chunks
    trainer = text.make_trainer(data, settings, samples=False)
    trainer.total_epochs = THROUGHPUT_EPOCHS + 1
    trainer.start()
    trainer.step()  # warm-up epoch: tracing
    trainer.start()
    started = time.perf_counter()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=0.8)
    driver = steps / (time.perf_counter() - started)
    # one plain model.fit over the same number of epochs
    model = text.build_model(data.vocabulary.size, settings)
    fit_args = {
        "batch_size": settings.batch_size,
        "steps_per_epoch": settings.steps_per_epoch,
        "validation_data": (data.x_val, data.y_val),
        "verbose": 0,
    }
    x, y = data.x_train.copy(), data.y_train.copy()
    model.fit(x, y, epochs=1, **fit_args)  # warm-up epoch: tracing
    started = time.perf_counter()
    model.fit(x, y, epochs=THROUGHPUT_EPOCHS, **fit_args)
    fit = steps / (time.perf_counter() - started)
    return {
        "driver_steps_per_second": round(driver, 2),
        "fit_steps_per_second": round(fit, 2),
        "driver_vs_fit_throughput_ratio": round(driver / fit, 3),
    }


def main() -> None:
    device = detect_device()
    corpus = text.load_offline_corpus()
    settings = text.TextSettings()
    data = text.prepare_data(corpus.text, settings)
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
