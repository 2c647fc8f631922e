"""`backprop-gui train`: real project files in, real result files out; every user error
is one line on stderr with a non-zero exit and no traceback."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.cli import FROZEN_NEEDS, main

ROOT = Path(__file__).parents[2]
XOR = ROOT / "resources" / "projects" / "xor.json"
BAD_CSV = ROOT / "tests" / "data" / "csv" / "bad"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backprop_gui", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_train_xor_writes_every_result(tmp_path):
    result = run_cli("train", str(XOR), "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    assert "2-3-1 network" in result.stdout and "accuracy 100.0%" in result.stdout
    out = tmp_path / "run"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["epochs"] == 2500 and metrics["accuracy"] == 1.0
    assert metrics["stop_reason"] == "epochs" and metrics["val_loss"] is None
    assert 0 < metrics["train_loss"] < 0.05
    with open(out / "history.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "train_loss", "val_loss", "accuracy", "val_accuracy",
                       "grad_rms_1", "grad_rms_2", "grad_l2_1", "grad_l2_2"]
    assert len(rows) == 2501 and rows[1][0] == "1" and rows[-1][0] == "2500"
    assert float(rows[-1][1]) < float(rows[1][1])
    for name in ("weights.npz", "initial_weights.npz"):
        with np.load(out / name, allow_pickle=False) as w:
            assert sorted(w.files) == ["W1", "W2", "b1", "b2"]
            assert w["W1"].shape == (2, 3) and w["b1"].shape == (3,)
            assert w["W2"].shape == (3, 1) and w["b2"].shape == (1,)
    with np.load(out / "initial_weights.npz") as a, np.load(out / "weights.npz") as b:
        assert not np.allclose(a["W1"], b["W1"])
        assert np.abs(a["W1"]).max() <= 1


def test_flags_override_the_file(tmp_path, capsys):
    assert main(["train", str(XOR), "--epochs", "7", "--seed", "3", "--out", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["epochs"] == 7 and metrics["training"]["seed"] == 3
    assert "7 epochs" in capsys.readouterr().out


def test_same_seed_same_result(tmp_path):
    for name in ("a", "b"):
        assert main(["train", str(XOR), "--epochs", "50", "--quiet", "--out",
                     str(tmp_path / name)]) == 0
    assert (tmp_path / "a" / "history.csv").read_text() == (tmp_path / "b" / "history.csv").read_text()


def test_validation_and_early_stopping_are_reported(tmp_path, capsys):
    project = {"format": 1, "dataset": {"kind": "moons", "samples": 200, "noise": 0.3},
               "network": {"hidden": [{"units": 32, "activation": "relu"}] * 2},
               "training": {"optimizer": "adam", "learning_rate": 0.05, "epochs": 5000,
                            "validation_fraction": 0.3, "patience": 20}}
    path = tmp_path / "moons.json"
    path.write_text(json.dumps(project))
    assert main(["train", str(path), "--out", str(tmp_path / "out")]) == 0
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["stop_reason"] == "early_stopping" and metrics["epochs"] < 5000
    assert metrics["val_accuracy"] > 0.8 and metrics["val_loss"] > 0
    assert "validation: loss" in capsys.readouterr().out


def test_a_diverging_run_says_why(tmp_path):
    project = {"format": 1, "dataset": {"kind": "plane", "samples": 100},
               "network": {"hidden": [{"units": 16, "activation": "relu"}] * 6,
                           "init": "he"},
               "training": {"learning_rate": 10, "epochs": 1000}}
    path = tmp_path / "boom.json"
    path.write_text(json.dumps(project))
    result = run_cli("train", str(path), "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    metrics = json.loads((tmp_path / "o" / "metrics.json").read_text())
    assert metrics["stop_reason"] == "diverged"
    assert "lower the learning rate" in metrics["stop_message"] in result.stdout
    with np.load(tmp_path / "o" / "weights.npz") as w:
        assert all(np.isfinite(w[k]).all() for k in w.files)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("backprop-gui: ")
    return lines[0].lower()


@pytest.mark.parametrize("content,expected", [
    ("{", "line 1, column 2"),
    ('{"format": 1, "training": {"learning_rate": -1}}', "training.learning_rate"),
    ('{"format": 1, "network": {"hidden": [{"units": 0}]}}', "network.hidden[0].units"),
    ('{"format": 1, "dataset": {"kind": "csv", "path": "missing.csv"}}', "missing.csv"),
])
def test_bad_project_files_exit_1_with_one_line(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert expected in one_error_line(run_cli("train", str(path)))


def test_missing_file_and_usage_errors(tmp_path):
    assert "no such file" in one_error_line(run_cli("train", str(tmp_path / "none.json")))
    usage = run_cli("train", str(XOR), "--epochs", "lots")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert "not a whole number" in usage.stderr


def bad_csv_cases():
    manifest = BAD_CSV / "expected.json"
    if not manifest.exists():
        return []
    return sorted(json.loads(manifest.read_text()).items())


@pytest.mark.parametrize("name,expected", bad_csv_cases())
def test_every_bad_csv_through_the_cli(tmp_path, name, expected):
    """The corpus of malformed CSV files: each gives one clear line, naming the file."""
    project = {"format": 1, "dataset": {"kind": "csv", "path": str(BAD_CSV / name)}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(project))
    line = one_error_line(run_cli("train", str(path), "--epochs", "2"))
    assert name.lower() in line
    for part in expected:
        assert part.lower() in line


def test_bad_out_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "not a folder" in one_error_line(run_cli("train", str(XOR), "--out", str(blocker)))


def test_a_headless_command_turns_the_cycle_collector_back_on(tmp_path):
    """The entry points start with it off (a quicker window); a training run, which may
    go on for hours, must collect its cycles as usual."""
    import gc

    gc.disable()
    try:
        assert main(["train", str(XOR), "--quiet", "--out", str(tmp_path / "run")]) == 0
        assert gc.isenabled()
    finally:
        gc.enable()


def test_the_entry_points_start_with_the_collector_off_before_any_import():
    probe = ("import gc, runpy, sys; sys.argv = ['backprop-gui', '--version'];\n"
             "import backprop_gui.cli as cli\n"
             "cli.main = lambda: print(gc.isenabled()) or 0\n"
             "runpy.run_module('backprop_gui', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_the_window_without_a_display_says_so_instead_of_aborting():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "backprop_gui"], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert "no display to open the window on" in done.stderr and "--self-test" in done.stderr
    assert "Aborted" not in done.stderr and "Traceback" not in done.stderr


def test_train_speaks_of_itself_in_its_usage(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--bogus"])
    assert capsys.readouterr().err.startswith("usage: backprop-gui train ")


def test_a_missing_toolkit_and_a_missing_library_get_different_advice():
    from backprop_gui.cli import no_desktop_hint

    missing = no_desktop_hint(ModuleNotFoundError("No module named 'PySide6'", name="PySide6"))
    assert "PySide6 is not installed for this Python" in missing and sys.executable in missing
    library = no_desktop_hint(ImportError("libEGL.so.1: cannot open shared object file"))
    assert "libEGL.so.1" in library and "Qt libraries the README lists" in library
    frozen = no_desktop_hint(ImportError("libGL.so.1: cannot open shared object file"), frozen=True)
    assert frozen.startswith("libGL.so.1")
    assert f"apt-get install -y --no-install-recommends {FROZEN_NEEDS})" in frozen


def test_the_readme_names_the_packages_the_frozen_program_asks_for():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"sudo apt-get install -y --no-install-recommends {FROZEN_NEEDS}\n" in readme
