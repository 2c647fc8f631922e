"""The confusion matrices of the network now, on the training and the validation data,
with the accuracy under each; for regression, R² in words.

One widget paints it all with a QPainter, and only when the numbers change: a snapshot
whose scores were not remade, or hold the counts already shown, costs a comparison. The
geometry (cell size, where each matrix goes) is worked out on a resize or a new
experiment, never per frame; what stays (titles, class names) is painted once into a
pixmap; the cells are one image made in NumPy. The widget's size never follows its
numbers, so nothing around it is laid out again while training."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QImage, QPainter, QPixmap, QStaticText
from PySide6.QtWidgets import QFrame, QScrollArea, QToolTip, QVBoxLayout, QWidget

from ...core.confusion import Confusion, ConfusionMatrix, RSquared, Scores
from ...core.experiment import Experiment

EXPLANATION = "Rows: true class; columns: what the network predicted."
DETAIL = ("Each cell counts the samples of its row's class that the network puts in its column's "
          "class, shaded by its share of the row: the diagonal (blue) is right, the rest (orange) "
          "wrong. These are the network's current weights.")
R2_EXPLANATION = ("R² = 1 − squared error ÷ the target's variance: 1 is a perfect fit, 0 no better "
                  "than always predicting the mean, below 0 worse than that.")
#: colour-blind-friendly (Okabe-Ito) blue for right answers, vermillion for mistakes
RIGHT, WRONG = QColor("#0072b2"), QColor("#d55e00")
INK, MUTED, WHITE, GRID = QColor("#202020"), QColor("#767676"), QColor("#ffffff"), QColor("#d8d8d8")
ZERO = QColor("#a8a8a8")  # an empty cell's 0: there, but quieter than a count
SHADES = 65  # steps from white to full colour
MIN_TINT = 8  # the step of a cell with any count at all: one mistake in 500 still shows
SHOW_ZEROS = 8  # a bigger matrix leaves its empty cells blank (0 in 380 of 400 is noise)
MIN_CELL, MAX_CELL = 18, 60  # px: below MIN_CELL the view scrolls
MAX_LABEL = 96  # px: longer class names are elided (the tooltip has them whole)
GAP, MARGIN, PAD = 18, 6, 3
R2_SIZE = QSize(300, 130)  # below it the R² text scrolls
NOTHING_LOADED, NO_NUMBERS = "No data yet: open a project.", "No numbers yet."
A = Qt.AlignmentFlag


def shade(base: QColor, share: float) -> QColor:
    """White blended towards `base` by `share` (0..1)."""
    return QColor.fromRgbF(*(1 - share * (1 - c) for c in (base.redF(), base.greenF(), base.blueF())))


def text_on(fill: QColor) -> QColor:
    """Dark or white text, whichever contrasts more with `fill` (WCAG contrast ratio)."""
    def luminance(c: QColor) -> float:
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
               for v in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    lum = luminance(fill)
    return WHITE if 1.05 / (lum + 0.05) > (lum + 0.05) / (luminance(INK) + 0.05) else INK


def _steps(base: QColor) -> tuple[np.ndarray, np.ndarray]:
    """Each step's fill as 0xffRRGGBB, and whether its text is white."""
    fills = [shade(base, k / (SHADES - 1)) for k in range(SHADES)]
    return (np.array([f.rgb() & 0xFFFFFFFF for f in fills], np.uint32),
            np.array([text_on(f) == WHITE for f in fills]))


(_RIGHT_RGB, _RIGHT_WHITE), (_WRONG_RGB, _WRONG_WHITE) = _steps(RIGHT), _steps(WRONG)
_GRID_RGB = np.uint32(GRID.rgb() & 0xFFFFFFFF)


def r2_words(r2: float | None, target: str) -> str:
    """R² as a sentence a student can read."""
    if r2 is None:
        return "No validation set: give the project a validation fraction to see one."
    if not math.isfinite(r2):
        return "Not a number: the network's outputs overflowed."
    if r2 >= 0.995:
        return f"An almost perfect fit of {target}."
    if r2 >= 0:
        return f"The network explains {r2:.0%} of the variance of {target}."
    return f"Worse than always predicting the mean of {target}."


