"""Why a layer's gradient is small or huge, in words a student can act on.

Two questions, answered from plain NumPy:

- unit_health: which units cannot pass a gradient back? dZ_l = dA_l ⊙ f_l'(z_l), so a
  unit whose f'(z) is near 0 on (almost) every sample blocks its share of the chain rule:
  a *saturated* sigmoid or tanh unit (|z| large), or a *dead* ReLU unit (z ≤ 0 always).
- diagnose: do the recorded gradient sizes per layer (History.grad_rms) show vanishing
  (the first layer's dW is orders of magnitude smaller than the output layer's),
  exploding (growing fast to large values, or the first layer's far larger), or an
  overflow (inf/NaN)?
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .network import Network

#: f' below this share of its peak counts as "near 0" (the peak: σ'(0) = 0.25, tanh'(0) = 1)
SATURATED_DERIVATIVE = 0.05
#: a unit is saturated when its f' is near 0 on at least this share of the samples
SATURATED_SAMPLES = 0.95
PEAK_DERIVATIVE = {"sigmoid": 0.25, "tanh": 1.0}
#: a unit is dead when it is off on every sample: ReLU outputs 0 for z ≤ 0, leaky ReLU
#: only leaks for z < 0 (its z = 0 still passes the full gradient)
DYING = ("relu", "leaky_relu")

#: vanishing: the first layer's gradient RMS below this multiple of the output layer's
VANISHING_RATIO = 1e-3
#: exploding: the first layer's gradient RMS above this multiple of the output layer's
EXPLODING_RATIO = 1e3
#: exploding: the largest layer RMS is at least this big ...
EXPLODING_RMS = 10.0
#: ... and grew at least this much over the last EXPLODING_WINDOW recorded epochs
EXPLODING_GROWTH = 100.0
EXPLODING_WINDOW = 50
#: a vanishing message names the cause when at least this share of a layer's units
#: is saturated or dead
MENTION_SHARE = 0.2
#: every layer's gradient RMS below this: nothing is learning any more, whatever the ratio
TINY_RMS = 1e-4
#: ... and a plateau, not convergence, while the loss is above this share of its start
PLATEAU_LOSS = 0.5


@dataclass(frozen=True)
class UnitHealth:
    """Per layer l = 1..L, the share of its units in [0, 1] that are saturated (resp.
    dead), or None where the layer's activation cannot saturate (resp. die)."""

    saturated: list[float | None]
    dead: list[float | None]


#: rows of history a diagnosis looks back over
DIAGNOSIS_ROWS = 50

def sample_rows(n: int, max_samples: int) -> np.ndarray:
    """At most max_samples evenly spaced row indices of n, always the same ones."""
    if n <= max_samples:
        return np.arange(n)
    return np.linspace(0, n - 1, max_samples).astype(np.intp)


def unit_health(network: Network, X: np.ndarray, max_samples: int = 512) -> UnitHealth:
    """Forward X (at most max_samples rows of it) through a copy-free pass of the
    network's current weights and count the units that block the gradient."""
    if len(X) == 0:
        raise ValueError("unit_health needs at least one sample")
    a = np.asarray(X)[sample_rows(len(X), max_samples)].astype(network.dtype, copy=False)
    n = len(a)
    saturated: list[float | None] = []
    dead: list[float | None] = []
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for l in range(1, network.L + 1):
            f = network.f[l]
            z = a @ network.W[l]
            z += network.b[l]  # z_l = a_{l-1}·W_l + b_l
            a = f.forward(z, np.empty_like(z))  # a_l = f_l(z_l)
            if f.name in PEAK_DERIVATIVE:
                f_prime = f.backprop(1.0, z, a, np.empty_like(z))  # f'(z) = 1 ⊙ f'(z)
                # "not (f' ≥ threshold)" is also true where f' is NaN: a non-finite
                # unit passes no useful gradient, so it counts as saturated
                flat = ~(f_prime >= SATURATED_DERIVATIVE * PEAK_DERIVATIVE[f.name])
                per_unit = np.count_nonzero(flat, axis=0) >= SATURATED_SAMPLES * n
                saturated.append(float(np.count_nonzero(per_unit) / per_unit.size))
            else:
                saturated.append(None)
            if f.name in DYING:
                off = z <= 0 if f.name == "relu" else z < 0
                per_unit = off.all(axis=0)
                dead.append(float(np.count_nonzero(per_unit) / per_unit.size))
            else:
                dead.append(None)
    return UnitHealth(saturated, dead)


