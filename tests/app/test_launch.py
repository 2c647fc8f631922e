"""The program as a process: it starts with the XOR preset (or a named project), trains,
and closing the window mid-training ends the process cleanly: exit status 0, and no
"QThread: Destroyed while thread is still running", no traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CLOSE_WHILE_TRAINING = """
import sys
from backprop_gui.app.launch import run

def shown(window):
    window.actions.speed.setCurrentIndex(0)
    window.hyper.epochs.setValue(1_000_000)  # still training when the window closes
    print("title:", window.windowTitle(), flush=True)
    print("banner:", window.banner.text(), flush=True)
    def first(snapshot):
        if snapshot.epoch > 0 and window.session.running:
            print("epoch:", snapshot.epoch, flush=True)
            window.document.discard()  # the run is not worth saving: close without asking
            window.close()
    window.session.sigSnapshot.connect(first)
    window.session.train()

sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None, on_shown=shown))
"""


def run_program(*args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               XDG_CONFIG_HOME=str(tmp_path))  # the QSettings file goes here, not to ~
    return subprocess.run([sys.executable, "-c", CLOSE_WHILE_TRAINING, *args], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_closing_while_training_ends_the_process_cleanly(tmp_path):
    done = run_program(tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "title: XOR" in done.stdout and "epoch:" in done.stdout
    assert "QThread" not in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "backprop-gui" / "backprop-gui.conf").is_file()  # the layout was saved


def test_a_bad_project_file_opens_the_preset_and_says_why(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1, "training": {"learning_rate": "fast"}}')
    done = run_program(str(bad), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "title: XOR" in done.stdout
    assert "bad.json" in done.stdout and "training.learning_rate" in done.stdout
