"""The network view made editable with the mouse: hidden layers and their neurons are
added and removed with small buttons on the layers (and a context menu), each hidden
layer's activation is chosen on it, and a double-click on a link or a neuron types a new
weight or bias.

The editor changes nothing itself: it says what the user asked for (`sigArchitecture`
with the new hidden layers, `sigParameter` with a new weight), and the window turns each
into an undoable command that rebuilds or edits the network."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ..core.boundary import BoundaryGrid
from ..core.config import LayerConfig
from .layer_controls import (
    CONTROL_STYLE,
    MAX_HIDDEN_LAYERS,
    MAX_UNITS_PER_LAYER,
    context_menu,
    place_controls,
)
from .network_view import NetworkView
from .throttle import Throttle
from .unit_card import UnitCard
from .value_editor import ValueEditor

#: a neuron's picture is remade at most this often while it trains (ms)
CARD_REFRESH_MS = 200
#: a new hidden layer's units when it has no neighbour to copy
NEW_LAYER_UNITS = 4

@dataclass(frozen=True)
class Parameter:
    """One weight W_layer[source, unit], or the bias b_layer[unit] when source is None."""

    layer: int
    source: int | None
    unit: int


class NetworkEditor(NetworkView):
    #: the hidden layers the user asked for, and what the edit was (for Undo's menu text)
    sigArchitecture = Signal(object, str)  # list[LayerConfig], description
    #: a weight or bias the user typed: Parameter, old value, new value
    sigParameter = Signal(object, float, float)
    #: the neuron (layer, unit) whose activation the boundary plot is to show; None: the output
    sigShowUnit = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fm = QFontMetricsF(self.font())
        self.control_side = math.ceil(fm.height() + 4)  # a control's side, in pixels
        self.top_room = 2 * self.control_side + 6
        self.bottom_room = self.control_side + 4
        self._controls: list[QToolButton] = []
        self._editing: Parameter | None = None
        self._value_editor = ValueEditor(self)
        self._value_editor.sigDone.connect(self._value_typed)
        self.setStyleSheet(CONTROL_STYLE)
        self._plane: BoundaryGrid | None = None
        self._card = UnitCard(self)
        self._card_refresh = Throttle(CARD_REFRESH_MS, self._refresh_card, self)
        self.setMouseTracking(True)  # to take the card away when the mouse leaves its neuron
        self.shown_unit: tuple[int, int] | None = None  # clicked: on the boundary plot
        self.locked: set[str] = set()  # what a lab locks (set_locked)

    # -- what the editor shows ------------------------------------------------------------

    def set_network(self, sizes: list[int], activations: list[str],
                    input_names: list[str], output_names: list[str]) -> None:
        self._value_editor.cancel()
        self._card.dismiss()
        self.shown_unit = None  # a new network's plot shows its output
        super().set_network(sizes, activations, input_names, output_names)

    def set_input_plane(self, grid: BoundaryGrid | None) -> None:
        """The grid over the input plane that a neuron's picture is drawn on (None: no
        picture, e.g. for one input feature)."""
        self._plane = grid
        self._card.dismiss()

    def set_weights(self, W: list[np.ndarray], b: list[np.ndarray],
                    dW: list[np.ndarray] | None = None) -> None:
        super().set_weights(W, b, dW)
        if self._card.isVisible():
            self._card_refresh()

    def hidden_layers(self) -> list[LayerConfig]:
        """The drawn network's hidden layers, as a project describes them."""
        return [LayerConfig(units, activation)
                for units, activation in zip(self.sizes[1:-1], self.activations[:-1])]

    # -- edits: each makes the new hidden layers and says so --------------------------------

    def add_unit(self, hidden: int) -> None:
        layers = self.hidden_layers()
        if layers[hidden].units < MAX_UNITS_PER_LAYER:
            layers[hidden].units += 1
            self._propose(layers, f"add a neuron to hidden layer {hidden + 1}")

    def remove_unit(self, hidden: int) -> None:
        layers = self.hidden_layers()
        if layers[hidden].units > 1:
            layers[hidden].units -= 1
            self._propose(layers, f"remove a neuron from hidden layer {hidden + 1}")

    def set_activation(self, hidden: int, activation: str) -> None:
        layers = self.hidden_layers()
        if layers[hidden].activation != activation:
            layers[hidden].activation = activation
            self._propose(layers, f"make hidden layer {hidden + 1} {activation}")

    def insert_layer(self, at: int) -> None:
        """A new hidden layer at position `at` (0: right after the inputs), like its neighbour."""
        layers = self.hidden_layers()
        if len(layers) >= MAX_HIDDEN_LAYERS:
            return
        neighbour = layers[at - 1] if at > 0 else layers[0] if layers else None
        units = neighbour.units if neighbour else NEW_LAYER_UNITS
        activation = neighbour.activation if neighbour else "tanh"
        layers.insert(at, LayerConfig(units, activation))
        self._propose(layers, f"insert hidden layer {at + 1}")

    def remove_layer(self, hidden: int) -> None:
        layers = self.hidden_layers()
        if len(layers) > 1:
            del layers[hidden]
            self._propose(layers, f"remove hidden layer {hidden + 1}")

    def _propose(self, layers: list[LayerConfig], description: str) -> None:
        now = self.hidden_layers()
        units_changed = [a.units for a in layers] != [a.units for a in now]
        activation_changed = [a.activation for a in layers] != [a.activation for a in now]
        if units_changed and "network" in self.locked or activation_changed and "activation" in self.locked:
            return  # the lab keeps it as it is (its buttons say so)
        self.sigArchitecture.emit(layers, description)

    def set_locked(self, locked: set[str]) -> None:
        """What a lab locks: "network" (neurons and layers), "activation", "weights"."""
        self.locked = set(locked)
        self._layout()

    # -- controls on the layers --------------------------------------------------------------

    def controls(self) -> dict[str, QToolButton]:
        """The buttons now shown, by name ("add unit 1", "insert layer 0", ...): for tests."""
        return {button.objectName(): button for button in self._controls}

    def _layout(self) -> None:
        super()._layout()
        self._controls = place_controls(self, self._controls)

    # -- a neuron's card ---------------------------------------------------------------------

    def unit_card(self) -> UnitCard:
        return self._card

    def show_unit_card(self, layer: int, unit: int, at: QPoint) -> bool:
        """The card of a hidden or output neuron, with its picture over the input plane;
        False (and no card) for an input, or while there is no plane or no weights."""
        if layer == 0 or self._plane is None or self.weight(layer, None, unit) is None:
            return False
        self._card.show_unit(self._describe(layer, unit), layer, unit, at, self._plane,
                             self._W, self._b, self.activations)
        return True

    def _refresh_card(self) -> None:
        if self._card.isVisible() and self._weights_fit():
            self._card.refresh(self._plane, self._W, self._b, self.activations)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            neuron = self.neuron_at(QPointF(event.pos()))
            if neuron is not None and self.show_unit_card(*neuron, event.pos()):
                return True
        return super().event(event)

    # -- a neuron on the boundary plot -------------------------------------------------------

    def show_unit(self, unit: tuple[int, int] | None) -> None:
        """Show (layer, unit)'s activation on the boundary plot (None: the output again)."""
        if unit != self.shown_unit:
            self.shown_unit = unit
            self.update()
            self.sigShowUnit.emit(unit)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        neuron = self.neuron_at(QPointF(event.position()))
        if event.button() == Qt.MouseButton.LeftButton and neuron is not None and neuron[0] > 0:
            self.show_unit(None if neuron == self.shown_unit else neuron)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.shown_unit is not None:
            self.show_unit(None)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.shown_unit is None:
            return
        layer, unit = self.shown_unit
        try:
            centre = self.neuron_position(layer, unit)
        except IndexError:  # not drawn (beyond what fits)
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = self._radius + 4
        for color, width in ((self.palette().color(QPalette.ColorRole.Base), 5.0),  # a halo over the links
                             (self.palette().color(QPalette.ColorRole.Text), 2.0)):
            painter.setPen(QPen(color, width))
            painter.drawEllipse(centre, r, r)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._card.isVisible() and self.neuron_at(QPointF(event.position())) != self._card.unit:
            self._card.dismiss()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._card.dismiss()
        super().leaveEvent(event)

    # -- context menu ---------------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(QPointF(event.pos()))
        if menu is not None:
            menu.exec(event.globalPos())

    def context_menu(self, pos: QPointF) -> QMenu | None:
        """What can be done at `pos` (layer_controls.context_menu)."""
        return context_menu(self, pos)

    # -- typing a weight or a bias ----------------------------------------------------------

    def parameter_at(self, pos: QPointF) -> Parameter | None:
        """The bias of the neuron under `pos` (not an input's: they have none), else the
        weight of the link under it."""
        neuron = self.neuron_at(pos)
        if neuron is not None:
            return Parameter(neuron[0], None, neuron[1]) if neuron[0] > 0 else None
        link = self.link_at(pos)
        return None if link is None else Parameter(*link)

    def edit_parameter(self, parameter: Parameter, at: QPoint) -> bool:
        """Open the value editor on a weight or bias (False if the weights are not shown yet)."""
        value = self.weight(parameter.layer, parameter.source, parameter.unit)
        if value is None or "weights" in self.locked:
            return False
        self._editing = parameter
        self._value_editor.open(value, self.parameter_name(parameter), at)
        return True

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        parameter = self.parameter_at(QPointF(event.position()))
        if parameter is None or not self.edit_parameter(parameter, event.position().toPoint()):
            super().mouseDoubleClickEvent(event)

    def parameter_name(self, p: Parameter) -> str:
        """'bias of hidden 1 unit 2', 'weight x1 → hidden 1 unit 2': for messages."""
        if p.source is None:
            return f"bias of {self.unit_name(p.layer, p.unit)}"
        return f"weight {self.unit_name(p.layer - 1, p.source)} → {self.unit_name(p.layer, p.unit)}"

    def _value_typed(self, old: float, new: float) -> None:
        parameter, self._editing = self._editing, None
        if parameter is not None and new != old:
            self.sigParameter.emit(parameter, old, new)

    def _header(self, layer: int) -> str:
        """Units only: the activation is on the layer's own button."""
        n = self.sizes[layer]
        return super()._header(layer) if layer == len(self.sizes) - 1 or layer == 0 else \
            f"{n} unit{'s' if n != 1 else ''}"

    def _describe(self, layer: int, unit: int) -> str:
        text = super()._describe(layer, unit)
        return text if layer == 0 else text + ("\n(click to see it on the boundary plot; "
                                               "double-click to type a new bias)")

    def _describe_link(self, layer: int, source: int, unit: int) -> str:
        return super()._describe_link(layer, source, unit) + "\n(double-click to type a new weight)"
