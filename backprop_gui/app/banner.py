"""A message across the top of the window: why training stopped, what went wrong, and
what to try. Coloured by how much it matters; closable; never a modal dialog in the way
of the plots."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

COLORS = {  # background, border
    "info": ("#ebf4ff", "#4c8bd6"),
    "warning": ("#fff8e1", "#d69e2e"),
    "error": ("#fdecea", "#c53030"),
}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        background, border = COLORS[kind]
        self.kind = kind
        self.setStyleSheet(f"#banner {{ background: {background}; border: 1px solid {border}; "
                           f"border-left: 5px solid {border}; border-radius: 3px; }}"
                           f"#banner QLabel {{ color: #1a202c; }}")
        self.label.setText(text)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
