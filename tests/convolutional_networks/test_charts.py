"""The chapter's charts: the convolution explainer and the clickable confusion matrix."""

import numpy as np

from course_lib.convolutional_networks import charts, probe


def test_convolution_demo_describes_the_shapes():
    image = np.zeros((8, 8))
    _, shapes = charts.convolution_demo(image, np.ones((3, 3)), 2, "valid", "max")
    assert "→ 3×3 feature map → 2×2 max pooling → 1×1" in shapes


def test_a_click_on_the_confusion_matrix_selects_a_pair():
    names = ("cat", "dog", "fox")
    assert probe.selected_pair({"cell": [{"true": "dog", "predicted": "fox"}]}, names) == (1, 2)
    assert probe.selected_pair(
        {"cell": [], "cell_label": [{"true": "cat", "predicted": "dog"}]}, names
    ) == (0, 1)
    assert probe.selected_pair({"cell": [{"true": "<script>", "predicted": "dog"}]}, names) is None
    chart = charts.confusion_chart(np.array([[3, 1, 0], [0, 4, 0], [2, 0, 5]]), names).to_dict()
    assert {p["name"] for p in chart["params"]} == {"cell", "cell_label"}
