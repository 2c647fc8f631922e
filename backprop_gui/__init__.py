"""backprop-gui: watch backpropagation train a neural network."""

__version__ = "0.1.0"
