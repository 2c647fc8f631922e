"""The network editor's edits, and data painted on the boundary plot, as undoable
commands (Edit > Undo, Ctrl+Z / Ctrl+Shift+Z).

An architecture edit rebuilds the network (new seeded weights, epoch 0), so undoing it
rebuilds the previous architecture, not the weights it had learnt. A typed weight is put
back as it was; it applies only while the network has the shape it was typed on."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..core.config import DatasetConfig, LayerConfig
from .network_editor import Parameter

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .session import TrainingSession


class ArchitectureEdit(QUndoCommand):
    def __init__(self, window: MainWindow, before: list[LayerConfig], after: list[LayerConfig],
                 description: str) -> None:
        super().__init__(description[:1].upper() + description[1:])
        self._window = window
        self._before, self._after = copy.deepcopy(before), copy.deepcopy(after)
        self._description = description

    def redo(self) -> None:
        self._window.changes.rebuild_network(copy.deepcopy(self._after), self._description)

    def undo(self) -> None:
        self._window.changes.rebuild_network(copy.deepcopy(self._before), f"undo: {self._description}")


class ParameterEdit(QUndoCommand):
    def __init__(self, session: TrainingSession, parameter: Parameter, old: float, new: float,
                 name: str) -> None:
        super().__init__(f"Set the {name} to {new:g}")
        self._session, self._parameter, self._old, self._new = session, parameter, old, new
        self._sizes = list(session.experiment.network.sizes)

    def redo(self) -> None:
        self._apply(self._new)

    def undo(self) -> None:
        self._apply(self._old)

    def _apply(self, value: float) -> None:
        experiment = self._session.experiment
        if experiment is None or list(experiment.network.sizes) != self._sizes:
            self.setObsolete(True)  # the network it was typed on is gone: the stack drops it
            return
        p = self._parameter
        self._session.set_parameter(p.layer, p.source, p.unit, value)


class DataEdit(QUndoCommand):
    """Points painted or erased: the data before and after (the first edit turns a
    built-in set or a file into a painted set; undoing it brings the original back)."""

    def __init__(self, window: MainWindow, before: DatasetConfig, after: DatasetConfig,
                 description: str) -> None:
        super().__init__(description[:1].upper() + description[1:])
        self._window = window
        self._before, self._after = copy.deepcopy(before), copy.deepcopy(after)
        self._description = description

    def redo(self) -> None:
        self._window.changes.rebuild_data(copy.deepcopy(self._after), self._description)

    def undo(self) -> None:
        self._window.changes.rebuild_data(copy.deepcopy(self._before), f"undo: {self._description}")
