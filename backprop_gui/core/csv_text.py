"""A CSV file's bytes to rows of cells, and a cell to a number: the strict, format-level
half of reading a user's CSV (csv_reader.py turns the rows into a Dataset). Every problem
is a DatasetError that starts with the file name and names the line."""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from .errors import DatasetError

#: files bigger than this are refused before reading (override with `max_bytes`)
MAX_BYTES = 2**30
#: the largest value a cell may hold: beyond it, the squares that the standardisation and
#: the losses take overflow a 64-bit float
MAX_MAGNITUDE = 1e150
#: cells that mean "no value" (compared in lower case)
MISSING = frozenset({"", "na", "n/a", "nan", "null", "?"})
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
#: how many non-blank lines the delimiter and header guesses look at
SNIFF_LINES = 50
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .ods spreadsheet is one)",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Office file",
    b"\x1f\x8b": "a gzip archive",
    b"\x93NUMPY": "a NumPy .npy file",
    b"SQLite format 3": "an SQLite database",
}
Row = tuple[int, list[str]]  # (the file line the row starts on, its stripped cells)


def read_text(path: Path, name: str, max_bytes: int) -> str:
    """The file as text: the size checked before reading, the encoding strictly UTF-8
    (UTF-16/32 only with a byte-order mark), binary files refused."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatasetError(f"{name}: no such file; check the folder and the file name") from None
    except PermissionError:
        raise DatasetError(f"{name}: cannot be opened: permission denied (a folder on its path "
                           "may not be readable)") from None
    except (OSError, ValueError) as error:
        raise DatasetError(f"{name}: cannot be opened: {_os_reason(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(f"{name}: is a folder, not a CSV file; choose a file inside it")
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"{name}: is not a regular file (a device or a pipe); "
                           "choose a CSV file")
    if info.st_size > max_bytes:
        raise DatasetError(f"{name}: is too big ({_size(info.st_size)}); this program reads "
                           f"CSV files up to {_size(max_bytes)}: use a sample of its rows")
    try:
        with open(path, "rb") as file:
            raw = file.read(max_bytes + 1)
    except PermissionError:
        raise DatasetError(f"{name}: cannot be read: permission denied; check the file's "
                           "permissions (or copy it somewhere you can read it)") from None
    except OSError as error:
        raise DatasetError(f"{name}: cannot be read: {_os_reason(error)}") from None
    if len(raw) > max_bytes:
        raise DatasetError(f"{name}: is too big (more than {_size(max_bytes)}); "
                           "use a sample of its rows")
    if not raw:
        raise DatasetError(f"{name}: is empty (0 bytes); a CSV file needs a row per sample")
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as error:
                line = _line_count(raw[:error.start].decode(encoding, errors="replace"))
                raise DatasetError(f"{name}: line {line}: the {encoding.upper()} text is broken "
                                   f"(at byte {error.start:,}); save the file again as "
                                   "UTF-8") from None
            if "\x00" in text:
                line = _line_count(text[:text.index("\x00")])
                raise DatasetError(f"{name}: line {line}: holds a NUL character, so it is not "
                                   "CSV text; save the data as CSV (UTF-8)")
            return text
    for signature, kind in _SIGNATURES.items():
        if raw.startswith(signature):
            raise DatasetError(f"{name}: is not a CSV text file: it looks like {kind}; "
                               "choose a CSV file, or save the data as CSV first")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise DatasetError(f"{name}: line {line}: holds a NUL byte, so it is a binary file, "
                           "not CSV text (or UTF-16 without a byte-order mark); choose a CSV "
                           "file, or save the data as CSV (UTF-8)")
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        before = body[:error.start].decode("utf-8")  # valid: the error is the first one
        line = _line_count(before)
        column = len(before) - max(before.rfind("\n"), before.rfind("\r"))
        raise DatasetError(
            f"{name}: line {line}, column {column} (counting characters): byte "
            f"0x{body[error.start]:02X} is not valid UTF-8, so the file uses another "
            'encoding (perhaps Latin-1 or Windows-1252); save it as UTF-8 (in Excel: '
            '"CSV UTF-8") and try again'
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines (ideally all) into the same
    number (> 1) of fields; among several, the one that leaves the most cells as numbers
    ("1,5;2" is a semicolon file with decimal commas, not a comma file). Lines of only
    delimiters say nothing and are left out."""
    sample: list[str] = []
    for line in io.StringIO(text, newline=""):
        if line.strip(" \t\r\n,;"):
            sample.append(line)
            if len(sample) >= SNIFF_LINES:
                break
    best, best_score = ",", None
    for rank, candidate in enumerate(DELIMITERS):
        try:
            rows = [[c.strip() for c in row]
                    for row in csv.reader(sample, delimiter=candidate, skipinitialspace=True)]
        except csv.Error:
            continue
        widths = [len(row) for row in rows if any(row)]
        if not widths:
            continue
        common = max(set(widths), key=lambda width: (widths.count(width), width))
        share = widths.count(common) / len(widths)
        numbers = sum(is_number(c, candidate == ";") for row in rows for c in row)
        score = (common > 1, share == 1, share, numbers, -rank)
        if best_score is None or score > best_score:
            best, best_score = candidate, score
    return best


