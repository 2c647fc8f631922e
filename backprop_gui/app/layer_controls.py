"""The network editor's buttons and menus: − / + and the activation on each hidden layer,
+ layer between columns, × under a hidden layer, and the right-click menu. They call the
editor's edits (add_unit, insert_layer, ...), which say what the user asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QActionGroup, QFontMetricsF
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ..core.activations import HIDDEN_ACTIVATIONS

if TYPE_CHECKING:
    from .network_editor import NetworkEditor

MAX_HIDDEN_LAYERS = 10
MAX_UNITS_PER_LAYER = 64

ACTIVATION_TIPS = {
    "sigmoid": "σ(z) = 1 / (1 + e^−z): outputs in 0..1; saturates (f' ≈ 0) for large |z|",
    "tanh": "tanh z: outputs in −1..1, zero-centred; saturates for large |z|",
    "relu": "max(0, z): no saturation for z > 0, but a unit with z < 0 for every sample is dead",
    "leaky_relu": "z for z > 0, 0.01·z otherwise: like ReLU, but never quite dead",
    "linear": "z itself: a stack of linear layers is still one linear map",
}


#: what an activation's button says when its full name does not fit
SHORT_NAMES = {"sigmoid": "sigm", "leaky_relu": "leaky", "linear": "lin"}
#: the layer controls read as buttons, quietly: they sit on the drawing
CONTROL_STYLE = """
QToolButton { border: 1px solid palette(mid); border-radius: 3px; background: palette(button);
              padding: 0px 3px; }