def r2_number(value: float | None) -> str:
    """Three decimals (training and validation line up), with a true minus sign."""
    if value is None or not math.isfinite(value):
        return "—"
    return (f"{value:.3f}" if abs(value) < 100 else f"{value:.3g}").replace("-", "−")


def accuracy_text(matrix: ConfusionMatrix) -> str:
    if not matrix.total:
        return "accuracy —"
    return f"accuracy {matrix.accuracy:.1%} ({matrix.correct:,}/{matrix.total:,})"


@dataclass(frozen=True)
class Geometry:
    """Where things go: the cell size, each panel's top-left corner, the class-name
    column's width, the header's height (taller when the names are rotated)."""

    cell: int
    panels: list[tuple[int, int]]
    label_width: int
    header: int
    rotated: bool
    line: int  # the height of one line of small text
    size: QSize  # the extent of it all: the canvas scrolls below it

    def matrix_origin(self, panel: int) -> tuple[int, int]:
        x, y = self.panels[panel]
        return x + self.label_width + PAD, y + 2 * self.line + self.header + PAD

    def cell_centre(self, panel: int, i: int, j: int) -> QPoint:
        mx, my = self.matrix_origin(panel)
        return QPoint(mx + j * self.cell + self.cell // 2, my + i * self.cell + self.cell // 2)


def matrix_geometry(K: int, panels: int, names_width: int, text_width: int, metrics: QFontMetrics,
                    width: int, height: int) -> Geometry:
    """The largest cells with which `panels` K×K matrices fit in width × height, side by
    side or stacked, centred; never below MIN_CELL (stacked then, and the view scrolls).
    The names get the width the cells leave, up to MAX_LABEL; `text_width` is the width
    of the longest accuracy line a panel must hold."""
    line = metrics.height()
    room = width - 2 * MARGIN - PAD - K * MIN_CELL
    label_width = max(metrics.horizontalAdvance("true ↓") + 2, min(names_width, MAX_LABEL, max(room, 40)))

    def header(cell: int) -> tuple[int, bool]:
        rotated = names_width > cell - 2
        return (min(names_width, MAX_LABEL) if rotated else line), rotated

    def panel(cell: int) -> QSize:
        height = 3 * line + header(cell)[0] + 2 * PAD + K * cell
        return QSize(max(label_width + PAD + K * cell, text_width), height)

    def extent(cell: int, across: int) -> QSize:
        size, down = panel(cell), -(-panels // across)
        return QSize(across * size.width() + (across - 1) * GAP + 2 * MARGIN,
                     down * size.height() + (down - 1) * GAP + 2 * MARGIN)

    cell, across = next(((c, a) for c in range(MAX_CELL, MIN_CELL - 1, -1) for a in (panels, 1)
                         if extent(c, a).width() <= width and extent(c, a).height() <= height), (MIN_CELL, 1))
    size, total = panel(cell), extent(cell, across)
    left, top = MARGIN + max(0, width - total.width()) // 2, MARGIN + max(0, height - total.height()) // 2
    corners = [(left + (i % across) * (size.width() + GAP), top + (i // across) * (size.height() + GAP))
               for i in range(panels)]
    return Geometry(cell, corners, label_width, *header(cell), line, total)


class _Canvas(QWidget):
    """Paints the view's numbers with the view's geometry; answers tooltips."""

    def __init__(self, view: ConfusionView) -> None:
        super().__init__()
        self.view = view
        self.layout_: Geometry | None = None
        self._frame_key: tuple | None = None
        self._frame = QPixmap()
        self._pixels = np.empty((0, 0), np.uint32)  # the cells' image, reused
        self.setAutoFillBackground(True)  # opaque: a repaint never reaches the dock behind
        palette = self.palette()
        palette.setColor(self.backgroundRole(), WHITE)  # as the plots beside it
        self.setPalette(palette)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        v, clip = self.view, event.rect()
        if v.scores is None:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), A.AlignCenter, v.placeholder)
        elif isinstance(v.scores, RSquared):
            self._paint_r2(painter, v.scores)
        elif self.layout_ is not None:
            painter.drawPixmap(clip, self._names_frame(), clip)
            for panel, matrix in enumerate((v.scores.train, v.scores.validation)[:len(self.layout_.panels)]):
                if matrix is not None:
                    self._paint_cells(painter, panel, matrix, clip)
        painter.end()

    def _names_frame(self) -> QPixmap:
        """Titles and class names, painted once per layout: then one blit a frame."""
        v = self.view
        key = (self.layout_, self.size(), self.devicePixelRatioF(), tuple(v.class_names), v.totals)
        if self._frame_key != key:
            self._frame = QPixmap(self.size() * self.devicePixelRatioF())
            self._frame.setDevicePixelRatio(self.devicePixelRatioF())
            self._frame.fill(WHITE)
            painter = QPainter(self._frame)
            for panel, title in enumerate(("Training", "Validation")[:len(self.layout_.panels)]):
                self._paint_names(painter, panel, title)  # its accuracy line has the count
            painter.end()
            self._frame_key = key
        return self._frame

    def _paint_names(self, painter: QPainter, panel: int, title: str) -> None:
        g, v = self.layout_, self.view
        (x0, y0), (mx, my) = g.panels[panel], g.matrix_origin(panel)
        K, cell, line = len(v.class_names), g.cell, g.line
        width = max(mx - x0 + K * cell, v.text_width)
        painter.setFont(v.title_font)
        painter.setPen(INK)
        painter.drawText(QRect(x0, y0, width, line), A.AlignLeft,
                         QFontMetrics(v.title_font).elidedText(title, Qt.TextElideMode.ElideRight, width))
        painter.setFont(v.small_font)
        painter.setPen(MUTED)
        painter.drawText(QRect(x0, y0 + line, g.label_width, line), A.AlignRight | A.AlignBottom, "true ↓")
        caption = QRect(mx, y0 + line, max(K * cell, x0 + width - mx), line)
        painter.drawText(caption, A.AlignLeft, "predicted →")
        painter.setPen(INK)
        small, header_y = QFontMetrics(v.small_font), y0 + 2 * line
        for k, name in enumerate(v.class_names):
            # elided in the middle: names often share a prefix ("category 1", "category 2")
            text = small.elidedText(name, Qt.TextElideMode.ElideMiddle, g.header if g.rotated else cell - 2)
            if g.rotated:  # bottom to top, ending at the matrix
                painter.save()
                painter.translate(mx + k * cell + cell / 2 + line / 2 - 2, header_y + g.header)
                painter.rotate(-90)
                painter.drawText(QRect(0, -line, g.header, line), A.AlignLeft, text)
                painter.restore()
            else:
                below = A.AlignHCenter | A.AlignBottom
                painter.drawText(QRect(mx + k * cell, header_y, cell, g.header), below, text)
            painter.drawText(QRect(x0, my + k * cell, g.label_width, cell), A.AlignRight | A.AlignVCenter,
                             small.elidedText(name, Qt.TextElideMode.ElideMiddle, g.label_width))

    def _paint_cells(self, painter: QPainter, panel: int, matrix: ConfusionMatrix, clip: QRect) -> None:
        """The shaded cells with their grid as one image made in NumPy, the counts as
        cached static texts grouped by colour (only those in the region to repaint: a
        scrolled view shows a few of 400), and the accuracy under them."""
        g, v = self.layout_, self.view
        (x0, _), (mx, my) = g.panels[panel], g.matrix_origin(panel)
        K, cell, counts = len(v.class_names), g.cell, matrix.counts
        levels = np.rint(matrix.row_shares() * (SHADES - 1)).astype(np.intp)
        levels[counts > 0] = np.maximum(levels[counts > 0], MIN_TINT)
        diagonal = np.eye(K, dtype=bool)
        side = K * cell + 1
        if self._pixels.shape != (side, side):
            self._pixels = np.empty((side, side), np.uint32)
        pixels = self._pixels
        pixels[:-1, :-1].reshape(K, cell, K, cell)[...] = np.where(
            diagonal, _RIGHT_RGB[levels], _WRONG_RGB[levels])[:, None, :, None]
        pixels[::cell] = pixels[:, ::cell] = _GRID_RGB
        painter.drawImage(mx, my, QImage(pixels.data, side, side, 4 * side, QImage.Format.Format_RGB32))
        pen = np.where(np.where(diagonal, _RIGHT_WHITE[levels], _WRONG_WHITE[levels]), 2, 1)
        pen[counts == 0] = 0 if K <= SHOW_ZEROS else -1
        top, left = max(0, (clip.top() - my) // cell), max(0, (clip.left() - mx) // cell)
        shown = pen[top:(clip.bottom() - my) // cell + 1, left:(clip.right() - mx) // cell + 1]
        painter.setFont(v.count_font(cell))
        for colour, which in ((ZERO, 0), (INK, 1), (WHITE, 2)):
            painter.setPen(colour)
            for i, j in np.argwhere(shown == which).tolist():
                text, width, height = v.count_text(int(counts[i + top, j + left]), cell)
                painter.drawStaticText(QPointF(mx + (j + left) * cell + (cell - width) / 2,
                                               my + (i + top) * cell + (cell - height) / 2), text)
        painter.setFont(v.small_font)
        painter.setPen(INK)
        painter.drawText(QRect(x0, my + K * cell + PAD, max(mx - x0 + K * cell, v.text_width), g.line),
                         A.AlignLeft, accuracy_text(matrix))

    def _paint_r2(self, painter: QPainter, r2: RSquared) -> None:
        v = self.view
        line, big_line = QFontMetrics(v.small_font).height(), QFontMetrics(v.big_font).height()
        width = (self.width() - 2 * MARGIN - GAP) // 2
        wrap = A.AlignLeft | Qt.TextFlag.TextWordWrap
        for i, (title, value) in enumerate((("Training", r2.train), ("Validation", r2.validation))):
            x = MARGIN + i * (width + GAP)
            painter.setPen(INK)
            painter.setFont(v.title_font)
            painter.drawText(QRect(x, MARGIN, width, line), A.AlignLeft, title)
            painter.setFont(v.big_font)
            painter.drawText(QRect(x, MARGIN + line, width, big_line), A.AlignLeft, f"R² {r2_number(value)}")
            painter.setFont(v.small_font)
            painter.drawText(QRect(x, MARGIN + line + big_line, width, 3 * line), wrap,
                             r2_words(value, v.target_name))
        painter.setPen(MUTED)
        painter.drawText(QRect(MARGIN, MARGIN + 4 * line + big_line + GAP // 2, self.width() - 2 * MARGIN,
                               3 * line), wrap, R2_EXPLANATION)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            QToolTip.showText(event.globalPos(), self.tip_at(event.pos()), self)
            return True
        return super().event(event)

    def tip_at(self, point: QPoint) -> str:
        """What is under the point: a cell's count in words, a class's whole name, or
        what the view shows."""
        v, g, x, y = self.view, self.layout_, point.x(), point.y()
        if isinstance(v.scores, RSquared) or (not v.class_names and v.placeholder != NOTHING_LOADED):
            return R2_EXPLANATION
        if not isinstance(v.scores, Confusion) or g is None:
            return f"{EXPLANATION} {DETAIL}"
        K, names = len(v.class_names), v.class_names
        for panel, matrix in enumerate((v.scores.train, v.scores.validation)[:len(g.panels)]):
            (x0, _), (mx, my) = g.panels[panel], g.matrix_origin(panel)
            i, j = (y - my) // g.cell, (x - mx) // g.cell
            where = ("training", "validation")[panel]
            if matrix is not None and 0 <= i < K and 0 <= j < K:
                count, row = int(matrix.counts[i, j]), int(matrix.counts[i].sum())
                share = f" ({count / row:.0%})" if row else ""
                return (f"{count:,} of the {row:,} {where} samples of class '{names[i]}' are predicted "
                        f"as '{names[j]}'{share}: {'right' if i == j else 'wrong'}.")
            if matrix is not None and 0 <= i < K and x0 <= x < mx:
                return f"True class '{names[i]}': {int(matrix.counts[i].sum()):,} {where} samples."
            if 0 <= j < K and my - g.header - PAD <= y < my:
                return f"Predicted class '{names[j]}'."
        return f"{EXPLANATION} {DETAIL}"


class ConfusionView(QWidget):
    """The confusion matrices (training and validation) or R², live while training.

    set_experiment(experiment) names the classes; set_scores(snapshot.scores) shows new
    numbers (None, or the numbers already shown, does nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.class_names: list[str] = []
        self.has_validation = False
        self.target_name = "y"
        self.totals = (0, 0)  # training and validation samples
        self.scores: Scores | None = None
        self.placeholder = NOTHING_LOADED
        self.small_font = QFont(self.font())
        self.small_font.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        self.title_font = QFont(self.font())
        self.title_font.setBold(True)
        self.big_font = QFont(self.title_font)
        self.big_font.setPointSizeF(self.font().pointSizeF() * 1.8)
        self.names_width = self.text_width = 0
        self._count_fonts: dict[int, QFont] = {}
        self._count_texts: dict[tuple[int, int], tuple[QStaticText, float, float]] = {}
        self.canvas = _Canvas(self)
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.setToolTip(f"{EXPLANATION} {DETAIL}")

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def minimumSizeHint(self) -> QSize:  # a dock may not squeeze it to nothing
        return QSize(200, 150)

    def set_experiment(self, experiment: Experiment) -> None:
        """A new experiment: its classes (or its regression target), no numbers yet."""
        dataset = experiment.dataset
        self.class_names = list(dataset.class_names) if dataset.is_classification else []
        self.has_validation = experiment.validation_set is not None
        self.target_name = dataset.target_name
        sets = (experiment.train_set, experiment.validation_set)
        self.totals = tuple(d.n_samples if d is not None else 0 for d in sets)
        metrics = QFontMetrics(self.small_font)
        self.names_width = max((metrics.horizontalAdvance(n) for n in self.class_names), default=0) + 2
        n = max(self.totals)
        self.text_width = metrics.horizontalAdvance(f"accuracy 100.0% ({n:,}/{n:,})")  # titles may elide
        self.scores = None
        self.placeholder = NO_NUMBERS
        self.setToolTip(f"{EXPLANATION} {DETAIL}" if self.class_names else R2_EXPLANATION)
        self._fit_canvas()
        self.canvas.update()

    def set_scores(self, scores: Scores | None) -> None:
        """Show these numbers; repaint only if they differ from those shown."""
        if scores is None or scores is self.scores or _same(scores, self.scores):
            return
        self.scores = scores
        self.canvas.update()

    def count_text(self, count: int, cell: int) -> tuple[QStaticText, float, float]:
        """A count laid out once in the font for this cell size, with its size."""
        key = (count, cell)
        if key not in self._count_texts:
            if len(self._count_texts) > 4096:  # a long run of ever-new counts
                self._count_texts.clear()
            text = QStaticText(f"{count:,}")
            text.prepare(font=self.count_font(cell))
            self._count_texts[key] = (text, text.size().width(), text.size().height())
        return self._count_texts[key]

    def count_font(self, cell: int) -> QFont:
        """Smaller cells, smaller digits."""
        if cell not in self._count_fonts:
            self._count_fonts[cell] = font = QFont(self.font())
            font.setPixelSize(max(8, min(15, round(cell * 0.36))))
        return self._count_fonts[cell]

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_canvas()

    def _fit_canvas(self) -> None:
        """The geometry for the view's size (less a scroll bar if it must scroll); its
        extent is the canvas's minimum size, below which the view scrolls."""
        if not self.class_names:  # regression, or nothing loaded: text
            self.canvas.layout_ = None
            self.canvas.setMinimumSize(QSize(0, 0) if self.placeholder == NOTHING_LOADED else R2_SIZE)
            return
        fit = (len(self.class_names), 2 if self.has_validation else 1, self.names_width, self.text_width,
               QFontMetrics(self.small_font))
        g = matrix_geometry(*fit, self.width(), self.height())
        if g.size.height() > self.height():  # a vertical scroll bar takes some of the width
            g = matrix_geometry(*fit, self.width() - self.scroll.verticalScrollBar().sizeHint().width(),
                                self.height())
        self.canvas.layout_ = g
        self.canvas.setMinimumSize(g.size)


def _same(a: Scores, b: Scores | None) -> bool:
    """The same numbers (NaN, from an overflowed network, the same as NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, RSquared):
        return all(x is y or x == y or (x != x and y != y)
                   for x, y in ((a.train, b.train), (a.validation, b.validation)))
    return all(x is y if x is None or y is None else np.array_equal(x.counts, y.counts)
               for x, y in ((a.train, b.train), (a.validation, b.validation)))
