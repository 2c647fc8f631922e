"""From a checked Project to everything training needs: the dataset (read or made), its
train/validation split, the derived inputs (x1², sin x2, ...) of 2-D data, the
standardiser, the network and the Trainer. The problems a project can only show once its
data is known (a softmax output on two classes, BCE on a regression target, derived
inputs of a CSV file that has three columns) are reported here, with the key path.

The order is raw data -> split -> derived inputs -> standardise: the split draws the
same samples whatever the inputs, and the plots keep the raw points of each part."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .config import Project
from .csv_reader import read_csv
from .data import Dataset, Standardizer, split
from .datasets import make_dataset
from .errors import ConfigError
from .features import expand, input_names, is_raw
from .losses import get_loss
from .network import Network
from .optim import make_optimizer
from .painted import painted_dataset
from .trainer import Trainer

DEFAULT_OUTPUT = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}
DEFAULT_LOSS = {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}


@dataclass
class Experiment:
    project: Project
    dataset: Dataset  # as read or made: the data's own features, before anything else
    #: the derived inputs (features.INPUT_KEYS) of 2-D data; None: the data's own features
    inputs: list[str] | None
    #: the samples of train_set / validation_set in the data's own features and units:
    #: what a plot draws on the x1/x2 plane
    train_points: Dataset
    validation_points: Dataset | None
    train_set: Dataset  # the network's inputs: derived, and standardised when asked
    validation_set: Dataset | None
    standardizer: Standardizer | None  # of the network's inputs (after deriving)
    network: Network
    trainer: Trainer

    @property
    def input_names(self) -> list[str]:
        """One name per unit of the network's input layer (x1², sin x2, or the features)."""
        return self.train_set.feature_names

    def to_inputs(self, X: np.ndarray) -> np.ndarray:
        """Points in the data's own features and units -> what the network takes in
        (derived, then standardised): for grids and heatmaps over the data's plane."""
        if self.inputs is not None:
            X = expand(X, self.inputs)
        return self.standardizer(X) if self.standardizer is not None else X

    @classmethod
    def from_project(cls, project: Project, dataset: Dataset | None = None) -> Experiment:
        """Build it all; `dataset` skips reading when the caller has it already."""
        if dataset is None:
            dataset = load_dataset(project)
        inputs = checked_inputs(project, dataset)
        t = project.training
        train_points, validation_points = split(dataset, t.validation_fraction, t.seed)
        train_set = _derived(train_points, inputs)
        validation_set = None if validation_points is None else _derived(validation_points, inputs)
        standardize = project.dataset.standardize
        if standardize is None:
            standardize = project.dataset.kind == "csv"
        standardizer = Standardizer.fit(train_set.X) if standardize else None
        if standardizer is not None:
            train_set = _standardized(train_set, standardizer)
            if validation_set is not None:
                validation_set = _standardized(validation_set, standardizer)
        output, loss_name = output_and_loss(project, dataset)
        sizes = [train_set.n_features, *(layer.units for layer in project.network.hidden),
                 dataset.n_outputs]
        activations = [layer.activation for layer in project.network.hidden] + [output]
        network = Network.build(sizes, activations, project.network.init, t.seed,
                                np.dtype(t.dtype))
        trainer = Trainer(
            network, get_loss(loss_name), make_optimizer(t.optimizer, network.params, t.learning_rate),
            train_set, validation_set, batch_size=t.batch_size, max_epochs=t.epochs,
            seed=t.seed, patience=t.patience, l1=t.l1, l2=t.l2,
        )
        return cls(project=project, dataset=dataset, inputs=inputs, train_points=train_points,
                   validation_points=validation_points, train_set=train_set,
                   validation_set=validation_set, standardizer=standardizer, network=network,
                   trainer=trainer)


def load_dataset(project: Project) -> Dataset:
    d = project.dataset
    if d.kind == "painted":
        return painted_dataset(d.points, d.task or "classification")
    if d.kind == "csv":
        return read_csv(project.csv_path(), features=d.features, target=d.target,
                        header=d.header, delimiter=d.delimiter, task=d.task)
    return make_dataset(d.kind, d.samples, d.noise, d.seed)


def checked_inputs(project: Project, dataset: Dataset) -> list[str] | None:
    """The project's derived inputs, None when they are just x1, x2; ConfigError when the
    data (a CSV file, whose width the parser could not know) does not have two features."""
    inputs = project.dataset.inputs
    if inputs is not None and dataset.n_features != 2:
        where = f"{project.file}: " if project.file else ""
        raise ConfigError(f"{where}dataset.inputs: derived inputs need data with two features; "
                          f"{dataset.name} has {dataset.n_features} "
                          f"({', '.join(dataset.feature_names[:6])}{', ...' * (dataset.n_features > 6)})")
    return None if is_raw(inputs) else list(inputs)


def _derived(dataset: Dataset, inputs: list[str] | None) -> Dataset:
    """The dataset with the derived inputs as its features (itself when there are none)."""
    if inputs is None:
        return dataset
    return replace(dataset, X=expand(dataset.X, inputs),
                   feature_names=input_names(inputs, dataset.feature_names))


def output_and_loss(project: Project, dataset: Dataset) -> tuple[str, str]:
    """The output activation and loss, defaulted by task and checked against it."""
    task = dataset.task
    output = project.network.output_activation or DEFAULT_OUTPUT[task]
    loss = project.training.loss or DEFAULT_LOSS[task]
    where = f"{project.file}: " if project.file else ""
    if output == "softmax" and task != "multiclass":
        raise ConfigError(f"{where}network.output_activation: softmax needs three or more classes; "
                          f"this {task} data needs sigmoid (or linear for regression)")
    if loss == "cross_entropy" and output != "softmax":
        raise ConfigError(f"{where}training.loss: cross_entropy goes with a softmax output; "
                          f"the output is {output}")
    if loss == "bce" and output != "sigmoid":
        raise ConfigError(f"{where}training.loss: bce needs a sigmoid output (values in 0..1); "
                          f"the output is {output}")
    if task == "regression" and loss != "mse":
        raise ConfigError(f"{where}training.loss: a regression target ({dataset.target_name}) "
                          f"needs mse, not {loss}")
    return output, loss


def _standardized(dataset: Dataset, standardizer: Standardizer) -> Dataset:
    return replace(dataset, X=standardizer(dataset.X))
