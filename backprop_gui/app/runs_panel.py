"""The kept runs' table: each run's settings and final numbers, beside the current run's,
with a box to show or hide its curves and a way to remove it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.history import Record
from ..core.kept_runs import KeptRun
from .plots.kept_curves import run_color
from .run_keeper import ENDINGS, RunKeeper
from .style import TRAIN_COLOR
from .throttle import Throttle

#: (header, tooltip, the run_settings key it shows, or None for a number)
COLUMNS = [
    ("Run", "The run's label in the plots: the settings it differs in from the other runs. "
            "Untick to hide its curves.", None),
    ("Network", "Units per layer, inputs first.", "network"),
    ("Activation", "The hidden layers' activation.", "activation"),
    ("Optimiser", "The update rule.", "optimizer"),
    ("Learning rate", "The step size η.", "lr"),
    ("Batch", "Samples per gradient step.", "batch"),
    ("Epochs", "Epochs trained.", None),
    ("Loss", "Training loss at the last epoch.", None),
    ("Val. loss", "Validation loss at the last epoch (— without a validation set).", None),
    ("Metric", "Accuracy (classification) or R² (regression) on the training set.", None),
    ("Val. metric", "The same on the validation set.", None),
    ("Ended by", "What stopped the run: the epoch limit, early stopping, divergence, or you.", None),
]
KEEP_TIP = ("Keep this run's curves in the cost and gradient plots, fainter and labelled, "
            "to compare it with the next run (K).")
#: the current run's row is refreshed at most this often while it trains (ms)
CURRENT_ROW_MS = 500
EMPTY = "—"


def _number(x: float) -> str:
    return f"{x:.4g}" if np.isfinite(x) else EMPTY


def _metric(x: float, name: str) -> str:
    if not np.isfinite(x):
        return EMPTY
    if name == "accuracy":
        return f"{x:.1%}"
    return f"{x:.3f}" if abs(x) < 1000 else f"{x:.3g}"  # R² of a diverged run: -1.35e+305


class RunsPanel(QWidget):
    sigKeep = Signal()  # the user asks to keep the current run

    def __init__(self, keeper: RunKeeper, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keeper = keeper
        self.keep_button = QPushButton("Keep this run")
        self.keep_button.setToolTip(KEEP_TIP)
        self.keep_button.clicked.connect(self.sigKeep)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected kept runs from the plots and the table.")
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton("Remove all")
        self.clear_button.setToolTip("Remove every kept run.")
        self.clear_button.clicked.connect(keeper.clear)
        self.hint = QLabel("No runs kept yet. Train, then <b>Training ▸ Keep this run</b> (K): the run "
                           "stays in the cost and gradient plots, fainter, beside the next one.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.table = QTableWidget(0, len(COLUMNS))
        for c, (name, tip, _) in enumerate(COLUMNS):
            self.table.setHorizontalHeaderItem(c, QTableWidgetItem(name))
            self.table.horizontalHeaderItem(c).setToolTip(tip)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemChanged.connect(self._ticked)
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.remove_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        self._rows: list[KeptRun] = []  # the kept run of each row after the first
        self._filling = False
        self._stale_columns = True  # fit the columns at the next fill, whatever it changes
        self._current = Throttle(CURRENT_ROW_MS, self._fill_current, self)
        keeper.sigChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """The whole table again: the runs kept or their labels changed."""
        entries = self.keeper.entries()
        self._filling = True
        self._stale_columns = True  # rows came or went: fit the columns again
        self._rows = [run for run, _ in entries]
        self.table.setRowCount(1 + len(entries))
        for row, (run, label) in enumerate(entries, start=1):
            self._fill(row, label, run.settings, run.last, run.history.metric_name, run.ending,
                       run_color(run))
            self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if run.visible
                                                  else Qt.CheckState.Unchecked)
        self._filling = False
        self._fill_current()
        self.hint.setVisible(not entries)
        self._enable()

    def show_current(self) -> None:
        """The current run moved on: its row, at most every CURRENT_ROW_MS."""
        self._current()

    # -- inside ----------------------------------------------------------------------------

    def _fill_current(self) -> None:
        s = self.keeper.window.session
        settings = self.keeper.current_settings()
        if settings is None:
            return
        self._filling = True
        ending = "training" if s.running else "stopped"
        if s.last is not None and s.last.stop is not None and not s.running:
            ending = ENDINGS.get(s.last.stop.kind, s.last.stop.kind)
        metric = s.history.metric_name if s.history is not None else "accuracy"
        changed = self._fill(0, "this run", settings, s.last.last if s.last is not None else None,
                             metric, ending, TRAIN_COLOR)
        accuracy = metric == "accuracy"
        self.table.horizontalHeaderItem(9).setText("Accuracy" if accuracy else "R²")
        self.table.horizontalHeaderItem(10).setText("Val. accuracy" if accuracy else "Val. R²")
        first = self.table.item(0, 0)
        if not first.font().bold():
            font = QFont(self.table.font())
            font.setBold(True)
            first.setFont(font)
        self._filling = False
        self.keep_button.setEnabled(self.keeper.can_keep())
        if changed or self._stale_columns:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column as wide as its widest text; the validation columns only when a
        run has a validation set."""
        self._stale_columns = False
        self.table.resizeColumnsToContents()
        for c in (8, 10):
            empty = all((item := self.table.item(r, c)) is None or item.text() == EMPTY
                        for r in range(self.table.rowCount()))
            self.table.setColumnHidden(c, empty)

    def _fill(self, row: int, label: str, settings: dict[str, str], last: Record | None, metric: str,
              ending: str, color: str) -> bool:
        """Row `row`'s cells; True if a text changed (the columns then fit again)."""
        numbers = [EMPTY] * 5
        if last is not None:
            numbers = [f"{last.epoch:,}", _number(last.train_loss), _number(last.val_loss),
                       _metric(last.metric, metric), _metric(last.val_metric, metric)]
        shown = [settings.get(key, "") for _, _, key in COLUMNS[1:6]]
        shown[3] = shown[3].removeprefix("lr ")  # the column says it is the learning rate
        texts = [label] + shown + numbers + [ending]
        changed = False
        for c, text in enumerate(texts):
            item = self.table.item(row, c)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, c, item)
                if 6 <= c <= 10:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if item.text() != text:  # the current row twice a second: mostly the same texts
                item.setText(text)
                changed = True
        first = self.table.item(row, 0)
        first.setData(Qt.ItemDataRole.DecorationRole, QColor(color))
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        first.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if row else Qt.ItemFlag.ItemIsEnabled)
        return changed

    def _ticked(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0 or item.row() == 0:
            return
        run = self._rows[item.row() - 1]
        self.keeper.set_visible(run, item.checkState() == Qt.CheckState.Checked)

    def _selected_runs(self) -> list[KeptRun]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self._rows[r - 1] for r in sorted(rows) if r >= 1]

    def _remove_selected(self) -> None:
        for run in self._selected_runs():
            self.keeper.remove(run)

    def _enable(self) -> None:
        self.remove_button.setEnabled(bool(self._selected_runs()))
        self.clear_button.setEnabled(bool(self._rows))

    def _context_menu(self, position) -> None:
        item = self.table.itemAt(position)
        if item is None or item.row() == 0:
            return
        run = self._rows[item.row() - 1]
        menu = QMenu(self)
        menu.addAction("Hide its curves" if run.visible else "Show its curves",
                       lambda: self.keeper.set_visible(run, not run.visible))
        menu.addAction("Remove", lambda: self.keeper.remove(run))
        menu.addSeparator()
        menu.addAction("Remove all kept runs", self.keeper.clear)
        menu.exec(self.table.viewport().mapToGlobal(position))
