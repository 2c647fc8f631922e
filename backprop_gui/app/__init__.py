"""The Qt desktop application: windows, panels and views over the Qt-free core."""

from .quick_pyqtgraph import import_pyqtgraph

import_pyqtgraph()  # before any module of the program imports pyqtgraph itself
