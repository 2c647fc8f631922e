"""backward() against central finite differences: every activation in every position,
with every loss it can pair with, on random architectures, in float64."""

import zlib

import numpy as np
import pytest

from backprop_gui.core.activations import HIDDEN_ACTIVATIONS
from backprop_gui.core.gradcheck import check_gradients, numerical_gradient
from backprop_gui.core.losses import get_loss
from backprop_gui.core.network import Network

# (output activation, loss, kind of target)
OUTPUTS = [
    ("sigmoid", "mse", "binary"),
    ("sigmoid", "bce", "binary"),
    ("tanh", "mse", "regression"),
    ("linear", "mse", "regression"),
    ("relu", "mse", "regression"),
    ("leaky_relu", "mse", "regression"),
    ("softmax", "cross_entropy", "multiclass"),
    ("softmax", "mse", "multiclass"),
]


def targets(kind: str, n: int, k: int, rng) -> np.ndarray:
    if kind == "binary":
        return (rng.uniform(size=(n, 1)) > 0.5).astype(float)
    if kind == "multiclass":
        return np.eye(k)[rng.integers(0, k, n)]
    return rng.normal(size=(n, 1))


@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("output,loss,kind", OUTPUTS)
def test_backward_matches_finite_differences(hidden, output, loss, kind):
    # a stable seed per case (str hashes change from run to run)
    rng = np.random.default_rng(zlib.crc32(f"{hidden} {output} {loss}".encode()))
    for _ in range(2):  # two random architectures each
        depth = int(rng.integers(1, 4))
        n_in, n_out = int(rng.integers(1, 4)), (int(rng.integers(3, 5)) if kind == "multiclass" else 1)
        sizes = [n_in, *rng.integers(1, 6, depth).tolist(), n_out]
        # mix the tested activation with others so that each meets its neighbours
        acts = [hidden if i % 2 == 0 else HIDDEN_ACTIVATIONS[(i + 1) % 5] for i in range(depth)]
        # uniform init: random biases keep every z off the ReLU kink at exactly 0
        net = Network.build(sizes, acts + [output], "uniform", int(rng.integers(1000)))
        X = rng.normal(size=(int(rng.integers(1, 9)), n_in))
        errors = check_gradients(net, X, targets(kind, len(X), n_out, rng), get_loss(loss))
        assert max(errors) < 1e-6, (sizes, acts, errors)


def test_the_check_catches_a_wrong_gradient():
    """The oracle must be able to fail: a sign error in one layer is caught."""
    rng = np.random.default_rng(0)
    net = Network.build([2, 3, 1], ["tanh", "sigmoid"], "uniform", 0)
    X, Y = rng.normal(size=(5, 2)), rng.uniform(size=(5, 1))
    p = net.forward(X)
    net.backward(p, Y, get_loss("mse"))
    wrong = p.grads.copy()
    wrong[:6] *= -1  # W_1
    numeric = numerical_gradient(net, X, Y, get_loss("mse"))
    from backprop_gui.core.gradcheck import layer_errors
    errors = layer_errors(net, wrong, numeric)
    assert errors[0] > 0.5 and errors[1] < 1e-6


def test_backward_exposes_every_chain_rule_value():
    """dZ_l = dA_l ⊙ f'(z_l), dW_l = a_{l-1}ᵀ·dZ_l, db_l = Σ dZ_l, dA_{l-1} = dZ_l·W_lᵀ:
    the values a viewer shows must be these, recomputed here with plain NumPy."""
    rng = np.random.default_rng(3)
    net = Network.build([3, 4, 2, 1], ["tanh", "relu", "sigmoid"], "xavier", 1)
    X, Y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 1))
    p = net.forward(X)
    net.backward(p, Y, get_loss("mse"))
    for l in range(1, net.L + 1):
        np.testing.assert_allclose(p.z[l], p.a[l - 1] @ net.W[l] + net.b[l], atol=1e-12)
        f_prime = net.f[l].derivative(p.z[l], p.a[l])
        np.testing.assert_allclose(p.dZ[l], p.dA[l] * f_prime, atol=1e-12)
        np.testing.assert_allclose(p.dW[l], p.a[l - 1].T @ p.dZ[l], atol=1e-12)
        np.testing.assert_allclose(p.db[l], p.dZ[l].sum(axis=0), atol=1e-12)
        if l > 1:
            np.testing.assert_allclose(p.dA[l - 1], p.dZ[l] @ net.W[l].T, atol=1e-12)
    np.testing.assert_allclose(p.dA[net.L], (p.a[net.L] - Y) / len(X), atol=1e-12)
