"""How a convolution works: a small kernel slid over an image, then pooling.

A convolution layer *learns* its kernels; here they are hand-made (:data:`KERNELS`) or
typed by the student, and applied in numpy so every number can be inspected:
:func:`convolve2d` (a cross-correlation, exactly like ``keras.ops.conv``), :func:`pool2d`
and :func:`conv_output_size`, the rule the layer table uses.
"""

from __future__ import annotations

import math
import re

import numpy as np

#: Classic 3×3 kernels. A convolution layer *learns* its kernels; these are hand-made.
KERNELS: dict[str, tuple[tuple[float, ...], ...]] = {
    "edges (Laplacian)": ((0, -1, 0), (-1, 4, -1), (0, -1, 0)),
    "vertical edges (Sobel)": ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
    "horizontal edges (Sobel)": ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
    "blur (box)": ((1 / 9,) * 3,) * 3,
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
}


def parse_kernel(text: str) -> np.ndarray:
    """Nine numbers typed by a student (commas, spaces or new lines) → a ``(3, 3)`` kernel.

    Raises:
        ValueError: with a plain message if there are not exactly nine finite numbers.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    try:
        values = [float(t) for t in tokens]
    except ValueError:
        raise ValueError("type nine numbers separated by spaces or commas") from None
    if len(values) != 9 or not all(math.isfinite(v) for v in values):
        raise ValueError(f"a 3×3 kernel needs nine finite numbers; got {len(values)}")
    return np.array(values, dtype=np.float32).reshape(3, 3)


#: The explainer's kernel menu: the classic kernels, then one the student types.
OWN_KERNEL = "your own"


def demo_kernel(name: str, typed: str = "") -> np.ndarray:
    """The kernel the convolution explainer applies: a classic one, or nine typed numbers.

    Args:
        name: a key of :data:`KERNELS`, or :data:`OWN_KERNEL` for the typed numbers.
        typed: the student's nine numbers, used only for :data:`OWN_KERNEL`.

    Raises:
        ValueError: the typed numbers are not a 3×3 kernel (see :func:`parse_kernel`).
    """
    if name == OWN_KERNEL:
        return parse_kernel(typed)
    return np.array(KERNELS.get(name, KERNELS["identity"]), dtype=np.float32)


def conv_output_size(size: int, kernel_size: int, stride: int, padding: str) -> int:
    """Output length along one axis: ``⌈n/s⌉`` with ``"same"``, ``⌊(n−k)/s⌋+1`` with ``"valid"``."""
    if padding == "same":
        return math.ceil(size / stride)
    return max(0, (size - kernel_size) // stride + 1)


def _same_padding(size: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """Zeros added before and after (TensorFlow's rule: the extra one goes after)."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def convolve2d(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: str = "valid"
) -> np.ndarray:
    """Slide a kernel over a grey image: the output pixel is the sum of the products.

    Deep learning's "convolution" does not flip the kernel (strictly it is a
    cross-correlation), exactly like ``keras.ops.conv``.

    Args:
        image: ``(height, width)`` floats.
        kernel: ``(k, k)`` weights.
        stride: step between two positions of the kernel, in pixels.
        padding: ``"valid"`` (only where the kernel fits) or ``"same"`` (zeros around
            the border so that, with stride 1, the output has the input's size).

    Returns:
        The feature map, ``(conv_output_size(height), conv_output_size(width))``.
    """
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    k_rows, k_cols = kernel.shape
    if padding == "same":
        image = np.pad(
            image,
            (
                _same_padding(image.shape[0], k_rows, stride),
                _same_padding(image.shape[1], k_cols, stride),
            ),
        )
    out_rows = (image.shape[0] - k_rows) // stride + 1
    out_cols = (image.shape[1] - k_cols) // stride + 1
    if out_rows < 1 or out_cols < 1:
        raise ValueError("the kernel is larger than the image: use 'same' padding")
    output = np.zeros((out_rows, out_cols))
    for i in range(k_rows):  # k² shifted copies of the image, weighted and summed
        for j in range(k_cols):
            output += (
                kernel[i, j]
                * image[
                    i : i + stride * (out_rows - 1) + 1 : stride,
                    j : j + stride * (out_cols - 1) + 1 : stride,
                ]
            )
    return output


def pool2d(feature_map: np.ndarray, pool_size: int = 2, kind: str = "max") -> np.ndarray:
    """Max or average over non-overlapping ``pool_size``² windows (a ragged edge is dropped)."""
    rows, cols = (feature_map.shape[0] // pool_size, feature_map.shape[1] // pool_size)
    if rows < 1 or cols < 1:
        raise ValueError("the feature map is smaller than the pooling window")
    windows = feature_map[: rows * pool_size, : cols * pool_size].reshape(
        rows, pool_size, cols, pool_size
    )
    return windows.max(axis=(1, 3)) if kind == "max" else windows.mean(axis=(1, 3))


def grey(image: np.ndarray) -> np.ndarray:
    """``(h, w, c)`` uint8 → ``(h, w)`` floats in [0, 1] (luminance for colour)."""
    image = np.asarray(image, dtype=np.float64) / 255.0
    if image.ndim == 3 and image.shape[-1] == 3:
        return image @ np.array([0.299, 0.587, 0.114])
    return image.reshape(image.shape[0], image.shape[1])
