"""Painted points become a Dataset as they were painted, classes numbered without gaps."""

import numpy as np
import pytest

from backprop_gui.core.datasets import make_dataset
from backprop_gui.core.errors import DatasetError
from backprop_gui.core.painted import dataset_points, painted_dataset


def test_classes_are_renumbered_without_gaps_and_the_task_follows_them():
    ds = painted_dataset([[0, 0, 0], [1, 1, 2], [2, 2, 2]])
    assert ds.task == "binary" and list(ds.y) == [0, 1, 1] and ds.class_names == ["0", "1"]
    ds = painted_dataset([[0, 0, 0], [1, 1, 1], [2, 2, 5]])
    assert ds.task == "multiclass" and ds.n_outputs == 3
    np.testing.assert_array_equal(ds.X, [[0, 0], [1, 1], [2, 2]])


def test_regression_keeps_the_values():
    ds = painted_dataset([[0, 0, 0.5], [1, 1, -2.0]], "regression")
    assert ds.task == "regression" and list(ds.y) == [0.5, -2.0]


def test_a_built_in_set_becomes_its_painted_points_unchanged():
    circles = make_dataset("circles", 50, 0.1, 3)
    again = painted_dataset(dataset_points(circles))
    np.testing.assert_array_equal(again.X, circles.X)
    np.testing.assert_array_equal(again.y, circles.y)


def test_bad_points_are_a_dataset_error():
    with pytest.raises(DatasetError, match="at least two classes"):
        painted_dataset([[0, 0, 1], [1, 1, 1]])
