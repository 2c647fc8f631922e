"""A stage of the step-through inspector as rich text: its formulas, then the values it
read and the values it computed, as small tables (a big value: its corner and a summary).

Plain functions from core/step_through.py's dataclasses to HTML for a QTextBrowser; no
widget here."""

from __future__ import annotations

import html

import numpy as np

from ..core.step_through import CORNER, Stage, StepInspection, Term

PHASE_COLORS = {"forward": "#1f6fb2", "loss": "#b03a2e", "backward": "#b9770e", "update": "#1e8449"}
NEGATIVE = "#c0561b"
#: rows and columns of a value shown as numbers; a bigger one shows its corner and a summary
SHOWN = CORNER
CELL = "padding:1px 5px; white-space:nowrap;"
NEGATIVE_CELL = f" color:{NEGATIVE};"
GREY = "#6b7280"


def number(x: float) -> str:
    """Four significant digits, a true minus sign, and inf/nan spelled out."""
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("−inf" if x < 0 else "inf")
    text = f"{x:.4g}"
    return text.replace("-", "−")


def matrix_html(term: Term, rows: np.ndarray | None) -> str:
    """The term's numbers as a table, at most SHOWN rows and columns of them (a rich-text
    table of hundreds of cells takes a QTextBrowser a good part of a second); per-sample
    terms label their rows with the sample."""
    values = np.atleast_1d(term.values)
    if values.ndim == 1:
        values = values[None, :]
    per_sample = rows is not None and len(term.shape) == 2 and term.shape[0] == len(rows)
    more_rows = len(term.shape) == 2 and term.shape[0] > min(values.shape[0], SHOWN[0])
    more_cols = bool(term.shape) and term.shape[-1] > min(values.shape[1], SHOWN[1])
    values = values[:SHOWN[0], :SHOWN[1]]
    cells = []
    for i, row in enumerate(values):
        head = f'<td style="color:{GREY}; {CELL}">#{rows[i]}</td>' if per_sample else ""
        body = "".join(f'<td align="right" style="{CELL}{NEGATIVE_CELL if v < 0 else ""}">'
                       f"{number(float(v))}</td>" for v in row)
        cells.append(f"<tr>{head}{body}{'<td>…</td>' if more_cols else ''}</tr>")
    if more_rows:
        cells.append(f"<tr><td colspan='{values.shape[1] + 2}' align='center'>⋮</td></tr>")
    return f'<table cellspacing="0" style="font-family:monospace">{"".join(cells)}</table>'


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape) if shape else "a number"


def term_html(term: Term, rows: np.ndarray | None) -> str:
    head = (f"<b>{html.escape(term.symbol)}</b> <span style='color:{GREY}'>"
            f"{html.escape(term.meaning)} · {shape_text(term.shape)}</span>")
    if not term.shape:
        return f"{head}<br><span style='font-size:large'>{number(float(term.values))}</span>"
    body = matrix_html(term, rows)
    if any(n > m for n, m in zip(term.shape[-2:] if len(term.shape) == 2 else (1, *term.shape),
                                 SHOWN)):
        low, mean, high, rms = (number(v) for v in term.stats)
        body += (f"<span style='color:{GREY}'>a corner of {shape_text(term.shape)}; all of it: "
                 f"min {low} · mean {mean} · max {high} · RMS {rms}</span>")
    return f"{head}<br>{body}"


def stage_html(stage: Stage, inspection: StepInspection) -> str:
    """The stage's title, formulas, note, and its values: what it reads, what it gives."""
    rows = inspection.rows
    color = PHASE_COLORS.get(stage.phase, "#000")
    formulas = "<br>".join(html.escape(f) for f in stage.formulas)
    inputs = "".join(f"<p>{term_html(t, rows)}</p>" for t in stage.inputs)
    outputs = "".join(f"<p>{term_html(t, rows)}</p>" for t in stage.outputs)
    return (
        f"<p style='margin:0'><b style='color:{color}; font-size:large'>{html.escape(stage.title)}"
        f"</b><br><b>{formulas}</b><br><span style='color:{GREY}'>{html.escape(stage.note)}</span></p>"
        f"<p style='margin-bottom:0'><i>from</i></p>{inputs}"
        f"<p style='margin-bottom:0'><i>gives</i></p>{outputs}")


def stage_label(index: int, stage: Stage) -> str:
    """The stage's line in the list: '3. Loss', '4. Backward · layer 2'."""
    if stage.phase == "loss":
        return f"{index + 1}. The loss"
    return f"{index + 1}. {stage.phase.capitalize()} · layer {stage.layer}"
