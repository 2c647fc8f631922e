"""A project as a PyTorch script, for those who outgrow the program: the same data (the
NumPy data code of the NumPy export), the same layers and activations as an `nn.Module`
with the program's weights loaded (trained ones, or its seeded initial ones), and a
training loop with the matching loss and optimiser: autograd does the backward pass
the NumPy script writes out. The mini-batches are drawn with the program's own seeded
shuffle, so in float64 the loss curve follows the program's closely.

`torch_script` gives the text; `write_torch_script` writes it atomically. Neither needs
PyTorch: only running the script does."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import numpy as np

from .. import __version__
from .config import Project
from .experiment import Experiment
from .export_code import code, data_code, joined, plain, section, usage
from .export_loop_code import epoch_loop_code, indented, parser_code, report_code, show_code
from .export_network_code import INIT_CODE
from .export_script import check_weights, settings_code, trained_code, write_script

#: how each activation is called on a tensor
_TORCH_ACTIVATIONS = {
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "relu": "torch.relu",
    "leaky_relu": "lambda z: F.leaky_relu(z, 0.01)",
    "linear": "lambda z: z",
    "softmax": "lambda z: torch.softmax(z, dim=1)",
}

_LOSSES = {
    "mse": code('''
        def loss_function(z_L, y_hat, Y):
            """½-MSE averaged over the samples: L = (1/n) Σ ½ (ŷ − y)² (nn.MSELoss would average
            over the outputs too and drop the ½)."""
            return 0.5 * ((y_hat - Y) ** 2).sum() / len(Y)
    '''),
    "bce": code('''
        def loss_function(z_L, y_hat, Y):
            """Binary cross-entropy of σ(z_L), computed from z_L itself: no log(0)."""
            return F.binary_cross_entropy_with_logits(z_L, Y)
    '''),
    "cross_entropy": code('''
        def loss_function(z_L, y_hat, Y):
            """Softmax cross-entropy, computed from z_L itself, against the one-hot rows Y."""
            return F.cross_entropy(z_L, Y)
    '''),
}

_OPTIMIZERS = {
    "sgd": "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)",
    # v ← μv − ηg, θ ← θ + v is torch's buf ← μ·buf + g, θ ← θ − η·buf (v = −η·buf)
    "momentum": "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)",
    "adam": "torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)",
}


def torch_script(project: Project, weights: dict[str, np.ndarray] | None = None, *,
                 weights_file: str | None = None, script_name: str | None = None) -> str:
    """The text of a PyTorch script for `project`: an nn.Module with `weights` (W1..WL,
    b1..bL) loaded, or the program's seeded initial weights without them; `weights_file`
    names an .npz beside the script to read them from instead of writing them inline;
    `script_name` is the file name its usage lines show."""
    experiment = Experiment.from_project(project)
    if weights is not None:
        check_weights(weights, experiment.network.sizes)
    data = data_code(experiment)
    net, t = experiment.network, project.training
    mini_batch = 0 < t.batch_size < len(experiment.train_set.X)
    validation = experiment.validation_set is not None
    early = validation and t.patience > 0
    trained = weights is not None
    imports = {"import argparse", "import math", *data.imports}
    if early:
        imports.add("import copy")
    if weights_file is not None:
        imports.add("from pathlib import Path")
    imports_text = "\n".join(sorted(imports, key=lambda s: (s.startswith("from"), s)))
    functional = ("leaky_relu" in net.activation_names
                  or experiment.trainer.loss.name != "mse")
    parts = [_header(experiment, trained, script_name),
             imports_text + "\n\nimport numpy as np\nimport torch\n"
             + ("import torch.nn.functional as F\n" if functional else "") + "from torch import nn\n\n"
             + settings_code(experiment, mini_batch, early, trained)
             + ("\n" + data.settings if data.settings else ""),
             section("The data") + "\n\n" + data.functions,
             section("The program's weights") + "\n\n" + INIT_CODE[project.network.init],
             _model(net.activation_names),
             section("The loss") + "\n\n" + _LOSSES[experiment.trainer.loss.name],
             loop_code(experiment, mini_batch, validation, early, _OPTIMIZERS[t.optimizer]),
             main_code(experiment, trained)]
    if trained:
        parts.append(trained_code(weights, weights_file))
    parts.append('if __name__ == "__main__":\n    main()\n')
    return "\n\n".join(part.rstrip("\n") + "\n" for part in parts).replace("\n\n\n\n", "\n\n\n")


def write_torch_script(project: Project, weights: dict[str, np.ndarray] | None,
                       path: str | os.PathLike) -> list[Path]:
    """Write the PyTorch script to `path` atomically (weights too many to write inline go to
    NAME.weights.npz beside it); returns the files written. For File > Export > PyTorch
    script..."""
    return write_script(torch_script, project, weights, Path(path))


def _header(experiment: Experiment, trained: bool, script_name: str | None) -> str:
    project, net = experiment.project, experiment.network
    name = plain(project.name or Path(project.file).stem) or "backprop-gui project"
    shape = "-".join(map(str, net.sizes))
    title = textwrap.fill(f"{name}: the {shape} network ({', '.join(net.activation_names)}) "
                          "as a PyTorch nn.Module, with its training loop.", 92)
    weights = ("the weights the program had trained" if trained
               else "the program's seeded initial weights")
    about = textwrap.fill(
        f"Exported by backprop-gui {__version__}, for those who outgrow it. The data are rebuilt "
        f"exactly as the program builds them (NumPy), the model starts from {weights}, and "
        "training uses the program's loss, optimiser, batches and seed; autograd computes the "
        "gradients that the program's backward pass computes by the chain rule. Needs NumPy "
        "and PyTorch (pip install torch).", 92)
    script = plain(script_name or f"{Path(project.file).stem or 'network'}_torch.py")
    return code('''
        #!/usr/bin/env python3
        """<<title>>

        <<about>>

        <<usage>>
        """
    ''', title=title, about=about, usage=usage(script, [
        ("", "train, printing the loss now and then"),
        ("--epochs 100", "train for 100 epochs instead"),
        *([("--start initial", "start from the initial weights instead")]
          if trained else []),
        ("--losses LOSSES.csv", "also write every epoch's loss"),
        ("--save-weights W.npz", "keep the weights as W1.., b1.. (fan_in, fan_out)")]))


def _model(activations: list[str]) -> str:
    used = list(dict.fromkeys(activations))
    table = "\n".join(f'    "{name}": {_TORCH_ACTIVATIONS[name]},' for name in used)
    return code('''
        <<section>>

        ACTIVATION = {
        <<table>>
        }


        class Network(nn.Module):
            """z_l = a_{l-1}·W_l + b_l, a_l = f_l(z_l) for l = 1..L: one nn.Linear per layer (it
            keeps W_lᵀ, shaped (fan_out, fan_in), as its weight) and the program's activations."""

            def __init__(self, W, b):
                super().__init__()
                self.layers = nn.ModuleList(
                    nn.Linear(fan_in, fan_out, dtype=TORCH_DTYPE)
                    for fan_in, fan_out in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:]))
                self.f = [ACTIVATION[name] for name in ACTIVATIONS]
                with torch.no_grad():
                    for layer, W_l, b_l in zip(self.layers, W[1:], b[1:]):
                        layer.weight.copy_(torch.from_numpy(W_l.T))
                        layer.bias.copy_(torch.from_numpy(b_l))

            def logits(self, x):
                """z_L, the output layer before its activation (the losses work from it)."""
                for layer, f in zip(self.layers[:-1], self.f[:-1]):
                    x = f(layer(x))
                return self.layers[-1](x)

            def forward(self, x):
                """ŷ = a_L = f_L(z_L)."""
                return self.f[-1](self.logits(x))

            def weights(self):
                """W1.., b1.. as the program keeps them: W_l shaped (fan_in, fan_out)."""
                out = {}
                for l, layer in enumerate(self.layers, start=1):
                    out[f"W{l}"] = layer.weight.detach().numpy().T.copy()
                    out[f"b{l}"] = layer.bias.detach().numpy().copy()
                return out
    ''', section=section("The model") + "\n\n"
         "TORCH_DTYPE = torch.float64 if DTYPE == np.float64 else torch.float32",
         table=table)


def loop_code(experiment: Experiment, mini_batch: bool, validation: bool, early: bool,
              optimizer: str) -> str:
    """evaluate() and train(): the NumPy script's loop with autograd's backward pass."""
    task = experiment.dataset.task
    t = experiment.project.training
    penalised = bool(t.l1 or t.l2)
    if task == "regression":
        scores = code('''
            def sum_of_squares(Y):
                """SS_tot = Σ (y − ȳ)², for R² = 1 − SS_res/SS_tot (1 when every y is the same)."""
                return float(((Y - Y.mean(dim=0)) ** 2).sum()) or 1.0


            def evaluate(model, data):
                """The loss and R² of the model on (X, Y, values), without training."""
                X, Y, _ = data
                with torch.no_grad():
                    z_L = model.logits(X)
                    loss = loss_function(z_L, model.f[-1](z_L), Y).item()
                return loss, 1 - 2 * loss * len(X) / sum_of_squares(Y)
        ''')
        count = ""
        metric = "metric = 1 - 2 * n * train_loss / ss_tot  # R²"
    else:
        rule = ("int(((y_hat > 0.5) == (Y > 0.5)).sum())  # ŷ > 0.5 means class 1"
                if task == "binary" else
                "int((y_hat.argmax(dim=1) == labels).sum())  # the largest output's class")
        scores = code('''
            def count_correct(y_hat, Y, labels):
                return <<rule>>


            def evaluate(model, data):
                """The loss and accuracy of the model on (X, Y, labels), without training."""
                X, Y, labels = data
                with torch.no_grad():
                    z_L = model.logits(X)
                    y_hat = model.f[-1](z_L)
                    loss = loss_function(z_L, y_hat, Y).item()
                return loss, count_correct(y_hat, Y, labels) / len(X)
        ''', rule=rule)
        count = "correct += count_correct(y_hat.detach(), Y[rows], labels[rows])"
        metric = "metric = correct / n  # accuracy"
    penalties = code('''
        def add_penalties(model):
            """Weight penalties add their gradient to dW (not to db), as in the program; the
            loss shown is without them."""
            with torch.no_grad():
                for layer in model.layers:
                    <<lines>>
    ''', lines="\n            ".join(
        (["layer.weight.grad += L2 * layer.weight  # from ½λ₂‖W‖²"] if t.l2 else [])
        + (["layer.weight.grad += L1 * torch.sign(layer.weight)  # from λ₁‖W‖₁"] if t.l1 else [])))
    penalty_call = "add_penalties(model)\n    " if penalised else ""
    if mini_batch:
        step = code('''
            <<sums>>
            order = rng.permutation(n)  # the program's shuffle, a new one every epoch
            for start in range(0, n, BATCH_SIZE):
                rows = torch.from_numpy(order[start:start + BATCH_SIZE])
                z_L = model.logits(X[rows])
                y_hat = model.f[-1](z_L)
                loss = loss_function(z_L, y_hat, Y[rows])
                optimizer.zero_grad()
                loss.backward()  # autograd: the chain rule, from the output layer to the first
                <<penalties>>if overflowed(loss, model):
                    return history, diverged(epoch)
                optimizer.step()  # the loss and scores are the batch's before its step
                loss_sum += loss.item() * len(rows)
                <<count>>
            train_loss = loss_sum / n
        ''', count=count, penalties=penalty_call,
            sums="loss_sum = 0" if task == "regression" else "loss_sum = correct = 0")
    else:
        step = code('''
            z_L = model.logits(X)  # full batch: every sample in every step
            y_hat = model.f[-1](z_L)
            loss = loss_function(z_L, y_hat, Y)
            optimizer.zero_grad()
            loss.backward()  # autograd: the chain rule, from the output layer to the first
            <<penalties>>if overflowed(loss, model):
                return history, diverged(epoch)
            optimizer.step()  # the loss and scores are those before the step
            train_loss = loss.item()
            <<count>>
        ''', count=count.replace("+=", "=").replace("[rows]", ""),
            penalties=penalty_call.rstrip(" "))
    step = "\n".join(line for line in step.splitlines() if line.strip())
    stop = indented(code('''
        if val_loss < best_val_loss:  # early stopping: keep the best weights
            best_val_loss, best_epoch = val_loss, epoch
            best = copy.deepcopy(model.state_dict())
        elif epoch - best_epoch >= PATIENCE:
            model.load_state_dict(best)
            return history, (f"early stopping at epoch {epoch}: the validation loss has not "
                             f"improved for {PATIENCE} epochs; weights restored from epoch "
                             f"{best_epoch} (validation loss {best_val_loss:.4g})")
    '''), 8) if early else ""
    overflowed = code('''
        def overflowed(loss, model):
            """True if the loss or a gradient is inf or NaN: that step would ruin the weights."""
            squares = sum(float((layer.weight.grad ** 2).sum()) for layer in model.layers)
            return not math.isfinite(loss.item() + squares)
    ''')
    train = epoch_loop_code(
        "model, train_set, validation_set, epochs",
        """Epochs of gradient steps on (X, Y, labels); returns the history, one (epoch,
    loss, score, validation loss, validation score) per epoch, and why it stopped.""",
        setup=f"\n    optimizer = {optimizer}"
        + ("\n    rng = np.random.default_rng(SEED)" if mini_batch else "")
        + ("\n    ss_tot = sum_of_squares(Y)" if task == "regression" else "")
        + ("\n    best_val_loss, best_epoch, best = math.inf, 0, None" if early else ""),
        step=indented(step, 8), metric=metric, stop=stop,
        val="val_loss, val_metric = evaluate(model, validation_set)" if validation
        else "val_loss = val_metric = math.nan  # no validation set")
    parts = [section("Training"), scores, show_code(task)]
    if penalised:
        parts.append(penalties)
    parts += [overflowed, train]
    return joined(parts[0], parts[1:])


def main_code(experiment: Experiment, trained: bool) -> str:
    """main(): the options, the model, the run, the final scores and the optional files."""
    start = ('trained_weights() if args.start == "trained" else initial_weights()' if trained
             else "initial_weights()")
    return report_code(experiment.dataset.task) + "\n\n" + code('''
        def tensors(data):
            """(X, Y, labels) as torch tensors (they share the NumPy arrays' memory)."""
            return None if data is None else tuple(torch.from_numpy(np.ascontiguousarray(v)) for v in data)


        def main():
        <<parser>>
            train_set, validation_set = (tensors(data) for data in prepared_data())
            model = Network(*<<start>>)
            print(model)
            history, reason = train(model, train_set, validation_set, args.epochs)
            print(f"stopped: {reason}")
            report("train", *evaluate(model, train_set))
            if validation_set is not None:
                report("validation", *evaluate(model, validation_set))
            if args.losses:
                write_losses(history, args.losses)
            if args.save_weights:
                np.savez(args.save_weights, **model.weights())
    ''', parser=indented(parser_code(trained)), start=start)
