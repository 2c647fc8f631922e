"""Training > Keep this run in a real window: kept runs stay in the cost and gradient
plots as fainter, labelled curves of their own rows, the Kept runs table lists their
settings and final numbers, each can be hidden or removed, and a lab keeps every run."""

import numpy as np
from PySide6.QtCore import Qt

from backprop_gui.core.lab import built_in_labs


def train(window, qtbot, epochs=60):
    """Train on up to the epoch limit `epochs` and wait until the run stopped there (a
    run stopped before has a stop reason too: the epoch tells them apart)."""
    window.hyper.epochs.setValue(epochs)
    window.actions.train.trigger()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch == epochs
                    and window.session.last.stop is not None and not window.session.running,
                    timeout=30_000)


def set_learning_rate(window, qtbot, text: str) -> None:
    """Type a learning rate as a user does: it applies live, without new weights."""
    box = window.hyper.learning_rate
    box.setCurrentText(text)
    qtbot.waitUntil(lambda: window.session.project.training.learning_rate == float(text))


def legend_texts(legend) -> list[str]:
    return [label.text for _, label in legend.items]


def test_a_kept_run_is_drawn_from_its_own_rows_and_labelled_by_what_differs(
        make_window, qtbot):
    window = make_window("xor")
    assert not window.actions.keep_run.isEnabled()  # nothing trained yet
    set_learning_rate(window, qtbot, "2")
    train(window, qtbot)
    assert window.actions.keep_run.isEnabled()
    window.actions.keep_run.trigger()
    assert "Kept this run" in window.banner.label.text()
    [(run, _)] = window.kept_runs.entries()
    kept_loss = run.history.train_loss.copy()
    assert run.last.epoch == 60 and len(kept_loss) == 60

    set_learning_rate(window, qtbot, "0.5")
    window.actions.reset.trigger()
    train(window, qtbot)
    [(run, label)] = window.kept_runs.entries()
    assert label == "lr 2" and window.kept_runs.current_label() == "this run (lr 0.5)"
    assert "lr 2" in legend_texts(window.cost.legend)
    assert "this run (lr 0.5)" in legend_texts(window.cost.legend)

    # the cost plot: the kept run's training loss, as it was, behind the live curve
    [curve] = window.cost.kept.curves  # XOR has no validation set: one curve
    np.testing.assert_array_equal(curve.drawn[0], run.history.epoch)
    np.testing.assert_array_equal(curve.drawn[1], kept_loss)
    assert curve.zValue() < window.cost.train_curve.zValue()
    assert curve.pen().color().alpha() < 255  # fainter
    assert not np.array_equal(window.session.history.train_loss, kept_loss)  # another run
    # the gradient plot: one curve per layer of the kept run, its RMS of dW
    assert len(window.gradients.kept.curves) == 2
    for l, curve in enumerate(window.gradients.kept.curves):
        np.testing.assert_allclose(curve.drawn[1], run.history.grad_rms[:, l])
    assert legend_texts(window.gradients.kept_legend) == ["this run (lr 0.5)", "lr 2"]

    # the table: this run first, then the kept one, with their settings and numbers
    table = window.runs_panel.table
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == "this run" and table.item(1, 0).text() == "lr 2"
    assert table.item(1, 4).text() == "2" and table.item(0, 4).text() == "0.5"
    assert table.item(1, 6).text() == "60" and table.item(1, 11).text() == "epoch limit"
    assert table.item(1, 7).text() == f"{run.last.train_loss:.4g}"
    assert table.isColumnHidden(8)  # no validation set in any run: no validation columns


