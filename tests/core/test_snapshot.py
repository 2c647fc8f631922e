"""What the training thread hands to the drawing thread: history rows that rebuild the
same history on the other side, a boundary grid that is the network's real output where
the plot puts it, and snapshots that own their arrays."""

import numpy as np

from backprop_gui.core import snapshot
from backprop_gui.core.boundary import RESOLUTION, BoundaryCurve, BoundaryGrid, BoundaryImage
from backprop_gui.core.config import DatasetConfig, LayerConfig, NetworkConfig, Project, TrainingConfig
from backprop_gui.core.confusion import Confusion, RSquared
from backprop_gui.core.data import Dataset, Standardizer
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.history import History
from backprop_gui.core.network import Network
from backprop_gui.core.snapshot import SnapshotMaker


def experiment(kind="circles", **training) -> Experiment:
    project = Project(DatasetConfig(kind=kind, samples=120), NetworkConfig([LayerConfig(5, "tanh")]),
                      TrainingConfig(learning_rate=0.3, epochs=10_000, **training))
    return Experiment.from_project(project)


def test_a_mirror_fed_with_rows_equals_the_history_through_compactions():
    history = History(2, [6, 3], "accuracy", capacity=8)
    mirror = history.empty_like()
    sent, compactions = 0, 0
    for epoch in range(1, 200):
        history.append(epoch, 1.0 / epoch, np.nan, 0.5, np.nan, [epoch, 2.0 * epoch])
        if epoch % 3 == 0 or epoch == 199:
            if history.compactions != compactions:
                compactions, sent = history.compactions, 0
            mirror.receive(history.rows_since(sent))
            sent = history.count
    assert history.compactions > 0
    for column in ("epoch", "train_loss", "metric", "grad_rms", "grad_l2"):
        np.testing.assert_array_equal(getattr(mirror, column), getattr(history, column))


def test_the_grid_is_the_networks_output_at_each_cell_centre():
    e = experiment()
    grid = BoundaryGrid(e.dataset, e.standardizer)
    b = grid.evaluate(e.network)
    assert isinstance(b, BoundaryImage) and b.values.shape == (RESOLUTION, RESOLUTION)
    X = e.dataset.X
    (x0, x1), (y0, y1) = b.x_range, b.y_range
    assert x0 < X[:, 0].min() and x1 > X[:, 0].max() and y0 < X[:, 1].min() and y1 > X[:, 1].max()
    i, j = 17, 83  # row i is y, column j is x
    point = [x0 + (j + 0.5) * (x1 - x0) / RESOLUTION, y0 + (i + 0.5) * (y1 - y0) / RESOLUTION]
    expected = e.network.predict(np.array([point]))[0, 0]
    assert abs(b.values[i, j] - expected) < 1e-5


def test_the_grid_is_in_data_units_when_training_on_standardised_inputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * [100.0, 0.01, 5.0] + [1000.0, 0.0, -3.0]
    ds = Dataset(X, (X[:, 0] > 1000).astype(int), ["a", "b", "c"], "y", "binary", ["no", "yes"])
    standardizer = Standardizer.fit(X)
    net = Network.build([3, 4, 1], ["tanh", "sigmoid"], "xavier", 0)
    grid = BoundaryGrid(ds, standardizer, axes=(2, 0))
    b = grid.evaluate(net)
    assert b.axes == (2, 0) and b.x_range[0] < X[:, 2].min() and b.y_range[1] > X[:, 0].max()
    assert "b = " in grid.held_note and "a = " not in grid.held_note
    centre = [b.y_range[0] + 0.5 * (b.y_range[1] - b.y_range[0]) / RESOLUTION, X[:, 1].mean(),
              b.x_range[0] + 0.5 * (b.x_range[1] - b.x_range[0]) / RESOLUTION]
    expected = net.predict(standardizer(np.array([centre])))[0, 0]
    assert abs(b.values[0, 0] - expected) < 1e-5


def test_one_feature_gives_a_curve():
    e = experiment("sine")
    b = BoundaryGrid(e.dataset, e.standardizer).evaluate(e.network)
    assert isinstance(b, BoundaryCurve) and b.x.shape == b.y.shape
    assert b.x[0] < e.dataset.X.min() and b.x[-1] > e.dataset.X.max()


