"""Start the desktop program: the Qt application, the main window, the first project."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__
from ..core.config import load_project
from ..resources import resource_dir
from .file_open import FileOpenEvents
from .style import configure_pyqtgraph

XOR_PRESET = "projects/xor.json"
#: the PNG first: it needs no SVG image plugin (a frozen build may lack one)
ICON_FILES = ("icons/backprop-gui.png", "icons/backprop-gui.svg")


def app_icon() -> QIcon:
    """The program's icon (a small layered network); empty if its files are missing, so a
    damaged install still starts."""
    icon = QIcon()
    for name in ICON_FILES:
        path = resource_dir() / name
        if path.is_file():
            icon.addFile(str(path))
    return icon


def application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named and with its icon, and pyqtgraph's options set (the
    plots read them when they are made, so before any window exists)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("backprop-gui")
    app.setOrganizationName("backprop-gui")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("backprop-gui")  # Wayland: the menu entry --install-desktop writes
    app.setWindowIcon(app_icon())
    configure_pyqtgraph()
    return app


def open_window(path: str | None = None, settings: QSettings | None = None,
                file_open_events: bool = sys.platform == "darwin"):
    """The main window with the project `path` open, or the XOR preset (and, in the banner,
    why `path` did not open). With `file_open_events` (on macOS, the one system that sends
    them), files the system asks to open later open in it too; elsewhere no filter sees
    every event of the program for nothing."""
    from .main_window import MainWindow  # after the options: plots read them when made

    window = MainWindow(settings)
    if path is None or not window.actions.files.open_path(Path(path)):
        problem = window.banner.label.text() if path is not None else ""  # why it did not open
        window.load_project(load_project(resource_dir() / XOR_PRESET))
        window.document.mark_saved(None)
        if problem:
            window.banner.show_message(problem, "error")
    if file_open_events:
        FileOpenEvents(window)
    return window


def run(path: str | None = None, argv: list[str] | None = None, on_shown=None) -> int:
    """Show the window and run until it closes. `on_shown(window)`, if given, is called
    once the window is on screen (the startup benchmark times this)."""
    app = application(argv)
    window = open_window(path)
    window.show()
    if on_shown is not None:
        QTimer.singleShot(0, lambda: on_shown(window))
    return app.exec()
