"""The XOR preset reproduces the reference example (MISSION.md): 2-3-1, sigmoid
everywhere, U(-1, 1) weights, ½-MSE, full batch, 2,500 iterations of gradient descent
with learning rate 0.5 on gradients summed over the four samples. Our preset averages
the gradients, so its learning rate is 2.0; the curves must agree to 1e-9."""

from pathlib import Path

import numpy as np

from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment

PRESET = Path(__file__).parents[2] / "resources" / "projects" / "xor.json"


def reference_run(W1, b1, W2, b2, iterations=2500, lr=0.5):
    """The hand-written loop of the reference example, independent of the engine."""
    X = np.array([[1, 1], [0, 1], [1, 0], [0, 0]], float)
    y = np.array([[0], [1], [1], [0]], float)
    W1, b1, W2, b2 = (w.copy() for w in (W1, b1, W2, b2))
    costs = []
    for _ in range(iterations):
        a1 = 1 / (1 + np.exp(-(X.dot(W1) + b1)))
        a2 = 1 / (1 + np.exp(-(a1.dot(W2) + b2)))
        costs.append(0.5 * np.sum((y - a2) ** 2) / len(X))  # ½-MSE, averaged
        delta2 = (a2 - y) * a2 * (1 - a2)
        delta1 = delta2.dot(W2.T) * a1 * (1 - a1)
        W2 -= lr * a1.T.dot(delta2)
        b2 -= lr * delta2.sum(axis=0)
        W1 -= lr * X.T.dot(delta1)
        b1 -= lr * delta1.sum(axis=0)
    a1 = 1 / (1 + np.exp(-(X.dot(W1) + b1)))
    a2 = 1 / (1 + np.exp(-(a1.dot(W2) + b2)))
    return np.array(costs), a2, (W1, b1, W2, b2)


def test_preset_reproduces_the_reference_curve_and_weights():
    experiment = Experiment.from_project(load_project(PRESET))
    start = experiment.network.weights()
    experiment.trainer.train()
    costs, a2, final = reference_run(start["W1"], start["b1"], start["W2"], start["b2"])
    history = experiment.trainer.history
    assert experiment.trainer.epoch == 2500 and len(history) == 2500
    np.testing.assert_allclose(history.train_loss, costs, rtol=0, atol=1e-9)
    for got, want in zip((experiment.network.W[1], experiment.network.b[1],
                          experiment.network.W[2], experiment.network.b[2]), final):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    # binary predictions of the trained net, as the reference prints them
    predictions = (experiment.network.predict(experiment.dataset.X) > 0.5).ravel()
    assert predictions.tolist() == [False, True, True, False]
    assert history.metric[-1] == 1.0
    assert costs[-1] < costs[0] / 10  # it did learn


def test_preset_initial_weights_are_uniform_in_minus_one_one():
    net = Experiment.from_project(load_project(PRESET)).network
    assert net.sizes == [2, 3, 1]
    assert np.all(np.abs(net.params) <= 1) and np.std(net.params) > 0.2
