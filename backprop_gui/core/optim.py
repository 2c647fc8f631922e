"""Optimisers: how a gradient becomes a step. Each updates the flat parameter array of
the network in place, all layers at once, and never allocates in the step.

- sgd:      θ ← θ − η·g                       (the reference rule)
- momentum: v ← μ·v − η·g;  θ ← θ + v         (μ = 0.9: a heavy ball that rolls on)
- adam:     m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
            θ ← θ − η·m̂ / (√v̂ + ε), with m̂, v̂ corrected for their start at zero.

`lr` may be changed between steps (the GUI does, live)."""

from __future__ import annotations

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    def __init__(self, params: np.ndarray, lr: float):
        self.lr = lr
        self._step_buffer = np.zeros_like(params)

    def update(self, params: np.ndarray, grads: np.ndarray) -> None:
        raise NotImplementedError

    def forget(self) -> None:
        """Start afresh: no velocity, no running moments (training went back in time)."""


class SGD(Optimizer):
    def update(self, params, grads):
        step = np.multiply(grads, self.lr, out=self._step_buffer)  # η·g
        np.subtract(params, step, out=params)


class Momentum(Optimizer):
    def __init__(self, params, lr, mu: float = 0.9):
        super().__init__(params, lr)
        self.mu = mu
        self.v = np.zeros_like(params)

    def forget(self):
        self.v[...] = 0.0

    def update(self, params, grads):
        v = self.v
        np.multiply(v, self.mu, out=v)
        np.subtract(v, np.multiply(grads, self.lr, out=self._step_buffer), out=v)  # μv − ηg
        np.add(params, v, out=params)


class Adam(Optimizer):
    def __init__(self, params, lr, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)
        self.t = 0

    def forget(self):
        self.m[...] = 0.0
        self.v[...] = 0.0
        self.t = 0

    def update(self, params, grads):
        self.t += 1
        m, v, step = self.m, self.v, self._step_buffer
        b1, b2 = self.beta1, self.beta2
        np.multiply(m, b1, out=m)
        m += np.multiply(grads, 1 - b1, out=step)  # m = β1·m + (1−β1)·g
        np.multiply(v, b2, out=v)
        np.multiply(grads, grads, out=step)
        v += np.multiply(step, 1 - b2, out=step)  # v = β2·v + (1−β2)·g²
        # θ −= η·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t)
        np.sqrt(np.multiply(v, 1 / (1 - b2**self.t), out=step), out=step)
        step += self.eps
        np.divide(m, step, out=step)
        step *= self.lr / (1 - b1**self.t)
        np.subtract(params, step, out=params)


def make_optimizer(name: str, params: np.ndarray, lr: float) -> Optimizer:
    if name == "sgd":
        return SGD(params, lr)
    if name == "momentum":
        return Momentum(params, lr)
    if name == "adam":
        return Adam(params, lr)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")
