"""The playground's boundary: one shared layout per data set, this network's regions put in."""

import dataclasses
import json

from app_pages.deep_supervised_learning_sections import training as page
from course_lib.deep_supervised_learning.charts import boundary_chart, boundary_frame
from course_lib.deep_supervised_learning.data import make_dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.model import model_for


def named_in_order(spec: dict) -> dict:
    """The spec with its data sets named by position (Altair names them by a content hash),
    the regions' picture (the one with an image) named by its role, in any order."""
    text, others = json.dumps(spec), 0
    for name, rows in spec.get("datasets", {}).items():
        if "image" in rows[0]:
            text = text.replace(name, "regions")
        else:
            text, others = text.replace(name, f"data-{others}"), others + 1
    named = json.loads(text)
    named["datasets"] = dict(sorted(named["datasets"].items()))
    return named


def test_the_spec_is_the_checked_chart_with_this_networks_regions():
    settings = PlaygroundSettings()
    data = make_dataset(settings)
    frame = boundary_frame(model_for(settings, data.classes), data, resolution=20)
    spec = page.boundary_spec(frame, data, "after 0 epochs")
    expected = page.square(boundary_chart(frame, data)).to_dict()  # built and schema-checked
    # the title is the regions' row's (a redraw changes a data set, not the layout)
    (row,) = spec["datasets"][page.REGIONS]
    assert row["title"] == "after 0 epochs"
    assert spec.pop("title") == {"text": {"expr": f"data('{page.REGIONS}')[0].title"}}
    expected.pop("title", None)
    del row["title"]
    assert named_in_order(spec) == named_in_order(expected)


def test_a_redraw_changes_only_the_regions_data_set():
    settings = PlaygroundSettings()
    data = make_dataset(settings)
    model = model_for(settings, data.classes)
    before = page.boundary_spec(boundary_frame(model, data, resolution=20), data, "0 epochs")
    model.set_weights([w + 0.5 for w in model.get_weights()])  # another network
    after = page.boundary_spec(boundary_frame(model, data, resolution=20), data, "9 epochs")
    assert before["datasets"][page.REGIONS] != after["datasets"][page.REGIONS]
    for spec in (before, after):
        del spec["datasets"][page.REGIONS]
    assert before == after  # the layout and the points: the same, the browser keeps the chart


def test_equal_data_sets_share_one_layout_and_other_data_get_their_own():
    settings = PlaygroundSettings()
    one = make_dataset(settings)
    again = dataclasses.replace(one, x_train=one.x_train.copy())  # another student's equal copy
    assert page.fingerprint(one) == page.fingerprint(again)
    assert page.boundary_layout(one, False) is page.boundary_layout(again, False)
    noisier = make_dataset(dataclasses.replace(settings, noise=settings.noise + 0.1))
    assert page.fingerprint(noisier) != page.fingerprint(one)
    assert page.boundary_layout(noisier, False) != page.boundary_layout(one, False)
