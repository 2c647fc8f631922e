"""The network editor in a real window: networks built by clicking its buttons are the
networks the engine trains, typed weights reach the worker, and every edit undoes and
redoes."""

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt

from backprop_gui.app.network_editor import MAX_HIDDEN_LAYERS, NetworkEditor, Parameter
from backprop_gui.core.boundary import BoundaryGrid


def click(qtbot, editor: NetworkEditor, name: str) -> None:
    button = editor.controls()[name]
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def sizes(window) -> list[int]:
    return list(window.session.experiment.network.sizes)


def use_circles(window) -> None:
    window.data_panel.kind.setCurrentText("circles")
    assert window.session.project.dataset.kind == "circles"  # untrained: applied at once


def test_a_2_4_4_1_network_built_by_clicking_is_the_one_that_trains_on_circles(make_window, qtbot):
    window = make_window("xor")
    use_circles(window)
    editor = window.network_view
    assert sizes(window) == [2, 3, 1]
    click(qtbot, editor, "add unit 0")
    assert sizes(window) == [2, 4, 1]
    click(qtbot, editor, "insert layer 1")  # after hidden 1: a copy of its 4 units
    assert sizes(window) == [2, 4, 4, 1]
    editor.controls()["activation 1"].menu().actions()[1].trigger()  # tanh
    assert window.session.project.network.hidden[1].activation == "tanh"
    experiment = window.session.experiment
    trainer = experiment.trainer
    with qtbot.waitSignal(window.session.sigRunning, check_params_cb=bool):
        window.session.train()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch > 20)
    window.session.pause()
    qtbot.waitUntil(lambda: not window.session.running)
    assert trainer.network.sizes == [2, 4, 4, 1]
    assert trainer.network.activation_names == ["sigmoid", "tanh", "sigmoid"]
    assert experiment.dataset.n_samples == window.session.project.dataset.samples
    assert [w.shape for w in window.session.last.weights] == [(2, 4), (4, 4), (4, 1)]


def test_undo_and_redo_round_trip_a_sequence_of_edits(make_window, qtbot):
    window = make_window("xor")
    editor, stack = window.network_view, window.undo_stack
    steps = [
        ("add unit 0", [2, 4, 1]),
        ("insert layer 0", [2, 4, 4, 1]),
        ("remove unit 1", [2, 4, 3, 1]),
        ("remove layer 0", [2, 3, 1]),
        ("insert layer 1", [2, 3, 3, 1]),
    ]
    seen = [sizes(window)]
    for name, expected in steps:
        click(qtbot, editor, name)
        assert sizes(window) == expected, name
        seen.append(expected)
    first_weights = window.session.experiment.network.params.copy()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.setFocus()
    for expected in reversed(seen[:-1]):
        qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert sizes(window) == expected
    assert not stack.canUndo()
    for expected in seen[1:]:
        qtbot.keyClick(editor, Qt.Key.Key_Z,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert sizes(window) == expected
    assert not stack.canRedo()
    # rebuilt from the same seed: the same weights as when the edit was first made
    np.testing.assert_array_equal(window.session.experiment.network.params, first_weights)
    assert "Network changed" in window.banner.text()


def test_changing_the_network_while_training_pauses_and_says_so(make_window, qtbot):
    window = make_window("xor", full_speed=False)  # 300 epochs/s: still running at the click
    with qtbot.waitSignal(window.session.sigRunning, check_params_cb=bool):
        window.session.train()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch > 0)
    assert window.session.running
    click(qtbot, window.network_view, "add unit 0")
    qtbot.waitUntil(lambda: not window.session.running)
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch == 0)
    assert sizes(window) == [2, 4, 1]
    assert "Training paused" in window.banner.text()
    assert window.actions.train.text() == "&Train"


