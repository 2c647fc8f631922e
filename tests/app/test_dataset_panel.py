"""The data panel: its input toggles write the project's derived inputs (only for 2-D
data, never none ticked), a real window rebuilds its network with one input unit per
ticked input, and each built-in set has its picture, in the plot's colours."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from backprop_gui.app.panels.dataset import DatasetPanel
from backprop_gui.app.panels.thumbnails import thumbnail
from backprop_gui.app.style import CLASS_COLORS
from backprop_gui.core.config import DatasetConfig, Project, load_project, save_project
from backprop_gui.core.datasets import KINDS, make_dataset


def panel_for(qtbot, **dataset) -> DatasetPanel:
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.set_project(Project(DatasetConfig(**dataset)))
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def click(qtbot, panel: DatasetPanel, key: str) -> None:
    box = panel.inputs.boxes[key]
    assert box.isVisible() and box.isEnabled(), key
    with qtbot.waitSignal(panel.sigChanged, timeout=1000):
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)


def written(panel: DatasetPanel, **dataset) -> list[str] | None:
    project = Project(DatasetConfig(**dataset))
    panel.apply_to(project)
    return project.dataset.inputs


def test_toggles_write_the_derived_inputs_and_one_always_stays_ticked(qtbot):
    panel = panel_for(qtbot, kind="circles")
    boxes = panel.inputs.boxes
    assert [box.text() for box in boxes.values()] == ["x1", "x2", "x1²", "x2²", "x1·x2", "sin x1",
                                                     "sin x2"]
    assert all(box.toolTip() for box in boxes.values())
    assert panel.inputs.ticked() == ["x1", "x2"] and written(panel) is None
    click(qtbot, panel, "x2^2")
    click(qtbot, panel, "x1^2")
    assert written(panel) == ["x1", "x2", "x1^2", "x2^2"]  # the panel's order, not the clicks'
    for key in ("x1", "x2", "x1^2"):
        click(qtbot, panel, key)
    assert written(panel) == ["x2^2"]
    last = boxes["x2^2"]
    assert last.isChecked() and not last.isEnabled() and "must stay ticked" in last.toolTip()
    click(qtbot, panel, "sin(x1)")
    assert last.isEnabled() and written(panel) == ["x2^2", "sin(x1)"]


def test_a_project_ticks_its_inputs_without_emitting(qtbot):
    panel = panel_for(qtbot, kind="moons")
    with qtbot.assertNotEmitted(panel.sigChanged):
        panel.set_project(Project(DatasetConfig(kind="blobs", inputs=["x1*x2", "x1"])))
    assert panel.inputs.ticked() == ["x1", "x1*x2"]
    assert written(panel, kind="blobs") == ["x1", "x1*x2"]


def test_one_feature_data_has_no_toggles_and_no_derived_inputs(qtbot):
    panel = panel_for(qtbot, kind="circles", inputs=["x1^2", "x2^2"])
    assert panel.inputs.isVisible()
    with qtbot.waitSignal(panel.sigChanged, timeout=1000):
        panel.kind.setCurrentText("sine")
    assert not panel.inputs.isVisible() and not panel.inputs_label.isVisible()
    assert written(panel, inputs=["x1"]) is None
    panel.kind.setCurrentText("plane")  # the ticks come back as they were
    assert panel.inputs.isVisible() and written(panel) == ["x1^2", "x2^2"]


def test_a_csv_file_offers_them_only_when_it_is_known_to_have_two_features(qtbot):
    panel = panel_for(qtbot, kind="csv", path="d.csv", inputs=["x1^2"])
    assert not panel.inputs.isVisible()  # its width is not known yet: the project's inputs stay
    assert written(panel, kind="csv", inputs=["x1^2"]) == ["x1^2"]
    project = Project(DatasetConfig(kind="csv", path="d.csv", inputs=["x1^2"]))
    two = make_dataset("circles", 10)
    two.feature_names = ["width", "height"]
    panel.set_project(project, two)
    assert panel.inputs.isVisible() and panel.inputs.ticked() == ["x1^2"]
    assert "x1 is width, x2 is height" in panel.inputs.boxes["x1*x2"].toolTip()
    panel.set_project(project, make_dataset("sine", 10))
    assert not panel.inputs.isVisible() and written(panel, kind="csv", inputs=["x1"]) is None
    panel.set_project(Project(DatasetConfig(kind="csv", path="d.csv", features=["a", "b"])))
    assert panel.inputs.isVisible()


def _rgb(image, x, y):
    c = image.pixelColor(x, y)
    return np.array([c.red(), c.green(), c.blue()])


def test_each_set_has_its_picture_in_the_plot_colours(qtbot):
    panel = panel_for(qtbot, kind="circles")
    combo = panel.kind
    shown = [i for i in range(combo.count()) if combo.has_picture(i)]
    assert combo.currentIndex() in shown and len(shown) <= 2  # the others when the list opens
    combo.showPopup()
    assert all(combo.has_picture(i) for i in range(combo.count()))
    combo.hidePopup()
    assert [combo.itemText(i) for i in range(combo.count())] == list(KINDS)
    assert all(combo.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(combo.count()))

    image = thumbnail("circles", 40).toImage()
    assert (image.width(), image.height()) == (40, 40)
    # the disc (class 0) fills the middle, the ring (class 1) passes the middle of each side
    inner = QColor(CLASS_COLORS[0])
    outer = QColor(CLASS_COLORS[1])
    middle = [_rgb(image, x, y) for x in range(17, 23) for y in range(17, 23)]
    assert any(np.abs(c - [inner.red(), inner.green(), inner.blue()]).max() < 30 for c in middle)
    edge = [_rgb(image, x, 20) for x in range(3, 10)]
    assert any(np.abs(c - [outer.red(), outer.green(), outer.blue()]).max() < 30 for c in edge)
    assert not any(np.abs(c - [outer.red(), outer.green(), outer.blue()]).max() < 30 for c in middle)
    # a regression set is coloured by its target: many different colours
    plane = thumbnail("plane", 40).toImage()
    colours = {tuple(_rgb(plane, x, y)) for x in range(40) for y in range(40)}
    assert len(colours) > 30
    assert thumbnail("spiral", 40, 2.0).toImage().width() == 80  # sharp on a HiDPI screen


def test_toggled_inputs_rebuild_the_window_network(qtbot, make_window, tmp_path):
    window = make_window("xor")
    window.data_panel.kind.setCurrentText("circles")
    assert window.session.experiment.network.sizes[0] == 2
    panel = window.data_panel
    for key, units in (("x1^2", 3), ("x2^2", 4), ("x1", 3), ("x2", 2), ("sin(x1)", 3)):
        click(qtbot, panel, key)
        experiment = window.session.experiment
        assert experiment.network.sizes[0] == units == len(experiment.input_names)
    assert window.session.project.dataset.inputs == ["x1^2", "x2^2", "sin(x1)"]
    assert experiment.input_names == ["x1²", "x2²", "sin x1"]
    assert experiment.dataset.n_features == 2  # the plots keep the x1/x2 plane

    # the project with its inputs saves, and loads into another window as it was
    save_project(window.session.project, tmp_path / "inputs.json")
    again = make_window("xor", settings_file="again.ini")
    assert again.load_project(load_project(tmp_path / "inputs.json"))
    assert again.data_panel.inputs.ticked() == ["x1^2", "x2^2", "sin(x1)"]
    assert again.session.experiment.network.sizes[0] == 3


@pytest.mark.parametrize("kind", KINDS)
def test_every_built_in_set_draws(qtbot, kind):
    image = thumbnail(kind, 40).toImage()
    colours = {image.pixel(x, y) for x in range(0, 40, 2) for y in range(0, 40, 2)}
    assert len(colours) >= 3  # white, the frame, and points


def test_circles_on_squared_inputs_train_in_the_window_with_the_points_where_they_are(
        qtbot, make_window, wait_until_stopped):
    window = make_window("xor")
    panel = window.data_panel
    panel.kind.setCurrentText("circles")
    for key in ("x1^2", "x2^2", "x1", "x2"):
        click(qtbot, panel, key)
    experiment = window.session.experiment
    assert experiment.input_names == ["x1²", "x2²"]
    window.hyper.epochs.setValue(300)
    window.actions.train.trigger()
    wait_until_stopped(window)
    assert window.session.last.stop.kind == "epochs"  # not an internal error
    assert window.banner.text().startswith("Training finished")
    assert window.boundary.image.values.shape == (100, 100)
    # the points are drawn at the raw data, on the x1/x2 plane
    x, y = window.boundary.train_points.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), experiment.train_points.X)
