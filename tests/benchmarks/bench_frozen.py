"""Start-up and size of the standalone executables against a hello-world floor frozen the
same way in the same run: what PyInstaller + PySide6 + pyqtgraph cost by themselves, and
what is ours on top.

    python tests/benchmarks/bench_frozen.py [--no-build] [--runs N]

A script, not a test: it prints markdown tables and never fails on a time.

- Ours: `bash packaging/build.sh` (PYTHON=this interpreter) builds dist/ (one-folder,
  one-file, .tar.gz); --no-build takes dist/ as it is.
- The floor: HELLO below (a QMainWindow with one pyqtgraph PlotWidget of 4 points, 1280x760),
  frozen in a temporary folder by PyInstaller's command line, one-folder and one-file, with
  `--exclude-module` for each of the spec's EXCLUDES (evaluated from the spec's text). None
  of the spec's other trims (dropped Qt files, libpython without its debug information, the
  PYZ stored, not deflated): a plain build, so ours can come out smaller than the floor.
- Start-up: `--self-test` prints `window shown X.XX s after start` (self_test._process_age:
  the age of the process from /proc, or of a one-file build's bootloader parent, which
  unpacks), taken when the window is first exposed; HELLO has a copy of that logic and
  prints the same at the first event after show() (a little sooner). One untimed run of
  each, then --runs rounds, the order reversed every other round; a ratio is ours / the
  hello-world of the same kind within a round, median of rounds.
- `PROGRAM --version`, cheaper: seconds to its output (one-file minus one-folder: mostly the
  unpacking to /tmp/_MEI*) and to its exit (a one-file bootloader then deletes what it
  unpacked). HELLO answers before importing Qt, ours after importing its command line.

Children run with a scratch XDG_CONFIG_HOME, QT_QPA_PLATFORM=offscreen unless the caller
set one, no PYTHONPATH, and a timeout. MB are 10^6 bytes.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script
from bench_app import BARE_WINDOW, med, ok  # noqa: E402
from bench_core import ROOT, machine_info, table  # noqa: E402

from backprop_gui.app.self_test import _process_age  # noqa: E402

SPEC, DIST = ROOT / "packaging" / "backprop-gui.spec", ROOT / "dist"
MAX_START_S = {"one-folder": 1.0, "one-file": 2.5}
MAX_MB = {"one-file": 90.0, "archive": 95.0}
SHOWN = re.compile(r"window shown (\d+(?:\.\d+)?) s after start")
TIMEOUT_S = 120
KINDS, WHO = ("one-folder", "one-file"), ("backprop-gui", "hello-world")
T = TypeVar("T")

#: the hello-world: bench_app's bare window, reporting the self-test's own figure (its
#: process-age function, copied in as source: the frozen hello-world has no backprop_gui)
HELLO = f"""
import os, sys
from pathlib import Path
if "--version" in sys.argv:
    print("hello 1"); sys.exit(0)

{inspect.getsource(_process_age)}

def shown():
    print(f"window shown {{_process_age():.2f}} s after start", flush=True)
    app.quit()
""" + BARE_WINDOW


Programs = dict[str, Path]  # "backprop-gui one-file": its executable, and so on


def spec_excludes() -> list[str]:
    """The spec's EXCLUDES, evaluated alone: the spec itself only runs inside PyInstaller."""
    for node in ast.parse(SPEC.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXCLUDES"
                                                for t in node.targets):
            return list(eval(compile(ast.Expression(node.value), str(SPEC), "eval"), {}))
    raise RuntimeError(f"no EXCLUDES in {SPEC}")


def archive_path() -> Path:
    text = (ROOT / "backprop_gui" / "__init__.py").read_text()
    ver = re.search(r'^__version__ = "(.+)"$', text, re.M).group(1)
    return DIST / f"backprop-gui-{ver}-linux-{platform.machine()}.tar.gz"


def build_ours() -> float:
    """packaging/build.sh, its output to stderr; returns seconds."""
    start = time.perf_counter()
    subprocess.run(["bash", "packaging/build.sh"], cwd=ROOT, check=True, stdout=sys.stderr,
                   env=dict(os.environ, PYTHON=sys.executable))
    return time.perf_counter() - start


