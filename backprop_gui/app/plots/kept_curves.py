"""Kept runs drawn beside the live one: fainter curves, one legend entry per run.

The cost plot and the gradient plot each hold a KeptCurves. A kept run never changes, so
its curves are remade only when the runs kept, the column shown (loss or accuracy, RMS
or L2 norm), a log axis or a zoom change; never on a frame of the live run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

from ...core.history import History
from ...core.kept_runs import KeptRun
from .decimate import PeakEnvelope
from .history_curve import HistoryCurve
from .ranges import Span, finite_span

#: the kept runs' colours on the cost plot, by their number: Okabe-Ito and Tableau hues
#: other than the live run's blue and red
RUN_COLORS = ["#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c564b", "#7f7f7f", "#bcbd22", "#17becf"]
#: and their dash on the gradient plot, where the colour is the layer's
RUN_DASHES = [Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine,
              Qt.PenStyle.DashDotDotLine]
#: how opaque a kept run's curves are (of 255): there, but behind the live run
FAINT = 150


def run_color(run: KeptRun) -> str:
    return RUN_COLORS[(run.number - 1) % len(RUN_COLORS)]


def run_dash(run: KeptRun) -> Qt.PenStyle:
    return RUN_DASHES[(run.number - 1) % len(RUN_DASHES)]


def faint_pen(color: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    c = QColor(color)
    c.setAlpha(FAINT)
    return pg.mkPen(c, width=1, style=style)


@dataclass(frozen=True)
class KeptLine:
    """One curve of a kept run: its pen and its column of the run's history."""

    pen: QPen
    column: Callable[[History], np.ndarray]


class KeptCurves:
    """The kept runs' curves in one plot, behind the live ones."""

    def __init__(self, item: pg.PlotItem, legend: pg.LegendItem) -> None:
        self.item, self.legend = item, legend
        self.curves: list[HistoryCurve] = []
        self._samples: list[HistoryCurve] = []  # legend entries: one per run
        self._shown: tuple | None = None  # what the curves were made for

    def show(self, runs: list[tuple[KeptRun, str]], lines: Callable[[KeptRun], list[KeptLine]],
             sample: Callable[[KeptRun], QPen], log: bool, zoomed: tuple[float, float] | None,
             key: object = None, first: tuple[QPen, str] | None = None) -> None:
        """Draw the visible runs (each with its label): `lines(run)` says which of its
        columns, with which pens; `sample(run)` the pen of its legend entry; `first`, a
        legend entry (pen, label) before theirs when any is drawn. Nothing is remade while
        runs, key, log and zoom are as last time."""
        shown = ([(id(run), run.visible, label) for run, label in runs], key, log, zoomed,
                 first[1] if first else None)
        if shown == self._shown:
            return
        self._shown = shown
        self.clear()
        if first is not None and any(run.visible for run, _ in runs):
            self._add_entry(*first)
        for run, label in runs:
            if not run.visible or run.last is None:
                continue
            h = run.history
            for line in lines(run):
                curve = HistoryCurve(line.pen)
                curve.setZValue(-1)  # behind the live run's curves
                curve.setLogMode(False, log)
                self.item.addItem(curve)  # nameless: not in the legend (one entry a run is)
                y = line.column(h)
                x, y_shown = (h.epoch, y) if zoomed is not None else PeakEnvelope().update(h.epoch, y)
                curve.show_rows(x, y_shown, zoomed, lambda h=h, c=line.column: (h.epoch, c(h)))
                self.curves.append(curve)
            self._add_entry(sample(run), label)

    def _add_entry(self, pen: QPen, label: str) -> None:
        entry = HistoryCurve(pen, label)  # never drawn: the legend reads its pen
        self._samples.append(entry)
        self.legend.addItem(entry, label)

    def clear(self) -> None:
        for curve in self.curves:
            self.item.removeItem(curve)
        for entry in self._samples:
            self.legend.removeItem(entry)
        self.curves, self._samples = [], []
        self._shown = None

    def spans(self, log: bool) -> tuple[float, float, Span | None] | None:
        """(first epoch, last epoch, values in view coordinates) of the curves drawn, for
        the plot's range: the kept runs are compared with the live one on one pair of axes."""
        drawn = [c.drawn for c in self.curves if len(c.drawn[0])]
        if not drawn:
            return None
        values = [s for s in (finite_span(np.asarray(y, float), log) for _, y in drawn) if s is not None]
        return (min(float(x[0]) for x, _ in drawn), max(float(x[-1]) for x, _ in drawn),
                (min(s[0] for s in values), max(s[1] for s in values)) if values else None)


def merge_spans(first: float, last: float, values: Span | None,
                kept: tuple[float, float, Span | None] | None,
                log: bool) -> tuple[float, float, Span | None]:
    """The live run's extent and the kept runs' together. Above the live run's values
    the kept ones reach at most as far again as the live run spans (a decade, at least,
    on a log axis): a kept run that diverged to 10^300 shoots off the top instead of
    flattening every other curve onto one line."""
    if kept is None:
        return first, last, values
    k_first, k_last, k_values = kept
    if values is None or k_values is None:
        values = values or k_values
    else:
        low, high = values
        room = max(high - low, 1.0 if log else 0.5 * abs(high))
        values = (min(low, k_values[0]), max(high, min(k_values[1], high + room)))
    return min(first, k_first), max(last, k_last), values
