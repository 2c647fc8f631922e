"""What one neuron computes over the input plane: a_l[unit] = f_l(z_l) at every point of
a grid, from a snapshot's weights. The network editor shows it when the mouse rests on a
neuron, as a small picture: how each hidden unit carves up the plane, and how the next
layer combines those pieces, is what backpropagation has been shaping."""

from __future__ import annotations

import numpy as np

from .activations import get_activation

#: the value range a unit's picture is drawn over, when its activation bounds it
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "softmax": (0.0, 1.0)}


def unit_values(weights: list[np.ndarray], biases: list[np.ndarray], activations: list[str],
                inputs: np.ndarray, layer: int, unit: int) -> np.ndarray:
    """a_layer[:, unit] for each row of `inputs` (the network's inputs, standardised as in
    training): the forward pass up to `layer` (1 = the first hidden layer), in float32, as
    it is for display. `weights[l - 1]` is W_l (fan_in, fan_out)."""
    if not 1 <= layer <= len(weights) or not 0 <= unit < weights[layer - 1].shape[1]:
        raise IndexError(f"no unit {unit} in layer {layer}")
    aT = np.asarray(inputs, np.float32).T
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for W, b, name in zip(weights[:layer - 1], biases[:layer - 1], activations[:layer - 1]):
            zT = W.T.astype(np.float32) @ aT + b.astype(np.float32)[:, None]
            aT = get_activation(name).forward(zT, zT)
        W, b = weights[layer - 1], biases[layer - 1]
        if activations[layer - 1] == "softmax":  # the unit's share needs the whole layer
            zT = W.T.astype(np.float32) @ aT + b.astype(np.float32)[:, None]
            return get_activation("softmax").forward(zT, zT)[unit]
        z = W[:, unit].astype(np.float32) @ aT + np.float32(b[unit])
        return get_activation(activations[layer - 1]).forward(z, z)


def value_range(values: np.ndarray, activation: str) -> tuple[float, float]:
    """The levels to colour a unit's picture with: the activation's own range where it has
    one (so pictures compare across units and frames), else symmetric about 0."""
    if activation in BOUNDED:
        return BOUNDED[activation]
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 1.0
    return -(top or 1.0), top or 1.0
