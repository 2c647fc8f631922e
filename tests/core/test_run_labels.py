"""Kept runs are labelled by what differs between them, and only that."""

import copy

from backprop_gui.core.config import LayerConfig, Project
from backprop_gui.core.run_labels import run_labels, run_settings


def settings(**training):
    project = Project()
    for key, value in training.items():
        setattr(project.training, key, value)
    return run_settings(project, [2, 3, 1])


def test_runs_that_differ_in_the_learning_rate_are_labelled_by_it():
    assert run_labels([settings(learning_rate=0.1), settings(learning_rate=3.0)]) == ["lr 0.1", "lr 3"]


def test_two_differences_are_both_named_in_a_fixed_order():
    a, b = settings(learning_rate=0.1), settings(learning_rate=0.1, optimizer="adam", seed=4)
    assert run_labels([a, b]) == ["sgd, seed 0", "adam, seed 4"]


def test_activations_and_shapes_read_as_on_the_network():
    project = Project()
    relu = copy.deepcopy(project)
    relu.network.hidden = [LayerConfig(8, "relu"), LayerConfig(8, "relu")]
    runs = [run_settings(project, [2, 3, 1]), run_settings(relu, [2, 8, 8, 1])]
    assert run_labels(runs) == ["2-3-1, sigmoid", "2-8-8-1, relu"]


def test_identical_runs_are_numbered_and_no_runs_no_labels():
    assert run_labels([settings(), settings()]) == ["run 1", "run 2"]
    assert run_labels([]) == []
