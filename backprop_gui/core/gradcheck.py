"""Gradient check: backward() against central finite differences,
∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε, one parameter at a time. The independent oracle
that says the chain rule was written down right."""

from __future__ import annotations

import time
from dataclasses import dataclass

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


# -- a check a GUI can run in chunks and show per layer ---------------------------------

#: central-difference step, in float64
EPS = 1e-6
#: the smallest denominator of a relative error, per unit of loss. With EPS = 1e-6 in
#: float64, L(θ ± ε) is known to ~1e-16·|L|, so (L(θ+ε) − L(θ−ε)) / 2ε carries an
#: absolute error near 1e-10·|L| whatever the gradient. A parameter whose true gradient
#: is ~1e-9 (a saturated unit) would then show a relative error near 0.1 from rounding
#: alone; dividing by at least FLOOR·max(1, |L|) turns that into ~1e-6, a pass, while a
#: wrong gradient of any visible size (≳ FLOOR) keeps its full relative error. The
#: max(1, |L|) matters only for large losses (MSE on unscaled targets: |L| ~ 1e3).
FLOOR = 1e-4
#: a parameter passes when its relative error is below this: a correct float64 gradient
#: measures ≲ 1e-7 (rounding over FLOOR at worst); a 1 % error in a visible one ≈ 5e-3
PASS_BELOW = 1e-5


@dataclass(frozen=True)
class LayerCheck:
    """One row of the table: layer l's W_l and b_l, backprop against finite differences."""

    layer: int  # l, 1..L
    parameters: int  # entries of W_l and b_l
    max_relative_error: float  # the largest per-parameter relative error
    norm_relative_error: float  # ‖g_bp − g_num‖ / (‖g_bp‖ + ‖g_num‖), see layer_errors
    worst: str  # the parameter with max_relative_error, e.g. "W2[3, 0]" or "b1[2]"
    passed: bool  # max_relative_error < PASS_BELOW


def relative_errors(g_bp: np.ndarray, g_num: np.ndarray, floor: float = FLOOR) -> np.ndarray:
    """|g_bp − g_num| / max(|g_bp| + |g_num|, floor), per parameter (see FLOOR)."""
    return np.abs(g_bp - g_num) / np.maximum(np.abs(g_bp) + np.abs(g_num), floor)


def penalty_value(net: Network, l1: float, l2: float) -> float:
    """½·l2·Σ‖W_l‖² + l1·Σ‖W_l‖₁ over the weights (biases are not penalised)."""
    total = 0.0
    for W in net.W[1:]:
        total += 0.5 * l2 * float(np.sum(W * W)) + l1 * float(np.sum(np.abs(W)))
    return total


def add_penalty_gradient(net: Network, grads: np.ndarray, l1: float, l2: float) -> None:
    """dW_l += l2·W_l + l1·sign(W_l), db_l unchanged: the Trainer's penalty terms."""
    W = net.params * net.weight_mask  # the weights, with every bias zeroed
    grads += l2 * W + l1 * np.sign(W)


def parameter_name(net: Network, i: int) -> str:
    """The flat parameter index i as the maths names it: "W2[3, 0]" or "b1[2]"."""
    for l in range(1, net.L + 1):
        fan_in, fan_out = net.sizes[l - 1], net.sizes[l]
        size = (fan_in + 1) * fan_out
        if i < size:
            row, col = divmod(i, fan_out)
            return f"b{l}[{col}]" if row == fan_in else f"W{l}[{row}, {col}]"
        i -= size
    raise IndexError("no such parameter")


class GradientCheck:
    """Backprop against central differences, one parameter at a time, resumable: run()
    does a slice of the parameters so a GUI can show progress and stay responsive.
    Works on a float64 copy of the network; the caller's network is never touched."""

    def __init__(self, network: Network, X: np.ndarray, Y: np.ndarray, loss: Loss,
                 l1: float = 0.0, l2: float = 0.0):
        self.net = Network(network.sizes, network.activation_names, np.float64)
        self.net.params[...] = network.params
        self.loss, self.l1, self.l2 = loss, l1, l2
        self.Y = np.asarray(Y, np.float64)
        self._pass = self.net.new_pass(len(X))  # reused by every loss evaluation
        self._pass.a[0][...] = X
        self.net.run_forward(self._pass)
        data_loss = self.net.backward(self._pass, self.Y, loss)
        #: FLOOR in units of this loss: rounding in L(θ ± ε) grows with |L| (see FLOOR)
        self.floor = FLOOR * max(1.0, abs(data_loss + penalty_value(self.net, l1, l2)))
        #: the backprop gradient, penalties included: what the Trainer would step along
        self.analytic = self._pass.grads.copy()
        add_penalty_gradient(self.net, self.analytic, l1, l2)
        #: the finite-difference gradient, filled in by run()
        self.numeric = np.zeros_like(self.analytic)
        self._done = 0

    def _loss_here(self) -> float:
        """The loss the Trainer minimises, data term plus penalties, at net.params."""
        p, L = self._pass, self.net.L
        self.net.run_forward(p)
        data = self.loss.gradient(p.a[L], p.z[L], self.Y, p.dA[L])  # dA_L: scratch
        return data + penalty_value(self.net, self.l1, self.l2)

    @property
    def progress(self) -> tuple[int, int]:
        """(parameters done, parameters in all)."""
        return self._done, self.net.params.size

    @property
    def done(self) -> bool:
        return self._done == self.net.params.size

    def run(self, seconds: float) -> bool:
        """Differentiate parameters numerically until `seconds` of wall time have passed
        (at least one per call); True when every parameter is done."""
        params, deadline = self.net.params, time.perf_counter() + seconds
        while not self.done:
            i, saved = self._done, params[self._done]
            params[i] = saved + EPS
            up = self._loss_here()
            params[i] = saved - EPS
            down = self._loss_here()
            params[i] = saved
            self.numeric[i] = (up - down) / (2 * EPS)
            self._done += 1
            if time.perf_counter() >= deadline:
                break
        return self.done

    def results(self) -> list[LayerCheck]:
        """One LayerCheck per layer; only once run() has returned True."""
        if not self.done:
            raise RuntimeError(f"the check is not finished ({self._done} of {self.net.params.size})")
        net, errors = self.net, relative_errors(self.analytic, self.numeric, self.floor)
        norms = layer_errors(net, self.analytic, self.numeric)
        rows, start = [], 0
        for l in range(1, net.L + 1):
            stop = start + (net.sizes[l - 1] + 1) * net.sizes[l]
            worst = start + int(np.argmax(errors[start:stop]))
            rows.append(LayerCheck(l, stop - start, float(errors[worst]), norms[l - 1],
                                   parameter_name(net, worst), bool(errors[worst] < PASS_BELOW)))
            start = stop
        return rows

    @property
    def passed(self) -> bool:
        return all(row.passed for row in self.results())


def check_layers(network: Network, X: np.ndarray, Y: np.ndarray, loss: Loss,
                 l1: float = 0.0, l2: float = 0.0) -> list[LayerCheck]:
    """The whole check at once (for tests and the CLI)."""
    check = GradientCheck(network, X, Y, loss, l1, l2)
    while not check.run(60.0):
        pass
    return check.results()