def build_hello(scratch: Path, excludes: list[str]) -> tuple[dict[str, Path], dict[str, float]]:
    """HELLO frozen one-folder and one-file: the executables, and each build's seconds."""
    script = scratch / "hello.py"
    script.write_text(HELLO)
    exes, seconds = {}, {}
    for kind, flag in zip(KINDS, ("--onedir", "--onefile")):
        dist, start = scratch / kind, time.perf_counter()
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        flag, "--name", "hello", "--distpath", str(dist), "--workpath",
                        str(scratch / "work"), "--specpath", str(scratch),
                        *(f"--exclude-module={m}" for m in excludes), str(script)],
                       cwd=scratch, check=True, stdout=sys.stderr, timeout=900)
        seconds[kind] = time.perf_counter() - start
        exes[kind] = dist / "hello" / "hello" if kind == "one-folder" else dist / "hello"
    return exes, seconds


def shown_after(name: str, exe: Path, env: dict[str, str], png: Path) -> float:
    """The program's own 'window shown X s after start' (ours: from --self-test)."""
    extra = ["--self-test", "--screenshot", str(png)] if name.startswith("backprop-gui") else []
    done = subprocess.run([str(exe), *extra], env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)
    found = SHOWN.search(done.stdout)
    if found is None:
        raise RuntimeError(f"{name} printed no start-up time ({done.returncode}): "
                           f"{(done.stdout + done.stderr)[-800:]}")
    return float(found.group(1))


