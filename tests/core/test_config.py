"""Project files: the documented keys load, save and load again unchanged; every kind of
mistake gives a ConfigError naming the file and the key path (or line and column)."""

import copy
import json
import os
from pathlib import Path

import pytest

from backprop_gui.core.config import (
    load_project,
    parse_project,
    project_to_dict,
    save_project,
)
from backprop_gui.core.errors import ConfigError, ProjectError
from backprop_gui.core.experiment import Experiment

XOR = Path(__file__).parents[2] / "resources" / "projects" / "xor.json"
VALID = json.loads(XOR.read_text())


def test_the_issue_example_loads_with_every_value():
    p = load_project(XOR)
    assert p.dataset.kind == "xor" and p.name == "XOR"
    assert [(h.units, h.activation) for h in p.network.hidden] == [(3, "sigmoid")]
    assert (p.network.output_activation, p.network.init) == ("sigmoid", "uniform")
    t = p.training
    assert (t.loss, t.optimizer, t.learning_rate, t.batch_size, t.epochs, t.seed) == (
        "mse", "sgd", 2.0, 0, 2500, 0)
    assert (t.validation_fraction, t.patience) == (0.0, 0)


def test_save_then_load_round_trips(tmp_path):
    data = copy.deepcopy(VALID)
    data["dataset"] = {"kind": "csv", "path": "data/x.csv", "features": ["a", 2],
                       "target": "label", "header": True, "delimiter": ";",
                       "task": "classification", "standardize": False}
    data["training"].update(optimizer="adam", l1=0.001, l2=0.01, dtype="float32")
    data["lab"] = {"title": "kept as it was", "goals": [1, 2]}
    project = parse_project(data, "in.json", tmp_path)
    save_project(project, tmp_path / "out.json")
    again = load_project(tmp_path / "out.json")
    assert project_to_dict(again) == project_to_dict(project)
    assert again.csv_path() == tmp_path / "data" / "x.csv"
    assert again.extra["lab"] == {"title": "kept as it was", "goals": [1, 2]}
    assert not list(tmp_path.glob(".*tmp"))  # the atomic write left nothing behind


def test_defaults_fill_what_a_file_leaves_out():
    p = parse_project({"format": 1, "dataset": {"kind": "moons", "samples": 50}})
    experiment = Experiment.from_project(p)
    assert experiment.network.activation_names[-1] == "sigmoid"
    assert experiment.trainer.loss.name == "bce"
    assert experiment.dataset.n_samples == 50


def mutate(path: str, value):
    """A copy of the valid project with the key at `path` (dots, [i]) set or deleted."""
    data = copy.deepcopy(VALID)
    keys = path.replace("[", ".").replace("]", "").split(".")
    node = data
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
    last = int(keys[-1]) if keys[-1].isdigit() else keys[-1]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()
