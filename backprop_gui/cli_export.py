"""`backprop-gui export PROJECT --script OUT.py [--torch OUT.py] [--weights W.npz]`: the
project as a standalone NumPy script (core/export_script.py) and/or a PyTorch script
(core/export_torch.py), headless. With --weights (W1..WL, b1..bL, as `train --out` and
the window save them), the scripts start from those trained weights.

Exit status: 0 written, 1 the project, its data, the weights or an output path is wrong
(one line on stderr says which, as for `train`), 2 the command line is wrong."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .core.config import load_project
from .core.errors import ProjectError
from .core.experiment import Experiment
from .core.export_script import write_numpy_script
from .core.export_torch import write_torch_script
from .core.saved_weights import load_trained

EXIT_USAGE = 2


def add_export_command(subparsers: argparse._SubParsersAction) -> None:
    """The `export` command, for cli.py's parser."""
    export = subparsers.add_parser(
        "export", prog="backprop-gui export",
        help="write a project as a standalone NumPy script (or a PyTorch one)",
        description="Write the project's data, network and training as one Python file that "
                    "trains it with NumPy alone, in the maths the program shows (its loss curve "
                    "is the program's for the same seed); or as a PyTorch script.")
    export.add_argument("file", metavar="PROJECT", help="a project or lab file (.json)")
    export.add_argument("--script", metavar="OUT.py", type=Path,
                        help="write the NumPy script here")
    export.add_argument("--torch", metavar="OUT.py", type=Path,
                        help="write the PyTorch script here (running it needs PyTorch)")
    export.add_argument("--weights", metavar="W.npz", type=Path,
                        help="trained weights (W1.., b1.., as train --out and File > Save write "
                             "them) for the scripts to start from; without it they start from "
                             "the program's initial weights")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
    """Write what args ask for; ProjectError for what the user can fix."""
    out, err = out or sys.stdout, err or sys.stderr
    if args.script is None and args.torch is None:
        print("backprop-gui export: error: say what to write: --script OUT.py, --torch OUT.py "
              "or both", file=err)
        return EXIT_USAGE
    if args.script is not None and args.torch is not None and (
            args.script.resolve() == args.torch.resolve()):
        print("backprop-gui export: error: --script and --torch name the same file; give "
              "each its own", file=err)
        return EXIT_USAGE
    project = load_project(args.file)
    weights = None
    if args.weights is not None:
        weights, _ = load_trained(args.weights, Experiment.from_project(project).network.sizes)
    for option, path, write, kind in (("--script", args.script, write_numpy_script, "NumPy"),
                                      ("--torch", args.torch, write_torch_script, "PyTorch")):
        if path is None:
            continue
        try:
            _check_output(option, path)
            written = write(project, weights, path)
        except OSError as exc:
            raise ProjectError(f"{option} {path}: cannot be written "
                               f"({exc.strerror or exc})") from None
        also = f" (and {written[1].name}, its weights)" if len(written) > 1 else ""
        print(f"wrote {path}{also}: the {kind} script; run it with: python {path}", file=out)
    return 0


def _check_output(option: str, path: Path) -> None:
    if path.is_dir():
        raise ProjectError(f"{option} {path}: is a folder; name the script file to write, "
                           f"e.g. {path / 'network.py'}")
    if not path.parent.is_dir():
        raise ProjectError(f"{option} {path}: the folder {path.parent} does not exist")
