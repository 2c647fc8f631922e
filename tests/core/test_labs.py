"""Labs: every built-in lab loads, its goals evaluate, its solution completes it and the
lab as handed out does not; each goal kind against situations made by hand or by real
runs; a malformed lab section is one message with the file and the key path."""

import copy
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.cli_lab import check_session
from backprop_gui.core.config import load_project, parse_project, save_project
from backprop_gui.core.errors import ConfigError
from backprop_gui.core.experiment import Experiment
from backprop_gui.core.goals import (
    GOAL_KINDS,
    Goal,
    GoalView,
    RunFacts,
    describe,
    evaluate,
    gradient_ratio,
    restored_record,
)
from backprop_gui.core.history import HistoryRows, Record
from backprop_gui.core.lab import (
    LOCKABLE,
    LabProgress,
    built_in_labs,
    lab_to_dict,
    load_lab,
    merge_patch,
    parse_lab,
    solution_experiments,
)
from backprop_gui.core.snapshot import SnapshotMaker

ROOT = Path(__file__).resolve().parents[2]
LABS = built_in_labs()
DOC = (ROOT / "docs" / "lab-format.md").read_text(encoding="utf-8")


# -- the built-in labs ------------------------------------------------------------------


def test_there_are_seven_lessons_in_order():
    assert [p.name[:3] for p in LABS] == [f"0{i}-" for i in range(1, 8)]
    titles = [load_lab(p)[1].title for p in LABS]
    assert len(set(titles)) == 7
    assert "XOR" in titles[0] and "Iris" in titles[6]


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_built_in_lab_is_a_real_lesson(path):
    project, lab = load_lab(path)
    assert project.file == path.name and lab.solution and lab.tasks
    assert len(lab.instructions) > 500  # a page a student can follow, not a stub
    reports = check_session(project, lab, max_seconds=30)
    assert all(len(r.results) == len(lab.goals) for r in reports)  # the goals evaluate
    handed_out, solved = reports[0], reports[-1]
    assert not handed_out.complete, "the lab as handed out must not already meet its goals"
    assert not all(r.met for r in handed_out.results)
    assert solved.complete, [r.text for r in solved.results if not r.met]
    assert all(r.met for r in solved.results)


def test_the_xor_solution_is_the_reference_example():
    project, lab = load_lab(LABS[0])
    xor = load_project(ROOT / "resources" / "projects" / "xor.json")
    assert lab.solution[0].network == xor.network and lab.solution[0].training == xor.training
    assert lab.solution[0].dataset == xor.dataset


def test_the_iris_lab_reads_the_shipped_csv_relative_to_its_folder():
    project, lab = load_lab(LABS[6])
    assert project.csv_path().resolve() == (ROOT / "resources" / "datasets" / "iris.csv").resolve()
    experiment = solution_experiments(project, lab)[0]
    assert experiment.dataset.task == "multiclass" and len(experiment.dataset.class_names) == 3


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_a_lab_survives_writing_and_reading(path, tmp_path):
    project, lab = load_lab(path)
    project.extra["lab"] = lab_to_dict(lab)
    save_project(project, tmp_path / path.name)
    again_project, again = load_lab(tmp_path / path.name)
    assert lab_to_dict(again) == lab_to_dict(lab)
    assert again.goals == lab.goals and again.locked == lab.locked
    assert [s.training for s in again.solution] == [s.training for s in lab.solution]


def test_the_format_document_lists_every_kind_and_lock_and_its_example_loads(tmp_path):
    for name in [*GOAL_KINDS, *LOCKABLE]:
        assert f"| `{name}` |" in DOC, name
    example = re.search(r"```json\n(.*?)```", DOC, re.S).group(1)
    (tmp_path / "example.json").write_text(example, encoding="utf-8")
    project, lab = load_lab(tmp_path / "example.json")
    reports = check_session(project, lab, max_seconds=30)
    assert not reports[0].complete and reports[-1].complete


# -- goals against situations made by hand -------------------------------------------------


