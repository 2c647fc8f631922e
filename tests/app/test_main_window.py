"""The main window as a user drives it: train XOR to 100%, see plots that hold exactly
the trainer's history, watch a diverging run pause with a message, change settings
live or with a reset, keep the window layout between runs."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from backprop_gui.core.boundary import BoundaryImage
from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment
from backprop_gui.resources import resource_dir

PROJECTS = resource_dir() / "projects"


def test_xor_trains_to_100_percent_and_every_plot_holds_the_history(qtbot, make_window, wait_until_stopped):
    window = make_window("xor")
    window.actions.train.trigger()
    wait_until_stopped(window)
    last = window.session.last
    assert last.stop.kind == "epochs" and last.epoch == 2500
    history = window.session.history
    assert history.metric[-1] == 1.0 and len(history) == 2500

    # the same run headless gives the same history, number for number
    reference = Experiment.from_project(load_project(PROJECTS / "xor.json")).trainer
    reference.train()
    np.testing.assert_array_equal(history.train_loss, reference.history.train_loss)
    np.testing.assert_array_equal(history.grad_rms, reference.history.grad_rms)

    # the run over, both epoch axes end at the next round number past it (a fast run's
    # axes grow a second ahead of it while it trains)
    for view in (window.cost.view, window.gradients.view):
        assert 2500 <= view.viewRange()[0][1] <= 3000

    # following the whole run, the curves hold its peak envelope: values of the history,
    # its first and last epoch, its extremes, and its last value exactly (`drawn` is in data
    # units; on the log axes pyqtgraph draws their log10)
    curves = [(window.cost.train_curve, history.train_loss)] + [
        (curve, history.grad_rms[:, l]) for l, curve in enumerate(window.gradients.curves)]
    for curve, column in curves:
        x, y = curve.drawn
        assert len(y) < len(column) and set(y) <= set(column)
        assert x[0] == history.epoch[0] and x[-1] == history.epoch[-1]
        assert y.min() == column.min() and y.max() == column.max() and y[-1] == column[-1]
        np.testing.assert_allclose(curve.getData()[1], np.log10(y))
    # zoomed in by the user, they hold every row in view, and one more where an edge of
    # the view falls between two rows; panning alone redraws them
    views = [window.cost.view] + [window.gradients.view] * len(window.gradients.curves)
    for view in views:
        view.setXRange(100.5, 200, padding=0)
    for (curve, column), view in zip(curves, views):
        low, high = view.viewRange()[0]
        rows = (history.epoch >= history.epoch[history.epoch <= low].max()) & (
            history.epoch <= history.epoch[history.epoch >= high].min())
        assert rows.sum() == 101
        np.testing.assert_array_equal(curve.drawn[0], history.epoch[rows])
        np.testing.assert_array_equal(curve.drawn[1], column[rows])

    # the boundary image is the final network's output: high at (0,1), (1,0); low at the others
    image = window.boundary.image.values  # what the heatmap shows
    boundary = window.boundary._last
    assert isinstance(boundary, BoundaryImage) and image.shape == (100, 100)
    final = reference.network.predict(window.session.experiment.dataset.X, dtype=np.float32)[:, 0]
    (x0, x1), (y0, y1) = boundary.x_range, boundary.y_range
    for (px, py), expected in zip(window.session.experiment.dataset.X, final):
        j = int((px - x0) / (x1 - x0) * 100)
        i = int((py - y0) / (y1 - y0) * 100)
        assert abs(image[i, j] - expected) < 0.05
    assert (image[image.shape[0] // 2] >= 0).all() and (image <= 1).all()
    assert "100.0%" in window.status.metric_label.text()
    assert "epoch 2,500" in window.status.epoch_label.text()
    assert "finished" in window.banner.text().lower()


def test_a_diverging_run_pauses_and_says_what_to_try(qtbot, make_window, wait_until_stopped):
    window = make_window("diverging")
    window.actions.train.trigger()
    wait_until_stopped(window)
    last = window.session.last
    assert last.stop.kind == "diverged"
    text = window.banner.text()
    assert window.banner.kind == "error" and "diverged" in text.lower()
    assert "lower the learning rate" in text and "Reset" in text
    assert all(np.isfinite(W).all() for W in last.weights)
    assert window.status.state_label.text() == "Diverged"
    # pressing Train again retries from the last finite weights and stops again at once
    with qtbot.waitSignal(window.session.sigSnapshot, timeout=10_000):
        window.actions.train.trigger()
    wait_until_stopped(window)
    assert window.session.last.stop.kind == "diverged"
    assert window.session.last.epoch == last.epoch


def test_space_trains_and_pauses_except_while_typing(qtbot, make_window, wait_until_stopped):
    window = make_window("circles-deep-sigmoid")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.network_view.setFocus()
    with qtbot.waitSignal(window.session.sigRunning, timeout=5000) as started:
        qtbot.keyClick(window.network_view, Qt.Key.Key_Space)
    assert started.args == [True]
    with qtbot.waitSignal(window.session.sigRunning, timeout=5000) as paused:
        qtbot.keyClick(window.network_view, Qt.Key.Key_Space)
    assert paused.args == [False]

    field = window.hyper.hidden
    field.setFocus()
    field.setText("8")
    qtbot.keyClick(field, Qt.Key.Key_Space)
    qtbot.keyClicks(field, "r 8")
    QApplication.processEvents()
    assert field.text() == "8 r 8"
    assert not window.session.running
    assert window.session.last.epoch > 0  # no reset either: R went into the field


def test_the_learning_rate_changes_while_training(qtbot, make_window, wait_until_stopped):
    window = make_window("circles-deep-sigmoid")
    window.actions.train.trigger()
    qtbot.waitUntil(lambda: window.session.running)
    window.hyper.learning_rate.setCurrentText("0.03")
    qtbot.waitUntil(lambda: window.session.last is not None
                    and window.session.last.learning_rate == 0.03, timeout=10_000)
    assert window.session.running  # no reset, no pause
    window.hyper.learning_rate.setCurrentText("not a number")
    assert window.session.project.training.learning_rate == 0.03


def test_a_change_that_needs_new_weights_asks_once_trained(qtbot, make_window, wait_until_stopped):
    window = make_window("xor")
    with qtbot.waitSignal(window.session.sigSnapshot, timeout=5000):
        window.actions.step_epoch.trigger()
    experiment = window.session.experiment
    window.hyper.activation.setCurrentText("tanh")
    assert window.pending.isVisible()
    assert window.session.experiment is experiment  # nothing replaced yet
    window.undo_button.click()
    assert window.hyper.activation.currentText() == "sigmoid" and not window.pending.isVisible()

    window.hyper.activation.setCurrentText("tanh")
    with qtbot.waitSignal(window.session.sigSnapshot, timeout=5000):
        window.apply_button.click()
    assert window.session.experiment is not experiment
    assert window.session.experiment.network.activation_names == ["tanh", "sigmoid"]
    assert window.session.last.epoch == 0
    # before any training a change applies at once
    window.data_panel.kind.setCurrentText("moons")
    assert window.session.experiment.dataset.name.lower().startswith("moons")
    assert not window.pending.isVisible()


def test_settings_that_cannot_work_keep_the_current_network(qtbot, make_window, wait_until_stopped):
    window = make_window("xor")
    experiment = window.session.experiment
    window.hyper.loss.setCurrentText("cross_entropy")  # needs softmax; the output is sigmoid
    assert window.session.experiment is experiment
    assert window.banner.kind == "error" and "training.loss" in window.banner.text()
    window.actions.train.trigger()
    wait_until_stopped(window)
    assert window.session.history.metric[-1] == 1.0


def test_the_window_layout_is_remembered(qtbot, make_window, wait_until_stopped):
    """(The offscreen screen is 800×600, so only the height is free of clamping.)"""
    window = make_window("xor", settings_file="layout.ini")
    window.resize(1200, 580)
    window.docks["cost"].setFloating(True)
    window.docks["gradients"].close()
    window.document.discard()
    window.close()
    again = make_window("xor", settings_file="layout.ini")
    assert again.height() == 580
    assert again.docks["cost"].isFloating() and not again.docks["gradients"].isVisible()
    again.reset_layout()
    assert not again.docks["cost"].isFloating() and again.docks["gradients"].isVisible()


def test_a_first_window_shares_its_height_out_as_designed(qtbot, make_window):
    """The right column is boundary > cost > confusion (a 2×2 table needs the least), and
    the network stays taller than the gradients under it, whatever the window's size."""
    window = make_window("xor")
    window.show()
    qtbot.waitExposed(window)
    height = {name: dock.height() for name, dock in window.docks.items()}
    assert height["boundary"] > height["confusion"] and height["cost"] > height["confusion"]
    assert window.network_view.height() > height["gradients"]


def test_reset_layout_shares_the_height_out_as_a_first_window_does(qtbot, make_window):
    window = make_window("xor")
    window.docks["confusion"].setFloating(True)
    window.reset_layout()
    docks = window.docks

    def as_designed() -> None:  # once the restored layout has been laid out
        assert not docks["confusion"].isFloating()
        assert docks["boundary"].height() > docks["confusion"].height()
        assert docks["cost"].height() > docks["confusion"].height()

    qtbot.waitUntil(as_designed, timeout=5_000)
