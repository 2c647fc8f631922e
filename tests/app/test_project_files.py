"""Projects in a real window: save, close, reopen gives the same network, weights, data
and settings; unsaved changes are asked about; a bad file changes nothing."""

import json

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from backprop_gui.core.config import project_to_dict
from backprop_gui.core.saved_weights import weights_path


def answer_modal(button: QMessageBox.StandardButton, seen: list) -> QTimer:
    """Press `button` on the next message box, noting its text."""
    timer = QTimer()

    def check() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            seen.append(box.text())
            box.button(button).click()

    timer.timeout.connect(check)
    timer.start(20)
    return timer


def fill_file_dialog(target) -> QTimer:
    """Choose `target` in the next file dialog and accept it.

    selectFile alone leaves the name box as it was when that box has the focus (it has, once
    the dialog is active), so the dialog would answer with the suggested name in target's
    folder: the name is typed into the box as a user would."""
    timer = QTimer()

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog):
            timer.stop()
            dialog.setDirectory(str(target.parent))
            dialog.findChild(QLineEdit, "fileNameEdit").setText(target.name)
            dialog.accept()

    timer.timeout.connect(fill_in)
    timer.start(20)
    return timer


def train_a_little(window, qtbot, epochs=30):
    for _ in range(epochs // 10):
        window.session.step_epoch()
    window.hyper.epochs.setValue(epochs)
    window.actions.train.trigger()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.stop is not None
                    and not window.session.running, timeout=20_000)


def test_save_close_reopen_gives_the_same_network_weights_data_and_settings(make_window, qtbot, tmp_path):
    window = make_window("circles-deep-sigmoid")
    window.changes.edit_architecture(window.network_view.hidden_layers()[:3], "fewer layers")
    train_a_little(window, qtbot)
    last = window.session.last
    path = tmp_path / "mine.json"
    assert window.document.save(path)
    assert path.is_file() and weights_path(path).is_file()
    assert not window.document.changed() and "mine.json" in window.windowTitle()
    saved_project = project_to_dict(window.session.project)
    X = window.session.experiment.dataset.X.copy()

    again = make_window("xor", settings_file="again.ini")
    assert again.actions.files.open_path(path)
    e = again.session.experiment
    assert project_to_dict(again.session.project) == saved_project
    assert e.network.sizes == window.session.experiment.network.sizes
    for l, (W, b) in enumerate(zip(last.weights, last.biases), start=1):
        np.testing.assert_array_equal(e.network.W[l], W)
        np.testing.assert_array_equal(e.network.b[l], b)
    np.testing.assert_array_equal(e.dataset.X, X)
    assert e.trainer.epoch == last.epoch
    qtbot.waitUntil(lambda: again.session.last is not None and again.session.last.epoch == last.epoch)
    assert "trained weights" in again.banner.text()
    assert again.document.recent()[0] == path.resolve()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(make_window, qtbot):
    window = make_window("xor")
    assert not window.document.changed()  # just opened: nothing to ask
    train_a_little(window, qtbot)
    assert window.document.changed() and window.isWindowModified()
    seen = []
    timer = answer_modal(QMessageBox.StandardButton.Cancel, seen)
    window.close()
    timer.stop()
    assert seen and "not saved" in seen[0]
    assert window.isVisible() and window.session._thread.isRunning()
    timer = answer_modal(QMessageBox.StandardButton.Discard, seen)
    window.close()
    timer.stop()
    assert not window.isVisible()


def test_opening_another_project_asks_first(make_window, qtbot, tmp_path):
    window = make_window("xor")
    train_a_little(window, qtbot)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": 1, "dataset": {"kind": "moons"}}))
    seen = []
    timer = answer_modal(QMessageBox.StandardButton.Cancel, seen)
    assert not window.actions.files.open_path(other)
    timer.stop()
    assert window.session.project.dataset.kind == "xor"
    timer = answer_modal(QMessageBox.StandardButton.Discard, seen)
    assert window.actions.files.open_path(other)
    timer.stop()
    assert window.session.project.dataset.kind == "moons"


def test_a_bad_project_changes_nothing_and_bad_weights_are_named(make_window, qtbot, tmp_path):
    window = make_window("xor")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "training": {"learning_rate": "fast"}}')
    assert not window.actions.files.open_path(bad)
    assert "training.learning_rate" in window.banner.text()
    assert window.session.project.dataset.kind == "xor"
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": 1, "dataset": {"kind": "xor"}}))
    np.savez(weights_path(good), W1=np.zeros((5, 5)))
    assert window.actions.files.open_path(good)
    assert "initial weights" in window.banner.text() and "W1" in window.banner.text()


def test_file_export_writes_a_numpy_script_that_trains_the_same_network(make_window, qtbot, tmp_path):
    import subprocess
    import sys

    window = make_window("xor")
    target = tmp_path / "mine.py"
    timer = fill_file_dialog(target)
    assert window.actions.files.export_script("numpy")
    timer.stop()
    assert target.is_file() and "mine.py" in window.banner.text()
    done = subprocess.run([sys.executable, str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "accuracy 100.0%" in done.stdout


def test_the_weights_export_as_json_that_reads_back_exactly(make_window, qtbot, tmp_path):
    window = make_window("xor")
    train_a_little(window, qtbot)
    target = tmp_path / "w.json"
    timer = fill_file_dialog(target)
    assert window.actions.files.export_weights("json")
    timer.stop()
    data = json.loads(target.read_text())
    last = window.session.last
    assert data["layer_sizes"] == [2, 3, 1] and data["epoch"] == last.epoch
    for layer, W, b in zip(data["layers"], last.weights, last.biases):
        np.testing.assert_array_equal(np.array(layer["W"]), W)  # repr-exact
        np.testing.assert_array_equal(np.array(layer["b"]), b)
