"""The history plots' axis ranges: they hold all the data (not only what downsampling
drew), move in steps, and stay put while nothing changes."""

import math

import numpy as np
import pytest

from backprop_gui.app.plots.ranges import epoch_span, finite_span, round_up, value_span


@pytest.mark.parametrize(("x", "expected"), [(1, 1), (1.1, 1.25), (2500, 2500), (2501, 3000),
                                             (7, 8), (8.5, 10), (0.013, 0.015), (99_999, 100_000)])
def test_round_up_ends_on_round_numbers(x, expected):
    assert round_up(x) == pytest.approx(expected)


def test_round_up_never_leaves_more_than_a_quarter_empty():
    for x in np.geomspace(0.001, 1e7, 2000):
        up = round_up(x)
        assert x <= up * (1 + 1e-12) and 0.75 * up <= x * (1 + 1e-9)  # at most 25% empty


def test_epoch_span_starts_just_before_the_first_epoch_and_ends_on_a_round_number():
    low, high = epoch_span(0, 2400)
    assert high == 2500 and -0.05 * 2500 < low < 0
    low, high = epoch_span(1, 1)
    assert high == 2 and low < 1


def test_value_span_holds_the_data_with_a_margin_and_stays_while_they_fill_it():
    first = value_span(-3.2, -0.9, None)
    assert first[0] < -3.2 and first[1] > -0.9
    # more data inside it: the same range, so the axis is not re-made
    assert value_span(-3.0, -1.0, first) == first
    # data beyond it, or filling too little of it: a new range that holds them
    for low, high in ((-4.1, -1.0), (-1.2, -1.0)):
        new = value_span(low, high, first)
        assert new != first and new[0] < low and new[1] > high


def test_value_span_of_a_flat_line_is_not_empty():
    low, high = value_span(0.125, 0.125, None)
    assert low < 0.125 < high and math.isfinite(low) and math.isfinite(high)


def test_finite_span_leaves_out_nan_inf_and_on_a_log_axis_non_positive_values():
    data = np.array([1e-3, 1e-2, np.nan, np.inf, 0.0, -1.0, 1e-4])
    assert finite_span(data, log=True) == pytest.approx((-4, -2))
    assert finite_span(data, log=False) == (-1.0, 1e-2)
    assert finite_span(np.array([[1.0, -2.0], [3.0, np.nan]]), log=False) == (-2.0, 3.0)
    assert finite_span(np.array([np.nan, 0.0]), log=True) is None


def test_a_slow_run_keeps_the_round_numbers_a_fast_one_steps_about_once_a_second():
    from backprop_gui.app.plots.ranges import EpochAxis

    slow, fast = EpochAxis(), EpochAxis()
    slow_ends, fast_ends = set(), set()
    for frame in range(1, 251):  # ten seconds at 25 frames a second
        now = frame / 25
        slow_ends.add(slow.span(0, 300 * now, now)[1])
        fast_ends.add(fast.span(0, 20_000 * now, now)[1])
        for axis, last in ((slow, 300 * now), (fast, 20_000 * now)):
            assert axis.span(0, last, now)[1] >= last  # the data always fit
    assert max(slow_ends) == round_up(3000)  # 300 epochs/s: never further ahead than needed
    assert len(fast_ends) <= 13  # ~1 a second; round_up alone takes 21 steps to 200,000
    assert len({round_up(20_000 * f / 25) for f in range(1, 251)}) == 21


def test_the_epoch_axis_starts_again_for_a_new_run():
    from backprop_gui.app.plots.ranges import EpochAxis

    axis = EpochAxis()
    axis.span(0, 50_000, 1.0)
    axis.span(0, 90_000, 2.0)  # fast: far ahead
    assert axis.span(0, 10, 3.0)[1] == round_up(10)  # fewer epochs than before: a new run
    axis.reset()
    assert axis.span(0, 40, 4.0)[1] == round_up(40)


def test_epoch_counts_read_short_from_ten_thousand_on(qtbot):
    from backprop_gui.app.style import CountAxis

    axis = CountAxis("bottom")
    assert axis.tickStrings([0.0, 2500.0, 5000.0], 1.0, 2500.0) == ["0", "2500", "5000"]
    assert axis.tickStrings([0.0, 10_000.0, 12_500.0], 1.0, 2500.0) == ["0", "10k", "12.5k"]
    assert axis.tickStrings([1e6, 1.5e6], 1.0, 5e5) == ["1M", "1.5M"]


def test_a_stopped_run_ends_at_its_data_until_it_trains_again():
    from backprop_gui.app.plots.ranges import EpochAxis

    axis = EpochAxis()
    axis.span(0, 1_000, 1.0)
    assert axis.span(0, 20_000, 2.0)[1] > 30_000  # fast: a second ahead
    axis.live = False
    axis.reset()
    assert axis.span(0, 20_000, 2.0)[1] == round_up(20_000)
    assert axis.span(0, 21_000, 2.001)[1] == round_up(21_000)  # the last rows: still no leap
    axis.live = True
    axis.span(0, 21_000, 3.0)
    assert axis.span(0, 41_000, 4.0)[1] >= 60_000  # 20,000 a second: a second ahead
