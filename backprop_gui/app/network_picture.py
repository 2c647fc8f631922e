"""What the network's weights look like on screen, reduced to a few levels: each link's
pen (sign and one of LEVELS widths) and each neuron's tint. Two equal pictures paint the
same pixels, so the view repaints only when the picture changes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

POSITIVE = QColor("#2b6cb0")
NEGATIVE = QColor("#dd6b20")
NONFINITE = QColor(150, 150, 150)
LEVELS = 8  # quantised line widths, from 0.5 px (|w| ≈ 0) to 6 px (|w| = max |w|)
TINTS = 32  # steps of a neuron's bias tint


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """Opaque blend of a towards b: what b at opacity t would look like over a."""
    return QColor.fromRgbF(*(u + (v - u) * t for u, v in zip(a.getRgbF()[:3], b.getRgbF()[:3])))


def pen_for(base: QColor, color: QColor, level: int, widest: float) -> QPen:
    """Width and opacity grow with |w|, so small weights fade; the opacity is pre-blended with
    the background, as Qt's raster engine strokes translucent pens about 20 times slower."""
    t = level / (LEVELS - 1)
    pen = QPen(mix(base, color, (60 + 195 * t) / 255), 0.5 + (widest - 0.5) * t)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


@dataclass(frozen=True, eq=False)
class Picture:
    """What the weights look like on screen: equal pictures paint the same pixels."""

    fit: bool  # the weights match the drawn architecture (they may lag behind set_network)
    links: np.ndarray  # per drawn link, its pen: level + LEVELS if negative; -1 if not finite
    fills: list[np.ndarray]  # per layer, (shown units, 3) RGB 0-255 of each neuron

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Picture) and self.fit == other.fit
                and np.array_equal(self.links, other.links) and len(self.fills) == len(other.fills)
                and all(np.array_equal(a, b) for a, b in zip(self.fills, other.fills)))


def make_picture(weights: list[np.ndarray], biases: list[np.ndarray], centres: list[np.ndarray],
                 base: QColor) -> Picture:
    """Each drawn link's pen (sign and one of LEVELS widths, relative to the largest |w|)
    and each neuron's fill: faintly tinted by its bias sign and size, in TINTS steps, over
    the background `base`. `weights` and `biases` per layer (empty: not known yet);
    `centres` per layer, of the drawn neurons (a wide layer draws only its first units)."""
    fit = bool(weights)
    paper, plus, minus, bad = (np.array(c.getRgbF()[:3]) for c in (base, POSITIVE, NEGATIVE, NONFINITE))
    links = np.zeros(0, dtype=int)
    if fit:
        finite = [np.abs(w[np.isfinite(w)]) for w in weights]
        top = max((f.max() for f in finite if f.size), default=0.0)
        scale = (LEVELS - 1) / top if top > 0 else 0.0
        keys = []
        for w, a, c in zip(weights, centres[:-1], centres[1:]):
            w = np.asarray(w[: len(a), : len(c)], dtype=float).ravel()
            with np.errstate(invalid="ignore"):
                k = np.rint(np.abs(w) * scale) + LEVELS * (w < 0)
            keys.append(np.where(np.isfinite(w), k, -1).astype(int))
        links = np.concatenate(keys) if keys else links
    b = [np.asarray(v, dtype=float) for v in biases] if fit else []
    finite = [np.abs(v[np.isfinite(v)]) for v in b]
    top = max((f.max() for f in finite if f.size), default=0.0) or 1.0
    fills = []
    for layer, xy in enumerate(centres):
        fill = np.tile(paper, (len(xy), 1))
        if layer and fit:
            v = b[layer - 1][: len(xy)]
            ok = np.isfinite(v)
            size = np.rint(TINTS * np.abs(np.where(ok, v, 0)) / top) / TINTS
            t = np.where(ok, 0.1 + 0.45 * size, 0.0)
            fill += (np.where((v < 0)[:, None], minus, plus) - fill) * t[:, None]
            fill[~ok] = bad
        fills.append(np.rint(fill * 255).astype(int))
    return Picture(fit, links, fills)
