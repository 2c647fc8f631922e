"""Activation functions: each gives f(z) and how a gradient passes back through it,
dZ = dA ⊙ f'(z). Where f' is exact and cheap from the output a = f(z) (sigmoid, tanh),
it is taken from a, as in the reference example.

Functions write into a given `out` array: training calls them thousands of times a
second on preallocated buffers, so they must not allocate. Arrays are feature-major, one
column per sample (see network.py); only softmax, which is not elementwise, cares."""

from __future__ import annotations

import numpy as np


class Activation:
    """f and f', under the names of the maths."""

    name = ""

    def forward(self, z: np.ndarray, out: np.ndarray) -> np.ndarray:
        """out = f(z)."""
        raise NotImplementedError

    def backprop(self, dA: np.ndarray, z: np.ndarray, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        """out = dA ⊙ f'(z), given z and a = f(z)."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """f'(z) as a new array, for display and checks (elementwise functions only)."""
        return self.backprop(np.ones_like(z), z, a, np.empty_like(z))

    def __repr__(self) -> str:
        return self.name


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)); σ' = a(1 − a), at most 0.25: every sigmoid layer a
    gradient passes through shrinks it at least fourfold."""

    name = "sigmoid"

    def forward(self, z, out):
        np.negative(z, out)
        np.exp(out, out)  # e^(−z) may overflow to inf for z < −709: σ is then exactly 0
        np.add(out, 1.0, out)
        return np.reciprocal(out, out)

    def backprop(self, dA, z, a, out):
        np.subtract(1.0, a, out)
        np.multiply(out, a, out)
        return np.multiply(out, dA, out)


class Tanh(Activation):
    """tanh(z); tanh' = 1 − a², at most 1 (at z = 0), near 0 once |z| > 3."""

    name = "tanh"

    def forward(self, z, out):
        return np.tanh(z, out)

    def backprop(self, dA, z, a, out):
        np.multiply(a, a, out)
        np.subtract(1.0, out, out)
        return np.multiply(out, dA, out)


class ReLU(Activation):
    """max(0, z); f' is 1 for z > 0 and 0 otherwise: a unit that is negative for every
    sample is dead and never learns again."""

    name = "relu"

    def forward(self, z, out):
        return np.maximum(z, 0.0, out=out)

    def backprop(self, dA, z, a, out):
        np.greater(z, 0.0, out)  # 1.0 where z > 0, else 0.0
        return np.multiply(out, dA, out)


class LeakyReLU(Activation):
    """z for z > 0, αz otherwise (α = 0.01): a leak keeps negative units learning."""

    name = "leaky_relu"
    alpha = 0.01

    def forward(self, z, out):
        if out is not z:  # predict() computes in place: z may be out
            np.copyto(out, z)
        return np.multiply(out, self.alpha, out=out, where=out < 0)

    def backprop(self, dA, z, a, out):
        np.greater(z, 0.0, out)
        np.multiply(out, 1.0 - self.alpha, out)
        np.add(out, self.alpha, out)  # 1 where z > 0, α elsewhere
        return np.multiply(out, dA, out)


class Linear(Activation):
    """f(z) = z, f' = 1: for regression outputs."""

    name = "linear"

    def forward(self, z, out):
        np.copyto(out, z)
        return out

    def backprop(self, dA, z, a, out):
        np.copyto(out, dA)
        return out


class Softmax(Activation):
    """a_k = e^(z_k) / Σ_j e^(z_j) per sample (column), computed after subtracting the
    column's maximum so that e^z never overflows. For the output layer; with the softmax
    cross-entropy loss, dZ = ŷ − y needs no Jacobian (backprop() is the general case)."""

    name = "softmax"

    def forward(self, z, out):
        np.subtract(z, z.max(axis=0), out=out)
        np.exp(out, out)
        return np.divide(out, out.sum(axis=0), out=out)

    def backprop(self, dA, z, a, out):
        # the full Jacobian: dZ_k = a_k (dA_k − Σ_j dA_j a_j)
        np.multiply(dA, a, out)
        total = out.sum(axis=0)
        np.subtract(dA, total, out)
        return np.multiply(out, a, out)


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear, Softmax)
}
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")


def get_activation(name: str) -> Activation:
    return ACTIVATIONS[name]()
