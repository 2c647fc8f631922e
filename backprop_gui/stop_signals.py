"""Ctrl+C, or a `kill` (SIGTERM, which `timeout` sends), during a headless run: the run
stops at the end of its current slice of steps rather than halfway through one, and
writes what it has. A second signal interrupts at once."""

from __future__ import annotations

import signal
import threading
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequests:
    """While active (a `with` block in the main thread), the first SIGINT or SIGTERM is
    noted in `signal` for the loop to see; a second raises KeyboardInterrupt."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopRequests:
        if threading.current_thread() is threading.main_thread():  # the only one signals reach
            self._previous = {s: signal.signal(s, self._note) for s in STOP_SIGNALS}
        return self

    def __exit__(self, *exc_info: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}

    def _note(self, number: int, frame: FrameType | None) -> None:
        if self.signal is not None:
            raise KeyboardInterrupt
        self.signal = number

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as a shell reports a program it stopped: 130 for
        Ctrl+C, 143 for SIGTERM."""
        return 128 + int(self.signal or signal.SIGINT)
