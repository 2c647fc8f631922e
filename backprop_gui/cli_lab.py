"""`backprop-gui lab check LAB...` and `backprop-gui lab list`: for a teacher, before
handing a lab out.

`lab check` loads each lab, trains it as handed out and with its reference solution,
headless, epoch by epoch until every goal is met at once (or training stops, or the lab's
epoch limit or the time limit is reached), and prints each goal, met or not, with its
value. A lab passes when its solution meets every goal and the lab as handed out does
not (otherwise the lesson is empty).

Exit status: 0 every lab passed, 1 a lab failed or is malformed (one line on stderr says
which file and key), 2 the command line is wrong, 130 interrupted."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .core.config import Project
from .core.errors import ProjectError
from .core.experiment import Experiment
from .core.goals import GoalResult, GoalView, RunFacts
from .core.lab import Lab, LabProgress, built_in_labs, load_lab, solution_experiments

EXIT_FAILED, EXIT_INTERRUPTED = 1, 130
#: seconds of training a run of `lab check` may take: labs are meant to train in seconds
DEFAULT_MAX_SECONDS = 60.0


@dataclass(frozen=True)
class RunReport:
    """One run of a checked session, and the lab's goals after it."""

    label: str  # "run 1, as handed out", "run 2, solution", ...
    experiment: Experiment
    results: list[GoalResult]  # after the run; those at completion if it completed the lab
    complete: bool  # the lab was complete after this run
    epochs: int
    ended: str  # why the run ended: "all goals met", or the stop reason's message
    seconds: float


def check_session(project: Project, lab: Lab, max_seconds: float | None = None) -> list[RunReport]:
    """Train the lab as handed out, then each run of its solution, as one student's
    session: each run until the lab is complete or it stops (its epoch limit, early
    stopping, divergence, or `max_seconds`). The first report says whether the lab as
    handed out is already complete (an empty lesson); the last, whether the solution is."""
    runs = [("run 1, as handed out", Experiment.from_project(project))]
    runs += [(f"run {i}, solution", experiment)
             for i, experiment in enumerate(solution_experiments(project, lab), start=2)]
    progress = LabProgress(lab.goals)
    reports = []
    for i, (label, experiment) in enumerate(runs):
        if i:
            progress.new_run()
        reports.append(_train_run(label, experiment, progress, max_seconds))
    return reports


def _train_run(label: str, experiment: Experiment, progress: LabProgress,
               max_seconds: float | None) -> RunReport:
    """Train epoch by epoch, updating the progress after each."""
    trainer = experiment.trainer
    facts = RunFacts.of(experiment)
    start = time.perf_counter()
    ended = "not trained: the lab was already complete" if progress.complete else "all goals met"
    while not progress.complete:
        if trainer.done:
            ended = trainer.stop_reason.message
            break
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            ended = f"gave up after {max_seconds:g} s of training"
            break
        trainer.train(epochs=1)
        progress.update(GoalView.of_experiment(experiment, facts))
    seconds = time.perf_counter() - start
    if not progress.results:  # a run that trained no epoch: evaluate it as it is
        progress.update(GoalView.of_experiment(experiment, facts))
    results = progress.completed if progress.complete else progress.results
    return RunReport(label, experiment, list(results), progress.complete, trainer.epoch, ended,
                     seconds)


def add_lab_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `lab check` and `lab list` to the program's subcommands."""
    lab = subparsers.add_parser(
        "lab", prog="backprop-gui lab",
        help="check a lab before handing it out, or list the built-in labs",
        description="Labs: project files with instructions, tasks and goals (docs/lab-format.md).")
    commands = lab.add_subparsers(dest="lab_command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "check", prog="backprop-gui lab check",
        help="train a lab's reference solution and say which goals it meets",
        description="Train each lab as handed out and with its reference solution, headless, "
                    "and print every goal with its value. Exit 0 when each solution meets "
                    "all its goals and no lab as handed out already does.")
    check.add_argument("labs", nargs="+", metavar="LAB", type=Path, help="a lab file (.json)")
    check.add_argument("--max-seconds", type=_seconds, default=DEFAULT_MAX_SECONDS,
                       help=f"give up a run after this many seconds (default {DEFAULT_MAX_SECONDS:g})")
    check.set_defaults(run=run_check)
    listing = commands.add_parser("list", prog="backprop-gui lab list", help="list the built-in labs",
                                  description="List the labs that come with backprop-gui.")
    listing.set_defaults(run=run_list)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 86,400")
    return value


def run_check(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Check every lab named; a malformed one is one line on `err` and counts as failed."""
    out, err = out or sys.stdout, err or sys.stderr
    failed = 0
    try:
        for path in args.labs:
            try:
                passed = check_lab(path, out, args.max_seconds)
            except ProjectError as exc:
                print(f"backprop-gui: {exc}", file=err)
                passed = False
            failed += not passed
    except KeyboardInterrupt:
        print("backprop-gui: lab check interrupted", file=err)
        return EXIT_INTERRUPTED
    if len(args.labs) > 1:
        print(f"{len(args.labs) - failed} of {len(args.labs)} labs passed", file=out)
    return EXIT_FAILED if failed else 0


def check_lab(path: Path, out: TextIO, max_seconds: float | None = DEFAULT_MAX_SECONDS) -> bool:
    """Print the check of one lab; True when it passes. ProjectError when it is malformed."""
    project, lab = load_lab(path)
    reports = check_session(project, lab, max_seconds)  # a malformed lab prints nothing
    print(f"{Path(path).name}: {lab.title}", file=out)
    for report in reports:
        _print_run(report, out)
    empty, solved = reports[0].complete, reports[-1].complete
    if empty:
        verdict = "FAILED: the lab as handed out already meets every goal: the lesson is empty"
    elif not solved:
        missed = sum(not r.met for r in reports[-1].results)
        verdict = f"FAILED: the solution leaves {missed} of {len(lab.goals)} goals not met"
    else:
        verdict = "PASSED: the solution meets every goal; the lab as handed out does not"
    print(f"  {verdict}", file=out)
    return solved and not empty


def _print_run(report: RunReport, out: TextIO) -> None:
    net = report.experiment.network
    shape = "-".join(str(size) for size in net.sizes)
    when = (f"lab complete at epoch {report.epochs:,}" if report.ended == "all goals met"
            else f"{report.epochs:,} epochs ({report.ended})")
    print(f"  {report.label}: {shape} network ({', '.join(net.activation_names)}), "
          f"lr {report.experiment.trainer.optimizer.lr:g}; {when}, {report.seconds:.2f} s", file=out)
    for result in report.results:
        print(f"    {'met' if result.met else 'NOT met':8} {result.text}", file=out)


def run_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Print the built-in labs, in lesson order, with their titles."""
    out = out or sys.stdout
    for path in built_in_labs():
        _, lab = load_lab(path)
        print(f"{path}  {lab.title}", file=out)
    return 0
