"""Reading a user's CSV file into a Dataset.

The files come from spreadsheets, other programs and other people, so everything in them
is checked, and every problem becomes one DatasetError that starts with the file name,
names the physical line and the column (number and header name) where it applies, says
what is wrong and what to do. Nothing is guessed that would change the numbers: the only
conveniences are the ones every spreadsheet export needs (a byte-order mark, CRLF, spaces
around cells, blank lines, a sniffed delimiter, a decimal comma in `;`-separated files).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .csv_text import (
    DELIMITERS,
    MAX_BYTES,
    MAX_MAGNITUDE,
    MISSING,
    Row,
    cell_problem,
    is_number,
    parse_numbers,
    printable,
    read_text,
    sniff_delimiter,
    split_rows,
)
from .data import Dataset
from .errors import DatasetError

TASKS = ("classification", "regression")
#: a target of whole numbers with at most this many values is read as class labels
MAX_INTEGER_CLASSES = 10
#: more classes than this are refused: one output neuron each would swamp the picture
MAX_CLASSES = 100
SNIFF_ROWS = 1000


def read_csv(
    path: str | os.PathLike[str],
    features: Sequence[str | int] | None = None,
    target: str | int | None = None,
    header: bool | None = None,
    delimiter: str | None = None,
    task: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> Dataset:
    """Read `path` into a Dataset. Columns are chosen by header name or 0-based index;
    by default the target is the last column and the features are all the others.
    `header`, `delimiter` and `task` ("classification" or "regression") are detected
    when None. Raises DatasetError, and only DatasetError, for anything wrong."""
    name = printable(os.fspath(path))
    with user_errors(name):
        _check_arguments(name, features, target, header, delimiter, task, max_bytes)
        table = _load_table(path, name, header, delimiter, max_bytes)
        return table.dataset(Path(path).name, features, target, task)


def read_table(path: str | os.PathLike[str], header: bool | None = None,
               delimiter: str | None = None, *, max_bytes: int = MAX_BYTES) -> CsvTable:
    """The file's rows and column names, checked as read_csv checks them before it
    chooses any column: what an import dialog previews. Raises only DatasetError."""
    name = printable(os.fspath(path))
    with user_errors(name):
        _check_arguments(name, None, None, header, delimiter, None, max_bytes)
        return _load_table(path, name, header, delimiter, max_bytes)


@contextmanager
def user_errors(name: str) -> Iterator[None]:
    """Whatever goes wrong inside becomes a DatasetError about file `name`: a file must
    never crash the program, so even a bug here is said in words."""
    try:
        yield
    except MemoryError:
        raise DatasetError(f"{name}: is too big to load into this computer's memory; "
                           "use a smaller sample of its rows") from None
    except DatasetError:
        raise
    except Exception as error:
        raise DatasetError(f"{name}: could not be read (unexpected {type(error).__name__}: "
                           f"{printable(str(error))}); please report this file") from error


# -- arguments and bytes --------------------------------------------------------------


def _check_arguments(name: str, features: object, target: object, header: object,
                     delimiter: object, task: object, max_bytes: object) -> None:
    if delimiter is not None and delimiter not in DELIMITERS:
        raise DatasetError(f"{name}: delimiter must be a comma, a semicolon or a tab "
                           f"(or none, to detect it), not {delimiter!r}")
    if task is not None and task not in TASKS:
        raise DatasetError(f'{name}: task must be "classification" or "regression" '
                           f"(or none, to detect it), not {task!r}")
    if header is not None and not isinstance(header, bool):
        raise DatasetError(f"{name}: header must be true, false or none (detect it), "
                           f"not {header!r}")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise DatasetError(f"{name}: max_bytes must be a whole number > 0, not {max_bytes!r}")
    if features is not None and (isinstance(features, (str, bytes))
                                 or not isinstance(features, Sequence)):
        raise DatasetError(f"{name}: features must be a list of column names or numbers, "
                           f"not {features!r}")
    for column in ([] if features is None else list(features)) + [target]:
        if column is not None and (isinstance(column, bool)
                                   or not isinstance(column, (str, int, np.integer))):
            raise DatasetError(f"{name}: a column is chosen by its name or its 0-based "
                               f"number, not by {column!r}")


# -- text to rows ---------------------------------------------------------------------


def _load_table(path: str | os.PathLike[str], name: str, header: bool | None,
                delimiter: str | None, max_bytes: int) -> CsvTable:
    text = read_text(Path(path), name, max_bytes)
    if not text.strip():
        raise DatasetError(f"{name}: is empty (only blank lines or spaces); a CSV file needs "
                           "a row per sample")
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    rows = split_rows(text, name, delimiter)
    if not rows:
        raise DatasetError(f"{name}: has no values, only empty rows; a CSV file needs a row "
                           "per sample")
    return CsvTable(name, rows, delimiter, header)


# -- rows to a Dataset ----------------------------------------------------------------


class CsvTable:
    """The rows of one file, its header (given or detected) and column names. `data`
    holds the rows below the header as (line, cells), every row as wide as the first."""

    def __init__(self, name: str, rows: list[Row], delimiter: str, header: bool | None):
        self.name = name
        self.delimiter = delimiter
        self.decimal_comma = delimiter == ";"
        self.rows = _without_empty_trailing_columns(rows)
        self.width = len(self.rows[0][1])
        self.first_line = self.rows[0][0]
        if self.width < 2:
            found = ""
            if len(rows[0][1]) > 1:
                found = " (the others are empty)"
            elif any(len(cells) > 1 for _, cells in rows):
                found = " (later lines have more: if it is a title or a note, delete it)"
            raise DatasetError(
                f"{name}: line {self.first_line}: has only one column{found}; values must be "
                f"separated by commas, semicolons or tabs (this file was read with "
                f"{DELIMITERS[delimiter]}s), and there must be feature columns and a target")
        self._check_widths(header)
        self.has_header = self._detect_header() if header is None else header
        if self.has_header and len(self.rows) == 1:
            raise DatasetError(f"{name}: has a header (line {self.first_line}) but no data rows; "
                               "add a row per sample below it")
        self.names = self._names()
        self.data = self.rows[1:] if self.has_header else self.rows

    def _check_widths(self, header: bool | None) -> None:
        for line, cells in self.rows:
            if len(cells) != self.width:
                headed = self._detect_header() if header is None else header
                first = (f"the header on line {self.first_line}" if headed
                         else f"the first row (line {self.first_line})")
                hint = (" (a decimal comma in a comma-separated file splits a number in two)"
                        if self.delimiter == "," else "")
                raise DatasetError(
                    f"{self.name}: line {line} has {len(cells)} fields, but {first} has "
                    f"{self.width}; every row needs one value per column: look for a missing "
                    f"or extra {DELIMITERS[self.delimiter]}{hint}")

    def _detect_header(self) -> bool:
        """A first row with a word over a column of numbers, or with no number at all
        over rows that hold numbers, is a header. A lone row of words is one too."""
        first = self.rows[0][1]
        rest = [cells for _, cells in self.rows[1:SNIFF_ROWS + 1]]
        if not any(self._number(c) for c in first) and (
                not rest or any(self._number(c) for cells in rest for c in cells)):
            return True
        for j, cell in enumerate(first):
            if cell.lower() in MISSING or self._number(cell):
                continue
            below = [cells[j] for cells in rest if j < len(cells)]
            if any(self._number(c) for c in below) and all(
                    self._number(c) or c.lower() in MISSING for c in below):
                return True
        return False

    def _names(self) -> list[str]:
        if not self.has_header:
            return [f"column {j + 1}" for j in range(self.width)]
        names = [cell or f"column {j + 1}" for j, cell in enumerate(self.rows[0][1])]
        seen: dict[str, int] = {}
        for j, column_name in enumerate(names):
            if column_name in seen:
                raise DatasetError(
                    f'{self.name}: line {self.first_line}: duplicate column name '
                    f'"{_show(column_name)}" (columns {seen[column_name] + 1} and {j + 1}); '
                    "give every column its own name")
            seen[column_name] = j
        return names

    def _number(self, cell: str) -> bool:
        return is_number(cell, self.decimal_comma)

    def where(self, line: int, column: int) -> str:
        """'line 4, column 2 ("age")': the column's name only when the file has one."""
        named = f' ("{_show(self.names[column])}")' if self.has_header else ""
        return f"{self.name}: line {line}, column {column + 1}{named}"

    # -- choosing columns

    def column(self, spec: str | int, role: str) -> int:
        if not isinstance(spec, str):
            if 0 <= spec < self.width:
                return int(spec)
            raise DatasetError(f"{self.name}: {role} column number {spec} is out of range; "
                               f"the file has {self.width} columns, numbered 0 to "
                               f"{self.width - 1}")
        if spec.strip() in self.names:
            return self.names.index(spec.strip())
        shown = ", ".join(f'"{_show(n)}"' for n in self.names[:30])
        more = f" and {self.width - 30} more" if self.width > 30 else ""
        named = "" if self.has_header else " (the file has no header, so they are named by number)"
        raise DatasetError(f'{self.name}: no column named "{_show(spec)}" for the {role}; '
                           f"the columns are {shown}{more}{named}")

    def choose(self, features: Sequence[str | int] | None,
               target: str | int | None) -> tuple[list[int], int]:
        t = self.width - 1 if target is None else self.column(target, "target")
        if features is None:
            chosen = [j for j in range(self.width) if j != t]
        else:
            chosen = [self.column(spec, "feature") for spec in features]
        for k, j in enumerate(chosen):
            if j == t:
                raise DatasetError(f'{self.name}: column {j + 1} ("{_show(self.names[j])}") is '
                                   "the target, so it cannot also be a feature; leave it out "
                                   "of the features")
            if j in chosen[:k]:
                raise DatasetError(f'{self.name}: column {j + 1} ("{_show(self.names[j])}") is '
                                   "listed twice as a feature; list each column once")
        if not chosen:
            raise DatasetError(f"{self.name}: no feature column is left; choose at least one "
                               "column besides the target")
        return chosen, t

    # -- values

    def dataset(self, short_name: str, features: Sequence[str | int] | None,
                target: str | int | None, task: str | None) -> Dataset:
        chosen, t = self.choose(features, target)
        X = np.empty((len(self.data), len(chosen)), dtype=np.float64)
        for k, j in enumerate(chosen):
            values = parse_numbers(self.column_cells(j), self.decimal_comma)
            if values is None:
                self._first_bad_feature(chosen)
            X[:, k] = values
        y, task, class_names = self.target(t, task)
        return Dataset(X, y, [self.names[j] for j in chosen], self.names[t], task,
                       class_names, short_name)

    def _first_bad_feature(self, chosen: list[int]) -> None:
        """Report the feature problem that comes first in the file."""
        for line, cells in self.data:
            for j in chosen:
                problem = cell_problem(cells[j], self.decimal_comma)
                if problem == "text":
                    hint = ""
                    if "," in cells[j] and not self.decimal_comma:
                        hint = " (decimal commas are read only in semicolon-separated files)"
                    elif line == self.first_line:
                        hint = " (if this row is a header, set header to true)"
                    raise DatasetError(
                        f'{self.where(line, j)}: "{_show(cells[j])}" is not a number{hint}; '
                        "feature columns must hold numbers (only the target may hold class "
                        "names): fix the cell or leave the column out of the features")
                if problem:
                    raise DatasetError(_value_message(self.where(line, j), cells[j], problem,
                                                      "feature"))
        raise AssertionError("a feature column failed to convert but no cell is wrong")

    def column_cells(self, j: int) -> tuple[str, ...]:
        """Column j's cells, row by row (a loop, not one long zip(*rows) call, so a
        thread reading a big file lets the window's thread run in between)."""
        return tuple(cells[j] for _, cells in self.data)

    def target(self, t: int, task: str | None) -> tuple[np.ndarray, str, list[str]]:
        """y, the task and the class names if column `t` were the target."""
        return self._target(self.column_cells(t), t, task)

    def _target(self, cells: tuple[str, ...], t: int,
                task: str | None) -> tuple[np.ndarray, str, list[str]]:
        """y, the task and the class names, as the docstring of read_csv promises."""
        values = parse_numbers(cells, self.decimal_comma)
        if values is None:
            kinds = [cell_problem(cell, self.decimal_comma) for cell in cells]
            for i, kind in enumerate(kinds):
                if kind in ("missing", "infinite"):
                    raise DatasetError(_value_message(self.where(self.data[i][0], t), cells[i],
                                                      kind, "target"))
            first = kinds.index("text")  # the cells are numbers, missing, infinite or text
            if task == "regression":
                raise DatasetError(
                    f'{self.where(self.data[first][0], t)}: target "{_show(cells[first])}" is '
                    'not a number, but task "regression" needs numbers; fix the cell, or '
                    'choose task "classification" to use the values as class names')
            if task is None:
                self._refuse_mixed_target(cells, kinds, t)
            return self._classes(cells, t, None)
        if task == "regression":
            return values, "regression", []
        whole = bool(np.all(values == np.round(values)))
        if task == "classification" or (whole and len(np.unique(values)) <= MAX_INTEGER_CLASSES):
            return self._classes(cells, t, values)
        return values, "regression", []

    def _refuse_mixed_target(self, cells: tuple[str, ...], kinds: list[str | None],
                             t: int) -> None:
        """Fractional numbers plus a word are most likely a typo in a regression target,
        not hundreds of classes: ask rather than guess."""
        numbers = [i for i, kind in enumerate(kinds) if kind is None]
        fractions = [i for i in numbers if not float(self._plain(cells[i])).is_integer()]
        if fractions:
            word = kinds.index("text")
            raise DatasetError(
                f'{self.where(self.data[word][0], t)}: target "{_show(cells[word])}" is not '
                f'a number, but other target values are (e.g. "{_show(cells[fractions[0]])}" '
                f"on line {self.data[fractions[0]][0]}); fix the cell, or choose task "
                '"classification" to use every value as a class name')

    def _classes(self, cells: tuple[str, ...], t: int,
                 values: np.ndarray | None) -> tuple[np.ndarray, str, list[str]]:
        """Class indices in the order of the sorted class names: by value for numbers
        (a class written both "1" and "1.0" is named "1"), else alphabetically."""
        labels, inverse = np.unique(np.asarray(cells, dtype=str), return_inverse=True)
        if values is None:
            names = [str(label) for label in labels]
            y = inverse
        else:
            numbers = np.array([float(self._plain(str(label))) for label in labels])
            distinct, of_label = np.unique(numbers, return_inverse=True)
            spelling: dict[int, str] = {}
            for label, k in zip(labels, of_label.tolist(), strict=True):
                spelling[k] = str(label) if k not in spelling else _number_name(distinct[k])
            names = [spelling[k] for k in range(len(distinct))]
            y = of_label[inverse]
        if len(names) < 2:
            raise DatasetError(
                f'{self.name}: the target, column {t + 1} ("{_show(self.names[t])}"), holds '
                f'the single class "{_show(names[0])}" in all {len(cells)} rows; a classifier '
                "needs at least two classes: choose another target column or add samples of "
                "another class")
        if len(names) > MAX_CLASSES:
            raise DatasetError(
                f'{self.name}: the target, column {t + 1} ("{_show(self.names[t])}"), holds '
                f"{len(names):,} different values; a classifier here takes at most "
                f"{MAX_CLASSES} classes: if the target is a measurement, use regression, "
                "else choose another target column")
        task = "binary" if len(names) == 2 else "multiclass"
        return np.asarray(y, dtype=np.int64).reshape(-1), task, names

    def _plain(self, cell: str) -> str:
        return cell.replace(",", ".") if self.decimal_comma else cell


def _without_empty_trailing_columns(rows: list[Row]) -> list[Row]:
    """A delimiter at the end of every line (some exporters write one) makes an empty
    last column, header included; it holds nothing, so it is dropped."""
    width = len(rows[0][1])
    keep = width
    while keep > 1 and all(len(cells) == width and not cells[keep - 1] for _, cells in rows):
        keep -= 1
    if keep == width:
        return rows
    return [(line, cells[:keep]) for line, cells in rows]


def _value_message(where: str, cell: str, problem: str, role: str) -> str:
    if problem == "missing":
        shown = f' ("{_show(cell)}")' if cell else ""
        return (f"{where}: missing {role} value{shown}; every row needs a value in each "
                "feature and in the target: fill it in or delete the row")
    limit = f"{MAX_MAGNITUDE:.0e}".replace("e+", "e")  # 1e150
    return (f'{where}: {role} value "{_show(cell)}" is infinite or too large (beyond '
            f"±{limit}, whose square overflows a 64-bit float); use a smaller number, or "
            "rescale the column")


def _number_name(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(float(value))


def _show(text: str, limit: int = 40) -> str:
    """A cell for a one-line message: cut short, control characters escaped."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return printable(text)



