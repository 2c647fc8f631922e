"""Files saved whole, with the permissions a plain save gives: a lab saved on a shared
machine is readable by others (the umask decides, as for any file)."""

import os
import stat

import numpy as np
import pytest

from backprop_gui.core.atomic_file import atomic_file
from backprop_gui.core.config import load_project, save_project
from backprop_gui.core.export_script import save_npz_atomic
from backprop_gui.core.saved_weights import save_trained
from backprop_gui.resources import resource_dir

XOR = resource_dir() / "projects" / "xor.json"


def save_all(folder):
    save_project(load_project(XOR), folder / "mine.json")
    save_trained(folder / "mine.weights.npz", {"W1": np.zeros((2, 3))}, epoch=3)
    save_npz_atomic(folder / "start.npz", {"W1": np.ones((2, 3))})
    return [folder / "mine.json", folder / "mine.weights.npz", folder / "start.npz"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        files = save_all(tmp_path)
    finally:
        os.umask(old)
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {mode}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in files)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "keep.json"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_file(path) as f:
        f.write("half a fi")
        raise RuntimeError("disk full")
    assert path.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [path]
