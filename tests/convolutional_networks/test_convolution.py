"""How a convolution works: numpy's convolution and pooling equal Keras's; typed kernels."""

import numpy as np
import pytest

from course_lib.convolutional_networks import convolution


# -- 1. convolution --------------------------------------------------------------------
@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("kernel_size", [3, 5])
def test_convolve2d_matches_keras_conv(stride, padding, kernel_size):
    import keras

    rng = np.random.default_rng(kernel_size + stride)
    image = rng.normal(size=(9, 12))
    kernel = rng.normal(size=(kernel_size, kernel_size))
    ours = convolution.convolve2d(image, kernel, stride=stride, padding=padding)
    theirs = keras.ops.conv(
        image[None, :, :, None].astype("float32"),
        kernel[:, :, None, None].astype("float32"),
        strides=stride,
        padding=padding,
    )
    theirs = np.asarray(theirs)[0, :, :, 0]
    assert ours.shape == theirs.shape
    assert ours.shape[0] == convolution.conv_output_size(9, kernel_size, stride, padding)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", ["max", "average"])
def test_pool2d_matches_keras_pooling(kind):
    import keras

    feature_map = np.random.default_rng(0).normal(size=(7, 6))
    pool = keras.ops.max_pool if kind == "max" else keras.ops.average_pool
    theirs = np.asarray(pool(feature_map[None, :, :, None].astype("float32"), 2, 2, "valid"))
    np.testing.assert_allclose(
        convolution.pool2d(feature_map, 2, kind), theirs[0, :, :, 0], rtol=1e-5
    )


def test_parse_kernel_accepts_nine_numbers_and_explains_otherwise():
    kernel = convolution.parse_kernel("-1, 0 1\n-2 0 2; -1 0 1")
    np.testing.assert_array_equal(kernel, np.array(convolution.KERNELS["vertical edges (Sobel)"]))
    for bad in ("1 2 3", "a b c d e f g h i", "1 2 3 4 5 6 7 8 nan", ""):
        with pytest.raises(ValueError, match="nine"):
            convolution.parse_kernel(bad)


def test_the_explainer_kernel_is_a_classic_one_or_the_typed_numbers():
    np.testing.assert_array_equal(
        convolution.demo_kernel("sharpen"), convolution.KERNELS["sharpen"]
    )
    assert convolution.demo_kernel("sharpen").dtype == np.float32
    typed = convolution.demo_kernel(convolution.OWN_KERNEL, "1 2 3 4 5 6 7 8 9")
    np.testing.assert_array_equal(typed, np.arange(1, 10).reshape(3, 3))
    with pytest.raises(ValueError, match="nine"):
        convolution.demo_kernel(convolution.OWN_KERNEL, "1 2 3 4")
    assert convolution.OWN_KERNEL not in convolution.KERNELS
