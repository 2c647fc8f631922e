"""The Inspector in the real window: a step taken apart in the worker, walked through
stage by stage with the network view marking each, applied as the trainer's own step,
and the gradient check, run and cancelled in the worker."""

import numpy as np

from backprop_gui.app.network_highlight import Highlight
from backprop_gui.app.stage_html import number
from backprop_gui.core.config import LayerConfig, load_project
from backprop_gui.resources import resource_dir

PROJECTS = resource_dir() / "projects"


def inspected(qtbot, window, trigger):
    with qtbot.waitSignal(window.session.sigInspected, timeout=10_000) as blocker:
        trigger()
    return blocker.args[0]


def show_inspector(qtbot, window):
    window.docks["inspector"].show()
    window.docks["inspector"].raise_()
    qtbot.waitUntil(window.inspector.isVisible)


def test_the_next_step_is_shown_stage_by_stage_and_marked_on_the_network(qtbot, make_window):
    window = make_window("xor")
    panel = window.inspector
    inspection = inspected(qtbot, window, window.actions.inspect.trigger)
    assert panel.isVisible() and inspection.whole_batch and inspection.epoch == 1
    assert [panel.stages.item(i).text() for i in range(panel.stages.count())] == [
        "1. Forward · layer 1", "2. Forward · layer 2", "3. The loss", "4. Backward · layer 2",
        "5. Backward · layer 1", "6. Update · layer 1", "7. Update · layer 2"]
    text = panel.view.toPlainText()
    assert "z₁ = a₀·W₁ + b₁" in text and "a₁ = sigmoid(z₁)" in text
    W1 = window.session.experiment.network.W[1]
    assert number(float(W1[0, 0])) in text  # the weights' own numbers
    assert window.network_view._highlight == Highlight(0, 1, "forward")
    window.actions.next_stage.trigger()
    window.actions.next_stage.trigger()
    assert panel.index == 2 and "L = (1/n) Σ ½ (ŷ − y)²" in panel.view.toPlainText()
    assert window.network_view._highlight == Highlight(2, 2, "loss")
    window.actions.next_stage.trigger()
    assert "dZ₂ = dA₂ ⊙ sigmoid'(z₂)" in panel.view.toPlainText()
    assert window.network_view._highlight == Highlight(1, 2, "backward")
    window.actions.previous_stage.trigger()
    assert panel.index == 2
    panel.stages.setCurrentRow(6)  # a click in the list
    assert panel.index == 6 and not panel.next_button.isEnabled()
    window.docks["gradients"].raise_()  # another tab: no mark left on the network
    qtbot.waitUntil(lambda: window.network_view._highlight is None)


def test_applying_the_step_gives_the_weights_it_showed_and_inspects_the_next(qtbot, make_window):
    window = make_window("xor")
    show_inspector(qtbot, window)
    first = inspected(qtbot, window, window.inspector.inspect)
    second = inspected(qtbot, window, window.inspector.apply_button.click)
    assert second.epoch == first.epoch + 1
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch == 1)
    with qtbot.waitSignal(window.session.sigSynced):
        window.session.sync()  # the worker is idle: its trainer may be read
    np.testing.assert_array_equal(window.session.experiment.network.params, first.new_params)


def test_inspect_pauses_a_running_training(qtbot, make_window):
    window = make_window("xor")
    with qtbot.waitSignal(window.session.sigRunning):
        window.session.train()
    inspection = inspected(qtbot, window, window.actions.inspect.trigger)
    assert not window.session.running
    trainer = window.session.experiment.trainer
    with qtbot.waitSignal(window.session.sigSynced):
        window.session.sync()
    assert inspection.epoch == trainer.epoch + 1  # the step after where it paused


def test_one_sample_is_a_step_on_that_sample_alone(qtbot, make_window):
    window = make_window("xor")
    panel = window.inspector
    show_inspector(qtbot, window)
    inspected(qtbot, window, panel.inspect)
    panel.sample.setValue(2)
    inspection = inspected(qtbot, window, lambda: panel.which.setCurrentIndex(1))
    assert inspection.rows.tolist() == [2] and not inspection.whole_batch
    assert not panel.apply_button.isEnabled()
    assert "x = (" in panel.sample_text.text() and "#2" in panel.view.toPlainText()
    inspection = inspected(qtbot, window, lambda: panel.sample.setValue(3))
    assert inspection.rows.tolist() == [3]


def test_the_gradient_check_passes_for_every_layer(qtbot, make_window):
    window = make_window("xor")
    view = window.inspector.check
    with qtbot.waitSignal(window.session.sigChecked, timeout=30_000) as blocker:
        window.actions.check_gradients.trigger()
    results = blocker.args[0]
    assert [r.layer for r in results] == [1, 2] and all(r.passed for r in results)
    assert view.table.rowCount() == 2 and view.table.item(0, 4).text() == "pass"
    assert view.verdict.text().count("Pass") == 1 and not view.running


def test_a_long_gradient_check_can_be_cancelled_and_training_goes_on(qtbot, make_window):
    window = make_window("circles-deep-sigmoid")
    project = load_project(PROJECTS / "circles-deep-sigmoid.json")
    project.network.hidden = [LayerConfig(64, "tanh") for _ in range(4)]  # ~13,000 parameters
    assert window.load_project(project)
    view = window.inspector.check
    show_inspector(qtbot, window)
    with qtbot.waitSignal(window.session.sigCheckProgress, timeout=10_000):
        view.button.click()
    assert view.running and view.button.text() == "Cancel"
    with qtbot.waitSignal(window.session.sigChecked, timeout=10_000) as blocker:
        view.button.click()
    assert blocker.args[0] is None and view.verdict.text() == "Check cancelled."
    with qtbot.waitSignal(window.session.sigRunning, timeout=10_000):
        window.session.train()
