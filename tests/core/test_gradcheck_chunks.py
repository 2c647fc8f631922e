"""The per-layer gradient check a GUI runs in chunks: backprop (with the Trainer's L1/L2
terms) against central differences, on a float64 copy, resumable, able to fail."""

import numpy as np
import pytest

from backprop_gui.core.data import Dataset
from backprop_gui.core.gradcheck import (
    PASS_BELOW,
    GradientCheck,
    add_penalty_gradient,
    check_layers,
    parameter_name,
    penalty_value,
    relative_errors,
)
from backprop_gui.core.losses import get_loss
from backprop_gui.core.network import Network
from backprop_gui.core.optim import make_optimizer
from backprop_gui.core.trainer import Trainer

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
XOR_Y = np.array([[0], [1], [1], [0]], float)


def xor():
    return Network.build([2, 3, 1], ["sigmoid", "sigmoid"], "uniform", 0), XOR_X, XOR_Y, get_loss("bce")


def softmax_net():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(30, 3)), np.eye(3)[rng.integers(0, 3, 30)]
    net = Network.build([3, 5, 4, 3], ["tanh", "relu", "softmax"], "uniform", 1)
    return net, X, Y, get_loss("cross_entropy")


def regression():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(25, 2))
    net = Network.build([2, 6, 1], ["tanh", "linear"], "uniform", 2)
    return net, X, np.sin(X[:, :1]) + 0.5 * X[:, 1:], get_loss("mse")


NETS = [xor, softmax_net, regression]


def index_of(net: Network, name: str) -> int:
    return next(i for i in range(net.params.size) if parameter_name(net, i) == name)


@pytest.mark.parametrize("make", NETS)
@pytest.mark.parametrize("l1,l2", [(0.0, 0.0), (1e-3, 0.0), (0.0, 1e-2), (1e-3, 1e-2)])
def test_a_correct_gradient_passes_every_layer(make, l1, l2):
    net, X, Y, loss = make()
    rows = check_layers(net, X, Y, loss, l1, l2)
    assert [r.layer for r in rows] == list(range(1, net.L + 1))
    assert [r.parameters for r in rows] == [(i + 1) * o for i, o in zip(net.sizes[:-1], net.sizes[1:])]
    assert all(r.passed for r in rows), rows
    # with margin: a correct float64 gradient is far below the verdict's threshold
    assert max(r.max_relative_error for r in rows) < PASS_BELOW / 10
    assert max(r.norm_relative_error for r in rows) < 1e-6


def test_the_penalties_are_the_trainers():
    """The check's analytic gradient is the one the Trainer steps along."""
    net, X, Y, _ = xor()
    net.b[1][0] = 0.0  # L1 at an exact zero: sign(0) = 0 on both sides
    trainer = Trainer(net, get_loss("bce"), make_optimizer("sgd", net.params, 0.1),
                      Dataset(X, Y[:, 0].astype(int), ["a", "b"], class_names=["0", "1"]),
                      l1=1e-3, l2=1e-2)
    grads = np.random.default_rng(0).normal(size=net.params.size)
    ours = grads.copy()
    add_penalty_gradient(net, ours, 1e-3, 1e-2)
    trainer.add_penalties(grads)
    np.testing.assert_allclose(ours, grads, rtol=1e-15)
    W = np.concatenate([w.ravel() for w in net.W[1:]])
    assert penalty_value(net, 1e-3, 1e-2) == pytest.approx(0.5e-2 * W @ W + 1e-3 * np.abs(W).sum())
    check = GradientCheck(net, X, Y, get_loss("bce"), trainer.l1, trainer.l2)
    check.run(60.0)
    assert check.passed


def test_a_float32_network_is_checked_in_float64_and_left_alone():
    net64, X, Y, loss = softmax_net()
    net = Network(net64.sizes, net64.activation_names, np.float32)
    net.params[...] = net64.params
    before = net.params.copy()
    check = GradientCheck(net, X.astype(np.float32), Y.astype(np.float32), loss)
    assert check.net is not net and check.net.dtype == np.float64
    check.run(60.0)
    assert check.passed, check.results()
    np.testing.assert_array_equal(net.params, before)
    assert net.params.dtype == np.float32


