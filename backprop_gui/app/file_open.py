"""Files the system asks the running program to open. On macOS, a double-click in Finder
(or a file dropped on the Dock icon) reaches the program as a QFileOpenEvent sent to the
QApplication, not as a command-line argument: this filter turns it into File > Open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMainWindow


class FileOpenEvents(QObject):
    """Opens the file of each QFileOpenEvent in `window`. A child of the window, so it goes
    (and Qt removes the filter) when the window does."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        path = event.file()
        if not path:  # a URL that is not a local file: nothing this program can open
            return False
        # after the event: open_path may ask about unsaved changes in a modal dialog,
        # which should not run inside the application's event delivery
        QTimer.singleShot(0, self.window, lambda: self.window.actions.files.open_path(Path(path)))
        return True
