"""The frozen program's start: the same as the `backprop-gui` command (PyInstaller needs a
script, and backprop_gui/__main__.py uses a relative import a script cannot)."""

import sys

from backprop_gui.cli import main

if __name__ == "__main__":
    sys.exit(main())
