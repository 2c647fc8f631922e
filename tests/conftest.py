"""Before any QApplication exists: Qt draws offscreen, and the suite's settings (Qt's file
dialog history, the window's layout, recent files) go to a scratch folder, never into the
user's own ~/.config or ~/.local/share."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_SCRATCH_HOME = tempfile.mkdtemp(prefix="backprop-gui-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SCRATCH_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_SCRATCH_HOME, "data")
atexit.register(shutil.rmtree, _SCRATCH_HOME, ignore_errors=True)