def test_the_editor_keeps_to_its_limits(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    assert not editor.controls()["remove layer 0"].isEnabled()  # the only hidden layer
    for _ in range(2):
        click(qtbot, editor, "remove unit 0")
    assert sizes(window) == [2, 1, 1]
    assert not editor.controls()["remove unit 0"].isEnabled()
    for _ in range(MAX_HIDDEN_LAYERS - 1):
        click(qtbot, editor, "insert layer 0")
    assert len(sizes(window)) == MAX_HIDDEN_LAYERS + 2
    assert not any(button.isEnabled() for name, button in editor.controls().items()
                   if name.startswith("insert layer"))
    editor.insert_layer(0)  # asked for anyway (e.g. from code): nothing happens
    assert len(sizes(window)) == MAX_HIDDEN_LAYERS + 2


def test_the_context_menu_edits_the_layer_under_the_mouse(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    menu = editor.context_menu(editor.neuron_position(1, 0))
    actions = {action.text(): action for action in menu.actions()}
    actions["Add a neuron"].trigger()
    assert sizes(window) == [2, 4, 1]
    menu = editor.context_menu(editor.neuron_position(0, 0))  # on the inputs
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Insert a hidden layer after the inputs"]
    menu.actions()[0].trigger()
    assert sizes(window) == [2, 4, 4, 1]


def test_a_typed_weight_reaches_the_worker_and_undoes(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    qtbot.waitUntil(lambda: window.session.last is not None)
    old = float(window.session.last.weights[0][0, 1])
    a, b = editor.neuron_position(0, 0), editor.neuron_position(1, 1)
    point = QPointF(a.x() + 0.3 * (b.x() - a.x()), a.y() + 0.3 * (b.y() - a.y())).toPoint()
    assert editor.link_at(QPointF(point)) == (1, 0, 1)
    qtbot.mouseDClick(editor, Qt.MouseButton.LeftButton, pos=point)
    field = editor._value_editor
    assert field.isVisible()
    field.selectAll()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.isVisible() and "Not a number" in field.toolTip()  # refused, still open
    field.selectAll()
    qtbot.keyClicks(field, "1,5")  # a decimal comma is a point
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not field.isVisible()
    qtbot.waitUntil(lambda: float(window.session.last.weights[0][0, 1]) == 1.5)
    assert float(window.session.experiment.network.W[1][0, 1]) == 1.5
    assert window.undo_stack.undoText().startswith("Set the weight x1 → hidden 1 unit 2")
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: float(window.session.last.weights[0][0, 1]) == old)


def test_a_typed_bias_and_an_escape(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    qtbot.waitUntil(lambda: window.session.last is not None)
    assert editor.parameter_at(editor.neuron_position(0, 0)) is None  # inputs have no bias
    output = editor.neuron_position(2, 0).toPoint()
    assert editor.parameter_at(QPointF(output)) == Parameter(2, None, 0)
    qtbot.mouseDClick(editor, Qt.MouseButton.LeftButton, pos=output)
    field = editor._value_editor
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible() and not window.undo_stack.canUndo()
    qtbot.mouseDClick(editor, Qt.MouseButton.LeftButton, pos=output)
    field.selectAll()
    qtbot.keyClicks(field, "-2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: float(window.session.last.biases[1][0]) == -2.0)


def test_a_weight_typed_on_another_shape_is_dropped_not_misapplied(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    qtbot.waitUntil(lambda: window.session.last is not None)
    window.changes.edit_parameter(Parameter(1, 0, 0), 0.0, 3.0)
    qtbot.waitUntil(lambda: float(window.session.last.weights[0][0, 0]) == 3.0)
    click(qtbot, editor, "add unit 0")
    window.undo_stack.undo()  # back to 2-3-1 (new weights): the typed weight's command still fits
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.session.last is not None
                    and float(window.session.last.weights[0][0, 0]) == 0.0)
    click(qtbot, editor, "add unit 0")  # a new branch: the weight edit's redo is gone
    assert not window.undo_stack.canRedo()


def test_per_layer_activations_survive_other_settings(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    click(qtbot, editor, "insert layer 1")
    editor.controls()["activation 1"].menu().actions()[2].trigger()  # relu
    assert window.session.project.network.hidden[1].activation == "relu"
    window.hyper.optimizer.setCurrentText("momentum")
    assert window.apply_settings()
    assert [layer.activation for layer in window.session.project.network.hidden] == ["sigmoid", "relu"]


def test_the_value_field_stays_inside_the_view(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    qtbot.waitUntil(lambda: window.session.last is not None)
    assert editor.edit_parameter(Parameter(2, None, 0), QPoint(editor.width() + 50, -20))
    field = editor._value_editor
    assert field.x() >= 0 and field.x() + field.width() <= editor.width()
    assert field.y() >= 0


def test_resting_on_a_neuron_shows_what_it_computes_over_the_plane(make_window, qtbot):
    from PySide6.QtGui import QHelpEvent, QMouseEvent
    from PySide6.QtWidgets import QApplication

    from backprop_gui.core.unit_maps import unit_values

    window = make_window("xor")
    editor = window.network_view
    qtbot.waitUntil(lambda: window.session.last is not None)
    at = editor.neuron_position(1, 2).toPoint()
    QApplication.sendEvent(editor, QHelpEvent(QEvent.Type.ToolTip, at, editor.mapToGlobal(at)))
    card = editor.unit_card()
    assert card.isVisible() and card.unit == (1, 2)
    assert "hidden 1" in card.text.text() and "bias" in card.text.text()
    snapshot = window.session.last
    plane = BoundaryGrid.of(window.session.experiment, (0, 1), card.values.shape[0])
    expected = unit_values(snapshot.weights, snapshot.biases, ["sigmoid", "sigmoid"], plane.inputs, 1, 2)
    np.testing.assert_allclose(card.values.ravel(), expected, rtol=1e-5)
    assert editor.rect().contains(card.geometry())
    # it follows the training, and goes when the mouse leaves the neuron
    with qtbot.waitSignal(window.session.sigRunning, check_params_cb=bool):
        window.session.train()
    first = card.values.copy()
    qtbot.waitUntil(lambda: not np.allclose(card.values, first), timeout=10_000)
    away = QPointF(editor.rect().center() + QPoint(1, editor.height() // 3))
    assert editor.neuron_at(away) is None
    QApplication.sendEvent(editor, QMouseEvent(QEvent.Type.MouseMove, away, editor.mapToGlobal(away),
                                               Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                               Qt.KeyboardModifier.NoModifier))
    assert not card.isVisible()
    # an input has no picture: its tooltip is the plain text
    at = editor.neuron_position(0, 0).toPoint()
    QApplication.sendEvent(editor, QHelpEvent(QEvent.Type.ToolTip, at, editor.mapToGlobal(at)))
    assert not card.isVisible()


def test_a_links_tooltip_gives_its_weight_and_its_latest_gradient(make_window, qtbot):
    window = make_window("xor")
    editor = window.network_view
    window.session.step_epoch()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch == 1)
    snapshot = window.session.last
    a, b = editor.neuron_position(1, 0), editor.neuron_position(2, 0)
    text = editor.tooltip_at((a + b) / 2)
    assert f"w = {snapshot.weights[1][0, 0]:.4g}" in text
    assert f"∂L/∂w = {snapshot.gradients[1][0, 0]:.3g}" in text


def test_clicking_a_neuron_shows_it_on_the_boundary_plot_until_clicked_again(make_window, qtbot):
    from backprop_gui.core.unit_maps import unit_values

    window = make_window("xor")
    editor, plot = window.network_view, window.boundary
    qtbot.waitUntil(lambda: window.session.last is not None)
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=editor.neuron_position(1, 1).toPoint())
    assert editor.shown_unit == (1, 1)
    qtbot.waitUntil(lambda: plot._last is not None and plot._last.unit == (1, 1))
    snapshot = window.session.last
    grid = BoundaryGrid.of(window.session.experiment)
    expected = unit_values(snapshot.weights, snapshot.biases, ["sigmoid", "sigmoid"], grid.inputs, 1, 1)
    np.testing.assert_allclose(plot.image.values.ravel(), expected, rtol=1e-5, atol=1e-6)
    assert plot.colorbar.axis.labelText == "a of hidden 1 unit 2"
    assert plot.colorbar.levels() == (0.0, 1.0)  # a sigmoid's range
    assert "hidden 1 unit 2 (sigmoid)" in plot.note.text()
    # it stays while training, and the plot shows the output again when clicked again
    window.session.step_epoch()
    qtbot.waitUntil(lambda: window.session.last.epoch == 1 and plot._last.unit == (1, 1))
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=editor.neuron_position(1, 1).toPoint())
    qtbot.waitUntil(lambda: plot._last.unit is None)
    assert plot.colorbar.axis.labelText == "P(class 1)" and not plot.note.isVisible()
    # Escape also gives the output back
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=editor.neuron_position(2, 0).toPoint())
    qtbot.waitUntil(lambda: plot._last.unit == (2, 0))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: plot._last.unit is None)
