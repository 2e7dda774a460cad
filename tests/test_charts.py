import numpy as np
import pandas as pd

from course_lib import charts
from course_lib.training import learning_curves_frame


def history(epochs=5):
    return [
        {
            "epoch": e,
            "loss": 1 / e,
            "val_loss": 1.2 / e,
            "accuracy": 0.5 + e / 20,
            "seconds": e * 0.1,
        }
        for e in range(1, epochs + 1)
    ]


def spec(chart):
    return charts.readable(chart).to_dict()


def test_learning_curves_train_and_validation():
    frame = learning_curves_frame(history())
    chart = charts.learning_curves(frame, "loss")
    d = spec(chart)
    data = pd.DataFrame(d["datasets"][d["data"]["name"]])
    assert set(data["split"]) == {"train", "validation"}
    assert len(data) == 10  # the loss's rows only, train and validation for five epochs
    assert d["encoding"]["x"]["title"] == "epoch"
    assert d["encoding"]["color"]["scale"]["domain"] == ["train", "validation"]
    # without validation data the legend names only the training curve
    train_only = learning_curves_frame([{"epoch": 1, "loss": 1.0}])
    assert spec(charts.learning_curves(train_only, "loss", x_title="update"))["encoding"]["color"][
        "scale"
    ]["domain"] == ["train"]
    assert d["config"]["axis"]["labelFontSize"] >= 14  # readable on a projector


def test_learning_curves_with_baselines_and_log_scale():
    frame = learning_curves_frame(history())
    d = spec(
        charts.learning_curves(
            frame, "loss", log_scale=True, reference_lines={"uniform guess": 2.0}
        )
    )
    assert d["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    baseline_values = [v for dataset in d["datasets"].values() for v in dataset if "label" in v]
    assert {"label": "uniform guess", "value": 2.0} in baseline_values


def test_learning_curves_of_an_empty_history():
    d = spec(charts.learning_curves(learning_curves_frame([]), "loss"))
    assert d["mark"]["type"] == "line"


def test_function_plot_dashes_the_named_series():
    x = np.linspace(0, 1, 5)
    frame = pd.concat(
        [
            pd.DataFrame({"x": x, "y": np.sin(x), "curve": "target"}),
            pd.DataFrame({"x": x, "y": x, "curve": "unit 1"}),
        ]
    )
    d = spec(charts.function_plot(frame, dashed=["unit 1"]))
    assert d["encoding"]["strokeDash"]["condition"]["test"]["oneOf"] == ["unit 1"]
    assert d["encoding"]["color"]["scale"]["domain"] == ["target", "unit 1"]


def test_heatmap_cells_cover_the_grid():
    g = np.linspace(-1, 1, 4)
    xx, yy = np.meshgrid(g, g)
    frame = pd.DataFrame({"x1": xx.ravel(), "x2": yy.ravel(), "p": (xx * yy).ravel()})
    chart = charts.heatmap(frame, x="x1", y="x2", value="p", domain=(0, 1))
    d = spec(chart)
    assert d["mark"]["type"] == "rect"
    step = g[1] - g[0]
    assert d["encoding"]["x"]["scale"]["domain"] == [-1 - step / 2, 1 + step / 2]
    assert len(chart.data) == 16


def test_binned_heatmap_for_a_confusion_matrix():
    frame = pd.DataFrame(
        {"true": ["a", "a", "b", "b"], "predicted": ["a", "b", "a", "b"], "count": [5, 1, 0, 6]}
    )
    d = spec(charts.heatmap(frame, x="predicted", y="true", value="count", binned=True))
    assert d["encoding"]["x"]["type"] == "ordinal"


def test_bar_chart_on_a_log_scale_starts_below_the_smallest_bar():
    frame = pd.DataFrame({"network": ["AlexNet", "GPT-3"], "parameters": [6e7, 1.75e11]})
    d = spec(charts.bar_chart(frame, category="network", value="parameters", log_scale=True))
    assert d["encoding"]["x"]["scale"]["type"] == "log"
    assert d["encoding"]["x2"]["datum"] == 1e6


def test_learning_curves_draw_the_previous_run_as_a_labelled_ghost():
    from course_lib.training import learning_curves_frame

    now = learning_curves_frame([{"epoch": e, "loss": 1 / e, "val_loss": 1.2 / e} for e in (1, 2)])
    before = learning_curves_frame(
        [{"epoch": e, "loss": 2 / e, "val_loss": 3 / e} for e in (1, 2, 3)]
    )
    spec = charts.learning_curves(now, "loss", previous=before).to_dict()
    ghost = spec["datasets"][charts.GHOST]
    assert [row["value"] for row in ghost] == [3.0, 1.5, 1.0]  # its validation curve
    ghost_layers = spec["layer"][0]  # behind this run's curve
    assert ghost_layers["data"] == {"name": charts.GHOST}
    line, label = ghost_layers["layer"]
    assert line["mark"]["strokeDash"] and label["mark"]["type"] == "text"
    assert {"calculate": "'previous run'", "as": "label"} in label["transform"]
    assert "layer" not in charts.learning_curves(now, "loss").to_dict()  # no ghost, no layer


def test_a_live_panel_sends_the_same_layout_each_epoch():
    from course_lib.training import learning_curves_frame

    layouts, datasets = [], []
    for epochs in (2, 3, 40):
        frame = learning_curves_frame(history(epochs))
        layout, rows = charts.learning_curves_parts(frame, "loss", previous=frame)
        layouts.append(layout)
        datasets.append(rows)
    assert layouts[0] == layouts[1] == layouts[2]  # the browser keeps the chart it has
    assert [len(rows[charts.CURVES]) for rows in datasets] == [4, 6, 80]
    # the chart a notebook draws is that layout with those rows
    frame = learning_curves_frame(history(3))
    layout, rows = charts.learning_curves_parts(frame, "loss")
    whole = charts.learning_curves(frame, "loss").to_dict()
    assert {k: v for k, v in whole.items() if k != "datasets"} == {
        k: v for k, v in charts.learning_curves_layout(**layout).to_dict().items()
    }
    assert whole["datasets"][charts.CURVES] == rows[charts.CURVES].to_dict("records")
