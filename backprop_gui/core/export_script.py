"""A project as one standalone Python file that needs only NumPy: the data, the network,
the loss, the optimiser and the training loop written out as plain functions in the style
of the reference example (z = a·W + b, dZ = dA ⊙ f'(z), dW = aᵀ·dZ, ...), so a student can
read, run and change the exact maths they watched. For the same settings the script's
loss curve is the program's, epoch for epoch: the same seeded data, split, initial weights
and shuffling, the same float arithmetic (matrix products may round differently in the
last bit, nothing more).

Only what the project uses is written: a sigmoid/MSE project has no softmax, a full-batch
one no shuffling. `numpy_script` gives the text; `write_numpy_script` writes it atomically."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import numpy as np

from .. import __version__
from .atomic_file import atomic_file
from .config import Project, write_text_atomic
from .errors import ConfigError
from .experiment import Experiment
from .export_code import array_literal, code, data_code, joined, number, plain, section, usage
from .export_loop_code import main_code, training_code
from .export_network_code import (
    ACTIVATION_CODE,
    INIT_CODE,
    LOSS_CODE,
    OPTIMIZER_CODE,
    backward_code,
    penalties_code,
)

#: trained weights with more numbers than this go to an .npz beside the script, not inline
INLINE_LIMIT = 20_000


def numpy_script(project: Project, weights: dict[str, np.ndarray] | None = None, *,
                 weights_file: str | None = None, script_name: str | None = None) -> str:
    """The text of a NumPy-only script that rebuilds and trains `project`. With `weights`
    (W1..WL, b1..bL), the script starts from them (its START setting), else from the
    program's seeded initial weights; `weights_file` names an .npz beside the script to
    read them from instead of writing them inline (write_numpy_script decides);
    `script_name` is the file name its usage lines show."""
    experiment = Experiment.from_project(project)
    if weights is not None:
        check_weights(weights, experiment.network.sizes)
    data = data_code(experiment)
    net = experiment.network
    loss = experiment.trainer.loss.name
    output = net.activation_names[-1]
    t = project.training
    n = len(experiment.train_set.X)
    mini_batch = 0 < t.batch_size < n
    validation = experiment.validation_set is not None
    early = validation and t.patience > 0
    imports = ["import argparse", "import math", *data.imports]
    if weights_file is not None:
        imports.append("from pathlib import Path")
    parts = [_header(experiment, weights is not None, script_name or _script_name(project)),
             "\n".join(sorted(set(imports), key=lambda s: (s.startswith("from"), s)))
             + "\n\nimport numpy as np\n\n"
             + settings_code(experiment, mini_batch, early, weights is not None)
             + ("\n" + data.settings if data.settings else ""),
             section("The data") + "\n\n" + data.functions,
             _activations(net.activation_names, loss),
             section("The loss, averaged over the n samples of a batch") + "\n\n"
             + LOSS_CODE[loss],
             _network(experiment, output, loss, bool(t.l1 or t.l2)),
             section("Gradient descent") + "\n\n" + OPTIMIZER_CODE[t.optimizer],
             training_code(experiment, mini_batch, validation, early),
             main_code(experiment, weights is not None)]
    if weights is not None:
        parts.append(trained_code(weights, weights_file))
    parts.append('if __name__ == "__main__":\n    main()\n')
    return "\n\n".join(part.rstrip("\n") + "\n" for part in parts).replace("\n\n\n\n", "\n\n\n")


def write_numpy_script(project: Project, weights: dict[str, np.ndarray] | None,
                       path: str | os.PathLike) -> list[Path]:
    """Write the script to `path` atomically (and, for weights too many to write inline,
    NAME.weights.npz beside it); returns the files written. The window's File > Export >
    Python script... calls this."""
    return write_script(numpy_script, project, weights, Path(path))


def write_script(make, project: Project, weights: dict[str, np.ndarray] | None,
                 path: Path) -> list[Path]:
    """`make(project, weights, weights_file=...)` written to `path`, the weights beside it
    when they are too many to write inline (shared with the PyTorch export)."""
    weights_file = None
    written = []
    if weights is not None and sum(np.size(w) for w in weights.values()) > INLINE_LIMIT:
        weights_file = f"{path.stem}.weights.npz"
    text = make(project, weights, weights_file=weights_file, script_name=path.name)
    if weights_file is not None:
        npz = path.with_name(weights_file)
        save_npz_atomic(npz, weights)
        written.append(npz)
    write_text_atomic(path, text)
    return [path, *written]


def save_npz_atomic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez to a temporary file beside `path`, then a rename: never half a file."""
    with atomic_file(path, binary=True) as f:
        np.savez(f, **{key: np.asarray(value, np.float64) for key, value in arrays.items()})


