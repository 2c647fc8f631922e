"""Bringing data into a real window: a CSV file dropped on it (or opened from the File
menu) goes through the import dialog and trains; a bad one is explained and changes
nothing; a project file dropped on it opens."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from backprop_gui.app.csv_import import CsvImportDialog
from backprop_gui.resources import resource_dir

DATASETS = resource_dir() / "datasets"
BAD = Path(__file__).parents[1] / "data" / "csv" / "bad"


def watch_modals(respond) -> QTimer:
    """Poll for the modal widget on top (the import dialog and its error box run their
    own event loops) and pass it to `respond`, until the timer is stopped."""
    timer = QTimer()

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None:
            respond(widget)

    timer.timeout.connect(check)
    timer.start(20)
    return timer


def act_on_modal(predicate, action) -> QTimer:
    """Act once on the first modal widget that `predicate` accepts."""
    done: list[bool] = []

    def respond(widget) -> None:
        if not done and predicate(widget):
            done.append(True)
            action(widget)

    return watch_modals(respond)


def drag_event(kind, paths: list[Path]):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = kind(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                 Qt.KeyboardModifier.NoModifier)
    event.setAccepted(False)
    return event, mime


def drop(window, path: Path) -> None:
    """Drag the file over the window and drop it (the window's own handlers: offscreen Qt
    delivers no synthetic drop without a platform drag under way)."""
    enter, _ = drag_event(QDragEnterEvent, [path])
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    event = QDropEvent(QPoint(50, 50).toPointF(), Qt.DropAction.CopyAction, enter.mimeData(),
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()


def import_when_previewed(dialog) -> None:
    dialog.ok_button.click()


def test_a_dropped_csv_file_is_imported_and_trains(make_window, qtbot, wait_until_stopped):
    window = make_window("xor")
    timer = act_on_modal(lambda w: isinstance(w, CsvImportDialog) and w.preview is not None,
                         import_when_previewed)
    drop(window, DATASETS / "iris.csv")
    qtbot.waitUntil(lambda: window.session.experiment.dataset.n_samples == 150, timeout=20_000)
    timer.stop()
    experiment = window.session.experiment
    assert experiment.network.sizes == [4, 3, 3] and experiment.network.activation_names[-1] == "softmax"
    assert window.session.project.training.validation_fraction == 0.2
    assert "iris" in window.banner.text() and "3 classes" in window.banner.text()
    assert window.confusion.isVisible()
    window.hyper.epochs.setValue(50)
    window.actions.train.trigger()
    wait_until_stopped(window)
    qtbot.waitUntil(lambda: window.session.last.scores is not None)


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.suffix != ".json"))
def test_every_bad_csv_file_is_explained_and_the_data_stays(make_window, qtbot, name):
    window = make_window("xor")
    said, tried = [], []

    def respond(widget) -> None:
        """Press OK on an error box; on the dialog, try to import once, then give up."""
        if isinstance(widget, QMessageBox):
            said.append(f"{widget.text()} {widget.informativeText()}")
            widget.button(QMessageBox.StandardButton.Ok).click()
        elif isinstance(widget, CsvImportDialog) and not widget.busy_shown:
            if tried or not widget.ok_button.isEnabled():
                if widget.preview is not None or widget.preview_error is not None or tried:
                    widget.reject()
            else:
                tried.append(True)
                widget.ok_button.click()

    timer = watch_modals(respond)
    assert not window.actions.files.open_csv_file(BAD / name)
    timer.stop()
    assert said, "no error box"
    assert window.session.project.dataset.kind == "xor"
    assert window.session.experiment.dataset.n_samples == 4


def test_a_dropped_project_opens(make_window, qtbot):
    window = make_window("xor")
    drop(window, resource_dir() / "projects" / "circles-deep-sigmoid.json")
    qtbot.waitUntil(lambda: window.session.project.dataset.kind == "circles")


def test_only_one_local_file_is_accepted(make_window, qtbot, tmp_path):
    window = make_window("xor")
    for paths in ([DATASETS / "iris.csv", DATASETS / "diabetes.csv"], [tmp_path / "gone.csv"], [tmp_path]):
        enter, _ = drag_event(QDragEnterEvent, paths)
        window.dragEnterEvent(enter)
        assert not enter.isAccepted(), paths
