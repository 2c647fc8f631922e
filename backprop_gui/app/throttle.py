"""At most so many redraws a second of something that changes on every frame."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Calls `action` at most once per `interval_ms`: at once when the last call is older
    (or when asked `now`), otherwise once when the interval ends, so the latest state is
    always shown in the end."""

    def __init__(self, interval_ms: int, action: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._fire)

    def set_interval(self, interval_ms: int) -> None:
        """From the next call on (a pending one keeps its time)."""
        self._timer.setInterval(interval_ms)

    def __call__(self, now: bool = False) -> None:
        if self._timer.isActive() and not now:
            self._pending = True
            return
        self._pending = False
        self._action()
        self._timer.start()

    def _fire(self) -> None:
        if self._pending:
            self._pending = False
            self._action()
            self._timer.start()
