"""The data half of an exported script, shared by the NumPy and the PyTorch export: Python
source that rebuilds a project's data exactly as the program does (the built-in set's own
generator, the CSV file read with the same columns, the painted points or the XOR table),
then the validation split, the derived inputs and the standardising, in that order.

Only the pieces the project uses are written, so a student reads what ran and nothing else.
Every number that goes into the text is written with repr(), which reads back exactly."""

from __future__ import annotations

import codecs
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .csv_reader import read_table
from .csv_text import parse_numbers
from .datasets import BLOB_SPREAD, PLANE_SLOPES
from .experiment import Experiment
from .features import input_names


@dataclass(frozen=True)
class DataCode:
    """Source text for one project's data: imports it needs, the settings lines (constants a
    student may change), and the functions, ending with prepared_data()."""

    imports: tuple[str, ...]
    settings: str
    functions: str


def code(text: str, **fields: str) -> str:
    """A block of source written indented inside this module, as it goes into the script;
    each <<name>> in it is replaced by fields[name] after dedenting (so a field may span
    lines, indented for where it goes)."""
    text = textwrap.dedent(text).strip("\n") + "\n"
    for name, value in fields.items():
        text = text.replace(f"<<{name}>>", value)
    return text


def section(title: str) -> str:
    """A comment line that heads a part of the script: # -- Title ---------..."""
    return f"# -- {title} ".ljust(92, "-")


def joined(header: str, parts: list[str]) -> str:
    """A part of the script: its header line, then its pieces two blank lines apart."""
    return header + "\n\n" + "\n\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def usage(script: str, rows: list[tuple[str, str]]) -> str:
    """The docstring's lines of example commands, their explanations lined up."""
    commands = [f"python {script}{' ' + options if options else ''}" for options, _ in rows]
    width = max(map(len, commands)) + 2
    if 4 + width + max(len(what) for _, what in rows) > 92:  # a long name: explain below
        return "\n".join(f"    {command}\n        {what}" for command, (_, what) in zip(commands, rows))
    return "\n".join(f"    {command.ljust(width)}{what}"
                     for command, (_, what) in zip(commands, rows))


