"""The confusion matrix view fed with real snapshots of real experiments: the counts a
plain NumPy count gives, in the cells where the tooltips and the colours say they are;
R² in words for regression; no repaint and no re-layout when nothing changed; and live
beside a real training run in the window."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtWidgets import QApplication

from backprop_gui.app.plots.confusion import (
    EXPLANATION,
    MIN_CELL,
    R2_EXPLANATION,
    RIGHT,
    ConfusionView,
    r2_words,
)
from backprop_gui.core.config import (
    DatasetConfig,
    LayerConfig,
    NetworkConfig,
    Project,
    TrainingConfig,
    load_project,
)
from backprop_gui.core.confusion import Confusion, ConfusionMatrix, RSquared
from backprop_gui.core.data import Dataset
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.snapshot import SnapshotMaker
from backprop_gui.resources import resource_dir


class EventCounter(QObject):
    """Counts the events of some types that reach the objects it watches."""

    def __init__(self, *types: QEvent.Type) -> None:
        super().__init__()
        self.types, self.count = types, 0

    def eventFilter(self, watched, event) -> bool:
        if event.type() in self.types:
            self.count += 1
        return False


def xor(epochs: int) -> Experiment:
    e = Experiment.from_project(load_project(resource_dir() / "projects" / "xor.json"))
    e.trainer.train(epochs=epochs)
    return e


def made(kind: str, epochs: int, validation: float = 0.25, dataset: Dataset | None = None) -> Experiment:
    project = Project(DatasetConfig(kind=kind, samples=240, noise=0.2),
                      NetworkConfig([LayerConfig(8, "tanh")]),
                      TrainingConfig(learning_rate=0.3, epochs=10_000, validation_fraction=validation))
    e = Experiment.from_project(project, dataset)
    e.trainer.train(epochs=epochs)
    return e


def shown(qtbot, experiment: Experiment, size=(420, 260)) -> ConfusionView:
    view = ConfusionView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.set_experiment(experiment)
    view.show()
    qtbot.waitExposed(view)
    view.set_scores(SnapshotMaker(experiment, generation=1).make(force_extras=True).scores)
    return view


def plain_counts(network, data: Dataset) -> np.ndarray:
    a = data.X
    for l, name in enumerate(network.activation_names, start=1):
        z = a @ network.W[l] + network.b[l]
        a = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
             "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)}[name](z)
    predicted = (a[:, 0] > 0.5).astype(int) if data.task == "binary" else a.argmax(axis=1)
    K = len(data.class_names)
    return np.bincount(data.y * K + predicted, minlength=K * K).reshape(K, K)


def cell_colour(view: ConfusionView, panel: int, i: int, j: int):
    """The fill near a cell's corner (its count is drawn in the middle)."""
    g = view.canvas.layout_
    corner = g.cell_centre(panel, i, j) - QPoint(g.cell // 2 - 3, g.cell // 2 - 3)
    return view.canvas.grab().toImage().pixelColor(corner)


@pytest.mark.parametrize("epochs", [0, 2500])
def test_xor_shows_the_counts_of_a_plain_forward_pass_in_the_cells(qtbot, epochs):
    e = xor(epochs)
    view = shown(qtbot, e)
    expected = plain_counts(e.network, e.train_set)
    np.testing.assert_array_equal(view.scores.train.counts, expected)
    assert view.scores.validation is None and len(view.canvas.layout_.panels) == 1
    g = view.canvas.layout_
    for i in range(2):
        for j in range(2):
            tip = view.canvas.tip_at(g.cell_centre(0, i, j))
            count, row = expected[i, j], expected[i].sum()
            assert tip.startswith(f"{count} of the {row} training samples of class '{i}'")
            assert f"predicted as '{j}'" in tip and ("right" if i == j else "wrong") in tip
    if epochs:  # trained: every sample right, the diagonal in full colour, the rest white
        np.testing.assert_array_equal(expected, [[2, 0], [0, 2]])
        assert cell_colour(view, 0, 0, 0).name() == RIGHT.name()
        assert cell_colour(view, 0, 0, 1).name() == "#ffffff"


def test_three_classes_show_training_and_validation_side_by_side(qtbot):
    e = made("spiral3", epochs=30)
    view = shown(qtbot, e)
    g = view.canvas.layout_
    assert len(g.panels) == 2 and g.panels[0][1] == g.panels[1][1]  # side by side in a wide dock
    parts = ((0, e.train_set, view.scores.train), (1, e.validation_set, view.scores.validation))
    for panel, data, matrix in parts:
        expected = plain_counts(e.network, data)
        np.testing.assert_array_equal(matrix.counts, expected)
        i, j = np.unravel_index(np.argmax(expected - np.diag(np.diag(expected))), expected.shape)
        where = ("training", "validation")[panel]
        assert view.canvas.tip_at(g.cell_centre(panel, i, j)).startswith(f"{expected[i, j]} of the "
                                                                         f"{expected[i].sum()} {where}")
        mistake, right = cell_colour(view, panel, i, j), cell_colour(view, panel, i, i)
        assert mistake.red() > mistake.blue() and right.blue() > right.red()  # orange, blue
    assert EXPLANATION in view.toolTip()
    narrow = shown(qtbot, e, size=(230, 460))
    panels = narrow.canvas.layout_.panels
    assert panels[0][0] == panels[1][0] and panels[1][1] > panels[0][1]  # one above the other


def test_regression_shows_r_squared_in_words(qtbot):
    e = made("plane", epochs=40, validation=0.2)
    view = shown(qtbot, e)
    assert isinstance(view.scores, RSquared)
    assert view.scores.train == pytest.approx(e.trainer.evaluate(e.train_set)[1], rel=1e-12)
    assert view.canvas.tip_at(QPoint(20, 20)) == R2_EXPLANATION
    assert r2_words(0.8123, "price") == "The network explains 81% of the variance of price."
    assert "worse than always predicting the mean of y" in r2_words(-0.4, "y").lower()
    assert "no validation set" in r2_words(None, "y").lower()
    assert "overflowed" in r2_words(float("nan"), "y")


def test_twenty_long_class_names_scroll_and_tell_their_names(qtbot):
    rng = np.random.default_rng(0)
    K = 20
    X = rng.normal(size=(600, 2))
    y = np.floor((np.arctan2(X[:, 1], X[:, 0]) + np.pi) / (2 * np.pi) * K).astype(int) % K
    names = [f"a rather long class name number {k}" for k in range(K)]
    e = made("blobs", epochs=5, dataset=Dataset(X, y, ["x1", "x2"], "y", "multiclass", names, "twenty"))
    view = shown(qtbot, e)
    g = view.canvas.layout_
    assert g.cell == MIN_CELL and g.rotated and view.scroll.verticalScrollBar().maximum() > 0
    x0, _ = g.panels[0]
    row = g.cell_centre(0, 7, 0)
    assert view.canvas.tip_at(QPoint(x0 + 2, row.y())).startswith(f"True class '{names[7]}'")
    mx, my = g.matrix_origin(0)
    header = QPoint(g.cell_centre(0, 0, 13).x(), my - 5)
    assert view.canvas.tip_at(header) == f"Predicted class '{names[13]}'."


def test_nothing_is_repainted_or_laid_out_again_when_the_numbers_did_not_change(qtbot):
    e = made("spiral3", epochs=10)
    view = shown(qtbot, e)
    paints, layouts = EventCounter(QEvent.Type.Paint), EventCounter(QEvent.Type.LayoutRequest)
    view.canvas.installEventFilter(paints)
    for widget in (view, view.scroll, view.scroll.viewport(), view.canvas):
        widget.installEventFilter(layouts)
    qtbot.waitUntil(lambda: paints.count > 0 or not view.canvas.isVisible(), timeout=1000)
    QApplication.processEvents()
    paints.count = layouts.count = 0
    same = Confusion(ConfusionMatrix(view.scores.train.counts.copy()),
                     ConfusionMatrix(view.scores.validation.counts.copy()))
    view.set_scores(None)
    view.set_scores(same)
    QApplication.processEvents()
    assert paints.count == 0
    changed = view.scores.train.counts.copy()
    changed[0, 0] += 1
    view.set_scores(Confusion(ConfusionMatrix(changed), view.scores.validation))
    qtbot.waitUntil(lambda: paints.count == 1, timeout=2000)
    assert layouts.count == 0 and view.scores.train.counts[0, 0] == changed[0, 0]


def test_live_beside_a_training_window_it_ends_with_the_status_bars_accuracy(qtbot, make_window,
                                                                            wait_until_stopped):
    window = make_window("xor")
    view = ConfusionView()
    qtbot.addWidget(view)
    view.set_experiment(window.session.experiment)
    seen = set()  # the accuracies the view showed while it trained

    def on_snapshot(snapshot) -> None:
        view.set_scores(snapshot.scores)
        seen.add(view.scores.train.accuracy)

    window.session.sigSnapshot.connect(on_snapshot)
    view.show()
    window.actions.train.trigger()
    wait_until_stopped(window)
    assert len(seen) >= 2 and view.scores is not None
    np.testing.assert_array_equal(view.scores.train.counts, [[2, 0], [0, 2]])
    assert f"{view.scores.train.accuracy:.1%}" in window.status.metric_label.text()
