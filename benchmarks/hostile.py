"""Hostile inputs: what a student trying to take the class down could upload or type.

Builds a corpus of hostile inputs (and the largest *allowed* input of each kind), feeds
each to the real parser or action the page calls, and measures, in a fresh subprocess per
input (so the memory figure is clean): wall seconds and extra peak RSS over the process's
RSS just before the call (the input is built first and not counted).

Targets (issue 13): every hostile input refused or handled in ≤ 1 s and ≤ 100 MB extra
RSS; the largest allowed input of each kind in ≤ 5 s.

Prints one JSON object: ``{"inputs": {name: {"kind", "outcome", "seconds",
"extra_peak_rss_mb", "message", "meets_target"}}, "all_meet_targets": bool}``.

Run: ``python benchmarks/hostile.py`` (about a minute on 2 cores); ``--only NAME`` runs
one input; ``--list`` lists them.
"""

from __future__ import annotations

import gc
import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOSTILE_SECONDS, HOSTILE_MB, ALLOWED_SECONDS = 1.0, 100.0, 5.0


# -- building the inputs ----------------------------------------------------------------
def wide_csv(rows: int = 5, columns: int = 1_000_000) -> bytes:
    """5 rows × 1,000,000 columns: under the byte caps, gigabytes once parsed by pandas."""
    line = ",".join(["1"] * columns)
    return ("\n".join([line] * rows) + "\n").encode()


def ragged_csv(columns: int = 1_000_000) -> bytes:
    """A sensible header, then one row of a million fields."""
    return ("x1,x2,label\n1,2,a\n" + ",".join(["3"] * columns) + "\n4,5,b\n").encode()


def numbers_csv(rows: int, columns: int, header: str = "") -> bytes:
    import numpy as np

    rng = np.random.default_rng(0)
    values = rng.random((rows, columns))
    if columns == 3:
        values[:, 2] = rng.integers(0, 3, rows)
    lines = (",".join(f"{v:.5g}" for v in row) for row in values)
    return ((header + "\n" if header else "") + "\n".join(lines) + "\n").encode()


def distinct_x_csv(rows: int) -> bytes:
    """The largest sensible Fundamentals upload: a million (x, y) points, ≈ 20 MB."""
    import numpy as np

    x = np.linspace(0, 1, rows)
    return "\n".join(f"{a:.7f},{b:.6f}" for a, b in zip(x, np.sin(6 * x), strict=True)).encode()


def image_bytes(width: int, height: int, mode: str = "RGB", fmt: str = "PNG", **kw) -> bytes:
    """A solid or noisy image: tiny as a file, ``width × height`` pixels once decoded."""
    import numpy as np
    from PIL import Image

    if kw.pop("noise", False):
        rng = np.random.default_rng(0)
        pixels = rng.integers(0, 255, (height, width, len(mode)), dtype=np.uint8)
        image = Image.fromarray(pixels.squeeze(), mode)
    else:
        image = Image.new(mode, (width, height), (200,) * len(mode))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kw)
    return buffer.getvalue()


def repeated_entry_zip(count: int = 4000, same_name: bool = True) -> bytes:
    """One stored 1000×1000 PNG whose central directory lists it ``count`` times.

    ``same_name``: every entry is ``cats/a.png`` (the issue's 314 kB upload); otherwise
    the names differ and all point at the same local header (shared offsets).
    """
    png = image_bytes(1000, 1000)
    name = b"cats/a.png"
    crc = zlib.crc32(png)
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(png), len(png), len(name), 0
    )
    body = local + name + png
    central = b""
    for index in range(count):
        entry = name if same_name else f"{'cats' if index % 2 else 'dogs'}/{index}.png".encode()
        central += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                0,
                0,
                0,
                crc,
                len(png),
                len(png),
                len(entry),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + entry
        )
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return body + central + end


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pixel_bomb_zip(images: int = 200) -> bytes:
    """Many distinct, highly compressible 2000×2000 PNGs (≈ 20 kB each, 4 M pixels each)."""
    png = image_bytes(2000, 2000)
    return zip_of({f"{'ab'[i % 2]}/{i}.png": png + bytes([i % 256]) for i in range(images)})


