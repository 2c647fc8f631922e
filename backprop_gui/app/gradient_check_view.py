"""The gradient check's corner of the Inspector: a button, the progress, and per layer
the largest relative error between backprop and finite differences, with a verdict.

The check itself runs in the worker (core/gradcheck.py, in chunks): a big network has
thousands of parameters, each needing two forward passes over all the data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.gradcheck import PASS_BELOW
from .session import TrainingSession
from .stage_html import number

CHECK_TIP = ("Compare backpropagation's gradient with finite differences, (L(θ+ε) − L(θ−ε)) / 2ε, "
             "for every weight and bias of the current network on all the training data.")
COLUMNS = [("Layer", "The layer whose W and b were checked."),
           ("Parameters", "How many weights and biases it has."),
           ("Max. rel. error", "The largest |backprop − numeric| / (|backprop| + |numeric|) over "
                               "its parameters."),
           ("Worst", "The parameter with that error."),
           ("Verdict", f"Pass below {PASS_BELOW:g}.")]
PASS_COLOR, FAIL_COLOR = QColor("#1e8449"), QColor("#b03a2e")


class GradientCheckView(QWidget):
    def __init__(self, session: TrainingSession) -> None:
        super().__init__()
        self.session = session
        self.running = False
        self.button = QPushButton("Check the gradients")
        self.button.setToolTip(CHECK_TIP)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.verdict = QLabel("Is backprop right? Finite differences say, for every parameter.")
        self.verdict.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(40)
        self.table.verticalHeader().hide()
        for column, (header, tip) in enumerate(COLUMNS):
            item = QTableWidgetItem(header)
            item.setToolTip(tip)
            self.table.setHorizontalHeaderItem(column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.progress, 1)
        top.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        self.button.clicked.connect(self._clicked)
        session.sigCheckProgress.connect(self._on_progress)
        session.sigChecked.connect(self._on_checked)
        session.sigExperiment.connect(self._on_experiment)
        session.sigFailed.connect(lambda message: self._set_running(False))

    def start(self) -> None:
        if self.session.experiment is not None and not self.running:
            self._set_running(True)
            self.progress.setValue(0)
            self.verdict.setText("Checking… (training is paused meanwhile)")
            self.session.check_gradients()

    def _clicked(self) -> None:
        if self.running:
            self.session.cancel_check()
        else:
            self.start()

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.button.setText("Cancel" if running else "Check the gradients")
        self.progress.setVisible(running)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {total:,} parameters")

    def _on_experiment(self, experiment) -> None:
        self._set_running(False)
        self.table.setRowCount(0)
        self.verdict.setText("Is backprop right? Finite differences say, for every parameter.")

    def _on_checked(self, results) -> None:
        self._set_running(False)
        if results is None:
            self.verdict.setText("Check cancelled.")
            return
        self.table.setRowCount(len(results))
        for row, r in enumerate(results):
            cells = [str(r.layer), f"{r.parameters:,}", number(r.max_relative_error), r.worst,
                     "pass" if r.passed else "FAIL"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 4:
                    item.setForeground(PASS_COLOR if r.passed else FAIL_COLOR)
                self.table.setItem(row, column, item)
        worst = max((r.max_relative_error for r in results), default=0.0)
        if all(r.passed for r in results):
            self.verdict.setText(f"<b style='color:{PASS_COLOR.name()}'>Pass</b>: backprop agrees "
                                 f"with finite differences (largest relative error {number(worst)}).")
        else:
            self.verdict.setText(f"<b style='color:{FAIL_COLOR.name()}'>Fail</b>: the largest "
                                 f"relative error is {number(worst)}. With ReLU, a sample sitting "
                                 "exactly at a kink (z = 0) can cause this; otherwise the gradient "
                                 "is wrong.")
