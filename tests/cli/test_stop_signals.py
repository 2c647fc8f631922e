"""Ctrl+C and SIGTERM stop a headless run between slices of steps, and it still writes
its results: checked on a real `backprop-gui train` process, signalled once its first
progress line shows it is training."""

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.stop_signals import StopRequests

XOR = Path(__file__).parents[2] / "resources" / "projects" / "xor.json"


@pytest.mark.parametrize("number,status,said", [(signal.SIGINT, 130, "interrupted at epoch"),
                                                (signal.SIGTERM, 143, "interrupted by SIGTERM at epoch")])
def test_a_signalled_run_stops_and_writes_what_it_has(number, status, said, tmp_path):
    run = subprocess.Popen([sys.executable, "-m", "backprop_gui", "train", str(XOR), "--epochs",
                            "100000000", "--out", "out"], cwd=tmp_path, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = run.stderr.readline()  # a line after about a second of training
        assert first.startswith("epoch "), first + run.stderr.read()
        run.send_signal(number)
        out, err = run.communicate(timeout=60)
    finally:
        run.kill()
    assert run.returncode == status, err
    assert "Traceback" not in err
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["stop_reason"] == "interrupted" and metrics["stop_message"].startswith(said)
    assert 0 < metrics["epochs"] < 100_000_000 and f"{metrics['epochs']:,}" in metrics["stop_message"]
    with open(tmp_path / "out" / "history.csv") as f:
        last_row = list(csv.reader(f))[-1]
    assert int(last_row[0]) == metrics["epochs"]  # stopped between steps: the history is whole
    with np.load(tmp_path / "out" / "weights.npz") as weights:
        assert {"W1", "b1", "W2", "b2"} <= set(weights.files)
    assert said in out


def handled(stop: StopRequests) -> bool:
    """Give the handler its turn: Python runs it between bytecodes of the main thread."""
    return any(stop.signal is not None for _ in range(10_000))


def test_a_second_signal_interrupts_at_once_and_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), StopRequests() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert handled(stop) and stop.signal == signal.SIGTERM and stop.exit_status == 143
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100_000):  # the handler's turn comes within these steps
            pass
    assert signal.getsignal(signal.SIGTERM) is before
