"""The project file: one JSON format for projects, labs and the headless runner.

    {"format": 1,
     "name": "XOR",
     "dataset":  {"kind": "xor"},
     "network":  {"hidden": [{"units": 3, "activation": "sigmoid"}],
                  "output_activation": "sigmoid", "init": "uniform"},
     "training": {"loss": "mse", "optimizer": "sgd", "learning_rate": 2.0,
                  "batch_size": 0, "epochs": 2500, "seed": 0,
                  "validation_fraction": 0.0, "patience": 0}}

Every key is checked, and a problem is reported with the file and the key path
(`training.learning_rate: must be a number > 0, not "fast"`). Files come from other
people: parsing one runs no code and reads nothing but JSON. docs/project-format.md
lists every key."""

from __future__ import annotations

import json
import math
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .activations import HIDDEN_ACTIVATIONS
from .atomic_file import atomic_file
from .datasets import KINDS, make_dataset
from .errors import ConfigError
from .features import INPUT_KEYS
from .init import INITS
from .losses import LOSSES
from .optim import OPTIMIZERS
from .painted import points_problem

FORMAT = 1
MAX_FILE_BYTES = 10 * 2**20
#: digits a whole number in a project file may have and stay an int (more: read as a float)
MAX_INT_DIGITS = 30
#: how deeply a project file may nest objects and lists
MAX_DEPTH = 32
OUTPUT_ACTIVATIONS = ("sigmoid", "tanh", "linear", "softmax", "relu", "leaky_relu")
DTYPES = ("float64", "float32")
#: sections a file may carry for other parts of the program (the lab panel, the GUI)
EXTRA_SECTIONS = ("lab", "gui", "description")


@dataclass
class DatasetConfig:
    kind: str = "xor"
    samples: int = 200
    noise: float = 0.1
    seed: int = 0
    # kind "csv" only
    path: str | None = None
    features: list[str | int] | None = None
    target: str | int | None = None
    header: bool | None = None
    delimiter: str | None = None
    task: str | None = None  # "classification" or "regression"; None detects it
    standardize: bool | None = None  # None: on for CSV files, off for built-in sets
    # kind "painted" only (with `task`): [x1, x2, class or value] per point (core/painted.py)
    points: list[list[float]] | None = None
    #: derived inputs of 2-D data (features.INPUT_KEYS); None: the data's own features
    inputs: list[str] | None = None


@dataclass
class LayerConfig:
    units: int
    activation: str = "sigmoid"


@dataclass
class NetworkConfig:
    hidden: list[LayerConfig] = field(default_factory=lambda: [LayerConfig(3, "sigmoid")])
    output_activation: str | None = None  # None: sigmoid, softmax or linear by task
    init: str = "uniform"


@dataclass
class TrainingConfig:
    loss: str | None = None  # None: bce, cross_entropy or mse by task
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    batch_size: int = 0  # 0 = full batch
    epochs: int = 1000
    seed: int = 0
    validation_fraction: float = 0.0
    patience: int = 0  # 0 = no early stopping
    l1: float = 0.0
    l2: float = 0.0
    dtype: str = "float64"


@dataclass
class Project:
    dataset: DatasetConfig = field(default_factory=DatasetConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    name: str = ""
    #: sections kept as they were read (see EXTRA_SECTIONS)
    extra: dict[str, Any] = field(default_factory=dict)
    #: where relative paths in the file start from; None for a project not from a file
    base_dir: Path | None = None
    #: the file's name, for messages
    file: str = ""

    def csv_path(self) -> Path | None:
        if self.dataset.kind != "csv" or self.dataset.path is None:
            return None
        path = Path(self.dataset.path)
        return path if path.is_absolute() or self.base_dir is None else self.base_dir / path


# -- reading ---------------------------------------------------------------------------


def load_project(path: str | os.PathLike) -> Project:
    """Read and check a project (or lab) file."""
    path = Path(path)
    name = path.name
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ConfigError(f"{name}: is a folder, not a project file")
        if not stat.S_ISREG(info.st_mode):  # a pipe would wait, a device never end
            raise ConfigError(f"{name}: is not a regular file (a device or a pipe); choose a "
                              "project file")
        if info.st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{name}: {info.st_size / 2**20:.0f} MB is too big for a project "
                              f"file (the limit is {MAX_FILE_BYTES // 2**20} MB)")
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # it grew since
            raise ConfigError(f"{name}: is too big for a project file (the limit is "
                              f"{MAX_FILE_BYTES // 2**20} MB)")
    except FileNotFoundError:
        raise ConfigError(f"{name}: no such file ({path})") from None
    except PermissionError:
        raise ConfigError(f"{name}: permission denied; check that you may read it") from None
    except OSError as exc:
        raise ConfigError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    return parse_project(decode_json(raw, name), name, path.parent.resolve())


