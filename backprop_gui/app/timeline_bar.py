"""The timeline under the network: scrub back through the run and see the network, the
decision boundary and the gradients as they were at that epoch, then go on from there.

The training thread records the moments (core/timeline.py) and makes the view of one
when asked (its decision boundary is evaluated there, not here); each snapshot brings the
epochs recorded so far. Looking back pauses training; the cost and gradient plots mark
the epoch. "Resume here" rewinds the trainer to that moment (its later
history is dropped); "Now", a new snapshot, or Train return to the present."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QStyle, QWidget

from ..core.moment_view import MomentView
from ..core.snapshot import Snapshot
from ..core.timeline import BUDGET_BYTES, MAX_MOMENTS
from .plots.epoch_marker import EpochMarker
from .steady_label import SteadyLabel

if TYPE_CHECKING:
    from .main_window import MainWindow

TIPS = {
    "slider": "Drag back through the run: the network, the decision boundary and the gradients "
              "show what they were at that epoch (training pauses). The right end is now.",
    "resume": "Go back to this epoch for good and train on from here: what came after it is "
              "dropped, and the optimiser's memory (momentum, Adam) starts afresh.",
    "now": "Back to the present: the network as it is now.",
}


class TimelineBar(QWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.epochs: tuple[int, ...] = ()  # the moments recorded so far
        self.looking: MomentView | None = None  # the moment shown, while looking back
        self._wanted: int | None = None  # the epoch asked for and not yet shown
        self._moving = False  # the slider is being set by the program, not the user
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(TIPS["slider"])
        self.slider.setRange(0, 0)
        self.label = SteadyLabel("epoch 10,000,000 of 10,000,000")
        self.label.setToolTip(f"Up to {MAX_MOMENTS:,} moments are kept, at spread-out epochs: when "
                              f"they fill their number or memory budget ({BUDGET_BYTES // 2**20} MB), "
                              "every other one is dropped.")
        style = self.style()
        self.resume_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward),
                                         "Resume here")
        self.resume_button.setToolTip(TIPS["resume"])
        self.now_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward), "Now")
        self.now_button.setToolTip(TIPS["now"])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.now_button)
        self.markers = [EpochMarker(window.cost.plot.getPlotItem()),
                        EpochMarker(window.gradients.plot.getPlotItem())]
        self.slider.valueChanged.connect(self._slid)
        self.resume_button.clicked.connect(self.resume_here)
        self.now_button.clicked.connect(self.show_now)
        self._show_state()

    def connect_session(self) -> None:
        """Follow the session: after the window's own handlers, whose views it redraws."""
        session = self.window.session
        session.sigExperiment.connect(self._on_experiment)
        session.sigSnapshot.connect(self._on_snapshot)
        session.sigMoment.connect(self._on_moment)

    # -- from the session -----------------------------------------------------------------

    def _on_experiment(self, experiment) -> None:
        self.epochs, self.looking, self._wanted = (), None, None
        self._show_markers(None)
        self._update_slider()

    def _on_snapshot(self, snapshot: Snapshot) -> None:
        if snapshot.timeline is not None:
            self.epochs = snapshot.timeline
        if self.looking is not None and self._wanted is None:
            # the run moved on (Train, a step, an edit): the window shows it, and so do we
            self.looking = None
            self._show_markers(None)
        self._update_slider()

    def _on_moment(self, view: MomentView) -> None:
        if self._wanted is None:
            return  # back to now meanwhile
        self._wanted = None
        self.looking = view
        w = self.window
        w.network_view.set_weights(view.weights, view.biases)
        w.boundary.set_boundary(view.boundary, w.held_note())
        w.gradients.set_current(view.grad_rms, view.grad_l2, view.health, view.diagnosis)
        w.confusion.set_scores(view.scores)
        w.status.show_moment(view)
        self._show_markers(view.epoch)
        self._show_state()

    # -- the commands ---------------------------------------------------------------------

    def look_back(self, index: int) -> None:
        """Show moment `index` of the timeline (the slider's right end: now)."""
        if index >= len(self.epochs):
            self.show_now()
            return
        self._wanted = self.epochs[index]
        self.window.session.show_moment(self._wanted)  # the worker pauses training first
        self._show_state()

    def show_now(self) -> None:
        """The present again: the last snapshot's weights, boundary and gradients."""
        w, last = self.window, self.window.session.last
        was_looking = self.looking is not None
        self.looking = self._wanted = None
        self._show_markers(None)
        if was_looking and last is not None:
            w.network_view.set_weights(last.weights, last.biases, last.gradients)
            w.session.resend()  # the boundary and unit health of now come with the next snapshot
        self._update_slider()

    def resume_here(self) -> None:
        """Rewind the trainer to the moment shown; what came after it is dropped."""
        view = self.looking
        if view is None:
            return
        self.looking = None
        self._show_markers(None)
        self.window.session.rewind(view.epoch)
        self.window.banner.show_message(
            f"Back at epoch {view.epoch:,}: training goes on from here (what came after it is "
            "gone; momentum and Adam start afresh).", "info")

    # -- the controls ---------------------------------------------------------------------

    def _slid(self, index: int) -> None:
        if not self._moving:
            self.look_back(index)

    def _update_slider(self) -> None:
        """The slider spans the moments; its right end (now) is selected unless looking back."""
        n = len(self.epochs)
        self._moving = True
        self.slider.setRange(0, n)
        if self.looking is None and self._wanted is None:
            self.slider.setValue(n)
        self._moving = False
        self._show_state()

    def _show_state(self) -> None:
        looking = self.looking is not None
        self.resume_button.setEnabled(looking)
        self.now_button.setEnabled(looking or self._wanted is not None)
        self.slider.setEnabled(len(self.epochs) > 0)
        last = self.window.session.last
        now = last.epoch if last else 0
        if looking:
            self.label.setText(f"epoch {self.looking.epoch:,} of {now:,}")
        else:
            self.label.setText(f"now: epoch {now:,}")

    def _show_markers(self, epoch: int | None) -> None:
        for marker in self.markers:
            marker.show(epoch)
