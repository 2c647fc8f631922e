"""At most so many redraws a second of something that changes on every frame."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls `action` at most once per `interval_ms`: at once when the last call is older
    (or when asked `now`), otherwise at the first call after the interval, and by a timer
    a little later if no call comes, so the latest state is always shown in the end.

    While training, calls come with each frame: an action run by the next call, not by a
    timer between frames, runs while the training thread waits for the frame to be drawn
    instead of taking the GIL from it."""

    def __init__(self, interval_ms: int, action: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self._pending = False
        self._interval = interval_ms / 1000
        self._last = -float("inf")  # perf_counter time of the last action
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def set_interval(self, interval_ms: int) -> None:
        """From the next call on (a pending one keeps its time)."""
        self._interval = interval_ms / 1000

    def __call__(self, now: bool = False) -> None:
        wait = self._last + self._interval - time.perf_counter()
        if now or wait <= 0:
            self._run()
            return
        self._pending = True
        if not self._timer.isActive():  # the fallback, half an interval late
            self._timer.start(max(1, round(1000 * (wait + self._interval / 2))))

    def _fire(self) -> None:
        if self._pending:
            self._run()

    def _run(self) -> None:
        self._pending = False
        self._timer.stop()
        self._last = time.perf_counter()
        self._action()
