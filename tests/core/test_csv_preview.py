"""The import dialog's preview: the reader's own detection and refusals (the same message
as read_csv for a file that cannot be read), what each column holds, the problem a
target makes, and a summary that warns of every fault the full read would stop at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backprop_gui.core.csv_preview import PREVIEW_ROWS, preview_csv, summary
from backprop_gui.core.csv_reader import read_csv
from backprop_gui.core.errors import DatasetError

CSV = Path(__file__).parents[1] / "data" / "csv"
GOOD, BAD = CSV / "good", CSV / "bad"
BAD_FILES = sorted(json.loads((BAD / "expected.json").read_text()))


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_preview_of_a_headed_file():
    p = preview_csv(GOOD / "string_labels.csv")
    assert p.delimiter == "," and p.header is True
    assert p.names == ["sepal_length", "sepal_width", "species"]
    assert p.n_rows == 9 and len(p.rows) == 9 and p.lines[0] == 2
    assert p.rows[0] == ["5.1", "3.5", "setosa"]
    assert [c.kind for c in p.columns] == ["numeric", "numeric", "text"]
    assert p.columns[2].distinct == 3 and p.columns[2].describe() == "text, 3 values"
    assert p.suggested_target == 2
    target = p.target(2)
    assert target.task == "multiclass" and target.problem == "classification"
    assert target.class_names == ["setosa", "versicolor", "virginica"]
    assert target.class_counts == [3, 3, 3]


def test_only_the_first_rows_are_kept_for_showing(tmp_path):
    path = write(tmp_path, "x,y\n" + "".join(f"{i},{i * 0.5}\n" for i in range(100)))
    p = preview_csv(path)
    assert p.n_rows == 100 and len(p.rows) == PREVIEW_ROWS == len(p.lines)
    assert p.lines[:2] == [2, 3]
    t = p.target(1)
    assert t.task == "regression" and (t.low, t.high) == (0.0, 49.5)


def test_overrides_change_the_reading(tmp_path):
    p = preview_csv(GOOD / "no_header.csv")
    assert p.header is False and p.names == ["column 1", "column 2", "column 3"]
    forced = preview_csv(GOOD / "no_header.csv", header=True)
    assert forced.header is True and forced.n_rows == p.n_rows - 1
    assert forced.names == p.rows[0]
    semicolon = preview_csv(GOOD / "semicolon_decimal_comma.csv")
    assert semicolon.delimiter == ";" and semicolon.columns[0].kind == "numeric"
    with pytest.raises(DatasetError, match="has only one column"):
        preview_csv(GOOD / "semicolon_decimal_comma.csv", delimiter=",")
    with pytest.raises(DatasetError, match="delimiter must be"):
        preview_csv(GOOD / "tab.csv", delimiter="|")


def test_forcing_the_task(tmp_path):
    p = preview_csv(GOOD / "integer_labels.csv")
    assert p.target(2).task == "multiclass"
    assert p.target(2, "regression").task == "regression"
    words = preview_csv(GOOD / "tab.csv")
    with pytest.raises(DatasetError, match='task "regression" needs numbers'):
        words.target(2, "regression")
    with pytest.raises(DatasetError, match='task "regression" needs numbers'):  # remembered
        words.target(2, "regression")


def test_missing_and_odd_cells_are_counted_and_found():
    p = preview_csv(BAD / "missing_feature_na.csv")
    x2 = p.columns[1]
    assert x2.missing == 1 and x2.kind == "numeric" and not x2.usable_as_feature
    assert x2.first_problem_line == 5 and x2.describe() == "numbers, 1 missing"
    row = p.lines.index(5)
    assert p.odd_cell(row, 1) == "missing" and p.odd_cell(row, 0) is None
    typo = preview_csv(BAD / "non_numeric_feature.csv")
    assert typo.columns[1].describe() == "mostly numbers, 1 text"
    assert typo.odd_cell(typo.lines.index(4), 1) == "text"
    labels = preview_csv(GOOD / "tab.csv")  # words in a column of words are class names
    assert labels.odd_cell(0, 2) is None


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_fail_where_read_csv_fails_or_the_summary_warns(name):
    """A file read_csv refuses is refused by the preview with the same message, or the
    preview reads and its summary for read_csv's default choices warns of the fault."""
    with pytest.raises(DatasetError) as caught:
        read_csv(BAD / name)
    try:
        p = preview_csv(BAD / name)
    except DatasetError as error:
        assert str(error) == str(caught.value)
        return
    features = [j for j in range(len(p.names)) if j != p.suggested_target]
    try:
        target = p.target(p.suggested_target)
    except DatasetError as error:
        assert str(error) == str(caught.value)
        target = str(error)
    lines = summary(p, features, target)
    assert any(level != "info" for level, _ in lines), lines


def test_summary_in_words():
    p = preview_csv(GOOD / "string_labels.csv")
    lines = summary(p, [0, 1], p.target(2))
    assert lines == [("info", "9 rows, 2 features."),
                     ("info", "3 classes: setosa (3), versicolor (3), virginica (3)."),
                     ("info", "No missing values in these columns.")]
    assert ("warning", "Tick at least one feature.") in summary(p, [], p.target(2))
    bad = preview_csv(BAD / "missing_feature_na.csv")
    warning = summary(bad, [0, 1], bad.target(2))[2]
    assert warning[0] == "warning" and '"x2" (first at line 5) has 1 missing value' in warning[1]