BAD = [
    ("format", DELETE, "format: missing"),
    ("format", 2, "format: 2 is from a newer backprop-gui"),
    ("format", "1", 'format: must be 1, not "1"'),
    ("dataset", [], "dataset: must be an object"),
    ("dataset.kind", "mnist", "dataset.kind: must be one of xor, circles"),
    ("dataset.kind", DELETE, "dataset.kind: missing"),
    ("dataset.samples", -5, "dataset.samples: must be a whole number"),
    ("dataset.noise", "lots", "dataset.noise: must be a number"),
    ("dataset.path", "x.csv", "dataset.path: unknown key"),
    ("dataset.kindd", "xor", "dataset.kindd: unknown key"),
    ("dataset.inputs", [], "dataset.inputs: must be a non-empty list of x1, x2, x1^2, x2^2"),
    ("dataset.inputs", "x1^2", 'dataset.inputs: must be a non-empty list of x1, x2'),
    ("dataset.inputs", ["x1", "x3"], 'dataset.inputs[1]: must be one of x1, x2, x1^2, x2^2, '
                                     'x1*x2, sin(x1), sin(x2); not "x3"'),
    ("dataset.inputs", ["x1²"], "dataset.inputs[0]: must be one of"),
    ("dataset.inputs", [3], "dataset.inputs[0]: must be one of"),
    ("dataset.inputs", ["x1^2", "x2", "x1^2"], 'dataset.inputs[2]: "x1^2" is already in the list'),
    ("network.hidden", {"units": 3}, "network.hidden: must be a list"),
    ("network.hidden[0].units", 0, "network.hidden[0].units: must be a whole number from 1"),
    ("network.hidden[0].units", 2.5, "network.hidden[0].units: must be a whole number"),
    ("network.hidden[0].units", True, "network.hidden[0].units: must be a whole number"),
    ("network.hidden[0].units", DELETE, "network.hidden[0].units: missing"),
    ("network.hidden[0].activation", "swish", "network.hidden[0].activation: must be one of"),
    ("network.hidden[0].activation", "softmax", "network.hidden[0].activation: must be one of"),
    ("network.hidden[0]", "3", "network.hidden[0]: must be an object"),
    ("network.output_activation", "gelu", "network.output_activation: must be one of"),
    ("network.init", "zeros", "network.init: must be one of uniform, xavier, he"),
    ("network.hiden", [], "network.hiden: unknown key"),
    ("training.learning_rate", 0, "training.learning_rate: must be a number > 0"),
    ("training.learning_rate", "fast", "training.learning_rate: must be a number"),
    ("training.learning_rate", None, "training.learning_rate: must be a number"),
    ("training.loss", "hinge", "training.loss: must be one of mse, bce, cross_entropy"),
    ("training.optimizer", "rmsprop", "training.optimizer: must be one of sgd, momentum, adam"),
    ("training.batch_size", -1, "training.batch_size: must be a whole number"),
    ("training.epochs", 0, "training.epochs: must be a whole number from 1"),
    ("training.seed", -1, "training.seed: must be a whole number"),
    ("training.validation_fraction", 1.5, "training.validation_fraction: must be a number"),
    ("training.patience", 10, "training.patience: early stopping watches the validation"),
    ("training.dtype", "float16", "training.dtype: must be one of float64, float32"),
    ("training", "fast", "training: must be an object"),
    ("extra_key", 1, "extra_key: unknown key"),
]


@pytest.mark.parametrize("path,value,message", BAD, ids=[b[0] + ":" + repr(b[1])[:12] for b in BAD])
def test_bad_values_name_the_key_path(path, value, message):
    with pytest.raises(ConfigError) as err:
        parse_project(mutate(path, value), "lab.json")
    assert str(err.value).startswith("lab.json: ")
    assert message in str(err.value)


@pytest.mark.parametrize("changes,message", [
    ({"network.output_activation": "softmax"}, "network.output_activation: softmax needs"),
    ({"training.loss": "cross_entropy"}, "training.loss: cross_entropy goes with a softmax"),
    ({"training.loss": "bce", "network.output_activation": "tanh"}, "training.loss: bce needs"),
])
def test_combinations_that_do_not_fit_the_data(changes, message):
    data = VALID
    for path, value in changes.items():
        data = mutate(path, value) if data is VALID else _set(data, path, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        Experiment.from_project(parse_project(data, "p.json"))


def _set(data, path, value):
    a, b = path.split(".")
    data[a][b] = value
    return data


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b'{"format": 1,\n "dataset": {"kind": "xor"\n}', "line 3, column 2"),
    (b'{"format": 1, "format": 1}', "key 'format' appears twice"),
    (b'{"format": 1, "training": {"learning_rate": NaN}}', "NaN is not a number JSON allows"),
    (b'{"format": 1, "name": "caf\xe9"}', "line 1, column 27: not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "is a binary file"),
    (b"[1, 2, 3]", "must be an object"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    # parses, but a copy of it (the window copies each project it opens) would overflow
    (b'{"format": 1, "gui": ' + b'{"a": ' * 500 + b"1" + b"}" * 500 + b"}", "nested too deeply"),
    (b'\xef\xbb\xbf{"format": 1, "dataset": {"kind": "xor"}}', None),  # a BOM is fine
    (b'{"format": 1, "training": {"learning_rate": 1' + b"0" * 400 + b'}}',
     "training.learning_rate: must be a number > 0"),  # too large for a float: no OverflowError
    (b'{"format": 1, "training": {"epochs": 1' + b"0" * 5000 + b'}}',
     "training.epochs: must be a whole number"),  # past Python's 4,300-digit limit for int()
])
def test_malformed_files(tmp_path, content, message):
    path = tmp_path / "project.json"
    path.write_bytes(content)
    if message is None:
        assert load_project(path).dataset.kind == "xor"
        return
    with pytest.raises(ConfigError) as err:
        load_project(path)
    assert str(err.value).startswith("project.json: ") and message in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ProjectError, match="nope.json: no such file"):
        load_project(tmp_path / "nope.json")
    with pytest.raises(ProjectError, match="is a folder"):
        load_project(tmp_path)


