"""Kept runs: finished or stopped training runs held beside the current one, so that a
student sees "lr 0.1" against "lr 3", or sigmoid against ReLU, on the same axes.

A kept run owns a frozen copy of its history and the settings it ran with; its label is
made of just the settings that differ between the runs compared (core/run_labels.py),
the current run included, so two kept runs that differ only in their learning rate read
"lr 0.1" and "lr 3"."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .history import History, Record
from .run_labels import run_labels

#: the most runs kept at once: the oldest leaves when one more is kept (a plot of more
#: faint curves than this is no longer read)
MAX_KEPT_RUNS = 8


@dataclass(eq=False)
class KeptRun:
    history: History  # a frozen copy (History.frozen_copy)
    settings: dict[str, str]  # run_settings: each as written on a plot
    activations: list[str]  # of layers 1..L, for the gradient curves
    loss_name: str
    ending: str  # how the run ended, in a few words: "early stopping at epoch 812"
    identity: tuple[int, int]  # (generation, epoch): the same run at the same epoch is kept once
    visible: bool = True
    number: int = field(default=0)  # 1, 2, ... in the order kept: its colour and dash follow it

    @property
    def last(self) -> Record | None:
        return self.history.last


class SettingsTrail:
    """The settings a run trained with. Some change without new weights (the learning
    rate, L1/L2, patience), while the run is paused or even while it trains; a run is
    labelled by what it trained with, "lr 2→0.5" if it was both, never by a setting
    changed after its last epoch."""

    def __init__(self) -> None:
        self._values: dict[str, list[str]] = {}

    def note(self, settings: dict[str, str]) -> None:
        """The run trained (on) with these settings."""
        for key, value in settings.items():
            values = self._values.setdefault(key, [])
            if not values or values[-1] != value:
                values.append(value)

    def settings(self) -> dict[str, str] | None:
        """Each setting as the run trained with it; None if it never trained."""
        if not self._values:
            return None
        return {key: _trail(values) for key, values in self._values.items()}


def _trail(values: list[str]) -> str:
    """"lr 2", "lr 0.5" -> "lr 2→0.5": the words they share once, then each value."""
    if len(values) == 1:
        return values[0]
    shared = os.path.commonprefix(values)
    shared = shared[: shared.rfind(" ") + 1]  # whole words only
    return shared + "→".join(value[len(shared):] for value in values)


def keep_run(history: History, last: Record | None, settings: dict[str, str], activations: list[str],
             loss_name: str, ending: str, identity: tuple[int, int]) -> KeptRun:
    """A kept run of this history (copied: the live one goes on changing) whose latest
    epoch is `last` (None: the history's own)."""
    return KeptRun(history.frozen_copy(last), dict(settings), list(activations), loss_name, ending,
                   identity)


class KeptRuns:
    """The kept runs, oldest first."""

    def __init__(self, limit: int = MAX_KEPT_RUNS) -> None:
        self.limit = limit
        self.runs: list[KeptRun] = []
        self._kept = 0  # runs ever kept: numbers are not reused while runs remain

    def __len__(self) -> int:
        return len(self.runs)

    def holds(self, identity: tuple[int, int]) -> bool:
        return any(run.identity == identity for run in self.runs)

    def add(self, run: KeptRun) -> KeptRun | None:
        """Keep run; returns the oldest run if it had to leave to make room."""
        self._kept += 1
        run.number = self._kept
        self.runs.append(run)
        return self.runs.pop(0) if len(self.runs) > self.limit else None

    def remove(self, run: KeptRun) -> None:
        self.runs = [r for r in self.runs if r is not run]
        if not self.runs:
            self._kept = 0

    def clear(self) -> None:
        self.runs = []
        self._kept = 0

    def labels(self, current: dict[str, str] | None = None) -> tuple[list[str], str]:
        """Each kept run's label, and the current run's: the settings in which the runs
        (the current one included, given its settings) are not all the same. The current
        run's label is "this run", with what sets it apart in brackets if anything does."""
        settings = [run.settings for run in self.runs]
        numbers = [run.number for run in self.runs]
        if current is None:
            return run_labels(settings, numbers), "this run"
        labels = run_labels(settings + [current], numbers + [0])
        mine = "this run" if labels[-1] == "run 0" else f"this run ({labels[-1]})"
        return labels[:-1], mine
