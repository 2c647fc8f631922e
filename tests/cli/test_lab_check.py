"""`backprop-gui lab check LAB...` and `lab list`: real lab files in, each goal out with
its value, exit 0 only when every solution completes its lab and no lab as handed out
already does; a malformed lab is one line on stderr, without a traceback."""

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import backprop_gui.cli
from backprop_gui.cli_lab import EXIT_FAILED, add_lab_commands, run_check, run_list
from backprop_gui.core.lab import built_in_labs

ROOT = Path(__file__).resolve().parents[2]
XOR_LAB = ROOT / "resources" / "labs" / "01-xor.json"


def parser() -> argparse.ArgumentParser:
    """The program's parser has the same shape: subcommands that set `run`."""
    top = argparse.ArgumentParser(prog="backprop-gui")
    add_lab_commands(top.add_subparsers(dest="command"))
    return top


def lab_check(*argv: str) -> tuple[int, str, str]:
    args = parser().parse_args(["lab", "check", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = args.run(args, out, err)
    return code, out.getvalue(), err.getvalue()


def write_lab(tmp_path: Path, change, name: str = "lab.json") -> Path:
    data = json.loads(XOR_LAB.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_good_lab_passes_with_every_goal_and_its_value():
    code, out, err = lab_check(str(XOR_LAB))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "01-xor.json: XOR with backpropagation"
    assert lines[1].startswith("  run 1, as handed out: 2-1 network (sigmoid), lr 2; 2,500 epochs")
    assert "    NOT met  training accuracy 50% (goal: at least 100%)" in lines
    solution = lines.index(next(line for line in lines if line.startswith("  run 2, solution: 2-3-1")))
    assert "lab complete at epoch" in lines[solution]
    assert all(line.startswith("    met ") for line in lines[solution + 1:solution + 5])
    assert lines[-1] == "  PASSED: the solution meets every goal; the lab as handed out does not"


def test_a_solution_that_misses_a_goal_fails(tmp_path):
    def weaker(d):
        d["lab"]["solution"] = {"network": {"hidden": [{"units": 2, "activation": "sigmoid"}]}}
    code, out, _ = lab_check(str(write_lab(tmp_path, weaker)))
    assert code == EXIT_FAILED
    assert "    NOT met  training accuracy 50% (goal: at least 100%)" in out
    assert out.splitlines()[-1].startswith("  FAILED: the solution leaves 2 of 4 goals not met")


def test_a_lab_already_met_as_handed_out_is_an_empty_lesson(tmp_path):
    def solved(d):
        d["network"]["hidden"] = [{"units": 3, "activation": "sigmoid"}]
        d["lab"]["solution"] = {"training": {"seed": 0}}
        d["lab"]["locked"].remove("learning_rate")
    code, out, _ = lab_check(str(write_lab(tmp_path, solved)))
    assert code == EXIT_FAILED
    assert "FAILED: the lab as handed out already meets every goal: the lesson is empty" in out


@pytest.mark.parametrize("change, message", [
    (lambda d: d["lab"]["goals"][0].update(value="all"),
     'backprop-gui: lab.json: lab.goals[0].value: must be a number >= 0 and <= 1, not "all"'),
    (lambda d: d["lab"].pop("solution"),
     "backprop-gui: lab.json: lab.solution: missing: the settings of a reference solution"),
    (lambda d: d.pop("lab"), 'backprop-gui: lab.json: is a project, not a lab: it has no "lab" section'),
    (lambda d: d["lab"].update(solution={"network": {"output_activation": "softmax"}}),
     "backprop-gui: lab.json: lab.solution.network.output_activation: softmax needs three or more"),
])
def test_a_malformed_lab_is_one_line_on_stderr(tmp_path, change, message):
    code, out, err = lab_check(str(write_lab(tmp_path, change)))
    assert code == EXIT_FAILED and out == ""
    assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_file_and_a_broken_one(tmp_path):
    code, _, err = lab_check(str(tmp_path / "nowhere.json"))
    assert code == EXIT_FAILED and err.startswith("backprop-gui: nowhere.json: no such file")
    (tmp_path / "broken.json").write_text('{"format": 1,', encoding="utf-8")
    code, _, err = lab_check(str(tmp_path / "broken.json"))
    assert code == EXIT_FAILED and err.startswith("backprop-gui: broken.json: line 1, column")


def test_several_labs_each_checked_and_counted(tmp_path):
    bad = write_lab(tmp_path, lambda d: d["lab"]["goals"].append({"kind": "nonsense"}))
    code, out, err = lab_check(str(XOR_LAB), str(bad))
    assert code == EXIT_FAILED
    assert "PASSED" in out and out.splitlines()[-1] == "1 of 2 labs passed"
    assert "lab.goals[4].kind: must be one of" in err


def test_the_time_limit_gives_up_a_run(tmp_path):
    code, out, _ = lab_check(str(XOR_LAB), "--max-seconds", "1e-9")
    assert code == EXIT_FAILED and "gave up after 1e-09 s of training" in out


@pytest.mark.parametrize("argv", [["lab"], ["lab", "check"], ["lab", "check", "x.json", "--max-seconds", "0"],
                                  ["lab", "grade", "x.json"]])
def test_a_wrong_command_line_is_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(argv)
    assert exited.value.code == 2 and "usage:" in capsys.readouterr().err


def test_lab_list_names_the_built_in_labs():
    out = io.StringIO()
    assert run_list(argparse.Namespace(), out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(built_in_labs()) == 7
    assert lines[0].endswith("01-xor.json  XOR with backpropagation")


def test_check_every_built_in_lab_in_one_command():
    code, out, err = lab_check(*map(str, built_in_labs()))
    assert (code, err) == (0, "") and out.splitlines()[-1] == "7 of 7 labs passed"


@pytest.mark.skipif("lab" not in backprop_gui.cli.COMMANDS,
                    reason="backprop_gui/cli.py does not route `lab` to cli_lab.add_lab_commands yet")
def test_the_installed_command_runs_lab_check():
    done = subprocess.run([sys.executable, "-m", "backprop_gui", "lab", "check", str(XOR_LAB)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "PASSED" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "backprop_gui", "lab", "check",
                          str(ROOT / "resources" / "projects" / "xor.json")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "is a project, not a lab" in bad.stderr


def test_run_check_defaults_to_the_process_streams(capsys):
    args = parser().parse_args(["lab", "check", str(XOR_LAB)])
    assert run_check(args) == 0
    assert "PASSED" in capsys.readouterr().out
