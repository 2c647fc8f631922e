"""The timeline: moments recorded from real snapshots stay within their budget and
spread over the run; a moment's weights are the network's at that epoch; rewinding the
trainer there and training on retraces the run (full-batch SGD has no other state)."""

import numpy as np
import pytest

from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.snapshot import SnapshotMaker
from backprop_gui.core.timeline import Moment, Timeline
from backprop_gui.resources import resource_dir


def xor():
    return Experiment.from_project(load_project(resource_dir() / "projects/xor.json"))


def recorded_run(timeline: Timeline, epochs: int, every: int = 1):
    """Train, recording a moment (with the boundary the window would hold) every `every`
    epochs; returns the experiment and the network's params at each epoch."""
    e = xor()
    maker = SnapshotMaker(e, 1)
    params, boundary = {0: e.network.params.copy()}, None
    for epoch in range(1, epochs + 1):
        e.trainer.run_epoch()
        params[epoch] = e.network.params.copy()
        if epoch % every == 0:
            snapshot = maker.make(force_extras=epoch % 10 == 0)
            boundary = snapshot.boundary or boundary
            timeline.record(Moment.of(snapshot, boundary, snapshot.health))
    return e, params


def test_moments_hold_the_weights_of_their_epoch():
    timeline = Timeline()
    _, params = recorded_run(timeline, 30)
    assert timeline.epochs == list(range(1, 31))
    for m in timeline.moments:
        np.testing.assert_array_equal(m.params, params[m.epoch])
    assert timeline.at(17).epoch == 17 and timeline.at(10**6).epoch == 30
    assert timeline.at(0).epoch == 1  # before the first: the first


def test_a_small_budget_thins_evenly_and_keeps_the_first_and_the_latest():
    moment_bytes = 13 * 8  # XOR 2-3-1: 13 parameters
    boundary_bytes = 100 * 100 * 4
    timeline = Timeline(budget_bytes=40 * (moment_bytes + boundary_bytes))  # a boundary each 10
    recorded_run(timeline, 2000)
    epochs = timeline.epochs
    assert timeline.nbytes <= timeline.budget
    assert epochs[0] == 1 and epochs[-1] > 2000 - timeline.min_gap
    gaps = np.diff(epochs)
    assert gaps.max() <= 2 * timeline.min_gap and len(epochs) >= 20
    assert timeline.min_gap > 1  # it thinned


def test_a_boundary_shared_by_moments_counts_once():
    timeline = Timeline()
    recorded_run(timeline, 25)  # boundaries made at epochs 1 (the first), 10 and 20 only
    shared = {id(m.boundary) for m in timeline.moments if m.boundary is not None}
    assert len(shared) == 3
    weights = sum(m.nbytes for m in timeline.moments)
    assert timeline.nbytes == weights + 3 * 100 * 100 * 4


def test_an_earlier_moment_forgets_the_later_ones():
    timeline = Timeline()
    e, _ = recorded_run(timeline, 20)
    moment = timeline.at(8)
    timeline.record(Moment(8, moment.weights, moment.biases, moment.grad_rms, moment.grad_l2,
                           None, None, moment.diagnosis, moment.nbytes))
    assert timeline.epochs == list(range(1, 9))


def test_rewinding_and_training_on_retraces_the_run():
    timeline = Timeline()
    e, params = recorded_run(timeline, 60)
    trainer = e.trainer
    losses = trainer.history.train_loss.copy()
    trainer.rewind(25, timeline.at(25).params)
    assert trainer.epoch == 25 and trainer.history.epoch[-1] == 25
    assert trainer.history.last.epoch == 25 and trainer.stop_reason is None
    np.testing.assert_array_equal(e.network.params, params[25])
    trainer.train(epochs=35)
    np.testing.assert_array_equal(e.network.params, params[60])
    np.testing.assert_array_equal(trainer.history.train_loss, losses)
    with pytest.raises(ValueError, match="not in this run"):
        trainer.rewind(61, params[25])


def test_rewinding_clears_the_optimisers_memory():
    from backprop_gui.core.optim import make_optimizer

    e = xor()
    for name in ("momentum", "adam"):
        e.trainer.optimizer = make_optimizer(name, e.network.params, 0.1)
        e.trainer.train(epochs=5)
        e.trainer.rewind(2, e.network.params.copy())
        opt = e.trainer.optimizer
        assert not np.any(opt.v) and getattr(opt, "t", 0) == 0
