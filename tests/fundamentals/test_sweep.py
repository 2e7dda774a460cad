"""Sweeps: the width sweep and shallow to deep, trained live one network at a time."""

import numpy as np
import pytest

from course_lib.fundamentals import network as nw
from course_lib.fundamentals import sweep as sw
from course_lib.fundamentals import targets as tg


def sin_points(samples: int = 256) -> tg.Points:
    return tg.target_points(tg.TargetSettings(target="sin", samples=samples))


@pytest.mark.parametrize(
    ("text", "expected"), [("1, 4, 16", (1, 4, 16)), ("16;4;4,1", (1, 4, 16)), ("512", (512,))]
)
def test_widths_are_parsed(text, expected):
    assert sw.parse_widths(text) == expected


@pytest.mark.parametrize("text", ["", "a, b", "0, 4", "1000", ",".join(map(str, range(1, 13)))])
def test_bad_widths_are_refused(text):
    with pytest.raises(ValueError):
        sw.parse_widths(text)


def test_width_sweep_reports_one_row_per_width_and_wider_fits_better():
    progress = []
    frame = sw.width_sweep(
        sin_points(64),
        (1, 32),
        nw.FitSettings(),
        epochs=150,
        on_progress=lambda p, text: progress.append(p),
    )
    assert list(frame["hidden_units"]) == [1, 32]
    assert list(frame["parameters"]) == [4, 97]
    assert frame["mse"].iloc[1] < frame["mse"].iloc[0] / 10
    assert progress and 0 < progress[-1] <= 1


def test_depths_share_a_parameter_budget():
    for depth in (1, 2, 3):
        layers = sw.layers_for_budget(200, depth)
        assert len(layers) == depth
        assert abs(nw.parameter_count(layers) - 200) < 0.25 * 200
    assert nw.parameter_count((12, 12)) == 12 * 2 + 12 * 13 + 13


def test_compare_depths_fits_one_two_and_three_layers():
    summary, curves = sw.compare_depths(
        sin_points(64), sw.DepthSettings(budget=60, epochs=30), nw.FitSettings()
    )
    assert list(summary["hidden_layers"]) == [1, 2, 3]
    assert set(curves["curve"]) == {"target", "network"}
    assert np.all(np.isfinite(summary["mse"]))


# -- the live driver: one network at a time, a chunk at a time ----------------------------


def test_a_live_sweep_trains_in_chunks_and_keeps_every_button():
    training = sw.width_sweep_training(sin_points(32), (1, 4), nw.FitSettings(), epochs=20)
    assert training.total_epochs == 40 and training.current == (1,)
    training.start()
    first = training.run_chunk(max_seconds=0.0)  # a chunk is at least one epoch
    assert first and training.is_running
    row = first[0]
    assert (row["epoch"], row["network"], row["network_epoch"]) == (1, "1", 1) and row["loss"] > 0
    training.pause()
    assert training.run_chunk() == []  # paused: nothing trains
    training.step()  # one epoch, then paused again
    assert training.status == "paused" and training.epochs_done == len(first) + 1
    training.stop()
    assert training.status == "stopped" and training.rows == []  # no network finished yet
    training.start()  # resume the sweep where it stopped
    assert training.total_epochs == 40
    while training.is_running:
        training.run_chunk(max_seconds=0.2)
    assert training.status == "finished" and training.epochs_done == 40
    assert list(training.table()["hidden_units"]) == [1, 4]
    assert [row["network"] for row in training.history[::20]] == ["1", "4"]
    assert len(training.outputs) == 2 and training.current is None
    training.start()  # a finished sweep starts again from the first network
    assert training.epochs_done == 0 and training.rows == [] and training.is_running


def test_a_diverging_network_is_recorded_and_the_sweep_goes_on():
    fit = nw.FitSettings(optimizer="sgd", learning_rate=10.0)
    training = sw.run_sweep(sw.width_sweep_training(sin_points(64), (8, 16), fit, epochs=50))
    assert training.status == "finished"
    table = training.table()
    assert list(table["hidden_units"]) == [8, 16] and table["diverged"].all()
    assert training.epochs_done == table["epochs"].sum() < 100
