"""pyproject.toml lists the packages by hand (resources/ is mapped into the package):
every package in the tree must be in that list, or an installed program lacks it."""

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for init in (ROOT / "backprop_gui").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {found - listed}"
    assert config["package-dir"]["backprop_gui._resources"] == "resources"
    assert (ROOT / "resources" / "projects" / "xor.json").is_file()
