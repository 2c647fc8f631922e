"""The File menu and toolbar: open a project (also a recent one, an example, or a file
dropped on the window), open CSV data, save (with the trained weights beside the
project), save as, export a plot, quit. Opening anything else, or quitting, first asks
about unsaved changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStyle, QToolBar

from ..core.config import write_text_atomic
from ..core.errors import ProjectError
from ..core.export import weights_json
from ..core.saved_weights import save_trained
from ..resources import example_projects, resource_dir
from .export_plots import FILTERS, export_plot
from .lab_panel import menu_title

if TYPE_CHECKING:
    from .main_window import MainWindow

PROJECT_FILTER = "Project files (*.json);;All files (*)"


class FileActions:
    def __init__(self, window: MainWindow, make_action) -> None:
        self.window = window
        icon = window.style().standardIcon
        SP = QStyle.StandardPixmap
        self.open = make_action("&Open project…", QKeySequence.StandardKey.Open,
                                "Open a project or lab file (Ctrl+O)", icon(SP.SP_DialogOpenButton),
                                self.open_project)
        self.open_csv = make_action("Open &CSV data…", "Ctrl+Shift+O",
                                    "Train on your own data: a CSV file, with a preview to choose the "
                                    "features and the target (Ctrl+Shift+O; or drop the file on the "
                                    "window)", icon(SP.SP_FileIcon), self.open_csv_file)
        self.save = make_action("&Save", QKeySequence.StandardKey.Save,
                                "Save the project and its trained weights (Ctrl+S)",
                                icon(SP.SP_DialogSaveButton), self.save_project)
        self.save_as = make_action("Save &as…", QKeySequence.StandardKey.SaveAs,
                                   "Save the project and its weights under another name (Ctrl+Shift+S)",
                                   icon(SP.SP_DialogSaveButton), self.save_project_as)
        self.quit = make_action("&Quit", "Ctrl+Q", "Quit (Ctrl+Q)", icon(SP.SP_DialogCloseButton),
                                window.close)
        self.recent_menu = QMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction(self.open)
        menu.addMenu(self.recent_menu)
        menu.addAction(self.open_csv)
        examples = menu.addMenu("&Examples")
        for path in example_projects():
            action = examples.addAction(menu_title(path))
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p, example=True))
        menu.addSeparator()
        menu.addAction(self.save)
        menu.addAction(self.save_as)
        menu.addAction("Save as &Lab…", self.save_as_lab)
        menu.addSeparator()
        scripts = menu.addMenu("Export as &code")
        scripts.addAction("&Python script (NumPy)…", lambda: self.export_script("numpy"))
        scripts.addAction("Py&Torch script…", lambda: self.export_script("torch"))
        scripts.addSeparator()
        scripts.addAction("&Weights (.npz)…", lambda: self.export_weights("npz"))
        scripts.addAction("Weights (&JSON)…", lambda: self.export_weights("json"))
        export = menu.addMenu("E&xport plot")
        for panel in (self.window.cost, self.window.boundary, self.window.gradients):
            for name, item in panel.plot_items().items():
                action = export.addAction(f"{name.capitalize()}…")
                action.triggered.connect(lambda checked=False, n=name, i=item: self.export(n, i))
        menu.addSeparator()
        menu.addAction(self.quit)

    def toolbar(self) -> QToolBar:
        files = QToolBar("Files")
        files.setObjectName("toolbar-files")
        files.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in (self.open, self.open_csv, self.save):
            files.addAction(action)
        return files

    # -- opening ----------------------------------------------------------------------------

    def open_project(self) -> None:
        folder = str(self.window.document.path.parent) if self.window.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", folder, PROJECT_FILTER)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path, example: bool = False) -> bool:
        """Open a project file (an example opens as untitled: saving it asks where)."""
        if not self.maybe_save():
            return False
        document = self.window.document
        if not document.open(path):
            if not path.exists():
                document.forget(path)
            return False
        if example:
            document.mark_saved(None)
        self.window.undo_stack.clear()  # another network: the old one's edits do not apply
        self.window.kept_runs.clear()  # another lesson: the runs of the last one are not compared
        return True

    def open_csv_file(self, path: str | Path | None = None) -> bool:
        """Import a CSV file through the import dialog (asked for when `path` is None) and
        train on it; a bad file is explained there and changes nothing."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Open CSV data", str(resource_dir() / "datasets"),
                "CSV files (*.csv *.tsv *.txt);;All files (*)")
            if not path:
                return False
        from .csv_import import ask_csv_dataset  # when asked: not at start-up

        result = ask_csv_dataset(self.window, path)
        return result is not None and self.window.changes.use_csv_data(*result, Path(path).stem)

    def open_dropped(self, path: Path) -> bool:
        """A file dropped on the window: a project if it is .json, else data."""
        return self.open_path(path) if path.suffix.lower() == ".json" else self.open_csv_file(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.window.document.recent()
        if not paths:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for path in paths:
            action = QAction(path.name, self.recent_menu)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)

    # -- saving -----------------------------------------------------------------------------

    def save_project(self) -> bool:
        path = self.window.document.path
        return self.window.document.save(path) if path is not None else self.save_project_as()

    def save_project_as(self) -> bool:
        document = self.window.document
        session = self.window.session
        name = (session.project.name if session.project is not None else "") or "project"
        suggested = document.path or Path(f"{name}.json")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project", str(suggested), PROJECT_FILTER)
        if not path:
            return False
        path = Path(path) if Path(path).suffix else Path(path).with_suffix(".json")
        return document.save(path)

    def save_as_lab(self) -> bool:
        """Make a lab of the running project: instructions, tasks, goals, locks."""
        project = self.window.session.project
        if project is None:
            return False
        from .lab_writer import LabWriter  # when asked: not at start-up

        writer = LabWriter(project, self.window)
        try:
            if writer.exec() != LabWriter.DialogCode.Accepted or writer.saved_to is None:
                return False
            self.window.banner.show_message(f"Saved the lab {writer.saved_to.name}: open it from File ▸ "
                                            "Open, or check it with <tt>backprop-gui lab check</tt>.", "info")
            return True
        finally:
            writer.deleteLater()

    def maybe_save(self) -> bool:
        """Before what would lose unsaved changes: ask to save them. False: the user
        cancelled (or saving failed), so do not go on."""
        if not self.window.document.changed():
            return True
        name = self.window.document.path.name if self.window.document.path else "This project"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"<b>{name}</b> has changes that are not saved: settings, data, network or "
                          "trained weights.", parent=self.window)
        box.setInformativeText("Save them first?")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_project()
        return answer == QMessageBox.StandardButton.Discard

    # -- code and plots ----------------------------------------------------------------------

    def export_weights(self, kind: str) -> bool:
        """The trained weights alone: NumPy's .npz (what the scripts and weights.npz use)
        or JSON, to read or to load elsewhere."""
        session = self.window.session
        if session.experiment is None:
            return False
        path, _ = QFileDialog.getSaveFileName(self.window, "Export the weights", f"weights.{kind}",
                                              "JSON (*.json)" if kind == "json" else "NumPy (*.npz)")
        if not path:
            return False
        weights, epoch = self.window.document.trained()
        try:
            if kind == "json":
                write_text_atomic(Path(path), weights_json(weights, session.experiment.network.sizes, epoch))
            else:
                save_trained(Path(path), weights, epoch)
        except OSError as exc:
            self.window.banner.show_message(f"Could not export to {Path(path).name}: "
                                            f"{exc.strerror or exc}", "error")
            return False
        self.window.banner.show_message(f"Wrote the weights (epoch {epoch:,}) to {Path(path).name}.", "info")
        return True

    def export_script(self, kind: str) -> bool:
        """The running project and its weights as a script that trains it with NumPy alone
        (or PyTorch), the same maths, step for step."""
        session = self.window.session
        if session.project is None:
            return False
        stem = (self.window.document.path.stem if self.window.document.path else
                session.project.name.replace(" ", "-") or "network")
        label = "PyTorch" if kind == "torch" else "NumPy"
        path, _ = QFileDialog.getSaveFileName(self.window, f"Export as a {label} script",
                                              f"{stem}-{kind}.py", "Python files (*.py)")
        if not path:
            return False
        from ..core.export_script import write_numpy_script  # when asked: not at start-up
        from ..core.export_torch import write_torch_script

        write = write_torch_script if kind == "torch" else write_numpy_script
        weights, epoch = self.window.document.trained()
        try:
            written = write(session.project, weights if epoch > 0 else None, Path(path))
        except OSError as exc:
            self.window.banner.show_message(f"Could not export to {Path(path).name}: "
                                            f"{exc.strerror or exc}", "error")
            return False
        except ProjectError as exc:  # the data (a CSV gone) or the weights
            self.window.banner.show_message(f"Could not export the script: {exc}", "error")
            return False
        names = ", ".join(p.name for p in written)
        self.window.banner.show_message(f"Wrote {names}: run it with <tt>python {Path(path).name}</tt>.",
                                        "info")
        return True


    def export(self, name: str, item) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, f"Export the {name} plot",
                                              f"{name.replace(' ', '-')}.png", FILTERS)
        if not path:
            return
        try:
            export_plot(item, path)
        except OSError as exc:
            self.window.banner.show_message(f"Could not export to {Path(path).name}: "
                                            f"{exc.strerror or exc}", "error")
        except Exception as exc:  # pyqtgraph's exporters raise what they raise
            self.window.banner.show_message(f"Could not export the {name} plot: "
                                            f"{type(exc).__name__}: {exc}", "error")
