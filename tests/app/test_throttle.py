"""Throttle: the first change shows at once, a burst of changes shows once more at the
end of the interval (the latest state), and `now` never waits."""

from backprop_gui.app.throttle import Throttle


def test_a_burst_of_calls_runs_at_once_and_once_more_at_the_end(qtbot):
    state, shown = {"value": 0}, []
    throttle = Throttle(200, lambda: shown.append(state["value"]))
    for value in range(1, 6):
        state["value"] = value
        throttle()
    assert shown == [1]  # the first at once, the rest wait
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5_000)
    assert shown == [1, 5]  # once, with the latest state
    state["value"] = 6
    throttle(now=True)
    assert shown == [1, 5, 6]


def test_nothing_more_runs_without_new_calls(qtbot):
    shown = []
    throttle = Throttle(50, lambda: shown.append(1))
    throttle()
    assert shown == [1] and not throttle._timer.isActive()  # nothing pending, nothing timed


def test_a_pending_change_runs_with_the_first_call_after_the_interval(qtbot):
    """Frames call it: the pending state shows with a frame (in the caller), not from a
    timer between two frames."""
    import time

    state, shown = {"value": 0}, []
    throttle = Throttle(200, lambda: shown.append(state["value"]))  # the timer would be at 300 ms
    throttle()
    state["value"] = 1
    throttle()  # pending
    start = time.perf_counter()
    qtbot.waitUntil(lambda: time.perf_counter() - start > 0.2, timeout=5_000)
    state["value"] = 2
    throttle()
    assert shown == [0, 2] and not throttle._timer.isActive()


def test_a_longer_interval_holds_the_next_call_back_longer(qtbot):
    """set_interval (the network view's, after a dear paint) spaces the calls further."""
    import time

    shown = []
    throttle = Throttle(10, lambda: shown.append(time.perf_counter()))
    throttle.set_interval(300)
    throttle()
    throttle()  # pending: runs when the 300 ms interval ends
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=5_000)
    assert shown[1] - shown[0] >= 0.25  # a coarse QTimer may fire 5% early; 10 ms was the old interval
