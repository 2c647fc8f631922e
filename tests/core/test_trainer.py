"""The Trainer: batching, optimisers, penalties, early stopping, the overflow guard and
the bounded history, each checked on real runs."""

import numpy as np
import pytest

from backprop_gui.core.data import Dataset
from backprop_gui.core.gradcheck import numerical_gradient
from backprop_gui.core.history import History
from backprop_gui.core.losses import get_loss
from backprop_gui.core.network import Network
from backprop_gui.core.optim import make_optimizer
from backprop_gui.core.trainer import Trainer


def two_blobs(n=80, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 2)) * 0.5 + np.where(y[:, None] == 1, 1.0, -1.0)
    return Dataset(X, y, ["x1", "x2"], "y", "binary", ["0", "1"], "blobs")


def trainer_for(ds, hidden=(4,), act="tanh", out="sigmoid", loss="bce", opt="sgd", lr=0.5,
                seed=0, **kw) -> Trainer:
    sizes = [ds.n_features, *hidden, ds.n_outputs]
    net = Network.build(sizes, [act] * len(hidden) + [out], "xavier", seed)
    return Trainer(net, get_loss(loss), make_optimizer(opt, net.params, lr), ds, seed=seed, **kw)


@pytest.mark.parametrize("opt,lr", [("sgd", 0.5), ("momentum", 0.1), ("adam", 0.02)])
@pytest.mark.parametrize("batch_size", [0, 16, 1])
def test_every_optimizer_and_batching_learns(opt, lr, batch_size):
    t = trainer_for(two_blobs(), opt=opt, lr=lr, batch_size=batch_size, max_epochs=60)
    t.train()
    assert t.stop_reason.kind == "epochs" and t.epoch == 60
    assert t.history.train_loss[-1] < 0.5 * t.history.train_loss[0]
    assert t.history.metric[-1] >= 0.95


def test_mini_batches_cover_every_sample_once_per_epoch():
    """One epoch of batch-size-1 SGD at a tiny lr moves the weights by ~lr·Σ per-sample
    gradients: the same as one full-batch step with lr·n, to first order."""
    ds = two_blobs(n=10)
    online = trainer_for(ds, batch_size=1, lr=1e-7)
    full = trainer_for(ds, batch_size=0, lr=1e-7 * 10)
    start = online.network.params.copy()
    online.train(epochs=1)
    full.train(epochs=1)
    np.testing.assert_allclose(online.network.params - start, full.network.params - start,
                               rtol=1e-4, atol=1e-14)


def test_shuffling_is_seeded():
    runs = []
    for _ in range(2):
        t = trainer_for(two_blobs(), batch_size=8, seed=5)
        t.train(epochs=5)
        runs.append(t.network.params.copy())
    np.testing.assert_array_equal(*runs)
    other = trainer_for(two_blobs(), batch_size=8, seed=6)
    other.train(epochs=5)
    assert not np.array_equal(runs[0], other.network.params)


def test_learning_rate_changes_take_effect_at_the_next_step():
    t = trainer_for(two_blobs(), lr=0.5)
    t.train(epochs=1)
    t.optimizer.lr = 0.0 + 1e-300
    before = t.network.params.copy()
    t.train(epochs=1)
    np.testing.assert_allclose(t.network.params, before, atol=1e-250)


@pytest.mark.parametrize("l1,l2", [(0.0, 0.1), (0.05, 0.0), (0.02, 0.3)])
def test_penalties_are_the_gradient_of_the_penalised_loss(l1, l2):
    """grads + penalty terms = finite differences of L + λ₁‖W‖₁ + ½λ₂‖W‖² (biases free)."""
    ds = two_blobs(n=12)
    t = trainer_for(ds, l1=l1, l2=l2, seed=2)
    net, loss = t.network, t.loss
    p = net.forward(t.X)
    net.backward(p, t.Y, loss)
    t.add_penalties(p.grads)
    data_grad = numerical_gradient(net, t.X, t.Y, loss)
    W = net.params * net.weight_mask
    penalty_grad = l1 * np.sign(W) + l2 * W
    np.testing.assert_allclose(p.grads, data_grad + penalty_grad, atol=1e-8)


def test_early_stopping_fires_and_restores_the_best_weights():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    y = (rng.uniform(size=40) > 0.5).astype(int)  # pure noise: validation loss soon rises
    ds = Dataset(X, y, ["a", "b"], "y", "binary", ["0", "1"])
    train, val = ds.subset(np.arange(30)), ds.subset(np.arange(30, 40))
    t = trainer_for(train, hidden=(32, 32), lr=0.5, validation=val, patience=15,
                    max_epochs=100_000)
    t.train()
    assert t.stop_reason.kind == "early_stopping"
    assert t.epoch == t.best_epoch + 15 < 100_000
    assert f"weights restored from epoch {t.best_epoch}" in t.stop_reason.message
    loss, _ = t.evaluate(val)
    assert loss == pytest.approx(t.best_val_loss, rel=1e-12)
    assert t.history.val_loss.min() == pytest.approx(t.best_val_loss)


