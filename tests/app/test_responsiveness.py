"""The window stays responsive while training at full speed: the GUI thread's own timers
keep firing, snapshots keep coming without piling up, and an idle plot does not keep
re-ranging itself. (Speeds are measured by tests/benchmarks/bench_app.py, not here.)"""

import time

import numpy as np
from PySide6.QtCore import QTimer


def busy(seconds: float) -> None:
    """Hold the GUI thread (and the GIL) for `seconds`: a slow screen."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_slow_screen_gets_fewer_frames_and_its_timers_still_fire(qtbot, make_window):
    window = make_window("xor")
    window.hyper.epochs.setValue(10**7)
    ticks, snapshots = [], []
    # every frame costs 60 ms of GUI time, more than the worker's 33 ms between frames:
    # when the worker sent a frame as soon as the last one was handled, the queue never
    # emptied and a 10 ms timer fired twice in a minute
    window.session.sigSnapshot.connect(lambda s: (snapshots.append(s.epoch), busy(0.06)))
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(len(snapshots)))
    with qtbot.waitSignal(window.session.sigRunning):
        window.session.train()
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 100, timeout=60_000)
    timer.stop()
    assert window.session.running and snapshots == sorted(snapshots)
    # the loop went idle (and ran the timer) between every two frames, not now and then
    between = set(ticks) - {0}
    assert len(snapshots) >= 3 and len(between) >= len(snapshots) - 1


def test_a_paused_plot_keeps_its_range(qtbot, make_window):
    window = make_window("xor")
    window.hyper.epochs.setValue(10**7)
    with qtbot.waitSignal(window.session.sigRunning):
        window.session.train()
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.epoch > 3000,
                    timeout=30_000)
    with qtbot.waitSignal(window.session.sigSynced):
        window.session.pause()
        window.session.sync()  # the pause's snapshot is in
    views = [window.cost.view, window.gradients.view]
    last_epoch = window.session.history.epoch[-1]
    qtbot.waitUntil(lambda: all(v.viewRange()[0][1] >= last_epoch for v in views))  # ... and drawn
    changes = []
    for view in views:
        view.sigRangeChanged.connect(lambda *args: changes.append(args))
    ranges = [view.viewRange() for view in views]
    ticks = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 40, timeout=10_000)  # the loop ran, repainting
    timer.stop()
    assert changes == [] and [view.viewRange() for view in views] == ranges
    # the ranges hold every recorded epoch and loss, not just the downsampled curve
    history = window.session.history
    (x0, x1), (y0, y1) = window.cost.view.viewRange()
    assert x0 <= history.epoch[0] and history.epoch[-1] <= x1
    logs = np.log10(history.train_loss)
    assert y0 <= logs.min() and logs.max() <= y1
