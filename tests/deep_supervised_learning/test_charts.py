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
