"""The timeline: moments recorded from a real run stay within their budget and spread
over the run; a moment's weights are the network's at that epoch; rewinding the
trainer there and training on retraces the run (full-batch SGD has no other state)."""

import numpy as np
import pytest

from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.timeline import BUDGET_BYTES, Timeline
from backprop_gui.resources import resource_dir


def xor():
    return Experiment.from_project(load_project(resource_dir() / "projects/xor.json"))


def recorded_run(timeline: Timeline, epochs: int):
    """Train, offering the timeline every epoch as the worker does; returns the
    experiment and the network's params at each epoch."""
    e = xor()
    params = {0: e.network.params.copy()}
    timeline.record(0, e.network.params, None)
    for epoch in range(1, epochs + 1):
        e.trainer.run_epoch()
        params[epoch] = e.network.params.copy()
        if timeline.due(epoch):
            timeline.record(epoch, e.network.params, e.trainer.history.last)
    return e, params


def test_moments_hold_the_weights_of_their_epoch():
    timeline = Timeline()
    e, params = recorded_run(timeline, 30)
    assert timeline.epochs == list(range(0, 31))
    for m in timeline.moments:
        np.testing.assert_array_equal(m.params, params[m.epoch])
    assert timeline.at(17).epoch == 17 and timeline.at(10**6).epoch == 30
    history = e.trainer.history
    assert history.epoch[4] == 5
    assert timeline.moments[5].grad_sq == pytest.approx(history.grad_sq[4].tolist())
    assert timeline.moments[5].record.train_loss == pytest.approx(history.train_loss[4])
    assert timeline.moments[0].record is None and timeline.moments[0].grad_sq == []


@pytest.mark.parametrize("budget,most", [(40 * 13 * 8, 2000), (BUDGET_BYTES, 64)])
def test_a_full_timeline_thins_evenly_and_keeps_the_first_and_the_latest(budget, most):
    timeline = Timeline(budget_bytes=budget, max_moments=most)
    recorded_run(timeline, 3000)
    epochs = timeline.epochs
    assert timeline.nbytes <= budget and len(epochs) <= most
    assert epochs[0] == 0 and epochs[-1] > 3000 - timeline.min_gap
    assert np.diff(epochs).max() <= 2 * timeline.min_gap and len(epochs) >= min(20, most // 2)
    assert timeline.min_gap > 1  # it thinned


def test_an_earlier_epoch_forgets_the_later_moments():
    timeline = Timeline()
    e, params = recorded_run(timeline, 20)
    timeline.record(8, params[8], None)
    assert timeline.epochs == list(range(0, 9))


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
