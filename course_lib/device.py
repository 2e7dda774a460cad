"""Which accelerator TensorFlow sees, and the choices that follow from it.

TensorFlow is imported only when a chapter needs it: :func:`peek_device` answers
without importing it (Home uses that), :func:`detect_device` imports it and looks.

On a GPU the chapters may use bigger batches and mixed precision. Mixed precision is
*recommended* here as a dtype-policy name that a model builder passes to its own layers
(``keras.layers.Dense(..., dtype=policy)``): the global Keras policy is never changed,
because one Streamlit process serves every student and a global switch would flip it
under everyone else.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass


class TensorFlowUnavailable(RuntimeError):
    """TensorFlow could not be imported; the message says why in plain words."""


def import_tensorflow():
    """Import TensorFlow quietly, or raise :class:`TensorFlowUnavailable`.

    A broken install can fail with many exception types (ImportError, OSError for a
    missing shared library, AttributeError from a version clash); all become one
    clear message so a page can show it and Home keeps working.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf
    except Exception as error:  # any failure of a broken install
        raise TensorFlowUnavailable(
            "TensorFlow could not be loaded on this server, so this chapter cannot "
            f"build or train networks here ({type(error).__name__}: {error}). "
            "Reinstall it with `pip install -r requirements.txt`; the Home page and "
            "everything that needs no network still work."
        ) from error
    from course_lib.sharing import configure_tensorflow_threads

    configure_tensorflow_threads(tf)  # once, before the first operation: cores shared fairly
    return tf


@dataclass(frozen=True)
class DeviceInfo:
    """What TensorFlow computes on.

    Attributes:
        kind: ``"GPU"`` when TensorFlow sees at least one GPU, else ``"CPU"``.
        gpu_names: human-readable names of the visible GPUs (empty on CPU).
        tensorflow_version: e.g. ``"2.21.0"``.
        mixed_precision: the Keras dtype policy recommended for hidden layers:
            ``"mixed_float16"`` on a GPU with tensor cores, else ``"float32"``.
    """

    kind: str
    gpu_names: tuple[str, ...]
    tensorflow_version: str
    mixed_precision: str

    @property
    def gpu_count(self) -> int:
        return len(self.gpu_names)

    @property
    def has_gpu(self) -> bool:
        return self.kind == "GPU"

    @property
    def badge(self) -> str:
        """One line for the sidebar, e.g. ``"GPU × 1: NVIDIA H100"`` or ``"CPU"``."""
        if self.has_gpu:
            names = ", ".join(sorted(set(self.gpu_names)))
            return f"GPU × {self.gpu_count}: {names} · {self.mixed_precision}"
        return f"CPU · TensorFlow {self.tensorflow_version}"

    def batch_size(self, cpu_batch_size: int) -> int:
        """The default batch size for this device: 4× the CPU default on a GPU."""
        return cpu_batch_size * 4 if self.has_gpu else cpu_batch_size


@functools.cache
def detect_device() -> DeviceInfo:
    """Import TensorFlow, enable GPU memory growth, and describe the device.

    Memory growth must be set before a GPU is first used, so this runs once per
    process (cached) and every chapter calls it before building a model.
    """
    tf = import_tensorflow()
    gpus = tf.config.list_physical_devices("GPU")
    names = []
    tensor_cores = False
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # already initialised by an earlier caller; growth stays as it was
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
        capability = details.get("compute_capability") or (0, 0)
        tensor_cores = tensor_cores or tuple(capability) >= (7, 0)
    return DeviceInfo(
        kind="GPU" if gpus else "CPU",
        gpu_names=tuple(names),
        tensorflow_version=tf.__version__,
        mixed_precision="mixed_float16" if tensor_cores else "float32",
    )


def peek_device() -> DeviceInfo | None:
    """The device if TensorFlow is already loaded in this process, else ``None``.

    Never imports TensorFlow: Home calls it to draw the sidebar badge.
    """
    if "tensorflow" not in sys.modules:
        return None
    try:
        return detect_device()
    except TensorFlowUnavailable:
        return None


_warm_up_started = False


def warm_up_in_background(*also: Callable[[], object]) -> None:
    """Load TensorFlow and Keras in a background thread, once per server process.

    The first chapter a student opens would otherwise wait seconds for TensorFlow's import
    and its first graph. The router calls this after Home is drawn, so Home stays fast;
    ``COURSE_WARM_UP=0`` turns it off (the tests that check Home imports no TensorFlow).
    ``also``: more warm-ups run after it, in the same thread (e.g. tracing a default model).
    """
    global _warm_up_started
    if _warm_up_started or os.environ.get("COURSE_WARM_UP", "1") == "0":
        return
    _warm_up_started = True

    def warm_up() -> None:
        try:
            detect_device()
            import keras
            import numpy as np

            # one tiny fit: traces Keras's training machinery before a student needs it
            inputs = keras.Input((1,))
            model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
            model.compile(optimizer="adam", loss="mse")
            model.fit(np.zeros((8, 1)), np.zeros((8, 1)), epochs=1, verbose=0)
        except Exception:  # a broken install: the chapter pages explain it when opened
            return
        for warm in also:  # each on its own: one failing leaves the others their use
            try:
                warm()
            except Exception:
                logging.getLogger(__name__).exception("a warm-up failed")

    import threading

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
