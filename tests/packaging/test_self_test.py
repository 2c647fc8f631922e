"""`backprop-gui --self-test` from source, as a user (or CI) runs it: a process that trains
XOR in the real window offscreen, prints one line, saves a screenshot of the trained
window and exits 0; and it fails, with a status and a line, when it cannot pass."""

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
PASSED = re.compile(r"^self-test passed: XOR 2-3-1 reached 100% accuracy at epoch ([\d,]+) "
                    r"in ([\d.]+) s of training .*accuracy 100\.0%.*screenshot: (.+)$", re.MULTILINE)


def self_test(*args, tmp_path, **env):
    environment = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path), **env)
    environment.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    return subprocess.run([sys.executable, "-m", "backprop_gui", "--self-test", *args],
                          env=environment, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def assert_trained_window(png: Path) -> None:
    """A real picture of the window: its full size, many colours, not one flat fill."""
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600
    samples = [image.pixel(x, y) for x in range(0, image.width(), 16)
               for y in range(0, image.height(), 16)]
    assert len(set(samples)) > 50
    black = sum((colour & 0xFFFFFF) == 0 for colour in samples)
    assert black < len(samples) // 10


def test_the_self_test_trains_xor_to_100_percent_and_saves_a_screenshot(tmp_path):
    png = tmp_path / "shot.png"
    done = self_test("--screenshot", str(png), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    match = PASSED.search(done.stdout)
    assert match, done.stdout
    assert 1 <= int(match[1].replace(",", "")) <= 2500
    assert Path(match[3]) == png and png.is_file()
    assert "Traceback" not in done.stderr and "QThread" not in done.stderr
    assert_trained_window(png)
    assert not (tmp_path / "backprop-gui").exists()  # the user's settings were left alone


def test_a_self_test_that_cannot_pass_says_so_and_exits_non_zero(tmp_path):
    done = self_test("--screenshot", str(tmp_path / "missing" / "shot.png"), tmp_path=tmp_path)
    assert done.returncode == 1
    assert "missing" in done.stderr and "Traceback" not in done.stderr


def test_screenshot_without_self_test_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "backprop_gui", "--screenshot", "x.png"],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2 and "--screenshot needs --self-test" in done.stderr


def test_the_deadline_ends_a_self_test_that_takes_too_long(qapp, tmp_path, capsys):
    from backprop_gui.app.self_test import EXIT_FAILED, run_self_test

    assert run_self_test(tmp_path / "shot.png", deadline_seconds=0.001) == EXIT_FAILED
    assert "self-test FAILED: no result after 0.001 s" in capsys.readouterr().err
    assert not (tmp_path / "shot.png").exists()
