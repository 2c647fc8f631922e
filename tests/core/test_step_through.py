"""The step-through inspector's stages: every value shown equals a plain NumPy
recomputation of the chain rule, and applying the step (the trainer's own run_batch)
gives exactly the weights the inspection predicted; the trainer is never disturbed."""

import copy

import numpy as np
import pytest

from backprop_gui.core.config import load_project
from backprop_gui.core.data import Dataset
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.losses import get_loss
from backprop_gui.core.network import Network
from backprop_gui.core.optim import make_optimizer
from backprop_gui.core.step_through import CORNER, FULL_VALUES, Term, inspect_step
from backprop_gui.core.trainer import Trainer
from backprop_gui.resources import resource_dir

ACT = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
}


def blobs(n=40, classes=2, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    X = rng.normal(size=(n, 2)) * 0.4 + np.stack([np.cos(y * 2.1), np.sin(y * 2.1)], 1)
    task = "binary" if classes == 2 else "multiclass"
    return Dataset(X, y, ["x1", "x2"], "y", task, [str(k) for k in range(classes)], "blobs")


def make_trainer(hidden=("tanh", "relu"), out="sigmoid", loss="bce", opt="sgd", classes=2,
                 **kw) -> Trainer:
    ds = blobs(classes=classes)
    sizes = [2, *[4] * len(hidden), ds.n_outputs]
    net = Network.build(sizes, [*hidden, out], "xavier", 3)
    return Trainer(net, get_loss(loss), make_optimizer(opt, net.params, 0.3), ds, seed=1, **kw)


def stage(inspection, phase, layer):
    return next(s for s in inspection.stages if s.phase == phase and s.layer == layer)


def term(stage_, symbol) -> np.ndarray:
    found = next(t for t in (*stage_.inputs, *stage_.outputs) if t.symbol == symbol)
    assert found.whole
    return found.values


def reference_pass(W, b, acts, X, Y, loss):
    """The chain rule written out by hand, sample-major, for the comparison."""
    a, z = [X], [None]
    for l in range(1, len(W)):
        z.append(a[-1] @ W[l] + b[l])
        a.append(ACT[acts[l]][0](z[l]) if acts[l] in ACT else z[l])
    L, n = len(W) - 1, len(X)
    dA, dZ, dW, db = {}, {}, {}, {}
    if loss == "mse":
        dA[L] = (a[L] - Y) / n
        dZ[L] = dA[L] * ACT[acts[L]][1](z[L]) if acts[L] in ACT else dA[L]
    else:  # bce with sigmoid, cross-entropy with softmax
        dZ[L] = (a[L] - Y) / n
    for l in range(L, 0, -1):
        if l < L:
            dZ[l] = dA[l] * ACT[acts[l]][1](z[l])
        dW[l], db[l] = a[l - 1].T @ dZ[l], dZ[l].sum(axis=0)
        dA[l - 1] = dZ[l] @ W[l].T
    return a, z, dA, dZ, dW, db


def test_the_xor_preset_stages_match_the_chain_rule_written_out():
    trainer = Experiment.from_project(load_project(resource_dir() / "projects/xor.json")).trainer
    trainer.train(epochs=25)  # somewhere in the middle of learning, not at the start
    net = trainer.network
    inspection = inspect_step(trainer)
    W, b = [None, *net.W[1:]], [None, *net.b[1:]]
    acts = [None, *net.activation_names]
    a, z, dA, dZ, dW, db = reference_pass(W, b, acts, trainer.X, trainer.Y, "mse")
    assert [(s.phase, s.layer) for s in inspection.stages] == [
        ("forward", 1), ("forward", 2), ("loss", 2), ("backward", 2), ("backward", 1),
        ("update", 1), ("update", 2)]
    for l in (1, 2):
        forward = stage(inspection, "forward", l)
        np.testing.assert_allclose(term(forward, f"a{'₀₁'[l - 1]}"), a[l - 1])
        np.testing.assert_allclose(term(forward, "z" + "₁₂"[l - 1]), z[l], rtol=1e-12)
        np.testing.assert_allclose(term(forward, "a" + "₁₂"[l - 1]), a[l], rtol=1e-12)
        backward = stage(inspection, "backward", l)
        np.testing.assert_allclose(term(backward, "dZ" + "₁₂"[l - 1]), dZ[l], rtol=1e-10)
        np.testing.assert_allclose(term(backward, "dW" + "₁₂"[l - 1]), dW[l], rtol=1e-10)
        np.testing.assert_allclose(term(backward, "db" + "₁₂"[l - 1]), db[l], rtol=1e-10)
        np.testing.assert_allclose(term(backward, f"sigmoid'(z{'₁₂'[l - 1]})"),
                                   ACT["sigmoid"][1](z[l]), rtol=1e-10)
    np.testing.assert_allclose(term(stage(inspection, "backward", 2), "dA₂"), dA[2], rtol=1e-12)
    np.testing.assert_allclose(term(stage(inspection, "backward", 2), "dA₁"), dA[1], rtol=1e-10)
    loss = 0.5 * np.mean(np.sum((a[2] - trainer.Y) ** 2, axis=1))
    assert term(stage(inspection, "loss", 2), "L") == pytest.approx(loss, rel=1e-12)
    lr = trainer.optimizer.lr
    update = stage(inspection, "update", 1)
    np.testing.assert_allclose(term(update, "W₁ new"), W[1] - lr * dW[1], rtol=1e-12)
    np.testing.assert_allclose(term(update, "b₁ new"), b[1] - lr * db[1], rtol=1e-12)


@pytest.mark.parametrize("kw", [
    dict(),  # full batch, sgd
    dict(batch_size=8, opt="momentum"),
    dict(batch_size=7, opt="adam", l1=1e-3, l2=1e-2),
    dict(batch_size=5, out="softmax", loss="cross_entropy", classes=3, opt="adam"),
    dict(out="sigmoid", loss="mse", hidden=("sigmoid", "sigmoid")),
])
def test_applying_the_step_gives_the_weights_it_predicted(kw):
    trainer = make_trainer(**kw)
    for _ in range(7):  # across epoch boundaries: the next batch is predicted each time
        inspection = inspect_step(trainer)
        assert inspection.epoch == trainer.epoch + 1 and inspection.batch == trainer.batch + 1
        trainer.run_batch()
        np.testing.assert_array_equal(trainer.network.params, inspection.new_params)


def test_the_next_batch_is_the_one_the_trainer_takes():
    trainer = make_trainer(batch_size=6)
    seen = []
    for _ in range(trainer.batches_per_epoch):
        rows = inspect_step(trainer).rows
        p_inputs = trainer.X[rows].copy()
        trainer.run_batch()
        np.testing.assert_array_equal(trainer.last_pass.a[0], p_inputs)
        seen.extend(rows.tolist())
    assert sorted(seen) == list(range(len(trainer.X)))  # one epoch: every row once


def test_inspecting_leaves_the_trainer_as_it_was():
    trainer = make_trainer(batch_size=6, opt="adam")
    trainer.run_batch()
    before = (trainer.network.params.copy(), trainer.optimizer.m.copy(), trainer.optimizer.t,
              copy.deepcopy(trainer.rng.bit_generator.state), trainer.epoch, trainer.batch)
    for sample in (None, 0, 17):
        inspect_step(trainer, sample)
    after = (trainer.network.params, trainer.optimizer.m, trainer.optimizer.t,
             trainer.rng.bit_generator.state, trainer.epoch, trainer.batch)
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_one_sample_is_a_step_on_that_row_alone():
    trainer = make_trainer(hidden=("tanh",))
    inspection = inspect_step(trainer, 5)
    assert not inspection.whole_batch and inspection.rows.tolist() == [5]
    forward = stage(inspection, "forward", 1)
    np.testing.assert_array_equal(term(forward, "a₀"), trainer.X[5:6])
    assert term(forward, "z₁").shape == (1, 4)
    with pytest.raises(IndexError, match="not in the training set"):
        inspect_step(trainer, len(trainer.X))


def test_a_big_value_keeps_a_corner_and_a_summary_of_all_of_it():
    value = np.arange(100 * 80, dtype=float).reshape(100, 80) / 7 - 300
    assert value.size > FULL_VALUES
    t = Term.of("z₁", "weighted sums", value)
    assert not t.whole and t.shape == (100, 80)
    np.testing.assert_array_equal(t.values, value[:CORNER[0], :CORNER[1]])
    assert t.stats == pytest.approx((value.min(), value.mean(), value.max(),
                                     np.sqrt(np.mean(value ** 2))))
    small = Term.of("b₁", "biases", np.array([1.0, np.inf, -2.0]))
    assert small.whole and small.stats[0] == -2.0 and small.stats[2] == 1.0  # finite ones only