def photo_zip(per_class: int = 5) -> bytes:
    """The largest honest upload: about 50 MB of big noisy JPEG photos in two classes."""
    photo = image_bytes(3000, 2000, fmt="JPEG", quality=80, noise=True)
    return zip_of(
        {f"{c}/{i}.jpg": photo for c in ("cats", "dogs") for i in range(per_class)},
        zipfile.ZIP_STORED,
    )


# -- the actions the pages call ----------------------------------------------------------
def fundamentals_csv(data: bytes) -> str:
    from course_lib.fundamentals import targets

    points, notices = targets.read_csv_points(data, "points.csv")
    return f"{len(points.x)} points; " + " ".join(notices)


def playground_csv(data: bytes) -> str:
    from course_lib.deep_supervised_learning import data as playground_data

    dataset = playground_data.load_csv(data)
    return f"{len(dataset.y_train) + len(dataset.y_test)} points"


def image_zip(data: bytes) -> str:
    from course_lib import datasets

    dataset = datasets.load_image_zip(data, image_size=32)
    return f"{len(dataset.y_train) + len(dataset.y_test)} images"


def photo(data: bytes) -> str:
    from course_lib import uploads
    from course_lib.convolutional_networks import images

    decoded = uploads.decode_photo(data)
    pixels = images.preprocess_photo(decoded, (28, 28, 1), "mnist")
    return f"decoded to {decoded.size}, network input {pixels.shape}"


def text_upload(data: bytes) -> str:
    from course_lib.recurrent_networks import corpus

    upload = corpus.read_upload(data, "book.txt")
    return f"{len(upload.text):,} characters"


def refused_by_budget(estimate_of: Callable[[], object]) -> Callable[[bytes], str]:
    def action(_: bytes) -> str:
        from course_lib import budget

        message = budget.check(estimate_of())
        if message is None:
            return "allowed by the budget"
        raise ValueError(message)

    return action


def rnn_word_huge():
    from course_lib import budget
    from course_lib.recurrent_networks import model as rnn_model

    settings = rnn_model.TextSettings(
        level="word", max_words=20000, sequence_length=256, batch_size=256
    )
    return budget.rnn_training(settings, 20000, 5000)


def rnn_lstm_huge():
    from course_lib import budget
    from course_lib.recurrent_networks import model as rnn_model

    settings = rnn_model.TextSettings(
        cell="LSTM", layers=3, hidden_units=1024, sequence_length=256, batch_size=512
    )
    return budget.rnn_training(settings, 100, 5000)


def cnn_huge():
    from course_lib import budget
    from course_lib.convolutional_networks import model as cnn_model

    settings = cnn_model.CNNSettings(
        dataset="cifar10",
        conv_blocks=4,
        filters=128,
        kernel_size=7,
        dense_units=512,
        batch_size=1024,
    )
    return budget.cnn_training(settings, (32, 32, 3), 10, 8500)


def long_generation():
    from course_lib import budget

    # 3 × LSTM-1024 over 20,000 words: ≈ 62 million weights
    return budget.text_generation(3000, 62_000_000)


def rl_seed_sweep():
    from course_lib import budget
    from course_lib.reinforcement_learning import agents

    settings = agents.AgentSettings(updates=500, num_envs=32, rollout_steps=512, hidden_units=256)
    return budget.rl_run(settings, seeds=10)


def width_sweep_huge():
    from course_lib import budget

    return budget.width_sweep((1, 2, 4, 8, 16, 32, 64, 128, 256, 512), 3000, 2000)


def link(params: dict[str, str]) -> Callable[[bytes], str]:
    def action(_: bytes) -> str:
        from course_lib import settings
        from course_lib.recurrent_networks import model as rnn_model

        _, notices = settings.parse_query_params({rnn_model.TextSettings: "rnn_"}, params)
        if len(notices) > settings.MAX_LINK_NOTICES + 1 or "](" in "".join(notices):
            raise AssertionError("notices not capped or not escaped")
        return f"{len(notices)} notice(s): {notices[0][:80]}"

    return action