def test_small_slices_progress_and_end_where_the_whole_check_does():
    net, X, Y, loss = softmax_net()
    check = GradientCheck(net, X, Y, loss, 1e-3, 1e-2)
    assert check.progress == (0, net.params.size)
    with pytest.raises(RuntimeError):
        check.results()
    seen = [check.progress[0]]
    while not check.run(0.0):
        seen.append(check.progress[0])
    seen.append(check.progress[0])
    assert seen == list(range(net.params.size + 1))  # seconds=0: one parameter a call
    assert check.progress == (net.params.size, net.params.size)
    assert check.run(0.0)  # done stays done
    assert check.results() == check_layers(net, X, Y, loss, 1e-3, 1e-2)


def test_one_wrong_entry_fails_its_layer_and_is_named():
    net, X, Y, loss = xor()
    check = GradientCheck(net, X, Y, loss)
    i = index_of(check.net, "W2[1, 0]")
    check.analytic[i] *= 1.01  # one entry off by 1 %
    check.run(60.0)
    first, second = check.results()
    assert first.passed and not second.passed and not check.passed
    assert second.worst == "W2[1, 0]" and second.max_relative_error > 100 * PASS_BELOW


def test_a_forgotten_derivative_is_caught_in_its_layer():
    """A broken chain rule: dZ_1 = dA_1, the factor f_1'(z_1) left out."""
    net, X, Y, loss = softmax_net()
    check = GradientCheck(net, X, Y, loss)
    p = check.net.forward(X)
    check.net.backward(p, Y, loss)
    start, stop = check.net.weight_ranges[0]
    size = (check.net.sizes[0] + 1) * check.net.sizes[1]
    check.analytic[start:stop] = (p.a[0].T @ p.dA[1]).ravel()  # dW_1 = a_0ᵀ·dA_1
    check.analytic[stop:size] = p.dA[1].sum(axis=0)  # db_1 = Σ dA_1
    check.run(60.0)
    rows = check.results()
    assert not rows[0].passed and rows[1].passed and rows[2].passed
    assert rows[0].worst.startswith(("W1[", "b1["))


def test_a_forgotten_penalty_fails_on_weights_only():
    net, X, Y, loss = regression()
    check = GradientCheck(net, X, Y, loss, l2=1e-2)
    check.analytic -= 1e-2 * check.net.params * check.net.weight_mask  # backprop without l2·W
    check.run(60.0)
    assert not check.passed
    assert all(r.worst.startswith("W") for r in check.results() if not r.passed)


def test_rounding_alone_does_not_fail_a_saturated_unit():
    """A unit with z ≈ −25 has gradients ~1e-10, below the finite differences' rounding;
    the floor keeps it a pass, also when the loss (unscaled MSE targets) is large."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    for scale in (1.0, 100.0):
        net = Network.build([2, 4, 1], ["sigmoid", "linear"], "uniform", 0)
        net.b[1][0] = -25.0
        Y = scale * (np.sin(X[:, :1]) + 1)
        check = GradientCheck(net, X, Y, get_loss("mse"))
        check.run(60.0)
        assert check.passed, (scale, check.results())
        g = np.abs(check.analytic)
        assert g.min() < 1e-8 and relative_errors(check.analytic, check.numeric, 1e-300).max() > 1e-3


def test_parameter_names_follow_the_maths():
    net = Network([2, 3, 1], ["tanh", "sigmoid"])
    names = [parameter_name(net, i) for i in range(net.params.size)]
    assert names[:3] == ["W1[0, 0]", "W1[0, 1]", "W1[0, 2]"]
    assert names[6:9] == ["b1[0]", "b1[1]", "b1[2]"]
    assert names[9:] == ["W2[0, 0]", "W2[1, 0]", "W2[2, 0]", "b2[0]"]
