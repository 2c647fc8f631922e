"""A real main window for each test, with its settings in a temporary file (never the
user's), the plots' global options set as the program sets them, and the window closed
(its training thread stopped) at the end."""

import pytest
from PySide6.QtCore import QSettings

from backprop_gui.app.style import configure_pyqtgraph
from backprop_gui.core.config import load_project
from backprop_gui.resources import resource_dir

PROJECTS = resource_dir() / "projects"


@pytest.fixture
def track_window(qtbot):
    """track_window(window): show it, wait until it is exposed, and at the end close it
    without asking to save and check its training thread has finished."""
    configure_pyqtgraph()
    windows = []

    def track(window):
        # pytest-qt closes its widgets before the fixtures end: without asking to save
        qtbot.addWidget(window, before_close_func=lambda w: w.document.discard())
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield track
    for window in windows:
        window.document.discard()  # no question about saving
        window.close()
        assert window.session._thread.isFinished()


@pytest.fixture
def make_window(track_window, tmp_path):
    from backprop_gui.app.main_window import MainWindow

    def make(project: str = "xor", full_speed: bool = True, settings_file: str = "settings.ini"):
        settings = QSettings(str(tmp_path / settings_file), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        if full_speed:
            window.actions.speed.setCurrentIndex(0)
        assert window.load_project(load_project(PROJECTS / f"{project}.json"))
        window.document.mark_saved(None)  # as the program opens its preset: nothing unsaved yet
        return track_window(window)

    return make


@pytest.fixture
def wait_until_stopped(qtbot):
    """wait_until_stopped(window): until training stopped by itself (its limit, early
    stopping, divergence)."""

    def wait(window, timeout=30_000):
        qtbot.waitUntil(lambda: window.session.last is not None
                        and window.session.last.stop is not None and not window.session.running,
                        timeout=timeout)

    return wait
