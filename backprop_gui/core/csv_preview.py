"""What the CSV import dialog shows before anything is loaded: the first rows, the
delimiter and header in use, what each column holds, and what the problem would be for
a choice of target. Built on the reader's own table (csv_reader.read_table), so the
preview detects, splits and refuses exactly what read_csv will."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .csv_reader import CsvTable, read_table, user_errors
from .csv_text import MAX_BYTES, cell_problem, parse_numbers
from .errors import DatasetError

#: data rows the dialog shows
PREVIEW_ROWS = 20


@dataclass(frozen=True)
class ColumnInfo:
    """What one column holds, counted over every data row."""

    name: str
    numbers: int
    texts: int  # cells that are neither numbers nor missing: class names, or typos
    missing: int  # empty, NA, N/A, NaN, null, ?
    infinite: int
    distinct: int
    #: the file line of the first missing, text or infinite cell (None if there is none)
    first_problem_line: int | None

    @property
    def kind(self) -> str:
        """ "numeric" when every present value is a number, else "text"."""
        return "numeric" if self.texts == 0 else "text"

    @property
    def usable_as_feature(self) -> bool:
        return self.texts == self.missing == self.infinite == 0

    def describe(self) -> str:
        """A few words for the column list: "numbers, 2 missing", "text, 3 values"."""
        if self.kind == "text" and self.numbers > self.texts:
            words = [f"mostly numbers, {self.texts:,} text"]
        elif self.kind == "text":
            words = [f"text, {self.distinct:,} value{'s' * (self.distinct != 1)}"]
        else:
            words = ["numbers"]
        if self.missing:
            words.append(f"{self.missing:,} missing")
        if self.infinite:
            words.append(f"{self.infinite:,} infinite")
        return ", ".join(words)


@dataclass(frozen=True)
class TargetInfo:
    """The problem a choice of target makes: its task and, for classification, the
    classes with how many rows each; for regression, the range of the values."""

    column: int
    task: str  # "binary", "multiclass" or "regression" (as Dataset.task)
    class_names: list[str]
    class_counts: list[int]
    low: float = 0.0
    high: float = 0.0

    @property
    def problem(self) -> str:
        """ "classification" or "regression": the word a project file uses."""
        return "regression" if self.task == "regression" else "classification"


class CsvPreview:
    """One read of a file with a delimiter and header (each given or detected)."""

    def __init__(self, path: Path, table: CsvTable):
        self.path = path
        self.table = table
        self.delimiter = table.delimiter
        self.header = table.has_header
        self.names = list(table.names)
        self.n_rows = len(table.data)
        shown = table.data[:PREVIEW_ROWS]
        self.lines = [line for line, _ in shown]
        self.rows = [list(cells) for _, cells in shown]
        self.columns = [self._column(j) for j in range(table.width)]
        self._targets: dict[tuple[int, str | None], TargetInfo | DatasetError] = {}

    @property
    def suggested_target(self) -> int:
        """The last column, as read_csv assumes when no target is given."""
        return len(self.names) - 1

    def target(self, column: int, task: str | None = None) -> TargetInfo:
        """What column `column` as the target gives, with `task` ("classification",
        "regression" or None to detect it). Raises DatasetError as read_csv would."""
        key = (column, task)
        if key not in self._targets:  # remembered: a big file's target takes a moment
            try:
                self._targets[key] = self._target(column, task)
            except DatasetError as error:
                self._targets[key] = error
        found = self._targets[key]
        if isinstance(found, DatasetError):
            raise DatasetError(str(found)) from None
        return found

    def _target(self, column: int, task: str | None) -> TargetInfo:
        with user_errors(self.table.name):
            y, found, class_names = self.table.target(column, task)
            if found == "regression":
                return TargetInfo(column, found, [], [], float(y.min()), float(y.max()))
            counts = np.bincount(y, minlength=len(class_names)).tolist()
            return TargetInfo(column, found, class_names, counts)

    def odd_cell(self, i: int, j: int) -> str | None:
        """What is wrong with shown cell (row i, column j), if anything: "missing",
        "infinite", or "text" for a word in a column of numbers (a typo, not a class)."""
        problem = cell_problem(self.rows[i][j], self.table.decimal_comma)
        column = self.columns[j]
        if problem == "text" and column.numbers < column.texts:
            return None  # a column of words: class names
        return problem

    def _column(self, j: int) -> ColumnInfo:
        cells = self.table.column_cells(j)
        distinct = len(set(cells))
        if parse_numbers(cells, self.table.decimal_comma) is not None:  # the common case, fast
            return ColumnInfo(self.names[j], len(cells), 0, 0, 0, distinct, None)
        counts = {"missing": 0, "infinite": 0, "text": 0, None: 0}
        first = None
        for (line, _), cell in zip(self.table.data, cells, strict=True):
            problem = cell_problem(cell, self.table.decimal_comma)
            counts[problem] += 1
            if problem and first is None:
                first = line
        return ColumnInfo(self.names[j], counts[None], counts["text"], counts["missing"],
                          counts["infinite"], distinct, first)


def preview_csv(path: str | os.PathLike[str], delimiter: str | None = None,
                header: bool | None = None, *, max_bytes: int = MAX_BYTES) -> CsvPreview:
    """Read `path` for the import dialog; `delimiter` and `header` override detection.
    Raises DatasetError, and only DatasetError, exactly where read_csv would."""
    table = read_table(path, header=header, delimiter=delimiter, max_bytes=max_bytes)
    with user_errors(table.name):
        return CsvPreview(Path(path), table)


# -- in words, for the dialog -----------------------------------------------------------

DELIMITER_LABELS = {",": "Comma ( , )", ";": "Semicolon ( ; )", "\t": "Tab"}
#: classes listed by name in the summary; the rest are counted
SHOWN_CLASSES = 12


def column_note(column: ColumnInfo) -> str:
    """A column's tooltip: what it holds and, if it cannot be a feature, why."""
    note = f'"{column.name}": {column.describe()}.'
    if not column.usable_as_feature:
        note += (f" As a feature it would stop the import at line {column.first_problem_line}: "
                 "a feature needs a number in every row.")
    return note


