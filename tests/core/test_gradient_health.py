"""Gradient health: saturated and dead units counted on real networks and data, and the
diagnosis of recorded gradient sizes, on synthetic histories and on real training runs."""

import math
import warnings

import numpy as np
import pytest

from backprop_gui.core.config import DatasetConfig, LayerConfig, NetworkConfig, Project, TrainingConfig
from backprop_gui.core.datasets import make_dataset
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.gradient_health import (
    SATURATED_DERIVATIVE,
    SATURATED_SAMPLES,
    diagnose,
    sample_rows,
    unit_health,
)
from backprop_gui.core.network import Network

X = make_dataset("circles", 200, 0.1, 0).X


def deep(act: str, scale: float = 1.0, hidden: int = 5, seed: int = 0) -> Network:
    net = Network.build([2] + [8] * hidden + [1], [act] * hidden + ["sigmoid"], "uniform", seed)
    net.params *= scale
    return net


# -- unit_health ------------------------------------------------------------------------


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
def test_large_weights_saturate_sigmoid_and_tanh_layers_small_ones_do_not(act):
    small = unit_health(deep(act, 0.1), X)
    large = unit_health(deep(act, 20.0), X)
    assert small.saturated == [0.0] * 6
    assert max(large.saturated[1:5]) >= 0.75 and min(large.saturated[1:5]) >= 0.5
    assert small.dead == large.dead == [None] * 6  # sigmoid and tanh cannot die


def test_saturation_agrees_with_the_derivative_computed_by_the_network():
    """The oracle: the engine's own forward pass, f' = a(1 − a), and the rule by hand."""
    net = deep("sigmoid", 5.0)
    p = net.forward(X)
    expected = []
    for l in range(1, net.L + 1):
        a = p.a[l]
        near_zero = a * (1 - a) < SATURATED_DERIVATIVE * 0.25
        expected.append(float(np.mean(near_zero.mean(axis=0) >= SATURATED_SAMPLES)))
    assert 0 < max(expected) < 1
    assert unit_health(net, X).saturated == pytest.approx(expected)


def test_relu_units_with_negative_biases_are_all_dead():
    net = Network.build([2, 16, 16, 1], ["relu", "relu", "sigmoid"], "he", 0)
    net.b[1][...] = -100.0  # z = x·W + b < 0 for every sample of the circles (|x| < 2)
    health = unit_health(net, X)
    assert health.dead[0] == 1.0
    assert health.dead[1] == 1.0  # its inputs are all 0, so z_2 = b_2 = 0: still dead
    assert health.dead[2] is None and health.saturated[:2] == [None, None]


def test_relu_at_exactly_zero_is_dead_but_leaky_relu_is_not():
    """ReLU passes no gradient at z = 0; leaky ReLU's z = 0 is not below 0."""
    for act, share in [("relu", 1.0), ("leaky_relu", 0.0)]:
        net = Network.build([2, 4, 1], [act, "sigmoid"], "he", 0)
        net.W[1][...] = 0.0
        net.b[1][...] = 0.0
        assert unit_health(net, X).dead[0] == share
        net.b[1][...] = -1.0
        assert unit_health(net, X).dead[0] == 1.0


def test_healthy_relu_network_has_few_dead_units():
    net = Network.build([2, 64, 64, 1], ["relu", "relu", "sigmoid"], "he", 0)
    health = unit_health(net, X)
    assert max(health.dead[:2]) < 0.2
    assert health.saturated == [None, None, 0.0]


def test_an_overflowing_network_counts_as_saturated_and_warns_nothing():
    net = deep("sigmoid", 1e306)  # z overflows to ±inf, then inf − inf = NaN
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        health = unit_health(net, X)
    assert health.saturated[1:] == [1.0] * 5


def test_non_finite_units_count_as_saturated():
    net = deep("sigmoid", 0.1)
    net.b[2][:3] = [math.nan, math.inf, -math.inf]  # z_2 of three units: nan, +inf, -inf
    health = unit_health(net, X)
    assert health.saturated[:2] == [0.0, 3 / 8]
    assert health.saturated[2:] == [1.0] * 4  # the NaN unit's output reaches every unit after it


def test_samples_are_evenly_spaced_and_deterministic_and_the_network_untouched():
    rows = sample_rows(1000, 512)
    assert len(rows) == 512 and rows[0] == 0 and rows[-1] == 999
    assert np.all(np.diff(rows) >= 1) and np.all(np.diff(rows) <= 2)
    assert np.array_equal(sample_rows(10, 512), np.arange(10))
    big = make_dataset("circles", 5000, 0.1, 0).X
    net = deep("tanh", 5.0)
    before = net.params.copy()
    first = unit_health(net, big, max_samples=64)
    assert unit_health(net, big, max_samples=64) == first
    assert unit_health(net, big[sample_rows(5000, 64)]) == first
    assert np.array_equal(net.params, before)
    with pytest.raises(ValueError):
        unit_health(net, big[:0])


# -- diagnose on synthetic histories ------------------------------------------------------


def test_no_rows_means_no_diagnosis_yet():
    d = diagnose(np.zeros((0, 3)))
    assert d.kind == "none" and math.isnan(d.ratio)


def test_vanishing_names_the_ratio_and_the_orders_of_magnitude():
    rms = np.array([[1e-4, 1e-3, 1.0], [3.2e-5, 1e-3, 1.0]])
    d = diagnose(rms)
    assert d.kind == "vanishing"
    assert d.ratio == pytest.approx(3.2e-5)
    assert "layer 1's gradients are 3.2e-05 × the output layer's" in d.message
    assert "4.5 orders of magnitude smaller" in d.message


