"""The exported NumPy script, run for real: in a fresh Python process where backprop_gui
cannot be imported, its per-epoch losses, scores and final weights must be the program's
(Experiment.from_project(...).trainer) to 1e-9 relative, for every kind of data and every
piece of the maths it writes out."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from exported_scripts import PROJECTS, ROOT, load_script, project, run_script

from backprop_gui.core.config import load_project
from backprop_gui.core.csv_reader import read_csv
from backprop_gui.core.datasets import KINDS, make_dataset
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.export import history_csv
from backprop_gui.core.export_script import INLINE_LIMIT, numpy_script, write_numpy_script
from backprop_gui.core.export_torch import torch_script, write_torch_script

GOOD_CSV = ROOT / "tests" / "data" / "csv" / "good"


def read_losses(path: Path) -> dict[str, np.ndarray]:
    with open(path) as f:
        rows = list(csv.reader(f))
    return {name: np.array([float(row[i] or "nan") for row in rows[1:]]) for i, name in enumerate(rows[0])}


def app_run(p, weights=None):
    experiment = Experiment.from_project(p)
    if weights is not None:
        experiment.network.set_weights(weights)
    experiment.trainer.train()
    return experiment


def export_and_compare(p, tmp_path, weights=None, *args):
    """Export, run, and check the run epoch for epoch against the program's; returns
    (the script's stdout, the program's experiment, the largest relative loss difference)."""
    script = tmp_path / "exported.py"
    write_numpy_script(p, weights, script)
    result = run_script(script, "--losses", "losses.csv", "--save-weights", "final.npz", *args)
    got = read_losses(tmp_path / "losses.csv")
    experiment = app_run(p, weights if "initial" not in args else None)
    history = experiment.trainer.history
    metric = history.metric_name
    assert got["epoch"].tolist() == history.epoch.tolist()
    np.testing.assert_allclose(got["train_loss"], history.train_loss, rtol=1e-9, atol=0)
    np.testing.assert_allclose(got[metric], history.metric, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got["val_loss"], history.val_loss, rtol=1e-9, atol=0)
    np.testing.assert_allclose(got[f"val_{metric}"], history.val_metric, rtol=1e-9, atol=1e-12)
    with np.load(tmp_path / "final.npz") as final:
        for key, value in experiment.network.weights().items():
            np.testing.assert_allclose(final[key], value, rtol=1e-9, atol=1e-12, err_msg=key)
    worst = float(np.max(np.abs(got["train_loss"] / history.train_loss - 1)))
    return result.stdout, experiment, worst


def test_xor_preset_runs_the_reference_example(tmp_path):
    p = load_project(PROJECTS / "xor.json")
    out, experiment, _ = export_and_compare(p, tmp_path)
    assert experiment.trainer.epoch == 2500
    assert "stopped: reached the limit of 2,500 epochs" in out
    assert "accuracy 100.0%" in out and "predictions (ŷ > 0.5): [0 1 1 0]" in out
    text = (tmp_path / "exported.py").read_text()
    for piece in ("z.append(a[l - 1].dot(W[l]) + b[l])", "dW[l] = a[l - 1].T.dot(dZ)",
                  "return a * (1 - a)", "theta -= LEARNING_RATE * g"):
        assert piece in text
    # only what this sigmoid/MSE, full-batch project uses is written
    for absent in ("softmax", "tanh", "relu", "permutation", "PATIENCE", "cross_entropy", "bce",
                   "standardise", "split_validation", "backprop_gui"):
        assert absent not in text, absent


def test_mini_batches_momentum_tanh_relu_validation_and_early_stopping(tmp_path):
    p = project({"kind": "circles", "samples": 200, "noise": 0.1, "seed": 3},
                [(8, "tanh"), (6, "relu")],
                {"optimizer": "momentum", "learning_rate": 0.3, "batch_size": 32, "epochs": 300,
                 "seed": 5, "validation_fraction": 0.25, "patience": 5}, init="xavier")
    out, experiment, _ = export_and_compare(p, tmp_path)
    reason = experiment.trainer.stop_reason
    assert reason.kind == "early_stopping" and experiment.trainer.epoch < 300
    assert f"stopped: early stopping at epoch {experiment.trainer.epoch}" in out
    assert f"restored from epoch {experiment.trainer.best_epoch}" in out


def test_multiclass_softmax_cross_entropy_with_adam(tmp_path):
    p = project({"kind": "spiral3", "samples": 150, "noise": 0.05, "seed": 1}, [(10, "relu")],
                {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 16, "epochs": 40,
                 "seed": 2}, init="he")
    export_and_compare(p, tmp_path)
    text = (tmp_path / "exported.py").read_text()
    assert "def softmax(z)" in text and "def cross_entropy(" in text and "def mse(" not in text
    assert "softmax_backward" not in text  # with cross-entropy dZ_L = ŷ − y needs no Jacobian


def test_softmax_with_mse_goes_through_the_jacobian(tmp_path):
    p = project({"kind": "spiral3", "samples": 90, "noise": 0.1, "seed": 2},
                [(5, "leaky_relu"), (4, "linear")],
                {"loss": "mse", "learning_rate": 0.5, "epochs": 60, "seed": 1,
                 "validation_fraction": 0.2}, output="softmax")
    export_and_compare(p, tmp_path)
    assert "def softmax_backward(dA, a)" in (tmp_path / "exported.py").read_text()


def test_regression_with_validation_r2(tmp_path):
    p = project({"kind": "sine", "samples": 100, "noise": 0.05, "seed": 1}, [(8, "tanh")],
                {"optimizer": "adam", "learning_rate": 0.05, "epochs": 200, "seed": 0,
                 "validation_fraction": 0.2}, init="xavier")
    out, experiment, _ = export_and_compare(p, tmp_path)
    assert experiment.trainer.history.metric[-1] > 0.9 and "R²" in out


def test_derived_inputs_standardised_with_l1_l2(tmp_path):
    p = project({"kind": "circles", "samples": 120, "seed": 4, "standardize": True,
                 "inputs": ["x1^2", "x2^2", "x1*x2", "sin(x1)"]}, [(3, "sigmoid")],
                {"loss": "bce", "learning_rate": 1.0, "epochs": 80, "seed": 3, "l1": 0.001,
                 "l2": 0.01, "validation_fraction": 0.3})
    _, experiment, _ = export_and_compare(p, tmp_path)
    assert experiment.network.sizes == [4, 3, 1]
    text = (tmp_path / "exported.py").read_text()
    assert "np.column_stack([x1 ** 2, x2 ** 2, x1 * x2, np.sin(x1)])" in text
    assert "dW[l] += L2 * W[l]" in text and "dW[l] += L1 * np.sign(W[l])" in text


def test_csv_iris_preset(tmp_path):
    p = load_project(PROJECTS / "iris.json")
    p.training.epochs = 60
    export_and_compare(p, tmp_path)


def test_csv_regression_file_with_mini_batches(tmp_path):
    p = project({"kind": "csv", "path": str(GOOD_CSV / "regression.csv")}, [(4, "relu")],
                {"optimizer": "sgd", "learning_rate": 0.05, "batch_size": 5, "epochs": 30,
                 "seed": 1})
    export_and_compare(p, tmp_path)


def test_painted_classes_with_gaps_and_painted_regression(tmp_path):
    rng = np.random.default_rng(7)
    points = [[float(x), float(y), float(c)] for (x, y), c in
              zip(rng.normal(0, 1, (40, 2)).round(3), [0, 2, 5, 2] * 10)]
    p = project({"kind": "painted", "points": points}, [(6, "tanh")],
                {"learning_rate": 0.5, "epochs": 50, "seed": 0, "validation_fraction": 0.25})
    (tmp_path / "classes").mkdir()
    export_and_compare(p, tmp_path / "classes")
    values = [[x, y, round(x - 2 * y, 3)] for x, y, _ in points]
    p = project({"kind": "painted", "task": "regression", "points": values}, [(4, "sigmoid")],
                {"learning_rate": 0.2, "epochs": 50, "seed": 0})
    (tmp_path / "values").mkdir()
    export_and_compare(p, tmp_path / "values")


def test_divergence_stops_where_the_program_stops(tmp_path):
    p = load_project(PROJECTS / "diverging.json")
    out, experiment, _ = export_and_compare(p, tmp_path)
    assert experiment.trainer.stop_reason.kind == "diverged"
    assert f"stopped: diverged at epoch {experiment.trainer.epoch + 1}" in out


def test_float32_projects_train_in_float32(tmp_path):
    p = project({"kind": "moons", "samples": 100, "seed": 0}, [(6, "tanh")],
                {"learning_rate": 0.5, "epochs": 30, "seed": 0, "dtype": "float32"})
    script = tmp_path / "f32.py"
    write_numpy_script(p, None, script)
    assert "DTYPE = np.float32" in script.read_text()
    run_script(script, "--losses", "losses.csv")
    history = app_run(p).trainer.history
    np.testing.assert_allclose(read_losses(tmp_path / "losses.csv")["train_loss"],
                               history.train_loss, rtol=1e-5)


def test_trained_weights_start_where_the_program_stopped(tmp_path):
    p = load_project(PROJECTS / "xor.json")
    p.training.epochs = 40
    trained = app_run(p).network.weights()
    # from the trained weights, the script's first loss is the trained network's loss
    _, experiment, _ = export_and_compare(p, tmp_path, trained)
    assert experiment.trainer.history.train_loss[0] < 0.2
    # --start initial ignores them: the program's run from its initial weights
    export_and_compare(p, tmp_path, trained, "--start", "initial")


def test_many_trained_weights_go_to_an_npz_beside_the_script(tmp_path):
    p = project({"kind": "plane", "samples": 50, "seed": 0}, [(150, "relu"), (150, "tanh")],
                {"learning_rate": 0.01, "epochs": 3, "seed": 0}, init="he")
    weights = app_run(p).network.weights()
    assert sum(w.size for w in weights.values()) > INLINE_LIMIT
    written = write_numpy_script(p, weights, tmp_path / "big.py")
    assert written == [tmp_path / "big.py", tmp_path / "big.weights.npz"]
    assert len((tmp_path / "big.py").read_text()) < 30_000
    export_and_compare(p, tmp_path, weights)


@pytest.mark.parametrize("kind", KINDS)
def test_every_built_in_set_is_drawn_exactly(kind, tmp_path):
    p = project({"kind": kind, "samples": 91, "noise": 0.2, "seed": 11}, [(3, "tanh")],
                {"epochs": 1, "seed": 0, "validation_fraction": 0.3})
    module = load_script(numpy_script(p), tmp_path / f"data_{kind}.py")
    X, y = module.load_data()
    want = make_dataset(kind, 91, 0.2, 11)
    np.testing.assert_array_equal(X, want.X)
    np.testing.assert_array_equal(y, want.y)
    train, validation = module.prepared_data()
    experiment = Experiment.from_project(p)
    np.testing.assert_array_equal(train[0], experiment.train_set.X)
    np.testing.assert_array_equal(validation[1], experiment.validation_set.targets())


@pytest.mark.parametrize("name", sorted(p.name for p in GOOD_CSV.glob("*.csv")))
def test_every_good_csv_file_reads_the_same_numbers(name, tmp_path):
    p = project({"kind": "csv", "path": str(GOOD_CSV / name)}, [(2, "tanh")],
                {"epochs": 1, "seed": 0})
    module = load_script(numpy_script(p), tmp_path / "reader.py")
    X, y = module.load_data()
    want = read_csv(GOOD_CSV / name)
    np.testing.assert_array_equal(X, want.X)
    np.testing.assert_array_equal(y, want.y)


def test_exported_scripts_pass_the_linter(tmp_path):
    """pyflakes, pycodestyle and import order on the text itself, NumPy and PyTorch
    scripts alike (writing them needs no PyTorch): no unused or undefined names."""
    projects = {
        "xor": load_project(PROJECTS / "xor.json"),
        "iris": load_project(PROJECTS / "iris.json"),
        "diabetes": load_project(PROJECTS / "diabetes.json"),
        "mixed": project({"kind": "spiral3", "samples": 90, "seed": 2}, [(5, "leaky_relu")],
                         {"loss": "mse", "batch_size": 10, "l2": 0.1, "l1": 0.01, "epochs": 5,
                          "optimizer": "adam", "validation_fraction": 0.2, "patience": 3},
                         output="softmax"),
        "painted": project({"kind": "painted", "task": "regression",
                            "points": [[0, 1, 2.5], [1, 0, -1], [0.5, 0.5, 0]]}, [(3, "relu")],
                           {"batch_size": 2, "optimizer": "momentum", "epochs": 5}),
    }
    paths = []
    for name, p in projects.items():
        weights = app_run(p).network.weights() if name in ("mixed", "painted") else None
        paths += write_numpy_script(p, weights, tmp_path / f"{name}.py")
        paths += write_torch_script(p, weights, tmp_path / f"{name}_torch.py")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                             "--select", "F,E,W,I", "--ignore", "E741", "--line-length", "100",
                             *[str(path) for path in paths]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_names_from_users_cannot_break_the_script(tmp_path):
    """A project's name and a CSV file's column names go into comments and docstrings:
    quotes, backslashes (\\N would be an escape) and line breaks must not end or break them."""
    data = tmp_path / "odd.csv"
    data.write_text('"first \\N{x} """"""\ncolumn",x2,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n',
                    encoding="utf-8")
    p = project({"kind": "csv", "path": str(data)}, [(2, "tanh")], {"epochs": 2})
    p.name = 'Tricky """ C:\\New\\ name\nacross lines'
    for make in (numpy_script, torch_script):
        text = make(p, script_name='my "odd" name.py')
        compile(text, "exported.py", "exec")
        assert "Tricky ''' C:/New/ name across lines" in text
    module = load_script(numpy_script(p), tmp_path / "odd_names.py")
    np.testing.assert_array_equal(module.load_data()[0], read_csv(data).X)


def test_the_losses_file_has_the_columns_of_the_programs_history_csv(tmp_path):
    p = load_project(PROJECTS / "xor.json")
    p.training.epochs = 5
    script = tmp_path / "xor.py"
    write_numpy_script(p, None, script)
    run_script(script, "--losses", "losses.csv")
    with open(tmp_path / "losses.csv") as f:
        got = list(csv.reader(f))
    program = list(csv.reader(io.StringIO(history_csv(app_run(p).trainer.history))))
    assert got[0] == program[0][:5] == ["epoch", "train_loss", "val_loss", "accuracy", "val_accuracy"]
    assert [row[0] for row in got[1:]] == [row[0] for row in program[1:]] == ["1", "2", "3", "4", "5"]
    assert all(row[2] == row[4] == "" for row in got[1:] + program[1:])  # no validation set
