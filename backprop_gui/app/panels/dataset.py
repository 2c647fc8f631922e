"""The data panel: which built-in data set to train on, how many points, how noisy.
(Reading a CSV file has its own dialog; a project file can name one already.)"""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.config import Project
from ...core.datasets import KINDS

DESCRIPTIONS = {
    "xor": "XOR: the four corners of the unit square; no line separates the two classes.",
    "circles": "Circles: a ring of one class around a disc of the other.",
    "moons": "Moons: two interleaved half circles.",
    "blobs": "Blobs: two Gaussian clusters, separable by a line.",
    "spiral": "Spiral: two interleaved spiral arms, hard for a small network.",
    "spiral3": "Three spiral arms: three classes (softmax output).",
    "sine": "Sine: regression of y = sin(x) with noise, one input.",
    "plane": "Plane: regression of a linear function of two inputs.",
    "csv": "A CSV file named by the project.",
}


class DatasetPanel(QWidget):
    sigChanged = Signal()  # the data changed: training must start again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setToolTip("The data the network learns from.")
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
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("hint")
        box = QGroupBox("Data")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Data set", self.kind)
        form.addRow("Samples", self.samples)
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.seed)
        form.addRow(self.description)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self._project: Project | None = None
        self._filling = False
        self.kind.currentIndexChanged.connect(self._changed)
        self.samples.valueChanged.connect(self._changed)
        self.noise.valueChanged.connect(self._changed)
        self.seed.valueChanged.connect(self._changed)

    def set_project(self, project: Project) -> None:
        self._project = copy.deepcopy(project)
        d = project.dataset
        self._filling = True
        try:
            if d.kind == "csv" and self.kind.findText("csv") < 0:
                self.kind.addItem("csv")
            self.kind.setCurrentText(d.kind)
            self.samples.setValue(d.samples)
            self.noise.setValue(d.noise)
            self.seed.setValue(min(d.seed, self.seed.maximum()))
        finally:
            self._filling = False
        self._describe()

    def apply_to(self, project: Project) -> None:
        """Write the panel's data settings into `project`."""
        d = project.dataset
        kind = self.kind.currentText()
        if kind != "csv":
            d.kind = kind
        d.samples, d.noise, d.seed = self.samples.value(), round(self.noise.value(), 4), self.seed.value()

    def _describe(self) -> None:
        kind = self.kind.currentText()
        self.description.setText(DESCRIPTIONS.get(kind, ""))
        fixed = kind in ("xor", "csv")
        for widget in (self.samples, self.noise, self.seed):
            widget.setEnabled(not fixed)

    def _changed(self) -> None:
        self._describe()
        if not self._filling:
            self.sigChanged.emit()