def view(sizes=(2, 3, 1), record=None, epoch=None, stop=None, metric="accuracy",
         validation=True, patience=0, rows=None) -> GoalView:
    facts = RunFacts(tuple(sizes), metric, validation, patience)
    return GoalView(facts, record.epoch if epoch is None and record else epoch or 0, record, stop,
                    rows)


def record(epoch=10, loss=0.2, val_loss=0.3, metric=0.75, val_metric=0.5, grad_sq=(6e-6, 3.0)):
    return Record(epoch, loss, val_loss, metric, val_metric, list(grad_sq))


@pytest.mark.parametrize("goal, situation, met, text", [
    (Goal("accuracy_at_least", 1.0), view(record=record()), False,
     "training accuracy 75% (goal: at least 100%)"),
    (Goal("accuracy_at_least", 0.5, "validation"), view(record=record()), True,
     "validation accuracy 50% (goal: at least 50%)"),
    (Goal("accuracy_at_least", 1.0), view(record=record(metric=0.99996)), False,
     "training accuracy 99.9% (goal: at least 100%)"),  # rounded down: never reads 100%
    (Goal("accuracy_at_least", 0.9, "validation"), view(record=record(), validation=False), False,
     "validation accuracy: no validation data: set a validation share above 0 (goal: at least 90%)"),
    (Goal("accuracy_at_least", 0.9), view(record=record(), metric="r2"), False,
     "accuracy does not apply: this data is a regression (use R²)"),
    (Goal("accuracy_at_least", 0.9), view(), False,
     "training accuracy: not trained yet (goal: at least 90%)"),
    (Goal("loss_below", 0.01), view(record=record(loss=0.009995)), True,
     "training loss 0.009995 (goal: below 0.01)"),  # not "0.01 (goal: below 0.01)"
    (Goal("loss_below", 0.25, "validation"), view(record=record()), False,
     "validation loss 0.3 (goal: below 0.25)"),
    (Goal("r2_at_least", 0.93), view(record=record(metric=0.9302), metric="r2"), True,
     "training R² 0.9302 (goal: at least 0.93)"),
    (Goal("r2_at_least", 0.9), view(record=record()), False,
     "R² does not apply: this data is classes (use accuracy)"),
    # sizes 2-3-1: RMS_1 = √(6e-6 / 6) = 1e-3, RMS_2 = √(3 / 3) = 1, so the ratio is 1e-3
    (Goal("gradient_ratio_below", 0.01), view(record=record()), True,
     "layer 1's gradient is 0.001 × the output layer's (goal: below 0.01)"),
    (Goal("gradient_ratio_above", 0.01), view(record=record()), False,
     "layer 1's gradient is 0.001 × the output layer's (goal: above 0.01)"),
    (Goal("gradient_ratio_above", 0.1), view(sizes=(2, 1), record=record(grad_sq=(1.0,))), False,
     "layer 1 / output layer gradient: needs at least one hidden layer (goal: above 0.1)"),
    (Goal("gradient_ratio_below", 0.1), view(record=record(grad_sq=(math.inf, 1.0))), False,
     "layer 1 / output layer gradient: the gradients overflowed (goal: below 0.1)"),
    (Goal("gradient_ratio_above", 0.1), view(record=record(grad_sq=(1.0, 0.0))), True,
     "layer 1's gradient is inf × the output layer's (goal: above 0.1)"),
    (Goal("early_stopping"), view(record=record(), epoch=40, stop="early_stopping", patience=5), True,
     "stopped by early stopping at epoch 40; the weights of epoch 10 restored"),
    (Goal("early_stopping"), view(record=record(), stop="epochs", patience=5), False,
     "stopped at epoch 10, but not by early stopping"),
    (Goal("early_stopping"), view(record=record()), False, "early stopping is off: set a patience above 0"),
    (Goal("diverged"), view(record=record(), stop="diverged"), True, "diverged after epoch 10"),
    (Goal("diverged"), view(record=record()), False,
     "no divergence yet (epoch 10; goal: see training diverge)"),
    (Goal("not_diverged"), view(record=record(), stop="diverged"), False,
     "diverged after epoch 10 (goal: train without diverging)"),
    (Goal("not_diverged"), view(), False, "not trained yet (goal: train without diverging)"),
    (Goal("not_diverged"), view(record=record()), True, "no divergence in 10 epochs"),
    (Goal("max_hidden_units", 8), view(sizes=(2, 6, 3, 1)), False, "9 hidden units (at most 8)"),
    (Goal("min_hidden_layers", 2), view(sizes=(2, 6, 3, 1)), True, "2 hidden layers (at least 2)"),
    (Goal("max_epochs", 500), view(record=record(epoch=501)), False, "epoch 501 (at most 500)"),
])
def test_goal_kind_in_a_situation(goal, situation, met, text):
    result = evaluate(goal, situation)
    assert (result.met, result.text) == (met, text)


