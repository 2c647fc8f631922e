"""Training > Keep this run: the window's side of core/kept_runs.py.

A run is kept by the user (the action, or the button of the runs panel) once it has
trained and is not training, or automatically, when a lab asks for it, the moment it is
replaced (Reset, new settings, other data): a lab on learning rates then shows each rate
tried beside the next without a click."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.kept_runs import KeptRun, KeptRuns, SettingsTrail, keep_run
from ..core.run_labels import run_settings

if TYPE_CHECKING:
    from .main_window import MainWindow

#: a stop reason's kind, as the runs table says how a run ended
ENDINGS = {"epochs": "epoch limit", "early_stopping": "early stopping", "diverged": "diverged"}


class RunKeeper(QObject):
    sigChanged = Signal()  # runs kept, removed, shown or hidden, or the labels changed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runs = KeptRuns()
        #: keep every run when it is replaced (a lab's keep_runs)
        self.automatic = False
        self._trail = SettingsTrail()  # what the current run trained with
        self._noted = (-1, -1)  # (generation, epoch) of the last note
        window.session.sigReplacing.connect(self._replacing)

    def can_keep(self) -> bool:
        """A run that trained at least an epoch and is not training now."""
        return not self.window.session.running and self._has_run()

    def keep(self) -> str:
        """Keep the current run; says what was done, in words, for the banner."""
        s = self.window.session
        if s.running:
            return "Pause the run (or let it finish) to keep it."
        if not self.can_keep():
            return "Train first: there is no run to keep yet."
        if self.runs.holds(self._identity()):
            return "This run is kept already."
        dropped = self._keep()
        text = ("Kept this run: it stays in the cost and gradient plots, fainter, labelled by "
                "what the next run changes (the Kept runs tab lists them).")
        if dropped is not None:
            text += f" The oldest kept run left: at most {self.runs.limit} are kept."
        return text

    def remove(self, run: KeptRun) -> None:
        self.runs.remove(run)
        self.sigChanged.emit()

    def clear(self) -> None:
        if len(self.runs):
            self.runs.clear()
            self.sigChanged.emit()

    def set_visible(self, run: KeptRun, visible: bool) -> None:
        if run.visible != visible:
            run.visible = visible
            self.sigChanged.emit()

    def entries(self) -> list[tuple[KeptRun, str]]:
        """Each kept run with its label, oldest first: the settings in which it differs
        from the other kept runs and from the current run."""
        return list(zip(self.runs.runs, self.runs.labels(self.current_settings())[0]))

    def current_label(self) -> str:
        """The current run's label beside the kept ones: "this run (lr 8)"."""
        return self.runs.labels(self.current_settings())[1]

    def note_snapshot(self) -> None:
        """A snapshot arrived: if the run trained since the last one, note what with."""
        s = self.window.session
        if s.last is None or s.last.last is None:
            return
        noted = (s.generation, s.last.epoch)
        if noted[0] != self._noted[0]:
            self._trail = SettingsTrail()
        if noted != self._noted:
            self._noted = noted
            self._trail.note(self.current_settings())

    def current_settings(self) -> dict[str, str] | None:
        s = self.window.session
        if s.project is None or s.experiment is None:
            return None
        return run_settings(s.project, s.experiment.network.sizes)

    # -- inside ----------------------------------------------------------------------------

    def _has_run(self) -> bool:
        """The current run has trained: rows in the window's history, a latest epoch."""
        s = self.window.session
        return s.history is not None and len(s.history) > 0 and s.last is not None \
            and s.last.last is not None

    def _identity(self) -> tuple[int, int]:
        s = self.window.session
        return s.generation, s.last.epoch

    def _keep(self) -> KeptRun | None:
        s = self.window.session
        stop = s.last.stop if s.last is not None else None
        ending = ENDINGS.get(stop.kind, stop.kind) if stop is not None else "stopped"
        experiment = s.experiment
        settings = self._trail.settings() if self._noted[0] == s.generation else None
        run = keep_run(s.history, s.last.last, settings or self.current_settings(),
                       experiment.network.activation_names, experiment.trainer.loss.name,
                       ending, self._identity())
        dropped = self.runs.add(run)
        self.sigChanged.emit()
        return dropped

    def _replacing(self) -> None:
        if self.automatic and self._has_run() and not self.runs.holds(self._identity()):
            self._keep()
