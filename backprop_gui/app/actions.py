"""The window's commands: menus, toolbar and keyboard shortcuts, and what each does.

Single-key shortcuts (Space, R, E, B) are window-wide; a text field that has the focus
takes the key first, so typing a space or an "r" into a field never trains or resets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QMessageBox, QStyle, QToolBar

from .. import __version__
from ..core.lab import built_in_labs
from .file_actions import FileActions
from .gradient_check_view import CHECK_TIP
from .lab_panel import lab_title
from .panels.inspector import TIPS
from .runs_panel import KEEP_TIP

if TYPE_CHECKING:
    from .main_window import MainWindow

#: (label, epochs a second; 0 = as fast as the machine can)
SPEEDS = [("Full speed", 0.0), ("3,000 epochs/s", 3000.0), ("1,000 epochs/s", 1000.0),
          ("300 epochs/s", 300.0), ("100 epochs/s", 100.0), ("20 epochs/s", 20.0)]
INSPECTOR_HEIGHT = 380  # px: the Inspector's dock when it is asked for
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
    "<p><b>Kept runs</b>: Training ▸ Keep this run (K) leaves a run's curves in the cost and "
    "gradient plots, fainter and labelled by the settings that differ (\"lr 0.1\", \"relu\"), "
    "to compare with the next run; the Kept runs tab lists their settings and final numbers.</p>"
    "<p><b>Inspector</b>: Training ▸ Inspect the next step (I) takes one training step apart: the "
    "forward pass layer by layer (z = a·W + b, a = f(z)), the loss, the backward pass (dZ = dA ⊙ "
    "f'(z), dW = aᵀ·dZ, db, dA = dZ·Wᵀ) and the update, each with its numbers and marked on the "
    "network. Nothing changes until <i>Apply this step</i>. <i>Check the gradients</i> compares "
    "backprop with finite differences for every parameter.</p>"
    "<p><b>Timeline</b> (under the network): drag back through the run to see the network, the "
    "boundary and the gradients at that epoch; <i>Resume here</i> trains on from there.</p>"
    "<h3>Keys</h3><p>Space train/pause · E step one epoch · B step one batch · R reset weights · "
    "I inspect the next step · Alt+← Alt+→ its stages · K keep this run · Ctrl+Z undo · "
    "Ctrl+Shift+Z redo · Ctrl+O open · Ctrl+Shift+O open CSV data · "
    "Ctrl+S save · Ctrl+Q quit</p>")


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
        self.keep_run = self._action("&Keep this run", "K", KEEP_TIP,
                                     icon(QStyle.StandardPixmap.SP_DialogSaveButton), window.keep_run)
        self.keep_run.setEnabled(False)  # until a run has trained
        inspector = window.inspector
        self.inspect = self._action("&Inspect the next step", "I", TIPS["inspect"],
                                    icon(QStyle.StandardPixmap.SP_FileDialogContentsView),
                                    self.inspect_step)
        self.previous_stage = self._action("&Previous stage", "Alt+Left", TIPS["previous"],
                                           icon(QStyle.StandardPixmap.SP_ArrowBack), inspector.previous)
        self.next_stage = self._action("&Next stage", "Alt+Right", TIPS["next"],
                                       icon(QStyle.StandardPixmap.SP_ArrowForward), inspector.next)
        self.check_gradients = self._action("&Check the gradients", "", CHECK_TIP,
                                            icon(QStyle.StandardPixmap.SP_DialogYesButton),
                                            self.check_gradients_now)
        self.files = FileActions(window, self._action)
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
        self.files.fill_menu(bar.addMenu("&File"))
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
        training.addSeparator()
        training.addAction(self.keep_run)
        training.addSeparator()
        for action in (self.inspect, self.previous_stage, self.next_stage, self.check_gradients):
            training.addAction(action)
        training.addSeparator()
        speed = training.addMenu("&Speed")
        group = QActionGroup(self.window)
        self.speed_actions = []
        for index, (label, _) in enumerate(SPEEDS):
            action = speed.addAction(label)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda checked=False, i=index: self.speed.setCurrentIndex(i))
            self.speed_actions.append(action)
        self.labs = bar.addMenu("&Labs")
        self.labs.aboutToShow.connect(self._fill_labs)
        self._fill_labs()
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
        self.window.addToolBar(self.files.toolbar())
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

    def show_inspector(self) -> None:
        """Its tab raised, and tall enough for a stage's numbers (at most 45% of the window)."""
        dock = self.window.docks["inspector"]
        dock.show()
        dock.raise_()
        wanted = min(INSPECTOR_HEIGHT, int(self.window.height() * 0.45))
        if dock.height() < wanted:
            self.window.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)

    def inspect_step(self) -> None:
        self.show_inspector()
        self.window.inspector.inspect()

    def check_gradients_now(self) -> None:
        self.show_inspector()
        inspector = self.window.inspector
        inspector.tabs.setCurrentWidget(inspector.check)
        inspector.check.start()

    def reset_weights(self) -> None:
        self.window.session.reset()

    def _speed_changed(self, index: int) -> None:
        self.window.session.set_speed_limit(SPEEDS[index][1])
        self.speed_actions[index].setChecked(True)
        self.window.settings.setValue("training/speed", index)

    def _fill_labs(self) -> None:
        """The built-in labs, by their titles, in lesson order (read when the menu opens)."""
        self.labs.clear()
        for path in built_in_labs():
            action = self.labs.addAction(lab_title(path))
            action.setStatusTip(f"Open the lab {path.name}")
            action.triggered.connect(lambda checked=False, p=path: self.files.open_path(p, example=True))

