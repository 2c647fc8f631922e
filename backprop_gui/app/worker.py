"""The training worker: a QObject that lives on its own QThread, runs the core Trainer as
fast as it can, and emits at most ~30 snapshots a second.

Between chunks of ~10 ms of training it returns to its thread's event loop, so the
controls (queued signals from the window: pause, step, a new learning rate) take effect
within a chunk. It emits a new snapshot only when the window has drawn the previous one
and says when it may have the next (`acknowledge`), so a slow screen never piles up a
queue of stale frames, and the window's thread is never kept so busy by frames that its
own timers and the user's clicks wait. Nothing here touches a widget: snapshots are
plain NumPy (core/snapshot.py)."""

from __future__ import annotations

import os
import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..core.experiment import Experiment
from ..core.gradcheck import GradientCheck
from ..core.snapshot import Snapshot, SnapshotMaker
from ..core.step_through import inspect_step

#: seconds of training between two looks at the event loop
CHUNK_SECONDS = 0.010
#: at most this many snapshots a second while training
SNAPSHOTS_PER_SECOND = 30
#: with a speed limit, the loop looks at the clock this often (ms)
LIMITED_TICK_MS = 5
#: training waits at most this long for the window to draw a frame
FRAME_WAIT_SECONDS = 0.05
#: seconds of a gradient check between two looks at the event loop
CHECK_CHUNK_SECONDS = 0.02


