"""The exported PyTorch script, where PyTorch is installed (it is not a dependency of the
program: `pip install torch` beside it to run these). Its nn.Module, loaded with the
program's trained weights, must output what the program's network predicts; one epoch of
its training loop must lower the loss; and run for real, its loss curve must follow the
program's (float64, the same batches from the same seed)."""

import csv

import numpy as np
import pytest
from exported_scripts import PROJECTS, load_script, project, run_script

from backprop_gui.core.config import load_project
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.export_torch import torch_script, write_torch_script

torch = pytest.importorskip("torch")

CASES = {
    "xor": lambda: load_project(PROJECTS / "xor.json"),
    "iris": lambda: load_project(PROJECTS / "iris.json"),
    "circles": lambda: project(
        {"kind": "circles", "samples": 200, "noise": 0.1, "seed": 3}, [(8, "tanh"), (6, "relu")],
        {"optimizer": "momentum", "learning_rate": 0.3, "batch_size": 32, "epochs": 300,
         "seed": 5, "validation_fraction": 0.25, "patience": 5, "l1": 0.001, "l2": 0.01},
        init="xavier"),
    "spiral3": lambda: project(
        {"kind": "spiral3", "samples": 150, "noise": 0.05, "seed": 1}, [(10, "leaky_relu")],
        {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 16, "epochs": 40, "seed": 2},
        init="he"),
    "softmax_mse": lambda: project(
        {"kind": "spiral3", "samples": 90, "noise": 0.1, "seed": 2}, [(5, "sigmoid")],
        {"loss": "mse", "learning_rate": 0.5, "epochs": 60, "seed": 1}, output="softmax"),
    "sine": lambda: project(
        {"kind": "sine", "samples": 100, "noise": 0.05, "seed": 1}, [(8, "tanh"), (4, "linear")],
        {"optimizer": "adam", "learning_rate": 0.05, "epochs": 200, "seed": 0,
         "validation_fraction": 0.2}, init="xavier"),
    "bce": lambda: project(
        {"kind": "moons", "samples": 80, "seed": 1, "inputs": ["x1", "x2", "x1*x2"]},
        [(4, "relu")], {"loss": "bce", "learning_rate": 0.5, "epochs": 50, "seed": 4}),
}


@pytest.mark.parametrize("name", CASES)
def test_the_module_predicts_as_the_program_and_one_epoch_lowers_the_loss(name, tmp_path):
    p = CASES[name]()
    p.training.epochs = 20
    experiment = Experiment.from_project(p)
    experiment.trainer.train()
    weights = experiment.network.weights()
    module = load_script(torch_script(p, weights), tmp_path / f"{name}_torch.py")
    model = module.Network(*module.trained_weights())
    train_set, validation_set = (module.tensors(data) for data in module.prepared_data())
    with torch.no_grad():
        y_hat = model(train_set[0]).numpy()
    np.testing.assert_allclose(y_hat, experiment.network.predict(experiment.train_set.X),
                               rtol=1e-6, atol=1e-9)
    assert module.evaluate(model, train_set)[0] == pytest.approx(experiment.trainer.evaluate(
        experiment.train_set)[0], rel=1e-9)
    # from the program's initial weights, one epoch of the script's loop lowers the loss
    model = module.Network(*module.initial_weights())
    before = module.evaluate(model, train_set)[0]
    module.train(model, train_set, validation_set, 1)
    assert module.evaluate(model, train_set)[0] < before


@pytest.mark.parametrize("name", CASES)
def test_the_script_trains_like_the_program(name, tmp_path):
    p = CASES[name]()
    script = tmp_path / "model_torch.py"
    write_torch_script(p, None, script)
    result = run_script(script, "--losses", "losses.csv", "--save-weights", "final.npz", timeout=300)
    experiment = Experiment.from_project(p)
    experiment.trainer.train()
    history = experiment.trainer.history
    with open(tmp_path / "losses.csv") as f:
        rows = list(csv.reader(f))[1:]
    assert [int(row[0]) for row in rows] == history.epoch.tolist()
    np.testing.assert_allclose([float(row[1]) for row in rows], history.train_loss, rtol=1e-6)
    np.testing.assert_allclose([float(row[2] or "nan") for row in rows], history.val_loss, rtol=1e-6)
    with np.load(tmp_path / "final.npz") as final:
        for key, value in experiment.network.weights().items():
            np.testing.assert_allclose(final[key], value, rtol=1e-6, atol=1e-9, err_msg=key)
    if experiment.trainer.stop_reason.kind == "early_stopping":
        assert "stopped: early stopping" in result.stdout
