"""Lab goals: what a student must reach, checked from a small read-only view of a run.

A goal is one kind (from GOAL_KINDS, each with a one-line description and why it matters)
and its parameters. `evaluate(goal, view)` says whether it is met, with the value now
("training accuracy 75% (goal: at least 100%)"). The view is a handful of numbers (the
latest history record, the epoch, the stop reason, the layer sizes), so evaluating costs
O(layers) whatever the run's length: the window builds one from each snapshot it draws,
the headless check from its own trainer, and neither touches a trainer on another thread.

A lab is done when its goals are met at the same moment of one run: the limits
(`max_epochs`, `max_hidden_units`, `min_hidden_layers`) only make sense that way ("reach
100% within 500 epochs with at most 8 hidden units"). A goal marked `once` is the
exception: it is met for good when any run meets it, to have seen a problem before fixing
it ("see training diverge"). LabProgress follows a student's runs by these rules."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .history import HistoryRows, Record

SPLITS = ("train", "validation")
_SPLIT_WORD = {"train": "training", "validation": "validation"}


@dataclass(frozen=True)
class Goal:
    kind: str  # a key of GOAL_KINDS
    value: float | None = None  # the threshold, for the kinds that take one
    on: str = "train"  # "train" or "validation", for the kinds that take one
    why: str | None = None  # the teacher's own "why it matters", instead of the kind's
    once: bool = False  # met for good once any run meets it (see LabProgress)


@dataclass(frozen=True)
class GoalResult:
    met: bool
    text: str  # the value now, against the goal


@dataclass(frozen=True)
class RunFacts:
    """What does not change while one run trains: read once when its experiment is built."""

    layer_sizes: tuple[int, ...]  # inputs, hidden layers..., outputs
    metric_name: str  # "accuracy" (classification) or "r2" (regression)
    has_validation: bool
    patience: int  # 0: early stopping is off

    @classmethod
    def of(cls, experiment) -> RunFacts:
        """From an Experiment (or anything with .network.sizes, .trainer, .validation_set)."""
        trainer = experiment.trainer
        return cls(tuple(experiment.network.sizes), trainer.history.metric_name,
                   experiment.validation_set is not None, trainer.patience)

    @property
    def hidden_units(self) -> tuple[int, ...]:
        return self.layer_sizes[1:-1]


@dataclass(frozen=True)
class GoalView:
    """A run at one moment, as much as goals need."""

    facts: RunFacts
    epoch: int  # epochs completed
    last: Record | None  # the latest epoch's record (None before the first)
    stop_kind: str | None  # the trainer's stop_reason.kind: "epochs", "early_stopping", "diverged"
    #: the history rows recorded since the previous view, if the caller has them (a
    #: snapshot's rows): a once-goal is met if any of them meets it
    rows: HistoryRows | None = None

    @classmethod
    def of_experiment(cls, experiment, facts: RunFacts | None = None) -> GoalView:
        """For the thread that owns the trainer (the headless check)."""
        trainer = experiment.trainer
        reason = trainer.stop_reason
        last = trainer.history.last
        if reason is not None and reason.kind == "early_stopping":
            last = restored_record(trainer.history, trainer.best_epoch) or last
        return cls(facts or RunFacts.of(experiment), trainer.epoch, last,
                   reason.kind if reason else None)

    @classmethod
    def of_snapshot(cls, facts: RunFacts, snapshot, restored: Record | None = None) -> GoalView:
        """For the window: from a core.snapshot.Snapshot it received (plain copies). After
        early stopping, pass `restored` (restored_record of the window's history, once):
        the network then has that epoch's weights, and goals judge those."""
        stop = snapshot.stop.kind if snapshot.stop else None
        last = restored if stop == "early_stopping" and restored is not None else snapshot.last
        return cls(facts, snapshot.epoch, last, stop, snapshot.rows)

    def grad_rms(self) -> list[float]:
        """RMS of each layer's dW at the latest epoch: √(Σ dW² / (fan_in·fan_out))."""
        if self.last is None:
            return []
        sizes = self.facts.layer_sizes
        return [math.sqrt(sq / (i * o)) if math.isfinite(sq) else sq
                for sq, i, o in zip(self.last.grad_sq, sizes[:-1], sizes[1:])]


def restored_record(history, epoch: int | None = None) -> Record | None:
    """The record of the epoch whose weights early stopping restored: `epoch` if given
    (Trainer.best_epoch), else the first lowest validation loss, which is how the trainer
    picks it. O(log rows) with `epoch`, O(rows) without: call it once, at the stop."""
    if not len(history):
        return None
    if epoch is None:
        val_loss = history.val_loss
        if np.isnan(val_loss).all():
            return None
        k = int(np.nanargmin(val_loss))
    else:
        k = int(np.searchsorted(history.epoch, epoch))
        if k >= len(history) or history.epoch[k] != epoch:
            return None  # a long run's thinned history skipped it
    return _record_at(history, k)


def _record_at(rows, k: int) -> Record:
    """Row k of a History or HistoryRows (they have the same columns) as a Record."""
    return Record(int(rows.epoch[k]), float(rows.train_loss[k]), float(rows.val_loss[k]),
                  float(rows.metric[k]), float(rows.val_metric[k]), rows.grad_sq[k].tolist())


@dataclass(frozen=True)
class ValueSpec:
    """The threshold a kind takes: its range, and what it means, for the lab's editor."""

    low: float
    high: float
    integer: bool
    meaning: str  # e.g. "a share: 0.9 is 90%"
    default: float
    low_open: bool = False  # the value must be above `low`, not equal to it


@dataclass(frozen=True)
class GoalKind:
    name: str
    title: str  # for a list to pick from: "Accuracy at least"
    phrase: str  # the goal in a few words: {split}, {value} (formatted) are filled in
    description: str  # one line: what is checked
    why: str  # why it matters, for students
    value: ValueSpec | None
    has_split: bool  # takes "on": "train" or "validation"
    check: Callable[[Goal, GoalView], GoalResult]


def _percent(share: float) -> str:
    """75%, 97.5%: rounded down, so that 99.96% never reads as 100%."""
    tenths = math.floor(share * 1000 + 1e-9) / 10
    return f"{tenths:.0f}%" if tenths == int(tenths) else f"{tenths:.1f}%"


def _number(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}g}"  # 0.0123, 6.97e-06, 1.2e+04, inf


