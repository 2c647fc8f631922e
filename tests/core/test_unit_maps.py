"""A neuron's picture is the network's own forward pass, read at one unit."""

import numpy as np
import pytest

from backprop_gui.core.network import Network
from backprop_gui.core.unit_maps import unit_values, value_range


@pytest.mark.parametrize("activations", [["tanh", "relu", "sigmoid"], ["sigmoid", "leaky_relu", "softmax"]])
def test_each_unit_is_the_forward_pass_at_that_unit(activations):
    sizes = [2, 5, 4, 3]
    net = Network.build(sizes, activations, "uniform", seed=3)
    X = np.random.default_rng(0).normal(size=(50, 2))
    reference = net.forward(X)
    weights, biases = [net.W[l] for l in range(1, 4)], [net.b[l] for l in range(1, 4)]
    for layer in range(1, 4):
        for unit in range(sizes[layer]):
            got = unit_values(weights, biases, activations, X, layer, unit)
            np.testing.assert_allclose(got, reference.a[layer][:, unit], rtol=1e-5, atol=1e-6)


def test_a_unit_that_does_not_exist_is_refused():
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "uniform", seed=0)
    weights, biases = [net.W[1], net.W[2]], [net.b[1], net.b[2]]
    with pytest.raises(IndexError):
        unit_values(weights, biases, ["tanh", "sigmoid"], np.zeros((1, 2)), 1, 3)
    with pytest.raises(IndexError):
        unit_values(weights, biases, ["tanh", "sigmoid"], np.zeros((1, 2)), 3, 0)


def test_levels_are_the_activations_range_or_symmetric():
    assert value_range(np.array([0.2, 0.3]), "sigmoid") == (0.0, 1.0)
    assert value_range(np.array([-0.1, 0.3]), "tanh") == (-1.0, 1.0)
    assert value_range(np.array([0.0, 2.5, np.nan]), "relu") == (-2.5, 2.5)
    assert value_range(np.array([0.0, 0.0]), "linear") == (-1.0, 1.0)
