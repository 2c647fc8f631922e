"""The data panel: which built-in data set to train on (each with its picture), how many
points, how noisy, and for 2-D data which derived inputs (x1², sin x2, ...) the network
takes in. (Reading a CSV file has its own dialog; a project file can name one already.)"""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.config import Project
from ...core.data import Dataset
from ...core.datasets import KINDS
from ...core.features import INPUT_HINTS, INPUT_KEYS, RAW_INPUTS, input_names, is_raw
from .thumbnails import DatasetCombo

DESCRIPTIONS = {
    "xor": "XOR: the four corners of the unit square; no line separates the two classes.",
    "circles": "Circles: a ring of one class around a disc of the other. Tick x1² and x2²: "
               "then a line separates them.",
    "moons": "Moons: two interleaved half circles.",
    "blobs": "Blobs: two Gaussian clusters, separable by a line.",
    "spiral": "Spiral: two interleaved spiral arms, hard for a small network.",
    "spiral3": "Three spiral arms: three classes (softmax output).",
    "sine": "Sine: regression of y = sin(x) with noise, one input.",
    "plane": "Plane: regression of a linear function of two inputs.",
    "csv": "A CSV file named by the project.",
    "painted": "Painted by hand on the decision-boundary plot (its Paint button): click adds "
               "a point, dragging erases.",
}
#: data that is not drawn from the settings: sample count, noise and seed do not apply
FIXED_KINDS = ("xor", "csv", "painted")
#: the built-in sets with one feature: no derived inputs for them
ONE_FEATURE_KINDS = ("sine",)
#: the toggles' rows: the coordinates, their products, their sines
INPUT_ROWS = (("x1", "x2"), ("x1^2", "x2^2", "x1*x2"), ("sin(x1)", "sin(x2)"))


class InputToggles(QWidget):
    """One checkbox per derived input of 2-D data; at least one stays ticked (the last
    one cannot be unticked)."""

    sigToggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self._tips: dict[str, str] = {}
        boxes = {}
        for row, keys in enumerate(INPUT_ROWS):
            for column, (key, name) in enumerate(zip(keys, input_names(keys))):
                box = QCheckBox(name)
                box.setChecked(key in RAW_INPUTS)
                box.toggled.connect(self._toggled)
                grid.addWidget(box, row, column)
                boxes[key] = box
        grid.setColumnStretch(3, 1)
        #: in INPUT_KEYS order, which is the order of the network's input units
        self.boxes: dict[str, QCheckBox] = {key: boxes[key] for key in INPUT_KEYS}
        self.set_feature_names(["x1", "x2"])

    def ticked(self) -> list[str]:
        """The ticked inputs, in the panel's order."""
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def set_ticked(self, inputs: list[str] | None) -> None:
        """Tick exactly `inputs` (None: x1 and x2), without emitting sigToggled."""
        wanted = set(RAW_INPUTS if inputs is None else inputs) or set(RAW_INPUTS)
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(key in wanted)
            box.blockSignals(False)
        self._keep_one()

    def set_feature_names(self, names: list[str]) -> None:
        """Say in each tooltip what x1 and x2 are (a CSV file's columns)."""
        a, b = names
        own = "" if (a, b) == ("x1", "x2") else f" (x1 is {a}, x2 is {b})"
        self._tips = {key: f"Feed the network {INPUT_HINTS[key]}{own}. Each ticked input is "
                           "one unit of the input layer; changing them rebuilds the network."
                      for key in self.boxes}
        self._keep_one()

    def _toggled(self) -> None:
        self._keep_one()
        self.sigToggled.emit()

    def _keep_one(self) -> None:
        ticked = self.ticked()
        for key, box in self.boxes.items():
            last = ticked == [key]
            box.setEnabled(not last)
            box.setToolTip(self._tips[key] + (" At least one input must stay ticked." if last else ""))


