"""Before Qt opens an X11 window: can its X11 plugin load? When a library the plugin links
to is missing, Qt aborts the process (exit 134) with "xcb-cursor0 is needed", whichever
library it is; loading the plugin ourselves first names the real one, and the program
says what to install instead of dumping core."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

#: the Debian packages of the libraries Qt's X11 plugin links to beyond Qt's own
X11_PACKAGES = ("libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
                "libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0")


def uses_x11(env: Mapping[str, str] | None = None) -> bool:
    """Whether Qt will open its windows through X11: chosen by name, or on Linux with an
    X display and no Wayland one (Qt prefers Wayland where both are)."""
    env = os.environ if env is None else env
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return sys.platform.startswith("linux") and bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def x11_plugin() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"


def x11_problem(plugin: Path | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """None if Qt will not use X11 or its plugin loads; else what is missing and the
    command that installs it."""
    plugin = x11_plugin() if plugin is None else plugin
    if not uses_x11(env) or not plugin.is_file():
        return None  # no plugin at all: Qt's own message says so
    try:
        ctypes.CDLL(str(plugin))  # loaded again, for nothing more, when the window opens
    except OSError as exc:
        missing = str(exc).removeprefix(f"{plugin}: ")
        return (f"Qt's X11 plugin cannot load: {missing} (Debian or Ubuntu: sudo apt-get "
                f"install -y --no-install-recommends {X11_PACKAGES})")
    return None