def check_weights(weights: dict[str, np.ndarray], sizes: list[int], where: str = "weights") -> None:
    """ConfigError (naming `where` and the key) unless `weights` are exactly a network of
    these layer sizes, in finite numbers: weights files come from other people."""
    for l in range(1, len(sizes)):
        for key, shape in ((f"W{l}", (sizes[l - 1], sizes[l])), (f"b{l}", (sizes[l],))):
            if key not in weights:
                raise ConfigError(f"{where}: {key} is missing for the {_shape(sizes)} network")
            value = np.asarray(weights[key])
            if value.shape != shape or value.dtype.kind not in "fiu":
                raise ConfigError(f"{where}: {key} must be {shape} numbers for the "
                                  f"{_shape(sizes)} network, not {value.shape} {value.dtype}")
            if not np.isfinite(value).all():
                raise ConfigError(f"{where}: {key} holds inf or NaN")


def _shape(sizes: list[int]) -> str:
    return "-".join(map(str, sizes))


# -- the sections of the script --------------------------------------------------------------


def _header(experiment: Experiment, trained: bool, script_name: str) -> str:
    project, net = experiment.project, experiment.network
    name = plain(project.name or Path(project.file).stem) or "backprop-gui project"
    loss = experiment.trainer.loss.name
    gives_dz = {"bce": "   (sigmoid + BCE: dZ_L = (ŷ − y)/n)",
                "cross_entropy": "   (softmax + cross-entropy: dZ_L = (ŷ − y)/n)"}.get(loss, "")
    metric = "accuracy" if experiment.dataset.is_classification else "R²"
    title = textwrap.fill(f"{name}: a {_shape(net.sizes)} network ({', '.join(net.activation_names)}) "
                          "trained by backpropagation, with NumPy alone.", 92)
    update = _UPDATE[project.training.optimizer]
    return code(f'''
        #!/usr/bin/env python3
        """<<title>>

        Exported by backprop-gui {__version__}. It rebuilds the project's data, network and training
        settings and trains them with the program's own maths, so with the same settings its loss
        curve is the one the program drew, epoch for epoch. Change anything and run it again.

        <<usage>>

        Per layer l = 1..L, with a_0 = X (one row per sample) and ŷ = a_L:
            forward:   z_l = a_{{l-1}}·W_l + b_l        a_l = f_l(z_l)
            backward:  dA_L = ∂L/∂a_L{gives_dz}
                       dZ_l = dA_l ⊙ f_l'(z_l)
                       dW_l = a_{{l-1}}ᵀ·dZ_l           db_l = Σ_samples dZ_l
                       dA_{{l-1}} = dZ_l·W_lᵀ
            update:    {update}
        """
    ''', title=title, usage=usage(plain(script_name), [
        ("", "train, printing the loss now and then"),
        ("--epochs 100", "train for 100 epochs instead"),
        *([("--start initial", "start from the initial weights instead")]
          if trained else []),
        ("--losses LOSSES.csv", f"also write every epoch's loss and {metric}"),
        ("--save-weights W.npz", "keep the trained W1.., b1.. (NumPy's .npz)")]))


_UPDATE = {
    "sgd": "W_l ← W_l − η·dW_l            b_l ← b_l − η·db_l   (plain gradient descent)",
    "momentum": "v ← μ·v − η·dW_l,  W_l ← W_l + v  (and so for b_l: gradient descent with momentum)",
    "adam": "W_l ← W_l − η·m̂ / (√v̂ + ε)  (and so for b_l: Adam, see optimizer())",
}


def _script_name(project: Project) -> str:
    """The name the usage lines give the script when the caller does not say."""
    return f"{plain(Path(project.file).stem).replace(' ', '_') or 'network'}.py"