def test_a_kept_run_can_be_hidden_shown_and_removed(make_window, qtbot):
    window = make_window("xor")
    train(window, qtbot, epochs=20)
    window.keep_run()
    table, panel = window.runs_panel.table, window.runs_panel
    assert len(window.cost.kept.curves) == 1 and not panel.hint.isVisible()
    table.item(1, 0).setCheckState(Qt.CheckState.Unchecked)  # as a click on its box does
    assert window.cost.kept.curves == [] and window.gradients.kept.curves == []
    assert not window.kept_runs.entries()[0][0].visible
    table.item(1, 0).setCheckState(Qt.CheckState.Checked)
    assert len(window.cost.kept.curves) == 1
    window.docks["runs"].raise_()
    table.selectRow(1)
    assert panel.remove_button.isEnabled()
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert window.kept_runs.entries() == [] and window.cost.kept.curves == []
    assert table.rowCount() == 1 and panel.hint.isVisibleTo(panel)
    assert "lr" not in " ".join(legend_texts(window.cost.legend))


def test_a_run_is_kept_once_and_not_while_it_trains(make_window, qtbot):
    window = make_window("xor")
    window.keep_run()
    assert "Train first" in window.banner.label.text() and not window.kept_runs.entries()
    train(window, qtbot, epochs=10)
    window.keep_run()
    window.keep_run()
    assert "kept already" in window.banner.label.text() and len(window.kept_runs.entries()) == 1
    window.hyper.epochs.setValue(1_000_000)
    window.actions.train.trigger()
    qtbot.waitUntil(lambda: window.session.running)
    assert not window.actions.keep_run.isEnabled()
    window.keep_run()  # the runs panel's button, say, pressed while training
    assert "Pause" in window.banner.label.text() and len(window.kept_runs.entries()) == 1
    window.actions.train.trigger()  # pause
    qtbot.waitUntil(lambda: not window.session.running and window.actions.keep_run.isEnabled())


def test_a_lab_keeps_each_run_with_what_it_trained_with(make_window, qtbot):
    window = make_window("xor")
    lab = next(p for p in built_in_labs() if "learning-rate" in p.name)
    assert window.actions.files.open_path(lab, example=True)
    assert window.kept_runs.automatic
    window.actions.train.trigger()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch >= 20)
    window.actions.train.trigger()  # pause
    qtbot.waitUntil(lambda: not window.session.running)
    first_rate = window.session.project.training.learning_rate
    set_learning_rate(window, qtbot, "3")  # changed after the run's last epoch
    window.actions.reset.trigger()  # replaces the run: the lab keeps it
    [(run, _)] = window.kept_runs.entries()
    assert run.settings["lr"] == f"lr {first_rate:g}"  # what it trained with, not "lr 3"
    train(window, qtbot, epochs=30)
    set_learning_rate(window, qtbot, "1")
    train(window, qtbot, epochs=60)  # the same run goes on at another rate
    window.actions.reset.trigger()
    runs = window.kept_runs.entries()
    assert [r.settings["lr"] for r, _ in runs] == [f"lr {first_rate:g}", "lr 3→1"]
    # another lesson: the runs of this one are not compared with it
    other = next(p for p in built_in_labs() if "activations" in p.name)
    window.document.discard()  # no question about saving the trained weights
    assert window.actions.files.open_path(other, example=True)
    assert window.kept_runs.entries() == [] and window.cost.kept.curves == []


def test_a_kept_run_that_diverged_does_not_flatten_the_live_one():
    from backprop_gui.app.plots.kept_curves import merge_spans

    live = (-2.0, -0.5)  # log10 of the live run's losses: 0.01 .. 0.3
    diverged = (0.0, 120.0, (-1.0, 304.0))
    first, last, values = merge_spans(0, 500, live, diverged, log=True)
    assert (first, last) == (0, 500) and values == (-2.0, 1.0)  # 1.5 decades above, no more
    converged = (0.0, 500.0, (-4.0, -1.0))
    assert merge_spans(0, 500, live, converged, log=True)[2] == (-4.0, -0.5)  # lower is shown
    assert merge_spans(0, 10, (0.2, 0.9), (0, 10, (0.5, 1.0)), log=False)[2] == (0.2, 1.0)