def summary(preview: CsvPreview, features: list[int],
            target: TargetInfo | str) -> list[tuple[str, str]]:
    """What an import with these choices gives, and what would stop it, as (level, text)
    lines; level is "info", "warning" or "error". `target` is the TargetInfo of the
    chosen target, or the message of the DatasetError it raised."""
    lines = [("info", f"{preview.n_rows:,} rows, {len(features)} feature"
                      f"{'s' * (len(features) != 1)}.")]
    if isinstance(target, str):
        lines.append(("error", target))
    elif target.task == "regression":
        lines.append(("info", f"Regression: target values from {target.low:g} to "
                              f"{target.high:g}."))
    else:
        counts = [f"{name} ({count:,})" for name, count in
                  zip(target.class_names[:SHOWN_CLASSES], target.class_counts, strict=False)]
        more = len(target.class_names) - SHOWN_CLASSES
        lines.append(("info", f"{len(target.class_names)} classes: {', '.join(counts)}"
                              + (f" and {more} more." if more > 0 else ".")))
    if not features:
        lines.append(("warning", "Tick at least one feature."))
    missing = 0
    for j in features:
        column = preview.columns[j]
        missing += column.missing
        where = f'"{column.name}" (first at line {column.first_problem_line})'
        if column.texts:
            lines.append(("warning", f"{where} holds text: the import will stop there; a "
                                     "feature needs numbers, so untick it or fix the cell."))
        elif column.missing or column.infinite:
            count = column.missing or column.infinite
            what = f"{count:,} {'missing' if column.missing else 'infinite'} value{'s' * (count > 1)}"
            lines.append(("warning", f"{where} has {what}: the import will stop there; "
                                     "untick it or fill the cells in."))
    if not missing and not isinstance(target, str):
        lines.append(("info", "No missing values in these columns."))
    return lines
