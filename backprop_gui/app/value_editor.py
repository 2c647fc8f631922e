"""A small in-place field for typing one number over a drawing (a weight, a bias): Enter
keeps it, Escape or a click elsewhere drops it, and what cannot be a finite number is
refused in words, with the field left open."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QToolTip, QWidget

#: typed values beyond this size are refused: they would only saturate every unit
LIMIT = 1e6


def parse_value(text: str) -> float | None:
    """The number typed (a decimal comma is read as a point), or None if it is not a
    finite number within ±LIMIT."""
    try:
        value = float(text.strip().replace(",", ".").replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= LIMIT else None


class ValueEditor(QLineEdit):
    sigDone = Signal(float, float)  # old value, new value: sent only when Enter keeps a number

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("−0.000000000") + 12)
        self.hide()
        self._old = 0.0
        self._what = ""

    def open(self, value: float, what: str, at: QPoint) -> None:
        """Show the field at `at` (the parent's coordinates, kept inside it) with `value`."""
        self._old, self._what = value, what
        self.setText(f"{value:.6g}")
        self.setToolTip(f"Type a new {what} and press Enter (Escape cancels).")
        self.setStyleSheet("")
        parent = self.parentWidget()
        x = min(max(at.x() - self.width() // 2, 0), max(parent.width() - self.width(), 0))
        y = min(max(at.y() - self.height() // 2, 0), max(parent.height() - self.height(), 0))
        self.move(x, y)
        self.show()
        self.raise_()
        self.selectAll()
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def cancel(self) -> None:
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._commit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.cancel()

    def _commit(self) -> None:
        value = parse_value(self.text())
        if value is None:
            self.setStyleSheet("QLineEdit { border: 1px solid #c53030; }")
            self.setToolTip(f"Not a number the network can use: type a finite number between "
                            f"−{LIMIT:g} and {LIMIT:g} for the {self._what}, e.g. 0.5.")
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self.toolTip(), self)
            return
        self.hide()
        self.sigDone.emit(self._old, value)
