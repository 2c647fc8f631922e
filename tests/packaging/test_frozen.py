"""The one-folder executable, built by packaging/build.sh and run as a user runs it: its
--self-test trains XOR offscreen from the bundled resources and exits 0, and the bundle
holds the resources but not what the spec leaves out.

Building takes a minute or more, so it runs only when BACKPROP_GUI_FROZEN_TEST=1 (CI sets
it): `BACKPROP_GUI_FROZEN_TEST=1 .venv/bin/python -m pytest tests/packaging/test_frozen.py`."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_gui import __version__

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dist" / "backprop-gui"

pytestmark = [
    pytest.mark.skipif(os.environ.get("BACKPROP_GUI_FROZEN_TEST") != "1",
                       reason="builds the executable (a minute or more): set BACKPROP_GUI_FROZEN_TEST=1"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason='PyInstaller is not installed: pip install ".[package]"'),
]


@pytest.fixture(scope="module")
def executable() -> Path:
    built = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--onedir-only"],
                           env=dict(os.environ, PYTHON=sys.executable), capture_output=True,
                           text=True, timeout=1200, cwd=ROOT)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    program = APP / "backprop-gui"
    assert program.is_file() and os.access(program, os.X_OK)
    return program


def run(program: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "PYTHONPATH")}
    return subprocess.run([str(program), *args], env=dict(env, XDG_CONFIG_HOME=str(tmp_path)),
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_the_frozen_program_passes_its_self_test(executable, tmp_path):
    png = tmp_path / "frozen.png"
    done = run(executable, "--self-test", "--screenshot", str(png), tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed: XOR 2-3-1 reached 100% accuracy" in done.stdout
    assert "Traceback" not in done.stderr
    assert png.is_file() and png.stat().st_size > 20_000  # a picture of the whole window


def test_the_frozen_program_knows_its_version_and_trains_headless(executable, tmp_path):
    assert run(executable, "--version", tmp_path=tmp_path).stdout.strip() == f"backprop-gui {__version__}"
    project = APP / "_internal" / "resources" / "projects" / "xor.json"
    done = run(executable, "train", str(project), "--quiet", "--out", "out", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "metrics.json").is_file()


def test_the_bundle_holds_the_resources_and_not_what_it_never_uses(executable):
    internal = APP / "_internal"
    for name in ("projects/xor.json", "icons/backprop-gui.png", "icons/backprop-gui.svg"):
        assert (internal / "resources" / name).is_file()
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    assert (qt / "plugins" / "platforms" / "libqoffscreen.so").is_file()
    assert (qt / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert not list((qt / "plugins").glob("*/libqwayland*")) and not (qt / "plugins" / "tls").exists()
    assert not list(internal.glob("libcairo*")) and not list(internal.glob("libQt6Network*"))
    for module in ("QtOpenGL", "QtOpenGLWidgets", "QtSvg"):  # pyqtgraph needs them
        assert list((internal / "PySide6").glob(f"{module}.*"))
    assert not list((internal / "PySide6").glob("QtNetwork.*"))
    assert not (internal / "tkinter").exists() and not (internal / "_pytest").exists()


def test_the_bundle_needs_no_library_beyond_the_readmes_packages(executable):
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "system_libraries.py"), str(APP)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
