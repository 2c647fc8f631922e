"""The window's commands: menus, toolbar and keyboard shortcuts, and what each does.

Single-key shortcuts (Space, R, E, B) are window-wide; a text field that has the focus
takes the key first, so typing a space or an "r" into a field never trains or resets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QStyle, QToolBar

from .. import __version__
from ..core.config import load_project, save_project
from ..core.errors import ProjectError
from ..resources import example_projects, resource_dir
from .csv_import import ask_csv_dataset
from .export_plots import FILTERS, export_plot

if TYPE_CHECKING:
    from .main_window import MainWindow

#: (label, epochs a second; 0 = as fast as the machine can)
SPEEDS = [("Full speed", 0.0), ("3,000 epochs/s", 3000.0), ("1,000 epochs/s", 1000.0),
          ("300 epochs/s", 300.0), ("100 epochs/s", 100.0), ("20 epochs/s", 20.0)]
DEFAULT_SPEED = 3  # 300 epochs/s: the XOR preset learns in about eight seconds
ABOUT = (f"<h3>backprop-gui {__version__}</h3><p>Watch backpropagation train a neural network: "
         "the cost, the decision boundary and every layer's gradient, live.</p>"
         "<p>Python, NumPy, PySide6 (Qt 6) and pyqtgraph.</p>")
HELP = (
    "<h3>What the window shows</h3>"
    "<p><b>Network</b>: neurons by layer; links blue for positive weights, orange for negative, "
    "thicker for larger |w|. Edit it with the mouse: − and + on a hidden layer remove and add "
    "neurons, its activation button chooses its function, + between layers inserts a layer and × "
    "removes one (also in the right-click menu). Double-click a link or a neuron to type a new "
    "weight or bias. Every edit can be undone.</p>"
    "<p><b>Cost</b>: the loss on the training set (and the validation set, dashed) after each "
    "epoch. Falling is learning; a validation loss rising while the training loss falls is "
    "over-fitting.</p>"
    "<p><b>Decision boundary</b>: the network's output over the plane, with the data on top "
    "(validation points as hollow squares).</p>"
    "<p><b>Gradients per layer</b>: the size of dW for each layer. Each layer's gradient is the "
    "next one's times W and the activation's derivative f'; when f' is small (saturated sigmoid) "
    "or zero (dead ReLU), the gradient shrinks on its way back and the first layers stop "
    "learning: vanishing gradients. Too large a learning rate makes them grow without bound.</p>"
    "<h3>Keys</h3><p>Space train/pause · E step one epoch · B step one batch · R reset weights · "
    "Ctrl+Z undo · Ctrl+Shift+Z redo · Ctrl+O open · Ctrl+Shift+O open CSV data · Ctrl+Q quit</p>")


class Actions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        style = window.style()
        icon = style.standardIcon
        self.train = self._action("&Train", "Space", "Train, or pause (Space)",
                                  icon(QStyle.StandardPixmap.SP_MediaPlay), window.session.toggle)
        self.step_epoch = self._action("Step one &epoch", "E", "Train one epoch, then pause (E)",
                                       icon(QStyle.StandardPixmap.SP_MediaSkipForward),
                                       window.session.step_epoch)
        self.step_batch = self._action("Step one &batch", "B", "Train one mini-batch, then pause (B)",
                                       icon(QStyle.StandardPixmap.SP_MediaSeekForward),
                                       window.session.step_batch)
        self.reset = self._action("&Reset weights", "R", "New initial weights, back to epoch 0 (R)",
                                  icon(QStyle.StandardPixmap.SP_BrowserReload), self.reset_weights)
        self.open = self._action("&Open project…", QKeySequence.StandardKey.Open,
                                 "Open a project file", icon(QStyle.StandardPixmap.SP_DialogOpenButton),
                                 self.open_project)
        self.open_csv = self._action("Open &CSV data…", "Ctrl+Shift+O",
                                     "Train on your own data: a CSV file, with a preview to choose "
                                     "the features and the target (Ctrl+Shift+O; or drop the file "
                                     "on the window)", icon(QStyle.StandardPixmap.SP_FileIcon),
                                     self.open_csv_file)
        self.save = self._action("&Save project as…", QKeySequence.StandardKey.SaveAs,
                                 "Save these settings as a project file",
                                 icon(QStyle.StandardPixmap.SP_DialogSaveButton), self.save_project)
        self.quit = self._action("&Quit", QKeySequence.StandardKey.Quit, "Quit (Ctrl+Q)",
                                 icon(QStyle.StandardPixmap.SP_DialogCloseButton), window.close)
        self.quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.speed = QComboBox()
        self.speed.addItems([label for label, _ in SPEEDS])
        self.speed.setToolTip("How fast to train: slow it down to watch each change, or let it run "
                              "at full speed.")
        self.speed.currentIndexChanged.connect(self._speed_changed)
        self._menus()
        self._toolbar()
        saved = window.settings.value("training/speed", DEFAULT_SPEED)
        index = int(saved) if str(saved).isdigit() and int(saved) < len(SPEEDS) else DEFAULT_SPEED
        self.speed.setCurrentIndex(index)
        self._speed_changed(index)

    def _action(self, text, shortcut, tip, icon, slot) -> QAction:
        action = QAction(icon, text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        self.window.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.window.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.open)
        file.addAction(self.open_csv)
        examples = file.addMenu("&Examples")
        for path in example_projects():
            action = examples.addAction(path.stem.replace("-", " ").capitalize())
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
        file.addAction(self.save)
        file.addSeparator()
        export = file.addMenu("E&xport plot")
        for panel in (self.window.cost, self.window.boundary, self.window.gradients):
            for name, item in panel.plot_items().items():
                action = export.addAction(f"{name.capitalize()}…")
                action.triggered.connect(lambda checked=False, n=name, i=item: self.export(n, i))
        file.addSeparator()
        file.addAction(self.quit)
        edit = bar.addMenu("&Edit")
        stack = self.window.undo_stack
        self.undo = stack.createUndoAction(self.window, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = stack.createRedoAction(self.window, "&Redo")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        for action in (self.undo, self.redo):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)
            edit.addAction(action)
        training = bar.addMenu("&Training")
        for action in (self.train, self.step_epoch, self.step_batch, self.reset):
            training.addAction(action)
        speed = training.addMenu("&Speed")
        group = QActionGroup(self.window)
        self.speed_actions = []
        for index, (label, _) in enumerate(SPEEDS):
            action = speed.addAction(label)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda checked=False, i=index: self.speed.setCurrentIndex(i))
            self.speed_actions.append(action)
        view = bar.addMenu("&View")
        for dock in self.window.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        view.addAction("Reset &layout", self.window.reset_layout)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction("What the window &shows", lambda: QMessageBox.information(
            self.window, "What the window shows", HELP))
        help_menu.addAction("&About backprop-gui", lambda: QMessageBox.about(
            self.window, "About backprop-gui", ABOUT))

    def _toolbar(self) -> None:
        files = QToolBar("Files")
        files.setObjectName("toolbar-files")
        files.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in (self.open, self.open_csv, self.save):
            files.addAction(action)
        self.window.addToolBar(files)
        toolbar = QToolBar("Training")
        toolbar.setObjectName("toolbar-training")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.train, self.step_epoch, self.step_batch, self.reset):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.speed)
        self.window.addToolBar(toolbar)

    # -- what they do -------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        style = self.window.style()
        pixmap = QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay
        self.train.setIcon(style.standardIcon(pixmap))
        self.train.setText("&Pause" if running else "&Train")

    def reset_weights(self) -> None:
        self.window.session.reset()

    def _speed_changed(self, index: int) -> None:
        self.window.session.set_speed_limit(SPEEDS[index][1])
        self.speed_actions[index].setChecked(True)
        self.window.settings.setValue("training/speed", index)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", "",
                                              "Project files (*.json);;All files (*)")
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        try:
            project = load_project(path)
        except ProjectError as exc:
            self.window.banner.show_message(f"Could not open the project: {exc}", "error")
            return False
        if not self.window.load_project(project):
            return False
        self.window.undo_stack.clear()  # another network: the old one's edits do not apply
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
        result = ask_csv_dataset(self.window, path)
        return result is not None and self.window.changes.use_csv_data(*result, Path(path).stem)

    def open_dropped(self, path: Path) -> bool:
        """A file dropped on the window: a project if it is .json, else data."""
        return self.open_path(path) if path.suffix.lower() == ".json" else self.open_csv_file(path)

    def save_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project", "project.json",
                                              "Project files (*.json)")
        if not path:
            return
        try:
            save_project(self.window.edited_project(), path)
        except OSError as exc:
            self.window.banner.show_message(f"Could not save {Path(path).name}: "
                                            f"{exc.strerror or exc}", "error")

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
