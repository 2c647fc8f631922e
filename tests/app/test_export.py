"""Every plot of the window exports to PNG, SVG and CSV files that hold what it shows."""

import csv

import pytest
from PySide6.QtGui import QImage

from backprop_gui.app.export_plots import export_plot


@pytest.fixture
def trained_window(qtbot, make_window, wait_until_stopped):
    window = make_window("xor")
    window.hyper.epochs.setValue(300)
    window.actions.train.trigger()
    wait_until_stopped(window)
    return window


def test_every_plot_exports_to_png_svg_and_csv(trained_window, tmp_path):
    w = trained_window
    items = {**w.cost.plot_items(), **w.boundary.plot_items(), **w.gradients.plot_items()}
    assert set(items) >= {"cost", "decision boundary", "gradients"}
    for name, item in items.items():
        stem = tmp_path / name.replace(" ", "-")
        png = export_plot(item, stem.with_suffix(".png"))
        image = QImage(str(png))
        assert not image.isNull() and image.width() >= 200, name
        svg = export_plot(item, stem.with_suffix(".svg")).read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<path" in svg, name
        export_plot(item, stem.with_suffix(".csv"))
    with open(tmp_path / "cost.csv") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + 300  # a header, then one row per epoch of the training curve
    assert float(rows[-1][0]) == 300.0
    assert abs(float(rows[-1][1]) - w.session.history.train_loss[-1]) < 1e-9


def test_a_name_without_a_known_suffix_becomes_png(trained_window, tmp_path):
    path = export_plot(trained_window.cost.plot_items()["cost"], tmp_path / "curve")
    assert path.name == "curve.png" and path.stat().st_size > 0


def test_an_unwritable_place_raises_oserror(trained_window, tmp_path):
    with pytest.raises(OSError):
        export_plot(trained_window.cost.plot_items()["cost"], tmp_path / "missing" / "cost.svg")
