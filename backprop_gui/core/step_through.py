"""One training step, taken apart: the stages of backpropagation with their numbers.

For the trainer's next batch (or one sample of the training set), on copies of the
network and the optimiser, this runs the engine's own forward and backward pass and
lays out what each stage computed, in the order a student reads it:

    forward, l = 1..L:   z_l = a_{l-1}·W_l + b_l,   a_l = f_l(z_l)
    the loss:            L(ŷ = a_L, y)
    backward, l = L..1:  dZ_l = dA_l ⊙ f_l'(z_l),  dW_l = a_{l-1}ᵀ·dZ_l,  db_l = Σ dZ_l,
                         dA_{l-1} = dZ_l·W_lᵀ
    update, l = 1..L:    W_l ← W_l − η·dW_l  (or the momentum / Adam rule)

Nothing of the trainer changes: applying the step is the trainer's own `run_batch`,
whose result `new_params` predicts exactly (the tests hold it to that)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .network import Network
from .trainer import Trainer

#: a term keeps its whole value up to this many numbers; a bigger one keeps a corner
FULL_VALUES = 4096
#: the corner of a big term kept for display: rows × columns
CORNER = (8, 8)

SUBSCRIPTS = str.maketrans("0123456789L", "₀₁₂₃₄₅₆₇₈₉ₗ")

UPDATE_RULES = {
    "sgd": ("W{l} ← W{l} − η·dW{l}",),
    "momentum": ("v ← μ·v − η·dW{l}", "W{l} ← W{l} + v"),
    "adam": ("m ← β₁·m + (1 − β₁)·dW{l},  v ← β₂·v + (1 − β₂)·dW{l}²",
             "W{l} ← W{l} − η·m̂ / (√v̂ + ε)"),
}

LOSS_FORMULAS = {
    "mse": "L = (1/n) Σ ½ (ŷ − y)²",
    "bce": "L = (1/n) Σ −y·log ŷ − (1 − y)·log(1 − ŷ)",
    "cross_entropy": "L = (1/n) Σ −Σₖ yₖ·log ŷₖ",
}


def sub(symbol: str, layer: int) -> str:
    """'z', 2 -> 'z₂': the maths' names, as the panel prints them."""
    return symbol + str(layer).translate(SUBSCRIPTS)


@dataclass(frozen=True)
class Term:
    """One named value of a stage: all of it when small, else a corner and a summary."""

    symbol: str
    meaning: str
    shape: tuple[int, ...]
    values: np.ndarray  # the whole value, or its top-left CORNER when it is big
    whole: bool
    stats: tuple[float, float, float, float]  # min, mean, max, RMS over the whole value

    @classmethod
    def of(cls, symbol: str, meaning: str, value) -> Term:
        value = np.array(value, dtype=float)
        whole = value.size <= FULL_VALUES
        kept = value if whole else value[tuple(slice(0, c) for c in CORNER[:value.ndim])]
        finite = value[np.isfinite(value)]
        stats = (float(finite.min()), float(finite.mean()), float(finite.max()),
                 float(np.sqrt(np.mean(np.square(finite))))) if finite.size else (np.nan,) * 4
        return cls(symbol, meaning, value.shape, kept.copy(), whole, stats)


@dataclass(frozen=True)
class Stage:
    phase: str  # "forward", "loss", "backward" or "update"
    layer: int  # the layer it computes (the loss: L)
    title: str
    formulas: tuple[str, ...]
    inputs: tuple[Term, ...]
    outputs: tuple[Term, ...]
    note: str  # what it means, for a student

    @property
    def neurons(self) -> tuple[int, ...]:
        """The columns of neurons it involves, for the network view to highlight."""
        return (self.layer,) if self.phase == "loss" else (self.layer - 1, self.layer)


