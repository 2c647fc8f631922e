"""The window's changes of the network and the data: from the network editor, from
painting on the boundary plot, from an imported CSV file. Each rebuilds the experiment
through the window (a bad one is reported and changes nothing) and, where it can be,
is an undoable command (edit_commands.py)."""

from __future__ import annotations

import copy
import html
from typing import TYPE_CHECKING

from ..core.config import DatasetConfig, LayerConfig
from ..core.data import Dataset
from ..core.errors import DatasetError
from ..core.experiment import load_dataset
from .edit_commands import ParameterEdit, RebuildEdit
from .network_editor import Parameter

if TYPE_CHECKING:
    from .main_window import MainWindow

#: the share of an imported CSV file held out for validation, when none was
CSV_VALIDATION = 0.2


class Changes:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = window.session
        window.network_view.sigArchitecture.connect(self.edit_architecture)
        window.network_view.sigParameter.connect(self.edit_parameter)
        window.boundary.paint.sigPainted.connect(self.paint_data)

    # -- the network --------------------------------------------------------------------------

    def edit_architecture(self, hidden: list[LayerConfig], description: str) -> None:
        """The editor asks for other hidden layers: an undoable rebuild."""
        if self.session.project is not None:
            before = self.session.project.network.hidden
            self.window.undo_stack.push(RebuildEdit(self.rebuild_network, before, hidden, description))

    def edit_parameter(self, parameter: Parameter, old: float, new: float) -> None:
        """The user typed a weight or a bias: an undoable edit, applied at once."""
        if self.session.experiment is not None:
            name = self.window.network_view.parameter_name(parameter)
            self.window.undo_stack.push(ParameterEdit(self.session, parameter, old, new, name))

    def rebuild_network(self, hidden: list[LayerConfig], description: str) -> bool:
        """The current project with these hidden layers, from new (seeded) weights; training
        pauses, and the banner says what happened."""
        current, experiment = self.session.project, self.session.experiment
        if current is None:
            return False
        running = self.session.running
        project = copy.deepcopy(current)
        project.network.hidden = hidden
        if not self.window.load_project(project, experiment.dataset if experiment else None):
            return False
        sizes = "-".join(map(str, self.session.experiment.network.sizes))
        paused = "Training paused: t" if running else "T"
        self.window.banner.show_message(
            f"<b>Network changed</b> ({description}): now {sizes}. {paused}he weights start again "
            f"from epoch 0 (seed {project.training.seed}). Ctrl+Z undoes the change.", "info")
        return True

    # -- the data ---------------------------------------------------------------------------

    def paint_data(self, points: list[list[float]] | None, description: str) -> None:
        """Points painted on the boundary plot: an undoable change to a painted set (None:
        the tool refused, and `description` says why)."""
        current, experiment = self.session.project, self.session.experiment
        if points is None:
            self.window.banner.show_message(f"Not erased: {description}.", "warning")
            return
        if current is None or experiment is None:
            return
        after = copy.deepcopy(current.dataset)
        after.kind, after.points = "painted", points
        after.task = "regression" if experiment.dataset.task == "regression" else "classification"
        after.path = after.features = after.target = after.header = after.delimiter = None
        self.window.undo_stack.push(RebuildEdit(self.rebuild_data, current.dataset, after, description))

    def rebuild_data(self, data: DatasetConfig, description: str) -> bool:
        """The current project on other data, from new (seeded) weights; a change of task
        (a new class) lets the output and loss follow it. Training pauses."""
        current, experiment = self.session.project, self.session.experiment
        if current is None:
            return False
        project = copy.deepcopy(current)
        project.dataset = data
        try:
            dataset = load_dataset(project)
        except DatasetError as exc:
            self.window.banner.show_message(f"Could not use this data: {exc}", "error")
            return False
        if experiment is None or dataset.task != experiment.dataset.task:
            project.network.output_activation = project.training.loss = None
        running = self.session.running
        if not self.window.load_project(project, dataset):
            return False
        if running:
            self.window.banner.show_message(
                f"<b>Data changed</b> ({description}): training paused; the weights start again "
                "from epoch 0. Ctrl+Z undoes the change.", "info")
        return True

    def use_csv_data(self, data: DatasetConfig, dataset: Dataset, name: str) -> bool:
        """Train on an imported CSV file (read by the import dialog): the output and loss
        follow its task, and a fifth of it is held out for validation unless the settings
        already hold some out. Not undoable: the edits before it were for other data."""
        project = copy.deepcopy(self.window.edited_project())
        project.dataset = data
        project.network.output_activation = project.training.loss = None
        held_out = project.training.validation_fraction == 0
        if held_out:
            project.training.validation_fraction = CSV_VALIDATION
        project.name = name
        if not self.window.load_project(project, dataset):
            return False
        self.window.undo_stack.clear()
        note = f"; {CSV_VALIDATION:.0%} held out for validation" if held_out else ""
        self.window.banner.show_message(
            f"<b>{html.escape(name)}</b>: {dataset.n_samples:,} rows, {dataset.n_features} "
            f"features, {_task_words(dataset)}{note}.", "info")
        return True


def _task_words(dataset: Dataset) -> str:
    if dataset.task == "regression":
        return f"regression of {dataset.target_name}"
    return f"{len(dataset.class_names)} classes of {dataset.target_name}"
