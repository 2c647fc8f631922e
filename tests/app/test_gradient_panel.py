"""The gradient panel draws what a real training run recorded: one curve per layer with
the history's values, bars of the current sizes, the diagnosis in words, the unit table;
and the RMS / L2 toggle switches every curve to the other measure."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget

from backprop_gui.app.plots.gradients import NONE, GradientPanel
from backprop_gui.app.plots.gradients_preview import preview
from backprop_gui.app.style import configure_pyqtgraph
from backprop_gui.core.config import DatasetConfig, LayerConfig, NetworkConfig, Project, TrainingConfig
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.gradient_health import diagnose, unit_health


def trained(act: str, init: str, epochs: int) -> Experiment:
    """Six hidden layers of 8 units on the circles, plain SGD, learning rate 0.5."""
    project = Project(DatasetConfig(kind="circles"),
                      NetworkConfig([LayerConfig(8, act) for _ in range(6)], init=init),
                      TrainingConfig(learning_rate=0.5, optimizer="sgd", epochs=1000))
    experiment = Experiment.from_project(project)
    experiment.trainer.train(epochs=epochs)
    return experiment


def fed(panel: GradientPanel, experiment: Experiment) -> GradientPanel:
    """The panel given the run's history and current state, as the window gives them."""
    h, net = experiment.trainer.history, experiment.network
    health = unit_health(net, experiment.trainer.X)
    panel.set_layers(net.activation_names)
    panel.set_history(h)
    panel.set_current(h.grad_rms[-1], h.grad_l2[-1], health,
                      diagnose(h.grad_rms, health.saturated, health.dead,
                               activations=net.activation_names))
    return panel


@pytest.fixture
def panel(qtbot) -> GradientPanel:
    configure_pyqtgraph()
    widget = GradientPanel()
    qtbot.addWidget(widget)
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture(scope="module")
def deep_sigmoid() -> Experiment:
    return trained("sigmoid", "uniform", epochs=6)


def test_one_curve_per_layer_holds_the_recorded_rms(panel, deep_sigmoid):
    fed(panel, deep_sigmoid)
    h = deep_sigmoid.trainer.history
    item = panel.plot_items()["gradients"]
    assert len(panel.curves) == 7 and len(item.listDataItems()) == 7
    for l, curve in enumerate(panel.curves):
        x, y = curve.getData()
        np.testing.assert_array_equal(x, h.epoch)
        np.testing.assert_allclose(y, np.log10(h.grad_rms[:, l]))  # the y axis is log10
    assert item.getAxis("left").labelText == "RMS of dW (log)"


def test_legend_names_each_layer_and_its_activation(panel, deep_sigmoid, qtbot):
    fed(panel, deep_sigmoid)
    panel.resize(1400, 420)  # room for the full names in a row or two
    qtbot.waitUntil(lambda: len(panel.legend.items) == 7 and panel.legend.items[0][1].text != "L1")
    names = [label.text for _, label in panel.legend.items]
    assert names == [f"layer {l} (sigmoid)" for l in range(1, 7)] + ["layer 7 (sigmoid)"]
    assert [sample.item for sample, _ in panel.legend.items] == panel.curves
    panel.resize(600, 350)  # too narrow for seven long names: short ones, same curves
    qtbot.waitUntil(lambda: panel.legend.items[0][1].text == "L1")
    assert [label.text for _, label in panel.legend.items] == [f"L{l}" for l in range(1, 8)]


def test_the_deep_sigmoid_run_is_shown_as_vanishing(panel, deep_sigmoid):
    fed(panel, deep_sigmoid)
    text = panel.diagnosis_label.text()
    assert panel.diagnosis_kind == "vanishing"
    assert "Vanishing gradients" in text and "orders of magnitude smaller" in text
    rms = deep_sigmoid.trainer.history.grad_rms[-1]
    assert f"layer 1's gradients are {rms[0] / rms[-1]:.1e} × the output layer's" in text
    assert "#e69f00" in panel.diagnosis_label.styleSheet()  # the amber bar


def test_bars_and_table_show_the_current_sizes(panel, deep_sigmoid):
    fed(panel, deep_sigmoid)
    now = deep_sigmoid.trainer.history.grad_rms[-1]
    np.testing.assert_allclose(panel.bars.y0 + panel.bars.heights, np.log10(now))
    table: QTableWidget = panel.table
    assert table.rowCount() == 7
    assert [table.item(r, 0).text() for r in range(7)] == [f"L{l}" for l in range(1, 8)]
    assert table.item(0, 2).text() == f"{now[0]:.2g}"
    assert table.item(0, 4).text() == "0%" and table.item(0, 5).text() == NONE  # sigmoid cannot die
    for c in range(table.columnCount()):
        assert table.horizontalHeaderItem(c).toolTip()
    assert "95% of samples" in table.horizontalHeaderItem(4).toolTip()
    assert not table.verticalScrollBar().isVisible() and not table.horizontalScrollBar().isVisible()


