"""predict (in chunks, in place, in float32 for display) gives what the training forward
pass gives, for every activation: the decision boundary is the network that trains."""

import numpy as np
import pytest

from backprop_gui.core.activations import HIDDEN_ACTIVATIONS
from backprop_gui.core.network import Network


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_predict_is_the_forward_pass(hidden, output):
    net = Network.build([2, 6, 5, 3], [hidden, hidden, output], "uniform", seed=1)
    X = np.random.default_rng(2).normal(size=(300, 2)) * 3
    expected = net.forward(X).a[-1]
    np.testing.assert_allclose(net.predict(X, chunk=128), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(net.predict(X, dtype=np.float32), expected, rtol=1e-4, atol=1e-5)