def _against(x: float, threshold: float) -> str:
    """x with enough digits not to read as the threshold it differs from (0.00998, not 0.01)."""
    for digits in range(3, 8):
        text = _number(x, digits)
        if x == threshold or text != _number(threshold, digits):
            return text
    return _number(x, 8)


def _last_value(goal: Goal, view: GoalView, column: str) -> tuple[str, float | None, str | None]:
    """(what, value, why it is unknown) of the train or validation loss/metric."""
    what = _SPLIT_WORD[goal.on]
    if goal.on == "validation" and not view.facts.has_validation:
        return what, None, "no validation data: set a validation share above 0"
    if view.last is None:
        return what, None, "not trained yet"
    last, validation = view.last, goal.on == "validation"
    if column == "loss":
        return what, float(last.val_loss if validation else last.train_loss), None
    return what, float(last.val_metric if validation else last.metric), None


# -- the checks ---------------------------------------------------------------------------


def _metric_check(metric: str) -> Callable[[Goal, GoalView], GoalResult]:
    """accuracy_at_least (classification) or r2_at_least (regression)."""
    name, show = ("accuracy", _percent) if metric == "accuracy" else ("R²", None)

    def check(goal: Goal, view: GoalView) -> GoalResult:
        if view.facts.metric_name != metric:
            other = ("a regression (use R²)" if metric == "accuracy"
                     else "classes (use accuracy)")
            return GoalResult(False, f"{name} does not apply: this data is {other}")
        what, value, unknown = _last_value(goal, view, "metric")
        need = f"(goal: at least {show(goal.value) if show else _number(goal.value)})"
        if unknown:
            return GoalResult(False, f"{what} {name}: {unknown} {need}")
        shown = show(value) if show else _against(value, goal.value)
        return GoalResult(value >= goal.value, f"{what} {name} {shown} {need}")

    return check


def _loss(goal: Goal, view: GoalView) -> GoalResult:
    what, value, unknown = _last_value(goal, view, "loss")
    need = f"(goal: below {_number(goal.value)})"
    if unknown:
        return GoalResult(False, f"{what} loss: {unknown} {need}")
    return GoalResult(value < goal.value, f"{what} loss {_against(value, goal.value)} {need}")


def gradient_ratio(view: GoalView) -> tuple[float | None, str | None]:
    """(layer 1's gradient RMS / the output layer's, why it is undefined) at the latest epoch."""
    if len(view.facts.layer_sizes) < 3:
        return None, "needs at least one hidden layer"
    rms = view.grad_rms()
    if not rms:
        return None, "not trained yet"
    first, last = rms[0], rms[-1]
    if not math.isfinite(first + last):
        return None, "the gradients overflowed"
    if last == 0:
        return (None, "no gradient anywhere") if first == 0 else (math.inf, None)
    return first / last, None


