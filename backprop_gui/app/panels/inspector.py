"""The Inspector: one training step taken apart, stage by stage, with its numbers.

Pick the trainer's next batch or one sample, press Inspect (I): the worker takes the step
apart on copies (core/step_through.py), and the panel walks through its stages (Alt+←,
Alt+→), each marked on the network view. Nothing changes until Apply, which is the
trainer's own step on that batch; the next step is then inspected at once. Beside it,
the gradient check compares backprop with finite differences, layer by layer."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...core.experiment import Experiment
from ...core.step_through import StepInspection
from ..gradient_check_view import GradientCheckView
from ..network_highlight import Highlight
from ..network_view import NetworkView
from ..session import TrainingSession
from ..stage_html import number, stage_html, stage_label

WHOLE_BATCH, ONE_SAMPLE = 0, 1
TIPS = {
    "which": "Take apart the step the trainer will take next (its whole batch), or a step on "
             "one training sample alone, to read its numbers one by one.",
    "sample": "Which training sample (0 is the first row of the training set).",
    "inspect": "Pause, and take the next step apart: forward, the loss, backward, the update (I).",
    "previous": "The stage before (Alt+Left).",
    "next": "The next stage (Alt+Right).",
    "apply": "Take this step for real: the trainer's own step on this batch, which gives exactly "
             "the new weights shown in the update stages.",
}


class InspectorPanel(QWidget):
    def __init__(self, session: TrainingSession, network_view: NetworkView) -> None:
        super().__init__()
        self.session, self.network_view = session, network_view
        self.inspection: StepInspection | None = None
        self.index = 0
        self._in_flight = False  # a request the worker has not answered yet
        self._stale = False  # the weights changed while the panel was hidden
        self.shown = False  # its dock is on screen (and its tab the raised one)
        self._reinspect = QTimer(self, singleShot=True, interval=0)
        self._reinspect.timeout.connect(self.inspect)
        style = self.style()

        self.which = QComboBox()
        self.which.addItems(["The next batch", "One sample"])
        self.which.setToolTip(TIPS["which"])
        self.sample = QSpinBox()
        self.sample.setToolTip(TIPS["sample"])
        self.sample.setEnabled(False)
        self.sample_text = QLabel()
        self.sample_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.inspect_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView),
                                          "Inspect")
        self.inspect_button.setToolTip(TIPS["inspect"])
        self.status = QLabel("Press Inspect (I) to take the next training step apart.")
        self.status.setWordWrap(True)

        self.stages = QListWidget()
        self.stages.setMinimumWidth(150)
        self.stages.setMaximumWidth(210)
        self.stages.setMinimumHeight(36)  # the dock may be short: both scroll
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setMinimumHeight(36)
        self.previous_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), "")
        self.previous_button.setToolTip(TIPS["previous"])
        self.next_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward), "")
        self.next_button.setToolTip(TIPS["next"])
        self.position = QLabel()
        self.apply_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                        "Apply this step")
        self.apply_button.setToolTip(TIPS["apply"])
        self.check = GradientCheckView(session)
        self._build()
        self._connect()
        self._show_stage()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Step on"))
        top.addWidget(self.which)
        top.addWidget(self.sample)
        top.addWidget(self.sample_text, 1)
        top.addWidget(self.inspect_button)
        stage_column = QWidget()
        column = QVBoxLayout(stage_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stages, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.position)
        column.addLayout(buttons)
        column.addWidget(self.apply_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(stage_column)
        split.addWidget(self.view)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        step = QWidget()
        step_layout = QVBoxLayout(step)
        step_layout.setContentsMargins(4, 4, 4, 4)
        step_layout.addLayout(top)
        step_layout.addWidget(self.status)
        step_layout.addWidget(split, 1)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(step, "Step through")
        self.tabs.addTab(self.check, "Gradient check")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tabs)

    def _connect(self) -> None:
        s = self.session
        s.sigExperiment.connect(self._on_experiment)
        s.sigSnapshot.connect(self._on_snapshot)
        s.sigInspected.connect(self._on_inspected)
        s.sigFailed.connect(self._on_failed)
        self.which.currentIndexChanged.connect(self._which_changed)
        self.sample.valueChanged.connect(self._sample_changed)
        self.inspect_button.clicked.connect(self.inspect)
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.apply_button.clicked.connect(self.apply)
        self.stages.currentRowChanged.connect(self._row_chosen)

    # -- commands -------------------------------------------------------------------------

    def inspect(self) -> None:
        """Ask the worker for the step, taken apart (it pauses training first)."""
        if self.session.experiment is None:
            return
        one = self.which.currentIndex() == ONE_SAMPLE
        self._in_flight = True
        self.session.inspect(self.sample.value() if one else None)

    def previous(self) -> None:
        self._go(self.index - 1)

    def next(self) -> None:
        self._go(self.index + 1)

    def apply(self) -> None:
        """The trainer's own step on this batch; its successor is inspected when it is done."""
        if self.inspection is not None and self.inspection.whole_batch and not self._in_flight:
            self.session.step_batch()

    # -- from the session -----------------------------------------------------------------

    def _on_experiment(self, experiment: Experiment) -> None:
        n = len(experiment.trainer.X)
        self.sample.setRange(0, max(0, n - 1))
        self.inspection, self._in_flight = None, False
        self._fill_list()
        self._sample_changed()
        self.status.setText("A new run: press Inspect (I) to take its next step apart.")

    def _on_snapshot(self, snapshot) -> None:
        if self.inspection is None or self._in_flight:
            return
        if self.session.running:
            self.status.setText("Training is running: the step shown is out of date. "
                                "Inspect (I) pauses and takes the next one apart.")
            self.apply_button.setEnabled(False)
        elif self.shown:  # a step, an edit, a pause: the next step is another one
            self._reinspect.start()
        else:
            self._stale = True

    def _on_inspected(self, result) -> None:
        self._in_flight = self._stale = False
        if isinstance(result, str):
            self.status.setText(result)
            return
        self.inspection = result
        self._fill_list()
        rows = result.rows
        samples = f"{len(rows):,} sample{'s' if len(rows) != 1 else ''}"
        self.status.setText(
            f"The trainer's next step (epoch {result.epoch:,}, batch {result.batch}) on {samples}, "
            f"loss {number(result.loss)}: nothing changes until you apply it." if result.whole_batch
            else f"A step on sample #{rows[0]} alone (to read; not the trainer's own), "
                 f"loss {number(result.loss)}.")
        self._go(min(self.index, len(result.stages) - 1))

    def _on_failed(self, message: str) -> None:
        self._in_flight = False

    # -- showing --------------------------------------------------------------------------

    def _fill_list(self) -> None:
        self.stages.blockSignals(True)
        self.stages.clear()
        if self.inspection is not None:
            self.stages.addItems([stage_label(i, s) for i, s in enumerate(self.inspection.stages)])
        self.stages.blockSignals(False)
        if self.inspection is None:
            self.index = 0
            self._show_stage()

    def _go(self, index: int) -> None:
        if self.inspection is None:
            return
        self.index = max(0, min(index, len(self.inspection.stages) - 1))
        self._show_stage()

    def _row_chosen(self, row: int) -> None:
        if row >= 0:
            self._go(row)

    def _show_stage(self) -> None:
        inspection = self.inspection
        has = inspection is not None
        for button in (self.previous_button, self.next_button):
            button.setEnabled(has)
        self.apply_button.setEnabled(has and inspection.whole_batch)
        if not has:
            self.view.setHtml("<p>Each stage of the step will show here: its formula and the "
                              "numbers that go into it and come out.</p>")
            self.position.setText("")
            self.network_view.set_highlight(None)
            return
        stages = inspection.stages
        stage = stages[self.index]
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(stages) - 1)
        self.stages.blockSignals(True)
        self.stages.setCurrentRow(self.index)
        self.stages.blockSignals(False)
        self.position.setText(f"{self.index + 1} of {len(stages)}")
        self.view.setHtml(stage_html(stage, inspection))
        first, last = stage.neurons[0], stage.neurons[-1]
        self.network_view.set_highlight(Highlight(first, last, stage.phase) if self.shown else None)

    def _which_changed(self, index: int) -> None:
        self.sample.setEnabled(index == ONE_SAMPLE)
        self._sample_changed()
        if self.inspection is not None:
            self._reinspect.start()

    def _sample_changed(self) -> None:
        """Say what the chosen sample is: its inputs (as the network sees them) and target."""
        e = self.session.experiment
        if e is None or self.which.currentIndex() != ONE_SAMPLE or len(e.trainer.X) == 0:
            self.sample_text.setText("")
            return
        k = self.sample.value()
        x = ", ".join(number(float(v)) for v in e.trainer.X[k][:6])
        more = ", …" if e.trainer.X.shape[1] > 6 else ""
        y = ", ".join(number(float(v)) for v in np.atleast_1d(e.trainer.Y[k])[:6])
        self.sample_text.setText(f"x = ({x}{more}), y = ({y})")
        if self.inspection is not None and not self.inspection.whole_batch:
            self._reinspect.start()

    def set_shown(self, shown: bool) -> None:
        """Its dock was shown (or its tab raised) or hidden: the network's mark follows."""
        self.shown = shown
        if shown and self._stale:
            self._reinspect.start()
        self._show_stage()