def formula(text_: str) -> Callable[[bytes], str]:
    def action(_: bytes) -> str:
        import numpy as np

        from course_lib.formula import evaluate_formula

        evaluate_formula(text_, np.linspace(-3, 3, 2000))
        return "evaluated"

    return action


def unique_words_text() -> bytes:
    return " ".join(f"w{i:x}" for i in range(2_000_000)).encode()[: 20 * 1024**2]


def word_level_prepare(data: bytes) -> str:
    from course_lib import budget
    from course_lib.recurrent_networks import corpus
    from course_lib.recurrent_networks import model as rnn_model

    upload = corpus.read_upload(data, "words.txt")
    # the walkthrough's word-level network: the largest word-level run a page starts
    settings = rnn_model.TextSettings(level="word", max_words=500, sequence_length=16)
    # the page estimates first: the vocabulary is at most max_words
    message = budget.check(budget.rnn_training(settings, settings.max_words, 1000))
    if message:
        raise ValueError(message)
    prepared = corpus.prepare_data(upload.text, settings)
    return f"{prepared.vocabulary.size:,} tokens, {len(prepared.x_train):,} windows"


#: name → (kind: "hostile" or "allowed", build input, action)
CORPUS: dict[str, tuple[str, Callable[[], bytes], Callable[[bytes], str]]] = {
    "wide_csv_fundamentals": ("hostile", wide_csv, fundamentals_csv),
    "wide_csv_playground": ("hostile", wide_csv, playground_csv),
    "ragged_wide_row_playground": ("hostile", ragged_csv, playground_csv),
    "case_colliding_header": (
        "hostile",
        lambda: b"x1,X1,x2,label\n1,2,3,a\n4,5,6,b\n",
        playground_csv,
    ),
    "quoted_20mb_field": (
        "hostile",
        lambda: b'x1,x2,label\n"' + b"7" * (20 * 1024**2) + b'",1,a\n',
        playground_csv,
    ),
    "largest_csv_fundamentals": (
        "allowed",
        lambda: distinct_x_csv(1_000_000),
        fundamentals_csv,
    ),
    "largest_csv_playground": (
        "allowed",
        lambda: numbers_csv(1_000_000, 3, "x1,x2,label"),
        playground_csv,
    ),
    "zip_one_image_listed_4000_times": ("hostile", repeated_entry_zip, image_zip),
    "zip_entries_sharing_offsets": (
        "hostile",
        lambda: repeated_entry_zip(4000, same_name=False),
        image_zip,
    ),
    "zip_of_200_large_pngs": ("hostile", pixel_bomb_zip, image_zip),
    "largest_zip_of_photos": ("allowed", photo_zip, image_zip),
    "png_5000x5000": ("hostile", lambda: image_bytes(5000, 5000), photo),
    "png_5000x5000_rgba": ("hostile", lambda: image_bytes(5000, 5000, "RGBA"), photo),
    "png_header_claims_100k_pixels_a_side": (
        "hostile",
        lambda: image_bytes(100, 100)[:16] + struct.pack(">2L", 100_000, 100_000) + b"\0" * 64,
        photo,
    ),
    "largest_jpeg_photo_6000x4000": (
        "allowed",
        lambda: image_bytes(6000, 4000, fmt="JPEG", quality=85, noise=True),
        photo,
    ),
    "binary_file_as_text": ("hostile", lambda: image_bytes(500, 500, noise=True), text_upload),
    "largest_text_upload_20mb": ("allowed", unique_words_text, text_upload),
    "word_level_2m_distinct_words": ("allowed", unique_words_text, word_level_prepare),
    "rnn_word_level_huge": ("hostile", bytes, refused_by_budget(rnn_word_huge)),
    "rnn_3x_lstm_1024_batch_512": ("hostile", bytes, refused_by_budget(rnn_lstm_huge)),
    "cnn_huge": ("hostile", bytes, refused_by_budget(cnn_huge)),
    "generate_3000_tokens_huge_model": ("hostile", bytes, refused_by_budget(long_generation)),
    "rl_10_seeds_500_updates": ("hostile", bytes, refused_by_budget(rl_seed_sweep)),
    "width_sweep_10_widths_3000_epochs": ("hostile", bytes, refused_by_budget(width_sweep_huge)),
    "link_markdown_name": (
        "hostile",
        bytes,
        link({"rnn_[log in again](https://example.com/login)": "1"}),
    ),
    "link_1000_bad_fields": (
        "hostile",
        bytes,
        link({f"rnn_field{i}": "x" * 50 for i in range(1000)}),
    ),
    "formula_1_over_0": ("hostile", bytes, formula("1/0")),
    "formula_power_tower": ("hostile", bytes, formula("9**9**9")),
    "formula_deep_nesting": ("hostile", bytes, formula("(" * 100 + "x" + ")" * 100)),
}


