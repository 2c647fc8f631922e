"""Kept runs: frozen copies of a run's history, numbered, at most a few, labelled by what
differs between them and the current run, and by what each trained with."""

import numpy as np

from backprop_gui.core.config import Project
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.kept_runs import KeptRuns, SettingsTrail, keep_run
from backprop_gui.core.run_labels import run_settings


def trained(lr=2.0, epochs=20):
    project = Project()
    project.training.learning_rate = lr
    e = Experiment.from_project(project)
    e.trainer.train(epochs=epochs)
    return project, e


def kept(lr=2.0, epochs=20, generation=1):
    project, e = trained(lr, epochs)
    settings = run_settings(project, e.network.sizes)
    return keep_run(e.trainer.history, None, settings, e.network.activation_names, "mse",
                    "stopped", (generation, e.trainer.epoch)), e


def test_a_kept_run_owns_a_copy_of_its_rows_just_big_enough():
    run, e = kept(epochs=21)
    h = e.trainer.history
    np.testing.assert_array_equal(run.history.epoch, h.epoch)
    np.testing.assert_array_equal(run.history.grad_rms, h.grad_rms)
    assert run.history.capacity == 22 and run.last == h.last and run.last.epoch == 21
    before = run.history.train_loss.copy()
    e.trainer.train(epochs=5)  # the live run goes on
    np.testing.assert_array_equal(run.history.train_loss, before)
    assert len(run.history) == 21


def test_a_mirror_without_its_last_record_takes_the_one_given():
    _, e = trained(epochs=3)
    mirror = e.trainer.history.empty_like()
    mirror.receive(e.trainer.history.rows_since(0))
    assert mirror.last is None  # receive() copies rows only
    copy = mirror.frozen_copy(e.trainer.history.last)
    assert copy.last == e.trainer.history.last


def test_runs_are_numbered_and_the_oldest_leaves_past_the_limit():
    runs = KeptRuns(limit=2)
    a, b, c = (kept(lr)[0] for lr in (0.1, 1.0, 3.0))
    assert runs.add(a) is None and runs.add(b) is None
    assert runs.add(c) is a
    assert [r.number for r in runs.runs] == [2, 3]
    assert runs.holds(c.identity) and not runs.holds((99, 0))
    runs.remove(b)
    assert runs.runs == [c]
    runs.clear()
    assert len(runs) == 0 and runs.add(a) is None and a.number == 1  # numbers start again


def test_labels_name_what_differs_from_the_other_runs_and_the_current_one():
    runs = KeptRuns()
    for lr in (0.1, 3.0):
        runs.add(kept(lr)[0])
    project, e = trained(lr=8.0, epochs=1)
    labels, mine = runs.labels(run_settings(project, e.network.sizes))
    assert labels == ["lr 0.1", "lr 3"] and mine == "this run (lr 8)"
    labels, mine = KeptRuns().labels(run_settings(project, e.network.sizes))
    assert labels == [] and mine == "this run"


def test_runs_that_differ_in_nothing_are_told_apart_by_their_numbers():
    runs = KeptRuns()
    first, second = kept()[0], kept()[0]
    runs.add(first)
    runs.add(second)
    runs.remove(first)
    assert runs.labels()[0] == ["run 2"]  # its own number, not its place


def test_the_trail_says_what_a_run_trained_with():
    trail = SettingsTrail()
    assert trail.settings() is None
    base = dict(run_settings(Project(), [2, 3, 1]), lr="lr 2")
    trail.note(base)
    trail.note(base)
    assert trail.settings() == base
    faster = dict(base, lr="lr 0.5")
    trail.note(faster)
    assert trail.settings()["lr"] == "lr 2→0.5"
    trail.note(dict(base, lr="lr 0.5", network="2-8-1"))
    assert trail.settings()["network"] == "2-3-1→2-8-1"  # no shared word: each value whole
