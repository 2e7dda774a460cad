"""course_lib.deep_supervised_learning.data: generated sets, the stratified split, CSV checks."""

import dataclasses

import numpy as np
import pytest

from course_lib.deep_supervised_learning.data import (
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    CsvProblem,
    _generated,
    load_csv,
    make_dataset,
)
from course_lib.deep_supervised_learning.experiment import (
    DATASETS,
    PlaygroundSettings,
)


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


GENERATED = [name for name in DATASETS if name != "your CSV"]


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sets_have_the_asked_shapes_and_balanced_classes(name):
    data = make_dataset(settings(dataset=name, samples=301, test_fraction=0.25, classes=4))
    classes = 4 if name == "Gaussian blobs" else 2
    assert data.classes == classes
    assert data.x_train.shape[1] == 2 and data.x_test.shape[1] == 2
    assert len(data.x_train) + len(data.x_test) == 301
    assert len(data.x_test) == pytest.approx(0.25 * 301, abs=classes)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int32
    labels = np.concatenate([data.y_train, data.y_test])
    counts = np.bincount(labels, minlength=classes)
    assert counts.max() - counts.min() <= 1  # as even as 301 points allow
    # each class keeps its share in the test set (stratified split)
    test_counts = np.bincount(data.y_test, minlength=classes)
    assert test_counts.max() - test_counts.min() <= 1
    assert not data.x_train.flags.writeable  # shared by all sessions through the cache


@pytest.mark.parametrize("name", GENERATED)
def test_the_seed_fixes_the_points(name):
    first = make_dataset(settings(dataset=name, seed=3))
    again = _generated.__wrapped__(name, 400, 0.1, 3 if name == "Gaussian blobs" else 2, 0.3, 3)
    other = make_dataset(settings(dataset=name, seed=4))
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.x_train, other.x_train)


def test_noise_free_sets_have_their_shape():
    spirals = make_dataset(settings(dataset="two spirals", noise=0.0, samples=200))
    radius = np.hypot(*spirals.x_train.T)
    assert radius.min() >= 0.1 - 1e-6 and radius.max() <= 1.5 + 1e-6
    circles = make_dataset(settings(dataset="circles", noise=0.0))
    radius = np.hypot(*circles.x_train.T)
    np.testing.assert_allclose(radius, np.where(circles.y_train == 0, 1.0, 0.5), atol=1e-6)
    xor = make_dataset(settings(dataset="XOR", noise=0.0))
    product = xor.x_train[:, 0] * xor.x_train[:, 1]
    assert np.all((product < 0) == (xor.y_train == 1))


def csv(rows, header="x1,x2,label") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def good_rows(n=40, classes=2):
    rng = np.random.default_rng(0)
    return [f"{rng.normal():.4f},{rng.normal():.4f},{i % classes}" for i in range(n)]


def test_a_good_csv_loads_standardised_with_named_classes():
    rows = [f"{x},{2 * x},{'cat' if x % 2 else 'dog'}" for x in range(100)]
    data = load_csv(csv(rows, header="X1, x2 ,Label"), test_fraction=0.2)
    assert data.class_names == ("cat", "dog")
    assert len(data.x_train) + len(data.x_test) == 100
    points = np.concatenate([data.x_train, data.x_test])
    np.testing.assert_allclose(points.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(points.std(axis=0), 1, atol=1e-5)


def test_numeric_labels_are_ordered_as_numbers():
    rows = [f"{i},{i},{label}" for i, label in enumerate([10, 2, 1] * 5)]
    assert load_csv(csv(rows)).class_names == ("1", "2", "10")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (csv(good_rows(), header="a,b,c"), "Missing column(s) x1, x2, label"),
        (csv(["1,2,0", "hello,3,1", *good_rows()]), "row 3"),
        (csv([f"{i},{i},same" for i in range(20)]), "same label"),
        (csv([f"{i},{i},{i}" for i in range(30)]), "30 different values"),
        (b"\xff\xfe\x00\x01binary", "not a text file"),
        (b"", "could not be read"),
        (csv(["1,2,0", "3,4,1", "5,6,1"]), "single point"),
        (csv(["nan,1,0", "inf,2,1"]), "no complete rows"),
    ],
    ids=[
        "columns",
        "non-numeric",
        "one-class",
        "too-many-classes",
        "binary",
        "empty",
        "lonely-class",
        "only-nan",
    ],
)
def test_hostile_csvs_get_a_plain_message(data, words):
    with pytest.raises(CsvProblem, match=None) as problem:
        load_csv(data)
    assert words in str(problem.value)


def test_nan_and_inf_rows_are_dropped_with_a_note():
    rows = [*good_rows(40), "nan,1,0", "1,inf,1", ",2,0", "1,-inf,1", "1,2,"]
    data = load_csv(csv(rows))
    assert len(data.x_train) + len(data.x_test) == 40
    assert np.isfinite(data.x_train).all()
    assert any("Dropped 5 row(s)" in note for note in data.notes)


def test_a_million_rows_are_down_sampled_keeping_the_class_shares():
    rng = np.random.default_rng(1)
    n = 10**6
    labels = np.where(rng.uniform(size=n) < 0.8, 0, 1)
    body = "\n".join(
        f"{a:.3f},{b:.3f},{c}"
        for a, b, c in zip(rng.normal(size=n), rng.normal(size=n), labels, strict=True)
    )
    data = load_csv(("x1,x2,label\n" + body).encode())
    total = len(data.x_train) + len(data.x_test)
    assert total <= MAX_CSV_ROWS
    share = np.concatenate([data.y_train, data.y_test]).mean()
    assert share == pytest.approx(0.2, abs=0.03)
    assert any("1,000,000 points" in note for note in data.notes)


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(CsvProblem, match="MB"):
        load_csv(b"0" * (MAX_CSV_BYTES + 1))
