"""Losses, averaged over the samples of a batch, and their gradient at the output.

Each loss writes its gradient into the pass's buffers: dA_L = ∂L/∂a_L for MSE, or
directly dZ_L = (ŷ − y)/n when the output activation and the loss are made for each other
(sigmoid + binary cross-entropy, softmax + categorical cross-entropy), which is both
exact and numerically stable. Values are computed without log(0) or exp overflow."""

from __future__ import annotations

import numpy as np


class Loss:
    name = ""
    #: the output activation this loss is paired with, or None for any
    requires_output: str | None = None
    #: True: gradient() writes dZ_L; False: it writes dA_L and the activation does the rest
    gives_dZ = False

    def gradient(self, y_hat: np.ndarray, z: np.ndarray, y: np.ndarray, out: np.ndarray) -> float:
        """Write ∂L/∂a_L (or ∂L/∂z_L) into `out`; return the loss value L."""
        raise NotImplementedError

    def value(self, y_hat: np.ndarray, z: np.ndarray, y: np.ndarray) -> float:
        return self.gradient(y_hat, z, y, np.empty_like(y_hat))


class MeanSquaredError(Loss):
    """L = (1/n) Σ ½ (y − ŷ)², so that ∂L/∂ŷ = (ŷ − y)/n: the ½ cancels the square's 2."""

    name = "mse"

    def gradient(self, y_hat, z, y, out):
        n = len(y)
        np.subtract(y_hat, y, out)  # ŷ − y
        flat = out.ravel("K")  # a view, whatever the layout
        loss = 0.5 * float(flat.dot(flat)) / n
        np.multiply(out, 1.0 / n, out)
        return loss


class BinaryCrossEntropy(Loss):
    """L = (1/n) Σ −y log ŷ − (1 − y) log(1 − ŷ), with ŷ = σ(z).

    Written in z, it is max(z, 0) − z·y + log(1 + e^(−|z|)): no log(0) even when σ(z)
    rounds to exactly 0 or 1. With a sigmoid output, dZ_L = (ŷ − y)/n."""

    name = "bce"
    requires_output = "sigmoid"
    gives_dZ = True

    def gradient(self, y_hat, z, y, out):
        n = len(y)
        per_sample = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        np.subtract(y_hat, y, out=out)
        np.multiply(out, 1.0 / n, out=out)
        return float(per_sample.sum()) / n


class SoftmaxCrossEntropy(Loss):
    """L = (1/n) Σ −Σ_k y_k log ŷ_k with ŷ = softmax(z) and one-hot y.

    Written in z, it is logsumexp(z) − z_y, with the row maximum subtracted first so e^z
    never overflows. With a softmax output, dZ_L = (ŷ − y)/n."""

    name = "cross_entropy"
    requires_output = "softmax"
    gives_dZ = True

    def gradient(self, y_hat, z, y, out):
        n = len(y)
        z_max = z.max(axis=1, keepdims=True)
        log_sum_exp = z_max[:, 0] + np.log(np.exp(z - z_max).sum(axis=1))
        loss = float((log_sum_exp - (z * y).sum(axis=1)).sum()) / n
        np.subtract(y_hat, y, out=out)
        np.multiply(out, 1.0 / n, out=out)
        return loss


LOSSES: dict[str, type[Loss]] = {
    cls.name: cls for cls in (MeanSquaredError, BinaryCrossEntropy, SoftmaxCrossEntropy)
}


def get_loss(name: str) -> Loss:
    return LOSSES[name]()