def _ratio_check(below: bool) -> Callable[[Goal, GoalView], GoalResult]:
    def check(goal: Goal, view: GoalView) -> GoalResult:
        ratio, unknown = gradient_ratio(view)
        need = f"(goal: {'below' if below else 'above'} {_number(goal.value)})"
        if unknown:
            return GoalResult(False, f"layer 1 / output layer gradient: {unknown} {need}")
        met = ratio < goal.value if below else ratio > goal.value
        shown = _against(ratio, goal.value)
        return GoalResult(met, f"layer 1's gradient is {shown} × the output layer's {need}")

    return check


def _early_stopping(goal: Goal, view: GoalView) -> GoalResult:
    if view.stop_kind == "early_stopping":
        restored = (f"; the weights of epoch {view.last.epoch:,} restored"
                    if view.last is not None and view.last.epoch < view.epoch else "")
        return GoalResult(True, f"stopped by early stopping at epoch {view.epoch:,}{restored}")
    if not view.facts.patience:
        need = "a patience" if view.facts.has_validation else "a validation share and a patience"
        return GoalResult(False, f"early stopping is off: set {need} above 0")
    if view.stop_kind is not None:
        return GoalResult(False, f"stopped at epoch {view.epoch:,}, but not by early stopping")
    return GoalResult(False, f"not stopped by early stopping yet (epoch {view.epoch:,}; "
                             f"patience {view.facts.patience:,})")


def _diverged(goal: Goal, view: GoalView) -> GoalResult:
    if view.stop_kind == "diverged":
        return GoalResult(True, f"diverged after epoch {view.epoch:,}")
    return GoalResult(False, f"no divergence yet (epoch {view.epoch:,}; goal: see training diverge)")


def _not_diverged(goal: Goal, view: GoalView) -> GoalResult:
    if view.stop_kind == "diverged" or view.epoch == 0:
        state = f"diverged after epoch {view.epoch:,}" if view.stop_kind else "not trained yet"
        return GoalResult(False, f"{state} (goal: train without diverging)")
    return GoalResult(True, f"no divergence in {view.epoch:,} epochs")


def _max_hidden_units(goal: Goal, view: GoalView) -> GoalResult:
    units = sum(view.facts.hidden_units)
    return GoalResult(units <= goal.value, f"{units:,} hidden units (at most {goal.value:,.0f})")


def _min_hidden_layers(goal: Goal, view: GoalView) -> GoalResult:
    layers = len(view.facts.hidden_units)
    return GoalResult(layers >= goal.value, f"{layers} hidden layers (at least {goal.value:.0f})")


def _max_epochs(goal: Goal, view: GoalView) -> GoalResult:
    return GoalResult(view.epoch <= goal.value, f"epoch {view.epoch:,} (at most {goal.value:,.0f})")


_SHARE = ValueSpec(0.0, 1.0, False, "a share: 0.9 is 90%", 1.0)
_RATIO = ValueSpec(0, 1e12, False, "layer 1's gradient RMS divided by the output layer's", 1e-3, True)

