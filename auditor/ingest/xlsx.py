"""Excel appendices (.xlsx) flattened to text: each sheet is a title line and one line per
row, cells separated by tabs, as the .docx reader writes a Word table.

Numbers are written the Vietnamese way the rest of the pipeline reads (99,5; 1290; a cell
formatted as a percentage as 99,5%), merged cells keep their text in the first cell.

Formulas: a cell's value is Excel's cached value. Files written by a program (not saved by
Excel) have formulas without cached values; the simple ones (SUM, + − × ÷, ROUND …) are
computed here so the table still has its numbers. Where a cached value and its own formula
disagree (a formula pasted over, a value typed over a total), the disagreement is kept as a
`FormulaCheck` for rule AUD410.
"""
from __future__ import annotations

import ast
import datetime as dt
import io
import math
import re
import unicodedata
from dataclasses import dataclass

from auditor.errors import InputError

_MAX_CELLS = 200_000


@dataclass(frozen=True)
class FormulaCheck:
    """A formula cell whose cached value differs from what its formula computes."""

    sheet: str
    ref: str  # "C12"
    formula: str
    cached: float
    computed: float
    start: int  # the cell's text in the flattened document
    end: int


def number_text(v: float, percent: bool = False) -> str:
    """99.5 → "99,5"; 1290.0 → "1290"; 0.995 formatted as % → "99,5%"."""
    if percent:
        v = v * 100
    if isinstance(v, float) and not math.isfinite(v):
        return ""
    if abs(v - round(v)) < 1e-9:
        s = str(int(round(v)))
    else:
        s = f"{v:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    return s + ("%" if percent else "")


def _cell_text(value, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return number_text(float(value), "%" in (number_format or ""))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return " ".join(str(value).replace("\t", " ").split())


def xlsx_text(data: bytes, name: str) -> tuple[str, list[str], tuple[FormulaCheck, ...]]:
    import zipfile

    import openpyxl

    try:
        wb_f = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
        wb_v = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError(name, f"tệp Excel bị hỏng hoặc không phải .xlsx (unreadable xlsx: {type(exc).__name__})") from None
    lines: list[str] = []
    checks: list[FormulaCheck] = []
    warnings: list[str] = []
    computed_count = 0
    cells = 0
    offset = 0

    def emit(line: str) -> None:
        nonlocal offset
        lines.append(line)
        offset += len(line) + 1

    for ws_f in wb_f.worksheets:
        if ws_f.sheet_state != "visible":
            continue
        ws_v = wb_v[ws_f.title]
        if lines:
            emit("")
        emit(unicodedata.normalize("NFC", ws_f.title.strip()))
        emit("")
        values = {}
        for row in ws_v.iter_rows():
            for c in row:
                if c.value is not None:
                    values[c.coordinate] = c.value
        evaluator = _Evaluator(values)
        for row in ws_f.iter_rows():
            texts: list[str] = []
            starts: list[int] = []
            pos = offset
            for c in row:
                cells += 1
                raw = c.value
                shown = values.get(c.coordinate)
                if isinstance(raw, str) and raw.startswith("=") and len(raw) > 1:
                    got = evaluator.eval(raw[1:])
                    if shown is None and got is not None:
                        shown = got
                        values[c.coordinate] = got
                        computed_count += 1
                    elif shown is None:
                        shown = raw  # neither cached nor computable: the formula is what a reader sees
                    elif got is not None and isinstance(shown, (int, float)) and not _close(shown, got):
                        text = _cell_text(shown, c.number_format)
                        checks.append(FormulaCheck(ws_f.title, c.coordinate, raw, float(shown), float(got),
                                                   pos, pos + len(text)))
                elif shown is None:
                    shown = raw
                text = unicodedata.normalize("NFC", _cell_text(shown, c.number_format))
                texts.append(text)
                starts.append(pos)
                pos += len(text) + 1
            while texts and not texts[-1]:
                texts.pop()
            emit("\t".join(texts))
            if cells > _MAX_CELLS:
                raise InputError(name, f"bảng tính quá lớn (> {_MAX_CELLS:,} ô) (spreadsheet too large)")
    text = "\n".join(lines).rstrip("\n") + "\n"
    if computed_count:
        warnings.append(f"{computed_count} ô công thức chưa có giá trị lưu sẵn, đã tự tính lại")
    return text, warnings, tuple(checks)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


# --- a small, safe evaluator for the formulas biểu mẫu use ------------------------------------

_REF = r"\$?([A-Z]{1,3})\$?(\d{1,7})"
_RANGE = re.compile(rf"{_REF}:{_REF}")
_CELL = re.compile(rf"(?<![A-Za-z_'!]){_REF}(?![\w(])")
_FUNCS = {"SUM", "ROUND", "AVERAGE", "MIN", "MAX", "ABS"}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


class _Evaluator:
    """Arithmetic over cell references; None for anything it does not understand."""

    def __init__(self, values: dict):
        self.values = values

    def _num(self, ref: str):
        v = self.values.get(ref)
        if v is None or v == "":
            return 0.0
        if isinstance(v, bool):
            return float(v)
        if isinstance(v, (int, float)):
            return float(v)
        raise ValueError(ref)

    def eval(self, formula: str) -> float | None:
        if "!" in formula or len(formula) > 400:
            return None  # another sheet or a long formula: not ours to guess
        expr = formula.upper().replace("^", "**").replace(";", ",")
        try:
            expr = _RANGE.sub(lambda m: self._range(m), expr)
            expr = _CELL.sub(lambda m: repr(self._num(m.group(1) + m.group(2))), expr)
            tree = ast.parse(expr, mode="eval")
            v = self._node(tree.body)
        except (ValueError, SyntaxError, ZeroDivisionError, TypeError, OverflowError, RecursionError):
            return None
        if isinstance(v, list) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return None
        return float(v)

    def _range(self, m) -> str:
        c1, r1, c2, r2 = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
        if (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1) > 10_000:
            raise ValueError("range too large")
        vals = [self._num(f"{_letters(c)}{r}") for c in range(min(c1, c2), max(c1, c2) + 1)
                for r in range(min(r1, r2), max(r1, r2) + 1)]
        return "[" + ",".join(repr(v) for v in vals) + "]"

    def _node(self, n):
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
            return float(n.value)
        if isinstance(n, ast.List):
            return [self._node(e) for e in n.elts]
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
            v = self._node(n.operand)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            a, b = self._node(n.left), self._node(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, ast.Div):
                return a / b
            if abs(b) > 10:
                raise ValueError("power")
            return a ** b
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _FUNCS and not n.keywords:
            args = [self._node(a) for a in n.args]
            flat = [x for a in args for x in (a if isinstance(a, list) else [a])]
            f = n.func.id
            if f == "SUM":
                return sum(flat)
            if f == "AVERAGE":
                return sum(flat) / len(flat)
            if f == "MIN":
                return min(flat)
            if f == "MAX":
                return max(flat)
            if f == "ABS" and len(args) == 1:
                return abs(args[0])
            if f == "ROUND" and len(args) in (1, 2):
                return _round_half_up(args[0], int(args[1]) if len(args) == 2 else 0)
        raise ValueError("unsupported")


def _round_half_up(v: float, digits: int) -> float:
    q = 10 ** digits
    return math.floor(abs(v) * q + 0.5 + 1e-9) / q * (1 if v >= 0 else -1)