def decode_json(raw: bytes, name: str) -> Any:
    """JSON from bytes, with errors that give the line and column; rejects duplicate
    keys and the non-standard NaN/Infinity instead of guessing."""
    if b"\0" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{name}: is a binary file, not a JSON project file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(f"{name}: line {line}, column {column}: not UTF-8 text; "
                          "save the file as UTF-8") from None
    if not text.strip():
        raise ConfigError(f"{name}: the file is empty")

    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise ConfigError(f"{name}: key {key!r} appears twice in the same object")
            seen[key] = value
        return seen

    def no_constants(word):
        raise ConfigError(f"{name}: {word} is not a number JSON allows; write a number")

    def whole_number(digits: str) -> int | float:
        # one too long for any setting stays a float (inf past 1e308), which the checks
        # reject by name, instead of an int too large to convert or even to read
        return int(digits) if len(digits) <= MAX_INT_DIGITS else float(digits)

    try:
        document = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants,
                              parse_int=whole_number)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name}: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        document = None
    if document is None or _depth(document) > MAX_DEPTH:
        # a project is a few levels deep; hundreds would overflow the stack of whatever
        # walks the document next (a copy, a save), after the project had half loaded
        raise ConfigError(f"{name}: the JSON is nested too deeply (more than {MAX_DEPTH} "
                          "levels of objects and lists)")
    return document


