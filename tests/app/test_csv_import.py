"""The CSV import dialog, driven as a user would: a good file imported with chosen
features, target and task; every corrupt file in the corpus shows the error box and
gives nothing back; delimiter and header overrides re-read the preview; a big file loads
off the window's thread; and the shipped datasets import and their projects train."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QObject, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from backprop_gui.app.background import BackgroundCall
from backprop_gui.app.csv_import import BUSY_AFTER_MS, CsvImportDialog, ask_csv_dataset
from backprop_gui.core.config import Project, load_project
from backprop_gui.core.experiment import Experiment
from backprop_gui.resources import resource_dir

CSV = Path(__file__).parents[1] / "data" / "csv"
GOOD, BAD = CSV / "good", CSV / "bad"
MANIFEST = json.loads((BAD / "expected.json").read_text())
DATASETS = resource_dir() / "datasets"


@pytest.fixture
def open_dialog(qtbot):
    """open_dialog(path): the dialog shown, its first preview read (or refused)."""
    dialogs = []

    def make(path: Path) -> CsvImportDialog:
        dialog = CsvImportDialog(path)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.preview is not None or bool(dialog.preview_error), timeout=10_000)
        return dialog

    yield make
    for dialog in dialogs:
        dialog.reject()
    QThreadPool.globalInstance().waitForDone(10_000)


def import_now(qtbot, dialog: CsvImportDialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.ok_button.click()


def error_text(box: QMessageBox) -> str:
    return f"{box.text()} {box.informativeText()}".replace("&quot;", '"').lower()


def test_import_iris_with_chosen_features_then_train(qtbot, open_dialog):
    dialog = open_dialog(DATASETS / "iris.csv")
    assert dialog.preview.n_rows == 150 and dialog.table.rowCount() == 20
    assert dialog.table.horizontalHeaderItem(4).text() == "species"
    assert dialog.table.verticalHeaderItem(0).text() == "2"  # the file's line number
    assert dialog.target_box.currentText() == "species"
    assert dialog.task_box.currentText() == "Classification (detected)"
    assert dialog.header_box.isChecked() and dialog.delimiter_box.currentData() == ","
    assert dialog.standardize_box.isChecked()
    assert "setosa (50), versicolor (50), virginica (50)" in dialog.summary.text()
    dialog.set_features(["petal_length_cm", "petal_width_cm"])
    import_now(qtbot, dialog)
    config, dataset = dialog.config, dialog.dataset
    assert config.kind == "csv" and Path(config.path) == (DATASETS / "iris.csv").resolve()
    assert config.features == ["petal_length_cm", "petal_width_cm"]
    assert (config.target, config.header, config.delimiter) == ("species", True, ",")
    assert config.task == "classification" and config.standardize is True
    assert dataset.X.shape == (150, 2) and dataset.task == "multiclass"
    assert dataset.class_names == ["setosa", "versicolor", "virginica"]
    assert np.bincount(dataset.y).tolist() == [50, 50, 50]
    experiment = Experiment.from_project(Project(dataset=config), dataset)
    assert experiment.network.sizes == [2, 3, 3]
    assert np.allclose(experiment.train_set.X.mean(axis=0), 0)  # standardised
    experiment.trainer.train(epochs=300)
    assert experiment.trainer.evaluate(experiment.train_set)[1] > 0.9


def test_choosing_the_target_and_forcing_regression(qtbot, open_dialog):
    dialog = open_dialog(GOOD / "integer_labels.csv")
    assert dialog.task_box.currentData() == "classification"
    dialog.target_box.setCurrentText("f1")
    f1 = dialog.columns.topLevelItem(0)
    assert f1.isDisabled() and f1.text(1) == "the target"
    assert dialog.feature_columns() == [1, 2]  # the old target is a feature again
    dialog.target_box.setCurrentText("digit")
    dialog.task_box.setCurrentIndex(dialog.task_box.findData("regression"))
    assert "Regression: target values from 0 to 2" in dialog.summary.text()
    dialog.standardize_box.setChecked(False)
    import_now(qtbot, dialog)
    assert dialog.config.task == "regression" and dialog.config.standardize is False
    assert dialog.config.features == ["f1", "f2"] and dialog.config.target == "digit"
    assert dialog.dataset.task == "regression" and dialog.dataset.y.dtype == np.float64


def test_no_feature_ticked_means_no_import(open_dialog):
    dialog = open_dialog(GOOD / "tab.csv")
    dialog.set_features([])
    assert not dialog.ok_button.isEnabled()
    assert "Tick at least one feature" in dialog.summary.text()
    dialog.accept()  # does nothing
    assert dialog.isVisible() and dialog.dataset is None


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_bad_file_shows_the_error_and_gives_nothing(qtbot, open_dialog, name):
    dialog = open_dialog(BAD / name)
    if dialog.preview is not None:  # the file reads; the import stops at the bad cell
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: dialog.error_box is not None and dialog.error_box.isVisible(),
                        timeout=10_000)
    box = dialog.error_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Warning
    message = error_text(box)
    for part in MANIFEST[name]:
        assert part in message, (part, message)
    assert "data you had loaded is unchanged" in message
    opened = dialog.preview is None
    box.button(QMessageBox.StandardButton.Ok).click()
    if opened:  # a file that cannot even be previewed closes the dialog with its box
        qtbot.waitUntil(lambda: not dialog.isVisible())
    else:  # else the user may change the choices, or cancel
        assert dialog.isVisible() and dialog.ok_button.isEnabled()
        dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.config is None and dialog.dataset is None


def test_a_bad_cell_can_be_left_out(qtbot, open_dialog):
    dialog = open_dialog(BAD / "missing_feature_na.csv")
    assert "x2" in dialog.summary.text() and "line 5" in dialog.summary.text()
    row = dialog.preview.lines.index(5)
    assert dialog.table.item(row, 1).background().color().name() == "#fbd5d0"
    dialog.set_features(["x1"])
    assert dialog.table.item(row, 1).background().style() == Qt.BrushStyle.NoBrush
    import_now(qtbot, dialog)
    assert dialog.dataset.feature_names == ["x1"] and dialog.dataset.n_samples == 4


def test_delimiter_and_header_overrides_update_the_preview(qtbot, open_dialog):
    dialog = open_dialog(GOOD / "no_header.csv")
    assert not dialog.header_box.isChecked() and dialog.table.rowCount() == 4
    assert dialog.header_box.text().endswith("(detected)")
    with qtbot.waitSignal(dialog.sigPreviewed, timeout=10_000):
        dialog.header_box.setChecked(True)
    assert dialog.table.rowCount() == 3 and dialog.preview.header
    assert not dialog.header_box.text().endswith("(detected)")
    assert dialog.table.horizontalHeaderItem(0).text() == "0.1"
    with qtbot.waitSignal(dialog.sigPreviewed, timeout=10_000):
        dialog.header_box.setChecked(False)
    assert dialog.table.rowCount() == 4
    with qtbot.waitSignal(dialog.sigPreviewed, timeout=10_000):
        dialog.delimiter_box.setCurrentIndex(dialog.delimiter_box.findData(";"))
    assert dialog.preview is None and "has only one column" in dialog.summary.text()
    assert not dialog.ok_button.isEnabled() and dialog.table.rowCount() == 0
    assert dialog.delimiter_box.isEnabled()  # so the user can choose again
    with qtbot.waitSignal(dialog.sigPreviewed, timeout=10_000):
        dialog.delimiter_box.setCurrentIndex(dialog.delimiter_box.findData(","))
    assert dialog.table.rowCount() == 4 and dialog.ok_button.isEnabled()
    import_now(qtbot, dialog)
    assert dialog.config.header is False and dialog.config.features == [0, 1]
    assert dialog.config.target == 2 and dialog.config.delimiter == ","


def big_file(tmp_path: Path, rows: int = 50_000) -> Path:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 6)).round(6)
    labels = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as file:
        file.write("a,b,c,d,e,f,label\n")
        file.writelines(f"{','.join(map(str, x))},{label}\n" for x, label in zip(X, labels))
    return path


def test_a_big_file_loads_without_freezing_the_window(qtbot, open_dialog, tmp_path):
    dialog = open_dialog(big_file(tmp_path))
    assert dialog.preview.n_rows == 50_000
    ticks, busy_seen = [], []
    clock = QElapsedTimer()
    clock.start()

    def tick() -> None:
        ticks.append(clock.elapsed())
        busy_seen.append(dialog.busy_shown)

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    import_now(qtbot, dialog)
    took = clock.elapsed()
    timer.stop()
    assert dialog.dataset.X.shape == (50_000, 6) and dialog.dataset.class_names == ["no", "yes"]
    # the window's event loop ran all along: a read in its own thread would show as one
    # gap as long as the read; here the timer kept ticking, on a slow machine or a fast one
    gaps = np.diff([0, *ticks, took])
    assert len(ticks) >= 5 and max(gaps) < took / 2, (took, gaps.max(), len(ticks))
    if took > 2 * BUSY_AFTER_MS:  # long enough for the busy bar to show
        assert any(busy_seen)


def test_cancel_while_loading_drops_the_result(qtbot, open_dialog, tmp_path):
    dialog = open_dialog(big_file(tmp_path, 20_000))
    dialog.ok_button.click()
    assert not dialog.ok_button.isEnabled() and not dialog.columns.isEnabled()
    dialog.reject()
    QThreadPool.globalInstance().waitForDone(20_000)
    QApplication.processEvents()  # the finished read's queued result arrives, and is dropped
    assert dialog.dataset is None and dialog.result() == QDialog.DialogCode.Rejected


def close_modal_when(predicate, action) -> QTimer:
    """Poll the event loop for a modal widget; act on it once it is there."""
    timer = QTimer()

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and predicate(widget):
            timer.stop()
            action(widget)

    timer.timeout.connect(check)
    timer.start(20)
    return timer


def test_ask_csv_dataset_returns_the_import(qtbot):
    def ready(widget):
        return isinstance(widget, CsvImportDialog) and widget.preview is not None

    timer = close_modal_when(ready, lambda dialog: dialog.ok_button.click())
    config, dataset = ask_csv_dataset(None, GOOD / "string_labels.csv")
    timer.stop()
    assert config.target == "species" and dataset.class_names == ["setosa", "versicolor", "virginica"]


def test_ask_csv_dataset_on_a_bad_file_returns_none(qtbot):
    def press_ok(box):
        box.button(QMessageBox.StandardButton.Ok).click()

    timer = close_modal_when(lambda widget: isinstance(widget, QMessageBox), press_ok)
    assert ask_csv_dataset(None, BAD / "png_renamed.csv") is None
    timer.stop()


@pytest.mark.parametrize("name, shape, task", [("iris", (150, 4), "multiclass"),
                                               ("diabetes", (442, 10), "regression")])
def test_shipped_datasets_import_and_their_projects_train(qtbot, open_dialog, name, shape, task):
    dialog = open_dialog(DATASETS / f"{name}.csv")
    assert all(column.usable_as_feature for column in dialog.preview.columns[:-1])
    import_now(qtbot, dialog)
    assert dialog.dataset.X.shape == shape and dialog.dataset.task == task
    project = load_project(resource_dir() / "projects" / f"{name}.json")
    assert project.csv_path().resolve() == (DATASETS / f"{name}.csv").resolve()
    experiment = Experiment.from_project(project)
    assert experiment.dataset.X.shape == shape and experiment.dataset.task == task
    experiment.trainer.train()
    train_metric = experiment.trainer.evaluate(experiment.train_set)[1]
    assert train_metric > (0.9 if task == "multiclass" else 0.4)  # accuracy, or R²


def test_background_call_reports_a_bug_in_words_and_only_the_latest_result(qtbot):
    owner = QObject()
    call = BackgroundCall(owner)
    done, failed = [], []

    def boom() -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(call.sigFinished, timeout=10_000):
        call.start(boom, done.append, failed.append)
    assert failed == ["failed unexpectedly (ValueError: boom); please report this"] and not done
    call.start(lambda: "old", done.append, failed.append)
    with qtbot.waitSignal(call.sigFinished, timeout=10_000):
        call.start(lambda: "new", done.append, failed.append)
    QThreadPool.globalInstance().waitForDone(10_000)
    QApplication.processEvents()  # the old job's queued result arrives, and is dropped
    assert done == ["new"] and not call.running
