"""Where the program's own files (example projects, labs, icons) are: beside the package
in a checkout, inside it (`_resources`) once installed from a wheel, or in the folder
PyInstaller unpacks to in the standalone executable."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    checkout = here.parent / "resources"
    return checkout if checkout.is_dir() else here / "_resources"  # else: installed


def example_projects() -> list[Path]:
    """The example projects, in name order (XOR first)."""
    folder = resource_dir() / "projects"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return sorted(files, key=lambda p: (p.stem != "xor", p.stem))
