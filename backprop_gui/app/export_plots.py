"""Saving a plot as a picture (PNG, SVG) or its curves as numbers (CSV), with the
file type taken from the name the user chose."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pyqtgraph.exporters as exporters

FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;CSV table of the curves (*.csv)"
#: PNGs are drawn at this multiple of the plot's size on screen, to stay sharp in a report
PNG_SCALE = 2


def export_plot(item: pg.PlotItem, path: str | Path) -> Path:
    """Write `item` to `path` by its suffix (.png, .svg or .csv; none: .png added).
    Raises OSError when the file cannot be written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg", ".csv"):
        path = path.with_name(path.name + ".png")
        suffix = ".png"
    if suffix == ".png":
        exporter = exporters.ImageExporter(item)
        width = int(item.sceneBoundingRect().width() * PNG_SCALE)
        exporter.parameters()["width"] = max(width, 200)
    elif suffix == ".svg":
        exporter = exporters.SVGExporter(item)
    else:
        exporter = exporters.CSVExporter(item)
    exporter.export(str(path))
    if not path.exists():
        raise OSError(f"{path.name} could not be written")
    return path
