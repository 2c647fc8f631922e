"""The maths of backprop-gui: pure NumPy, no Qt (a test enforces it)."""
