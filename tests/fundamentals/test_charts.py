"""The chapter's charts: one line mark for the approximation, log axes for the sweeps."""

import numpy as np

from course_lib.fundamentals import approximation as ap
from course_lib.fundamentals import charts
from course_lib.fundamentals import targets as tg


def test_the_approximation_chart_is_its_layout_with_the_data():
    points = tg.target_points(tg.TargetSettings(samples=64))
    x = charts.plot_grid(points)
    network = ap.place_bumps(points, 4, "sigmoid")
    shares = ap.hand_contributions(network, x)
    frame = charts.approximation_frame(points, x, ap.hand_predict(network, x), shares, highlight=1)
    assert len(frame) == 4 * charts.PLOT_POINTS + len(points.x) + charts.PLOT_POINTS
    assert set(frame["kind"]) == {"target", "network", "hidden unit", "edited unit"}
    spec = charts.approximation_chart(
        points, x, ap.hand_predict(network, x), shares, highlight=1
    ).to_dict()
    layout = charts.approximation_layout(charts.curve_kinds(shares, 1)).to_dict()
    assert spec["encoding"] == layout["encoding"] and spec["mark"] == layout["mark"]


def test_sweep_charts_use_log_axes():
    history = [
        {"epoch": 1, "network": "1", "network_epoch": 1, "loss": 0.5},
        {"epoch": 2, "network": "4", "network_epoch": 1, "loss": 0.4},
    ]
    loss = charts.sweep_loss_chart(history).to_dict()
    assert loss["encoding"]["y"]["scale"]["type"] == "log"
    assert loss["encoding"]["color"]["sort"] == ["1", "4"]
    import pandas as pd

    table = pd.DataFrame({"hidden_units": [1, 4], "parameters": [4, 13], "mse": [0.1, 0.01]})
    spec = charts.sweep_chart(table.assign(max_error=[0.3, 0.1])).to_dict()
    assert spec["encoding"]["x"]["scale"]["type"] == spec["encoding"]["y"]["scale"]["type"] == "log"


def test_the_error_curve_frame_names_the_errors_as_the_chart_shows_them():
    points = tg.target_points(tg.TargetSettings(samples=64))
    frame = charts.error_curve_frame(ap.bump_error_curve(points, "relu", max_units=5))
    assert list(frame.columns) == ["hidden_units", "max |ỹ − y|", "MSE"]
    assert np.all(np.isfinite(frame["MSE"]))
    assert charts.error_curve_title(5) == "Error of the automatic placement (your N = 5)"