def test_vanishing_says_why_when_units_are_saturated():
    rms = np.array([[1e-6, 1e-4, 1e-2]])
    d = diagnose(rms, saturated=[0.1, 0.78, 0.0], dead=[None, None, None],
                 activations=["sigmoid", "sigmoid", "sigmoid"])
    assert "78% of layer 2's units are saturated (sigmoid f' near 0)" in d.message
    # a small share is not a reason worth naming
    quiet = diagnose(rms, saturated=[0.1, 0.05, 0.0], dead=[None] * 3)
    assert "saturated" not in quiet.message


def test_a_first_layer_without_gradient_is_vanishing_and_dead_units_are_named():
    rms = np.array([[0.0, 0.02, 0.05]])
    d = diagnose(rms, saturated=[None, None, 0.0], dead=[0.4, 0.0, None],
                 activations=["relu", "relu", "sigmoid"])
    assert d.kind == "vanishing" and d.ratio == 0.0
    assert "layer 1 gets no gradient at all" in d.message
    assert "40% of layer 1's ReLU units are dead" in d.message
    assert diagnose(np.zeros((1, 3))).kind == "vanishing"  # nothing flows anywhere


def test_exploding_growth_over_the_window():
    rows = 41
    growth = np.geomspace(1.0, 1200.0, rows)
    rms = np.column_stack([np.full(rows, 0.1), 283.3 * growth, np.full(rows, 0.2)])
    d = diagnose(rms)
    assert d.kind == "exploding"
    assert "layer 2's gradient RMS grew 1,200× over the last 40 epochs to 3.4e+05" in d.message
    # the same final size reached slowly (under 100× in the window) is not "exploding"
    slow = np.column_stack([np.full(rows, 0.1), np.geomspace(3.4e4, 3.4e5, rows), np.full(rows, 0.2)])
    assert diagnose(slow).kind != "exploding"
    # growing fast but still small is not "exploding" either
    assert diagnose(rms / 1e5).kind != "exploding"


def test_exploding_growth_counts_recorded_epochs_when_the_history_skips_some():
    rms = np.geomspace(1.0, 1e4, 60)[:, None] * [1.0, 1.0]
    epoch = np.arange(60) * 4
    assert "over the last 200 epochs" in diagnose(rms, epoch=epoch).message


def test_early_layers_far_larger_than_the_last_is_exploding():
    d = diagnose(np.array([[5.0, 0.5, 1e-3]]))
    assert d.kind == "exploding" and d.ratio == pytest.approx(5e3)
    assert "larger" in d.message
    assert diagnose(np.array([[0.1, 0.0]])).ratio == math.inf  # an output layer without gradient


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_a_non_finite_gradient_has_exploded(bad):
    rms = np.array([[0.1, 0.2, 0.3], [0.1, bad, 0.3]])
    d = diagnose(rms)
    assert d.kind == "exploded"
    assert f"layer 2 overflowed to {bad:g}" in d.message


def test_balanced_gradients_are_ok_and_tiny_ones_are_flagged():
    d = diagnose(np.array([[0.1, 0.2, 0.3], [0.031, 0.05, 0.1]]))
    assert d.kind == "ok" and d.ratio == pytest.approx(0.31)
    assert d.message == "Healthy: layer 1's gradient RMS is 0.31 × the output layer's."
    tiny = diagnose(np.array([[3.1e-6, 5e-6, 1e-5]]))
    assert tiny.kind == "ok" and "tiny" in tiny.message


def test_a_single_layer_has_no_ratio():
    d = diagnose(np.array([[1e-9], [1e-9]]))
    assert d.kind == "ok" and math.isnan(d.ratio)
    assert diagnose(np.geomspace(0.01, 50.0, 10)[:, None]).kind == "exploding"
    assert diagnose(np.array([[math.inf]])).kind == "exploded"


# -- diagnose on real training runs ------------------------------------------------------


def run(act: str, init: str, epochs: int, dataset="circles", lr=0.5, layers=6, units=8) -> Experiment:
    project = Project(
        DatasetConfig(kind=dataset),
        NetworkConfig([LayerConfig(units, act) for _ in range(layers)], init=init),
        TrainingConfig(learning_rate=lr, optimizer="sgd", epochs=1000),
    )
    experiment = Experiment.from_project(project)
    experiment.trainer.train(epochs=epochs)
    return experiment


def test_a_deep_sigmoid_network_really_has_vanishing_gradients():
    e = run("sigmoid", "uniform", epochs=5)
    health = unit_health(e.network, e.train_set.X)
    d = diagnose(e.trainer.history.grad_rms, health.saturated, health.dead,
                 activations=e.network.activation_names)
    assert d.kind == "vanishing" and d.ratio < 1e-3
    assert "orders of magnitude smaller" in d.message


def test_the_same_depth_of_relu_is_healthy():
    e = run("relu", "he", epochs=20)
    assert diagnose(e.trainer.history.grad_rms).kind == "ok"


def test_a_diverging_run_is_diagnosed_as_exploding_before_it_stops():
    e = run("relu", "uniform", epochs=50, dataset="sine", lr=1.0, layers=3, units=16)
    assert e.trainer.stop_reason.kind == "diverged"
    assert diagnose(e.trainer.history.grad_rms).kind == "exploding"


def test_a_plateau_where_every_gradient_vanished_is_not_called_healthy():
    rms = np.full((5, 4), 2e-5)
    stuck = diagnose(rms, loss=(0.72, 0.693))
    assert stuck.kind == "vanishing" and "plateau" in stuck.message and "0.693" in stuck.message
    converged = diagnose(rms, loss=(0.72, 0.001))
    assert converged.kind == "ok"
    assert diagnose(rms).kind == "ok"  # without the loss it cannot tell
