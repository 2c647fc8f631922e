"""Reading users' CSV files: awkward but valid files load with the right numbers, and every
malformed one gives a DatasetError naming the file, the line, the column and the fault."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import numpy as np
import pytest

from backprop_gui.core import csv_reader, csv_text
from backprop_gui.core.csv_reader import read_csv
from backprop_gui.core.data import Dataset
from backprop_gui.core.errors import DatasetError

CSV = Path(__file__).parents[1] / "data" / "csv"
GOOD, BAD = CSV / "good", CSV / "bad"
MANIFEST = json.loads((BAD / "expected.json").read_text())

# file: (features, target, task, class names, y, first row of X)
GOOD_FILES = {
    "bom_crlf.csv": (["x1", "x2"], "label", "binary", ["0", "1"], [0, 1, 0, 1, 0, 1],
                     [0.5, 1.25]),
    "semicolon_decimal_comma.csv": (["Länge", "Breite"], "Preis", "regression", [],
                                    [10.25, 8.0, 12.5, 9.75, 11.0], [1.5, 2.0]),
    "tab.csv": (["a", "b"], "kind", "binary", ["cat", "dog"], [0, 1, 0, 1], [1, 2]),
    "spaces.csv": (["x1", "x2"], "y", "binary", ["0", "1"], [0, 1, 0, 1], [1.5, 2.5]),
    "blank_lines.csv": (["x1", "x2"], "y", "binary", ["0", "1"], [0, 1, 0, 1], [1, 2]),
    "integer_labels.csv": (["f1", "f2"], "digit", "multiclass", ["0", "1", "2"],
                           [0, 1, 2, 1, 2, 0, 0, 1, 2, 1, 2, 0], [0, 0]),
    "string_labels.csv": (["sepal_length", "sepal_width"], "species", "multiclass",
                          ["setosa", "versicolor", "virginica"], [0, 1, 2] * 3, [5.1, 3.5]),
    "constant_column.csv": (["x", "const"], "y", "binary", ["0", "1"], [0, 1, 0, 1], [1, 5]),
    "no_header.csv": (["column 1", "column 2"], "column 3", "binary", ["0", "1"],
                      [0, 1, 0, 1], [0.1, 0.2]),
    "quoted.csv": (["width, cm", 'height "h"'], "label", "binary", ["no", "yes"],
                   [1, 0, 1, 0], [1.5, 2]),
    "regression.csv": (["x1", "x2"], "price", "regression", [],
                       [3.5, 5.25, 7.125, 8, 11.5, 12.75, 15, 16.5, 19.25, 21, 23.5, 25], [1, 2]),
    "utf16_bom.csv": (["x1", "x2"], "label", "binary", ["a", "b"], [0, 1, 0], [1, 2]),
    "trailing_delimiter.csv": (["x1", "x2"], "y", "binary", ["0", "1"], [0, 1, 0], [1, 2]),
    "cr_line_ends.csv": (["x1", "x2"], "y", "binary", ["0", "1"], [0, 1, 0], [1, 2]),
    "empty_header_cell.csv": (["x1", "column 2"], "target", "binary", ["-1", "1"],
                              [0, 1, 0, 1], [1, 2]),
}


def write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def error_of(path: Path, **kwargs) -> str:
    with pytest.raises(DatasetError) as caught:
        read_csv(path, **kwargs)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ")
    assert len(message.splitlines()) == 1, message
    return message


# -- good files -----------------------------------------------------------------------


def test_every_good_file_is_tested():
    assert sorted(p.name for p in GOOD.glob("*.csv")) == sorted(GOOD_FILES)


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_good_files_load(name):
    features, target, task, classes, y, first = GOOD_FILES[name]
    d = read_csv(GOOD / name)
    assert isinstance(d, Dataset) and d.name == name
    assert d.feature_names == features and d.target_name == target
    assert d.task == task and d.class_names == classes
    assert d.X.dtype == np.float64 and d.X.shape == (len(y), len(features))
    assert np.isfinite(d.X).all()
    assert d.X[0].tolist() == first
    assert d.y.tolist() == y
    if task == "regression":
        assert d.y.dtype == np.float64
    else:
        assert np.issubdtype(d.y.dtype, np.integer)


def test_constant_column_is_returned_as_is():
    d = read_csv(GOOD / "constant_column.csv")
    assert (d.X[:, 1] == 5).all()


def test_columns_by_name_and_index(tmp_path):
    path = write(tmp_path, "a,b,c,d\n1,2.5,3,0\n4,5,6,1\n7,8,9,0\n")
    d = read_csv(path, features=["c", 0], target="b")
    assert d.feature_names == ["c", "a"] and d.target_name == "b" and d.task == "regression"
    assert d.X.tolist() == [[3, 1], [6, 4], [9, 7]] and d.y.tolist() == [2.5, 5, 8]
    d = read_csv(path, target=0)
    assert d.feature_names == ["b", "c", "d"] and d.task == "multiclass"
    assert d.class_names == ["1", "4", "7"] and d.y.tolist() == [0, 1, 2]
    d = read_csv(path, features=[np.int64(1)], target=" d ")
    assert d.feature_names == ["b"] and d.task == "binary"


def test_without_a_header_columns_are_named_by_number(tmp_path):
    path = write(tmp_path, "1,2,0\n3,4,1\n")
    d = read_csv(path, features=["column 2"], target=0)
    assert d.feature_names == ["column 2"] and d.target_name == "column 1"
    assert d.task == "binary" and d.class_names == ["1", "3"]


def test_forced_header_and_delimiter(tmp_path):
    path = write(tmp_path, "1;2;3\n4;5;6\n7;8;9\n")
    d = read_csv(path, header=True, delimiter=";")
    assert d.feature_names == ["1", "2"] and d.target_name == "3"
    assert d.X.tolist() == [[4, 5], [7, 8]] and d.class_names == ["6", "9"]
    d = read_csv(path, header=False, delimiter=";", task="regression")
    assert d.n_samples == 3 and d.y.tolist() == [3, 6, 9]
    message = error_of(path, delimiter=",")
    assert "line 1: has only one column" in message and "read with commas" in message
    message = error_of(write(tmp_path, "x,y\n1,2\n", "h.csv"), header=False)
    assert 'line 1, column 1: "x" is not a number' in message
    assert "set header to true" in message


def test_header_detection(tmp_path):
    # a word over a column of numbers
    assert read_csv(write(tmp_path, "x,1\n2,3\n4,5\n6,3\n", "a.csv")).feature_names == ["x"]
    # string labels below a string header: the numbers in the other columns decide
    d = read_csv(write(tmp_path, "a,b,kind\n1,2,cat\n3,4,dog\n", "b.csv"))
    assert d.class_names == ["cat", "dog"] and d.n_samples == 2
    # no header: the first row is numbers
    assert read_csv(write(tmp_path, "1,2,cat\n3,4,dog\n", "c.csv")).n_samples == 2


def test_target_detection(tmp_path):
    ints = "".join(f"{i},{i % 11}\n" for i in range(30))
    d = read_csv(write(tmp_path, "x,y\n" + ints, "eleven.csv"))  # 11 whole values
    assert d.task == "regression"
    d = read_csv(write(tmp_path, "x,y\n" + ints, "forced.csv"), task="classification")
    assert d.task == "multiclass" and d.class_names[:3] == ["0", "1", "2"]
    assert d.class_names[-1] == "10"  # sorted as numbers, not as text
    d = read_csv(write(tmp_path, "x,y\n1,0\n2,1\n3,1\n", "r.csv"), task="regression")
    assert d.task == "regression" and d.y.dtype == np.float64
    d = read_csv(write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,0.5\n", "f.csv"), task="classification")
    assert d.task == "binary" and d.class_names == ["0.5", "1.5"] and d.y.tolist() == [0, 1, 0]
    d = read_csv(write(tmp_path, "x,y\n1,b\n2,B\n3,a\n4,b\n", "s.csv"))
    assert d.class_names == ["B", "a", "b"] and d.y.tolist() == [2, 0, 1, 2]
    d = read_csv(write(tmp_path, "x,y\n1,1\n2,1.0\n3,2\n", "spelled.csv"))
    assert d.class_names == ["1", "2"] and d.y.tolist() == [0, 0, 1]
    d = read_csv(write(tmp_path, "x;y\n1;1,0\n2;2,0\n3;1,0\n", "comma.csv"))
    assert d.class_names == ["1,0", "2,0"] and d.y.tolist() == [0, 1, 0]


def test_utf16_big_endian_and_utf8_names(tmp_path):
    path = write(tmp_path, "\ufeffgröße,x,klasse\n1,2,ja\n3,4,nein\n".encode("utf-16-be"))
    d = read_csv(path)
    assert d.feature_names == ["größe", "x"] and d.class_names == ["ja", "nein"]


def test_quoted_cell_with_a_line_break_keeps_line_numbers(tmp_path):
    path = write(tmp_path, '"first\nfeature",x2,y\n1,2,0\n\n3,oops,1\n')
    assert 'line 5, column 2 ("x2"): "oops" is not a number' in error_of(path)


def test_blank_lines_keep_the_file_line_numbers(tmp_path):
    path = write(tmp_path, "\r\n\r\nx1,x2,y\r\n1,2,0\r\n\r\n   \r\n3,,1\r\n")
    assert 'line 7, column 2 ("x2"): missing feature value' in error_of(path)


# -- bad files ------------------------------------------------------------------------


def test_the_manifest_covers_every_bad_file():
    files = sorted(p.name for p in BAD.iterdir() if p.name != "expected.json")
    assert files == sorted(MANIFEST) and len(files) >= 20
    assert all(parts and all(p == p.lower() for p in parts) for parts in MANIFEST.values())


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_files_say_where_and_what(name):
    message = error_of(BAD / name).lower()
    for part in MANIFEST[name]:
        assert part in message, (part, message)


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in error_of(tmp_path / "nope.csv")
    assert "is a folder" in error_of(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read any file")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    path.chmod(0)
    try:
        assert "permission denied" in error_of(path)
    finally:
        path.chmod(0o600)


def test_unreadable_file_even_as_root(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(csv_text, "open", refuse, raising=False)
    assert "cannot be read: permission denied" in error_of(write(tmp_path, "a,b\n1,2\n"))


def test_too_big_is_refused_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "a,b\n" + "1,2\n1,3\n" * 500)
    assert "too big (3.9 KB)" in error_of(path, max_bytes=1000)
    assert read_csv(path, max_bytes=4004).n_samples == 1000

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(csv_text, "open", no_reading, raising=False)
    error_of(path, max_bytes=1000)
    assert csv_reader.MAX_BYTES == 2**30


def test_memory_error_becomes_a_dataset_error(tmp_path, monkeypatch):
    def no_memory(raw, name):
        raise MemoryError

    monkeypatch.setattr(csv_text, "decode", no_memory)
    assert "too big to load" in error_of(write(tmp_path, "a,b\n1,2\n"))


@pytest.mark.parametrize("kwargs,expected", [
    ({"delimiter": "|"}, "delimiter must be a comma, a semicolon or a tab"),
    ({"task": "clustering"}, 'task must be "classification" or "regression"'),
    ({"header": "yes"}, "header must be true, false or none"),
    ({"features": "a"}, "features must be a list"),
    ({"target": 1.5}, "not by 1.5"),
    ({"max_bytes": 0}, "max_bytes must be a whole number > 0"),
    ({"features": ["nope"]}, 'no column named "nope" for the feature; the columns are "a", "b", '
                             '"c", "label"'),
    ({"target": "Label"}, 'no column named "Label" for the target'),
    ({"target": 4}, "target column number 4 is out of range; the file has 4 columns, "
                    "numbered 0 to 3"),
    ({"features": [-1]}, "feature column number -1 is out of range"),
    ({"features": ["a", "label"]}, 'column 4 ("label") is the target, so it cannot also be'),
    ({"features": ["a", 0]}, 'column 1 ("a") is listed twice'),
    ({"features": []}, "no feature column is left"),
    ({"task": "regression"}, 'target "no" is not a number, but task "regression" needs'),
])
def test_bad_arguments(tmp_path, kwargs, expected):
    path = write(tmp_path, "a,b,c,label\n1,2,3,no\n4,5,6,yes\n")
    assert expected in error_of(path, **kwargs)


def test_no_header_names_are_explained(tmp_path):
    message = error_of(write(tmp_path, "1,2,0\n3,4,1\n"), target="y")
    assert '"column 1", "column 2", "column 3"' in message and "no header" in message


def test_huge_field(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3," + "9" * 200_000 + "\n")
    assert "line 3: a cell is longer than" in error_of(path)


def test_long_and_invisible_cells_are_shown_short_and_escaped(tmp_path):
    path = write(tmp_path, "a,b\n1,0\n" + "x" * 500 + ",1\n2,\u2028\x1b\n")
    message = error_of(path)
    assert '"' + "x" * 40 + '..." is not a number' in message and len(message) < 400
    message = error_of(write(tmp_path, "a,b,c\n1,\x1b[31m,0\n2,3,1\n", "esc.csv"))
    assert '"\\x1b[31m" is not a number' in message


def test_only_plain_decimal_numbers_are_numbers(tmp_path):
    assert '"1_000" is not a number' in error_of(write(tmp_path, "a,b\n1_000,0\n2,1\n"))
    assert '"١" is not a number' in error_of(write(tmp_path, "a,b\n\u0661,0\n2,1\n", "ar.csv"))
    message = error_of(write(tmp_path, "a\tb\tc\n1,5\t2\t0\n3\t4\t1\n", "tab.csv"))
    assert 'line 2, column 1 ("a"): "1,5" is not a number' in message
    assert "decimal commas are read only in semicolon-separated files" in message


def test_quotes(tmp_path):
    d = read_csv(write(tmp_path, 'a,b,c\n"1" , "2" ,"x"\n 3 ,"4",  "y"\n'))
    assert d.X.tolist() == [[1, 2], [3, 4]] and d.class_names == ["x", "y"]
    assert "line 2, column 2" in error_of(write(tmp_path, 'a,b,c\n1,"2"3,x\n4,5,y\n', "j.csv"))
    message = error_of(write(tmp_path, 'a,b,c\n1,2,x\n3,"4 ,y\n5,6,x\n', "u.csv"))
    assert "line 3: a quote" in message and "never closed" in message


def test_trailing_delimiter_only_where_the_header_has_none_is_ragged(tmp_path):
    message = error_of(write(tmp_path, "a,b,c\n1,2,0,\n3,4,1,\n"))
    assert "line 2 has 4 fields, but the header on line 1 has 3" in message


def test_reads_100k_rows_quickly(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100_000, 9))
    labels = rng.integers(0, 3, 100_000)
    lines = [",".join(f"f{i}" for i in range(9)) + ",label"]
    lines += [",".join(f"{v:.6f}" for v in row) + f",{k}" for row, k in zip(X, labels)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    d = read_csv(path)
    seconds = time.perf_counter() - start
    assert d.X.shape == (100_000, 9) and d.task == "multiclass"
    np.testing.assert_allclose(d.X, X, atol=1e-6)
    assert d.y.tolist() == labels.tolist()
    assert seconds < 3, seconds


# -- fuzzing --------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:  # truncated
        return data[:rng.randrange(len(data) + 1)]
    if kind == 1:  # random bytes inserted
        at = rng.randrange(len(data) + 1)
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at:]
    if kind == 2:  # delimiters swapped
        old, new = rng.sample([b",", b";", b"\t", b" ", b'"', b"\n"], 2)
        return data.replace(old, new, rng.randint(1, 5))
    if kind == 3:  # bytes overwritten with characters that matter to CSV
        chars = list(data)
        for _ in range(rng.randint(1, 4)):
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice(b'",;\t\r\n .e-0x\xef\x00')
        return bytes(chars)
    if kind == 4:  # a line dropped or doubled
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        return b"\n".join(lines[:i] + lines[i + 1:] if rng.random() < 0.5 else
                          lines[:i] + [lines[i]] * 2 + lines[i:])
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))  # noise


def test_fuzzed_files_load_or_raise_dataset_error(tmp_path):
    rng = random.Random(1234)
    seeds = [p.read_bytes() for p in sorted(GOOD.glob("*.csv"))]
    loaded = failed = 0
    for i in range(400):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            data = mutate(data, rng)
        path = write(tmp_path, data, f"fuzz{i}.csv")
        try:
            d = read_csv(path)
        except DatasetError as error:
            message = str(error)
            assert message.startswith(str(path)) and "unexpected" not in message, message
            assert len(message.splitlines()) == 1, message
            failed += 1
        else:
            assert np.isfinite(d.X).all() and d.X.shape == (d.n_samples, len(d.feature_names))
            assert d.X.shape[1] >= 1 and len(d.y) == len(d.X)
            if d.is_classification:
                assert len(d.class_names) >= 2
                assert set(np.unique(d.y)) == set(range(len(d.class_names)))
            else:
                assert np.isfinite(d.y).all()
            loaded += 1
    assert loaded > 30 and failed > 100  # both paths were exercised
