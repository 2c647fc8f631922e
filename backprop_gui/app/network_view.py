"""The drawing of the multilayer perceptron, repainted live while it trains (the network
editor, network_editor.py, adds the controls that change it).

Layout (neuron positions, link end points, labels) is computed only when the network or
the widget size changes. New weights are reduced to a picture (network_picture.py): each
link's bucket of 8 widths x 2 signs and each neuron's tint, in a few steps. Only a picture
that differs from the one on screen is repainted (at most 10 times a second), with one
`drawLines` call per bucket: a trained network's weights drift without changing a pixel.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from .network_highlight import Highlight, paint_highlight
from .network_picture import LEVELS, NEGATIVE, NONFINITE, POSITIVE, Picture, make_picture, mix, pen_for
from .throttle import Throttle

#: the strongest link's width (px), narrowed where many links fan out of one neuron, lest
#: they merge into a blot
WIDEST = 6.0
MAX_UNITS = 24  # a wider layer shows only its first SHOWN units and a "⋮ +n" marker
SHOWN = 20
DENSE = 300  # above this many links, the faint thinner half is drawn without antialiasing
REPAINTS_PER_SECOND = 10  # new weights while training, at most ...
PAINT_SHARE = 0.05  # ... and no more often than this share of the time goes into painting


class NetworkView(QWidget):
    """Neurons in columns (inputs left, outputs right); links coloured by sign, thick by |w|."""

    #: pixels kept free under the column headers and above the legend, for an editor's controls
    top_room = 0.0
    bottom_room = 0.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0))
        self.setFont(font)
        self._pens: list[QPen] = []
        self._pens_for: tuple[int, float] = (0, 0.0)  # (background rgba, widest) they were made for
        self._widest = WIDEST
        self._bad_pen = QPen(NONFINITE, 1.0, Qt.PenStyle.DashLine)
        self._refresh = Throttle(1000 // REPAINTS_PER_SECOND, self._repaint_if_changed, self)
        self._sizes: list[int] = []
        self._activations: list[str] = []
        self._in_names: list[str] = []
        self._out_names: list[str] = []
        self._W: list[np.ndarray] = []  # as given: the caller's arrays, not copies
        self._b: list[np.ndarray] = []
        self._dW: list[np.ndarray] = []
        self._painted: Picture | None = None  # what the last paint showed
        self._sprites: dict[tuple, QPixmap] = {}  # a neuron's circle per look: blitted, not drawn
        self._xy: list[np.ndarray] = []  # per layer, (shown units, 2) neuron centres
        self._links = np.empty(0, dtype=object)  # QLineF per drawn link, layer by layer in W order
        self._ends = np.zeros((0, 4))  # per drawn link: x0, y0, x1, y1
        self._link_ids = np.zeros((0, 3), dtype=int)  # per drawn link: layer, source unit, unit
        self._markers: list[tuple[int, QRectF]] = []  # (layer, rect) of "⋮ +n" markers
        self._radius, self._gap, self._named, self._label_w = 8.0, 100.0, False, [0.0, 0.0]
        self._highlight: Highlight | None = None  # the inspector's stage, if any

    # -- API ----------------------------------------------------------------------------
    def set_network(self, sizes: list[int], activations: list[str],
                    input_names: list[str], output_names: list[str]) -> None:
        """New architecture: forget the old weights and recompute the layout."""
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} weight layers need as many activations")
        self._sizes, self._activations = list(sizes), list(activations)
        self._in_names = [*input_names, *(f"x{i + 1}" for i in range(len(input_names), sizes[0]))]
        self._out_names = [*output_names, *(f"y{i + 1}" for i in range(len(output_names), sizes[-1]))]
        self._W, self._b = [], []
        self._layout()
        self.update()

    def set_weights(self, W: list[np.ndarray], b: list[np.ndarray],
                    dW: list[np.ndarray] | None = None) -> None:
        """Store W[i] (fan_in, fan_out) and b[i] of layer i+1 (and dW[i], the latest
        gradient, for the links' tooltips) and schedule a repaint if they look different.
        Repaints come at most REPAINTS_PER_SECOND: hundreds of links cost a paint up to
        5 ms, and weights drift too slowly for the eye to miss a frame."""
        self._W, self._b, self._dW = W, b, dW or []
        self._refresh()

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark the columns an inspector stage works on (None: no mark)."""
        if highlight != self._highlight:
            self._highlight = highlight
            self.update()

    def _repaint_if_changed(self) -> None:
        if self._make_picture() != self._painted:
            self.update()

    def neuron_position(self, layer: int, unit: int) -> QPointF:
        """Centre of a drawn neuron (layer 0 = inputs, unit 0-based); IndexError if not drawn."""
        x, y = self._xy[layer][unit]
        return QPointF(float(x), float(y))

    def layer_x(self, layer: int) -> float:
        """Centre of a drawn column (layer 0 = inputs)."""
        return float(self._xy[layer][0, 0])

    @property
    def layer_gap(self) -> float:
        """Distance between two columns' centres."""
        return self._gap

    @property
    def sizes(self) -> list[int]:
        return list(self._sizes)

    @property
    def activations(self) -> list[str]:
        return list(self._activations)

    def neuron_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(layer, unit) of the drawn neuron under `pos`, or None."""
        r = self._radius + 3
        best = None
        for layer, xy in enumerate(self._xy):
            d2 = (xy[:, 0] - pos.x()) ** 2 + (xy[:, 1] - pos.y()) ** 2
            hits = np.flatnonzero(d2 <= r * r)
            if hits.size:
                unit = int(hits[np.argmin(d2[hits])])
                if best is None or d2[unit] < best[0]:
                    best = (float(d2[unit]), layer, unit)
        return None if best is None else best[1:]

    def link_at(self, pos: QPointF, reach: float = 4.0) -> tuple[int, int, int] | None:
        """(layer, source unit, unit) of the drawn link nearest `pos`, if within `reach`
        pixels: the weight W_layer[source, unit]."""
        if not len(self._ends):
            return None
        x0, y0, x1, y1 = self._ends.T
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((pos.x() - x0) * dx + (pos.y() - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
        d2 = (x0 + t * dx - pos.x()) ** 2 + (y0 + t * dy - pos.y()) ** 2
        nearest = int(np.argmin(d2))
        if d2[nearest] > reach * reach:
            return None
        layer, source, unit = self._link_ids[nearest].tolist()
        return layer, source, unit

    def unit_name(self, layer: int, unit: int) -> str:
        """How a neuron is called in tooltips and messages."""
        if layer == 0:
            return self._in_names[unit]
        if layer == len(self._sizes) - 1:
            return f"output {self._out_names[unit]}"
        return f"{self._layer_name(layer)} unit {unit + 1}"

    def weight(self, layer: int, source: int | None, unit: int) -> float | None:
        """The shown value of W_layer[source, unit] (source None: the bias b_layer[unit]),
        or None while the weights do not match the drawn network."""
        if not self._weights_fit():
            return None
        if source is None:
            return float(self._b[layer - 1][unit])
        return float(self._W[layer - 1][source, unit])

    def tooltip_at(self, pos: QPointF) -> str | None:
        """Text describing the neuron or "⋮" marker under `pos`, or None."""
        for layer, rect in self._markers:
            if rect.contains(pos):
                n = self._sizes[layer]
                return (f"{self._layer_name(layer)}: {n - SHOWN} more units not drawn\n"
                        f"only the first {SHOWN} of {n} units and their links are shown")
        neuron = self.neuron_at(pos)
        if neuron is not None:
            return self._describe(*neuron)
        link = self.link_at(pos)
        if link is not None:
            return self._describe_link(*link)
        return None

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 160)

    # -- layout, only on resize / new network ---------------------------------------------
    def _layer_name(self, layer: int) -> str:
        last = len(self._sizes) - 1
        return "input" if layer == 0 else "output" if layer == last else f"hidden {layer}"

    def _describe(self, layer: int, unit: int) -> str:
        if layer == 0:
            return f"input {unit + 1} of {self._sizes[0]}: {self._in_names[unit]}\nno activation, no bias"
        head = f"{self._layer_name(layer)} (layer {layer}), unit {unit + 1} of {self._sizes[layer]}"
        if layer == len(self._sizes) - 1:
            head += f": {self._out_names[unit]}"
        bias = f"{float(self._b[layer - 1][unit]):.4g}" if self._weights_fit() else "not set yet"
        note = f"\n(only the first {SHOWN} of {self._sizes[layer]} units are drawn)" \
            if self._sizes[layer] > MAX_UNITS else ""
        return f"{head}\nactivation: {self._activations[layer - 1]}\nbias: {bias}{note}"

    def _header(self, layer: int) -> str:
        """A column's second header line: its units and activation."""
        n = self._sizes[layer]
        return f"{n}" if layer == 0 else f"{n} · {self._activations[layer - 1]}"

    def _describe_link(self, layer: int, source: int, unit: int) -> str:
        w = self.weight(layer, source, unit)
        value = "not set yet" if w is None else f"{w:.4g}"
        text = (f"weight W{layer}[{source + 1}, {unit + 1}]: {self.unit_name(layer - 1, source)} → "
                f"{self.unit_name(layer, unit)}\nw = {value}")
        if w is not None and len(self._dW) == len(self._W):
            g = float(self._dW[layer - 1][source, unit])
            text += f"\n∂L/∂w = {g:.3g} at the latest step (plain SGD moves w by −η times it)"
        return text

    def _weights_fit(self) -> bool:
        """Weights match the drawn architecture (they may lag behind a set_network call)."""
        pairs = list(zip(self._sizes[:-1], self._sizes[1:]))
        return (len(self._W) == len(pairs) == len(self._b)
                and all(np.shape(w) == p and np.shape(b) == (p[1],)
                        for w, b, p in zip(self._W, self._b, pairs)))

    def _layout(self) -> None:
        """Neuron centres, link end points and label rects for the current size."""
        self._xy, self._markers = [], []
        self._links = np.empty(0, dtype=object)
        self._ends, self._link_ids = np.zeros((0, 4)), np.zeros((0, 3), dtype=int)
        if not self._sizes:
            return
        fm = QFontMetricsF(self.font())
        lh, w, h = fm.height(), float(self.width()), float(self.height())
        top, bottom = 2 * lh + 10 + self.top_room, h - lh - 12 - self.bottom_room  # headers, legend
        shown = [min(n, SHOWN) if n > MAX_UNITS else n for n in self._sizes]
        if shown != self._sizes:
            bottom -= lh + 2  # room for the "⋮ +n" markers under the truncated columns
        dy = min((bottom - top) / max(shown), 56.0)
        self._named = named = dy >= lh * 0.9  # names beside neurons only a line of text apart
        self._label_w = [min(max(fm.horizontalAdvance(n) for n in names), 0.18 * w) if named else 0.0
                         for names in (self._in_names, self._out_names)]
        left, right = 14 + self._label_w[0], w - 14 - self._label_w[1]
        self._gap = (right - left) / (len(self._sizes) - 1)
        self._radius = float(np.clip(min(dy * 0.36, self._gap * 0.12), 2.5, 13.0))
        left, right = left + self._radius, right - self._radius
        self._gap = (right - left) / (len(self._sizes) - 1)
        cy = (top + bottom) / 2
        for layer, s in enumerate(shown):
            x = left + self._gap * layer
            ys = cy + (np.arange(s) - (s - 1) / 2) * dy
            self._xy.append(np.column_stack([np.full(s, x), ys]))
            if self._sizes[layer] > s:
                self._markers.append((layer, QRectF(x - 30, ys[-1] + self._radius + 1, 60, lh)))
        self._widest = float(np.clip(WIDEST * np.sqrt(4 / max(shown)), 1.5, WIDEST))
        ends, ids = [], []
        for layer, (a, c) in enumerate(zip(self._xy[:-1], self._xy[1:]), start=1):
            source, unit = np.meshgrid(np.arange(len(a)), np.arange(len(c)), indexing="ij")
            ends.append(np.column_stack([a[source.ravel()], c[unit.ravel()]]))
            ids.append(np.column_stack([np.full(source.size, layer), source.ravel(), unit.ravel()]))
        self._ends = np.concatenate(ends)
        self._link_ids = np.concatenate(ids).astype(int)
        self._links = np.empty(len(self._ends), dtype=object)
        self._links[:] = [QLineF(*end) for end in self._ends.tolist()]

    def resizeEvent(self, event) -> None:
        self._layout()
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        p.fillRect(self.rect(), base)
        if self._highlight is not None and self._sizes:
            paint_highlight(p, self, self._highlight)
        grey = mix(base, text, 0.55)
        if not self._sizes:
            p.setPen(grey)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "no network")
        else:
            start = time.perf_counter()
            picture = self._painted = self._make_picture()  # the palette may have changed
            self._paint_links(p, picture)
            self._paint_neurons(p, picture, text)
            self._paint_labels(p, text, grey)
            self._paint_legend(p, grey)
            # hundreds of antialiased links take ~10 ms: a big net's live repaints come
            # less often, so that they cost the window's thread at most PAINT_SHARE
            cost = time.perf_counter() - start
            self._refresh.set_interval(max(1000 // REPAINTS_PER_SECOND, round(1000 * cost / PAINT_SHARE)))
        p.end()

    def _make_picture(self) -> Picture:
        base = self.palette().color(QPalette.ColorRole.Base)
        fit = self._weights_fit()
        return make_picture(self._W if fit else [], self._b if fit else [], self._xy, base)

    def _paint_links(self, p: QPainter, picture: Picture) -> None:
        """Every drawn link by its bucket of (sign, width level), one drawLines per bucket."""
        lines = self._links
        if not picture.fit:
            p.setPen(QPen(NONFINITE, 0.5))
            p.drawLines(lines.tolist())
            return
        base = self.palette().color(QPalette.ColorRole.Base)
        if self._pens_for != (base.rgba(), self._widest):
            self._pens_for = (base.rgba(), self._widest)
            self._pens = [pen_for(base, c, k, self._widest)
                          for c in (POSITIVE, NEGATIVE) for k in range(LEVELS)]
        keys = picture.links
        bad = lines[keys < 0]
        if bad.size:
            p.setPen(self._bad_pen)
            p.drawLines(bad.tolist())
        dense = len(lines) > DENSE
        for level in range(LEVELS):  # thin first, so strong links stay on top
            p.setRenderHint(QPainter.RenderHint.Antialiasing, not dense or level >= LEVELS // 2)
            for key in (level, LEVELS + level):
                chosen = lines[keys == key]
                if chosen.size:
                    p.setPen(self._pens[key])
                    p.drawLines(chosen.tolist())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)

    def _paint_neurons(self, p: QPainter, picture: Picture, text: QColor) -> None:
        """Circles filled with their picture's tint, each blitted from a sprite."""
        outline = mix(self.palette().color(QPalette.ColorRole.Base), text, 0.65)
        half = math.ceil(self._radius) + 1
        for xy, fill in zip(self._xy, picture.fills):
            for (x, y), c in zip(xy.tolist(), fill.tolist()):
                p.drawPixmap(QPointF(x - half, y - half), self._sprite(tuple(c), outline, half))

    def _sprite(self, fill: tuple[int, int, int], outline: QColor, half: int) -> QPixmap:
        """An antialiased circle of the current radius, drawn once per look and scale."""
        ratio = self.devicePixelRatioF()
        key = (fill, outline.rgba(), self._radius, ratio)
        sprite = self._sprites.get(key)
        if sprite is None:
            if len(self._sprites) > 512:  # radii and tints come and go with sizes and runs
                self._sprites.clear()
            sprite = QPixmap(round(2 * half * ratio), round(2 * half * ratio))
            sprite.setDevicePixelRatio(ratio)
            sprite.fill(Qt.GlobalColor.transparent)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(outline, 1.0))
            painter.setBrush(QColor(*fill))
            painter.drawEllipse(QPointF(half, half), self._radius, self._radius)
            painter.end()
            self._sprites[key] = sprite
        return sprite

    def _paint_labels(self, p: QPainter, text: QColor, grey: QColor) -> None:
        """Column headers, the input / output names when they fit, and "⋮ +n" markers."""
        fm = QFontMetricsF(self.font())
        lh, w = fm.height(), float(self.width())
        for layer, xy in enumerate(self._xy):
            n, x, name = self._sizes[layer], float(xy[0, 0]), self._layer_name(layer)
            second = self._header(layer)
            # centred on the column, but within its half-gaps and the widget; shorter if need be
            lo, hi = max(4.0, x - self._gap / 2 + 3), min(w - 4, x + self._gap / 2 - 3)
            rows = ((name, name.replace("hidden ", "h"), text), (second, f"{n}", grey))
            for row, (line, short, pen) in enumerate(rows):
                if fm.horizontalAdvance(line) > hi - lo:
                    line = short
                tw = min(fm.horizontalAdvance(line) + 2, hi - lo)
                left = min(max(x - tw / 2, lo), hi - tw)
                p.setPen(pen)
                p.drawText(QRectF(left, 4 + row * lh, tw, lh), Qt.AlignmentFlag.AlignCenter,
                           fm.elidedText(line, Qt.TextElideMode.ElideRight, tw))
        if self._named:
            p.setPen(text)
            A, r = Qt.AlignmentFlag, self._radius
            for xy, names, lw, left in ((self._xy[0], self._in_names, self._label_w[0] + 2, True),
                                        (self._xy[-1], self._out_names, self._label_w[1] + 2, False)):
                align = A.AlignVCenter | (A.AlignRight if left else A.AlignLeft)
                for (x, y), name in zip(xy.tolist(), names):
                    p.drawText(QRectF(x - r - 4 - lw if left else x + r + 4, y - lh / 2, lw, lh), align,
                               fm.elidedText(name, Qt.TextElideMode.ElideRight, lw))
        p.setPen(grey)
        for layer, rect in self._markers:
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"⋮ +{self._sizes[layer] - SHOWN}")

    def _paint_legend(self, p: QPainter, grey: QColor) -> None:
        """Bottom-left: the two sign swatches and what thickness means; short words if narrow."""
        fm = QFontMetricsF(self.font())
        for words in (("positive weight", "negative weight", "thickness = |w|"),
                      ("positive", "negative", "width = |w|"), ("positive", "negative")):
            if 2 * 20 + len(words) * 14 + sum(map(fm.horizontalAdvance, words)) <= self.width() - 8:
                break
        x, y = 8.0, self.height() - fm.height() / 2 - 6
        for color, word in zip((POSITIVE, NEGATIVE, None), words):
            if color is not None:
                p.setPen(QPen(color, 4))
                p.drawLine(QPointF(x, y), QPointF(x + 16, y))
                x += 20
            p.setPen(grey)
            p.drawText(QPointF(x, y + fm.ascent() / 2 - 1), word)
            x += fm.horizontalAdvance(word) + 14


def _preview(big: bool) -> NetworkView:
    """An XOR 2-3-1 net (or 2-64-64-64-1) with uniform [-1, 1] weights, for a quick look."""
    sizes = [2, 64, 64, 64, 1] if big else [2, 3, 1]
    rng = np.random.default_rng(0)
    view = NetworkView()
    hidden = "relu" if big else "sigmoid"
    view.set_network(sizes, [hidden] * (len(sizes) - 2) + ["sigmoid"], ["x1", "x2"], ["y"])
    view.set_weights([rng.uniform(-1, 1, (i, o)) for i, o in zip(sizes[:-1], sizes[1:])],
                     [rng.uniform(-1, 1, o) for o in sizes[1:]])
    return view


if __name__ == "__main__":
    app = QApplication(sys.argv)
    big = "big" in sys.argv[1:]
    view = _preview(big)
    view.resize(*((600, 400) if big else (420, 300)))
    view.show()
    sys.exit(app.exec())