@dataclass(frozen=True)
class StepInspection:
    rows: np.ndarray  # the training rows of this step
    whole_batch: bool  # the trainer's next batch (True) or one sample
    epoch: int  # the step belongs to this epoch (1-based) ...
    batch: int  # ... and is its batch number (1-based)
    loss: float
    stages: tuple[Stage, ...]
    new_params: np.ndarray  # the network's flat parameters after the step


def inspect_step(trainer: Trainer, sample: int | None = None) -> StepInspection:
    """Take the trainer's next step apart (or, with `sample`, a step on that one row of
    its training set), on copies: the trainer is left exactly as it was."""
    rows = trainer.next_batch_rows() if sample is None else np.array([sample])
    if sample is not None and not 0 <= sample < len(trainer.X):
        raise IndexError(f"sample {sample} is not in the training set (0..{len(trainer.X) - 1})")
    net = Network(trainer.network.sizes, trainer.network.activation_names, trainer.network.dtype)
    net.params[...] = trainer.network.params
    p = net.new_pass(len(rows))
    p.a[0][...] = trainer.X[rows]
    Y = trainer.Y[rows]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        net.run_forward(p)
        loss = net.backward(p, Y, trainer.loss)
        grads = p.grads.copy()
        trainer.add_penalties(grads)
        new_params = net.params.copy()
        copy.deepcopy(trainer.optimizer).update(new_params, grads)
        stages = (*_forward(net, p), _loss_stage(net, p, Y, trainer, loss),
                  *_backward(net, p, Y, trainer), *_updates(net, grads, new_params, trainer))
    return StepInspection(rows, sample is None, trainer.epoch + 1, trainer.batch + 1, loss,
                          stages, new_params)


def _forward(net: Network, p) -> list[Stage]:
    stages = []
    for l in range(1, net.L + 1):
        f = net.f[l].name
        stages.append(Stage(
            "forward", l, f"Forward, layer {l}",
            (f"{sub('z', l)} = {sub('a', l - 1)}·{sub('W', l)} + {sub('b', l)}",
             f"{sub('a', l)} = {f}({sub('z', l)})"),
            (Term.of(sub("a", l - 1), "inputs" if l == 1 else f"layer {l - 1}'s outputs",
                     p.a[l - 1]),
             Term.of(sub("W", l), "weights, one column per neuron", net.W[l]),
             Term.of(sub("b", l), "biases", net.b[l])),
            (Term.of(sub("z", l), "weighted sums, one row per sample", p.z[l]),
             Term.of(sub("a", l), f"{f} of them: this layer's outputs", p.a[l])),
            "Each neuron weighs the previous layer's outputs, adds its bias, and passes the "
            f"sum through {f}." + (" These are the network's predictions ŷ." if l == net.L else ""),
        ))
    return stages


def _loss_stage(net: Network, p, Y: np.ndarray, trainer: Trainer, loss: float) -> Stage:
    L = net.L
    name = trainer.loss.name
    return Stage(
        "loss", L, "The loss",
        (LOSS_FORMULAS.get(name, f"L = {name}(ŷ, y)"),),
        (Term.of("ŷ", f"the predictions ({sub('a', L)})", p.a[L]),
         Term.of("y", "the targets", Y)),
        (Term.of("L", "the loss, averaged over the samples", loss),),
        "One number says how wrong the predictions are; backpropagation finds how each "
        "weight moves it.",
    )


