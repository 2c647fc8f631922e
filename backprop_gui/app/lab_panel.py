"""The lab panel: a lab's title, its instructions (Markdown), its tasks, and its goals,
each ticked live while the student works, with why it matters in its tooltip; "Lab
complete" once they are all met (core/lab.py LabProgress decides when).

It is fed the window's snapshots; a goal's row is re-set only when its text changed, so
a frame costs the evaluation of a dozen goals and nothing else."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ..core.config import decode_json
from ..core.errors import ProjectError
from ..core.experiment import Experiment
from ..core.goals import GoalResult, GoalView, RunFacts, describe, restored_record, why
from ..core.lab import LOCKABLE, Lab, LabProgress
from ..core.snapshot import Snapshot

MET, OPEN = "✔", "○"
#: a Markdown image, ![words](where): shown as its words
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
MET_COLOR, OPEN_COLOR = "#2f855a", "#718096"


class Instructions(QTextBrowser):
    """A lab's Markdown, read-only. A lab comes from someone else: its links open nothing,
    raw HTML is not read, and images are shown as their words (Qt would load an image
    from any path, or a file the lab names)."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def show_markdown(self, text: str) -> None:
        words = IMAGE.sub(lambda m: m.group(1), text)
        features = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                    | QTextDocument.MarkdownFeature.MarkdownNoHTML)
        self.document().setMarkdown(words, features)


class LabPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.text = Instructions()
        self.goals_title = QLabel("<b>Goals</b>")
        self.goal_rows: list[QLabel] = []
        self.goal_box = QVBoxLayout()
        self.goal_box.setSpacing(2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.locks = QLabel()  # what the lab keeps fixed, so that a greyed control is no riddle
        self.locks.setWordWrap(True)
        self.locks.setObjectName("locks")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.goals_title)
        layout.addLayout(self.goal_box)
        layout.addWidget(self.status)
        layout.addWidget(self.locks)
        self.lab: Lab | None = None
        self.progress: LabProgress | None = None
        self._facts: RunFacts | None = None
        self._history = None
        self._shown: list[str] = []

    # -- a lab ------------------------------------------------------------------------------

    def set_lab(self, lab: Lab | None) -> None:
        """Show this lab (None: no lab) and start its progress afresh."""
        self.lab = lab
        self.progress = LabProgress(lab.goals) if lab is not None else None
        for row in self.goal_rows:
            row.deleteLater()
        self.goal_rows, self._shown = [], []
        if lab is None:
            return
        self.title.setText(html.escape(lab.title))
        self.locks.setText(locks_text(lab.locked))
        self.locks.setVisible(bool(lab.locked))
        tasks = "".join(f"\n{i}. {task}" for i, task in enumerate(lab.tasks, start=1))
        self.text.show_markdown(lab.instructions + (f"\n\n**Tasks**\n{tasks}" if tasks else ""))
        for goal in lab.goals:
            row = QLabel()
            row.setWordWrap(True)
            row.setTextFormat(Qt.TextFormat.RichText)
            row.setToolTip(f"Why it matters: {why(goal)}")
            self.goal_box.addWidget(row)
            self.goal_rows.append(row)
        self.goals_title.setVisible(bool(lab.goals))
        self._show([GoalResult(False, "not started") for _ in lab.goals])

    def set_experiment(self, experiment: Experiment, history) -> None:
        """A new run (a new project, a rebuild, Reset): its fixed facts; the once-goals
        already seen stay seen."""
        self._facts = RunFacts.of(experiment)
        self._history = history
        if self.progress is not None and self.progress.results:
            self.progress.new_run()

    def set_patience(self, patience: int) -> None:
        """Early stopping's patience changed while the run goes on: its goal reads the new one."""
        if self._facts is not None and self._facts.patience != patience:
            self._facts = replace(self._facts, patience=patience)

    def set_snapshot(self, snapshot: Snapshot) -> None:
        if self.progress is None or self._facts is None:
            return
        restored = None
        if snapshot.stop is not None and snapshot.stop.kind == "early_stopping" and self._history is not None:
            restored = restored_record(self._history)
        self._show(self.progress.update(GoalView.of_snapshot(self._facts, snapshot, restored)))

    # -- drawing --------------------------------------------------------------------------

    def _show(self, results: list[GoalResult]) -> None:
        texts = []
        for goal, result in zip(self.lab.goals, results):
            mark, color = (MET, MET_COLOR) if result.met else (OPEN, OPEN_COLOR)
            texts.append(f'<span style="color:{color}; font-weight:bold">{mark}</span> '
                         f"{html.escape(describe(goal))} "
                         f'<span style="color:{OPEN_COLOR}">— {html.escape(result.text)}</span>')
        for row, text, old in zip(self.goal_rows, texts, self._shown or [None] * len(texts)):
            if text != old:
                row.setText(text)
        self._shown = texts
        progress = self.progress
        if progress is not None and progress.complete:
            run, epoch = progress.completed_at
            self.status.setText(f'<span style="color:{MET_COLOR}"><b>Lab complete</b></span> '
                                f"(run {run}, epoch {epoch:,}): every goal was met.")
        else:
            met = sum(r.met for r in results)
            self.status.setText(f"{met} of {len(results)} goals met." if results else "")


