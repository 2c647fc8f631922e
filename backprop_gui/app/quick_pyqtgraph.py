"""Import pyqtgraph without making every Qt class at start-up.

PySide6 makes a Qt class's Python type the first time it is asked for. pyqtgraph's Qt
layer asks for all of them: it copies every name of QtCore, QtGui and QtWidgets into its
own three (empty) modules, `pyqtgraph.Qt.QtCore` and so on, by `dir()` and `getattr`.
That is some 750 names, about 0.15-0.25 s of a one-second start, for the few dozen the
program uses. Here those three modules forward a name to PySide6 on its first use instead,
and while pyqtgraph is imported the PySide6 modules list no names, so its copy has none to
make. Everything else in pyqtgraph stays its own; tests/app/test_quick_pyqtgraph.py checks
that its three modules are still empty shells (pyqtgraph is pinned below 0.15).
"""

from __future__ import annotations

import sys
from types import ModuleType

SHIMMED = ("QtCore", "QtGui", "QtWidgets")


def forwarding_module(name: str, real: ModuleType) -> ModuleType:
    """A module that looks a name up in `real` when first asked, then keeps it."""
    module = ModuleType(name, real.__doc__)

    def __getattr__(attribute: str):
        value = getattr(real, attribute)
        setattr(module, attribute, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(dir(real)) | set(vars(module)))

    module.__getattr__ = __getattr__
    module.__dir__ = __dir__
    return module


def import_pyqtgraph() -> ModuleType:
    """pyqtgraph, imported with forwarding Qt modules (or as it is, if already imported)."""
    if "pyqtgraph" in sys.modules:
        return sys.modules["pyqtgraph"]
    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtWidgets

    reals = {name: getattr(PySide6, name) for name in SHIMMED}
    own_dirs = {name: vars(real).get("__dir__") for name, real in reals.items()}  # PySide6's
    for name, real in reals.items():
        sys.modules[f"pyqtgraph.Qt.{name}"] = forwarding_module(f"pyqtgraph.Qt.{name}", real)
        real.__dir__ = list  # dir(real) == [] while pyqtgraph copies
    try:
        import pyqtgraph
    except BaseException:
        for name in SHIMMED:
            sys.modules.pop(f"pyqtgraph.Qt.{name}", None)
        raise
    finally:
        for name, real in reals.items():
            if own_dirs[name] is None:
                del real.__dir__
            else:
                real.__dir__ = own_dirs[name]
    return pyqtgraph