def test_every_kind_is_described_for_a_goal_list():
    assert describe(Goal("accuracy_at_least", 0.95, "validation")) == "validation accuracy at least 95%"
    assert describe(Goal("max_epochs", 2500)) == "within 2,500 epochs"
    assert describe(Goal("diverged")) == "training diverged"
    for kind in GOAL_KINDS.values():
        assert kind.description and kind.why and kind.title


def test_gradient_ratio_matches_the_history_of_a_real_run():
    experiment = Experiment.from_project(load_lab(LABS[2])[0])  # the deep sigmoid network
    experiment.trainer.train(epochs=3)
    by_hand = experiment.trainer.history.grad_rms[-1]  # ‖dW_l‖ / √(fan_in · fan_out)
    ratio, why = gradient_ratio(GoalView.of_experiment(experiment))
    assert why is None and ratio == pytest.approx(by_hand[0] / by_hand[-1], rel=1e-12)
    assert ratio < 1e-3  # vanishing: the lesson's first observation


def test_a_diverged_run_is_seen_as_diverged():
    experiment = Experiment.from_project(load_project(ROOT / "resources" / "projects" / "diverging.json"))
    experiment.trainer.train()
    assert experiment.trainer.stop_reason.kind == "diverged"
    seen = GoalView.of_experiment(experiment)
    assert evaluate(Goal("diverged"), seen).met and not evaluate(Goal("not_diverged"), seen).met


def test_an_early_stopped_run_is_judged_on_its_restored_weights():
    project, lab = load_lab(LABS[5])
    experiment = Experiment.from_project(lab.solution[0])
    trainer = experiment.trainer
    trainer.train()
    assert trainer.stop_reason.kind == "early_stopping" and trainer.best_epoch < trainer.epoch
    seen = GoalView.of_experiment(experiment)
    assert seen.last.epoch == trainer.best_epoch and seen.last.val_loss == trainer.best_val_loss
    # the weights now are that epoch's: their validation loss is the one the view shows
    assert trainer.evaluate(experiment.validation_set)[0] == pytest.approx(trainer.best_val_loss, rel=1e-9)
    assert restored_record(trainer.history) == seen.last  # the window's way: the lowest val loss
    assert evaluate(Goal("early_stopping"), seen).met


def test_a_snapshot_gives_the_window_the_same_view():
    experiment = Experiment.from_project(load_lab(LABS[0])[1].solution[0])
    facts = RunFacts.of(experiment)
    maker = SnapshotMaker(experiment, generation=1)
    experiment.trainer.train(epochs=300)
    shown = GoalView.of_snapshot(facts, maker.make())
    mine = GoalView.of_experiment(experiment, facts)
    assert (shown.epoch, shown.last, shown.stop_kind) == (mine.epoch, mine.last, mine.stop_kind)
    assert len(shown.rows.epoch) == 300
    for goal in (Goal("accuracy_at_least", 1.0), Goal("gradient_ratio_above", 0.1), Goal("max_epochs", 400)):
        assert evaluate(goal, shown) == evaluate(goal, mine)


# -- a student's progress over runs ------------------------------------------------------