def settings_code(experiment: Experiment, mini_batch: bool, early: bool, trained: bool) -> str:
    """The settings block: the project's numbers as constants a student may change."""
    t, net = experiment.project.training, experiment.network
    lines = [section("Settings: the project's, as the program had them"), "",
             "SEED = " + f"{t.seed}  # the initial weights, the validation split and the "
             "shuffling start from it",
             f"LAYER_SIZES = {net.sizes}  # inputs, hidden layers..., outputs",
             f"ACTIVATIONS = {json.dumps(net.activation_names)}  # f_1 .. f_L: hidden layers, "
             "then the output",
             f"LEARNING_RATE = {number(t.learning_rate)}  # η, on gradients averaged over the batch",
             f"EPOCHS = {t.epochs}"]
    if mini_batch:
        lines.append(f"BATCH_SIZE = {t.batch_size}  # samples per gradient step, shuffled each epoch")
    if early:
        lines.append(f"PATIENCE = {t.patience}  # early stopping: epochs without a better "
                     "validation loss")
    if t.l1:
        lines.append(f"L1 = {number(t.l1)}  # λ₁: adds λ₁·sign(W) to dW (biases are not penalised)")
    if t.l2:
        lines.append(f"L2 = {number(t.l2)}  # λ₂: adds λ₂·W to dW (biases are not penalised)")
    lines.append(f"DTYPE = np.{t.dtype}")
    if trained:
        lines.append('START = "trained"  # "trained": the weights the program had trained '
                     '(at the end);\n                   # "initial": its seeded initial weights')
    return "\n".join(lines) + "\n"


def _activations(names: list[str], loss: str) -> str:
    used = list(dict.fromkeys(names))
    parts = [section("Activation functions: f(z), and f'(z) from z or from a = f(z)")]
    table = []
    for name in used:
        text, has_prime = ACTIVATION_CODE[name]
        parts.append(text)
        table.append(f'    "{name}": ({name}, {name + "_prime" if has_prime else "None"}),')
    if "softmax" in used and loss != "cross_entropy":
        parts.append(ACTIVATION_CODE["softmax_backward"][0])
    parts.append("# each activation and its derivative (None: not elementwise)\n"
                 "ACTIVATION = {\n" + "\n".join(table) + "\n}\n"
                 "f = [None] + [ACTIVATION[name][0] for name in ACTIVATIONS]  # f[l] is f_l\n"
                 "f_prime = [None] + [ACTIVATION[name][1] for name in ACTIVATIONS]")
    return joined(parts[0], parts[1:])


def _network(experiment: Experiment, output: str, loss: str, penalised: bool) -> str:
    init = experiment.project.network.init
    parts = [section("The network: initial weights, forward pass, backward pass"),
             INIT_CODE[init],
             code('''
                def forward(X, W, b):
                    """z_l = a_{l-1}·W_l + b_l and a_l = f_l(z_l) for l = 1..L; returns the lists z
                    and a (a[0] = X, a[L] = ŷ)."""
                    z, a = [None], [X]
                    for l in range(1, len(W)):
                        z.append(a[l - 1].dot(W[l]) + b[l])
                        a.append(f[l](z[l]))
                    return z, a
             '''),
             backward_code(output, loss, penalised)]
    if penalised:
        parts.append(penalties_code(experiment.project.training))
    return joined(parts[0], parts[1:])


def trained_code(weights: dict[str, np.ndarray], weights_file: str | None) -> str:
    """trained_weights(): the given weights, inline or read from `weights_file` beside it."""
    L = sum(1 for key in weights if key.startswith("W"))
    if weights_file is not None:
        return code(f'''
            def trained_weights():
                """The weights the program had trained, from {weights_file} beside this script
                (W_l shaped (fan_in, fan_out), b_l (fan_out,))."""
                with np.load(Path(__file__).with_name({weights_file!r})) as saved:
                    W = [None] + [saved[f"W{{l}}"].astype(DTYPE) for l in range(1, {L + 1})]
                    b = [None] + [saved[f"b{{l}}"].astype(DTYPE) for l in range(1, {L + 1})]
                return W, b
        ''')
    lines = []
    for l in range(1, L + 1):
        for key in (f"W{l}", f"b{l}"):
            lines.append(f"    {key} = {array_literal(np.asarray(weights[key], np.float64), 4)}")
    W, b = (textwrap.fill(", ".join(f"{v}{l}" for l in range(1, L + 1)), 80,
                          subsequent_indent=" " * 12) for v in "Wb")
    return code('''
        def trained_weights():
            """The weights the program had trained: W_l shaped (fan_in, fan_out), b_l (fan_out,)."""
        <<lines>>
            return ([None] + [w.astype(DTYPE) for w in [<<W>>]],
                    [None] + [v.astype(DTYPE) for v in [<<b>>]])
    ''', lines="\n".join(lines), W=W, b=b)