class DatasetPanel(QWidget):
    sigChanged = Signal()  # the data changed: training must start again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = DatasetCombo()
        for kind in KINDS:
            self.kind.addItem(kind)
            self.kind.setItemData(self.kind.count() - 1, DESCRIPTIONS[kind],
                                  Qt.ItemDataRole.ToolTipRole)
        self.kind.setToolTip("The data the network learns from; each picture shows the set "
                             "as drawn with 200 points.")
        self.samples = QSpinBox()
        self.samples.setRange(4, 100_000)
        self.samples.setSingleStep(50)
        self.samples.setGroupSeparatorShown(True)
        self.samples.setToolTip("How many points to draw (XOR always has its four).")
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0.0, 2.0)
        self.noise.setSingleStep(0.05)
        self.noise.setToolTip("Standard deviation of the Gaussian noise added to the points, "
                              "in data units.")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("The seed the points are drawn with: the same seed, the same points.")
        self.inputs = InputToggles()
        self.inputs_label = QLabel("Inputs of the network")
        self.inputs_label.setToolTip("What the network takes in: the coordinates x1, x2 and "
                                     "values derived from them.")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("hint")
        box = QGroupBox("Data")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Data set", self.kind)
        form.addRow(self.description)
        form.addRow("Samples", self.samples)
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.seed)
        form.addRow(self.inputs_label)  # the toggles span the panel: they are wider than a field
        form.addRow(self.inputs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self._project: Project | None = None
        #: the loaded data's own features, when the window has told (a CSV file's width)
        self._features: list[str] | None = None
        self._filling = False
        self._locked = False  # a lab fixes the data
        self.kind.currentIndexChanged.connect(self._changed)
        self.samples.valueChanged.connect(self._changed)
        self.noise.valueChanged.connect(self._changed)
        self.seed.valueChanged.connect(self._changed)
        self.inputs.sigToggled.connect(self._changed)
        self._describe()

    def set_locked(self, locked: bool) -> None:
        """A lab fixes the data: no setting of it can change (else only those that apply
        to the chosen kind of data)."""
        self._locked = locked
        self.kind.setEnabled(not locked)
        self._describe()

    def set_project(self, project: Project, dataset: Dataset | None = None) -> None:
        """Show `project`'s data settings; `dataset` (its data as loaded) tells a CSV
        file's features, so its derived inputs can be offered when it has two."""
        self._project = copy.deepcopy(project)
        self._features = list(dataset.feature_names) if dataset is not None else None
        d = project.dataset
        self._filling = True
        try:
            if d.kind in ("csv", "painted") and self.kind.findText(d.kind) < 0:
                self.kind.addItem(d.kind)
            self.kind.setCurrentText(d.kind)
            self.samples.setValue(d.samples)
            self.noise.setValue(d.noise)
            self.seed.setValue(min(d.seed, self.seed.maximum()))
            self.inputs.set_ticked(d.inputs)
        finally:
            self._filling = False
        self._describe()

    def apply_to(self, project: Project) -> None:
        """Write the panel's data settings into `project`."""
        d = project.dataset
        kind = self.kind.currentText()
        if kind not in ("csv", "painted"):  # those keep the project's file or points
            d.kind = kind
        d.samples, d.noise, d.seed = self.samples.value(), round(self.noise.value(), 4), self.seed.value()
        if self.has_two_features():
            ticked = self.inputs.ticked()
            d.inputs = None if is_raw(ticked) else ticked
        elif kind != "csv" or self._features is not None:  # known not to be 2-D
            d.inputs = None
        # else: a CSV file of unknown width keeps what its project says

    def has_two_features(self) -> bool:
        """Whether the chosen data is 2-D (derived inputs apply), as far as is known."""
        kind = self.kind.currentText()
        if kind == "painted":
            return True
        if kind != "csv":
            return kind not in ONE_FEATURE_KINDS
        if self._features is not None:
            return len(self._features) == 2
        d = self._project.dataset if self._project is not None else None
        return d is not None and d.features is not None and len(d.features) == 2

    def _describe(self) -> None:
        kind = self.kind.currentText()
        self.description.setText(DESCRIPTIONS.get(kind, ""))
        fixed = kind in FIXED_KINDS  # XOR's four points, a file's rows, painted points
        for widget in (self.samples, self.noise, self.seed):
            widget.setEnabled(not fixed and not self._locked)
        two = self.has_two_features()
        self.inputs.setVisible(two)
        self.inputs_label.setVisible(two)
        if two:
            csv = kind == "csv" and self._features is not None
            self.inputs.set_feature_names(self._features if csv else ["x1", "x2"])

    def _changed(self) -> None:
        self._describe()
        if not self._filling:
            self.sigChanged.emit()