def _depth(document: Any) -> int:
    """How many objects and lists deep `document` goes (without recursion)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            items = value.values() if isinstance(value, dict) else value
            if depth <= MAX_DEPTH:
                stack.extend((item, depth + 1) for item in items)
    return deepest


class Section:
    """Reads the keys of one JSON object, naming the key path in every error."""

    def __init__(self, data: Any, path: str, file: str):
        self.file, self.path = file, path
        if not isinstance(data, dict):
            self.fail(path, f"must be an object {{...}}, not {describe_value(data)}")
        self.data = data
        self.used: set[str] = set()

    def fail(self, key_path: str, problem: str) -> None:
        where = f"{self.file}: " if self.file else ""
        raise ConfigError(f"{where}{key_path}: {problem}")

    def key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def choice(self, key: str, choices: tuple[str, ...], default: str | None) -> str | None:
        value = self.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, str) or value not in choices:
            self.fail(self.key(key), f"must be one of {', '.join(choices)}; not {describe_value(value)}")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(self.key(key), f"must be a whole number from {low:,} to {high:,}, "
                                     f"not {describe_value(value)}")
        return value

    def number(self, key: str, default: float, low: float, high: float,
               low_open: bool = False) -> float:
        value = self.get(key, default)
        ok = (not isinstance(value, bool) and isinstance(value, (int, float))
              and math.isfinite(value) and (low < value if low_open else low <= value)
              and value <= high)
        if not ok:
            bound = f"> {low:g}" if low_open else f">= {low:g}"
            self.fail(self.key(key), f"must be a number {bound} and <= {high:g}, "
                                     f"not {describe_value(value)}")
        return float(value)

    def boolean(self, key: str, default: bool | None) -> bool | None:
        value = self.get(key, default)
        if value is not None and not isinstance(value, bool):
            self.fail(self.key(key), f"must be true or false, not {describe_value(value)}")
        return value

    def text(self, key: str, default: str | None, max_len: int = 10_000) -> str | None:
        value = self.get(key, default)
        if value is not None and (not isinstance(value, str) or len(value) > max_len):
            self.fail(self.key(key), f"must be text (at most {max_len:,} characters), "
                                     f"not {describe_value(value)}")
        return value

    def column(self, key: str, value: Any) -> str | int:
        """A CSV column, by name or 0-based index."""
        if isinstance(value, bool) or not isinstance(value, (str, int)) or (
                isinstance(value, int) and value < 0):
            self.fail(key, f"must be a column name or a 0-based column number, "
                           f"not {describe_value(value)}")
        return value

    def finish(self) -> None:
        """Unknown keys are errors: a misspelt key must not be silently ignored."""
        for key in self.data:
            if key not in self.used:
                known = ", ".join(sorted(self.used))
                self.fail(self.key(key), f"unknown key; the known keys here are: {known}")


def describe_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_project(data: Any, file: str = "", base_dir: Path | None = None) -> Project:
    """A Project from decoded JSON, every key checked."""
    top = Section(data, "", file)
    fmt = top.get("format", None)
    if fmt is None:
        top.fail("format", f'missing; a project file starts with "format": {FORMAT}')
    if fmt != FORMAT or isinstance(fmt, bool):
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
            top.fail("format", f"{fmt} is from a newer backprop-gui; this one reads format {FORMAT}")
        top.fail("format", f"must be {FORMAT}, not {describe_value(fmt)}")
    name = top.text("name", "", 200) or ""
    dataset = _parse_dataset(Section(top.get("dataset", {"kind": "xor"}), "dataset", file))
    network = _parse_network(Section(top.get("network", {}), "network", file))
    training = _parse_training(Section(top.get("training", {}), "training", file))
    extra = {key: top.get(key, None) for key in EXTRA_SECTIONS if key in top.data}
    top.finish()
    return Project(dataset, network, training, name, extra, base_dir, file)


def _parse_dataset(s: Section) -> DatasetConfig:
    kind = s.choice("kind", (*KINDS, "csv", "painted"), None)
    if kind is None:
        s.fail(s.key("kind"), f"missing; one of {', '.join((*KINDS, 'csv', 'painted'))}")
    c = DatasetConfig(kind=kind)
    c.samples = s.integer("samples", c.samples, 1, 1_000_000)
    c.noise = s.number("noise", c.noise, 0.0, 100.0)
    c.seed = s.integer("seed", c.seed, 0, 2**32 - 1)
    c.standardize = s.boolean("standardize", None)
    c.inputs = _parse_inputs(s, kind)
    if kind == "painted":
        c.task = s.choice("task", ("classification", "regression"), "classification")
        c.points = s.get("points", None)
        problem = points_problem(c.points, c.task)
        if problem:
            s.fail(s.key("points"), problem)
    if kind == "csv":
        c.path = s.text("path", None, 4096)
        if not c.path:
            s.fail(s.key("path"), "missing: the CSV file, relative to the project file")
        features = s.get("features", None)
        if features is not None:
            if not isinstance(features, list) or not features:
                s.fail(s.key("features"), "must be a non-empty list of column names or numbers")
            c.features = [s.column(f"{s.key('features')}[{i}]", f) for i, f in enumerate(features)]
        target = s.get("target", None)
        c.target = None if target is None else s.column(s.key("target"), target)
        c.header = s.boolean("header", None)
        c.delimiter = s.choice("delimiter", (",", ";", "\t"), None)
        c.task = s.choice("task", ("classification", "regression"), None)
        if c.inputs is not None and c.features is not None and len(c.features) != 2:
            s.fail(s.key("inputs"), f"derived inputs need data with two features; "
                                    f"{s.key('features')} names {len(c.features)}")
    s.finish()
    return c


def _parse_inputs(s: Section, kind: str) -> list[str] | None:
    """The derived inputs of 2-D data: known keys, each once, at least one. (A CSV file's
    width is known only once it is read: the experiment checks that.)"""
    inputs = s.get("inputs", None)
    if inputs is None:
        return None
    key = s.key("inputs")
    if not isinstance(inputs, list) or not inputs:
        s.fail(key, f"must be a non-empty list of {', '.join(INPUT_KEYS)}, "
                    f'e.g. ["x1^2", "x2^2"]; not {describe_value(inputs)}')
    for i, name in enumerate(inputs):
        if not isinstance(name, str) or name not in INPUT_KEYS:
            s.fail(f"{key}[{i}]", f"must be one of {', '.join(INPUT_KEYS)}; not {describe_value(name)}")
        if name in inputs[:i]:
            s.fail(f"{key}[{i}]", f"{describe_value(name)} is already in the list; name each input once")
    if kind not in ("csv", "painted"):  # painted data is always on the x1/x2 plane
        d = make_dataset(kind, 4, 0.0, 0).n_features
        if d != 2:
            s.fail(key, f"derived inputs need data with two features; {kind} has {d}")
    return list(inputs)


def _parse_network(s: Section) -> NetworkConfig:
    c = NetworkConfig()
    hidden = s.get("hidden", None)
    if hidden is not None:
        if not isinstance(hidden, list) or len(hidden) > 32:
            s.fail(s.key("hidden"), "must be a list of at most 32 layers, "
                                    'e.g. [{"units": 3, "activation": "sigmoid"}]')
        c.hidden = []
        for i, layer in enumerate(hidden):
            ls = Section(layer, f"{s.key('hidden')}[{i}]", s.file)
            units = ls.integer("units", None, 1, 1024) if "units" in layer else ls.fail(
                ls.key("units"), "missing: how many neurons this layer has")
            c.hidden.append(LayerConfig(units, ls.choice("activation", HIDDEN_ACTIVATIONS, "sigmoid")))
            ls.finish()
    c.output_activation = s.choice("output_activation", OUTPUT_ACTIVATIONS, None)
    c.init = s.choice("init", INITS, c.init)
    s.finish()
    return c


def _parse_training(s: Section) -> TrainingConfig:
    c = TrainingConfig()
    c.loss = s.choice("loss", tuple(LOSSES), None)
    c.optimizer = s.choice("optimizer", OPTIMIZERS, c.optimizer)
    c.learning_rate = s.number("learning_rate", c.learning_rate, 0.0, 1e6, low_open=True)
    c.batch_size = s.integer("batch_size", c.batch_size, 0, 10_000_000)
    c.epochs = s.integer("epochs", c.epochs, 1, 10**9)
    c.seed = s.integer("seed", c.seed, 0, 2**32 - 1)
    c.validation_fraction = s.number("validation_fraction", c.validation_fraction, 0.0, 0.9)
    c.patience = s.integer("patience", c.patience, 0, 10**9)
    c.l1 = s.number("l1", c.l1, 0.0, 1e3)
    c.l2 = s.number("l2", c.l2, 0.0, 1e3)
    c.dtype = s.choice("dtype", DTYPES, c.dtype)
    if c.patience and not c.validation_fraction:
        s.fail(s.key("patience"), "early stopping watches the validation loss: "
                                  "set validation_fraction above 0 too (e.g. 0.2)")
    s.finish()
    return c


# -- writing ---------------------------------------------------------------------------


def project_to_dict(project: Project) -> dict[str, Any]:
    """The JSON form of a project; keys left at None are left out."""

    def compact(d: dict) -> dict:
        return {k: v for k, v in d.items() if v is not None}

    dataset = compact(asdict(project.dataset))
    if project.dataset.kind != "csv":
        for key in ("path", "features", "target", "header", "delimiter"):
            dataset.pop(key, None)
    if project.dataset.kind not in ("csv", "painted"):
        dataset.pop("task", None)
    if project.dataset.kind != "painted":
        dataset.pop("points", None)
    out: dict[str, Any] = {"format": FORMAT}
    if project.name:
        out["name"] = project.name
    out["dataset"] = dataset
    out["network"] = compact(asdict(project.network))
    out["training"] = compact(asdict(project.training))
    out.update(project.extra)
    return out


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Write atomically: a temporary file beside the target, then a rename, so a crash
    never leaves half a project."""
    write_text_atomic(Path(path), json.dumps(project_to_dict(project), indent=2) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_file(path) as f:
        f.write(text)
