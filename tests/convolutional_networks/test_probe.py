"""What it learnt and where it fails: evaluation, confusion, filters, feature maps."""

import numpy as np
import pytest

from course_lib.convolutional_networks import probe
from course_lib.convolutional_networks.model import layer_rows
from course_lib.convolutional_networks.pretrained import PRETRAINED_SETTINGS


def test_confusion_matrix_and_misclassified_examples(digits, pretrained_model):
    model, _ = pretrained_model
    result = probe.evaluate(model, digits)
    assert result.confusion.sum() == len(digits.y_test)
    assert np.trace(result.confusion) / len(digits.y_test) == pytest.approx(result.accuracy)
    true, predicted = probe.most_confused_pair(result.confusion)
    wrong = probe.misclassified(digits.y_test, result.predicted, true, predicted)
    assert len(wrong) == result.confusion[true, predicted] > 0
    assert np.all(digits.y_test[wrong] == true) and np.all(result.predicted[wrong] == predicted)
    assert probe.most_confused_pair(np.eye(3, dtype=int) * 5) is None


def test_filters_and_feature_maps_have_the_table_shapes(digits, pretrained_model):
    model, _ = pretrained_model
    filters = probe.first_layer_filters(model)
    assert filters.shape == (32, 3, 3) and filters.dtype == np.uint8
    maps = probe.feature_maps(model, digits.x_test[0])
    rows = {r.layer: r.output_shape for r in layer_rows(PRETRAINED_SETTINGS, (8, 8, 1), 10)}
    assert [name for name, _ in maps] == ["conv1", "conv2"]
    for name, activations in maps:
        assert activations.shape == rows[name]
    grid = probe.feature_map_grid(maps[1][1], max_maps=16, columns=8)
    assert grid.dtype == np.uint8 and grid.ndim == 2


def test_top_k_is_sorted():
    frame = probe.top_k(np.array([0.1, 0.5, 0.05, 0.35]), ("a", "b", "c", "d"), k=3)
    assert list(frame["class"]) == ["b", "d", "a"]


def test_a_training_example_is_of_the_class_asked_for(digits):
    for label in (0, 7):
        example = probe.training_example(digits, label)
        first = int(np.flatnonzero(digits.y_train == label)[0])
        np.testing.assert_array_equal(example, digits.x_train[first])
        assert example.shape == digits.image_shape
