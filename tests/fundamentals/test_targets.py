"""Targets: the menu, a typed formula, and points from an uploaded CSV."""

import numpy as np
import pytest

from course_lib.fundamentals import targets as tg
from course_lib.fundamentals.approximation import HandSettings
from course_lib.fundamentals.backprop import BackpropSettings
from course_lib.fundamentals.network import FitSettings
from course_lib.fundamentals.sweep import DepthSettings, SweepSettings
from course_lib.settings import validate

# -- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(tg.TARGETS))
def test_every_menu_target_is_finite_on_its_interval(name):
    points = tg.target_points(tg.TargetSettings(target=name, samples=100))
    target = tg.TARGETS[name]
    assert points.x.shape == points.y.shape == (100,)
    assert points.low == target.low and points.high == target.high
    assert np.all(np.isfinite(points.y)) and np.ptp(points.y) > 0


def test_a_typed_formula_is_sampled_on_its_interval():
    points = tg.target_points(
        tg.TargetSettings(target=tg.FORMULA, formula="sin(3*x) + x**2", low=-1, high=2, samples=50)
    )
    np.testing.assert_allclose(points.y, np.sin(3 * points.x) + points.x**2)
    assert (points.low, points.high) == (-1, 2)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            tg.TargetSettings(target=tg.FORMULA, formula="1/x", low=-1, high=1, samples=201),
            "Division by zero",
        ),
        (tg.TargetSettings(target=tg.FORMULA, formula="x.real"), "Attribute"),
        (tg.TargetSettings(target=tg.FORMULA, low=2, high=1), "left end"),
        (tg.TargetSettings(target=tg.CSV), "Upload a CSV"),
    ],
)
def test_unusable_targets_raise_a_plain_message(settings, message):
    with pytest.raises(ValueError, match=message):
        tg.target_points(settings)


def test_settings_defaults_are_valid():
    for settings in (
        tg.TargetSettings(),
        HandSettings(),
        FitSettings(),
        SweepSettings(),
        DepthSettings(),
        BackpropSettings(),
    ):
        validate(settings)


# -- uploaded CSV -------------------------------------------------------------------------


def test_csv_with_a_header_is_read_and_sorted():
    points, notices = tg.read_csv_points(b"x,y\n0.5,1\n0,0\n1,2\n0.25,0.5\n0.75,1.5\n")
    np.testing.assert_allclose(points.x, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(points.y, 2 * points.x)
    assert notices == []


def test_csv_without_header_and_extra_columns_uses_the_first_two():
    rows = "\n".join(f"{i},{i * i},extra" for i in range(6)).encode()
    points, notices = tg.read_csv_points(rows)
    np.testing.assert_allclose(points.y, points.x**2)
    assert "first two" in notices[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n", "no rows"),
        (b"x\n1\n2\n3\n4\n5\n", "one column"),
        (b"x,y\n1,2\n2,abc\n3,4\n4,5\n5,6\n", "row 3, column y holds 'abc'"),
        (b"1,2\n2,\n3,4\n4,5\n5,6\n", "missing"),
        (b"1,2\n2,nan\n3,4\n4,5\n5,6\n", "missing"),
        (b"1,2\n2,inf\n3,4\n4,5\n5,6\n", "infinite"),
        (b"1,2\n1,3\n3,4\n4,5\n5,6\n", "x = 1 appears more than once"),
        (b"1,2\n2,3\n", "at least 5"),
        (b"x,y\n", "no data rows"),
        (b"\xff\xfe\x00garbage", "not a text"),
    ],
)
def test_bad_csv_files_get_a_clear_message(data, message):
    with pytest.raises(ValueError, match=message):
        tg.read_csv_points(data, "data.csv")


def test_a_million_rows_are_down_sampled_evenly():
    x = np.linspace(0, 1, 1_000_000)
    text = "\n".join(f"{a:.7f},{b:.5f}" for a, b in zip(x, np.sin(6 * x), strict=True))
    points, notices = tg.read_csv_points(text.encode())
    assert len(points.x) == tg.MAX_POINTS
    assert points.low == 0 and points.high == 1
    assert "1,000,000 points" in notices[0]
    np.testing.assert_allclose(points.y, np.sin(6 * points.x), atol=1e-4)


def test_too_big_a_file_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(tg, "MAX_CSV_BYTES", 100)
    with pytest.raises(ValueError, match="at most"):
        tg.read_csv_points(b"1,2\n" * 100)
