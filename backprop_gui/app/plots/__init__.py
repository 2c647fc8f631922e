"""Live pyqtgraph plots of a training run."""
