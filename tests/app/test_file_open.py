"""Files the system asks the running program to open (Finder's double-click on macOS): a
real QFileOpenEvent posted to the application opens the file in the window that
launch.open_window made, as File > Open does; a file that is not a project leaves the
window as it was and says why."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from backprop_gui.app.launch import open_window
from backprop_gui.core.config import load_project
from backprop_gui.resources import resource_dir

IRIS = resource_dir() / "projects" / "iris.json"
LAB = resource_dir() / "labs" / "02-learning-rate.json"


@pytest.fixture
def launched(track_window, tmp_path):
    """launched(path=None): the window the program starts with, listening for file-open
    events (as on macOS); closed, its training thread stopped, at the end."""

    def launch(path=None):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        return track_window(open_window(path, settings, file_open_events=True))

    return launch


def send_file_open(path) -> None:
    QApplication.postEvent(QApplication.instance(), QFileOpenEvent(str(path)))


@pytest.mark.parametrize("path", [IRIS, LAB], ids=["project", "lab"])
def test_a_file_open_event_opens_the_file(launched, qtbot, path):
    window = launched()
    assert window.session.project.name == "XOR"
    name = load_project(path).name
    send_file_open(path)
    qtbot.waitUntil(lambda: window.session.project.name == name)
    assert window.document.path == path and not window.document.changed()


def test_the_file_from_the_command_line_opens_first(launched, qtbot):
    window = launched(str(IRIS))
    assert window.session.project.name == load_project(IRIS).name
    send_file_open(LAB)
    qtbot.waitUntil(lambda: window.session.project.name == load_project(LAB).name)


def test_a_bad_file_leaves_the_window_as_it_was_and_says_why(launched, qtbot, tmp_path):
    window = launched()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "training": {"learning_rate": "fast"}}')
    send_file_open(bad)
    qtbot.waitUntil(lambda: "bad.json" in window.banner.text())
    assert "training.learning_rate" in window.banner.text()
    assert window.session.project.name == "XOR" and window.document.path is None


def test_without_the_filter_the_event_changes_nothing(launched, qtbot, tmp_path):
    window = launched()
    other = open_window(None, QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat),
                        file_open_events=False)
    qtbot.addWidget(other, before_close_func=lambda w: w.document.discard())
    send_file_open(IRIS)
    qtbot.waitUntil(lambda: window.session.project.name == load_project(IRIS).name)
    assert other.session.project.name == "XOR"  # only the window that listens opened it
    other.document.discard()
    other.close()
