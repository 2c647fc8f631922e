"""Weights saved beside a project read back exactly, and anything that does not fit the
network is refused with the file and the key, never unpickled."""

import re

import numpy as np
import pytest

from backprop_gui.core.errors import ConfigError
from backprop_gui.core.network import Network
from backprop_gui.core.saved_weights import load_trained, save_trained, weights_path


def test_a_round_trip_is_exact(tmp_path):
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "uniform", seed=4)
    path = weights_path(tmp_path / "lab.json")
    assert path.name == "lab.weights.npz"
    save_trained(path, net.weights(), 1234)
    weights, epoch = load_trained(path, [2, 3, 1])
    assert epoch == 1234
    for key, value in net.weights().items():
        np.testing.assert_array_equal(weights[key], value)
    assert not list(tmp_path.glob(".*tmp"))  # the temporary file was renamed


def write(path, **arrays):
    np.savez(path, **arrays)
    return path


def fitting(**changes):
    """The arrays of a 2-3-1 network, with `changes` (None removes a key)."""
    arrays = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 1)), "b2": np.zeros(1)}
    arrays.update(changes)
    return {key: value for key, value in arrays.items() if value is not None}


@pytest.mark.parametrize("arrays, message", [
    (fitting(W1=np.zeros((2, 4))), "W1: must be (2, 3)"),
    (fitting(b2=None), "b2: missing"),
    (fitting(W3=np.zeros((1, 1))), "W3: not a weight of this 2-3-1 network"),
    (fitting(W1=np.full((2, 3), np.nan)), "W1: holds inf"),
    (fitting(W1=np.array([["a"] * 3] * 2)), "W1: must be"),
    (fitting(epoch=np.array(-1)), "epoch: must be a whole number"),
])
def test_weights_that_do_not_fit_are_refused_by_key(tmp_path, arrays, message):
    path = write(tmp_path / "w.npz", **arrays)
    with pytest.raises(ConfigError, match=re.escape(message)) as error:
        load_trained(path, [2, 3, 1])
    assert str(error.value).startswith("w.npz: ")


def test_a_pickled_object_array_is_not_unpickled(tmp_path):
    path = tmp_path / "w.npz"
    np.savez(path, W1=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ConfigError, match="not a weights file NumPy can read"):
        load_trained(path, [2, 3, 1])


def test_a_file_that_is_not_npz_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ConfigError, match="not a weights file"):
        load_trained(path, [2, 3, 1])
