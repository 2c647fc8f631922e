"""The peak envelope of a growing history, frame after frame, against a plain reference:
every bin's min and max of the rows themselves, the latest row exact, few points."""

import numpy as np
import pytest

from backprop_gui.app.plots.decimate import PeakEnvelope


def reference(x, y, per_bin, binned_rows):
    """Bins of `per_bin` rows up to `binned_rows`, by a plain loop; the rest as is."""
    xs, ys = [], []
    for start in range(0, binned_rows, per_bin):
        rows = y[start:start + per_bin]
        xs += [x[start], x[start]]
        ys += [rows.min(axis=0), rows.max(axis=0)]
    return np.array(xs + list(x[binned_rows:])), np.array(ys + list(y[binned_rows:]))


@pytest.mark.parametrize("columns", [None, 3])
def test_the_envelope_matches_a_plain_loop_as_the_history_grows(columns):
    rng = np.random.default_rng(1)
    n = 60_000
    x = np.arange(1, n + 1)
    y = rng.lognormal(size=(n,) if columns is None else (n, columns))
    y[12_345] = 1e6  # a spike survives
    envelope = PeakEnvelope(max_points=500)
    for rows in (100, 499, 500, 501, 2_000, 2_001, 9_999, 31_000, 45_678, n):
        xs, ys = envelope.update(x[:rows], y[:rows])
        if rows <= 500:
            assert len(xs) == rows and (ys == y[:rows]).all()
            continue
        ref_x, ref_y = reference(x[:rows], y[:rows], envelope.per_bin, envelope.binned_rows)
        np.testing.assert_array_equal(xs, ref_x)
        np.testing.assert_array_equal(ys, ref_y)
        assert xs[-1] == x[rows - 1] and (ys[-1] == y[rows - 1]).all()
        assert (ys.max(axis=0) == y[:rows].max(axis=0)).all()
        assert len(xs) <= 500 + 2 * envelope.per_bin


def test_a_restart_or_fewer_rows_starts_over():
    x = np.arange(10_000.0)
    y = np.sin(x)
    envelope = PeakEnvelope(max_points=200)
    first = envelope.update(x, y)
    y2 = y.copy()
    y2[:5_000] = 7.0  # earlier rows changed (the history was thinned)
    assert envelope.update(x, y2)[1].max() < 7.0  # not told: the old bins stay
    assert envelope.update(x, y2, version="thinned")[1].max() == 7.0
    xs, _ = envelope.update(x[:3_000], y[:3_000])  # shorter: starts over by itself
    assert xs[-1] == 2_999 and len(xs) < len(first[0]) + 400
