"""The network drawing paints what the weights say: sign as colour, |w| as strength, and
survives the states a training run goes through (no network, NaN weights, a big net)."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from backprop_gui.app.network_view import NetworkView

XOR = ([2, 3, 1], ["sigmoid", "sigmoid"], ["x1", "x2"], ["y"])


@pytest.fixture
def view(qtbot) -> NetworkView:
    widget = NetworkView()
    qtbot.addWidget(widget)
    widget.resize(420, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def xor_weights() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weak links everywhere except hidden 1 → y (strongly positive) and hidden 3 → y
    (strongly negative)."""
    W1 = np.full((2, 3), 0.05)
    W2 = np.array([[4.0], [0.05], [-4.0]])
    return [W1, W2], [np.array([0.1, 0.25, -0.1]), np.array([0.3])]


def pixel(image: QImage, point: QPointF) -> QColor:
    """The image's pixel under a point in the widget's logical coordinates."""
    scale = image.devicePixelRatio()
    return image.pixelColor(round(point.x() * scale), round(point.y() * scale))


def midpoint(view: NetworkView, a: tuple[int, int], b: tuple[int, int]) -> QPointF:
    return (view.neuron_position(*a) + view.neuron_position(*b)) / 2


def distance(c: QColor, d: QColor) -> int:
    return abs(c.red() - d.red()) + abs(c.green() - d.green()) + abs(c.blue() - d.blue())


def test_links_are_blue_when_positive_orange_when_negative_and_faint_when_small(view):
    view.set_network(*XOR)
    view.set_weights(*xor_weights())
    image = view.grab().toImage()
    positive = pixel(image, midpoint(view, (1, 0), (2, 0)))
    negative = pixel(image, midpoint(view, (1, 2), (2, 0)))
    weak = pixel(image, midpoint(view, (0, 0), (1, 0)))
    assert positive.blue() > positive.red() + 80, positive.name()
    assert negative.red() > negative.blue() + 80, negative.name()
    background = view.palette().color(QPalette.ColorRole.Base)
    assert distance(weak, background) < distance(positive, background) / 3, weak.name()


def test_non_finite_weights_paint_and_the_finite_ones_keep_their_scale(view):
    view.set_network(*XOR)
    W, b = xor_weights()
    W[0][0, 0], W[0][1, 2], b[0][1] = np.nan, np.inf, np.nan
    view.set_weights(W, b)
    image = view.grab().toImage()
    # scaled by the finite maximum, 4.0, not by inf: the strong link is still drawn at full strength
    positive = pixel(image, midpoint(view, (1, 0), (2, 0)))
    assert positive.blue() > positive.red() + 80, positive.name()
    # the neuron with a NaN bias is grey: neither blue, orange nor the blank background
    centre = pixel(image, view.neuron_position(1, 1))
    background = view.palette().color(QPalette.ColorRole.Base)
    assert abs(centre.red() - centre.blue()) < 20 and distance(centre, background) > 60, centre.name()
    assert "bias: nan" in view.tooltip_at(view.neuron_position(1, 1))


def test_empty_view_says_no_network(view):
    image = view.grab().toImage()
    background = view.palette().color(QPalette.ColorRole.Base)
    centre = [image.pixelColor(x, y) for x in range(150, 270) for y in range(140, 160)]
    assert any(distance(c, background) > 200 for c in centre)  # the "no network" text
    assert view.tooltip_at(QPointF(210, 150)) is None


def test_tooltip_names_layer_unit_activation_and_bias(view):
    view.set_network(*XOR)
    view.set_weights(*xor_weights())
    text = view.tooltip_at(view.neuron_position(1, 1) + QPointF(2, 2))
    assert "hidden 1" in text and "unit 2 of 3" in text
    assert "activation: sigmoid" in text and "bias: 0.25" in text
    assert "x2" in view.tooltip_at(view.neuron_position(0, 1))
    assert "output (layer 2), unit 1 of 1: y" in view.tooltip_at(view.neuron_position(2, 0))
    assert view.tooltip_at(QPointF(2, 2)) is None
    # and hovering shows that text in a real tooltip
    where = view.neuron_position(1, 1).toPoint()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, where, view.mapToGlobal(where)))
    assert QToolTip.text() == text
    QToolTip.hideText()


def test_input_and_output_names_are_written_beside_their_neurons(view):
    view.set_network(*XOR)
    image = view.grab().toImage()
    background = view.palette().color(QPalette.ColorRole.Base)
    for point, side in ((view.neuron_position(0, 0), -1), (view.neuron_position(2, 0), 1)):
        beside = [pixel(image, point + QPointF(side * dx, dy))
                  for dx in range(15, 30) for dy in range(-5, 6)]
        assert any(distance(c, background) > 200 for c in beside)


def test_weights_of_another_architecture_paint_as_not_set(view):
    view.set_network(*XOR)
    view.set_weights(*xor_weights())
    view.set_network([2, 4, 1], ["tanh", "sigmoid"], ["x1", "x2"], ["y"])  # the old weights lag behind
    view.grab()
    assert "bias: not set yet" in view.tooltip_at(view.neuron_position(1, 3))


def test_big_net_draws_twenty_units_per_wide_layer_and_says_so(view):
    sizes = [2, 64, 64, 64, 1]
    view.resize(600, 400)
    view.set_network(sizes, ["relu"] * 3 + ["sigmoid"], ["x1", "x2"], ["y"])
    rng = np.random.default_rng(0)
    view.set_weights([rng.uniform(-1, 1, (i, o)) for i, o in zip(sizes[:-1], sizes[1:])],
                     [rng.uniform(-1, 1, o) for o in sizes[1:]])
    image = view.grab().toImage()
    colours = [image.pixelColor(x, y) for x in range(0, 600, 3) for y in range(0, 400, 3)]
    assert any(c.blue() > c.red() + 80 for c in colours)
    assert any(c.red() > c.blue() + 80 for c in colours)
    assert "first 20 of 64" in view.tooltip_at(view.neuron_position(2, 19))
    with pytest.raises(IndexError):
        view.neuron_position(2, 20)


@pytest.mark.parametrize("size", [(300, 200), (220, 160)])
def test_every_neuron_stays_inside_a_small_widget(view, size):
    view.resize(*size)
    view.set_network([2, 8, 8, 3], ["tanh", "tanh", "softmax"], ["x1", "x2"], ["a", "b", "c"])
    view.grab()
    for layer, n in enumerate([2, 8, 8, 3]):
        for unit in range(n):
            p = view.neuron_position(layer, unit)
            assert 0 < p.x() < size[0] and 30 < p.y() < size[1] - 20, (layer, unit, p)


def test_weights_that_look_the_same_are_not_repainted_and_changed_ones_are(view):
    """A trained net's weights drift by less than a width step or a tint step: the same
    picture (and the same pixels), so no repaint is scheduled; a visible change is."""
    view.set_network(*XOR)
    W, b = xor_weights()
    view.set_weights(W, b)
    before = view.grab().toImage()
    nudged = ([w * (1 + 1e-6) for w in W], [v * (1 + 1e-6) for v in b])
    view.set_weights(*nudged)
    assert view._make_picture() == view._painted
    assert view.grab().toImage() == before
    flipped = ([W[0], -W[1]], b)
    view.set_weights(*flipped)
    assert view._make_picture() != view._painted
    assert view.grab().toImage() != before
    assert view._make_picture() == view._painted  # a paint shows the current picture
