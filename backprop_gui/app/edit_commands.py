"""The network editor's edits, and data painted on the boundary plot, as undoable
commands (Edit > Undo, Ctrl+Z / Ctrl+Shift+Z).

An architecture edit rebuilds the network (new seeded weights, epoch 0), so undoing it
rebuilds the previous architecture, not the weights it had learnt. A typed weight is put
back as it was; it applies only while the network has the shape it was typed on."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from .network_editor import Parameter

if TYPE_CHECKING:
    from .session import TrainingSession


class RebuildEdit(QUndoCommand):
    """An edit of one part of the project that rebuilds the experiment: the hidden layers
    (the network editor) or the data (points painted on the boundary plot; the first such
    edit turns a built-in set or a file into a painted set, and undoing it brings the
    original back). Redo applies `after`, undo `before`, with `rebuild(value, what)`."""

    def __init__(self, rebuild: Callable[[Any, str], object], before: Any, after: Any,
                 description: str) -> None:
        super().__init__(description[:1].upper() + description[1:])
        self._rebuild = rebuild
        self._before, self._after = copy.deepcopy(before), copy.deepcopy(after)
        self._description = description

    def redo(self) -> None:
        self._rebuild(copy.deepcopy(self._after), self._description)

    def undo(self) -> None:
        self._rebuild(copy.deepcopy(self._before), f"undo: {self._description}")


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
