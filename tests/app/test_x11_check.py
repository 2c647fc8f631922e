"""Before an X11 window: a plugin that cannot load is named with what to install, instead
of Qt aborting the process. Real files: Qt's X11 plugin from the installed PySide6,
copied away from the Qt libraries it links to."""

import shutil
import sys
from pathlib import Path

import pytest

from backprop_gui.app.x11_check import X11_PACKAGES, uses_x11, x11_plugin, x11_problem

X11 = {"DISPLAY": ":0"}
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not x11_plugin().is_file(),
                                reason="Qt's X11 plugin: Linux only")


def test_qt_uses_x11_when_chosen_or_on_an_x_display_without_wayland(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert uses_x11({"DISPLAY": ":0"})
    assert uses_x11({"QT_QPA_PLATFORM": "xcb"}) and uses_x11({"QT_QPA_PLATFORM": "xcb:someoption"})
    assert not uses_x11({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not uses_x11({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not uses_x11({})


def test_a_plugin_missing_a_library_is_named_with_the_packages_to_install(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    shutil.copy2(x11_plugin(), plugin)  # its RUNPATH, $ORIGIN/../../lib, holds no Qt here
    problem = x11_problem(plugin, X11)
    assert problem.startswith("Qt's X11 plugin cannot load: libQt6XcbQpa.so.6: cannot open")
    assert str(tmp_path) not in problem
    assert problem.endswith(f"sudo apt-get install -y --no-install-recommends {X11_PACKAGES})")


def test_no_check_where_qt_will_not_use_x11(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    shutil.copy2(x11_plugin(), plugin)
    assert x11_problem(plugin, {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}) is None
    assert x11_problem(tmp_path / "absent.so", X11) is None  # Qt's own message then


def test_the_readme_gives_the_same_packages():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"sudo apt-get install -y --no-install-recommends {X11_PACKAGES}\n" in readme
