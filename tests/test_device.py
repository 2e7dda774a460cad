import subprocess
import sys

import pytest

from course_lib import device
from tests.conftest import ROOT


def test_detect_device_describes_what_tensorflow_sees():
    import tensorflow as tf

    info = device.detect_device()
    gpus = tf.config.list_physical_devices("GPU")
    assert info.gpu_count == len(gpus)
    assert info.kind == ("GPU" if gpus else "CPU")
    assert info.tensorflow_version == tf.__version__
    if not gpus:
        assert info.mixed_precision == "float32"  # mixed precision only with a GPU
        assert info.batch_size(32) == 32
        assert info.badge.startswith("CPU")


def test_gpu_info_recommends_mixed_precision_and_bigger_batches():
    info = device.DeviceInfo(
        kind="GPU",
        gpu_names=("NVIDIA H100",),
        tensorflow_version="2.21.0",
        mixed_precision="mixed_float16",
    )
    assert info.has_gpu and info.gpu_count == 1
    assert info.batch_size(32) == 128
    assert "NVIDIA H100" in info.badge and "mixed_float16" in info.badge


def test_detect_device_leaves_the_global_keras_policy_alone():
    import keras

    device.detect_device()
    assert keras.config.dtype_policy().name == "float32"


def test_a_broken_tensorflow_gives_a_plain_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # `import tensorflow` now fails
    with pytest.raises(device.TensorFlowUnavailable, match="TensorFlow could not be loaded"):
        device.import_tensorflow()


def test_peek_device_never_imports_tensorflow():
    code = (
        "import sys; from course_lib import device; "
        "assert device.peek_device() is None; assert 'tensorflow' not in sys.modules; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_the_warm_up_loads_tensorflow_in_the_background_once(monkeypatch):
    import threading

    started = []
    monkeypatch.setattr(device, "_warm_up_started", False)
    monkeypatch.setenv("COURSE_WARM_UP", "1")
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self.name))
    device.warm_up_in_background()
    device.warm_up_in_background()
    assert started == ["warm-up"]  # one thread per process, not one per rerun


def test_the_warm_up_can_be_turned_off(monkeypatch):
    import threading

    started = []
    monkeypatch.setattr(device, "_warm_up_started", False)
    monkeypatch.setenv("COURSE_WARM_UP", "0")
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self.name))
    device.warm_up_in_background()
    assert started == []
