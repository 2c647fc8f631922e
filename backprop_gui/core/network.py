"""A dense network and the two passes of backpropagation, under the names of the maths.

For layer l = 1..L, with a_0 = X (one row per sample):

    forward:   z_l = a_{l-1}·W_l + b_l        a_l = f_l(z_l)
    backward:  dZ_l = dA_l ⊙ f_l'(z_l)
               dW_l = a_{l-1}ᵀ·dZ_l           db_l = Σ_samples dZ_l
               dA_{l-1} = dZ_l·W_lᵀ

Lists are indexed by layer number, as in the formulas: `W[1]` is W_1, `a[0]` is X.

Two storage choices keep this fast without changing the maths:
- every a_{l-1} carries an extra column of ones and every W_l an extra last row b_l, so
  that a_{l-1}·W_l + b_l is one matrix product, and a_{l-1}ᵀ·dZ_l yields dW_l and
  db_l = 1ᵀ·dZ_l together;
- all parameters live in one flat array (`params`), all gradients in another
  (`Pass.grads`), with W_l, b_l, dW_l, db_l as views into them: an optimiser updates
  every layer at once, in a few NumPy calls;
- the per-sample buffers are stored feature-major (one column per sample: `aT[l]` is
  a_lᵀ), so that a_l without its ones is a contiguous block, on which NumPy's elementwise
  functions run about three times faster than on a strided one. The loops below therefore
  compute each product as its transpose, (a·W)ᵀ = Wᵀ·aᵀ; the comments give the
  sample-major formula. `Pass.z`, `Pass.a`, `Pass.dZ`, ... are the sample-major views
  (one row per sample) for everything outside the loop.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation, get_activation
from .init import initial_layers
from .losses import Loss


def _layer_views(flat: np.ndarray, sizes: list[int]) -> list[np.ndarray | None]:
    """Views of `flat` shaped (fan_in + 1, fan_out): W_l above, b_l as the last row."""
    views: list[np.ndarray | None] = [None]
    start = 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        stop = start + (fan_in + 1) * fan_out
        views.append(flat[start:stop].reshape(fan_in + 1, fan_out))
        start = stop
    return views


class Network:
    """Layer sizes [n_inputs, hidden..., n_outputs], one activation per layer, and W, b."""

    def __init__(self, sizes: list[int], activations: list[str], dtype: type = np.float64):
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} layers need as many activations, not {len(activations)}")
        self.sizes = list(sizes)
        self.dtype = np.dtype(dtype)
        #: f[l] is f_l; f[0] is None
        self.f: list[Activation | None] = [None] + [get_activation(name) for name in activations]
        self.params = np.zeros(sum((i + 1) * o for i, o in zip(sizes[:-1], sizes[1:])), self.dtype)
        self.Wb = _layer_views(self.params, self.sizes)
        self.W = [None] + [Wb[:-1] for Wb in self.Wb[1:]]
        self.b = [None] + [Wb[-1] for Wb in self.Wb[1:]]
        self.WbT = [None] + [Wb.T for Wb in self.Wb[1:]]
        #: where dW_l starts and stops in the flat gradient (its bias row follows it)
        self.weight_ranges: list[tuple[int, int]] = []
        start = 0
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            self.weight_ranges.append((start, start + fan_in * fan_out))
            start += (fan_in + 1) * fan_out
        #: 1 for every weight, 0 for every bias: penalties (L1, L2) apply to weights only
        self.weight_mask = np.zeros_like(self.params)
        for start, stop in self.weight_ranges:
            self.weight_mask[start:stop] = 1
        self._weight_bounds = np.array([i for r in self.weight_ranges for i in r])

    @classmethod
    def build(
        cls,
        sizes: list[int],
        activations: list[str],
        init: str = "uniform",
        seed: int = 0,
        dtype: type = np.float64,
    ) -> Network:
        net = cls(sizes, activations, dtype)
        for l, (W, b) in enumerate(initial_layers(sizes, init, seed), start=1):
            net.W[l][...] = W
            net.b[l][...] = b
        return net

    @property
    def L(self) -> int:
        """Number of layers with weights (hidden layers + the output layer)."""
        return len(self.sizes) - 1

    @property
    def activation_names(self) -> list[str]:
        return [f.name for f in self.f[1:]]

    def weights(self) -> dict[str, np.ndarray]:
        """A copy of every W_l (fan_in, fan_out) and b_l (fan_out,), keyed W1.., b1.."""
        out = {}
        for l in range(1, self.L + 1):
            out[f"W{l}"] = self.W[l].copy()
            out[f"b{l}"] = self.b[l].copy()
        return out

    def set_weights(self, weights: dict[str, np.ndarray]) -> None:
        for l in range(1, self.L + 1):
            self.W[l][...] = weights[f"W{l}"]
            self.b[l][...] = weights[f"b{l}"]

    def new_pass(self, n: int) -> Pass:
        return Pass(self, n)

    # -- the two passes ----------------------------------------------------------------

    def forward(self, X: np.ndarray) -> Pass:
        """Run the forward pass on X; the returned Pass holds every z_l and a_l."""
        p = self.new_pass(len(X))
        p.a[0][...] = X
        self.run_forward(p)
        return p

    def run_forward(self, p: Pass) -> None:
        """Forward pass on the inputs already in p.a[0]."""
        zT, aT, aT_ext, WbT, f = p.zT, p.aT, p.aT_ext, self.WbT, self.f
        for l in range(1, self.L + 1):
            np.dot(WbT[l], aT_ext[l - 1], out=zT[l])  # z_l = a_{l-1}·W_l + b_l
            f[l].forward(zT[l], aT[l])  # a_l = f_l(z_l)

    def backward(self, p: Pass, y: np.ndarray, loss: Loss) -> float:
        """Backward pass after run_forward(p): fill p.dA, p.dZ, p.dW, p.db (the
        gradients of the loss averaged over the batch) and return the loss."""
        L, W, f = self.L, self.W, self.f
        zT, aT, aT_ext, dAT, dZT, dZ, dWb = p.zT, p.aT, p.aT_ext, p.dAT, p.dZT, p.dZ, p.dWb
        if loss.gives_dZ:  # sigmoid + BCE, softmax + CE: dZ_L = (ŷ − y)/n exactly
            p.loss = loss.gradient(p.a[L], p.z[L], y, p.dZ[L])
        else:  # dA_L = ∂L/∂a_L
            p.loss = loss.gradient(p.a[L], p.z[L], y, p.dA[L])
        for l in range(L, 0, -1):
            if l < L or not loss.gives_dZ:
                f[l].backprop(dAT[l], zT[l], aT[l], dZT[l])  # dZ_l = dA_l ⊙ f_l'(z_l)
            np.dot(aT_ext[l - 1], dZ[l], out=dWb[l])  # dW_l = a_{l-1}ᵀ·dZ_l; db_l = Σ dZ_l
            if l > 1:
                np.dot(W[l], dZT[l], out=dAT[l - 1])  # dA_{l-1} = dZ_l·W_lᵀ
        return p.loss

    def gradient_sq_norms(self, grads: np.ndarray, scratch: np.ndarray | None = None) -> list[float]:
        """Σ dW_l² for every layer l (biases left out), from a flat gradient; `scratch`
        (shaped like grads) spares an allocation."""
        return np.add.reduceat(np.square(grads, scratch), self._weight_bounds).tolist()[::2]

    # -- using a trained network -------------------------------------------------------

    def predict(self, X: np.ndarray, dtype: type | None = None, chunk: int = 2048) -> np.ndarray:
        """ŷ = a_L for X, in chunks of rows so that memory stays small. `dtype=float32`
        is fine for display (a decision-boundary grid) even when training in float64."""
        dtype = np.dtype(dtype or self.dtype)
        WT = [None] + [w.T.astype(dtype) for w in self.W[1:]]
        b = [None] + [v.astype(dtype)[:, None] for v in self.b[1:]]
        out = np.empty((len(X), self.sizes[-1]), dtype)
        for start in range(0, len(X), chunk):
            aT = np.asarray(X[start:start + chunk], dtype).T  # feature-major, like training
            for l in range(1, self.L + 1):
                zT = WT[l].dot(aT)
                zT += b[l]
                aT = self.f[l].forward(zT, zT)
            out[start:start + aT.shape[1]] = aT.T
        return out


class Pass:
    """Everything one forward and backward pass on n samples computes, per layer, in
    buffers that are reused from one step to the next. Sample-major views, one row per
    sample: z[l], a[l] (a[0] = X), dA[l], dZ[l]; and dW[l], db[l] with the flat `grads`.
    The names ending in T are the feature-major storage behind them (see the module)."""

    def __init__(self, net: Network, n: int):
        sizes, dtype = net.sizes, net.dtype
        self.n = n
        self.loss = float("nan")
        #: a_lᵀ with a row of ones below, so Wb_lᵀ·aT_ext[l-1] = (a_{l-1}·W_l + b_l)ᵀ
        self.aT_ext = [np.ones((size + 1, n), dtype) for size in sizes]
        self.aT = [a[:-1] for a in self.aT_ext]
        self.zT: list = [None] + [np.zeros((size, n), dtype) for size in sizes[1:]]
        self.dZT: list = [None] + [np.zeros((size, n), dtype) for size in sizes[1:]]
        self.dAT: list = [None] + [np.zeros((size, n), dtype) for size in sizes[1:]]
        self.a = [aT.T for aT in self.aT]
        self.z = [None] + [zT.T for zT in self.zT[1:]]
        self.dZ = [None] + [dZT.T for dZT in self.dZT[1:]]
        self.dA = [None] + [dAT.T for dAT in self.dAT[1:]]
        self.grads = np.zeros_like(net.params)
        self.dWb = _layer_views(self.grads, sizes)
        self.dW = [None] + [g[:-1] for g in self.dWb[1:]]
        self.db = [None] + [g[-1] for g in self.dWb[1:]]