GOAL_KINDS: dict[str, GoalKind] = {kind.name: kind for kind in (
    GoalKind("accuracy_at_least", "Accuracy at least", "{split} accuracy at least {value}",
             "The share of samples classified right (training or validation) reaches the value.",
             "Accuracy is what the network is for: the loss going down only matters if the "
             "predictions become right.", _SHARE, True, _metric_check("accuracy")),
    GoalKind("loss_below", "Loss below", "{split} loss below {value}",
             "The loss (training or validation) falls below the value.",
             "Backpropagation does exactly one thing: it moves every weight downhill on the "
             "loss. A low validation loss also means the network works on data it never saw.",
             ValueSpec(0, 1e6, False, "the loss the cost plot shows", 0.01, True), True, _loss),
    GoalKind("r2_at_least", "R² at least", "{split} R² at least {value}",
             "For a regression: R² = 1 − (squared error / variance of the target) reaches the value.",
             "R² says how much of the target's variation the network explains: 0 is no better "
             "than always predicting the mean, 1 is perfect.",
             ValueSpec(0.0, 1.0, False, "1 is a perfect fit, 0 no better than the mean", 0.9),
             True, _metric_check("r2")),
    GoalKind("gradient_ratio_below", "Gradient ratio below (vanishing)",
             "layer 1's gradient below {value} × the output layer's",
             "Layer 1's gradient RMS divided by the output layer's falls below the value.",
             "Each layer multiplies the gradient by f'(z) on its way back, and sigmoid's f' is at "
             "most 0.25: in a deep sigmoid network the first layers get almost no gradient, so "
             "they stop learning. This is the vanishing gradient.", _RATIO, False,
             _ratio_check(below=True)),
    GoalKind("gradient_ratio_above", "Gradient ratio above (healthy or exploding)",
             "layer 1's gradient above {value} × the output layer's",
             "Layer 1's gradient RMS divided by the output layer's rises above the value.",
             "A ratio near 1 means every layer learns at a similar pace, which is what ReLU with "
             "He initialisation is for; far above 1, the early layers' gradients explode.",
             replace(_RATIO, default=0.01), False, _ratio_check(below=False)),
    GoalKind("early_stopping", "Stopped by early stopping", "stopped by early stopping",
             "Training stops because the validation loss stopped improving (patience).",
             "Past a point, more training only memorises the training samples: the validation "
             "loss turns up. Early stopping keeps the weights of the best validation epoch.",
             None, False, _early_stopping),
    GoalKind("diverged", "Training diverged", "training diverged",
             "Training stops because the loss or a gradient overflowed to infinity or NaN.",
             "Too large a step overshoots the minimum, each step more than the last, until the "
             "numbers overflow: seeing it once makes the learning rate's role obvious.",
             None, False, _diverged),
    GoalKind("not_diverged", "Training did not diverge", "training did not diverge",
             "Training ran at least one epoch and no loss or gradient overflowed.",
             "A run that blows up learns nothing: the step size must suit the problem.",
             None, False, _not_diverged),
    GoalKind("max_hidden_units", "At most N hidden units", "at most {value} hidden units",
             "A limit: the hidden layers have at most this many neurons in total.",
             "A bigger network can fit more, but it also memorises more and costs more: the "
             "art is the smallest network that does the job.",
             ValueSpec(0, 32 * 1024, True, "neurons in all hidden layers together", 8), False,
             _max_hidden_units),
    GoalKind("min_hidden_layers", "At least N hidden layers", "at least {value} hidden layers",
             "A limit: the network keeps at least this many hidden layers.",
             "The point is to make a deep network train, not to make it shallow.",
             ValueSpec(0, 32, True, "hidden layers", 3), False, _min_hidden_layers),
    GoalKind("max_epochs", "Within N epochs", "within {value} epochs",
             "A limit: the other goals must be met by this epoch.",
             "How fast training gets there depends on the learning rate, the optimiser and the "
             "initialisation: this is what makes the choice of them visible.",
             ValueSpec(1, 10**9, True, "epochs", 1000), False, _max_epochs),
)}


def evaluate(goal: Goal, view: GoalView) -> GoalResult:
    """Whether `goal` is met in `view`, with the value now. O(layers)."""
    return GOAL_KINDS[goal.kind].check(goal, view)


def describe(goal: Goal) -> str:
    """The goal in a few words, for the list of goals: 'validation accuracy at least 95%'."""
    kind, v = GOAL_KINDS[goal.kind], goal.value
    value = ("" if v is None else _percent(v) if kind.name == "accuracy_at_least"
             else f"{v:,.0f}" if kind.value.integer else _number(v))
    return kind.phrase.format(split=_SPLIT_WORD[goal.on], value=value)


def why(goal: Goal) -> str:
    """Why the goal matters: the teacher's text if the lab gives one, else the kind's."""
    return goal.why or GOAL_KINDS[goal.kind].why


def met_in_rows(goal: Goal, view: GoalView) -> tuple[int, GoalResult] | None:
    """(epoch, result) at the first of the view's new rows that meets the goal, if any, for
    the kinds a row can show: so a once-goal sees an epoch that the views passed over (the
    window draws ~30 a second). O(rows)."""
    rows, facts = view.rows, view.facts
    if rows is None or not len(rows.epoch):
        return None
    validation = goal.on == "validation"
    with np.errstate(divide="ignore", invalid="ignore"):
        if goal.kind == "loss_below":
            met = (rows.val_loss if validation else rows.train_loss) < goal.value
        elif (goal.kind, facts.metric_name) in (("accuracy_at_least", "accuracy"), ("r2_at_least", "r2")):
            met = (rows.val_metric if validation else rows.metric) >= goal.value
        elif goal.kind in ("gradient_ratio_below", "gradient_ratio_above") and len(facts.layer_sizes) >= 3:
            sizes = facts.layer_sizes
            first = np.sqrt(rows.grad_sq[:, 0] / (sizes[0] * sizes[1]))
            last = np.sqrt(rows.grad_sq[:, -1] / (sizes[-2] * sizes[-1]))
            defined = np.isfinite(first + last) & ((first > 0) | (last > 0))
            ratio = np.where(last > 0, first / last, np.inf)
            met = defined & ((ratio < goal.value) if goal.kind == "gradient_ratio_below"
                             else (ratio > goal.value))
        else:
            return None
    hits = np.flatnonzero(met)
    if not len(hits):
        return None
    record = _record_at(rows, int(hits[0]))
    return record.epoch, evaluate(goal, GoalView(facts, record.epoch, record, None))
