"""course_lib.deep_supervised_learning.charts: the decision boundary and the neurons."""

import dataclasses

from course_lib.deep_supervised_learning.charts import (
    boundary_chart,
    boundary_frame,
    neuron_chart,
    neuron_frame,
)
from course_lib.deep_supervised_learning.data import (
    make_dataset,
)
from course_lib.deep_supervised_learning.experiment import (
    PlaygroundSettings,
)
from course_lib.deep_supervised_learning.model import (
    model_for,
)


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


def test_boundary_and_neuron_frames_cover_the_grid():
    choice = settings(dataset="Gaussian blobs", classes=4, hidden_units_1=3)
    data = make_dataset(choice)
    model = model_for(choice, data.classes)
    frame = boundary_frame(model, data, resolution=20)
    assert len(frame) == 400
    assert set(frame["predicted"]) <= set(data.class_names)
    assert frame["confidence"].between(1 / 4 - 1e-6, 1 + 1e-6).all()
    chart = boundary_chart(frame, data).to_dict()
    assert len(chart["layer"]) == 2
    neurons = neuron_frame(model, data, resolution=10, max_neurons=8)
    # layer 1 has 3 neurons, layer 2 the default 8
    assert len(neurons) == (3 + 8) * 100
    assert neurons["scaled"].between(-1 - 1e-6, 1 + 1e-6).all()
    neuron_chart(neurons).to_dict()


def test_the_boundary_picture_is_the_predicted_class_paler_where_unsure():
    """One PNG for all regions: each cell the predicted class's colour over white, at
    the chart's opacity for its confidence; x₂ grows upwards (the top row is x₂'s max)."""
    import base64
    import zlib

    import numpy as np
    import pandas as pd

    from course_lib.deep_supervised_learning.charts import (
        CELL_PIXELS,
        CLASS_COLOURS,
        REGION_OPACITY,
        boundary_image,
    )

    data = make_dataset(settings(dataset="Gaussian blobs", classes=2))
    names = list(data.class_names)
    # a 2x2 grid, rows of x₂ upwards: bottom row class 0 (certain, then unsure), top class 1
    frame = pd.DataFrame(
        {
            "predicted": pd.Categorical.from_codes([0, 0, 1, 1], categories=names),
            "confidence": [1.0, 0.5, 1.0, 1.0],
        }
    )
    url = boundary_image(frame, data)
    png = base64.b64decode(url.removeprefix("data:image/png;base64,"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    side = 2 * CELL_PIXELS
    raw = zlib.decompress(png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8])
    rows = np.frombuffer(raw, np.uint8).reshape(side, 1 + 3 * side)[:, 1:].reshape(side, side, 3)

    def expected(colour: str, alpha: float) -> np.ndarray:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return np.round(255 * (1 - alpha) + rgb * alpha)

    high, low = REGION_OPACITY[1], REGION_OPACITY[0]
    np.testing.assert_array_equal(rows[0, 0], expected(CLASS_COLOURS[1], high))  # top: class 1
    np.testing.assert_array_equal(rows[-1, 0], expected(CLASS_COLOURS[0], high))  # bottom left
    np.testing.assert_array_equal(rows[-1, -1], expected(CLASS_COLOURS[0], low))  # a guess