def test_a_pipe_or_a_device_is_refused_before_reading(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    device = tmp_path / "zero.json"
    device.symlink_to("/dev/zero")  # reading it would never end
    for path in (fifo, device):
        with pytest.raises(ProjectError, match=f"{path.name}: is not a regular file"):
            load_project(path)


def test_a_csv_project_reads_its_file_relative_to_the_project(tmp_path):
    (tmp_path / "data").mkdir()
    rows = "\n".join(f"{i % 7},{(i * 3) % 5},{'yes' if i % 2 else 'no'}" for i in range(40))
    (tmp_path / "data" / "d.csv").write_text("a,b,label\n" + rows + "\n")
    project = {"format": 1, "dataset": {"kind": "csv", "path": "data/d.csv", "target": "label"},
               "training": {"validation_fraction": 0.25, "epochs": 5}}
    (tmp_path / "p.json").write_text(json.dumps(project))
    experiment = Experiment.from_project(load_project(tmp_path / "p.json"))
    assert experiment.dataset.class_names == ["no", "yes"]
    assert experiment.train_set.n_samples == 30 and experiment.validation_set.n_samples == 10
    # standardised with the training part's statistics only
    assert abs(experiment.train_set.X.mean(axis=0)).max() < 1e-12
    assert abs(experiment.validation_set.X.mean(axis=0)).max() > 1e-6


def test_derived_inputs_round_trip_and_an_old_file_has_none(tmp_path):
    assert load_project(XOR).dataset.inputs is None  # written before the key existed
    assert "inputs" not in project_to_dict(load_project(XOR))["dataset"]
    data = copy.deepcopy(VALID)
    data["dataset"] = {"kind": "circles", "samples": 120, "inputs": ["x1^2", "x2^2", "sin(x1)"]}
    project = parse_project(data, "in.json", tmp_path)
    assert project.dataset.inputs == ["x1^2", "x2^2", "sin(x1)"]
    save_project(project, tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text())["dataset"]["inputs"] == [
        "x1^2", "x2^2", "sin(x1)"]
    again = load_project(tmp_path / "out.json")
    assert project_to_dict(again) == project_to_dict(project)
    assert Experiment.from_project(again).network.sizes[0] == 3


@pytest.mark.parametrize("dataset,message", [
    ({"kind": "sine", "inputs": ["x1"]}, "dataset.inputs: derived inputs need data with two "
                                         "features; sine has 1"),
    ({"kind": "csv", "path": "d.csv", "features": ["a", "b", "c"], "inputs": ["x1"]},
     "dataset.inputs: derived inputs need data with two features; dataset.features names 3"),
])
def test_derived_inputs_need_two_dimensional_data(dataset, message):
    with pytest.raises(ConfigError) as err:
        parse_project({"format": 1, "dataset": dataset}, "lab.json")
    assert str(err.value) == f"lab.json: {message}"
