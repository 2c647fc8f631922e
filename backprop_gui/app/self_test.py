"""`backprop-gui --self-test`: prove that this copy of the program works, end to end and
without a screen. It opens the real main window (offscreen unless a Qt platform is set),
trains the XOR preset through the real worker thread at full speed, saves a screenshot
and prints one line; the exit status is 0 only if the network reached 100% accuracy.

Made for the frozen executable, where a missing library, plugin or resource shows only
when the program runs: CI runs it on every build. Everything waits on the session's
signals; a deadline timer makes sure it never hangs, and any exception (in its own slots
or in the window's) ends it with a non-zero status and one line, never a traceback."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, qInstallMessageHandler
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ..core.snapshot import Snapshot
from .actions import SPEEDS
from .throttle import Throttle

EXIT_PASSED, EXIT_FAILED, EXIT_BUG = 0, 1, 70
DEADLINE_SECONDS = 60.0
#: the toolbar speed box's "as fast as the machine can"
FULL_SPEED = next(i for i, (_, epochs_per_second) in enumerate(SPEEDS) if epochs_per_second == 0)
#: the size the screenshot is taken at (the offscreen screen is only 800x600)
WINDOW_SIZE = (1280, 760)
#: a screenshot with fewer colours than this is blank (black, or a window never painted)
MIN_COLOURS = 16
#: what the offscreen platform says about every dock and tool tip: not a problem
HARMLESS_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def default_screenshot() -> Path:
    return Path(tempfile.gettempdir()) / "backprop-gui-self-test.png"


def run_self_test(screenshot: Path | None = None, deadline_seconds: float = DEADLINE_SECONDS) -> int:
    """Run the self-test in this process; returns the exit status."""
    screenshot = Path(screenshot) if screenshot is not None else default_screenshot()
    if not screenshot.parent.is_dir():
        print(f"backprop-gui: --screenshot {screenshot}: the folder {screenshot.parent} does "
              "not exist", file=sys.stderr)
        return EXIT_FAILED
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the QApplication is made
    from .launch import application
    from .x11_check import x11_problem

    problem = x11_problem()
    if problem is not None:
        print(f"backprop-gui: self-test FAILED: the desktop window cannot start: {problem}",
              file=sys.stderr)
        return EXIT_FAILED
    app = application()
    previous_handler = qInstallMessageHandler(_qt_message)
    try:
        return _run(app, screenshot, deadline_seconds)
    finally:
        qInstallMessageHandler(previous_handler)


def _run(app: QApplication, screenshot: Path, deadline_seconds: float) -> int:
    from ..core.config import load_project
    from ..resources import resource_dir
    from .launch import XOR_PRESET
    from .main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="backprop-gui-self-test-") as settings_dir:
        # its own settings: the default layout every time, and the user's left alone
        settings = QSettings(str(Path(settings_dir) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        test = SelfTest(app, window, screenshot, deadline_seconds)
        if not window.load_project(load_project(resource_dir() / XOR_PRESET)):
            print("self-test FAILED: the XOR preset could not be loaded", file=sys.stderr)
            window.document.discard()
            window.close()
            return EXIT_FAILED
        window.resize(*WINDOW_SIZE)
        window.show()
        QTimer.singleShot(0, test.start)
        previous_hook = sys.excepthook
        sys.excepthook = test.excepthook  # PySide6 reports a slot's exception through it
        try:
            code = app.exec()
        finally:
            sys.excepthook = previous_hook
        if window.isVisible():  # app.exit() from elsewhere: still stop the training thread
            window.document.discard()
            window.close()
        return code if test.code is None else test.code


def _qt_message(kind, context, message: str) -> None:
    """Qt's messages to stderr, as Qt prints them, except the harmless offscreen ones
    (the self-test's output should be its one line)."""
    if message not in HARMLESS_MESSAGES:
        print(message, file=sys.stderr, flush=True)


def _guarded(slot: Callable) -> Callable:
    """An exception in a Qt slot does not stop the event loop: end the test instead."""

    @wraps(slot)
    def guarded(self: SelfTest, *args):
        try:
            return slot(self, *args)
        except Exception as exc:  # noqa: BLE001 - any failure is the test's result
            self.crash(exc)
            return None

    return guarded


class SelfTest(QObject):
    """Drives one window through the test: start when it is exposed, pause at 100%
    accuracy (or let the run stop by itself), then, once the worker has sent everything
    and the throttled redraws have run, take the screenshot, report and quit."""

    def __init__(self, app: QApplication, window, screenshot: Path, deadline_seconds: float) -> None:
        super().__init__(window)
        self.app, self.window, self.screenshot = app, window, screenshot
        self.code: int | None = None
        self.reached_epoch: int | None = None  # first epoch at 100% accuracy
        self.reached_seconds = 0.0
        self.shown_after: float | None = None  # seconds from the program's start to the window shown
        self._settling = False
        self._sync_id = -1
        self._started = 0.0
        self._t0 = time.perf_counter()
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(round(deadline_seconds * 1000))
        self._deadline.timeout.connect(self._timed_out)
        self._deadline.start()
        session = window.session
        session.sigSnapshot.connect(self._on_snapshot)
        session.sigRunning.connect(self._on_running)
        session.sigSynced.connect(self._on_synced)
        session.sigFailed.connect(self._on_failed)

    # -- the steps ----------------------------------------------------------------------------

    @_guarded
    def start(self) -> None:
        handle = self.window.windowHandle()
        if handle is not None and not handle.isExposed():  # a screenshot now would be black
            handle.installEventFilter(self)
            return
        self._train()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and watched.isExposed() and not self._started:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._train)
        return False

    @_guarded
    def _train(self) -> None:
        if self._started:
            return
        self.window.actions.speed.setCurrentIndex(FULL_SPEED)
        self.shown_after = _process_age()
        self._started = time.perf_counter()
        self.window.actions.train.trigger()  # the toolbar's Train, as a user presses it

    @_guarded
    def _on_snapshot(self, snapshot: Snapshot) -> None:
        last = snapshot.last
        if self.reached_epoch is None and last is not None and last.metric >= 1.0:
            self.reached_seconds = time.perf_counter() - self._started
            history = self.window.session.history
            self.reached_epoch = int(history.epoch[history.metric >= 1.0][0])
            self.window.session.pause()
        if snapshot.stop is not None and self._started:
            self._settle()  # stopped by itself (epoch limit, divergence) or would not start

    @_guarded
    def _on_running(self, running: bool) -> None:
        if not running and self._started:
            self._settle()

    def _settle(self) -> None:
        """Ask the worker to answer once everything before is done (its last snapshot
        comes after it reports that it stopped)."""
        if not self._settling:
            self._settling = True
            self._sync_id = self.window.session.sync()

    @_guarded
    def _on_synced(self, n: int) -> None:
        if n != self._sync_id:
            return
        for throttle in self.window.findChildren(Throttle):
            throttle(now=True)  # the redraws held back to save time: now, for the picture
        # a first drawing lets each plot's axes find the width of their new tick labels
        # (they re-lay themselves out after it); the picture is the drawing after that
        self.window.grab()
        QTimer.singleShot(0, self._finish)  # after the updates they posted

    @_guarded
    def _finish(self) -> None:
        session = self.window.session
        last = session.last.last if session.last is not None else None
        epoch = last.epoch if last is not None else 0
        accuracy = last.metric if last is not None else float("nan")
        image = self.window.grab().toImage()
        colours = _colours(image)
        saved = colours >= MIN_COLOURS and image.save(str(self.screenshot))
        passed = self.reached_epoch is not None and saved
        shape = "-".join(str(s) for s in session.experiment.network.sizes)
        shown = f"; window shown {self.shown_after:.2f} s after start" if self.shown_after else ""
        if passed:
            line = (f"self-test passed: XOR {shape} reached 100% accuracy at epoch "
                    f"{self.reached_epoch:,} in {self.reached_seconds:.2f} s of training "
                    f"(stopped at epoch {epoch:,}, accuracy {100 * accuracy:.1f}%; "
                    f"{time.perf_counter() - self._t0:.2f} s in all{shown}); screenshot: {self.screenshot}")
        elif self.reached_epoch is None:
            stop = session.last.stop if session.last is not None else None
            why = f": {stop.message}" if stop is not None else ""
            line = (f"self-test FAILED: XOR {shape} stopped at epoch {epoch:,} with "
                    f"{100 * accuracy:.1f}% accuracy, not 100%{why}")
        elif colours < MIN_COLOURS:
            line = f"self-test FAILED: the screenshot is blank ({colours} colours): the window was not drawn"
        else:
            line = f"self-test FAILED: could not write the screenshot {self.screenshot}"
        self._end(EXIT_PASSED if passed else EXIT_FAILED, line)

    @_guarded
    def _on_failed(self, message: str) -> None:
        self._end(EXIT_BUG, f"self-test FAILED: {message}")

    @_guarded
    def _timed_out(self) -> None:
        last = self.window.session.last
        epoch = last.epoch if last is not None else 0
        self._end(EXIT_FAILED, f"self-test FAILED: no result after {self._deadline.interval() / 1000:g} s "
                               f"(at epoch {epoch:,})")

    # -- the end ------------------------------------------------------------------------------

    def crash(self, exc: BaseException) -> None:
        if os.environ.get("BACKPROP_GUI_DEBUG"):
            traceback.print_exception(exc)
        self._end(EXIT_BUG, f"self-test FAILED: internal error: {type(exc).__name__}: {exc} "
                            "(BACKPROP_GUI_DEBUG=1 shows the details)")

    def excepthook(self, kind, exc, tb) -> None:
        """An exception in any slot of the window ends the test (it would go unnoticed)."""
        self.crash(exc if exc is not None else kind())

    def _end(self, code: int, line: str) -> None:
        if self.code is not None:  # the first result stands
            return
        self.code = code
        self._deadline.stop()
        print(line, file=sys.stdout if code == EXIT_PASSED else sys.stderr, flush=True)
        try:
            self.window.document.discard()  # a test run: nothing to save
            self.window.close()  # stops the training thread; saves the layout to the temporary settings
        finally:
            self.app.exit(code)


def _colours(image: QImage, samples: int = 64) -> int:
    """How many different colours a grid of samples over the image finds."""
    if image.isNull():
        return 0
    w, h = image.width(), image.height()
    return len({image.pixel(x * w // samples, y * h // samples)
                for x in range(samples) for y in range(samples)})


def _process_age() -> float | None:
    """Seconds since the program started (Linux: from /proc, to 10 ms), counting the
    one-file build's unpacking: its bootloader is the parent process. None elsewhere."""
    try:
        pid = os.getpid()
        if getattr(sys, "frozen", False) and Path(sys._MEIPASS).name.startswith("_MEI"):
            pid = os.getppid()  # the one-file bootloader, which unpacked us
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        stat = Path(f"/proc/{pid}/stat").read_text()
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22: starttime
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
