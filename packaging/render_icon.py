"""Render resources/icons/backprop-gui.svg to the 256 px PNG beside it, with Qt's own SVG
renderer: the PNG is what the window and the executables use (it needs no SVG plugin).
Run it after editing the SVG: `python packaging/render_icon.py`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZE = 256


def render(svg: Path, png: Path, size: int = SIZE) -> int:
    """Write png; returns its size in bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts, painting
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(png)):
        raise SystemExit(f"render_icon: cannot write {png}")
    return png.stat().st_size


if __name__ == "__main__":
    out = ICONS / "backprop-gui.png"
    print(f"{out}: {render(ICONS / 'backprop-gui.svg', out):,} bytes")
