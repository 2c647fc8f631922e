"""File > Save as Lab…: a teacher makes a lab from the project in the window without
writing JSON: a title, instructions (Markdown), tasks (one a line), goals picked from the
list of goal kinds (each with its value and, where it applies, training or validation),
the controls to lock, and whether runs are kept to compare. The lab is checked by the same
parser that reads labs (core/lab.py) before anything is written."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.config import Project, save_project
from ..core.errors import ProjectError
from ..core.goals import GOAL_KINDS
from ..core.lab import LOCKABLE, parse_lab


class GoalRow:
    """One goal kind: ticked to use it, with its value and split where it has them."""

    def __init__(self, name: str) -> None:
        kind = GOAL_KINDS[name]
        self.name = name
        self.use = QCheckBox(kind.title)
        self.use.setToolTip(f"{kind.description} Why: {kind.why}")
        self.value = QDoubleSpinBox()
        self.on = QComboBox()
        self.on.addItems(["train", "validation"])
        self.on.setToolTip("Judge it on the training data or on the validation data.")
        spec = kind.value
        self.value.setVisible(spec is not None)
        if spec is not None:
            self.value.setDecimals(0 if spec.integer else 4)
            self.value.setRange(spec.low, spec.high)
            self.value.setValue(spec.default)
            self.value.setToolTip(spec.meaning)
        self.on.setVisible(kind.has_split)

    def goal(self) -> dict | None:
        if not self.use.isChecked():
            return None
        kind = GOAL_KINDS[self.name]
        goal: dict = {"kind": self.name}
        if kind.value is not None:
            v = self.value.value()
            goal["value"] = int(v) if kind.value.integer else v
        if kind.has_split:
            goal["on"] = self.on.currentText()
        return goal


class LabWriter(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save as Lab")
        self.project = project
        self.saved_to: Path | None = None
        self.title = QLineEdit(project.name)
        self.title.setToolTip("The lab's title, shown in the Labs menu and on its panel.")
        self.instructions = QPlainTextEdit()
        self.instructions.setPlaceholderText("What the student does and why, in Markdown: **bold**, "
                                             "lists with -, headings with #.")
        self.instructions.setToolTip("Shown in the lab panel (Markdown; images and HTML are not shown).")
        self.tasks = QPlainTextEdit()
        self.tasks.setPlaceholderText("One task a line, e.g. Press Train and watch the cost fall.")
        self.tasks.setToolTip("Numbered under the instructions.")
        self.tasks.setMaximumHeight(90)
        self.goals = [GoalRow(name) for name in GOAL_KINDS]
        goal_box = QGroupBox("Goals (ticked live in the student's window)")
        grid = QGridLayout(goal_box)
        for row, goal in enumerate(self.goals):
            grid.addWidget(goal.use, row, 0)
            grid.addWidget(goal.value, row, 1)
            grid.addWidget(goal.on, row, 2)
        self.locks = {key: QCheckBox(key.replace("_", " ")) for key in LOCKABLE}
        lock_box = QGroupBox("Lock (the student cannot change)")
        locks = QGridLayout(lock_box)
        for i, (key, box) in enumerate(self.locks.items()):
            box.setToolTip(LOCKABLE[key][0])
            locks.addWidget(box, i // 3, i % 3)
        self.keep_runs = QCheckBox("Keep every run to compare")
        self.keep_runs.setToolTip("Each run stays in the plots, labelled, beside the next.")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c53030;")
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Instructions", self.instructions)
        form.addRow("Tasks", self.tasks)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addLayout(form)
        column.addWidget(goal_box)
        column.addWidget(lock_box)
        column.addWidget(self.keep_runs)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(620, 720)

    def lab_project(self) -> Project:
        """The project with this lab section, checked: ProjectError (with the key) if not."""
        section = {"title": self.title.text().strip(), "instructions": self.instructions.toPlainText()}
        tasks = [line.strip() for line in self.tasks.toPlainText().splitlines() if line.strip()]
        if tasks:
            section["tasks"] = tasks
        section["goals"] = [g for g in (row.goal() for row in self.goals) if g is not None]
        locked = [key for key, box in self.locks.items() if box.isChecked()]
        if locked:
            section["locked"] = locked
        if self.keep_runs.isChecked():
            section["keep_runs"] = True
        project = copy.deepcopy(self.project)
        project.extra = {**project.extra, "lab": section}
        project.file = ""  # messages start at the key: the dialog is the file
        parse_lab(project)  # the checks a student's copy will get
        return project

    def accept(self) -> None:
        """Save: check the lab, ask where, write it; the dialog stays open on a problem."""
        try:
            self.lab_project()
        except ProjectError as exc:
            self.error.setText(str(exc))
            return
        name = "-".join(self.title.text().lower().split()) or "lab"
        path, _ = QFileDialog.getSaveFileName(self, "Save the lab", f"{name}.json", "Lab files (*.json)")
        if path and self.save(Path(path)):
            self.saved_to = Path(path)
            super().accept()

    def save(self, path: Path) -> bool:
        """Write the lab to `path`; on a problem say it in the dialog and write nothing."""
        try:
            project = self.lab_project()
        except ProjectError as exc:
            self.error.setText(str(exc))
            return False
        try:
            save_project(project, path)
        except OSError as exc:
            self.error.setText(f"Could not save {path.name}: {exc.strerror or exc}")
            return False
        return True
