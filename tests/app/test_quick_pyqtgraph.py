"""pyqtgraph imported through app/quick_pyqtgraph.py: its three Qt modules forward to
PySide6, and the assumption behind that (pyqtgraph's own three are empty shells that its
Qt layer fills by copying) still holds for the installed pyqtgraph."""

import ast
import subprocess
import sys
from pathlib import Path

import pyqtgraph
import PySide6.QtCore
import PySide6.QtGui
import PySide6.QtWidgets

import backprop_gui.app  # noqa: F401  (imports pyqtgraph the quick way, if first)


def test_pyqtgraphs_qt_modules_are_still_empty_shells_filled_by_a_copy():
    qt = Path(pyqtgraph.__file__).parent / "Qt"
    for name in ("QtCore", "QtGui", "QtWidgets"):
        assert not ast.parse((qt / name / "__init__.py").read_text()).body, name
    layer = ast.parse((qt / "__init__.py").read_text())
    copies = [node for node in ast.walk(layer) if isinstance(node, ast.Call)
              and getattr(node.func, "id", None) == "_copy_attrs"]
    assert len(copies) >= 3  # the copy is what the quick import defuses


def test_the_forwarded_modules_give_pyside6s_own_classes():
    assert pyqtgraph.Qt.QtCore.QObject is PySide6.QtCore.QObject
    assert pyqtgraph.Qt.QtGui.QPainterPath is PySide6.QtGui.QPainterPath
    assert pyqtgraph.Qt.QtWidgets.QGraphicsView is PySide6.QtWidgets.QGraphicsView
    assert pyqtgraph.QtCore.Signal is PySide6.QtCore.Signal
    assert "QPainterPath" in dir(pyqtgraph.Qt.QtGui)  # dir() lists the real module's names
    assert dir(PySide6.QtWidgets)  # the PySide6 modules list their names again


PROBE = """
import PySide6.QtWidgets
import backprop_gui.app
import pyqtgraph
assert "__getattr__" in vars(pyqtgraph.Qt.QtWidgets)  # the forwarding module
print(len(vars(pyqtgraph.Qt.QtWidgets)), len(dir(PySide6.QtWidgets)))
"""


def test_a_fresh_process_makes_only_the_qt_classes_it_uses():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          timeout=60, check=True)
    kept, listed = map(int, done.stdout.split())
    assert listed > 150 and kept < listed / 3  # not a copy of every name
