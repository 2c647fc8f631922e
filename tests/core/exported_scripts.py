"""Helpers the tests of the exported NumPy and PyTorch scripts share: projects built from
a few settings, a script imported as a module, a script run as a program without
backprop_gui importable."""

import importlib.util
import subprocess
import sys
from pathlib import Path

from backprop_gui.core.config import Project, parse_project

ROOT = Path(__file__).parents[2]
PROJECTS = ROOT / "resources" / "projects"
#: runs a script as __main__ with backprop_gui made unimportable: it must need NumPy alone
NO_BACKPROP_GUI = ("import runpy, sys; sys.modules['backprop_gui'] = None; "
                   "script = sys.argv.pop(1); runpy.run_path(script, run_name='__main__')")


def project(dataset: dict, hidden: list[tuple[int, str]], training: dict, output: str | None = None,
            init: str = "uniform", file: str = "") -> Project:
    network = {"hidden": [{"units": u, "activation": a} for u, a in hidden], "init": init}
    if output:
        network["output_activation"] = output
    return parse_project({"format": 1, "name": "test", "dataset": dataset, "network": network,
                          "training": training}, file, ROOT)


def load_script(text: str, path: Path):
    """Import an exported script as a module (its main() does not run)."""
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(path: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a script as a program, without backprop_gui; it must succeed."""
    result = subprocess.run([sys.executable, "-c", NO_BACKPROP_GUI, str(path), *args],
                            capture_output=True, text=True, cwd=path.parent, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result
