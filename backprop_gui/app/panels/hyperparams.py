"""The hyper-parameter panel: every setting of the network and of training, each with a
one-sentence tooltip.

Some settings apply to the running training at its next step (learning rate, epoch
limit, patience, L1/L2: `sigLive`); the others need new weights (`sigNeedsReset`): the
window then resets at once, or asks first when the network has trained already."""

from __future__ import annotations

import copy
import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.activations import HIDDEN_ACTIVATIONS
from ...core.config import OUTPUT_ACTIVATIONS, LayerConfig, Project
from ...core.init import INITS
from ...core.losses import LOSSES
from ...core.optim import OPTIMIZERS

LEARNING_RATES = ["0.00001", "0.00003", "0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03",
                  "0.1", "0.3", "1", "2", "3", "10"]
MAX_LEARNING_RATE = 1e6
AUTO = "automatic"
TIPS = {
    "hidden": "Units per hidden layer, left to right, separated by commas (e.g. 8, 8); empty for "
              "no hidden layer.",
    "activation": "The function f every hidden unit applies to z; its derivative f' multiplies "
                  "every gradient that flows back through the layer.",
    "output": "The output layer's function: sigmoid for two classes, softmax for more, linear "
              "for regression (automatic picks by the data).",
    "init": "How the first weights are drawn: uniform in [-1, 1], Xavier (scaled for "
            "sigmoid/tanh) or He (scaled for ReLU).",
    "lr": "The step size η in W ← W − η·dW: too small crawls, too large diverges; applies at "
          "the next step.",
    "optimizer": "How gradients become steps: plain gradient descent, with momentum (0.9), or "
                 "Adam (per-weight adaptive steps).",
    "loss": "What training minimises: ½-MSE, binary cross-entropy (sigmoid output) or "
            "cross-entropy (softmax output); automatic picks by the data.",
    "batch": "Samples per gradient step: 0 uses the whole training set (full batch), 1 is "
             "one sample at a time.",
    "epochs": "Training stops after this many passes over the training set; raising it lets a "
              "finished run go on.",
    "seed": "The random seed of the initial weights, the split and the shuffling: the same seed "
            "gives the same run.",
    "l1": "L1 rate λ₁: adds λ₁·sign(W) to dW, pushing small weights to exactly zero; applies "
          "at the next step.",
    "l2": "L2 rate λ₂ (weight decay): adds λ₂·W to dW, keeping weights small; applies at the "
          "next step.",
    "validation": "The share of samples held out to measure how well the network generalises "
                  "(never trained on).",
    "patience": "Early stopping: stop when the validation loss has not improved for this many "
                "epochs (0: never); needs a validation share.",
}


class LearningRateValidator(QValidator):
    """Accepts a number > 0 (while typing, anything that may become one)."""

    def validate(self, text: str, pos: int):
        value = parse_learning_rate(text)
        if value is not None:
            return QValidator.State.Acceptable, text, pos
        if all(c in "0123456789.eE-+" for c in text.strip()):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos


