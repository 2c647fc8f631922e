"""Gradient check: backward() against central finite differences,
∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε, one parameter at a time. The independent oracle
that says the chain rule was written down right."""

from __future__ import annotations

import numpy as np

from .losses import Loss
from .network import Network


def loss_at(net: Network, X: np.ndarray, y: np.ndarray, loss: Loss) -> float:
    p = net.forward(X)
    return loss.value(p.a[net.L], p.z[net.L], y)


def numerical_gradient(
    net: Network, X: np.ndarray, y: np.ndarray, loss: Loss, eps: float = 1e-6
) -> np.ndarray:
    """The flat gradient by central differences; leaves net.params as it found them."""
    grads = np.zeros_like(net.params)
    for i in range(net.params.size):
        saved = net.params[i]
        net.params[i] = saved + eps
        up = loss_at(net, X, y, loss)
        net.params[i] = saved - eps
        down = loss_at(net, X, y, loss)
        net.params[i] = saved
        grads[i] = (up - down) / (2 * eps)
    return grads


def layer_errors(net: Network, analytic: np.ndarray, numeric: np.ndarray) -> list[float]:
    """Per layer, ‖g_backprop − g_numeric‖ / (‖g_backprop‖ + ‖g_numeric‖) over its W and b."""
    errors = []
    start = 0
    for fan_in, fan_out in zip(net.sizes[:-1], net.sizes[1:]):
        stop = start + (fan_in + 1) * fan_out
        a, n = analytic[start:stop], numeric[start:stop]
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        errors.append(float(np.linalg.norm(a - n) / scale) if scale > 0 else 0.0)
        start = stop
    return errors


def check_gradients(net: Network, X: np.ndarray, y: np.ndarray, loss: Loss, eps: float = 1e-6) -> list[float]:
    """The relative error of backward() in every layer (float64 gives ~1e-9 when right)."""
    p = net.forward(X)
    net.backward(p, y, loss)
    return layer_errors(net, p.grads.copy(), numerical_gradient(net, X, y, loss, eps))