def locks_text(locked: list[str]) -> str:
    """One line on what the lab keeps fixed (greyed out), or, when that is most things,
    on what is left to change, in the short words of core/lab.py LOCKABLE."""
    def short(key: str) -> str:
        return html.escape(re.split(r":| \(", LOCKABLE[key][0])[0])

    fixed = [key for key in LOCKABLE if key in locked]
    free = [key for key in LOCKABLE if key not in locked]
    if not fixed:
        return ""
    if len(free) < len(fixed):
        yours = "; ".join(short(k) for k in free) or "nothing"
        return f"<b>Yours to change:</b> {yours}. The rest is fixed by this lab (greyed out)."
    return f"<b>Fixed by this lab</b> (greyed out): {'; '.join(short(k) for k in fixed)}."


def lockable_widgets(window) -> dict[str, list[QWidget]]:
    """The window's controls that each lab lock (core/lab.py LOCKABLE) disables; the
    network editor and the data panel lock their own (NetworkEditor.set_locked,
    DatasetPanel.set_locked: some of its settings apply only to some data)."""
    d, h = window.data_panel, window.hyper
    return {
        "dataset": [window.boundary.paint.button],
        "inputs": [d.inputs],
        "network": [h.hidden],
        "activation": [h.activation, h.output],
        "init": [h.init],
        "loss": [h.loss],
        "optimizer": [h.optimizer],
        "learning_rate": [h.learning_rate],
        "batch_size": [h.batch_size],
        "epochs": [h.epochs],
        "seed": [h.seed],
        "regularization": [h.l1, h.l2],
        "validation": [h.validation],
        "patience": [h.patience],
    }


def lock_controls(window, locked: list[str]) -> None:
    """Disable what the lab locks (and enable everything else), saying why on hover."""
    for key, widgets in lockable_widgets(window).items():
        for widget in widgets:
            widget.setEnabled(key not in locked)
    window.data_panel.set_locked("dataset" in locked)
    window.actions.files.open_csv.setEnabled("dataset" not in locked)
    window.network_view.set_locked({key for key in locked if key in ("network", "activation", "weights")})


def menu_title(path: Path, pick=lambda document: document.get("name")) -> str:
    """A project or lab file's title for a menu: `pick(document)` (the project's name,
    by default), or the file's name if it has none readable."""
    try:
        title = pick(decode_json(path.read_bytes(), path.name))
    except (OSError, ProjectError, AttributeError):
        title = None
    return title if isinstance(title, str) and title else path.stem.replace("-", " ").capitalize()


def lab_title(path: Path) -> str:
    """A lab file's title for the Labs menu."""
    return menu_title(path, lambda document: document.get("lab", {}).get("title"))