@dataclass(frozen=True)
class GradientDiagnosis:
    """kind: "ok", "vanishing", "exploding", "exploded", or "none" before any data;
    message: one sentence for a student; ratio: first layer RMS / last layer RMS
    (nan when undefined)."""

    kind: str
    message: str
    ratio: float


def _num(x: float) -> str:
    """3.2e-05, 0.31, 12 or 1,200: short, and exact enough to compare by eye."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if 0.01 <= abs(x) < 10:
        return f"{x:.2g}"
    if 10 <= abs(x) < 1e6:
        return f"{x:,.0f}"
    return f"{x:.1e}"


def _layers(ls: list[int]) -> str:
    return f"layer {ls[0]}" if len(ls) == 1 else f"layers {', '.join(map(str, ls[:-1]))} and {ls[-1]}"


def _why(saturated, dead, activations, any_dead: bool = False) -> str:
    """' 78% of layer 2's units are saturated (sigmoid f' near 0).' for the layers
    worst hit, or '' when no layer has enough saturated or dead units to mention."""

    def worst(shares, floor):
        """The hidden layer with the largest share: the output layer's f' scales every
        layer's gradient alike, so it cannot make layer 1's smaller than the output's."""
        hidden = (shares or [])[:-1]
        known = [(s, l) for l, s in enumerate(hidden, start=1) if s is not None and s >= floor]
        return max(known) if known else None

    def act(l):
        return activations[l - 1] if activations else ""

    parts = []
    if hit := worst(saturated, MENTION_SHARE):
        share, l = hit
        derivative = f"{act(l)} f'" if act(l) else "f'"
        parts.append(f"{share:.0%} of layer {l}'s units are saturated ({derivative} near 0)")
    if hit := worst(dead, 1e-12 if any_dead else MENTION_SHARE):
        share, l = hit
        name, off = {"relu": ("ReLU ", "z ≤ 0"), "leaky_relu": ("leaky ReLU ", "z < 0")}.get(
            act(l), ("", "off"))
        parts.append(f"{share:.0%} of layer {l}'s {name}units are dead ({off} on every sample)")
    return " " + "; ".join(parts) + "." if parts else ""


def diagnose(
    grad_rms: np.ndarray,
    saturated: list[float | None] | None = None,
    dead: list[float | None] | None = None,
    *,
    activations: list[str] | None = None,
    epoch: np.ndarray | None = None,
    loss: tuple[float, float] | None = None,
) -> GradientDiagnosis:
    """Read the gradient RMS per layer (rows = recorded epochs, oldest first, the last
    row now; columns = layers 1..L) and say which of the textbook failures it shows.
    `saturated`/`dead` (from UnitHealth) let a vanishing message say why; `activations`
    names them; `epoch` (the recorded epoch numbers) makes "over the last N epochs" exact
    when the history records only every k-th epoch; `loss` (the first and the latest
    training loss) tells a plateau, where every gradient vanished, from convergence."""
    rms = np.asarray(grad_rms, dtype=float)
    if rms.ndim != 2 or rms.shape[0] == 0 or rms.shape[1] == 0:
        return GradientDiagnosis("none", "No gradients yet: press Train to see them.", math.nan)
    now, L = rms[-1], rms.shape[1]
    first, last = float(now[0]), float(now[-1])
    ratio = math.nan  # undefined with one layer, an overflow, or no gradient anywhere
    if L >= 2 and math.isfinite(first + last) and (last != 0 or first != 0):
        ratio = first / last if last != 0 else math.inf

    # exploded: inf or NaN in a layer's gradient (the step that overflowed)
    bad = [l for l in range(1, L + 1) if not math.isfinite(now[l - 1])]
    if bad:
        values = " and ".join(sorted({f"{now[l - 1]:g}" for l in bad}))
        return GradientDiagnosis(
            "exploded",
            f"Exploded: the gradient of {_layers(bad)} overflowed to {values}; the weights cannot "
            "be updated. Lower the learning rate and reset the weights.", ratio)

    # exploding: the largest layer is big and grew fast over the recent epochs
    k = int(np.argmax(now))
    start = max(0, len(rms) - 1 - EXPLODING_WINDOW)
    before = float(rms[start, k])
    growth = now[k] / before if before > 0 else math.inf
    if now[k] >= EXPLODING_RMS and growth >= EXPLODING_GROWTH:
        span = int(epoch[-1] - epoch[start]) if epoch is not None else len(rms) - 1 - start
        layer = "the output layer" if k == L - 1 and L > 1 else f"layer {k + 1}"
        grew = "grew from 0" if before == 0 else f"grew {_num(growth)}×"
        over = "in one epoch" if span == 1 else f"over the last {span:,} epochs"
        return GradientDiagnosis(
            "exploding",
            f"Exploding gradients: {layer}'s gradient RMS {grew} {over} to {now[k]:.1e}; "
            "lower the learning rate.", ratio)

    if L >= 2 and (first == 0 or ratio < VANISHING_RATIO):
        if last == 0:  # nothing flows anywhere
            return GradientDiagnosis(
                "vanishing",
                "No gradient at all: every layer's dW is 0, so no weight can change."
                + _why(saturated, dead, activations, any_dead=True), ratio)
        if first == 0:
            return GradientDiagnosis(
                "vanishing",
                "Vanishing gradients: layer 1 gets no gradient at all, so its weights never change."
                + _why(saturated, dead, activations, any_dead=True), ratio)
        return GradientDiagnosis(
            "vanishing",
            f"Vanishing gradients: layer 1's gradients are {_num(ratio)} × the output layer's "
            f"({-math.log10(ratio):.1f} orders of magnitude smaller); its weights barely change. "
            "Try ReLU or tanh hidden layers, or fewer layers." + _why(saturated, dead, activations),
            ratio)

    if L >= 2 and ratio > EXPLODING_RATIO:
        return GradientDiagnosis(
            "exploding",
            f"Exploding gradients: layer 1's gradients are {_num(ratio)} × the output layer's "
            f"({math.log10(ratio):.1f} orders of magnitude larger); the early layers take huge "
            "steps. Lower the learning rate or use a smaller initialisation.", ratio)

    if L >= 2 and now.max() < TINY_RMS and loss is not None and loss[1] > PLATEAU_LOSS * loss[0]:
        return GradientDiagnosis(
            "vanishing",
            f"Vanishing gradients, stuck on a plateau: every layer's gradient RMS is tiny (at most "
            f"{now.max():.1e}) while the loss is still {loss[1]:.3g} (it started at {loss[0]:.3g}). "
            "Each layer multiplies the gradient by f'(z) on its way back, and sigmoid's f' is at "
            "most 0.25. Try ReLU or tanh hidden layers, fewer layers, or Adam."
            + _why(saturated, dead, activations), ratio)

    if L == 1:
        message = f"Healthy: the only layer's gradient RMS is {_num(first)}."
    else:
        message = f"Healthy: layer 1's gradient RMS is {_num(ratio)} × the output layer's."
    if now.max() < TINY_RMS:
        message += (f" But every layer's is tiny (at most {now.max():.1e}): training has "
                    "converged, or is stuck on a plateau.")
    return GradientDiagnosis("ok", message, ratio)
