"""packaging/system_libraries.py finds what a bundle would take from the machine it runs
on, on real binaries: Qt's X11 plugin from the installed PySide6, copied without the Qt
libraries it links to, as a build made on a machine lacking them would be."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "system_libraries.py"
spec = importlib.util.spec_from_file_location("system_libraries", SCRIPT)
system_libraries = importlib.util.module_from_spec(spec)
spec.loader.exec_module(system_libraries)

XCB_PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
pytestmark = pytest.mark.skipif(shutil.which("ldd") is None or not XCB_PLUGIN.is_file(),
                                reason="needs ldd and PySide6's X11 plugin (Linux)")


def bundle_of(tmp_path: Path, *libraries: Path) -> Path:
    bundle = tmp_path / "backprop-gui"
    (bundle / "_internal").mkdir(parents=True)
    for library in libraries:
        shutil.copy2(library, bundle / "_internal" / library.name)
    return bundle


def test_a_library_missing_from_bundle_and_machine_is_named_with_its_package(tmp_path):
    bundle = bundle_of(tmp_path, XCB_PLUGIN)
    asked = system_libraries.asked_of_the_system(bundle)
    assert asked.get("libQt6XcbQpa.so.6") == "not found"  # its $ORIGIN/../../lib is not there
    assert "libc.so.6" not in asked  # every Linux has it
    done = subprocess.run([sys.executable, str(SCRIPT), str(bundle)], capture_output=True, text=True)
    assert done.returncode == 1
    lacks = next(line for line in done.stderr.splitlines() if "this machine lacks" in line)
    assert "libQt6XcbQpa.so.6" in lacks and "apt-get install" in lacks and " libqt6xcbqpa6" in lacks


def test_libraries_inside_the_bundle_are_not_asked_for(tmp_path):
    qt_lib = XCB_PLUGIN.parents[2] / "lib"
    bundle = bundle_of(tmp_path, XCB_PLUGIN, *qt_lib.glob("libQt6*.so.6"), *qt_lib.glob("libicu*"))
    asked = system_libraries.asked_of_the_system(bundle)
    assert not any(name.startswith(("libQt6", "libicu")) for name in asked), asked


def test_debian_package_names():
    assert system_libraries.debian_package("libxcb-icccm.so.4") == "libxcb-icccm4"
    assert system_libraries.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert system_libraries.debian_package("libQt6Gui.so.6") == "libqt6gui6"


def test_a_wrong_argument_gets_the_usage(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "usage:" in done.stderr
