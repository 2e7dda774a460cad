"""A training run's record: its history as a chart frame or a CSV, its model as a file.

The live trainers (:mod:`course_lib.training`) keep one row of metrics per epoch (or update);
these turn those rows and the trained model into what a page draws and a student downloads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def learning_curves_frame(history: Sequence[dict[str, Any]]):
    """History rows as a long pandas DataFrame for charts.

    Columns: ``epoch``, ``metric`` (e.g. ``"loss"``), ``split`` (``"train"`` or
    ``"validation"``) and ``value``. Keras names validation metrics ``val_<name>``.
    """
    import pandas as pd

    records = []
    for row in history:
        for key, value in row.items():
            if key in ("epoch", "seconds") or not isinstance(value, int | float):
                continue
            split = "validation" if key.startswith("val_") else "train"
            metric = key.removeprefix("val_")
            records.append(
                {"epoch": row["epoch"], "metric": metric, "split": split, "value": float(value)}
            )
    return pd.DataFrame.from_records(records, columns=["epoch", "metric", "split", "value"])


def history_csv(history: Sequence[dict[str, Any]]) -> bytes:
    """The training log (one row per epoch or update, numbers and text only) as CSV bytes."""
    import pandas as pd

    frame = pd.DataFrame(
        [{k: v for k, v in row.items() if isinstance(v, int | float | str)} for row in history]
    )
    return frame.to_csv(index=False).encode("utf-8")


def keras_bytes(model: Any) -> bytes:
    """A model saved in the ``.keras`` format, as bytes."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()
