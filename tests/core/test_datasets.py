"""The built-in data sets: shapes, classes, ranges, seeds, and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_gui.core.data import Dataset
from backprop_gui.core.datasets import KINDS, MAX_SAMPLES, PLANE_SLOPES, make_dataset
from backprop_gui.core.errors import DatasetError

CLASSES = {"circles": 2, "moons": 2, "blobs": 2, "spiral": 2, "spiral3": 3}


def test_xor_is_the_reference_example_bit_for_bit():
    d = make_dataset("xor", samples=999, noise=5.0, seed=42)  # all three are ignored
    assert d.X.dtype == np.float64 and d.X.tolist() == [[1, 1], [0, 1], [1, 0], [0, 0]]
    assert d.y.tolist() == [0, 1, 1, 0] and np.issubdtype(d.y.dtype, np.integer)
    assert (d.task, d.class_names, d.feature_names, d.name) == ("binary", ["0", "1"],
                                                                ["x1", "x2"], "xor")


def test_kinds_start_with_xor_and_circles():
    assert KINDS[:2] == ("xor", "circles") and len(set(KINDS)) == len(KINDS) == 8


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_classification_sets_are_balanced_2d_and_in_range(kind):
    k = CLASSES[kind]
    d = make_dataset(kind, samples=301, noise=0.1, seed=1)
    assert isinstance(d, Dataset) and d.name == kind
    assert d.X.shape == (301, 2) and d.X.dtype == np.float64 and d.feature_names == ["x1", "x2"]
    assert d.task == ("binary" if k == 2 else "multiclass")
    assert d.class_names == [str(i) for i in range(k)]
    counts = np.bincount(d.y, minlength=k)
    assert counts.sum() == 301 and counts.max() - counts.min() <= 1
    assert np.abs(d.X).max() < 2.0 and np.mean(np.abs(d.X) < 1.5) > 0.95
    assert np.isfinite(d.X).all()


def test_spiral3_splits_samples_evenly():
    assert np.bincount(make_dataset("spiral3", samples=200).y).tolist() == [67, 67, 66]
    assert np.bincount(make_dataset("moons", samples=3).y).tolist() == [2, 1]


@pytest.mark.parametrize("kind", KINDS[1:])
def test_same_seed_same_data_other_seed_other_data(kind):
    a, b = make_dataset(kind, 100, 0.2, seed=7), make_dataset(kind, 100, 0.2, seed=7)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    c = make_dataset(kind, 100, 0.2, seed=8)
    assert not np.array_equal(a.X, c.X)


def test_circles_without_noise_are_a_disc_inside_a_ring():
    d = make_dataset("circles", 400, noise=0.0, seed=3)
    radius = np.hypot(d.X[:, 0], d.X[:, 1])
    assert radius[d.y == 0].max() <= 0.5
    assert radius[d.y == 1].min() >= 0.9 and radius[d.y == 1].max() <= 1.2


def test_moons_without_noise_lie_on_two_unit_half_circles():
    d = make_dataset("moons", 200, noise=0.0, seed=0)
    upper = d.X[d.y == 0] + [0.5, 0.25]
    lower = d.X[d.y == 1] + [0.5, 0.25] - [1.0, 0.5]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(*lower.T), 1.0)
    assert (upper[:, 1] >= -1e-12).all() and (lower[:, 1] <= 1e-12).all()


def test_blob_centres():
    d = make_dataset("blobs", 4000, noise=0.0, seed=0)
    np.testing.assert_allclose(d.X[d.y == 0].mean(axis=0), [-0.7, -0.7], atol=0.03)
    np.testing.assert_allclose(d.X[d.y == 1].mean(axis=0), [0.7, 0.7], atol=0.03)


def test_spiral_arms_are_rotated_copies():
    d = make_dataset("spiral", 400, noise=0.0, seed=0)
    radius, angle = np.hypot(*d.X.T), np.arctan2(d.X[:, 1], d.X[:, 0])
    t = radius / 1.3  # the arm's parameter: one full turn from the centre out
    offset = (angle / (2 * np.pi) - t - d.y / 2) % 1.0
    assert np.allclose(np.minimum(offset, 1 - offset), 0, atol=1e-9)


def test_sine_is_sin_plus_noise_of_the_given_std():
    exact = make_dataset("sine", 500, noise=0.0, seed=2)
    assert exact.task == "regression" and exact.class_names == [] and exact.X.shape == (500, 1)
    assert exact.X.min() >= -math.pi and exact.X.max() <= math.pi
    np.testing.assert_allclose(exact.y, np.sin(exact.X[:, 0]))
    noisy = make_dataset("sine", 20000, noise=0.3, seed=2)
    assert abs(np.std(noisy.y - np.sin(noisy.X[:, 0])) - 0.3) < 0.01


def test_plane_is_a_linear_function_of_two_features():
    d = make_dataset("plane", 300, noise=0.0, seed=4)
    assert d.task == "regression" and d.X.shape == (300, 2) and d.y.dtype == np.float64
    assert np.abs(d.X).max() <= 1
    np.testing.assert_allclose(d.y, d.X @ np.array(PLANE_SLOPES))


@pytest.mark.parametrize("args,expected", [
    (("mnist",), "unknown dataset kind 'mnist'; choose one of xor, circles, moons"),
    (("spiral3", 2), "samples must be between one per class (3)"),
    (("moons", 1), "samples must be between one per class (2)"),
    (("sine", 0), "samples must be between 1 and 10,000,000"),
    (("plane", MAX_SAMPLES + 1), "not 10000001"),
    (("moons", 2.5), "samples must be a whole number"),
    (("moons", True), "samples must be a whole number"),
    (("circles", 100, -0.1), "noise must be a finite number >= 0"),
    (("circles", 100, float("nan")), "noise must be a finite number >= 0, not nan"),
    (("circles", 100, float("inf")), "noise must be a finite number >= 0, not inf"),
    (("circles", 100, "lots"), "noise must be a number"),
    (("blobs", 100, 0.1, -1), "seed must be a whole number >= 0"),
])
def test_bad_arguments_say_what_is_wrong(args, expected):
    with pytest.raises(DatasetError) as caught:
        make_dataset(*args)
    assert expected in str(caught.value)