def test_snapshots_carry_only_new_rows_and_own_their_arrays():
    e = experiment(validation_fraction=0.25)
    maker = SnapshotMaker(e, generation=3)
    first = maker.make(force_extras=True)
    assert first.generation == 3 and first.epoch == 0 and len(first.rows.epoch) == 0
    assert first.boundary is not None and first.health is not None
    e.trainer.train(epochs=5)
    second = maker.make(force_extras=False)
    assert second.rows.start == 0 and list(second.rows.epoch) == [1, 2, 3, 4, 5]
    weights = [W.copy() for W in second.weights]
    e.trainer.train(epochs=2)
    third = maker.make()
    assert third.rows.start == 5 and list(third.rows.epoch) == [6, 7]
    for kept, W in zip(weights, second.weights):  # training on did not touch the snapshot
        np.testing.assert_array_equal(kept, W)
    assert not np.array_equal(third.weights[0], second.weights[0])
    assert third.last.epoch == 7 and np.isfinite(third.last.val_loss)
    maker.resend_history()
    assert maker.make().rows.start == 0


def test_each_weights_gradient_is_the_latest_steps_and_the_snapshots_own():
    e = experiment()  # full batch: one step an epoch, on every sample
    maker = SnapshotMaker(e, generation=1)
    assert maker.make().gradients == []  # no step yet
    e.trainer.train(epochs=2)
    before = e.network.params.copy()  # the weights the third step's gradient is taken at
    e.trainer.train(epochs=1)
    snap = maker.make()
    kept = [dW.copy() for dW in snap.gradients]
    # against finite differences of the loss at those weights
    net = Network.build(e.network.sizes, e.network.activation_names)

    def loss_at(params):
        net.params[...] = params
        p = net.forward(e.trainer.X)
        return net.backward(p, e.trainer.Y, e.trainer.loss)
    eps = 1e-6
    for l, (i, j) in ((1, (0, 1)), (2, (1, 0))):
        net.params[...] = before
        net.W[l][i, j] += eps
        plus = loss_at(net.params.copy())
        net.params[...] = before
        net.W[l][i, j] -= eps
        minus = loss_at(net.params.copy())
        assert abs((plus - minus) / (2 * eps) - snap.gradients[l - 1][i, j]) < 1e-6
    e.trainer.train(epochs=1)
    for a, b in zip(kept, snap.gradients):  # training on did not touch the snapshot
        np.testing.assert_array_equal(a, b)


def test_current_gradients_are_the_latest_epochs_even_when_the_history_thins_rows():
    e = experiment()
    maker = SnapshotMaker(e, generation=1)
    e.trainer.train(epochs=3)
    snap = maker.make()
    sq = np.asarray(e.trainer.history.last.grad_sq)
    np.testing.assert_allclose(snap.grad_l2, np.sqrt(sq))
    np.testing.assert_allclose(snap.grad_rms, e.trainer.history.grad_rms[-1])
    assert snap.diagnosis.kind in ("ok", "vanishing", "exploding")


def test_scores_come_with_the_other_extras_and_are_the_snapshots_own_weights():
    e = experiment("spiral3", validation_fraction=0.25)
    maker = SnapshotMaker(e, generation=1)
    e.trainer.train(epochs=20)
    snap = maker.make(force_extras=True)
    scores = snap.scores
    assert isinstance(scores, Confusion) and snap.boundary is not None
    a = e.train_set.X
    for W, b, name in zip(snap.weights, snap.biases, e.network.activation_names):
        z = a @ W + b
        a = np.tanh(z) if name == "tanh" else np.exp(z - z.max(axis=1, keepdims=True))
    predicted = a.argmax(axis=1)
    expected = np.zeros((3, 3), int)
    np.add.at(expected, (e.train_set.y, predicted), 1)
    np.testing.assert_array_equal(scores.train.counts, expected)
    assert scores.validation.total == e.validation_set.n_samples
    kept = scores.train.counts.copy()
    e.trainer.train(epochs=50)
    maker.make(force_extras=True)
    np.testing.assert_array_equal(scores.train.counts, kept)  # the next one did not touch it


def test_scores_are_none_when_the_extras_were_not_remade(monkeypatch):
    monkeypatch.setattr(snapshot, "MAX_EXTRAS_PER_SECOND", 1e-9)  # no time budget is ever enough
    e = experiment("plane", validation_fraction=0.2)
    maker = SnapshotMaker(e, generation=1)
    first = maker.make(force_extras=True)
    assert isinstance(first.scores, RSquared) and first.scores.validation is not None
    e.trainer.train(epochs=2)
    later = maker.make()
    assert later.boundary is None and later.health is None and later.scores is None
