"""The project file the window shows: where it is, whether it changed since it was opened
or saved (so closing can ask), the recently used files, and saving and opening with the
trained weights beside the project (NAME.weights.npz next to NAME.json; core/saved_weights.py).

What is saved is the network that runs, with its live settings: the panels' settings
that wait for "Apply and reset" describe another network, which these weights do not fit."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from ..core.config import Project, load_project, project_to_dict, save_project
from ..core.errors import ProjectError
from ..core.experiment import Experiment, load_dataset
from ..core.lab import is_lab, parse_lab
from ..core.saved_weights import load_trained, save_trained, weights_path

if TYPE_CHECKING:
    from .main_window import MainWindow

#: how many files File > Open Recent lists
RECENT = 8


class Document:
    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        self.window = window
        self.settings = settings
        self.path: Path | None = None  # None: not saved yet (a preset, an example, new data)
        self._saved: tuple | None = None

    # -- has it changed? ----------------------------------------------------------------------

    def mark_saved(self, path: Path | None) -> None:
        """What is shown now is what the file holds (or, with None, what a preset holds)."""
        self.path = path
        self._saved = self._state()
        self.window.show_title()

    def discard(self) -> None:
        """Forget the changes: closing will not ask (a self-test's or a script's window)."""
        self._saved = None

    def changed(self) -> bool:
        """Settings, data, network or weights differ from what was opened or saved."""
        return self._saved is not None and self._state() != self._saved

    def _state(self) -> tuple:
        session = self.window.session
        if session.project is None or session.experiment is None:
            return ()
        project = json.dumps(project_to_dict(self._running_project()), sort_keys=True)
        params = session.experiment.network.params
        return project, session.experiment.trainer.epoch, hashlib.sha1(params.tobytes()).hexdigest()

    def _running_project(self) -> Project:
        return self.window.session.project

    # -- saving -----------------------------------------------------------------------------

    def save(self, path: Path) -> bool:
        """Write the running project to `path` and its weights beside it; say why not."""
        session = self.window.session
        if session.project is None or session.experiment is None:
            return False
        project = self._running_project()
        weights, epoch = self.trained()
        try:
            save_project(project, path)
            save_trained(weights_path(path), weights, epoch)
        except OSError as exc:
            self.window.banner.show_message(f"Could not save {path.name}: {exc.strerror or exc}", "error")
            return False
        self.mark_saved(path)
        self.remember(path)
        pending = self.window.pending.isVisible()
        note = " The settings waiting for <b>Apply and reset</b> were not saved." if pending else ""
        self.window.banner.show_message(f"Saved {path.name} and its weights ({weights_path(path).name}, "
                                        f"epoch {epoch:,}).{note}", "info")
        return True

    def trained(self) -> tuple[dict, int]:
        """The weights and epoch to save: the latest snapshot's (copies made between two
        steps: consistent even while training), or the network's before the first."""
        session = self.window.session
        last = session.last
        if last is None:
            return session.experiment.network.weights(), session.experiment.trainer.epoch
        weights = {f"W{l}": W for l, W in enumerate(last.weights, start=1)}
        weights |= {f"b{l}": b for l, b in enumerate(last.biases, start=1)}
        return weights, last.epoch

    # -- opening ----------------------------------------------------------------------------

    def open(self, path: Path) -> bool:
        """Open a project file, with its saved weights if there are (bad ones are named and
        left out: the project opens from its initial weights). Nothing changes on a bad file."""
        try:
            project = load_project(path)
            lab = parse_lab(project) if is_lab(project) else None
            dataset = load_dataset(project)
            sizes = Experiment.from_project(project, dataset).network.sizes
        except ProjectError as exc:
            self.window.banner.show_message(f"Could not open the project: {exc}", "error")
            return False
        trained, problem = None, ""
        saved = weights_path(path)
        if saved.is_file():
            try:
                trained = load_trained(saved, sizes)
            except ProjectError as exc:
                problem = f" Its saved weights were not loaded: {exc}."
        if not self.window.load_project(project, dataset, trained):
            return False
        self.window.set_lab(lab)
        self.mark_saved(path)
        self.remember(path)
        if problem:
            self.window.banner.show_message(f"Opened {path.name} from its initial weights.{problem}",
                                            "warning")
        elif trained is not None:
            self.window.banner.show_message(f"Opened {path.name} with its trained weights (epoch "
                                            f"{trained[1]:,}).", "info")
        return True

    # -- recent files -----------------------------------------------------------------------

    def recent(self) -> list[Path]:
        value = self.settings.value("recent/files", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in paths if isinstance(p, str) and p][:RECENT]

    def remember(self, path: Path) -> None:
        path = path.resolve()
        paths = [path, *(p for p in self.recent() if p != path)][:RECENT]
        self.settings.setValue("recent/files", [str(p) for p in paths])

    def forget(self, path: Path) -> None:
        self.settings.setValue("recent/files", [str(p) for p in self.recent() if p != path])
