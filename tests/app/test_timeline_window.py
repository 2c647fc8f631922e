"""The timeline in the real window: scrubbing back shows the network, boundary and
gradients of that epoch (checked against a headless run of the same project), pauses a
running training, and Resume here goes on from that epoch, retracing the run."""

import numpy as np

from backprop_gui.core.config import load_project
from backprop_gui.core.confusion import Scorer
from backprop_gui.core.experiment import Experiment
from backprop_gui.resources import resource_dir

XOR = resource_dir() / "projects/xor.json"


def headless_weights(epochs: int):
    e = Experiment.from_project(load_project(XOR))
    e.trainer.train(epochs=epochs)
    return e


def look_back(qtbot, window, index):
    with qtbot.waitSignal(window.session.sigMoment, timeout=10_000) as blocker:
        window.timeline.slider.setValue(index)
    return blocker.args[0]


def test_scrubbing_back_shows_that_epoch_and_resuming_retraces_the_run(qtbot, make_window,
                                                                        wait_until_stopped):
    window = make_window("xor")
    window.session.train()
    wait_until_stopped(window)
    bar = window.timeline
    qtbot.waitUntil(lambda: len(bar.epochs) > 100 and bar.epochs[-1] == 2500)
    assert bar.epochs[0] == 0 and bar.slider.value() == len(bar.epochs)  # the right end: now
    view = look_back(qtbot, window, len(bar.epochs) // 3)
    epoch = view.epoch
    assert bar.looking is view and 0 < epoch < 2500
    past = headless_weights(epoch)
    for shown, W in zip(window.network_view._W, past.network.W[1:]):
        np.testing.assert_array_equal(shown, W)
    grid = past.network.predict(_grid_inputs(window), dtype=np.float32)
    np.testing.assert_allclose(view.boundary.values.ravel(), grid[:, 0], rtol=1e-5)
    expected = Scorer(past.trainer).score().train
    np.testing.assert_array_equal(view.scores.train.counts, expected.counts)  # its own accuracy
    np.testing.assert_array_equal(window.confusion.scores.train.counts, expected.counts)
    assert all(marker.line.isVisible() and marker.line.value() == epoch for marker in bar.markers)
    assert bar.label.text() == f"epoch {epoch:,} of 2,500" and bar.resume_button.isEnabled()
    record, status = past.trainer.history.last, window.status  # the headless run's epoch `epoch`
    assert record.epoch == epoch and status.state_label.text() == "Looking back"
    assert status.epoch_label.text() == f"epoch {epoch:,}"
    assert status.loss_label.text() == f"loss {record.train_loss:.4g}"
    assert status.metric_label.text() == f"accuracy {record.metric:.1%}"

    with qtbot.waitSignal(window.session.sigSnapshot, timeout=10_000):
        bar.resume_button.click()
    qtbot.waitUntil(lambda: window.session.last.epoch == epoch)
    assert window.session.history.epoch[-1] == epoch and bar.looking is None
    assert not any(marker.line.isVisible() for marker in bar.markers)
    qtbot.waitUntil(lambda: bar.epochs[-1] == epoch)
    window.session.train()  # on to the epoch limit again: the same run as before
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch == 2500
                    and not window.session.running, timeout=30_000)
    with qtbot.waitSignal(window.session.sigSynced):
        window.session.sync()
    np.testing.assert_array_equal(window.session.experiment.network.params,
                                  headless_weights(2500).network.params)


def _grid_inputs(window):
    from backprop_gui.core.boundary import BoundaryGrid

    return BoundaryGrid.of(window.session.experiment, window.session.axes).inputs


def test_looking_back_pauses_training_and_now_comes_back(qtbot, make_window):
    window = make_window("xor", full_speed=False)  # 300 epochs/s: still running when we look
    bar = window.timeline
    with qtbot.waitSignal(window.session.sigRunning):
        window.session.train()
    qtbot.waitUntil(lambda: len(bar.epochs) > 20)
    look_back(qtbot, window, 5)
    assert not window.session.running
    with qtbot.waitSignal(window.session.sigSnapshot, timeout=10_000):
        bar.now_button.click()
    assert bar.looking is None and bar.slider.value() == len(bar.epochs)
    last = window.session.last
    assert window.status.state_label.text() == "Paused"
    assert window.status.epoch_label.text() == f"epoch {last.epoch:,}" and last.epoch > 5
    for shown, W in zip(window.network_view._W, last.weights):
        np.testing.assert_array_equal(shown, W)
    assert not any(marker.line.isVisible() for marker in bar.markers)


def test_a_new_run_starts_a_new_timeline(qtbot, make_window):
    window = make_window("xor")
    window.actions.step_epoch.trigger()
    qtbot.waitUntil(lambda: window.timeline.epochs == (0, 1))
    with qtbot.waitSignal(window.session.sigSnapshot):
        window.actions.reset.trigger()
    qtbot.waitUntil(lambda: window.timeline.epochs == (0,))


def test_inspecting_while_looking_back_returns_to_now(qtbot, make_window):
    window = make_window("xor")
    for _ in range(3):
        with qtbot.waitSignal(window.session.sigSnapshot):
            window.actions.step_epoch.trigger()
    look_back(qtbot, window, 1)
    assert window.timeline.looking is not None
    with qtbot.waitSignal(window.session.sigInspected):
        window.actions.inspect.trigger()
    assert window.timeline.looking is None
    np.testing.assert_array_equal(window.network_view._W[0], window.session.last.weights[0])
