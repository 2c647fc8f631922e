"""Python's cycle collector runs in whichever thread happens to allocate past its
threshold: the training thread and the pool threads allocate all the time, and a
collection there destroys the window's Qt objects caught in reference cycles from the
wrong thread (a crash, or a deadlock between the GIL and Qt's locks). So, once per
application, automatic collection is turned off and pyqtgraph's GarbageCollector
collects on a timer in the window's thread instead (the pattern pyqtgraph and calibre use)."""

from __future__ import annotations

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QCoreApplication

#: seconds between two looks at the collector's counts
INTERVAL_S = 0.5


def collect_in_gui_thread() -> None:
    """From now on, cycles are collected only in this (the window's) thread."""
    app = QCoreApplication.instance()
    if app is not None and getattr(app, "_gui_thread_gc", None) is None:
        app._gui_thread_gc = GarbageCollector(interval=INTERVAL_S)