# -- measuring ---------------------------------------------------------------------------
def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def _warm_imports() -> None:
    """Import what the actions use, so the first call's imports are not counted."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    from PIL import Image, JpegImagePlugin, PngImagePlugin  # noqa: F401

    from course_lib import budget, datasets, formula, settings, uploads  # noqa: F401
    from course_lib.convolutional_networks import images, model  # noqa: F401
    from course_lib.deep_supervised_learning import data  # noqa: F401
    from course_lib.fundamentals import targets  # noqa: F401
    from course_lib.recurrent_networks import corpus  # noqa: F401
    from course_lib.reinforcement_learning import agents  # noqa: F401


def measure_one(name: str) -> dict:
    kind, build, action = CORPUS[name]
    _warm_imports()
    data = build()
    gc.collect()
    before = _status("VmRSS")
    try:  # reset the peak (VmHWM) to the current RSS (Linux ≥ 4.0)
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        peak_known = True
    except OSError:
        peak_known = False
    started = time.perf_counter()
    try:
        outcome, message = "handled", action(data)
    except ValueError as error:  # UploadError, CsvProblem, CorpusError, FormulaError, budget
        outcome, message = "refused", str(error)
    except Exception as error:  # a traceback a student would have seen: a failure here
        outcome, message = "crashed", f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - started
    extra = (_status("VmHWM") if peak_known else _status("VmRSS")) - before
    limit = HOSTILE_SECONDS if kind == "hostile" else ALLOWED_SECONDS
    meets = outcome != "crashed" and seconds <= limit
    if kind == "hostile":
        meets = meets and extra / 2**20 <= HOSTILE_MB
    else:
        meets = meets and outcome == "handled"
    return {
        "kind": kind,
        "input_bytes": len(data),
        "outcome": outcome,
        "seconds": round(seconds, 3),
        "extra_peak_rss_mb": round(extra / 2**20, 1),
        "message": message[:300],
        "meets_target": meets,
    }


def main(argv: list[str]) -> None:
    if "--list" in argv:
        print("\n".join(CORPUS))
        return
    if "--one" in argv:
        print(json.dumps(measure_one(argv[argv.index("--one") + 1])))
        return
    names = [argv[argv.index("--only") + 1]] if "--only" in argv else list(CORPUS)
    results = {}
    for name in names:
        run = subprocess.run(
            [sys.executable, __file__, "--one", name],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
        lines = run.stdout.strip().splitlines()
        try:
            results[name] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            results[name] = {
                "outcome": "crashed",
                "message": run.stderr[-500:],
                "meets_target": False,
            }
    print(
        json.dumps(
            {
                "targets": {
                    "hostile": f"refused or handled in <= {HOSTILE_SECONDS} s and <= {HOSTILE_MB} MB extra RSS",
                    "allowed": f"handled in <= {ALLOWED_SECONDS} s",
                },
                "inputs": results,
                "all_meet_targets": all(r.get("meets_target") for r in results.values()),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
