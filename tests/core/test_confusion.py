"""The confusion matrices and R² of the network's current weights: counted as a plain
NumPy loop over a hand-written forward pass counts them, and agreeing with the accuracy
and R² the Trainer records for the same weights."""

import math

import numpy as np
import pytest

from backprop_gui.core.config import DatasetConfig, LayerConfig, NetworkConfig, Project, TrainingConfig
from backprop_gui.core.confusion import (
    Confusion,
    ConfusionMatrix,
    RSquared,
    Scorer,
    confusion_matrix,
    predicted_classes,
    r_squared,
)
from backprop_gui.core.experiment import Experiment


def experiment(kind: str, samples: int = 150, validation: float = 0.25, batch_size: int = 0,
               activation: str = "tanh", epochs: int = 0) -> Experiment:
    project = Project(DatasetConfig(kind=kind, samples=samples, noise=0.2),
                      NetworkConfig([LayerConfig(6, activation), LayerConfig(5, activation)]),
                      TrainingConfig(learning_rate=0.1, epochs=10_000, batch_size=batch_size,
                                     validation_fraction=validation))
    e = Experiment.from_project(project)
    e.trainer.train(epochs=epochs)
    return e


def plain_forward(network, X: np.ndarray) -> np.ndarray:
    """ŷ written out layer by layer, independently of Network's buffers and layout."""
    f = {
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0),
        "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
        "linear": lambda z: z,
        "softmax": lambda z: np.exp(z - z.max(axis=1, keepdims=True))
        / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
    }
    a = np.asarray(X, float)
    for l, name in enumerate(network.activation_names, start=1):
        a = f[name](a @ network.W[l] + network.b[l])
    return a


def plain_counts(true, y_hat, task: str, K: int) -> np.ndarray:
    counts = np.zeros((K, K), int)
    for t, out in zip(true, y_hat):
        predicted = int(out[0] > 0.5) if task == "binary" else int(np.argmax(out))
        counts[t, predicted] += 1
    return counts


@pytest.mark.parametrize("kind", ["circles", "spiral3"])
@pytest.mark.parametrize("epochs", [0, 40])
def test_the_matrices_count_what_a_plain_forward_pass_predicts(kind, epochs):
    e = experiment(kind, epochs=epochs)
    scores = Scorer(e.trainer).score()
    assert isinstance(scores, Confusion)
    K = len(e.dataset.class_names)
    for part, data in ((scores.train, e.train_set), (scores.validation, e.validation_set)):
        expected = plain_counts(data.y, plain_forward(e.network, data.X), data.task, K)
        np.testing.assert_array_equal(part.counts, expected)
        assert part.counts.dtype == np.int64 and part.total == data.n_samples
        np.testing.assert_array_equal(part.counts.sum(axis=1), np.bincount(data.y, minlength=K))


@pytest.mark.parametrize("kind", ["circles", "spiral3"])
def test_the_diagonal_share_is_the_accuracy_the_trainer_records_for_the_same_weights(kind):
    e = experiment(kind, epochs=25)
    scorer, trainer = Scorer(e.trainer), e.trainer
    before = scorer.score()  # the weights the next full-batch epoch measures its accuracy on
    assert before.train.accuracy == trainer.evaluate(e.train_set)[1]
    trainer.run_epoch()
    assert before.train.accuracy == trainer.history.last.metric
    after = scorer.score()  # the weights the epoch's validation accuracy is measured on
    assert after.validation.accuracy == trainer.history.last.val_metric
    assert after.validation.correct == round(trainer.evaluate(e.validation_set)[1] * after.validation.total)


def test_mini_batches_and_small_chunks_count_the_same():
    e = experiment("spiral3", samples=301, batch_size=16, epochs=3)
    whole = Scorer(e.trainer, chunk_rows=10_000).score()
    chunked = Scorer(e.trainer, chunk_rows=7)
    for _ in range(2):  # the buffers are reused
        again = chunked.score()
        np.testing.assert_array_equal(again.train.counts, whole.train.counts)
        np.testing.assert_array_equal(again.validation.counts, whole.validation.counts)
    assert whole.train.accuracy == e.trainer.evaluate(e.train_set)[1]


def test_without_a_validation_set_there_is_no_validation_matrix():
    e = experiment("circles", validation=0.0, epochs=5)
    scores = Scorer(e.trainer).score()
    assert scores.validation is None and scores.train.total == 150


def test_r_squared_is_the_plain_formula_and_the_trainers():
    e = experiment("plane", epochs=30)
    scorer, trainer = Scorer(e.trainer), e.trainer
    before = scorer.score()
    assert isinstance(before, RSquared)
    for value, data in ((before.train, e.train_set), (before.validation, e.validation_set)):
        y_hat = plain_forward(e.network, data.X)[:, 0]
        expected = 1 - ((y_hat - data.y) ** 2).sum() / ((data.y - data.y.mean()) ** 2).sum()
        assert value == pytest.approx(expected, rel=1e-12)
    trainer.run_epoch()
    assert before.train == pytest.approx(trainer.history.last.metric, rel=1e-12)
    assert scorer.score().validation == pytest.approx(trainer.history.last.val_metric, rel=1e-12)


def test_predictions_follow_the_trainers_rule_at_the_threshold_and_on_nan():
    binary = np.array([[0.5], [0.5000001], [0.2], [np.nan], [1.0]])
    np.testing.assert_array_equal(predicted_classes(binary, "binary"), [0, 1, 0, 0, 1])
    multi = np.array([[0.2, 0.5, 0.3], [0.4, 0.4, 0.2], [0.1, 0.1, 0.8]])
    np.testing.assert_array_equal(predicted_classes(multi, "multiclass"), [1, 0, 2])
    with pytest.raises(ValueError):
        predicted_classes(binary, "regression")


def test_a_matrix_counts_pairs_and_shades_rows_by_their_share():
    m = confusion_matrix(np.array([0, 0, 0, 1, 2, 2]), np.array([0, 0, 1, 1, 0, 2]), 4)
    np.testing.assert_array_equal(m.counts, [[2, 1, 0, 0], [0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    assert (m.total, m.correct, m.accuracy) == (6, 4, 4 / 6)
    np.testing.assert_allclose(m.row_shares(), [[2 / 3, 1 / 3, 0, 0], [0, 1, 0, 0],
                                                [0.5, 0, 0.5, 0], [0, 0, 0, 0]])
    assert math.isnan(ConfusionMatrix(np.zeros((2, 2), np.int64)).accuracy)


def test_r_squared_of_a_constant_target_and_of_the_mean():
    Y = np.array([[1.0], [2.0], [3.0]])
    assert r_squared(Y, Y) == 1.0
    assert r_squared(np.full_like(Y, 2.0), Y) == 0.0
    assert r_squared(np.zeros((3, 1)), np.full((3, 1), 2.0)) == 1.0 - 12.0  # SS_tot 0 counts as 1