def test_switching_to_l2_replots_every_curve_and_bar(panel, deep_sigmoid, qtbot):
    fed(panel, deep_sigmoid)
    h = deep_sigmoid.trainer.history
    panel.measure.setFocus()
    with qtbot.waitSignal(panel.sigMeasureChanged) as changed:
        qtbot.keyClick(panel.measure, Qt.Key.Key_Down)
    assert changed.args == ["L2 norm"]
    for l, curve in enumerate(panel.curves):
        np.testing.assert_allclose(curve.getData()[1], np.log10(h.grad_l2[:, l]))
    assert not np.allclose(h.grad_l2, h.grad_rms)
    np.testing.assert_allclose(panel.bars.y0 + panel.bars.heights, np.log10(h.grad_l2[-1]))
    assert panel.plot_items()["gradients"].getAxis("left").labelText == "L2 norm of dW (log)"


def test_a_healthy_relu_run_and_its_dead_units(panel):
    experiment = trained("relu", "he", epochs=20)
    fed(panel, experiment)
    assert panel.diagnosis_kind == "ok"
    assert panel.diagnosis_label.text().startswith("<b>Healthy:</b>")
    health = unit_health(experiment.network, experiment.trainer.X)
    assert [panel.table.item(r, 5).text() for r in range(6)] == [f"{s:.0%}" for s in health.dead[:6]]
    assert panel.table.item(6, 5).text() == NONE  # the sigmoid output cannot die


def test_new_layers_replace_the_old_items_and_clear_empties_them(panel, deep_sigmoid):
    fed(panel, deep_sigmoid)
    panel.set_layers(["tanh", "sigmoid"])
    item = panel.plot_items()["gradients"]
    assert len(panel.curves) == 2 and len(item.listDataItems()) == 2 and len(panel.legend.items) == 2
    assert panel.table.rowCount() == 2
    assert all(len(curve.getData()[0] if curve.getData()[0] is not None else []) == 0
               for curve in panel.curves)
    assert panel.diagnosis_kind == "none" and "No gradients yet" in panel.diagnosis_label.text()
    fed(panel, deep_sigmoid)
    panel.clear()
    assert panel.diagnosis_kind == "none" and panel.table.item(0, 2).text() == NONE
    assert len(panel.bars.heights) == 0
    assert set(panel.plot_items()) == {"gradients", "gradient bars"}


def test_the_preview_trains_live_and_shows_vanishing(qtbot):
    configure_pyqtgraph()
    widget = preview()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: len(widget.curves[0].getData()[0] if widget.curves[0].getData()[0]
                                is not None else []) >= 4)
    assert widget.diagnosis_kind == "vanishing"


def test_every_bar_is_painted_in_its_layers_colour(panel, deep_sigmoid):
    """Read off the screen: the middle of bar l has layer l's colour (the seventh, black,
    once came out as no bar at all)."""
    from collections import Counter

    from PySide6.QtCore import QPointF

    from backprop_gui.app.plots.gradients import layer_color

    fed(panel, deep_sigmoid)
    plot = panel.bar_plot
    image = plot.grab().toImage()
    view = plot.getPlotItem().getViewBox()
    ratio = image.devicePixelRatio()
    for l, height in enumerate(panel.bars.heights, start=1):
        middle = plot.mapFromScene(view.mapViewToScene(QPointF(l, panel.bars.y0 + height / 2)))
        x, y = round(middle.x() * ratio), round(middle.y() * ratio)
        # the most common colour around the middle (a faint grid line may cross it)
        around = Counter(QColor(image.pixel(x + i, y + j)).name() for i in range(-3, 4) for j in range(-3, 4))
        assert around.most_common(1)[0][0] == QColor(layer_color(l)).name(), (l, around)


def test_both_log_axes_read_as_powers_of_ten(panel, deep_sigmoid):
    """Not pyqtgraph's mix of 0.001 and 10⁻⁵, nor 5·10⁻⁵ labels crowding a short bar
    view: the panel's own PowerAxis survives the common plot styling."""
    from backprop_gui.app.style import PowerAxis

    fed(panel, deep_sigmoid)
    for plot in (panel.plot, panel.bar_plot):
        axis = plot.getPlotItem().getAxis("left")
        assert isinstance(axis, PowerAxis)
        assert axis.tickStrings([-5.0, -4.0, -3.0], 1.0, 1.0) == ["10⁻⁵", "10⁻⁴", "10⁻³"]