def rows(epochs, grad_sq, loss=None) -> HistoryRows:
    n = len(epochs)
    loss = np.full(n, 0.5) if loss is None else np.asarray(loss, float)
    return HistoryRows(0, np.asarray(epochs), loss, np.full(n, np.nan), np.full(n, 0.5),
                       np.full(n, np.nan), np.asarray(grad_sq, float))


def test_a_once_goal_sees_a_row_the_views_passed_over_and_keeps_it():
    progress = LabProgress([Goal("gradient_ratio_below", 1e-3, once=True), Goal("loss_below", 0.1)])
    new = rows([1, 2, 3], [[6e-8, 3.0], [6e-6, 3.0], [6.0, 3.0]])  # ratios 1e-4, 1e-3, 1
    latest = record(epoch=3, loss=0.5, grad_sq=(6.0, 3.0))
    first = progress.update(view(record=latest, rows=new))
    assert first[0].met and first[0].text == (
        "seen in run 1: at epoch 1, layer 1's gradient is 0.0001 × the output layer's (goal: below 0.001)")
    progress.new_run()
    later = progress.update(view(record=record(epoch=1, loss=0.05, grad_sq=(6.0, 3.0))))
    assert later[0] == first[0] and later[1].met  # kept across the run; the other met now
    assert progress.complete and progress.completed_at == (2, 1)


def test_goals_without_once_must_be_met_at_the_same_moment():
    progress = LabProgress([Goal("loss_below", 0.1), Goal("max_epochs", 100)])
    progress.update(view(record=record(epoch=150, loss=0.05)))  # loss met, too late
    assert not progress.complete
    progress.new_run()
    progress.update(view(record=record(epoch=50, loss=0.5)))  # in time, loss not met
    assert not progress.complete
    progress.update(view(record=record(epoch=80, loss=0.05)))
    assert progress.complete and progress.completed_at == (2, 80)
    progress.update(view(record=record(epoch=300, loss=0.01)))  # training on past the limit
    assert progress.complete and [r.met for r in progress.completed] == [True, True]
    assert not progress.results[1].met


# -- malformed lab sections: one message, with the file and the key path ---------------------


def base_lab() -> dict:
    return json.loads(LABS[0].read_text(encoding="utf-8"))


def solution(changes):
    def apply(d):
        d["lab"]["solution"] = changes
    return apply


def goal(i, **changes):
    def apply(d):
        d["lab"]["goals"][i] = {**d["lab"]["goals"][i], **changes}
        for key in [k for k, v in changes.items() if v is None]:
            del d["lab"]["goals"][i][key]
    return apply


def lab_key(key, value):
    def apply(d):
        if value is None:
            del d["lab"][key]
        else:
            d["lab"][key] = value
    return apply


