"""The main window: the network in the middle, settings on the left, the live plots
around it in docks the user may move; menus, a toolbar and a status bar.

It only lays things out and routes: the session trains (on its thread), the panels edit
settings, the plots draw snapshots, `actions.py` holds the commands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.boundary import BoundaryGrid
from ..core.config import Project
from ..core.data import Dataset
from ..core.errors import ProjectError
from ..core.experiment import Experiment
from ..core.lab import Lab
from ..core.snapshot import Snapshot
from .actions import Actions
from .banner import Banner
from .changes import Changes
from .document import Document
from .lab_panel import LabPanel, lock_controls
from .network_editor import NetworkEditor
from .panels.dataset import DatasetPanel
from .panels.hyperparams import HyperParameterPanel
from .panels.inspector import InspectorPanel
from .plots.boundary import BoundaryPlot
from .plots.confusion import ConfusionView
from .plots.cost import CostPlot
from .plots.gradients import GradientPanel
from .run_keeper import RunKeeper
from .runs_panel import RunsPanel
from .session import TrainingSession
from .status import StatusBar
from .timeline_bar import TimelineBar

DEFAULT_SIZE = (1280, 760)
#: cells a side of a neuron's picture in the network editor
UNIT_PICTURE_CELLS = 40
SETTINGS_VERSION = 5  # bump when the docks change, so an old saved layout is not restored


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle("backprop-gui")
        self.settings = settings if settings is not None else QSettings("backprop-gui", "backprop-gui")
        self.session = TrainingSession(self)
        self.document = Document(self, self.settings)
        self.undo_stack = QUndoStack(self)
        self.network_view = NetworkEditor()
        self.banner = Banner()
        self.cost = CostPlot()
        self.boundary = BoundaryPlot()
        self.gradients = GradientPanel()
        self.confusion = ConfusionView()
        self.lab_panel = LabPanel()
        self.data_panel = DatasetPanel()
        self.hyper = HyperParameterPanel()
        self.kept_runs = RunKeeper(self)
        self.runs_panel = RunsPanel(self.kept_runs)
        self.inspector = InspectorPanel(self.session, self.network_view)
        self.timeline = TimelineBar(self)
        self.pending = self._pending_bar()
        self._lab_waits_for_show = False  # a lab set before the window showed: raised then
        self._build_layout()
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.actions = Actions(self)
        self.changes = Changes(self)
        self._connect()
        self.setAcceptDrops(True)  # a CSV file or a project dropped on the window opens
        self._restore()

    # -- layout -----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        title = QLabel("Network")
        title.setObjectName("title")
        layout.addWidget(title)
        layout.addWidget(self.network_view, 1)
        layout.addWidget(self.timeline)
        self.setCentralWidget(central)
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.data_panel)
        column.addWidget(self.hyper)
        column.addWidget(self.pending)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(290)
        self.docks = {}
        for name, title, widget, area in (
            ("settings", "Data and hyper-parameters", scroll, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("boundary", "Decision boundary", self.boundary, Qt.DockWidgetArea.RightDockWidgetArea),
            ("cost", "Cost", self.cost, Qt.DockWidgetArea.RightDockWidgetArea),
            ("confusion", "Confusion matrix", self.confusion, Qt.DockWidgetArea.RightDockWidgetArea),
            ("lab", "Lab", self.lab_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("gradients", "Gradients per layer", self.gradients, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("runs", "Kept runs", self.runs_panel, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("inspector", "Inspector", self.inspector, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        # no dock animation: it also animates every re-layout, with a QPropertyAnimation
        # per dock, which a live plot's label can ask for on any frame
        self.setDockOptions(self.dockOptions() & ~QMainWindow.DockOption.AnimatedDocks)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.docks["settings"], self.docks["lab"])  # a lab's panel: a tab beside
        self.docks["lab"].hide()  # shown with a lab
        self.tabifyDockWidget(self.docks["gradients"], self.docks["runs"])  # a tab beside the gradients
        self.tabifyDockWidget(self.docks["runs"], self.docks["inspector"])
        self.docks["inspector"].visibilityChanged.connect(self.inspector.set_shown)
        self.docks["gradients"].raise_()

    def _size_docks(self) -> None:
        """The docks' first sizes, set once the window has its size (before, Qt would
        share them out again in proportion to the docks' minimum sizes)."""
        self.layout().activate()
        self.resizeDocks([self.docks["settings"], self.docks["boundary"]], [300, 440],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["boundary"], self.docks["cost"], self.docks["confusion"]],
                         [280, 260, 190], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["gradients"]], [260], Qt.Orientation.Vertical)

    def _pending_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("pending")
        self.pending_label = QLabel("These changes need new weights.")
        self.pending_label.setWordWrap(True)
        self.apply_button = QPushButton("Apply and reset")
        self.apply_button.setToolTip("Rebuild the network with the new settings and start from "
                                     "epoch 0 (the training so far is discarded).")
        self.undo_button = QPushButton("Undo changes")
        self.undo_button.setToolTip("Put the settings back as they are in the running network.")
        layout = QVBoxLayout(bar)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.pending_label)
        row = QHBoxLayout()
        row.addWidget(self.apply_button)
        row.addWidget(self.undo_button)
        layout.addLayout(row)
        bar.setStyleSheet("#pending { background: #fff8e1; border: 1px solid #d69e2e; border-radius: 3px; }")
        bar.hide()
        return bar

    def _connect(self) -> None:
        s = self.session
        s.sigExperiment.connect(self._on_experiment)
        s.sigSnapshot.connect(self._on_snapshot)
        s.sigRunning.connect(self._on_running)
        s.sigFailed.connect(lambda message: self.banner.show_message(message, "error"))
        self.boundary.sigAxesChanged.connect(s.set_axes)
        self.boundary.sigAxesChanged.connect(self._set_input_plane)
        self.network_view.sigShowUnit.connect(s.show_unit)
        self.hyper.sigLive.connect(self._live_settings)
        self.hyper.sigNeedsReset.connect(self._settings_need_reset)
        self.data_panel.sigChanged.connect(self._settings_need_reset)
        self.apply_button.clicked.connect(self.apply_settings)
        self.undo_button.clicked.connect(self.undo_settings)
        self.kept_runs.sigChanged.connect(self._show_kept_runs)
        self.runs_panel.sigKeep.connect(self.keep_run)
        self.timeline.connect_session()
        # a step taken apart is now's: the network view leaves the past to show it
        s.sigInspected.connect(lambda inspection: self.timeline.looking and self.timeline.show_now())

    # -- projects -----------------------------------------------------------------------------

    def load_project(self, project: Project, dataset: Dataset | None = None,
                     trained: tuple[dict, int] | None = None) -> bool:
        """Train this project from now on (on `dataset` if given: the project's data, already
        loaded; from `trained` weights and epoch if given); on a bad project say why and keep
        the current one (False)."""
        try:
            self.session.load(project, dataset, trained)
        except ProjectError as exc:
            self.banner.show_message(f"Could not use these settings: {exc}", "error")
            return False
        except MemoryError:
            self.banner.show_message("Out of memory: use fewer samples or a smaller network.", "error")
            return False
        self.banner.hide()
        self.pending.hide()
        self.data_panel.set_project(project, self.session.experiment.dataset)
        self.hyper.set_project(project)
        self.show_title()
        return True

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            # after the drop returns: the import dialog runs its own event loop
            QTimer.singleShot(0, lambda: self.actions.files.open_dropped(path))

    def set_lab(self, lab: Lab | None) -> None:
        """Show a lab in its panel (beside the settings) and lock what it locks; None: no lab."""
        self.lab_panel.set_lab(lab)
        lock_controls(self, lab.locked if lab is not None else [])
        self.kept_runs.automatic = lab is not None and lab.keep_runs
        dock = self.docks["lab"]
        dock.setVisible(lab is not None)
        if lab is not None:
            self._raise_lab()
            self._lab_waits_for_show = not self.isVisible()

    def _raise_lab(self) -> None:
        """The lab's tab in front. Tabbed again first: a tabbed dock shown before the
        window is (a lab opened at start, backprop-gui LAB) is laid out nowhere, off the
        window, until it is; so this runs again once the window shows."""
        dock, settings = self.docks["lab"], self.docks["settings"]
        if settings in self.tabifiedDockWidgets(dock):
            self.tabifyDockWidget(settings, dock)
        dock.raise_()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._lab_waits_for_show:
            self._lab_waits_for_show = False
            QTimer.singleShot(0, self._raise_lab)

    def show_title(self) -> None:
        """The title bar: the project's file (or name), marked * while it has unsaved changes."""
        path, project = self.document.path, self.session.project
        name = path.name if path is not None else (project.name if project and project.name else "untitled")
        self.setWindowTitle(f"{name}[*] — backprop-gui")
        self.setWindowModified(self.document.changed())

    def edited_project(self) -> Project:
        """The project the panels now describe."""
        project = self.hyper.edited_project()
        self.data_panel.apply_to(project)
        current = self.session.project
        if current is not None and project.dataset.kind != current.dataset.kind:
            # other data may be another task: output and loss follow it
            project.network.output_activation = project.training.loss = None
        return project

    def apply_settings(self) -> bool:
        return self.load_project(self.edited_project())

    def undo_settings(self) -> None:
        if self.session.project is not None:
            self.data_panel.set_project(self.session.project, self.session.experiment.dataset)
            self.hyper.set_project(self.session.project)
        self.pending.hide()

    def _settings_need_reset(self) -> None:
        last = self.session.last
        trained = self.session.running or (last is not None and last.epoch > 0)
        if not trained:
            self.apply_settings()
        else:
            self.pending.show()

    def _live_settings(self) -> None:
        h = self.hyper
        self.session.set_learning_rate(h.current_learning_rate())
        self.session.set_limits(h.epochs.value(), h.patience.value())
        self.session.set_penalties(h.l1.value(), h.l2.value())
        self.lab_panel.set_patience(h.patience.value())

    # -- from the session ---------------------------------------------------------------------

    def _on_experiment(self, experiment: Experiment) -> None:
        net, ds = experiment.network, experiment.dataset
        self.network_view.set_network(net.sizes, net.activation_names, experiment.input_names,
                                      ds.class_names if ds.task == "multiclass" else [ds.target_name])
        self._set_input_plane()
        self.cost.clear()
        self.cost.set_names(experiment.trainer.loss.name, experiment.trainer.history.metric_name)
        self.boundary.set_experiment(experiment, self.session.axes)
        self.gradients.set_layers(net.activation_names)
        self.confusion.set_experiment(experiment)
        self.lab_panel.set_experiment(experiment, self.session.history)
        self.status.set_experiment(experiment)
        self._show_kept_runs()  # their labels say how they differ from this run

    def keep_run(self) -> None:
        """Training > Keep this run."""
        self.banner.show_message(self.kept_runs.keep(), "info")

    def _show_kept_runs(self) -> None:
        entries = self.kept_runs.entries()
        mine = self.kept_runs.current_label() if entries else None
        self.cost.set_kept(entries, mine)
        self.gradients.set_kept(entries, mine)
        self.runs_panel.refresh()
        self.actions.keep_run.setEnabled(self.kept_runs.can_keep())

    def _set_input_plane(self) -> None:
        """The plane a neuron's picture covers: the boundary plot's two features."""
        e = self.session.experiment
        plane = None
        if e is not None and e.dataset.n_features >= 2:
            plane = BoundaryGrid.of(e, self.session.axes, UNIT_PICTURE_CELLS)
        self.network_view.set_input_plane(plane)

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        history = self.session.history
        self.cost.set_history(history)
        self.gradients.set_history(history)
        if snapshot.boundary is not None:
            self.boundary.set_boundary(snapshot.boundary, self.held_note())
        if snapshot.last is not None:
            self.gradients.set_current(snapshot.grad_rms, snapshot.grad_l2, snapshot.health,
                                       snapshot.diagnosis)
        self.network_view.set_weights(snapshot.weights, snapshot.biases, snapshot.gradients)
        self.confusion.set_scores(snapshot.scores)
        self.lab_panel.set_snapshot(snapshot)
        self.status.show_snapshot(snapshot, self.session.running)
        self.kept_runs.note_snapshot()
        self.runs_panel.show_current()
        self.actions.keep_run.setEnabled(self.kept_runs.can_keep())
        if snapshot.stop is not None:
            self._show_stop(snapshot)

    def held_note(self) -> str:
        e = self.session.experiment
        d = e.dataset.n_features if e is not None else 0
        if d <= 2:
            return ""
        names = e.dataset.feature_names
        i, j = self.session.axes
        mean = e.dataset.X.mean(axis=0)
        held = ", ".join(f"{names[k]} = {mean[k]:.3g}" for k in range(d) if k not in (i, j))
        return f"The other features are held at their mean: {held}."

    def _show_stop(self, snapshot: Snapshot) -> None:
        stop = snapshot.stop
        if stop.kind == "diverged":
            self.banner.show_message(
                f"<b>Training diverged.</b> {stop.message[0].upper()}{stop.message[1:]}<br>"
                f"Try {snapshot.learning_rate / 10:g}, then press <b>Reset</b> (R): weights this "
                "large rarely recover.", "error")
        else:
            self.banner.show_message(f"Training finished: {stop.message}.", "info")

    def _on_running(self, running: bool) -> None:
        self.actions.set_running(running)
        self.actions.keep_run.setEnabled(self.kept_runs.can_keep())
        self.runs_panel.show_current()
        if running:
            self.banner.hide()
            for plot in (self.cost, self.gradients):
                plot.view.live_run()
        elif self.session.history is not None:  # history plots end at the data again
            for plot in (self.cost, self.gradients):
                plot.view.settle_run()
                plot.set_history(self.session.history)
        if not running:
            self.setWindowModified(self.document.changed())  # trained weights are a change
        if self.session.last is not None:
            self.status.show_snapshot(self.session.last, running)

    # -- window state -----------------------------------------------------------------------

    def _restore(self) -> None:
        # the docks were added side by side, then tabbed: the window's minimum width is
        # still the side-by-side one until the layout is worked out again
        self.layout().activate()
        self._first_state = self.saveState(SETTINGS_VERSION)
        s = self.settings
        geometry = s.value("window/geometry")
        state = s.value("window/state")
        restored = (isinstance(state, QByteArray) and int(s.value("window/version", 0)) == SETTINGS_VERSION
                    and self.restoreState(state, SETTINGS_VERSION))  # docks first: they set the minimum size
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            screen = QGuiApplication.primaryScreen()
            width, height = DEFAULT_SIZE
            if screen is not None:
                available = screen.availableGeometry()
                width = min(width, int(available.width() * 0.95))
                height = min(height, int(available.height() * 0.92))
            self.resize(width, height)
        if not restored:
            self._size_docks()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(SETTINGS_VERSION))
        self.settings.setValue("window/version", SETTINGS_VERSION)
        self.settings.sync()

    def reset_layout(self) -> None:
        """Every dock back in its first place (and forget the saved layout)."""
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._first_state, SETTINGS_VERSION)
        self._size_docks()
        self.settings.remove("window")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.actions.files.maybe_save():
            event.ignore()  # the user cancelled: keep working
            return
        self.save_layout()
        self.session.shutdown()
        super().closeEvent(event)


def _dropped_file(mime: QMimeData) -> Path | None:
    """The one local file being dragged, or None."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.is_file() else None