def _fill(items: str, indent: str, width: int) -> str:
    """Items joined by ", " wrapped into lines; numbers are never broken (1e-05 has a hyphen)."""
    return textwrap.fill(items, width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


def plain(text: str) -> str:
    """User text (a project's name, a column's) made safe for a comment or a docstring: one
    line, printable, no quote or backslash that could end or escape the string."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.replace("\\", "/").replace('"', "'").split())


def number(value: float) -> str:
    """A float as the shortest text that reads back to the same float."""
    return repr(float(value))


def array_literal(values: np.ndarray, indent: int = 4, width: int = 92) -> str:
    """`np.array([...])` source of a 1-D or 2-D array, one row per line, exact."""
    pad = " " * indent
    if values.ndim == 1:
        items = ", ".join(map(number, values))
        if len(items) + indent + 20 <= width:
            return f"np.array([{items}])"
        return f"np.array([\n{_fill(items, pad + '    ', width)},\n{pad}])"
    rows = ["[" + _fill(", ".join(map(number, row)), pad + "     ", width).lstrip() + "],"
            for row in values]
    return "np.array([\n" + "\n".join(pad + "    " + row for row in rows) + f"\n{pad}])"


def data_code(experiment: Experiment) -> DataCode:
    """The data section of the script for this experiment's project."""
    project = experiment.project
    kind = project.dataset.kind
    imports: list[str] = []
    if kind == "csv":
        imports = ["import csv", "from pathlib import Path"]
        settings, load = _csv(experiment)
    elif kind == "painted":
        settings, load = "", _painted(experiment)
    elif kind == "xor":
        settings, load = "", _XOR
    else:
        settings, load = _built_in(experiment)
    parts = [load.rstrip("\n") + "\n"]
    t = project.training
    if experiment.validation_set is not None:
        settings += (f"VALIDATION_FRACTION = {number(t.validation_fraction)}"
                     "  # held out, drawn with SEED; never trained on\n")
        parts.append(_SPLIT_CLASSES if experiment.dataset.is_classification else _SPLIT_ALL)
    if experiment.inputs is not None:
        parts.append(_derived(experiment))
    parts.append(_targets(experiment))
    parts.append(_prepared(experiment))
    return DataCode(tuple(imports), settings, "\n\n".join(parts))


# -- the raw data ------------------------------------------------------------------------

_XOR = code('''
    def load_data():
        """The XOR table of the reference example, in its order: (x1, x2) -> x1 XOR x2."""
        X = np.array([[1, 1], [0, 1], [1, 0], [0, 0]], dtype=np.float64)
        y = np.array([0, 1, 1, 0])
        return X, y
''')

_CLASS_HELPERS = code('''
    def class_sizes(samples, classes):
        """`samples` split as evenly as possible over the classes (the first get the rest)."""
        return [samples // classes + (k < samples % classes) for k in range(classes)]


    def noisy_and_shuffled(X, y, rng):
        """Gaussian noise on both coordinates, then the samples shuffled (no class in a block)."""
        X = X + rng.normal(0, 1, X.shape) * NOISE
        order = rng.permutation(len(y))
        return X[order], y[order]
''')

_GENERATORS = {
    "circles": code('''
        def load_data():
            """Circles: class 0 fills a disc of radius 0.5; class 1 is a ring from radius 0.9
            to 1.2."""
            rng = np.random.default_rng(DATA_SEED)
            inner, outer = class_sizes(SAMPLES, 2)
            radius = np.concatenate([0.5 * np.sqrt(rng.uniform(0, 1, inner)),
                                     rng.uniform(0.9, 1.2, outer)])
            angle = rng.uniform(0, 2 * np.pi, inner + outer)
            X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
            y = np.repeat([0, 1], [inner, outer])
            return noisy_and_shuffled(X, y, rng)
    '''),
    "moons": code('''
        def load_data():
            """Moons: two interleaving half circles of radius 1, centred on 0."""
            rng = np.random.default_rng(DATA_SEED)
            upper, lower = class_sizes(SAMPLES, 2)
            t0, t1 = rng.uniform(0, np.pi, upper), rng.uniform(0, np.pi, lower)
            X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                                np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
            y = np.repeat([0, 1], [upper, lower])
            return noisy_and_shuffled(X - [0.5, 0.25], y, rng)
    '''),
    "blobs": code(f'''
        def load_data():
            """Blobs: two round Gaussian blobs centred on (-0.7, -0.7) and (0.7, 0.7)."""
            rng = np.random.default_rng(DATA_SEED)
            sizes = class_sizes(SAMPLES, 2)
            centres = np.repeat([[-0.7, -0.7], [0.7, 0.7]], sizes, axis=0)
            X = centres + rng.normal(0, {number(BLOB_SPREAD)}, centres.shape)
            y = np.repeat([0, 1], sizes)
            return noisy_and_shuffled(X, y, rng)
    '''),
    "spiral": code('''
        def load_data():
            """Spiral: CLASSES arms winding one full turn out from the centre to radius 1.3,
            evenly rotated against each other, so the classes interleave."""
            rng = np.random.default_rng(DATA_SEED)
            y = np.repeat(np.arange(CLASSES), class_sizes(SAMPLES, CLASSES))
            t = rng.uniform(0, 1, len(y))
            angle = 2 * np.pi * (t + y / CLASSES)
            X = np.column_stack([1.3 * t * np.cos(angle), 1.3 * t * np.sin(angle)])
            return noisy_and_shuffled(X, y, rng)
    '''),
    "sine": code('''
        def load_data():
            """Sine: y = sin(x) + noise for x uniform in [-pi, pi]: one full period to fit."""
            rng = np.random.default_rng(DATA_SEED)
            x = rng.uniform(-np.pi, np.pi, SAMPLES)
            y = np.sin(x) + rng.normal(0, 1, SAMPLES) * NOISE
            return x.reshape(-1, 1), y
    '''),
    "plane": code(f'''
        def load_data():
            """Plane: y = {PLANE_SLOPES[0]:g} x1 {PLANE_SLOPES[1]:+g} x2 + noise for (x1, x2)
            uniform in [-1, 1]²."""
            rng = np.random.default_rng(DATA_SEED)
            X = rng.uniform(-1, 1, (SAMPLES, 2))
            y = X @ np.array([{number(PLANE_SLOPES[0])}, {number(PLANE_SLOPES[1])}]) \\
                + rng.normal(0, 1, SAMPLES) * NOISE
            return X, y
    '''),
}


def _built_in(experiment: Experiment) -> tuple[str, str]:
    d = experiment.project.dataset
    kind = "spiral" if d.kind == "spiral3" else d.kind
    settings = (f"DATA_SEED = {d.seed}  # the data are drawn from np.random.default_rng(DATA_SEED)\n"
                f"SAMPLES = {d.samples}\n"
                f"NOISE = {number(d.noise)}  # standard deviation of the Gaussian noise\n")
    if kind == "spiral":
        settings += f"CLASSES = {3 if d.kind == 'spiral3' else 2}  # spiral arms\n"
    load = _GENERATORS[kind]
    if experiment.dataset.is_classification:
        load = _CLASS_HELPERS + "\n\n" + load
    return settings, load


def _painted(experiment: Experiment) -> str:
    d = experiment.project.dataset
    rows = np.asarray(d.points, dtype=np.float64).reshape(-1, 3)
    points = _fill(", ".join("[" + ",".join(map(number, row)) + "]" for row in rows), "    ", 92)
    if d.task == "regression":
        what, target = "value", "y = POINTS[:, 2].copy()  # the painted value of each point"
    else:
        what, target = "class", ("# classes numbered 0, 1, ... without gaps, in the order of their numbers\n"
                                 "    _, y = np.unique(POINTS[:, 2].astype(np.int64), return_inverse=True)")
    return code('''
        # the painted points, one [x1, x2, <<what>>] each
        POINTS = np.array([
        <<points>>
        ])


        def load_data():
            """The points painted in the program."""
            X = POINTS[:, :2].copy()
            <<target>>
            return X, y
    ''', what=what, points=points, target=target)


def _csv(experiment: Experiment) -> tuple[str, str]:
    """Settings and reader for the project's CSV file: the delimiter, header and columns
    found by the program's own reader, so the script reads the same numbers."""
    project = experiment.project
    d = project.dataset
    path = Path(project.csv_path()).resolve()
    table = read_table(path, header=d.header, delimiter=d.delimiter)
    features, target = table.choose(d.features, d.target)
    with open(path, "rb") as file:
        raw = file.read(4)
    encoding = "utf-8-sig"
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            encoding = name
            break
    names = [plain(table.names[j]) for j in features]
    shown = textwrap.fill(textwrap.shorten("the columns, counted from 0; the features: "
                                           + ", ".join(names), 240, placeholder=" ..."),
                          90, initial_indent="# ", subsequent_indent="# ")
    settings = (
        "# the CSV file where the program read it (if it is not there, the script looks for\n"
        "# a file of the same name beside itself)\n"
        f"CSV_FILE = Path({path.as_posix()!r})\n"
        f"ENCODING = {encoding!r}\n"
        f"DELIMITER = {table.delimiter!r}\n"
        f"HEADER = {table.has_header}  # the first row names the columns\n"
        f"DECIMAL_COMMA = {table.decimal_comma}  # 1,5 means 1.5\n"
        f"{shown}\n"
        f"FEATURE_COLUMNS = {features}\n"
        f"TARGET_COLUMN = {target}  # {plain(table.names[target])}\n")
    dataset = experiment.dataset
    if dataset.task == "regression":
        target_code = "y = np.array([number(row[TARGET_COLUMN]) for row in rows])"
    elif parse_numbers(table.column_cells(target), table.decimal_comma) is not None:
        target_code = ("# classes numbered 0, 1, ... in the order of their values\n"
                       "    _, y = np.unique([number(row[TARGET_COLUMN]) for row in rows], "
                       "return_inverse=True)")
    else:
        target_code = ("# classes numbered 0, 1, ... in the alphabetical order of their names\n"
                       "    _, y = np.unique([row[TARGET_COLUMN] for row in rows], "
                       "return_inverse=True)")
    load = code('''
        def number(cell):
            return float(cell.replace(",", ".") if DECIMAL_COMMA else cell)


        def load_data():
            """The feature columns and the target of the CSV file, one row per sample."""
            path = CSV_FILE if CSV_FILE.exists() else Path(__file__).with_name(CSV_FILE.name)
            with open(path, newline="", encoding=ENCODING) as file:
                rows = [[cell.strip() for cell in row]
                        for row in csv.reader(file, delimiter=DELIMITER, skipinitialspace=True)]
            rows = [row for row in rows if any(row)]  # blank lines and rows of only delimiters
            if HEADER:
                rows = rows[1:]
            X = np.array([[number(row[j]) for j in FEATURE_COLUMNS] for row in rows])
            <<target>>
            return X, y
    ''', target=target_code)
    return settings, load


# -- what is done to the data before training ---------------------------------------------

_SPLIT_CLASSES = code('''
    def split_validation(X, y):
        """Hold out VALIDATION_FRACTION of each class (so both parts see every class), drawn
        with SEED; returns X_train, y_train, X_val, y_val."""
        rng = np.random.default_rng(SEED)
        held_out = []
        for k in range(int(y.max()) + 1):
            rows = np.flatnonzero(y == k)
            held_out.append(rng.permutation(rows)[:int(round(VALIDATION_FRACTION * len(rows)))])
        val_rows = np.sort(np.concatenate(held_out))
        train_rows = np.setdiff1d(np.arange(len(y)), val_rows)
        return X[train_rows], y[train_rows], X[val_rows], y[val_rows]
''')

_SPLIT_ALL = code('''
    def split_validation(X, y):
        """Hold out VALIDATION_FRACTION of the samples, drawn with SEED; returns
        X_train, y_train, X_val, y_val."""
        rng = np.random.default_rng(SEED)
        rows = np.arange(len(y))
        val_rows = np.sort(rng.permutation(rows)[:int(round(VALIDATION_FRACTION * len(rows)))])
        train_rows = np.setdiff1d(rows, val_rows)
        return X[train_rows], y[train_rows], X[val_rows], y[val_rows]
''')

#: each derived input (features.INPUT_KEYS) as an expression in x1, x2
_DERIVED = {"x1": "x1", "x2": "x2", "x1^2": "x1 ** 2", "x2^2": "x2 ** 2", "x1*x2": "x1 * x2",
            "sin(x1)": "np.sin(x1)", "sin(x2)": "np.sin(x2)"}


def _derived(experiment: Experiment) -> str:
    inputs = experiment.inputs or []
    names = ", ".join(input_names(inputs))
    columns = ", ".join(_DERIVED[key] for key in inputs)
    return code(f'''
        def derived_inputs(X):
            """What the network sees instead of the raw points (x1, x2): {names}."""
            x1, x2 = X[:, 0], X[:, 1]
            return np.column_stack([{columns}])
    ''')


def _targets(experiment: Experiment) -> str:
    if experiment.dataset.task == "multiclass":
        return code('''
            def targets(y):
                """Class indices -> one-hot rows: class k is a 1 in column k."""
                return np.eye(LAYER_SIZES[-1], dtype=DTYPE)[y]
        ''')
    what = "0 or 1" if experiment.dataset.task == "binary" else "the value to fit"
    return code(f'''
        def targets(y):
            """The target of each sample as a row of one number ({what})."""
            return y.astype(DTYPE).reshape(-1, 1)
    ''')


def _prepared(experiment: Experiment) -> str:
    """prepared_data(): raw data -> split -> derived inputs -> standardise, the program's order."""
    validation = experiment.validation_set is not None
    X, y = ("X_train", "y_train") if validation else ("X", "y")
    lines = ["X, y = load_data()"]
    if validation:
        lines.append("X_train, y_train, X_val, y_val = split_validation(X, y)")
    if experiment.inputs is not None:
        lines.append(f"{X} = derived_inputs({X})")
        if validation:
            lines.append("X_val = derived_inputs(X_val)")
    if experiment.standardizer is not None:
        lines += ["# standardise with the training part's statistics: x' = (x − mean) / std",
                  "# (a constant input keeps std 1)",
                  f"mean, std = {X}.mean(axis=0), {X}.std(axis=0)",
                  "std = np.where(std > 0, std, 1.0)",
                  f"{X} = ({X} - mean) / std"]
        if validation:
            lines.append("X_val = (X_val - mean) / std")
    val = "(X_val.astype(DTYPE), targets(y_val), y_val)" if validation else "None"
    lines.append(f"train = {X}.astype(DTYPE), targets({y}), {y}")
    lines.append(f"return train, {val}")
    body = "\n".join("    " + line for line in lines)
    return ('def prepared_data():\n'
            '    """The training and validation sets as (X, Y, labels): inputs one row per '
            'sample,\n    targets as the network outputs them, and class indices (or values)."""\n'
            + body + "\n")