class TrainingWorker(QObject):
    sigSnapshot = Signal(object)  # Snapshot
    sigRunning = Signal(bool)  # training started (True) or stopped for any reason (False)
    sigFailed = Signal(str)  # an unexpected error, in words; training is paused
    sigSynced = Signal(int)  # answers sync(n): everything asked before it has been done
    sigInspected = Signal(int, object)  # generation, StepInspection (or an error, in words)
    sigCheckProgress = Signal(int, int, int)  # generation, parameters checked, of how many
    sigChecked = Signal(int, object)  # generation, [LayerCheck] (None: cancelled)
    sigMoment = Signal(int, object)  # generation, MomentView: the run at a past moment

    def __init__(self) -> None:
        super().__init__()
        self._maker: SnapshotMaker | None = None
        self._timer = QTimer(self)  # a child: it moves to the worker's thread with it
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._train_chunk)
        self._last_emit = 0.0
        self._speed_limit = 0.0  # epochs a second; 0: as fast as it can
        self._run_start = (0.0, 0)  # (time, epoch) when training started or the limit changed
        self._drawn = threading.Event()  # set: the window drew the last snapshot, may have another
        self._drawn.set()
        self._not_before = 0.0  # ... but not before this time (perf_counter seconds)
        self._check: GradientCheck | None = None  # a gradient check under way
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(0)
        self._check_timer.timeout.connect(self._check_chunk)

    # -- called from the window's thread ----------------------------------------------

    def acknowledge(self, not_before: float = 0.0) -> None:
        """The window drew the last snapshot and may have the next one from `not_before`
        (a perf_counter time) on. Safe from any thread."""
        self._not_before = not_before
        self._drawn.set()

    # -- slots, run on the worker's thread ------------------------------------------------

    @Slot(object, int, object)
    def load(self, experiment: Experiment, generation: int, axes: tuple[int, int]) -> None:
        """Train this experiment from now on (a new project, or the same one reset)."""
        self._stop_running()
        self._guarded(self._load, experiment, generation, axes)

    def _load(self, experiment: Experiment, generation: int, axes: tuple[int, int]) -> None:
        self._cancel_check()
        self._maker = SnapshotMaker(experiment, generation, axes)
        self._emit(force=True)

    @Slot()
    def start(self) -> None:
        if self._maker is None or self._timer.isActive():
            return
        self._cancel_check()
        trainer = self._maker.experiment.trainer
        if not trainer.resume():
            self._emit(force=True)  # says why it will not run (stop reason)
            return
        self._maker.pause_rate()
        self._run_start = (time.perf_counter(), trainer.epoch)
        self._not_before = 0.0  # a new run's first frame is due at once
        self._timer.start()
        self.sigRunning.emit(True)

    @Slot()
    def pause(self) -> None:
        self._pause_first()

    def _pause_first(self) -> None:
        """Stop a running training, and show where it stopped."""
        if self._stop_running():
            self._emit(force=True)

    @Slot()
    def step_epoch(self) -> None:
        self._step(lambda trainer: trainer.run_epoch())

    @Slot()
    def step_batch(self) -> None:
        self._step(lambda trainer: trainer.run_batch())

    @Slot(float)
    def set_learning_rate(self, lr: float) -> None:
        if self._maker is not None:
            self._maker.experiment.trainer.optimizer.lr = lr

    @Slot(float)
    def set_speed_limit(self, epochs_per_second: float) -> None:
        """Slow training down to watch it (0: full speed); applies from now on."""
        self._speed_limit = epochs_per_second
        self._timer.setInterval(LIMITED_TICK_MS if epochs_per_second > 0 else 0)
        if self._maker is not None:
            self._run_start = (time.perf_counter(), self._maker.experiment.trainer.epoch)

    @Slot(int, int)
    def set_limits(self, max_epochs: int, patience: int) -> None:
        if self._maker is not None:
            trainer = self._maker.experiment.trainer
            trainer.max_epochs, trainer.patience = max_epochs, patience

    @Slot(float, float)
    def set_penalties(self, l1: float, l2: float) -> None:
        if self._maker is not None:
            self._maker.experiment.trainer.set_penalties(l1, l2)

    @Slot(int, int, int, float)
    def set_parameter(self, layer: int, source: int, unit: int, value: float) -> None:
        """W_layer[source, unit] = value (source -1: the bias b_layer[unit]), as the user
        typed it; training goes on from there. A place this network lacks is ignored."""
        if self._maker is None:
            return
        network = self._maker.experiment.network
        if not 1 <= layer <= network.L or not 0 <= unit < network.sizes[layer] \
                or not -1 <= source < network.sizes[layer - 1]:
            return
        self._cancel_check()
        if source < 0:
            network.b[layer][unit] = value
        else:
            network.W[layer][source, unit] = value
        if not self._timer.isActive():
            self._emit(force=True)

    @Slot(object)
    def set_unit(self, unit: tuple[int, int] | None) -> None:
        """The boundary plot shows this neuron's activation (None: the output)."""
        if self._maker is not None:
            self._maker.set_unit(unit)
            if not self._timer.isActive():
                self._emit(force=True)

    @Slot(object)
    def set_axes(self, axes: tuple[int, int]) -> None:
        if self._maker is not None:
            self._guarded(self._set_axes, axes)

    def _set_axes(self, axes: tuple[int, int]) -> None:
        self._maker.set_axes(axes)
        self._emit(force=True)

    @Slot()
    def resend(self) -> None:
        """The window wants everything again (its history mirror was replaced)."""
        if self._maker is not None:
            self._maker.resend_history()
            self._emit(force=True)

    @Slot(int)
    def sync(self, n: int) -> None:
        """Answer with sigSynced(n). The worker handles requests in order, so when the
        answer arrives every earlier request is done and its snapshot delivered."""
        self.sigSynced.emit(n)

    @Slot(int)
    def rewind(self, epoch: int) -> None:
        """Go back to the timeline's moment at `epoch` and go on from there."""
        if self._maker is None:
            return
        self._stop_running()
        self._cancel_check()
        self._guarded(self._rewind, epoch)

    def _rewind(self, epoch: int) -> None:
        moment = self._maker.timeline.at(epoch)
        if moment is None or moment.epoch != epoch:
            return  # not a moment of this run: ignored
        self._maker.experiment.trainer.rewind(epoch, moment.params)
        self._maker.timeline.truncate(epoch)
        self._maker.resend_history()
        self._maker.pause_rate()
        self._emit(force=True)

    @Slot(int)
    def show_moment(self, epoch: int) -> None:
        """Emit what the run looked like at the timeline's moment at (or before) `epoch`;
        training pauses first."""
        if self._maker is None:
            return
        self._pause_first()
        self._guarded(self._show_moment, epoch)

    def _show_moment(self, epoch: int) -> None:
        view = self._maker.view_moment(epoch)
        if view is not None:
            self.sigMoment.emit(self._maker.generation, view)

    @Slot(int)
    def inspect(self, sample: int) -> None:
        """Take the next step apart (sample -1), or a step on that training sample; the
        trainer is not disturbed. Paused only: a running trainer is paused first."""
        if self._maker is None:
            return
        self._pause_first()
        self._guarded(self._inspect, sample)

    def _inspect(self, sample: int) -> None:
        try:
            with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
                result = inspect_step(self._maker.experiment.trainer, None if sample < 0 else sample)
        except IndexError as exc:
            result = f"Cannot inspect that step: {exc}."
        self.sigInspected.emit(self._maker.generation, result)

    @Slot()
    def check_gradients(self) -> None:
        """Finite differences against backprop for every parameter, in chunks: the
        controls (and closing) still answer; training pauses meanwhile."""
        if self._maker is None:
            return
        self._pause_first()
        self._cancel_check()
        trainer = self._maker.experiment.trainer
        self._check = GradientCheck(trainer.network, trainer.X, trainer.Y, trainer.loss,
                                    trainer.l1, trainer.l2)
        self._check_timer.start()

    @Slot()
    def cancel_check(self) -> None:
        self._cancel_check()

    def _cancel_check(self) -> None:
        if self._check is not None:
            self._check, generation = None, self._maker.generation if self._maker else 0
            self._check_timer.stop()
            self.sigChecked.emit(generation, None)

    def _check_chunk(self) -> None:
        check, self._check = self._check, None  # back once this chunk went well
        self._check_timer.stop()
        self._guarded(self._run_check_chunk, check)

    def _run_check_chunk(self, check: GradientCheck) -> None:
        generation = self._maker.generation
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            done = check.run(CHECK_CHUNK_SECONDS)
        self.sigCheckProgress.emit(generation, *check.progress)
        if done:
            self.sigChecked.emit(generation, check.results())
        else:
            self._check = check
            self._check_timer.start()

    @Slot()
    def stop(self) -> None:
        """Stop training and end the thread's event loop (the window is closing)."""
        self._stop_running()
        self._check = None
        self._check_timer.stop()
        self._maker = None
        QThread.currentThread().quit()

    # -- the loop -------------------------------------------------------------------------

    def _train_chunk(self) -> None:
        self._guarded(self._run_chunk)

    def _run_chunk(self) -> None:
        # while the window draws a frame, wait (releasing the GIL): both threads share one
        # GIL, and a frame drawn while this thread computes takes twice as long and makes
        # every timer late
        self._drawn.wait(FRAME_WAIT_SECONDS)
        maker = self._maker
        trainer = maker.experiment.trainer
        now = time.perf_counter()
        due = self._frame_due()
        deadline = now + CHUNK_SECONDS
        if due is not None:  # a chunk ends when the next frame is due, not up to a chunk later
            deadline = min(deadline, max(due, now))
        target = None  # with a speed limit: the epoch training should have reached by now
        if self._speed_limit > 0:
            started, start_epoch = self._run_start
            target = start_epoch + int((now - started) * self._speed_limit) + 1
        # a step of a big network takes milliseconds: stop when the next one would end
        # nearer after the deadline than this one ends before it, so frames come on time
        # on average instead of up to a step late
        half_step = 0.0
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            while target is None or trainer.epoch < target:
                began = time.perf_counter()
                trainer.run_batch()
                maker.note_epoch()
                ended = time.perf_counter()
                half_step = 0.5 * (ended - began)
                if trainer.done or ended + half_step >= deadline:
                    break
        if trainer.done:
            self._stop_running()
            self._emit(force=True)
        elif due is not None and time.perf_counter() + half_step >= due:
            self._emit()

    def _frame_due(self) -> float | None:
        """When the next snapshot may go (perf_counter seconds), or None while the window
        draws the last one: at most SNAPSHOTS_PER_SECOND, and not before the window
        asked for it."""
        if not self._drawn.is_set():
            return None
        return max(self._not_before, self._last_emit + 1.0 / SNAPSHOTS_PER_SECOND)

    def _step(self, run) -> None:
        """Pause if running, then one step (an epoch or a batch) and its snapshot."""
        if self._maker is None:
            return
        self._stop_running()
        self._cancel_check()  # it checks the weights this step changes
        trainer = self._maker.experiment.trainer
        if trainer.resume():
            self._guarded(self._run_step, run, trainer)
        else:
            self._emit(force=True)

    def _run_step(self, run, trainer) -> None:
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            run(trainer)
        self._maker.note_epoch()
        self._emit(force=True)

    def _stop_running(self) -> bool:
        """Stop the loop; True if it was running."""
        if not self._timer.isActive():
            return False
        self._timer.stop()
        if self._maker is not None:
            self._maker.pause_rate()
        self.sigRunning.emit(False)
        return True

    def _emit(self, force: bool = False) -> None:
        snapshot: Snapshot = self._maker.make(force_extras=force)
        self._drawn.clear()
        self._last_emit = time.perf_counter()
        self.sigSnapshot.emit(snapshot)

    def _guarded(self, work, *args) -> None:
        """Run work; an unexpected error pauses training and is reported, in words,
        to the window (never a traceback, never lost in a log)."""
        try:
            work(*args)
        except MemoryError:
            self._stop_running()
            self.sigFailed.emit("Out of memory: use fewer samples, a smaller network or "
                                "a smaller batch.")
        except Exception as exc:  # a bug: keep the program alive and say so
            if os.environ.get("BACKPROP_GUI_DEBUG"):
                traceback.print_exc()
            self._stop_running()
            self.sigFailed.emit(f"Training stopped by an internal error: {type(exc).__name__}: "
                                f"{exc}. Please report it.")