def split_rows(text: str, name: str, delimiter: str) -> list[Row]:
    """The non-blank rows with the physical line each starts on. A row that is only
    delimiters (",,,", as spreadsheets export empty rows) counts as blank."""
    lines_read = 0
    raw: list[str] = []  # the physical lines of the row being read

    def lines() -> Iterator[str]:
        nonlocal lines_read
        for line in io.StringIO(text, newline=""):
            lines_read += 1
            raw.append(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, skipinitialspace=True, strict=True)
    rows: list[Row] = []
    while True:
        start = lines_read + 1
        raw.clear()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            row = _recover(name, start, raw, delimiter, error)
        cells = [cell.strip() for cell in row]
        if any(cells):
            rows.append((start, cells))
    return rows


def _recover(name: str, line: int, raw: list[str], delimiter: str, error: csv.Error) -> list[str]:
    """Strict parsing refused a row. Spaces after a closing quote ("a" , "b") are
    harmless and the row is read again leniently; anything else is reported."""
    message = str(error)
    column, open_quote = _junk_after_quote("".join(raw), delimiter)
    if "field limit" in message:
        raise DatasetError(f"{name}: line {line}: a cell is longer than "
                           f"{csv.field_size_limit():,} characters, which no number is; "
                           "usually a quote (\") that never closes swallowed the lines after "
                           "it: check the quotes on this line") from None
    if "end of data" in message or open_quote and column is None:
        raise DatasetError(f"{name}: line {line}: a quote (\") opened in the row starting on "
                           "this line is never closed, so the rest of the file would be one "
                           "cell; add the closing quote or remove the stray one") from None
    if column is None and raw:
        return next(csv.reader(raw, delimiter=delimiter, skipinitialspace=True))
    where = f"line {line}" + (f", column {column}" if column else "")
    raise DatasetError(f"{name}: {where}: cannot be split into cells ({message}); a quoted "
                       "cell must end with its quote, as in \"1.5\", and a quote inside one is "
                       "written twice (\"\")") from None


def _junk_after_quote(text: str, delimiter: str) -> tuple[int | None, bool]:
    """The 1-based column of the first closing quote followed by more than spaces (None
    if there is none), and whether a quoted cell is still open at the end of `text`."""
    state, column = "start", 1
    for ch in text:
        if ch == delimiter and state != "quoted" or ch in "\r\n" and state != "quoted":
            state = "start"
            column = column + 1 if ch == delimiter else 1
        elif state == "start":
            state = "quoted" if ch == '"' else "start" if ch in " \t" else "plain"
        elif state == "quoted":
            state = "quote" if ch == '"' else "quoted"
        elif state == "quote":  # a quote inside a quoted cell: doubled, or the end
            state = "quoted" if ch == '"' else "after" if ch in " \t" else "bad"
        elif state == "after" and ch not in " \t":
            state = "bad"
        if state == "bad":
            return column, False
    return None, state == "quoted"


def is_number(cell: str, decimal_comma: bool) -> bool:
    return _NUMBER.fullmatch(cell.replace(",", ".") if decimal_comma else cell) is not None


def parse_numbers(cells: Sequence[str], decimal_comma: bool) -> np.ndarray | None:
    """The cells as floats within ±MAX_MAGNITUDE, or None if any is not such a plain
    number. float() does the fast work; the checks around it refuse what it would accept
    beyond plain decimal notation ("1_000", non-ASCII digits, "nan", "inf")."""
    if decimal_comma:
        cells = [cell.replace(",", ".") for cell in cells]
    joined = "".join(cells)
    if "_" in joined or not joined.isascii():
        return None
    try:
        values = np.array([float(cell) for cell in cells], dtype=np.float64)
    except ValueError:
        return None
    return values if (np.abs(values) <= MAX_MAGNITUDE).all() else None  # NaN fails too


def cell_problem(cell: str, decimal_comma: bool) -> str | None:
    """None for a plain number within ±MAX_MAGNITUDE, else "missing", "infinite" (or
    beyond that) or "text"."""
    lower = cell.lower()
    if lower in MISSING or lower.lstrip("+-") == "nan":
        return "missing"
    plain = cell.replace(",", ".") if decimal_comma else cell
    if _NUMBER.fullmatch(plain):
        return "infinite" if not abs(float(plain)) <= MAX_MAGNITUDE else None
    if lower.lstrip("+-") in ("inf", "infinity"):
        return "infinite"
    return "text"


def printable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def _line_count(text: str) -> int:
    """The line `text` ends on, counting LF, CRLF and a lone CR as line ends."""
    return 1 + text.count("\n") + text.count("\r") - text.count("\r\n")


def _size(count: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _os_reason(error: Exception) -> str:
    return printable(getattr(error, "strerror", None) or str(error))
