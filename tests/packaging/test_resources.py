"""resource_dir() finds the program's own files however it is installed: beside the
package in a checkout, inside it (`_resources`) from a wheel. (The frozen build is
checked by test_frozen.py, whose self-test opens the XOR preset from there.)"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from backprop_gui.resources import example_projects, resource_dir

ROOT = Path(__file__).resolve().parents[2]
FILES = ("projects/xor.json", "projects/iris.json", "datasets/iris.csv", "datasets/diabetes.csv",
         "datasets/README.md", "icons/backprop-gui.svg", "icons/backprop-gui.png")


def test_a_checkout_finds_resources_beside_the_package():
    assert resource_dir() == ROOT / "resources"
    assert all((resource_dir() / name).is_file() for name in FILES)
    assert example_projects()[0].name == "xor.json"


def test_an_installed_wheel_finds_resources_inside_the_package(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path / "wheel"), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    if built.returncode != 0:
        pytest.skip(f"cannot build a wheel here (pip needs setuptools from an index): "
                    f"{(built.stderr.strip().splitlines() or [''])[-1]}")
    wheel = next((tmp_path / "wheel").glob("backprop_gui-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")  # what pip install puts in site-packages
    assert {f"backprop_gui/_resources/{name}" for name in FILES} <= names
    probe = ("from backprop_gui.resources import resource_dir, example_projects; "
             "print(resource_dir()); print(example_projects()[0].name)")
    # -S: no site-packages, so not the editable install of this checkout
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(tmp_path / "site")), cwd=tmp_path,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "site" / "backprop_gui" / "_resources"), "xor.json"]
