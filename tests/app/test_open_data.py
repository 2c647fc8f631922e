"""Bringing data into a real window: a CSV file dropped on it (or opened from the File
menu) goes through the import dialog and trains; a bad one is explained and changes
nothing; a project file dropped on it opens."""

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from backprop_gui.app.csv_import import CsvImportDialog
from backprop_gui.resources import resource_dir

DATASETS = resource_dir() / "datasets"
BAD = Path(__file__).parents[1] / "data" / "csv" / "bad"


def act_on_modal(predicate, action) -> QTimer:
    """Poll for a modal widget (the import dialog runs its own event loop); act on it."""
    timer = QTimer()

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and predicate(widget):
            timer.stop()
            action(widget)

    timer.timeout.connect(check)
    timer.start(20)
    return timer


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


def test_a_bad_csv_file_is_explained_and_the_data_stays(make_window, qtbot):
    window = make_window("xor")
    seen = []

    def press_ok(box):
        seen.append(f"{box.text()} {box.informativeText()}")
        box.button(QMessageBox.StandardButton.Ok).click()

    timer = act_on_modal(lambda w: isinstance(w, QMessageBox), press_ok)
    assert not window.actions.open_csv_file(BAD / "ragged_row.csv")
    timer.stop()
    assert seen and "line" in seen[0]
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