@pytest.mark.parametrize("fault, message", [
    (lambda d: d.pop("lab"), 'lab.json: is a project, not a lab: it has no "lab" section'),
    (lambda d: d.update(lab=[1]), "lab.json: lab: must be an object {...}, not a list"),
    (lab_key("title", None), "lab.json: lab.title: missing"),
    (lab_key("instructions", "#" * 20_001), "lab.json: lab.instructions: is 20,001 characters long; "
                                            "at most 20,000"),
    (lab_key("instructions", 7), "lab.json: lab.instructions: must be Markdown text, not 7"),
    (lab_key("tasks", "do it"), 'lab.json: lab.tasks: must be a list of texts, not "do it"'),
    (lab_key("tasks", ["fine", ""]), "lab.json: lab.tasks[1]: must be a non-empty text"),
    (lab_key("goals", None), "lab.json: lab.goals: missing: a non-empty list of goals"),
    (lab_key("goals", []), "lab.json: lab.goals: must be a non-empty list of goals, not a list"),
    (lab_key("goals", [{"kind": "x"}] * 13), "lab.json: lab.goals: has 13 goals; at most 12"),
    (goal(0, kind="accuracy_above"), "lab.json: lab.goals[0].kind: must be one of accuracy_at_least, "),
    (goal(0, kind=None), "lab.json: lab.goals[0].kind: missing: one of accuracy_at_least"),
    (goal(0, value=None), "lab.json: lab.goals[0].value: missing: accuracy_at_least needs a value "
                          "(a share: 0.9 is 90%)"),
    (goal(1, value="low"), 'lab.json: lab.goals[1].value: must be a number > 0 and <= 1e+06, not "low"'),
    (goal(0, value=95), "lab.json: lab.goals[0].value: must be a number >= 0 and <= 1, not 95"),
    (goal(3, value=2.5), "lab.json: lab.goals[3].value: must be a whole number from 1 to 1,000,000,000, "
                         "not 2.5"),
    (goal(0, on="test"), "lab.json: lab.goals[0].on: must be one of train, validation"),
    (goal(2, on="train"), "lab.json: lab.goals[2].on: unknown key"),
    (goal(0, once="yes"), 'lab.json: lab.goals[0].once: must be true or false, not "yes"'),
    (goal(0, why=["no"]), "lab.json: lab.goals[0].why: must be text"),
    (lab_key("locked", ["dataset", "speed"]), 'lab.json: lab.locked[1]: must be one of dataset, inputs, '),
    (lab_key("locked", ["dataset", "dataset"]), 'lab.json: lab.locked[1]: "dataset" is already in the list'),
    (lab_key("keep_runs", 1), "lab.json: lab.keep_runs: must be true or false, not 1"),
    (lab_key("goal", []), "lab.json: lab.goal: unknown key; the known keys here are: "),
    (solution("3 units"), 'lab.json: lab.solution: must be an object {...}, not "3 units"'),
    (solution({"lab": {}}), "lab.json: lab.solution.lab: a solution changes only dataset, network, training"),
    (solution({"training": 2}), "lab.json: lab.solution.training: must be an object {...} of the keys"),
    (solution({"training": {"learning_rate": -1}}), "lab.json: lab.solution.training.learning_rate: "
                                                    "must be a number > 0"),
    (solution({"network": {"hidden": [{"units": 0}]}}), "lab.json: lab.solution.network.hidden[0].units: "
                                                        "must be a whole number from 1 to 1,024"),
    (solution({"dataset": {"kind": "csv"}}), "lab.json: lab.solution: with these changes the project is "
                                             "not valid: dataset.path: missing"),
    (solution({"training": {"learning_rate": 3}}), "lab.json: lab.solution: changes the learning rate η, "
                                                   "which the lab locks (lab.locked has 'learning_rate')"),
    (solution([{}] * 6), "lab.json: lab.solution: must be the changes of one run {...}, or a list of 1 to 5"),
    (solution([{}, {"training": {"seed": -2}}]), "lab.json: lab.solution[1].training.seed: must be a whole"),
])
def test_a_malformed_lab_names_the_file_and_key(tmp_path, fault, message):
    data = base_lab()
    fault(data)
    path = tmp_path / "lab.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lab(path)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_problem_only_the_data_shows_is_named_under_the_solution():
    data = base_lab()
    data["lab"]["solution"] = {"network": {"output_activation": "softmax"}}
    project = parse_project(data, "lab.json", LABS[0].parent)
    with pytest.raises(ConfigError, match=r"^lab\.json: lab\.solution\.network\.output_activation: "
                                          r"softmax needs three or more classes"):
        solution_experiments(project, parse_lab(project))


def test_merge_patch_follows_rfc_7386():
    # examples from RFC 7386, appendix A
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b", "b": "c"}, {"a": None}) == {"b": "c"}
    assert merge_patch({"a": ["b"]}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}) == {"a": {"b": "d"}}
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    target = {"a": {"b": 1}}
    merge_patch(target, {"a": {"b": 2}})
    assert target == {"a": {"b": 1}}  # neither input changes


def test_loading_changes_nothing_on_disk(tmp_path):
    path = tmp_path / "lab.json"
    data = base_lab()
    path.write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    project, lab = load_lab(path)
    assert path.read_bytes() == before and project.extra["lab"] == data["lab"]
    assert copy.deepcopy(lab.solution_changes) == [data["lab"]["solution"]]
