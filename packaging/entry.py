"""The frozen program's start: the same as the `backprop-gui` command (PyInstaller needs a
script, and backprop_gui/__main__.py uses a relative import a script cannot)."""

import gc
import sys

gc.disable()  # a quiet start (see cli._window), from before the imports below

from backprop_gui.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