@pytest.mark.parametrize("batch_size", [0, 4])
def test_divergence_stops_with_a_reason_and_finite_weights(batch_size):
    """A deep ReLU net at learning rate 10 on regression blows up within a few epochs."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 2)) * 3
    ds = Dataset(X, X @ [3.0, -2.0] * 10, ["a", "b"], "y", "regression")
    t = trainer_for(ds, hidden=(16,) * 6, act="relu", out="linear", loss="mse", lr=10.0,
                    batch_size=batch_size, max_epochs=10_000, seed=1)
    t.train()
    assert t.stop_reason.kind == "diverged"
    message = t.stop_reason.message
    assert message.startswith(f"diverged at epoch {t.epoch + 1}: ")
    assert "overflowed" in message and "lower the learning rate (now 10)" in message
    assert np.isfinite(t.network.params).all()
    assert t.epoch < 10_000 and len(t.history) == t.epoch
    t.train()  # a stopped trainer stays stopped
    assert t.stop_reason.kind == "diverged"


def test_regression_r2_and_float32():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 1))
    ds = Dataset(X, np.sin(X[:, 0]), ["x"], "y", "regression")
    net = Network.build([1, 16, 1], ["tanh", "linear"], "xavier", 0, np.float32)
    t = Trainer(net, get_loss("mse"), make_optimizer("adam", net.params, 0.01), ds, max_epochs=800)
    t.train()
    assert net.params.dtype == np.float32
    r2 = t.history.metric[-1]
    assert 0.95 < r2 <= 1.0
    y_hat = net.predict(X)[:, 0]
    direct = 1 - ((y_hat - ds.y) ** 2).sum() / ((ds.y - ds.y.mean()) ** 2).sum()
    assert t.evaluate(ds)[1] == pytest.approx(direct, abs=1e-4)


def test_multiclass_softmax_learns_three_classes():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 2], [2, -1], [-2, -1]], float)
    y = np.arange(150) % 3
    X = centres[y] + rng.normal(size=(150, 2)) * 0.4
    ds = Dataset(X, y, ["a", "b"], "c", "multiclass", ["r", "g", "b"])
    t = trainer_for(ds, hidden=(8,), out="softmax", loss="cross_entropy", lr=0.5, max_epochs=200)
    t.train()
    assert t.history.metric[-1] > 0.95


def test_gradient_magnitudes_are_the_rms_and_norm_of_dW():
    ds = two_blobs(n=20)
    t = trainer_for(ds, hidden=(5, 3))
    p = t.network.forward(t.X)
    t.network.backward(p, t.Y, t.loss)
    t.train(epochs=1)
    for l in range(1, 4):
        dW = p.dW[l]
        assert t.history.grad_l2[0, l - 1] == pytest.approx(np.linalg.norm(dW))
        assert t.history.grad_rms[0, l - 1] == pytest.approx(np.sqrt(np.mean(dW**2)))


def test_history_memory_is_bounded_and_evenly_spaced():
    h = History(2, [6, 3], "accuracy", capacity=64)
    for epoch in range(1, 10_001):
        h.append(epoch, 1.0 / epoch, np.nan, 0.5, np.nan, [float(epoch), 2.0])
    assert 32 <= len(h) <= 64
    epochs = h.epoch
    assert epochs[0] == 1 and h.last.epoch == 10_000
    steps = np.diff(epochs[1:])
    assert (steps == h.stride).all() and epochs[-1] > 10_000 - h.stride
    np.testing.assert_array_equal(h.train_loss, 1.0 / epochs)
    np.testing.assert_array_equal(h.grad_l2[:, 0], np.sqrt(epochs))


def test_long_runs_keep_the_history_bounded():
    """Past its capacity the history thins itself (10^6 epochs: see bench_core.py)."""
    X = np.array([[1, 1], [0, 1], [1, 0], [0, 0]], float)
    ds = Dataset(X, np.array([0, 1, 1, 0]), ["x1", "x2"], "y", "binary", ["0", "1"])
    t = trainer_for(ds, hidden=(3,), act="sigmoid", loss="mse", lr=2.0, max_epochs=10**6,
                    history_capacity=256)
    t.train(epochs=60_000)
    assert len(t.history) <= 256 and t.history.last.epoch == 60_000


@pytest.mark.parametrize("batch_size", [0, 7, 1])
def test_stepping_batch_by_batch_is_the_same_run_as_whole_epochs(batch_size):
    """The GUI's "step one batch" walks through the same shuffled batches as train()."""
    whole = trainer_for(two_blobs(n=20), batch_size=batch_size, seed=3)
    whole.train(epochs=3)
    stepped = trainer_for(two_blobs(n=20), batch_size=batch_size, seed=3)
    ends = [stepped.run_batch() for _ in range(3 * stepped.batches_per_epoch)]
    assert ends.count(True) == 3 and ends[-1]
    assert stepped.epoch == 3 and stepped.batch == 0
    np.testing.assert_array_equal(stepped.network.params, whole.network.params)
    np.testing.assert_array_equal(stepped.history.train_loss, whole.history.train_loss)


def test_an_epoch_finishes_a_partly_stepped_one():
    t = trainer_for(two_blobs(n=20), batch_size=7)  # 3 batches an epoch
    assert t.batches_per_epoch == 3
    assert not t.run_batch() and t.batch == 1 and t.epoch == 0
    t.run_epoch()
    assert t.epoch == 1 and t.batch == 0 and len(t.history) == 1


def test_resume_after_divergence_or_a_raised_epoch_limit():
    """After a divergence training may be retried from the last finite weights; these
    ones are already huge, so the retry diverges again at once, and honestly says so."""
    t = trainer_for(two_blobs(), hidden=(8, 8), lr=1e4, out="linear", loss="mse")
    t.train(epochs=50)
    assert t.stop_reason.kind == "diverged"
    diverged_at, weights = t.epoch, t.network.params.copy()
    t.optimizer.lr = 1e-3
    assert t.resume() and not t.done
    t.train(epochs=5)
    assert t.stop_reason.kind == "diverged" and "(now 0.001)" in t.stop_reason.message
    assert t.epoch == diverged_at
    np.testing.assert_array_equal(t.network.params, weights)

    limited = trainer_for(two_blobs(), max_epochs=4)
    limited.train()
    assert not limited.resume()  # the limit still holds
    limited.max_epochs = 6
    assert limited.resume()
    limited.train()
    assert limited.epoch == 6 and limited.stop_reason.kind == "epochs"
