"""Derived inputs of 2-D data: each column is its formula; with x1² and x2² a single
sigmoid unit separates circles, which it cannot do on x1, x2; the boundary grid stays on
the raw plane and is the network applied to the expanded (and standardised) points."""

import numpy as np
import pytest

from backprop_gui.core.boundary import RESOLUTION, BoundaryGrid, BoundaryImage
from backprop_gui.core.config import parse_project
from backprop_gui.core.errors import ConfigError
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.features import INPUT_KEYS, expand, input_names, is_raw


def project(kind="circles", inputs=None, hidden=(), **training):
    dataset = {"kind": kind, "samples": 200, "noise": 0.1}
    if inputs is not None:
        dataset["inputs"] = inputs
    return parse_project({
        "format": 1, "dataset": dataset,
        "network": {"hidden": [{"units": u, "activation": "tanh"} for u in hidden]},
        "training": {"optimizer": "adam", "learning_rate": 0.1, "epochs": 1500, **training}})


def test_each_input_is_its_formula_in_the_order_asked():
    X = np.array([[0.5, -2.0], [3.0, 0.25]])
    out = expand(X, ["sin(x2)", "x1*x2", "x2^2", "x1^2", "x2", "x1", "sin(x1)"])
    a, b = X[:, 0], X[:, 1]
    np.testing.assert_array_equal(out, np.column_stack([np.sin(b), a * b, b ** 2, a ** 2, b, a,
                                                        np.sin(a)]))
    assert expand(X.astype(np.float32), ["x1"]).dtype == np.float32
    assert input_names(INPUT_KEYS) == ["x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2"]
    assert input_names(["x1*x2", "sin(x2)"], ["width", "height"]) == ["width·height", "sin height"]
    assert is_raw(None) and is_raw(["x1", "x2"]) and not is_raw(["x2", "x1"])


@pytest.mark.parametrize("X,inputs", [(np.zeros((3, 3)), ["x1"]), (np.zeros(3), ["x1"]),
                                      (np.zeros((3, 2)), []), (np.zeros((3, 2)), ["x3"])])
def test_expand_refuses_what_it_cannot_do(X, inputs):
    with pytest.raises(ValueError):
        expand(X, inputs)


def test_squares_make_circles_separable_by_a_single_sigmoid_unit():
    raw = Experiment.from_project(project())
    squared = Experiment.from_project(project(inputs=["x1^2", "x2^2"]))
    assert raw.network.sizes == squared.network.sizes == [2, 1]  # logistic regression
    raw.trainer.train()
    squared.trainer.train()
    assert squared.trainer.evaluate(squared.train_set)[1] == 1.0
    assert raw.trainer.evaluate(raw.train_set)[1] < 0.7  # a line cannot cut a ring from a disc


def test_the_network_has_one_input_per_ticked_feature_and_the_plots_keep_the_raw_points():
    e = Experiment.from_project(project(inputs=["x1", "x1^2", "sin(x2)"], hidden=[3],
                                        validation_fraction=0.25, epochs=5))
    assert e.network.sizes[0] == 3 and e.input_names == ["x1", "x1²", "sin x2"]
    assert e.dataset.n_features == 2 and e.dataset.feature_names == ["x1", "x2"]
    # the split drew the same samples as without derived inputs
    plain = Experiment.from_project(project(hidden=[3], validation_fraction=0.25, epochs=5))
    np.testing.assert_array_equal(e.train_points.X, plain.train_set.X)
    np.testing.assert_array_equal(e.validation_points.X, plain.validation_set.X)
    for points, part in ((e.train_points, e.train_set), (e.validation_points, e.validation_set)):
        np.testing.assert_array_equal(part.X, expand(points.X, e.inputs))
        np.testing.assert_array_equal(part.y, points.y)
        np.testing.assert_array_equal(e.to_inputs(points.X), part.X)
    assert plain.inputs is None and plain.input_names == ["x1", "x2"]
    assert plain.train_points is plain.train_set  # nothing derived: the same data


def test_just_x1_and_x2_is_the_plain_network():
    e = Experiment.from_project(project(inputs=["x1", "x2"], hidden=[3], epochs=5))
    assert e.inputs is None and e.network.sizes == [2, 3, 1]


@pytest.mark.parametrize("standardize", [False, True])
def test_the_grid_on_the_raw_plane_is_the_network_applied_to_the_expanded_points(standardize):
    p = project(inputs=["x1^2", "x2^2", "x1*x2", "sin(x1)"], hidden=[4], epochs=20)
    p.dataset.standardize = standardize
    e = Experiment.from_project(p)
    e.trainer.train()
    assert (e.standardizer is not None) == standardize
    grid = BoundaryGrid.of(e)
    b = grid.evaluate(e.network)
    assert isinstance(b, BoundaryImage) and b.values.shape == (RESOLUTION, RESOLUTION)
    raw = e.dataset.X
    (x0, x1), (y0, y1) = b.x_range, b.y_range
    assert x0 < raw[:, 0].min() and x1 > raw[:, 0].max() and y1 > raw[:, 1].max()
    centres_x = x0 + (np.arange(RESOLUTION) + 0.5) * (x1 - x0) / RESOLUTION
    centres_y = y0 + (np.arange(RESOLUTION) + 0.5) * (y1 - y0) / RESOLUTION
    gx, gy = np.meshgrid(centres_x, centres_y)  # row i is y, column j is x
    points = np.column_stack([gx.ravel(), gy.ravel()])
    by_hand = expand(points, e.inputs)
    if standardize:
        by_hand = (by_hand - e.standardizer.mean) / e.standardizer.std
    expected = e.network.predict(by_hand)[:, 0].reshape(RESOLUTION, RESOLUTION)
    np.testing.assert_allclose(b.values, expected, atol=1e-5)
    assert grid.held_note == ""


def test_a_csv_file_without_two_features_is_refused_with_the_key(tmp_path):
    rows = "\n".join(f"{i},{i % 3},{i % 5},{i % 2}" for i in range(20))
    (tmp_path / "d.csv").write_text("a,b,c,label\n" + rows + "\n")
    data = {"format": 1, "dataset": {"kind": "csv", "path": "d.csv", "inputs": ["x1^2"]}}
    with pytest.raises(ConfigError, match=r"p.json: dataset.inputs: derived inputs need data with "
                                          r"two features; d.csv has 3 \(a, b, c\)"):
        Experiment.from_project(parse_project(data, "p.json", tmp_path))
    data["dataset"]["features"] = ["a", "c"]
    e = Experiment.from_project(parse_project(data, "p.json", tmp_path))
    assert e.input_names == ["a²"] and e.network.sizes[0] == 1
