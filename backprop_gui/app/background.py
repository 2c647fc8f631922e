"""Run a slow function (reading a big file) on a pool thread and get its result, or its
error in words, back in the window's thread, so the window never freezes.

    reads = BackgroundCall(dialog)
    reads.start(lambda: read_csv(path), on_done=use_dataset, on_failed=show_message)

Only the latest start() of a BackgroundCall reports; cancel() drops the one running (a
function cannot be stopped half-way: it runs on and its result is thrown away)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from ..core.errors import ProjectError
from .gc_in_gui_thread import collect_in_gui_thread

_job_ids = itertools.count(1)


class _Relay(QObject):
    """Carries results from pool threads to the window's thread. There is one, owned by
    the application, so no signal object is ever deleted by the thread that emitted."""

    sigDone = Signal(int, object)
    sigFailed = Signal(int, str)


def _relay() -> _Relay:
    app = QCoreApplication.instance()
    relay = app.findChild(_Relay, "background-relay")
    if relay is None:
        relay = _Relay(app)
        relay.setObjectName("background-relay")
    return relay


class _Job(QRunnable):
    def __init__(self, job: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self.job, self.work, self.relay = job, work, _relay()

    def run(self) -> None:
        try:
            result = self.work()
        except ProjectError as error:
            self.relay.sigFailed.emit(self.job, str(error))
        except BaseException as error:  # said in words: a traceback must not reach the user
            self.relay.sigFailed.emit(self.job, f"failed unexpectedly ({type(error).__name__}: "
                                                f"{error}); please report this")
        else:
            self.relay.sigDone.emit(self.job, result)


class BackgroundCall(QObject):
    """One slot for work off the window's thread, owned by a widget."""

    sigStarted = Signal()
    sigFinished = Signal()  # done, failed or cancelled

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        collect_in_gui_thread()  # a pool thread must never collect the window's objects
        self._job: int | None = None
        self._on_done: Callable[[Any], None] = lambda result: None
        self._on_failed: Callable[[str], None] = lambda message: None
        _relay().sigDone.connect(self._done)
        _relay().sigFailed.connect(self._failed)

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self, work: Callable[[], Any], on_done: Callable[[Any], None],
              on_failed: Callable[[str], None]) -> None:
        """Run `work()` on a pool thread; then `on_done(result)`, or `on_failed(message)`
        for a ProjectError (its text) or anything else (said in words), in this thread."""
        self._job = next(_job_ids)
        self._on_done, self._on_failed = on_done, on_failed
        QThreadPool.globalInstance().start(_Job(self._job, work))
        self.sigStarted.emit()

    def cancel(self) -> None:
        if self._job is not None:
            self._job = None
            self.sigFinished.emit()

    def _done(self, job: int, result: Any) -> None:
        if job == self._job:
            self._job = None
            self.sigFinished.emit()
            self._on_done(result)

    def _failed(self, job: int, message: str) -> None:
        if job == self._job:
            self._job = None
            self.sigFinished.emit()
            self._on_failed(message)