def parse_learning_rate(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 < value <= MAX_LEARNING_RATE else None


def parse_hidden(text: str) -> list[int] | None:
    """'8, 8' → [8, 8]; None when it is not a list of whole numbers 1..1024."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not all(p.isdigit() and 1 <= int(p) <= 1024 for p in parts) or len(parts) > 32:
        return None
    return [int(p) for p in parts]


def _combo(items: list[str], tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems(items)
    combo.setToolTip(tip)
    return combo


def _spin(low: int, high: int, tip: str, special: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setToolTip(tip)
    spin.setGroupSeparatorShown(True)
    if special:
        spin.setSpecialValueText(special)
    return spin


def _rate(high: float, tip: str, decimals: int = 5, step: float = 0.001) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0.0, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setToolTip(tip)
    return spin


class HyperParameterPanel(QWidget):
    sigLive = Signal()  # learning rate, epoch limit, patience or L1/L2 changed
    sigNeedsReset = Signal()  # a setting that needs new weights changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hidden = QLineEdit()
        self.hidden.setToolTip(TIPS["hidden"])
        self.hidden.setPlaceholderText("e.g. 8, 8")
        self.activation = _combo(list(HIDDEN_ACTIVATIONS), TIPS["activation"])
        self.output = _combo([AUTO, *OUTPUT_ACTIVATIONS], TIPS["output"])
        self.init = _combo(list(INITS), TIPS["init"])
        self.learning_rate = QComboBox()
        self.learning_rate.setEditable(True)
        self.learning_rate.addItems(LEARNING_RATES)
        self.learning_rate.setValidator(LearningRateValidator(self))
        self.learning_rate.setToolTip(TIPS["lr"])
        self.learning_rate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.optimizer = _combo(list(OPTIMIZERS), TIPS["optimizer"])
        self.loss = _combo([AUTO, *LOSSES], TIPS["loss"])
        self.batch_size = _spin(0, 10_000_000, TIPS["batch"], "full batch")
        self.epochs = _spin(1, 10**9, TIPS["epochs"])
        self.seed = _spin(0, 2**31 - 1, TIPS["seed"])
        self.l1 = _rate(1000.0, TIPS["l1"])
        self.l2 = _rate(1000.0, TIPS["l2"])
        self.validation = _rate(0.9, TIPS["validation"], decimals=2, step=0.05)
        self.patience = _spin(0, 10**9, TIPS["patience"], "off")

        network = QGroupBox("Network")
        form = QFormLayout(network)
        form.addRow("Hidden units", self.hidden)  # per layer: "3" is one layer of 3, not 3 layers
        form.addRow("Hidden activation", self.activation)
        form.addRow("Output activation", self.output)
        form.addRow("Initialisation", self.init)
        training = QGroupBox("Training")
        form = QFormLayout(training)
        form.addRow("Learning rate η", self.learning_rate)
        form.addRow("Optimiser", self.optimizer)
        form.addRow("Loss", self.loss)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Epoch limit", self.epochs)
        form.addRow("Random seed", self.seed)
        regular = QGroupBox("Regularisation and stopping")
        form = QFormLayout(regular)
        form.addRow("L1 rate λ₁", self.l1)
        form.addRow("L2 rate λ₂", self.l2)
        form.addRow("Validation share", self.validation)
        form.addRow("Patience (epochs)", self.patience)
        for box in (network, training, regular):
            box.layout().setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in (network, training, regular):
            layout.addWidget(box)
        layout.addStretch(1)

        self._project: Project | None = None
        self._filling = False
        for widget in (self.activation, self.output, self.init, self.optimizer, self.loss):
            widget.currentIndexChanged.connect(self._reset_change)
        for widget in (self.batch_size, self.seed):
            widget.valueChanged.connect(self._reset_change)
        self.validation.valueChanged.connect(self._reset_change)
        self.hidden.editingFinished.connect(self._hidden_edited)
        self.learning_rate.currentTextChanged.connect(self._live_change)
        for widget in (self.epochs, self.patience):
            widget.valueChanged.connect(self._live_change)
        for widget in (self.l1, self.l2):
            widget.valueChanged.connect(self._live_change)

    # -- project in, project out -----------------------------------------------------------

    def set_project(self, project: Project) -> None:
        """Show a project's settings (no signals are sent)."""
        self._project = copy.deepcopy(project)
        self._filling = True
        try:
            n, t = project.network, project.training
            self.hidden.setText(", ".join(str(layer.units) for layer in n.hidden))
            acts = {layer.activation for layer in n.hidden}
            self.activation.setCurrentText(n.hidden[0].activation if n.hidden else "sigmoid")
            self.activation.setToolTip(TIPS["activation"] + (
                " (the layers now mix several)" if len(acts) > 1 else ""))
            self.output.setCurrentText(n.output_activation or AUTO)
            self.init.setCurrentText(n.init)
            self.learning_rate.setCurrentText(f"{t.learning_rate:g}")
            self.optimizer.setCurrentText(t.optimizer)
            self.loss.setCurrentText(t.loss or AUTO)
            self.batch_size.setValue(t.batch_size)
            self.epochs.setValue(t.epochs)
            self.seed.setValue(min(t.seed, self.seed.maximum()))
            self.l1.setValue(t.l1)
            self.l2.setValue(t.l2)
            self.validation.setValue(t.validation_fraction)
            self.patience.setValue(t.patience)
        finally:
            self._filling = False

    def edited_project(self) -> Project:
        """The shown project with the panel's settings (a new object)."""
        p = copy.deepcopy(self._project) if self._project is not None else Project()
        units = parse_hidden(self.hidden.text())
        if units is not None:
            p.network.hidden = self._hidden_layers(p.network.hidden, units)
        output = self.output.currentText()
        p.network.output_activation = None if output == AUTO else output
        p.network.init = self.init.currentText()
        t = p.training
        t.learning_rate = self.current_learning_rate()
        t.optimizer = self.optimizer.currentText()
        t.loss = None if self.loss.currentText() == AUTO else self.loss.currentText()
        t.batch_size = self.batch_size.value()
        t.epochs = self.epochs.value()
        t.seed = self.seed.value()
        t.l1, t.l2 = self.l1.value(), self.l2.value()
        t.validation_fraction = round(self.validation.value(), 4)
        t.patience = self.patience.value()
        return p

    def _hidden_layers(self, shown: list[LayerConfig], units: list[int]) -> list[LayerConfig]:
        """The typed units with their activations: the chosen one for every layer if the
        user changed it here, else each layer's own (a layer added here takes the last one's),
        so that activations set per layer in the network editor survive other edits."""
        chosen = self.activation.currentText()
        if chosen != (shown[0].activation if shown else "sigmoid"):
            return [LayerConfig(u, chosen) for u in units]
        own = [layer.activation for layer in shown] or [chosen]
        return [LayerConfig(u, own[min(i, len(own) - 1)]) for i, u in enumerate(units)]

    def current_learning_rate(self) -> float:
        value = parse_learning_rate(self.learning_rate.currentText())
        if value is None:
            return self._project.training.learning_rate if self._project else 0.1
        return value

    # -- edits ------------------------------------------------------------------------------

    def _hidden_edited(self) -> None:
        if parse_hidden(self.hidden.text()) is None:
            self.hidden.setStyleSheet("QLineEdit { border: 1px solid #c53030; }")
            self.hidden.setToolTip("Not understood: write whole numbers 1..1024 separated by "
                                   "commas, e.g. 8, 8. " + TIPS["hidden"])
            return
        self.hidden.setStyleSheet("")
        self.hidden.setToolTip(TIPS["hidden"])
        if self._project is not None and self.edited_project().network.hidden != self._project.network.hidden:
            self._reset_change()

    def _reset_change(self) -> None:
        if not self._filling:
            self.sigNeedsReset.emit()

    def _live_change(self) -> None:
        if self._filling or parse_learning_rate(self.learning_rate.currentText()) is None:
            return
        self.sigLive.emit()
