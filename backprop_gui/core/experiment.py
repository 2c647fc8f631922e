"""From a checked Project to everything training needs: the dataset (read or made), its
train/validation split, the standardiser, the network and the Trainer. The problems a
project can only show once its data is known (a softmax output on two classes, BCE on
a regression target) are reported here, with the key path."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .config import Project
from .csv_reader import read_csv
from .data import Dataset, Standardizer, split
from .datasets import make_dataset
from .errors import ConfigError
from .losses import get_loss
from .network import Network
from .optim import make_optimizer
from .trainer import Trainer

DEFAULT_OUTPUT = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}
DEFAULT_LOSS = {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}


@dataclass
class Experiment:
    project: Project
    dataset: Dataset  # as read or made, before splitting and standardising
    train_set: Dataset  # standardised when the project asks for it
    validation_set: Dataset | None
    standardizer: Standardizer | None
    network: Network
    trainer: Trainer

    @classmethod
    def from_project(cls, project: Project, dataset: Dataset | None = None) -> Experiment:
        """Build it all; `dataset` skips reading when the caller has it already."""
        if dataset is None:
            dataset = load_dataset(project)
        t = project.training
        train_set, validation_set = split(dataset, t.validation_fraction, t.seed)
        standardize = project.dataset.standardize
        if standardize is None:
            standardize = project.dataset.kind == "csv"
        standardizer = Standardizer.fit(train_set.X) if standardize else None
        if standardizer is not None:
            train_set = _standardized(train_set, standardizer)
            if validation_set is not None:
                validation_set = _standardized(validation_set, standardizer)
        output, loss_name = output_and_loss(project, dataset)
        sizes = [dataset.n_features, *(layer.units for layer in project.network.hidden),
                 dataset.n_outputs]
        activations = [layer.activation for layer in project.network.hidden] + [output]
        network = Network.build(sizes, activations, project.network.init, t.seed,
                                np.dtype(t.dtype))
        trainer = Trainer(
            network, get_loss(loss_name), make_optimizer(t.optimizer, network.params, t.learning_rate),
            train_set, validation_set, batch_size=t.batch_size, max_epochs=t.epochs,
            seed=t.seed, patience=t.patience, l1=t.l1, l2=t.l2,
        )
        return cls(project, dataset, train_set, validation_set, standardizer, network, trainer)


def load_dataset(project: Project) -> Dataset:
    d = project.dataset
    if d.kind == "csv":
        return read_csv(project.csv_path(), features=d.features, target=d.target,
                        header=d.header, delimiter=d.delimiter, task=d.task)
    return make_dataset(d.kind, d.samples, d.noise, d.seed)


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
