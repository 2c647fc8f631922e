"""Painting data on the boundary plot of a real window: a click adds a point where it
lands, a drag erases, each edit trains on the new data, saves with the project, and undoes."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from backprop_gui.core.config import load_project, parse_project, save_project
from backprop_gui.core.errors import ConfigError


def pixel(window, x: float, y: float) -> QPoint:
    """Where the data point (x, y) is on the boundary plot's viewport."""
    plot = window.boundary.plot
    view = plot.getPlotItem().getViewBox()
    return plot.mapFromScene(view.mapViewToScene(QPointF(x, y)))


def start_painting(window, qtbot):
    tool = window.boundary.paint
    assert tool.button.isEnabled()
    qtbot.mouseClick(tool.button, Qt.MouseButton.LeftButton)
    assert tool.painting
    return tool


def test_a_click_adds_a_point_of_the_chosen_class_and_it_trains_and_saves(make_window, qtbot, tmp_path):
    window = make_window("xor")
    tool = start_painting(window, qtbot)
    tool.brush.setCurrentIndex(1)
    viewport = window.boundary.plot.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(window, 0.5, 0.5))
    project, dataset = window.session.project, window.session.experiment.dataset
    assert project.dataset.kind == "painted" and len(project.dataset.points) == 5
    x, y, t = project.dataset.points[-1]
    assert abs(x - 0.5) < 0.02 and abs(y - 0.5) < 0.02 and t == 1
    assert dataset.n_samples == 5 and list(dataset.y[:4]) == [0, 1, 1, 0]
    assert window.data_panel.kind.currentText() == "painted"
    save_project(project, tmp_path / "painted.json")
    again = load_project(tmp_path / "painted.json")
    assert again.dataset.points == project.dataset.points
    with qtbot.waitSignal(window.session.sigRunning, check_params_cb=bool):
        window.session.train()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch > 10)
    window.session.pause()


def test_a_drag_erases_the_points_it_crosses_and_undo_brings_them_back(make_window, qtbot):
    window = make_window("xor")
    start_painting(window, qtbot)
    viewport = window.boundary.plot.viewport()
    start = pixel(window, 0.0, 0.0)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(-20, 0))
    for step in range(0, 41, 5):
        qtbot.mouseMove(viewport, start + QPoint(-20 + step, 0))
    assert len(window.boundary.paint.eraser.data) == 1  # crossed out while the mouse is down
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(20, 0))
    points = window.session.project.dataset.points
    assert len(points) == 3 and [0.0, 0.0, 0.0] not in points
    assert len(window.boundary.paint.eraser.data) == 0
    window.undo_stack.undo()
    assert window.session.project.dataset.kind == "xor"
    assert window.session.experiment.dataset.n_samples == 4
    window.undo_stack.redo()
    assert len(window.session.project.dataset.points) == 3


def test_erasing_a_whole_class_is_refused_in_words(make_window, qtbot):
    window = make_window("xor")
    tool = start_painting(window, qtbot)
    tool.erase(np.array([True, False, False, True]))  # both points of class 0
    assert window.session.project.dataset.kind == "xor"
    assert "two classes" in window.banner.text()


def test_a_new_class_makes_the_problem_multi_class(make_window, qtbot):
    window = make_window("xor")
    tool = start_painting(window, qtbot)
    assert tool.brush.itemText(2) == "new class 2"
    tool.brush.setCurrentIndex(2)
    qtbot.mouseClick(window.boundary.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=pixel(window, 0.5, 0.9))
    experiment = window.session.experiment
    assert experiment.dataset.task == "multiclass" and experiment.network.sizes[-1] == 3
    assert experiment.network.activation_names[-1] == "softmax"
    assert tool.brush.itemText(2) == "class 2" and tool.brush.itemText(3) == "new class 3"


def test_regression_data_paints_values_and_one_feature_data_cannot_be_painted(make_window, qtbot):
    window = make_window("xor")
    window.data_panel.kind.setCurrentText("plane")
    tool = start_painting(window, qtbot)
    assert tool.value.isVisible() and not tool.brush.isVisible()
    tool.value.setValue(0.75)
    qtbot.mouseClick(window.boundary.plot.viewport(), Qt.MouseButton.LeftButton,
                     pos=pixel(window, 0.2, 0.2))
    assert window.session.project.dataset.task == "regression"
    assert window.session.project.dataset.points[-1][2] == pytest.approx(0.75)
    window.data_panel.kind.setCurrentText("sine")
    assert not tool.button.isEnabled() and not tool.painting


@pytest.mark.parametrize("points, message", [
    ([[0, 0, 0]], "list of 2 to"),
    ([[0, 0, 0], [1, 1]], "point 1 must be"),
    ([[0, 0, 0], [1, "a", 1]], "point 1 must be"),
    ([[0, 0, 0], [1, 1, 0.5]], "point 1: the class must be a whole number"),
    ([[0, 0, 0], [1, 1, 0]], "at least two classes"),
    ([[0, 0, 0], [1, 1e9, 1]], "point 1 must be"),
    ("points", "list of 2 to"),
])
def test_painted_points_in_a_file_are_checked(points, message):
    data = {"format": 1, "dataset": {"kind": "painted", "points": points}}
    with pytest.raises(ConfigError, match=message) as error:
        parse_project(data, "lab.json")
    assert str(error.value).startswith("lab.json: dataset.points: ")
