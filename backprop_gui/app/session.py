"""The training session: the window's side of the worker. It owns the worker's thread,
builds experiments from projects (in the window's thread, so that a bad project is
reported before anything is replaced), and passes on the snapshots of the current
experiment only: those of an experiment since replaced are dropped.

Every control is a queued signal to the worker, so each is safe at any moment and in any
order; `shutdown` stops the thread and waits for it."""

from __future__ import annotations

import sys
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

from ..core.config import Project
from ..core.data import Dataset
from ..core.experiment import Experiment
from ..core.history import History
from ..core.snapshot import Snapshot
from .gc_in_gui_thread import collect_in_gui_thread
from .worker import TrainingWorker

#: how long closing the window may wait for the worker to finish its chunk
SHUTDOWN_TIMEOUT_MS = 5000
#: the most of its time the window's thread spends on drawing snapshots while training:
#: the rest is for the user's input, its timers, and the worker (one GIL for both threads:
#: the worker waits while a frame is drawn, so this is also about what it loses)
GUI_SHARE = 0.25
#: the most CPU time one frame is charged for (seconds)
MAX_FRAME_CPU = 0.25
#: how long a thread waiting for the GIL waits before the holder must let go (Python's
#: default is 5 ms): the window's thread takes the GIL a dozen times a frame, and each
#: wait behind the worker made its frames and timers late
GIL_SWITCH_SECONDS = 0.001