QToolButton:hover { border-color: palette(highlight); background: palette(light); }
QToolButton:disabled { color: palette(mid); border-color: palette(midlight); }
QToolButton::menu-indicator { image: none; width: 0px; }
"""


def place_controls(editor: NetworkEditor, old: list[QToolButton]) -> list[QToolButton]:
    """The buttons on each layer and between layers, for the editor's current layout (the
    old ones go)."""
    for button in old:
        button.deleteLater()
    if len(editor.sizes) < 2:
        return []
    buttons: list[QToolButton] = []
    side = editor.control_side

    def tool(text: str, name: str, tip: str, slot, enabled: bool) -> QToolButton:
        button = QToolButton(editor)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setEnabled(enabled)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the window's Train key
        button.setFixedHeight(side)
        if len(text) == 1:
            button.setFixedWidth(side)
        if slot is not None:
            button.clicked.connect(slot)
        lock = "activation" if name.startswith("activation") else "network"
        if lock in editor.locked:
            button.setEnabled(False)
            button.setToolTip(f"Locked by the lab. ({tip})")
        buttons.append(button)
        return button

    def place(button: QToolButton, x: float, y: float) -> None:
        button.move(round(x), round(y))
        button.show()

    hidden = editor.hidden_layers()
    gap = editor.layer_gap
    fm = QFontMetricsF(editor.font())
    row1 = fm.height() * 2 + 8  # under the two header lines
    for k, layer in enumerate(hidden):
        x, name = editor.layer_x(k + 1), f"hidden layer {k + 1}"
        fewer = tool("−", f"remove unit {k}", f"Remove a neuron from {name} (it has {layer.units})",
                     lambda checked=False, k=k: editor.remove_unit(k), layer.units > 1)
        place(fewer, x - side - 1, row1)
        more = tool("+", f"add unit {k}", f"Add a neuron to {name} (at most {MAX_UNITS_PER_LAYER})",
                    lambda checked=False, k=k: editor.add_unit(k), layer.units < MAX_UNITS_PER_LAYER)
        place(more, x + 1, row1)
        room = max(gap - 6, 2 * side)
        text = layer.activation
        if fm.horizontalAdvance(f"{text} ▾") + 10 > room:
            text = SHORT_NAMES.get(text, text)
        tip = ACTIVATION_TIPS.get(layer.activation, layer.activation)
        menu_button = tool(f"{text} ▾", f"activation {k}",
                           f"The activation of {name}: {tip}. Click to choose another.", None, True)
        menu_button.setMenu(activation_menu(editor, k, layer.activation, menu_button))
        menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        width = min(max(fm.horizontalAdvance(menu_button.text()) + 10, 2 * side), room)
        menu_button.setFixedWidth(round(width))
        place(menu_button, x - width / 2, row1 + side + 2)
    bottom = editor.height() - fm.height() - 12 - side
    can_insert = len(hidden) < MAX_HIDDEN_LAYERS
    wide = fm.horizontalAdvance("+ layer") + 10
    label = "+ layer" if gap / 2 - side / 2 > wide + 4 else "+"
    for boundary in range(len(editor.sizes) - 1):
        x = (editor.layer_x(boundary) + editor.layer_x(boundary + 1)) / 2
        tip = "Insert a hidden layer here" if can_insert else f"At most {MAX_HIDDEN_LAYERS} hidden layers"
        button = tool(label, f"insert layer {boundary}", tip,
                      lambda checked=False, b=boundary: editor.insert_layer(b), can_insert)
        width = side if label == "+" else wide
        button.setFixedWidth(round(width))
        place(button, x - width / 2, bottom)
    for k in range(len(hidden)):
        tip = f"Remove hidden layer {k + 1}" if len(hidden) > 1 else \
            "The network keeps at least one hidden layer"
        button = tool("×", f"remove layer {k}", tip,
                      lambda checked=False, k=k: editor.remove_layer(k), len(hidden) > 1)
        place(button, editor.layer_x(k + 1) - side / 2, bottom)
    return buttons


def activation_menu(editor: NetworkEditor, hidden: int, current: str, parent: QWidget) -> QMenu:
    """The activations a hidden layer can have, the current one ticked."""
    menu = QMenu(parent)
    group = QActionGroup(menu)
    for name in HIDDEN_ACTIVATIONS:
        action = QAction(name, menu)
        action.setCheckable(True)
        action.setChecked(name == current)
        action.setToolTip(ACTIVATION_TIPS.get(name, name))
        action.triggered.connect(lambda checked=False, n=name: editor.set_activation(hidden, n))
        group.addAction(action)
        menu.addAction(action)
    menu.setToolTipsVisible(True)
    return menu


def context_menu(editor: NetworkEditor, pos: QPointF) -> QMenu | None:
    """What can be done at `pos`: on a hidden layer, its neurons, activation and removal;
    anywhere, inserting a layer beside the nearest column."""
    if len(editor.sizes) < 2:
        return None
    layer = min(range(len(editor.sizes)), key=lambda i: abs(editor.layer_x(i) - pos.x()))
    hidden = editor.hidden_layers()
    menu = QMenu(editor)
    last = len(editor.sizes) - 1
    if 0 < layer < last:
        k = layer - 1
        menu.addAction("Add a neuron", lambda: editor.add_unit(k)).setEnabled(
            hidden[k].units < MAX_UNITS_PER_LAYER)
        menu.addAction("Remove a neuron", lambda: editor.remove_unit(k)).setEnabled(hidden[k].units > 1)
        activation = menu.addMenu("Activation")
        for action in activation_menu(editor, k, hidden[k].activation, menu).actions():
            action.setParent(activation)
            activation.addAction(action)
        menu.addSeparator()
    can_insert = len(hidden) < MAX_HIDDEN_LAYERS
    if layer > 0:
        menu.addAction("Insert a hidden layer before this one" if layer < last else
                       "Insert a hidden layer before the output",
                       lambda: editor.insert_layer(layer - 1)).setEnabled(can_insert)
    if layer < last:
        menu.addAction("Insert a hidden layer after this one" if layer > 0 else
                       "Insert a hidden layer after the inputs",
                       lambda: editor.insert_layer(layer)).setEnabled(can_insert)
    if 0 < layer < last:
        menu.addAction(f"Remove hidden layer {layer}",
                       lambda: editor.remove_layer(layer - 1)).setEnabled(len(hidden) > 1)
    return menu