def _backward(net: Network, p, Y: np.ndarray, trainer: Trainer) -> list[Stage]:
    stages, L = [], net.L
    for l in range(L, 0, -1):
        f = net.f[l]
        inputs, outputs, formulas = [], [], []
        if l == L and trainer.loss.gives_dZ:
            formulas.append(f"{sub('dZ', l)} = (ŷ − y) / n")
            inputs.append(Term.of("ŷ − y", "the errors of the predictions", p.a[L] - Y))
            note = (f"With {f.name} and this loss, the derivative of the loss through "
                    f"{f.name} simplifies to the error itself: no f' is needed.")
        else:
            source = "∂L/∂ŷ" if l == L else f"{sub('dZ', l + 1)}·{sub('W', l + 1)}ᵀ"
            if l == L and trainer.loss.name == "mse":
                formulas.append(f"{sub('dA', l)} = ∂L/∂ŷ = (ŷ − y) / n")
            inputs.append(Term.of(sub("dA", l), f"the gradient at this layer's outputs ({source})",
                                  p.dA[l]))
            if f.name == "softmax":
                formulas.append(f"{sub('dZ', l)} = {sub('dA', l)} · ∂softmax/∂{sub('z', l)}")
                note = "Softmax mixes its outputs: each sample's gradient goes through a Jacobian."
            else:
                formulas.append(f"{sub('dZ', l)} = {sub('dA', l)} ⊙ {f.name}'({sub('z', l)})")
                inputs.append(Term.of(f"{f.name}'({sub('z', l)})", "the activation's slope",
                                      f.derivative(p.z[l], p.a[l])))
                note = (f"The gradient passes back through {f.name}, scaled by its slope: "
                        "where the slope is near 0 (saturated or dead units), it stops.")
        formulas += [f"{sub('dW', l)} = {sub('a', l - 1)}ᵀ·{sub('dZ', l)}",
                     f"{sub('db', l)} = Σ {sub('dZ', l)} (over samples)"]
        inputs.append(Term.of(sub("a", l - 1), "this layer's inputs", p.a[l - 1]))
        outputs += [Term.of(sub("dZ", l), "the gradient at the weighted sums", p.dZ[l]),
                    Term.of(sub("dW", l), "the gradient of each weight", p.dW[l]),
                    Term.of(sub("db", l), "the gradient of each bias", p.db[l])]
        if l > 1:
            formulas.append(f"{sub('dA', l - 1)} = {sub('dZ', l)}·{sub('W', l)}ᵀ")
            inputs.append(Term.of(sub("W", l), "this layer's weights", net.W[l]))
            outputs.append(Term.of(sub("dA", l - 1), f"sent back to layer {l - 1}", p.dA[l - 1]))
        stages.append(Stage("backward", l, f"Backward, layer {l}", tuple(formulas),
                            tuple(inputs), tuple(outputs), note))
    return stages


def _updates(net: Network, grads: np.ndarray, new_params: np.ndarray, trainer: Trainer) -> list[Stage]:
    after = Network(net.sizes, net.activation_names, net.dtype)
    after.params[...] = new_params
    dWb = Network(net.sizes, net.activation_names, net.dtype)
    dWb.params[...] = grads
    optimizer = type(trainer.optimizer).__name__.lower()
    rules = UPDATE_RULES.get(optimizer, UPDATE_RULES["sgd"])
    penalties = [text for rate, text in ((trainer.l2, "λ₂·W"), (trainer.l1, "λ₁·sign(W)")) if rate]
    stages = []
    for l in range(1, net.L + 1):
        formulas = [rule.format(l=str(l).translate(SUBSCRIPTS)) for rule in rules]
        if penalties:
            formulas.insert(0, f"{sub('dW', l)} += " + " + ".join(
                p.replace("W", sub("W", l)) for p in penalties))
        formulas.append(f"(the same for {sub('b', l)} with {sub('db', l)})")
        stages.append(Stage(
            "update", l, f"Update, layer {l}", tuple(formulas),
            (Term.of(sub("W", l), "the weights now", net.W[l]),
             Term.of(sub("dW", l), "their gradient" + (" with the penalties" if penalties else ""),
                     dWb.W[l]),
             Term.of("η", "the learning rate", trainer.optimizer.lr)),
            (Term.of(sub("W", l) + " new", "the weights after the step", after.W[l]),
             Term.of(sub("b", l) + " new", "the biases after the step", after.b[l])),
            "Every weight takes a small step against its gradient: downhill on the loss.",
        ))
    return stages