class TrainingSession(QObject):
    #: the current run is about to be replaced (its project, history and last snapshot
    #: are still the session's): a run to keep is kept now
    sigReplacing = Signal()
    sigExperiment = Signal(object)  # Experiment: a new one was loaded (or reset)
    sigSnapshot = Signal(object)  # Snapshot of the current experiment, after `history` took its rows
    sigRunning = Signal(bool)
    sigFailed = Signal(str)
    sigSynced = Signal(int)
    sigInspected = Signal(object)  # StepInspection of the current experiment, or an error in words
    sigCheckProgress = Signal(int, int)  # parameters checked, of how many
    sigChecked = Signal(object)  # [LayerCheck], or None when the check was cancelled
    sigMoment = Signal(object)  # MomentView: the run at a past moment of its timeline

    _sigLoad = Signal(object, int, object)
    _sigStart = Signal()
    _sigPause = Signal()
    _sigStepEpoch = Signal()
    _sigStepBatch = Signal()
    _sigLearningRate = Signal(float)
    _sigLimits = Signal(int, int)
    _sigSpeedLimit = Signal(float)
    _sigPenalties = Signal(float, float)
    _sigAxes = Signal(object)
    _sigParameter = Signal(int, int, int, float)
    _sigUnit = Signal(object)
    _sigStop = Signal()
    _sigSync = Signal(int)
    _sigInspect = Signal(int)
    _sigCheck = Signal()
    _sigCancelCheck = Signal()
    _sigRewind = Signal(int)
    _sigShowMoment = Signal(int)
    _sigResend = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        collect_in_gui_thread()  # before a second thread exists
        self.project: Project | None = None
        self.experiment: Experiment | None = None
        #: the window's copy of the current experiment's history, kept up to date
        self.history: History | None = None
        self.generation = 0
        self.running = False
        self.axes = (0, 1)
        self.last: Snapshot | None = None
        self._syncs = 0
        # the acknowledgement of a snapshot waits for a zero timer, which Qt runs once the
        # posted events (the snapshot's repaints among them) are handled: the window is idle
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(0)
        self._idle.timeout.connect(self._acknowledge)
        self._cpu_mark = (time.perf_counter(), time.thread_time())
        self._thread = QThread()
        self._thread.setObjectName("training")
        self._worker = TrainingWorker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        for signal, slot in (
            (self._sigLoad, self._worker.load), (self._sigStart, self._worker.start),
            (self._sigPause, self._worker.pause), (self._sigStepEpoch, self._worker.step_epoch),
            (self._sigStepBatch, self._worker.step_batch),
            (self._sigLearningRate, self._worker.set_learning_rate),
            (self._sigLimits, self._worker.set_limits),
            (self._sigSpeedLimit, self._worker.set_speed_limit),
            (self._sigPenalties, self._worker.set_penalties), (self._sigAxes, self._worker.set_axes),
            (self._sigParameter, self._worker.set_parameter), (self._sigUnit, self._worker.set_unit),
            (self._sigStop, self._worker.stop), (self._sigSync, self._worker.sync),
            (self._sigInspect, self._worker.inspect), (self._sigCheck, self._worker.check_gradients),
            (self._sigCancelCheck, self._worker.cancel_check), (self._sigRewind, self._worker.rewind),
            (self._sigShowMoment, self._worker.show_moment), (self._sigResend, self._worker.resend),
        ):
            signal.connect(slot)
        self._worker.sigSnapshot.connect(self._on_snapshot)
        self._worker.sigRunning.connect(self._on_running)
        self._worker.sigFailed.connect(self.sigFailed)
        self._worker.sigSynced.connect(self.sigSynced)
        self._worker.sigInspected.connect(self._on_inspected)
        self._worker.sigCheckProgress.connect(self._on_check_progress)
        self._worker.sigChecked.connect(self._on_checked)
        self._worker.sigMoment.connect(self._on_moment)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # however the program ends, the thread ends first
            app.aboutToQuit.connect(self.shutdown)

    # -- experiments ----------------------------------------------------------------------

    def load(self, project: Project, dataset: Dataset | None = None,
             trained: tuple[dict[str, np.ndarray], int] | None = None) -> Experiment:
        """Build the project's experiment and train it from now on (from `trained` weights
        and their epoch, if given: a saved project's). Raises ProjectError (with file and
        key) if the project cannot be built; the current one then stays."""
        experiment = Experiment.from_project(project, dataset)
        if trained is not None:
            weights, epoch = trained
            experiment.network.set_weights(weights)
            experiment.trainer.epoch = epoch  # the saved run's count goes on from there
        if self.experiment is not None:
            self.sigReplacing.emit()
        self.project, self.experiment = project, experiment
        self.history = experiment.trainer.history.empty_like()
        self.generation += 1
        self.last = None
        d = experiment.dataset.n_features
        if not (d >= 2 and self.axes[0] != self.axes[1] and max(self.axes) < d):  # (0, 0): 1 feature
            self.axes = (0, 1) if d >= 2 else (0, 0)
        self.sigExperiment.emit(experiment)
        self._sigLoad.emit(experiment, self.generation, self.axes)
        return experiment

    def reset(self) -> None:
        """New initial weights (the same ones: the seed decides), epoch 0, same data."""
        if self.project is not None:
            self.load(self.project, self.experiment.dataset)

    # -- controls -------------------------------------------------------------------------

    def train(self) -> None:
        self._sigStart.emit()

    def pause(self) -> None:
        self._sigPause.emit()

    def toggle(self) -> None:
        (self.pause if self.running else self.train)()

    def step_epoch(self) -> None:
        self._sigStepEpoch.emit()

    def step_batch(self) -> None:
        self._sigStepBatch.emit()

    def set_learning_rate(self, lr: float) -> None:
        """Takes effect at the worker's next chunk of steps (within ~10 ms)."""
        if self.project is not None:
            self.project.training.learning_rate = lr
        self._sigLearningRate.emit(lr)

    def set_limits(self, max_epochs: int, patience: int) -> None:
        if self.project is not None:
            self.project.training.epochs, self.project.training.patience = max_epochs, patience
        self._sigLimits.emit(max_epochs, patience)

    def set_penalties(self, l1: float, l2: float) -> None:
        if self.project is not None:
            self.project.training.l1, self.project.training.l2 = l1, l2
        self._sigPenalties.emit(l1, l2)

    def set_speed_limit(self, epochs_per_second: float) -> None:
        """Slow training down to watch it; 0 trains at full speed."""
        self._sigSpeedLimit.emit(epochs_per_second)

    def set_parameter(self, layer: int, source: int | None, unit: int, value: float) -> None:
        """Set the weight W_layer[source, unit], or the bias b_layer[unit] when source is
        None, at the worker's next chunk of steps."""
        self._sigParameter.emit(layer, -1 if source is None else source, unit, value)

    def show_unit(self, unit: tuple[int, int] | None) -> None:
        """Show what neuron (layer, index) computes on the boundary plot; None: the output."""
        self._sigUnit.emit(unit)

    def set_axes(self, axes: tuple[int, int]) -> None:
        self.axes = axes
        self._sigAxes.emit(axes)

    def inspect(self, sample: int | None = None) -> None:
        """Take the next step apart (or a step on one training sample): sigInspected.
        Training pauses first."""
        self._sigInspect.emit(-1 if sample is None else sample)

    def check_gradients(self) -> None:
        """Finite differences against backprop, in the worker: sigCheckProgress, then
        sigChecked. Training pauses meanwhile."""
        self._sigCheck.emit()

    def cancel_check(self) -> None:
        self._sigCancelCheck.emit()

    def rewind(self, epoch: int) -> None:
        """Go back to the end of `epoch` (a moment of this run's timeline) and go on from
        there: the history after it is dropped."""
        self._sigRewind.emit(epoch)

    def show_moment(self, epoch: int) -> None:
        """Ask for the run as it was at the timeline's moment at `epoch`: sigMoment.
        Training pauses first."""
        self._sigShowMoment.emit(epoch)

    def resend(self) -> None:
        """Ask for a full snapshot: all the history, the boundary and unit health remade."""
        self._sigResend.emit()

    def sync(self) -> int:
        """Ask the worker for sigSynced(n) (n returned): when it arrives, every request
        made before has been handled and its snapshot received."""
        self._syncs += 1
        self._sigSync.emit(self._syncs)
        return self._syncs

    def shutdown(self) -> bool:
        """Stop training and the thread; True when it ended in time."""
        if not self._thread.isRunning():
            return True
        self._sigStop.emit()
        return self._thread.wait(SHUTDOWN_TIMEOUT_MS)

    # -- from the worker ------------------------------------------------------------------

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        if snapshot.generation != self.generation:
            self._worker.acknowledge()
            return
        try:
            self.history.receive(snapshot.rows)
            self.last = snapshot
            self.sigSnapshot.emit(snapshot)
        finally:
            self._idle.start()

    # what the worker says of an experiment since replaced is dropped
    def _on_inspected(self, generation: int, inspection) -> None:
        if generation == self.generation:
            self.sigInspected.emit(inspection)

    def _on_check_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self.generation:
            self.sigCheckProgress.emit(done, total)

    def _on_checked(self, generation: int, results) -> None:
        if generation == self.generation:
            self.sigChecked.emit(results)

    def _on_moment(self, generation: int, view) -> None:
        if generation == self.generation:
            self.sigMoment.emit(view)

    def _acknowledge(self) -> None:
        """The snapshot is drawn and the window idle: the worker may send the next one
        once this thread's CPU time since the last acknowledgement is no more than
        GUI_SHARE of the time passed (a slow screen gets fewer frames, never a backlog)."""
        wall, cpu = time.perf_counter(), time.thread_time()
        last_wall, last_cpu = self._cpu_mark
        self._cpu_mark = (wall, cpu)
        used = min(cpu - last_cpu, MAX_FRAME_CPU)  # not a start-up or a dialog's time
        self._worker.acknowledge(wall + max(0.0, used / GUI_SHARE - (wall - last_wall)))

    def _on_running(self, running: bool) -> None:
        if running:  # frames are charged from now on, not for the time before
            self._cpu_mark = (time.perf_counter(), time.thread_time())
        self.running = running
        self.sigRunning.emit(running)
