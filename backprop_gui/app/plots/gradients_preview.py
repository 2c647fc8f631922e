"""The gradient panel on its own, fed by a real short run trained live: a deep sigmoid
network on the circles (vanishing gradients) or the same depth of ReLU (healthy).

    python -m backprop_gui.app.plots.gradients_preview [relu]"""

from __future__ import annotations

import pyqtgraph as pg

from ...core.config import DatasetConfig, LayerConfig, NetworkConfig, Project, TrainingConfig
from ...core.experiment import Experiment
from ...core.gradient_health import diagnose, unit_health
from .gradients import GradientPanel


def preview(relu: bool = False, epochs: int = 300) -> GradientPanel:
    """The panel fed by a real short run, trained live: a deep sigmoid network on the
    circles (vanishing gradients), or the same depth of ReLU (healthy)."""
    act, init, lr = ("relu", "he", 0.1) if relu else ("sigmoid", "uniform", 0.1)
    project = Project(DatasetConfig(kind="circles"),
                      NetworkConfig([LayerConfig(8, act) for _ in range(6)], init=init),
                      TrainingConfig(learning_rate=lr, optimizer="sgd", epochs=epochs))
    experiment = Experiment.from_project(project)
    trainer, network = experiment.trainer, experiment.network
    panel = GradientPanel()
    panel.set_layers(network.activation_names)

    def step() -> None:
        trainer.train(epochs=2)
        h = trainer.history
        panel.set_history(h)
        health = unit_health(network, trainer.X)
        panel.set_current(h.grad_rms[-1], h.grad_l2[-1], health,
                          diagnose(h.grad_rms, health.saturated, health.dead,
                                   activations=network.activation_names, epoch=h.epoch))
        if trainer.done:
            timer.stop()

    timer = pg.QtCore.QTimer(panel)
    timer.timeout.connect(step)
    timer.start(30)
    panel.step = step  # for a test or a screenshot: advance without waiting
    return panel


if __name__ == "__main__":
    import sys

    from ..style import configure_pyqtgraph

    app = pg.mkQApp("gradients")
    configure_pyqtgraph()
    window = preview(relu="relu" in sys.argv[1:])
    window.setWindowTitle("backprop-gui: gradients per layer")
    window.resize(700, 420)
    window.show()
    sys.exit(app.exec())
