"""Section 2 of the convolutional-networks lesson: how a convolution works.

A test image, a kernel (a classic one or nine numbers the student types), stride,
padding and pooling, and the feature map that comes out, computed in numpy.
"""

import streamlit as st

from app_pages.convolutional_networks_sections import PREFIX
from course_lib import datasets, ui
from course_lib.convolutional_networks import charts, convolution

CONVOLUTION_TEXT = (
    "A convolution slides a small grid of weights, the **kernel**, over the image. At each "
    "position it multiplies the pixels under the kernel by the weights and adds them up: "
    "one number of the output, the **feature map**. It is large where the image looks like "
    "the kernel. A stride of 2 halves the size, 'valid' padding loses a border, 2×2 "
    "pooling halves the size again, keeping the strongest (max) or the mean response."
)
CONVOLUTION_FORMULA = (
    r"\text{out}[i,j] = \sum_{u=0}^{k-1}\sum_{v=0}^{k-1} w[u,v]\;x[s\,i+u,\;s\,j+v]"
)


def show(dataset: datasets.ImageDataset) -> None:
    """Draw the convolution explainer on one of ``dataset``'s test images."""
    st.header("2 · How a convolution works")
    st.markdown(CONVOLUTION_TEXT)
    columns = st.columns(5)  # the knobs in a row, the picture right under them
    index = columns[0].number_input(
        "Test image", 0, len(dataset.y_test) - 1, 0, key=PREFIX + "demo_image"
    )
    kernel_name = columns[1].selectbox(
        "Kernel", [*convolution.KERNELS, convolution.OWN_KERNEL], key=PREFIX + "demo_kernel"
    )
    stride = columns[2].radio("Stride", (1, 2), horizontal=True, key=PREFIX + "demo_stride")
    padding = columns[3].radio(
        "Padding", ("same", "valid"), horizontal=True, key=PREFIX + "demo_padding"
    )
    pooling = columns[4].radio(
        "Pooling", ("max", "average", "none"), horizontal=True, key=PREFIX + "demo_pool"
    )
    typed = ""
    if kernel_name == convolution.OWN_KERNEL:
        typed = columns[1].text_input(
            "Nine numbers, row by row", "1 0 -1 2 0 -2 1 0 -1", key=PREFIX + "demo_typed"
        )
    try:
        kernel = convolution.demo_kernel(kernel_name, typed)
    except ValueError as problem:
        st.error(
            f"Kernel not understood: {problem}. Showing the identity.", icon=":material/error:"
        )
        kernel = convolution.demo_kernel("identity")
    demo, shapes = charts.convolution_demo(
        convolution.grey(dataset.x_test[index]), kernel, stride, padding, pooling
    )
    ui.chart(demo)
    st.caption(shapes)
    st.latex(CONVOLUTION_FORMULA)
    ui.show_code(convolution.convolve2d, convolution.pool2d)