def version_times(name: str, exe: Path, env: dict[str, str], _png: Path) -> tuple[float, float]:
    """Seconds from launching `PROGRAM --version` to its line of output, and to its exit."""
    start = time.perf_counter()
    with subprocess.Popen([str(exe), "--version"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as child:
        killer = threading.Timer(TIMEOUT_S, child.kill)  # a hung child ends the readline
        killer.start()
        line = child.stdout.readline()
        printed = time.perf_counter() - start
        code = child.wait()
        killer.cancel()
    if code != 0 or not line:
        raise RuntimeError(f"{name} --version failed ({code})")
    return printed, time.perf_counter() - start


def rounds(programs: Programs, measure: Callable[[str, Path, dict[str, str], Path], T],
           runs: int, env: dict[str, str], png: Path) -> list[dict[str, T]]:
    """One untimed run of each, then `runs` rounds, the order reversed every other one (the
    first round's, the programs' own, is the tables' order)."""
    for name, exe in programs.items():
        measure(name, exe, env, png)
    items = list(programs.items())
    return [{name: measure(name, exe, env, png) for name, exe in (items[::-1] if r % 2 else items)}
            for r in range(runs)]


def du_bytes(path: Path) -> int:
    return int(subprocess.run(["du", "-sB1", str(path)], capture_output=True, text=True,
                              check=True).stdout.split()[0])


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def startup_table(results: list[dict[str, float]]) -> tuple[str, bool]:
    rows, passed = [], True
    for name in results[0]:
        who, kind = name.split(" ")
        values = [r[name] for r in results]
        ratio = target = verdict = "—"
        if who == "backprop-gui":
            ratio = f"{med([r[name] / r[f'hello-world {kind}'] for r in results]):.2f}×"
            good = med(values) < MAX_START_S[kind]
            target, verdict, passed = f"< {MAX_START_S[kind]:g} s", ok(good), passed and good
        rows.append([who, kind, f"{med(values):.2f}", spread(values), ratio, target, verdict])
    return table(["program", "build", "median s", "range s", "ours / hello-world", "target",
                  "ok"], rows), passed


def size_table(ours: dict[str, int], hello: dict[str, int]) -> tuple[str, bool]:
    labels = {"one-folder": "one-folder, on disk (`du -s`)", "one-file": "one-file",
              "archive": "one-folder as .tar.gz"}
    rows, passed = [], True
    for key, label in labels.items():
        limit = MAX_MB.get(key)
        good = limit is None or ours[key] / 1e6 <= limit
        passed &= good
        rows.append([label, f"{ours[key] / 1e6:.1f}", f"{hello[key] / 1e6:.1f}",
                     f"{ours[key] / hello[key]:.2f}×", f"≤ {limit:g} MB" if limit else "—",
                     ok(good) if limit else "—"])
    return table(["what", "backprop-gui MB", "hello-world MB", "ours / hello-world", "target",
                  "ok"], rows), passed


def version_section(results: list[dict[str, tuple[float, float]]]) -> str:
    rows = [[*name.split(" "), f"{med([r[name][0] for r in results]):.2f}",
             f"{med([r[name][1] for r in results]):.2f}", spread([r[name][1] for r in results])]
            for name in results[0]]
    gap = {(who, i): med([r[f"{who} one-file"][i] - r[f"{who} one-folder"][i] for r in results])
           for who in WHO for i in (0, 1)}
    return (table(["program", "build", "to its output, median s", "to its exit, median s",
                   "exit range s"], rows) + "\n\nOne-file minus one-folder (median of rounds): "
            f"to the output (mostly unpacking) backprop-gui {gap['backprop-gui', 0]:.2f} s, "
            f"hello-world {gap['hello-world', 0]:.2f} s; to the exit (plus deleting it) "
            f"{gap['backprop-gui', 1]:.2f} s and {gap['hello-world', 1]:.2f} s.")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    import PyInstaller
    import pyqtgraph
    import PySide6

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="use dist/ as it is")
    parser.add_argument("--runs", type=int, default=7, help="timed rounds (default 7)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print("## Standalone executables: start-up and size against a hello-world floor\n")
    print("\n".join([*machine_info(), f"- nproc {len(os.sched_getaffinity(0))}, load average "
                     f"{load()} at the start; PySide6 {PySide6.__version__}, pyqtgraph "
                     f"{pyqtgraph.__version__}, PyInstaller {PyInstaller.__version__}"]), flush=True)
    built = "taken from dist/ as it was (`--no-build`)"
    if not args.no_build:
        built = f"built by `packaging/build.sh` in this run ({build_ours():.0f} s)"
    archive = archive_path()
    ours = {"one-folder": DIST / "backprop-gui" / "backprop-gui",
            "one-file": DIST / "backprop-gui-onefile"}
    missing = [str(p) for p in (*ours.values(), archive) if not p.exists()]
    if missing:
        print(f"bench_frozen: missing {', '.join(missing)}: run packaging/build.sh", file=sys.stderr)
        return 1
    excludes = spec_excludes()
    with tempfile.TemporaryDirectory(prefix="bench-frozen-") as tmp:
        scratch = Path(tmp)
        hello, build_s = build_hello(scratch, excludes)
        tar = scratch / "hello.tar.gz"
        subprocess.run(["tar", "-czf", str(tar), "-C", str(scratch / "one-folder"), "hello"],
                       check=True)
        programs = {f"{who} {kind}": exes[kind] for kind in KINDS
                    for who, exes in zip(WHO, (ours, hello))}
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["XDG_CONFIG_HOME"] = str(scratch / "config")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        png = scratch / "shot.png"
        print(f"- ours: {built}; the hello-world: PyInstaller's command line with the spec's "
              f"{len(excludes)} EXCLUDES, built in {build_s['one-folder']:.0f} s (one-folder) "
              f"and {build_s['one-file']:.0f} s (one-file)\n- Qt platform "
              f"`{env['QT_QPA_PLATFORM']}`; {args.runs} rounds after one untimed run of each, "
              "the order reversed every other round; ratios within a round\n", flush=True)
        text, start_ok = startup_table(rounds(programs, shown_after, args.runs, env, png))
        print(f"### 1. Process start to window shown (the program's own figure)\n\n{text}\n",
              flush=True)
        sizes = [{"one-folder": du_bytes(exes["one-folder"].parent),
                  "one-file": exes["one-file"].stat().st_size, "archive": gz.stat().st_size}
                 for exes, gz in ((ours, archive), (hello, tar))]
        text, size_ok = size_table(*sizes)
        print(f"### 2. Sizes\n\n{text}\n", flush=True)
        versions = rounds(programs, version_times, args.runs, env, png)
    print(f"### 3. `PROGRAM --version`\n\n{version_section(versions)}\n")
    print(f"Targets: start-up {'met' if start_ok else 'MISSED'}, size "
          f"{'met' if size_ok else 'MISSED'}. Load average at the end: {load()}. "
          f"Total benchmark time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
