"""The core is pure NumPy: importing every core module loads no Qt and no pyqtgraph, so
the maths runs headless, in the CLI, and in any test without a display."""

import pkgutil
import subprocess
import sys

import backprop_gui.core


def test_core_imports_no_qt():
    modules = [f"backprop_gui.core.{m.name}" for m in pkgutil.iter_modules(backprop_gui.core.__path__)]
    assert len(modules) >= 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import backprop_gui.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
