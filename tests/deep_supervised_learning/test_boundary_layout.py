"""The playground's boundary: one shared layout per data set, this network's regions put in."""

import dataclasses
import json

from app_pages.deep_supervised_learning_sections import training as page
from course_lib.deep_supervised_learning.charts import boundary_chart, boundary_frame
from course_lib.deep_supervised_learning.data import make_dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.model import model_for


def named_in_order(spec: dict) -> dict:
    """The spec with its data sets named by position (Altair names them by a content hash)."""
    text = json.dumps(spec)
    for i, name in enumerate(spec.get("datasets", {})):
        text = text.replace(name, f"data-{i}")
    return json.loads(text)


def test_the_spec_is_the_checked_chart_with_this_networks_regions():
    settings = PlaygroundSettings()
    data = make_dataset(settings)
    frame = boundary_frame(model_for(settings, data.classes), data, resolution=20)
    spec = page.boundary_spec(frame, data, "after 0 epochs")
    expected = page.square(boundary_chart(frame, data)).to_dict()  # built and schema-checked
    expected["title"] = "after 0 epochs"
    assert named_in_order(spec) == named_in_order(expected)


def test_equal_data_sets_share_one_layout_and_other_data_get_their_own():
    settings = PlaygroundSettings()
    one = make_dataset(settings)
    again = dataclasses.replace(one, x_train=one.x_train.copy())  # another student's equal copy
    assert page.fingerprint(one) == page.fingerprint(again)
    assert page.boundary_layout(one, False) is page.boundary_layout(again, False)
    noisier = make_dataset(dataclasses.replace(settings, noise=settings.noise + 0.1))
    assert page.fingerprint(noisier) != page.fingerprint(one)
    assert page.boundary_layout(noisier, False) != page.boundary_layout(one, False)
