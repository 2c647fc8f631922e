"""The CSV import dialog: a preview of the file, what to learn from it, and the load.

The file is read on a pool thread, both for the preview and for the full load that OK
starts (read_csv, exactly as a project would read it), so a file of tens of thousands of
rows never freezes the window; past BUSY_AFTER_MS a busy bar says it is working. A bad
file shows a message box that says what is wrong and where, and nothing is returned:
the caller's data stays as it was.

    result = ask_csv_dataset(window, path)   # (DatasetConfig, Dataset) or None

Tests drive a CsvImportDialog without exec(): build it, wait for `sigPreviewed`, set its
widgets, call accept(), wait for `accepted` or for `error_box`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.config import DatasetConfig
from ..core.csv_preview import DELIMITER_LABELS, CsvPreview, column_note, preview_csv, summary
from ..core.csv_reader import read_csv
from ..core.csv_text import printable
from ..core.data import Dataset
from ..core.errors import DatasetError
from .background import BackgroundCall

#: how long a read may take before the busy bar shows
BUSY_AFTER_MS = 300
TARGET_TINT, ODD_TINT, GREY = QColor("#fff1d6"), QColor("#fbd5d0"), QColor("#8a8a8a")
LEVEL_STYLE = {"info": ("", ""), "warning": ("#8a5300", "⚠ "), "error": ("#b42318", "✖ ")}
Checked, Unchecked = Qt.CheckState.Checked, Qt.CheckState.Unchecked


# -- the dialog ---------------------------------------------------------------------------


class CsvImportDialog(QDialog):
    sigPreviewed = Signal()  # a preview is shown, or could not be read (see preview_error)

    def __init__(self, path: str | os.PathLike[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(os.path.abspath(path))
        self.setWindowTitle(f"Import {self.path.name}")
        self.preview: CsvPreview | None = None
        self.preview_error = ""  # why the current delimiter and header cannot be read
        self.config: DatasetConfig | None = None
        self.dataset: Dataset | None = None
        self.error_box: QMessageBox | None = None
        self._detected: tuple[str, bool] | None = None
        self._header_forced = False
        self._filling = False
        self.reads = BackgroundCall(self)
        self.reads.sigFinished.connect(self._read_finished)
        self._build()
        self._read_preview(None, None, self._open_failed)

    def _build(self) -> None:
        def tip(widget, text: str):
            widget.setToolTip(text)
            return widget

        self.file_label = tip(QLabel(f"<b>{_html(self.path.name)}</b>"), str(self.path))
        self.shape_label = tip(QLabel(), "Data rows (below the header) and columns in the file.")
        self.delimiter_box = tip(QComboBox(), "The character between the values on a line: detected "
                                 "from the file; choose another if the preview looks wrong.")
        self.delimiter_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for delimiter, label in DELIMITER_LABELS.items():
            self.delimiter_box.addItem(label, delimiter)
        self.header_box = tip(QCheckBox("First row holds column names"), "Tick if the first row names "
                              "the columns rather than holding a sample: detected from the file; change "
                              "it if wrong.")
        self.table = tip(QTableWidget(), "The first rows as they will be read, numbered by their line in "
                         "the file. The target column is tinted; red cells would stop the import.")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        self.columns = tip(QTreeWidget(), "Tick the columns the network gets as inputs (features); "
                           "each needs a number in every row.")
        self.columns.setHeaderLabels(["Column", "Holds"])
        self.columns.setRootIsDecorated(False)
        self.columns.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.target_box = tip(QComboBox(), "The column the network learns to predict (the last one is "
                              "suggested).")
        self.task_box = tip(QComboBox(), "Classification: the target names a class (words, or a few "
                            "whole numbers). Regression: it is a quantity. Detected from the target.")
        self.task_box.setPlaceholderText("Not detected: choose one")
        self.task_box.addItem("Classification", "classification")
        self.task_box.addItem("Regression", "regression")
        self.standardize_box = tip(QCheckBox("Standardise features (mean 0, spread 1)"),
                                   "Rescale each feature by its training-set mean and standard deviation: "
                                   "features in very different units train badly without it.")
        self.standardize_box.setChecked(True)
        self.summary = tip(QLabel(), "What the import will give, and what would stop it.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.busy = tip(QProgressBar(), "Reading the file; the window stays usable meanwhile.")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy_label = QLabel()
        Button = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(Button.Ok | Button.Cancel)
        self.ok_button = tip(buttons.button(Button.Ok), "Read the whole file with these choices and use it.")
        self.ok_button.setText("Import")
        tip(buttons.button(Button.Cancel), "Close without importing; the current data stays.")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        for widget in (self.file_label, self.shape_label):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(QLabel("Delimiter"))
        top.addWidget(self.delimiter_box)
        top.addSpacing(12)
        top.addWidget(self.header_box)
        features = QGroupBox("Features: the network's inputs")
        QVBoxLayout(features).addWidget(self.columns)
        target = QGroupBox("Target: what it learns to predict")
        form = QFormLayout(target)
        form.addRow("Column", self.target_box)
        form.addRow("Problem", self.task_box)
        form.addRow(self.standardize_box)
        form.addRow(self.summary)
        middle = QHBoxLayout()
        middle.addWidget(features, 1)
        middle.addWidget(target, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy)
        bottom.addWidget(self.busy_label)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addLayout(middle, 2)
        layout.addLayout(bottom)
        self._show_busy(False)
        self.resize(880, 640)
        self.delimiter_box.currentIndexChanged.connect(self._format_changed)
        self.header_box.toggled.connect(self._header_toggled)
        self.target_box.currentIndexChanged.connect(self._target_changed)
        self.task_box.currentIndexChanged.connect(self._refresh)
        self.columns.itemChanged.connect(self._refresh)

    # -- background reads

    def _run(self, work: Callable[[], Any], what: str, on_done: Callable[[Any], None],
             on_failed: Callable[[str], None]) -> None:
        """Read on a pool thread, the controls off meanwhile, the busy bar after a moment."""
        self.busy_label.setText(what)
        self.reads.start(work, on_done, on_failed)
        self._set_controls_enabled(False)
        QTimer.singleShot(BUSY_AFTER_MS, self, lambda: self._show_busy(self.reads.running))

    @property
    def busy_shown(self) -> bool:
        return self.busy.isVisibleTo(self)

    def _show_busy(self, shown: bool) -> None:
        self.busy.setVisible(shown)
        self.busy_label.setVisible(shown)

    def _read_finished(self) -> None:
        self._show_busy(False)
        self._set_controls_enabled(True)

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.delimiter_box, self.header_box, self.columns, self.target_box, self.task_box,
                       self.standardize_box):
            widget.setEnabled(enabled)
        self._update_ok()

    # -- the preview

    def _read_preview(self, delimiter: str | None, header: bool | None,
                      on_failed: Callable[[str], None]) -> None:
        path = self.path
        self._run(lambda: preview_csv(path, delimiter, header), f"Reading {path.name}…", self._previewed,
                  on_failed)

    def _previewed(self, preview: CsvPreview) -> None:
        self.preview, self.preview_error = preview, ""
        if self._detected is None:
            self._detected = (preview.delimiter, preview.header)
        delimiter, header = self._detected
        self._filling = True
        for index, (value, label) in enumerate(DELIMITER_LABELS.items()):
            self.delimiter_box.setItemText(index, label + " (detected)" * (value == delimiter))
        self.delimiter_box.setCurrentIndex(self.delimiter_box.findData(preview.delimiter))
        self.header_box.setChecked(preview.header)
        self.header_box.setText("First row holds column names"
                                + " (detected)" * (preview.header == header))
        self.shape_label.setText(f"{preview.n_rows:,} rows, {len(preview.names)} columns")
        self.target_box.clear()
        self.target_box.addItems(preview.names)
        self.target_box.setCurrentIndex(preview.suggested_target)
        self.columns.clear()
        for column in preview.columns:
            item = QTreeWidgetItem([column.name, column.describe()])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            for k in (0, 1):
                item.setToolTip(k, column_note(column))
            self.columns.addTopLevelItem(item)
        self._filling = False
        self._target_changed()
        self.sigPreviewed.emit()

    def _open_failed(self, message: str) -> None:
        self.preview_error = message
        self._update_ok()
        self.summary.setText(_lines_html([("error", self._local(message))]))
        self._show_error(message, close_after=True)
        self.sigPreviewed.emit()

    def _preview_failed(self, message: str) -> None:
        """A delimiter or header chosen by hand does not read: say so, keep the choice."""
        self.preview, self.preview_error = None, message
        self.shape_label.setText("")
        self.columns.clear()
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.summary.setText(_lines_html([("error", self._local(message))]))
        self._update_ok()
        self.sigPreviewed.emit()

    def _fill_table(self, preview: CsvPreview) -> None:
        target, features = self.target_box.currentIndex(), set(self.feature_columns())
        self.table.clear()
        self.table.setColumnCount(len(preview.names))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(preview.names)
        self.table.setVerticalHeaderLabels([str(line) for line in preview.lines])
        bold = QFont(self.table.font())
        bold.setBold(True)
        for j, column in enumerate(preview.columns):
            header = self.table.horizontalHeaderItem(j)
            header.setToolTip(column_note(column) + " (the target)" * (j == target))
            header.setFont(bold if j == target else self.table.font())
        for i, row in enumerate(preview.rows):
            for j, cell in enumerate(row):
                item = QTableWidgetItem(cell)
                odd = preview.odd_cell(i, j)
                if odd and (j in features or j == target):
                    item.setBackground(ODD_TINT)
                    item.setToolTip(f"{odd} value: this cell would stop the import")
                elif j == target:
                    item.setBackground(TARGET_TINT)
                elif j not in features:
                    item.setForeground(GREY)
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    # -- the user's choices

    def _format_changed(self, *_: object) -> None:
        if not self._filling:
            self._read_preview(self.delimiter_box.currentData(),
                               self.header_box.isChecked() if self._header_forced else None,
                               self._preview_failed)

    def _header_toggled(self, *_: object) -> None:
        if not self._filling:
            self._header_forced = True
            self._format_changed()

    def _target_changed(self, *_: object) -> None:
        """A new target: every other column a feature, and its problem type detected."""
        preview = self.preview
        if self._filling or preview is None:
            return
        target = self.target_box.currentIndex()
        self._filling = True
        for j in range(self.columns.topLevelItemCount()):
            item = self.columns.topLevelItem(j)
            item.setDisabled(j == target)
            item.setCheckState(0, Unchecked if j == target else Checked)
            item.setText(1, "the target" if j == target else preview.columns[j].describe())
            odd = j != target and not preview.columns[j].usable_as_feature
            item.setForeground(1, QBrush(QColor(LEVEL_STYLE["error"][0])) if odd else QBrush())
        try:
            detected: str | None = preview.target(target).problem
        except DatasetError:
            detected = None
        for index in range(self.task_box.count()):
            task = self.task_box.itemData(index)
            self.task_box.setItemText(index, task.capitalize() + " (detected)" * (task == detected))
        # not detected: none chosen, so the summary and the import say why
        self.task_box.setCurrentIndex(self.task_box.findData(detected) if detected else -1)
        self._filling = False
        self._refresh()

    def _refresh(self, *_: object) -> None:
        """The table's tints and the summary, after any choice."""
        preview = self.preview
        if self._filling or preview is None:
            return
        self._fill_table(preview)
        try:
            target = preview.target(self.target_box.currentIndex(), self.task_box.currentData())
        except DatasetError as error:
            target = self._local(str(error))
        self.summary.setText(_lines_html(summary(preview, self.feature_columns(), target)))
        self._update_ok()

    def _update_ok(self) -> None:
        ready = not self.reads.running and self.preview is not None
        self.ok_button.setEnabled(ready and bool(self.feature_columns()))

    # -- what is chosen

    def feature_columns(self) -> list[int]:
        """The ticked columns, by 0-based number, in the file's order."""
        items = [self.columns.topLevelItem(j) for j in range(self.columns.topLevelItemCount())]
        return [j for j, item in enumerate(items)
                if item.checkState(0) == Checked and not item.isDisabled()]

    def set_features(self, names: list[str]) -> None:
        """Tick exactly the columns named (for callers and tests)."""
        for j in range(self.columns.topLevelItemCount()):
            item = self.columns.topLevelItem(j)
            if not item.isDisabled():
                item.setCheckState(0, Checked if item.text(0) in names else Unchecked)

    def chosen_config(self) -> DatasetConfig:
        """The project's dataset section for these choices: columns by name when the file
        has a header, else by 0-based number; header and delimiter as used."""
        preview = self.preview
        assert preview is not None

        def spec(j: int) -> str | int:
            return preview.names[j] if preview.header else j

        return DatasetConfig(kind="csv", path=str(self.path),
                             features=[spec(j) for j in self.feature_columns()],
                             target=spec(self.target_box.currentIndex()), header=preview.header,
                             delimiter=preview.delimiter, task=self.task_box.currentData(),
                             standardize=self.standardize_box.isChecked())

    # -- OK: the full load, then close

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        config = self.chosen_config()

        def load() -> Dataset:
            return read_csv(config.path, config.features, config.target, config.header, config.delimiter,
                            config.task)

        self._run(load, f"Loading {self.preview.n_rows:,} rows…",
                  lambda dataset: self._loaded(config, dataset), self._show_error)

    def _loaded(self, config: DatasetConfig, dataset: Dataset) -> None:
        self.config, self.dataset = config, dataset
        super().accept()

    def done(self, result: int) -> None:
        self.reads.cancel()  # a read still running is dropped when it ends
        super().done(result)

    # -- errors

    def _local(self, message: str) -> str:
        """The message as a sentence without the leading path, which the dialog shows."""
        prefix = printable(str(self.path)) + ": "
        local = message[len(prefix):] if message.startswith(prefix) else message
        return local[:1].upper() + local[1:] + ("" if local.endswith((".", "?", "!")) else ".")

    def _show_error(self, message: str, close_after: bool = False) -> None:
        """The message box, window-modal but not blocking (tests reach `error_box`)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot import this CSV file",
                          f"<b>{_html(self.path.name)}</b> cannot be imported.",
                          QMessageBox.StandardButton.Ok, self)
        box.setInformativeText(f"{_html(self._local(message))}<br><br>Fix the file"
                               f"{'' if close_after else ' or the choices'} and try again. "
                               "The data you had loaded is unchanged.")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setStyleSheet("#qt_msgbox_label, #qt_msgbox_informativelabel { min-width: 440px; }")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        if close_after:
            box.finished.connect(lambda _: self.reject())
        self.error_box = box
        box.open()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines_html(lines: list[tuple[str, str]]) -> str:
    html = []
    for level, text in lines:
        color, mark = LEVEL_STYLE[level]
        style = f' style="color:{color}"' if color else ""
        html.append(f"<div{style}>{mark}{_html(text)}</div>")
    return "".join(html)


def ask_csv_dataset(parent: QWidget | None,
                    path: str | os.PathLike[str]) -> tuple[DatasetConfig, Dataset] | None:
    """Open the import dialog on `path` and wait: the chosen dataset section and the
    loaded Dataset, or None if the user cancelled or the file is bad (after saying why)."""
    dialog = CsvImportDialog(path, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.dataset is not None:
            return dialog.config, dialog.dataset
        return None
    finally:
        dialog.deleteLater()
