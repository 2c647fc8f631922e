"""A lab: a project file with a `lab` section that a teacher hands out.

    "lab": {"title": "XOR with backpropagation",
            "instructions": "Markdown shown in the lab panel ...",
            "tasks": ["Press Train ...", "..."],
            "goals": [{"kind": "accuracy_at_least", "value": 1.0},
                      {"kind": "max_epochs", "value": 2500},
                      {"kind": "diverged", "once": true}],
            "locked": ["dataset", "inputs"],
            "keep_runs": false,
            "solution": {"network": {"hidden": [{"units": 3, "activation": "sigmoid"}]}}}

The solution is what a reference answer changes in the lab's own project, applied as a
JSON merge patch (RFC 7386: objects merge key by key, null deletes a key, anything else
replaces) and checked by the same parser as any project, so it is always a valid project.
A list of them is a session of runs after the lab as handed out (to see a divergence
with one, then succeed with the next). Every key is checked with its path, as config.py
checks projects; parsing runs no code. docs/lab-format.md lists every key.
LabProgress follows a student's runs against the goals, in the window and in
`backprop-gui lab check` (cli_lab.py), which trains the solution headless."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..resources import resource_dir
from .config import Project, Section, describe_value, load_project, parse_project, project_to_dict
from .errors import ConfigError
from .experiment import Experiment
from .goals import GOAL_KINDS, SPLITS, Goal, GoalResult, GoalView, evaluate, met_in_rows

MAX_TITLE = 120
MAX_INSTRUCTIONS = 20_000  # characters of Markdown: a few screens of the lab panel
MAX_TASKS, MAX_TASK = 20, 500
MAX_GOALS = 12
MAX_WHY = 500
MAX_SOLUTION_RUNS = 5
SOLUTION_SECTIONS = ("dataset", "network", "training")

#: the controls a lab can lock (the window disables them), what each covers, and the
#: project value it guards (None: nothing a project stores, e.g. typed weights)
LOCKABLE: dict[str, tuple[str, Callable[[Project], Any] | None]] = {
    "dataset": ("the data: the data-set list, samples, noise, data seed, CSV import and Paint",
                lambda p: {k: v for k, v in vars(p.dataset).items() if k != "inputs"}),
    "inputs": ("the input toggles (x1, x2, x1², x2², x1·x2, sin x1, sin x2)",
               lambda p: p.dataset.inputs),
    "network": ("the hidden layers and their neurons (the editor's − / +, + layer and ×, "
                "and the hidden-units field)", lambda p: [layer.units for layer in p.network.hidden]),
    "activation": ("every layer's activation (the layer buttons, hidden and output activation)",
                   lambda p: ([layer.activation for layer in p.network.hidden],
                              p.network.output_activation)),
    "init": ("the initialisation", lambda p: p.network.init),
    "loss": ("the loss", lambda p: p.training.loss),
    "optimizer": ("the optimiser", lambda p: p.training.optimizer),
    "learning_rate": ("the learning rate η", lambda p: p.training.learning_rate),
    "batch_size": ("the batch size", lambda p: p.training.batch_size),
    "epochs": ("the epoch limit", lambda p: p.training.epochs),
    "seed": ("the random seed of the weights, split and shuffling", lambda p: p.training.seed),
    "regularization": ("the L1 and L2 rates", lambda p: (p.training.l1, p.training.l2)),
    "validation": ("the validation share", lambda p: p.training.validation_fraction),
    "patience": ("the early-stopping patience", lambda p: p.training.patience),
    "weights": ("typing a weight or bias (double-click on a link or neuron)", None),
}


@dataclass
class Lab:
    title: str
    instructions: str  # Markdown
    tasks: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)  # keys of LOCKABLE
    keep_runs: bool = False  # the window keeps each run, to compare them
    #: what each run of the reference solution changes in the lab's project (JSON merge
    #: patches; the file may give one object for one run)
    solution_changes: list[dict[str, Any]] = field(default_factory=list)
    #: the lab's project with each run's changes: checked projects (none without a solution)
    solution: list[Project] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------


def load_lab(path: str | os.PathLike) -> tuple[Project, Lab]:
    """Read and check a lab file: the project as handed out, and its lab section."""
    project = load_project(path)
    return project, parse_lab(project)


def is_lab(project: Project) -> bool:
    return "lab" in project.extra


def parse_lab(project: Project) -> Lab:
    """The Lab of a project read from a lab file (its extra["lab"]), every key checked."""
    file = project.file
    if not is_lab(project):
        where = f"{file}: " if file else ""
        raise ConfigError(f'{where}is a project, not a lab: it has no "lab" section '
                          "(see docs/lab-format.md)")
    s = Section(project.extra["lab"], "lab", file)
    title = s.text("title", None, MAX_TITLE)
    if not title or not title.strip():
        s.fail(s.key("title"), "missing: the lab's title, shown above its instructions")
    instructions = _instructions(s)
    tasks = [_text_item(s, f"{s.key('tasks')}[{i}]", task, MAX_TASK)
             for i, task in enumerate(_list(s, "tasks", MAX_TASKS, "texts", required=False))]
    goals = [_goal(item, f"{s.key('goals')}[{i}]", file)
             for i, item in enumerate(_list(s, "goals", MAX_GOALS, "goals", required=True))]
    locked = _locked(s)
    keep_runs = bool(s.boolean("keep_runs", False))
    changes = _solution_runs(s)
    solution = []
    for path, patch in changes:
        solution.append(solution_project(project, patch, path))
        _check_locks(project, solution[-1], locked, path, file)
    s.finish()
    return Lab(title.strip(), instructions, tasks, goals, locked, keep_runs,
               [copy.deepcopy(patch) for _, patch in changes], solution)


def _solution_runs(s: Section) -> list[tuple[str, Any]]:
    """(key path, patch) of each run of the solution: one object, or a list of them."""
    value, key = s.get("solution", None), s.key("solution")
    if value is None:
        return []
    if not isinstance(value, list):
        return [(key, value)]
    if not 1 <= len(value) <= MAX_SOLUTION_RUNS:
        s.fail(key, f"must be the changes of one run {{...}}, or a list of 1 to "
                    f"{MAX_SOLUTION_RUNS} of them; not a list of {len(value)}")
    return [(f"{key}[{i}]", patch) for i, patch in enumerate(value)]


def _instructions(s: Section) -> str:
    value = s.get("instructions", None)
    if value is None:
        s.fail(s.key("instructions"), "missing: the lab's instructions, in Markdown")
    if not isinstance(value, str) or not value.strip():
        s.fail(s.key("instructions"), f"must be Markdown text, not {describe_value(value)}")
    if len(value) > MAX_INSTRUCTIONS:
        s.fail(s.key("instructions"), f"is {len(value):,} characters long; at most "
                                      f"{MAX_INSTRUCTIONS:,} fit the lab panel: shorten it")
    return value


def _list(s: Section, key: str, max_items: int, what: str, required: bool) -> list:
    value = s.get(key, None)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        need = f"{'a non-empty list' if required else 'a list'} of {what}"
        s.fail(s.key(key), f"missing: {need}" if value is None
               else f"must be {need}, not {describe_value(value)}")
    if len(value) > max_items:
        s.fail(s.key(key), f"has {len(value)} {what}; at most {max_items} fit the lab panel")
    return value


def _text_item(s: Section, key_path: str, value: Any, max_len: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        s.fail(key_path, f"must be a non-empty text of at most {max_len:,} characters, "
                         f"not {describe_value(value)}")
    return value.strip()


def _goal(data: Any, path: str, file: str) -> Goal:
    s = Section(data, path, file)
    kinds = tuple(GOAL_KINDS)
    if s.get("kind", None) is None:
        s.fail(s.key("kind"), f"missing: one of {', '.join(kinds)}")
    kind = GOAL_KINDS[s.choice("kind", kinds, None)]
    value = None
    if kind.value is not None:
        spec = kind.value
        if "value" not in s.data:
            s.fail(s.key("value"), f"missing: {kind.name} needs a value ({spec.meaning})")
        if spec.integer:
            value = float(s.integer("value", None, int(spec.low), int(spec.high)))
        else:
            value = s.number("value", None, spec.low, spec.high, spec.low_open)
    on = s.choice("on", SPLITS, "train") if kind.has_split else "train"
    why = s.text("why", None, MAX_WHY)
    once = bool(s.boolean("once", False))
    s.finish()
    return Goal(kind.name, value, on, why.strip() if why else None, once)


def _locked(s: Section) -> list[str]:
    names = _list(s, "locked", len(LOCKABLE), "control names", required=False)
    for i, name in enumerate(names):
        key = f"{s.key('locked')}[{i}]"
        if not isinstance(name, str) or name not in LOCKABLE:
            s.fail(key, f"must be one of {', '.join(LOCKABLE)}; not {describe_value(name)}")
        if name in names[:i]:
            s.fail(key, f"{describe_value(name)} is already in the list; name each control once")
    return list(names)


# -- the solution ---------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: an object merges into an object key by key (null deletes the key);
    anything else replaces the target. Returns a new value; neither input changes."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    merged = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def solution_project(project: Project, changes: Any, path: str = "lab.solution") -> Project:
    """The lab's project with the solution's changes, checked like any project; an error
    names the key under `path` when the solution wrote it."""
    s = Section(changes, path, project.file)
    for key in changes:
        if key not in SOLUTION_SECTIONS:
            s.fail(s.key(key), f"a solution changes only {', '.join(SOLUTION_SECTIONS)}, "
                               "not the lab itself or its name")
        if not isinstance(changes[key], dict):
            s.fail(s.key(key), f"must be an object {{...}} of the keys it changes, "
                               f"not {describe_value(changes[key])}")
    data = project_to_dict(project)
    data.pop("lab", None)
    try:
        return parse_project(merge_patch(data, changes), "", project.base_dir)
    except ConfigError as exc:
        raise ConfigError(_solution_message(str(exc), changes, path, project.file)) from None


def _solution_message(message: str, changes: dict, path: str, file: str) -> str:
    """'network.hidden[0].units: ...' -> 'lab.solution.network.hidden[0].units: ...' when
    the solution wrote that key, else say that its changes made the project invalid."""
    where = f"{file}: " if file else ""
    key_path = message.split(": ", 1)[0]
    parts = re.split(r"[.\[]", key_path)
    written = len(parts) >= 2 and isinstance(changes.get(parts[0]), dict) and parts[1] in changes[parts[0]]
    if written:
        return f"{where}{path}.{message}"
    return f"{where}{path}: with these changes the project is not valid: {message}"


def solution_experiments(project: Project, lab: Lab) -> list[Experiment]:
    """Build each run of the solution; a problem only the data shows (softmax on two
    classes, ...) is named under lab.solution."""
    where = f"{project.file}: " if project.file else ""
    if not lab.solution:
        raise ConfigError(f"{where}lab.solution: missing: the settings of a reference solution, "
                          "which lab check trains (see docs/lab-format.md)")
    experiments = []
    for i, (run, patch) in enumerate(zip(lab.solution, lab.solution_changes)):
        path = "lab.solution" if len(lab.solution) == 1 else f"lab.solution[{i}]"
        try:
            experiments.append(Experiment.from_project(run))
        except ConfigError as exc:
            raise ConfigError(_solution_message(str(exc), patch, path, project.file)) from None
    return experiments


def _check_locks(project: Project, solution: Project, locked: list[str], path: str,
                 file: str) -> None:
    """A solution the student cannot reach is a mistake: it must leave locked settings be."""
    for name in locked:
        read = LOCKABLE[name][1]
        if read is not None and read(project) != read(solution):
            raise ConfigError(f"{file + ': ' if file else ''}{path}: changes {LOCKABLE[name][0]}, "
                              f"which the lab locks (lab.locked has {name!r}); a student could "
                              "not reach this solution")


# -- writing ---------------------------------------------------------------------------


def lab_to_dict(lab: Lab) -> dict[str, Any]:
    """The JSON form of the lab section: put it in project.extra["lab"] and save the project."""
    out: dict[str, Any] = {"title": lab.title, "instructions": lab.instructions}
    if lab.tasks:
        out["tasks"] = list(lab.tasks)
    goals = []
    for goal in lab.goals:
        kind = GOAL_KINDS[goal.kind]
        item: dict[str, Any] = {"kind": goal.kind}
        if kind.value is not None:
            item["value"] = int(goal.value) if kind.value.integer else goal.value
        if kind.has_split and goal.on != "train":
            item["on"] = goal.on
        if goal.why:
            item["why"] = goal.why
        if goal.once:
            item["once"] = True
        goals.append(item)
    out["goals"] = goals
    if lab.locked:
        out["locked"] = list(lab.locked)
    if lab.keep_runs:
        out["keep_runs"] = True
    changes = copy.deepcopy(lab.solution_changes)
    if changes:
        out["solution"] = changes[0] if len(changes) == 1 else changes
    return out


# -- a student's progress ------------------------------------------------------------


class LabProgress:
    """A student's progress on a lab's goals, over the runs they make (Reset and every
    rebuild start a new run). A goal marked `once` is met for good the first time any run
    meets it (to have *seen* a problem: a divergence, vanishing gradients); the other goals
    must all be met at the same moment of one run. The lab is complete when both have
    happened. Feed it every view (with its new rows, for the once-goals): O(goals + rows)."""

    def __init__(self, goals: list[Goal]):
        self.goals = list(goals)
        self.run = 1
        self.results: list[GoalResult] = []  # the latest, per goal
        self._seen: dict[int, GoalResult] = {}  # once-goals met, with the moment's text
        self._together: list[GoalResult] | None = None  # when the others were first all met
        self.completed: list[GoalResult] | None = None  # the results when it was complete
        self.completed_at: tuple[int, int] | None = None  # (run, epoch)

    @property
    def complete(self) -> bool:
        return self.completed is not None

    def new_run(self) -> None:
        """The student reset or rebuilt the network: the next views are of a new run."""
        self.run += 1

    def update(self, view: GoalView) -> list[GoalResult]:
        results = []
        for i, goal in enumerate(self.goals):
            if not goal.once:
                results.append(evaluate(goal, view))
                continue
            if i not in self._seen:
                epoch, result = met_in_rows(goal, view) or (view.epoch, evaluate(goal, view))
                if not result.met:
                    results.append(result)
                    continue
                when = f"at epoch {epoch:,}, " if GOAL_KINDS[goal.kind].value else ""
                self._seen[i] = GoalResult(True, f"seen in run {self.run}: {when}{result.text}")
            results.append(self._seen[i])
        self.results = results
        together = [r for goal, r in zip(self.goals, results) if not goal.once]
        if self._together is None and all(r.met for r in together):
            self._together = results
        if (self.completed is None and self._together is not None
                and len(self._seen) == sum(goal.once for goal in self.goals)):
            self.completed = [self._seen.get(i, r) for i, r in enumerate(self._together)]
            self.completed_at = (self.run, view.epoch)
        return results



def built_in_labs() -> list[Path]:
    """The labs that come with the program, in lesson order (their names start 01-, 02-, ...)."""
    folder = resource_dir() / "labs"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []
