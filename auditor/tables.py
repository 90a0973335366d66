"""Rebuild the report's tables as cells with a row path and a column path.

Four layouts reach us: tab-separated rows (what the docx, pdf, html and xlsx readers
emit), markdown pipe tables, web-scraped text with one cell per line and a "|" line
between cells ("bars"), and PDF text where an indicator table arrives one or a few cells
per line with labels wrapped over lines. All become the same `Table`, whose columns carry
roles (value, plan, note …) and whose header cells are read through one-letter slips by
the concept lexicon (`Lexicon.column_concept`).

Indicator tables (STT | label | unit | value | note) get a row hierarchy from their STT
codes (I, 1., 1.1., 1.1.1., "- "); results tables (files by field) get a header tree
from their multi-row header, with spanning cells filled from the left.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections import Counter
from functools import lru_cache

from auditor.lexicon import fold, squash
from auditor.model import Cell, Kind, Quantity, Row, Table, TableKind
from auditor.numbers import scan
from auditor.textutil import Line, split_lines

_NUMBER_CODE = r"(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,4})"  # STT: I, 2, 2.1, 2.1.3
_CODE = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,4}\.?|[a-zđ]\)|-|\+|\(\d+\))$")
# A row numbered inside its label ("2.1. Số nhiệm vụ …"), as in tables without an STT column.
_NUMBERED_LABEL = re.compile(rf"{_NUMBER_CODE}\.?\s+\S")
_LEADING_CODE = re.compile(rf"^({_NUMBER_CODE}\.?|[a-zđ]\)|-|\+)\s+(?=\S)")
_TAGS = re.compile(r"</?\w+[^>]*>")
_TOTAL_LABEL = re.compile(r"^(?:tổng cộng|tổng số|tổng hợp|cộng|tổng)\b", re.IGNORECASE)


# A cell of the column-number row under a header: "(3)", "(3)=(4)+(5)", "1=2+3", "A", "<i>B</i>",
# "(14)=[(9)+(10)]/(8)", "12=(7+8)/6*100". Brackets and spaces are dropped before matching.
_LEGEND_CELL = re.compile(r"(?:[A-Z]{1,2}|\d{1,2})(?:[=+\-*/x×:](?:[A-Za-z]|\d{1,3}))*")


def _is_legend_row(texts: list[str]) -> bool:
    """The row that numbers the columns ("A | B | 1=2+3 | 2 | 3"): not data. Its numbered cells
    count up one by one, and every cell is a column number or a relation between them."""
    # "12 (%)": a column number with the column's unit mark is still a column number
    cells = [re.sub(r"[()\[\]\s%]", "", t) for t in texts if t]
    if len(cells) < 3 or not all(_LEGEND_CELL.fullmatch(c) for c in cells):
        return False
    firsts = [int(m.group(0)) for c in cells if (m := re.match(r"\d+", c))]
    if len(firsts) < 3:
        return False
    return all(b == a + 1 for a, b in zip(firsts, firsts[1:]))


@dataclass
class _RawRow:
    cells: list[tuple[str, int]]  # (cell text, start offset)
    line: Line


@dataclass
class _Piece:
    text: str
    start: int


@dataclass
class _IndicatorRow:
    code: str
    code_start: int
    pieces: list[_Piece] = field(default_factory=list)


def find_tables(text: str, *, style: str | None = None) -> list[Table]:
    """Every table in the text, in reading order."""
    lines = split_lines(text)
    blocks = _tab_blocks(lines) + _pipe_blocks(lines) + _bar_blocks(lines)
    tables: list[Table] = []
    used: set[int] = set()
    for layout, rows in sorted(blocks, key=lambda b: b[1][0].line.start):
        t = _build_grid_table(text, layout, rows, style)
        if t is not None:
            tables.append(t)
            used.update(range(rows[0].line.number, rows[-1].line.number + 1))
    used |= _lines_of(tables, lines)
    tables.extend(_pdf_indicator_tables(text, lines, used, style))
    tables.extend(_pdf_results_tables(text, lines, used | _lines_of(tables, lines), style))
    tables.sort(key=lambda t: t.start)
    return [replace(t, index=i + 1) for i, t in enumerate(tables)]


# --- grid layouts -----------------------------------------------------------------------------

def _tab_blocks(lines: list[Line]) -> list[tuple[str, list[_RawRow]]]:
    blocks, cur = [], []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if "\t" in ln.text and ln.text.strip():
            cur.append(_RawRow(_split_cells(ln, "\t"), ln))
        elif not ln.text.strip() and cur:
            # A blank line inside a table (a page break) keeps the table together.
            j = i + 1
            while j < len(lines) and not lines[j].text.strip():
                j += 1
            if j < len(lines) and "\t" in lines[j].text and not _starts_other_table(cur, lines[j]):
                i = j
                continue
            blocks.append(("tab", cur))
            cur = []
        elif cur:
            blocks.append(("tab", cur))
            cur = []
        i += 1
    if cur:
        blocks.append(("tab", cur))
    return [b for b in blocks if len(b[1]) >= 2]


def _starts_other_table(cur: list[_RawRow], ln: Line) -> bool:
    """After a blank line, a header row unlike the block's own header starts a new table
    (a page that repeats the same header continues the table)."""
    if squash(ln.text) == squash(cur[0].line.text):
        return False
    first = squash(ln.text.split("\t")[0])
    cells = ln.text.split("\t")
    return first in ("stt", "tt", "sốtt") or (
        _is_header_row(cells, 1) and sum(1 for c in cells if _clean(c)) >= 3
        and _table_kind(tuple((_clean(c),) for c in cells)) != TableKind.GENERIC)


def _pipe_blocks(lines: list[Line]) -> list[tuple[str, list[_RawRow]]]:
    blocks, cur = [], []
    for ln in lines + [Line("", 0, 0, 0)]:
        s = ln.text.strip()
        if s.startswith("|") and s.count("|") >= 2:
            if re.fullmatch(r"[|:\-\s]+", s):
                continue
            lead = ln.text.index("|")
            body_start = ln.start + lead + 1
            body = ln.text[lead + 1 :]
            if body.rstrip().endswith("|"):
                body = body.rstrip()[:-1]
            cells, pos = [], body_start
            for part in body.split("|"):
                cells.append((part, pos))
                pos += len(part) + 1
            cur.append(_RawRow(cells, ln))
        elif cur:
            blocks.append(("pipe", cur))
            cur = []
    return [b for b in blocks if len(b[1]) >= 2]


_BAR = "|"
_MAX_BARLESS_RUN = 3  # content lines in a row without a "|" between them: prose, the table ended


def _bar_blocks(lines: list[Line]) -> list[tuple[str, list[_RawRow]]]:
    """Web-scraped tables: one cell per line, a line holding only "|" between the cells of a
    row. Two content lines with no "|" between them start a new row; two "|" lines with only
    blank lines between them hold an empty cell (the page dropped it). Each row becomes one
    grid row whose cells keep their own offsets."""
    bars = [i for i, ln in enumerate(lines) if ln.text.strip() == _BAR]
    if len(bars) < 4:
        return []
    blocks: list[tuple[str, list[_RawRow]]] = []
    i = max(0, bars[0] - 1)
    while i <= bars[-1] + 1 and i < len(lines):
        rows, i = _bar_region_best(lines, i, bars[-1] + 1)
        if len(rows) >= 2:
            blocks.append(("bars", rows))
        nxt = next((b for b in bars if b > i), None)
        if nxt is None:
            break
        i = max(i, nxt - 1)
    return blocks


def _bar_region_best(lines: list[Line], i: int, last: int) -> tuple[list[_RawRow], int]:
    """A region read two ways: rows cut at the first row's width (pages that drop row
    breaks), or only where the page marks a row break. A multi-row header's first row is
    narrower than the data ("Số hồ sơ nhận giải quyết" over four columns): when the
    structural reading gives data rows of one width, wider than the first row, it wins."""
    cut, end = _bar_region(lines, i, last)
    free, end2 = _bar_region(lines, i, last, fixed_width=False)
    widths = [len(r.cells) for r in free[1:] if any(_is_numeric_cell(c) for c, _ in r.cells)]
    # Only a two-row header is evidence that the first row is narrower than the table: its
    # second row (the sub-headers) holds no number and is wider than the first.
    sub_header = len(free) >= 3 and not any(_is_numeric_cell(c) for c, _ in free[1].cells) \
        and len(free[1].cells) > len(free[0].cells)
    if sub_header and len(widths) >= 2:
        mode = max(set(widths), key=widths.count)
        if mode > len(free[0].cells) and widths.count(mode) >= 0.8 * len(widths):
            return free, end2
    return cut, end


def _bar_region(lines: list[Line], i: int, last: int, fixed_width: bool = True) -> tuple[list[_RawRow], int]:
    rows: list[_RawRow] = []
    cells: list[tuple[str, int]] = []
    first: Line | None = None
    prev = None  # "cell" | "bar" | None: the last non-blank token
    run = 0  # content lines since the last "|"
    blanks = 0  # blank lines since the last token
    end = i
    while i < len(lines) and i <= last:
        ln = lines[i]
        s = ln.text.strip()
        if not s:
            blanks += 1
            i += 1
            continue
        width = len(rows[0].cells) if rows and fixed_width else 0
        if s == _BAR:
            if cells and ((width and len(cells) >= width) or (prev == "cell" and blanks)):
                # a full row, or a blank line after a cell, then "|": a new row whose first cell is empty
                rows.append(_bar_row(cells, first, lines[end]))
                cells, first = [("", ln.start)], ln
            elif prev == "bar" or (prev is None and not cells):
                cells.append(("", ln.start))  # "|", blank, "|": an empty cell
                if width and len(cells) == width and blanks >= 2:
                    # "|", empty last cell, row break, "|": the next row starts with an empty cell
                    rows.append(_bar_row(cells, first or ln, lines[end]))
                    cells, first = [("", ln.start)], ln
            prev, run, blanks = "bar", 0, 0
        else:
            run += 1
            if run > _MAX_BARLESS_RUN:
                break
            if prev == "bar" and blanks and width and len(cells) == width - 1:
                cells.append(("", ln.start))  # "… |", blank: the row's last cell was empty
            if cells and (prev == "cell" or (width and len(cells) >= width)):
                # two cells without a bar, or a full row: a new row starts
                rows.append(_bar_row(cells, first, lines[end]))
                cells, first = [], None
            lead = len(ln.text) - len(ln.text.lstrip())
            cells.append((ln.text.strip(), ln.start + lead))
            first = first or ln
            prev, blanks = "cell", 0
            end = i
        i += 1
    if cells and first is not None:
        if prev == "bar" and rows and len(cells) == len(rows[0].cells) - 1:
            cells.append(("", lines[min(i, len(lines) - 1)].start))  # the table's last cell was empty
        rows.append(_bar_row(cells, first, lines[end]))
    # Trailing single cells are the prose after the table, not rows of it.
    while rows and len(rows[-1].cells) == 1:
        rows.pop()
    return (_rejoin_short_rows(rows) if fixed_width else rows), i


def _rejoin_short_rows(rows: list[_RawRow]) -> list[_RawRow]:
    """A page that drops empty cells without a "|" splits a row in two short pieces ("1.2 |
    Số văn bản | Văn bản" then "17"): two consecutive rows that together fit the header's
    width are one row. The values may then sit one column early; a misread there is left to
    the arithmetic checks, which abstain when a relation fails on most rows."""
    if len(rows) < 3:
        return rows
    width = len(rows[0].cells)
    out = [rows[0]]
    for r in rows[1:]:
        prev = out[-1]
        if len(out) > 1 and len(prev.cells) < width and len(r.cells) < width and \
                len(prev.cells) + len(r.cells) <= width:
            out[-1] = _RawRow(prev.cells + r.cells, Line(prev.line.text + "\t" + r.line.text, prev.line.start,
                                                          r.line.end, prev.line.number))
        else:
            out.append(r)
    return out


def _bar_row(cells: list[tuple[str, int]], first: Line, last: Line) -> _RawRow:
    text = "\t".join(c for c, _ in cells)
    return _RawRow(list(cells), Line(text, first.start, last.end, first.number))


def _split_cells(ln: Line, sep: str) -> list[tuple[str, int]]:
    cells, pos = [], ln.start
    for part in ln.text.split(sep):
        cells.append((part, pos))
        pos += len(part) + 1
    return cells


def _clean(cell: str) -> str:
    return " ".join(_TAGS.sub(" ", cell).replace("**", " ").split())


def _is_numeric_cell(cell: str) -> bool:
    c = _clean(cell)
    return bool(c) and bool(re.fullmatch(r"[<>~≥≤]?\s*\d[\d.,]*\s*%?", c))


def _is_header_row(cells: list[str], index: int) -> bool:
    texts = [_clean(c) for c in cells]
    nonempty = [t for t in texts if t]
    if not nonempty:
        return False
    if _is_legend_row(nonempty):
        return True
    if any(_is_numeric_cell(t) for t in texts[1:]):
        return False
    if _CODE.match(texts[0] or "x") and texts[0] and not texts[0].upper() == "STT":
        return False
    if _NUMBERED_LABEL.match(texts[0]) and index > 0:
        return False  # a table without STT: its rows carry their number in the label
    return len(nonempty) >= 2 or index == 0


def _build_grid_table(text, layout, rows: list[_RawRow], style) -> Table | None:
    width = max(len(r.cells) for r in rows)
    for r in rows:
        while len(r.cells) < width:
            r.cells.append(("", r.line.end))
    header_rows: list[_RawRow] = []
    cleaned: list[_RawRow] = []
    first = [_clean(c) for c, _ in rows[0].cells]
    started, skip = False, 0
    for i, r in enumerate(rows):
        key = [_clean(c) for c, _ in r.cells]
        if not started and _is_header_row([c for c, _ in r.cells], i):
            header_rows.append(r)
            continue
        started = True
        if skip:
            skip -= 1
            continue
        if header_rows and key == first:
            skip = len(header_rows) - 1  # a page repeats the header: drop it and its sub-rows
            continue
        if key in [[_clean(c) for c, _ in h.cells] for h in header_rows] or (
                _is_legend_row(key)):
            continue
        cleaned.append(r)
    if not cleaned:
        return None
    head = [[c for c, _ in h.cells] for h in header_rows if not _is_legend_row([_clean(c) for c, _ in h.cells])]
    if layout == "bars":
        head = _unpack_bar_header(head, width, [[c for c, _ in r.cells] for r in cleaned])
    columns = _column_paths(head, width)
    if all(len(p) <= 1 for p in columns):
        columns = _group_flat_header(columns)
    kind = _table_kind(columns)
    if kind == TableKind.INDICATOR:
        return _indicator_from_grid(text, layout, columns, header_rows, cleaned, style)
    return _results_from_grid(text, layout, columns, kind, header_rows, cleaned, style)


def _count(cell: str) -> int | None:
    c = _clean(cell)
    return int(c.replace(".", "")) if re.fullmatch(r"\d{1,3}(?:\.\d{3})*|\d+", c) else None


def _sums_hold(body: list[list[str]], first: int, n: int) -> bool:
    """Does a group's first column (its "Tổng số") equal the sum of its other columns on
    most rows? The arithmetic a reading of the header implies."""
    ok = seen = 0
    for row in body:
        vals = [_count(row[k]) if k < len(row) else None for k in range(first, first + n)]
        if any(v is None for v in vals):
            continue
        seen += 1
        ok += vals[0] == sum(vals[1:])
    return seen >= 2 and ok >= 0.8 * seen


def _unpack_bar_header(header: list[list[str]], width: int, body: list[list[str]] = ()) -> list[list[str]]:
    """A scraped two-row header loses its spans: "STT | Lĩnh vực | Số hồ sơ nhận giải quyết |
    Kết quả giải quyết | Đang giải quyết | Tỷ lệ" over "Tổng số | Kỳ trước | … | Quá hạn",
    both packed to the left of a wider table. Width tells how many top cells stand alone
    (width − sub-cells) and so how many span; which ones, and over how many sub-cells, is
    the reading whose column paths the lexicon knows best and whose group totals add up on
    the data rows (a reading checked by what it implies, not by the cells' positions)."""
    from itertools import combinations

    if len(header) != 2:
        return header
    top = [c for c in header[0] if _clean(c)]
    sub = [c for c in header[1] if _clean(c)]
    packed = all(not _clean(c) for c in header[0][len(top):]) and all(not _clean(c) for c in header[1][len(sub):])
    alone = width - len(sub)
    spanning = len(top) - alone
    if not packed or len(top) >= width or spanning < 1 or spanning > len(sub) or len(top) < 3:
        return header
    from auditor.concepts import lexicon

    lex = lexicon()
    best, best_score = None, -1.0
    for owners in combinations(range(2, len(top)), spanning):  # STT and the label never span
        for cuts in combinations(range(1, len(sub)), spanning - 1):
            sizes = [b - a for a, b in zip((0,) + cuts, cuts + (len(sub),))]
            row0, row1, k = [], [], 0
            for t, name in enumerate(top):
                n = sizes[owners.index(t)] if t in owners else 0
                row0 += [name] * max(n, 1)
                row1 += sub[k:k + n] if n else [""]
                k += n
            score = sum(_leaf_fit(lex, a, b) for a, b in zip(row0, row1) if b)
            score += sum(0.5 for t in owners if squash(sub[sum(sizes[:owners.index(t)])]).startswith("tổng"))
            # a group whose "Tổng số" is the sum of its other columns on the data rows
            starts = {name: row0.index(name) for name in set(row0)}
            score += sum(1.0 for t in owners if sizes[owners.index(t)] >= 3 and
                         squash(row1[starts[top[t]]]).startswith("tổng") and
                         _sums_hold(body, starts[top[t]], sizes[owners.index(t)]))
            if score > best_score:
                best, best_score = [row0, row1], score
    return best if best is not None and len(best[0]) == width else header


def _leaf_fit(lex, top: str, sub: str) -> float:
    """How well a sub-header sits under a spanning header: its path names a narrower concept
    of the spanning header's own family, or is its total (+1); another family's (−1); nothing
    more than the spanning header says (0); a concept where the top names none (+¼)."""
    whole = lex.column_concept((top, sub))
    head = lex.column_concept((top,))
    if whole is None:
        return 0.0
    if head is None:
        return 0.25
    if whole.id == head.id:  # the sub-header adds nothing the lexicon knows, unless it is the total
        return 1.0 if squash(sub).startswith(("tổngsố", "tổngcộng", "cộng")) else 0.0
    same = whole.id.startswith(head.id + ".") or head.related(whole.id)
    return 1.0 if same else -1.0


def _column_paths(header: list[list[str]], width: int) -> tuple[tuple[str, ...], ...]:
    filled: list[list[str]] = []
    for r, row in enumerate(header):
        cur = [_clean(c) for c in row]
        for c in range(1, width):
            if not cur[c] and cur[c - 1]:
                parent_here = tuple(filled[k][c] for k in range(r))
                parent_left = tuple(filled[k][c - 1] for k in range(r))
                # Fill a spanning cell only under the same parent, and never the
                # first two columns (STT, label) nor a row whose left cell is a leaf
                # that stands alone.
                if parent_here == parent_left and (r == 0 or any(parent_here)):
                    if r == 0 or _spans_right(header, r, c):
                        cur[c] = cur[c - 1]
        filled.append(cur)
    paths = []
    for c in range(width):
        path = []
        for r in range(len(filled)):
            v = filled[r][c]
            if v and (not path or path[-1] != v):
                path.append(v)
        paths.append(tuple(path))
    return tuple(paths)


_GROUP_HEAD = ("tiếpnhận", "nhậngiảiquyết", "giảiquyết", "trảkếtquả")


def _group_flat_header(columns: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """A one-row header ("Đã trả kết quả | Trước hạn | Đúng hạn | Trễ hạn"): a column that
    names an action heads the columns after it until the next action or rate column."""
    out, head = [], None
    for path in columns:
        name = path[0] if path else ""
        key = squash(name)
        if any(w in key for w in _GROUP_HEAD):
            head = name
            out.append((name, "Tổng số"))
        elif "tỷlệ" in key or not name:
            head = None
            out.append(path)
        elif head is not None:
            out.append((head, name))
        else:
            out.append(path)
    return tuple(out)


def _spans_right(header: list[list[str]], r: int, c: int) -> bool:
    """A cell at (r, c) is under a spanning cell when a deeper header row has content there."""
    return any(_clean(header[k][c]) for k in range(r + 1, len(header)))


def _table_kind(columns) -> TableKind:
    keys = " ".join(squash(" ".join(p)) for p in columns)
    if ("đơnvịtính" in keys or "đvt" in keys.split()) and ("sốliệu" in keys or "kếtquả" in keys or "giátrị" in keys):
        return TableKind.INDICATOR
    if any(w in keys for w in ("tiếpnhận", "nhậngiảiquyết", "nhậnmới")) and (
            "giảiquyết" in keys or "trảkếtquả" in keys):
        return TableKind.RESULTS
    return TableKind.GENERIC


def _col_role(path: tuple[str, ...]) -> str:
    """The role of a column (see model.COLUMN_ROLES): from its own header first, then from
    the whole path, so "Kế hoạch" under a spanning "Kết quả thống kê" is a plan, not a value."""
    if len(path) > 1:
        own = _role_of(squash(path[-1]))
        if own != "data":
            return own
    return _role_of(squash(" ".join(path)))


def _role_of(k: str) -> str:
    if k in ("stt", "tt", "số tt") or k.startswith("stt") or k == "sốtt":
        return "code"
    if "đơnvịtính" in k or k == "đvt":
        return "unit"
    if "ghichú" in k:
        return "note"
    if "sốliệu" in k or "giátrị" in k or "kếtquả" in k or "thựchiện" in k:
        return "value"
    if "kếhoạch" in k or "chỉtiêugiao" in k or "mụctiêu" in k or ("chỉtiêu" in k and _YEAR.search(k)):
        return "plan"  # "Chỉ tiêu năm 2024" is the year's target, not the indicator's name
    if "chỉtiêu" in k or "nộidung" in k or "lĩnhvực" in k or "tên" in k:
        return "label"
    return "data"


@lru_cache(maxsize=8192)
def _scan_cell(probe: str, style) -> tuple[Quantity, ...]:
    """Cells repeat ("0", "100%"): read each distinct cell text once."""
    return tuple(scan(probe, style=style))


_PLAIN = re.compile(r"\s*(\d[\d.,]*\d|\d)(\s*%)?\s*")


def _plain_number(text: str, cell: str, start: int, style, unit_hint: str) -> Quantity | None:
    """Fast path for the common cell that holds only a number ("598", "99,8%", "15.713")."""
    m = _PLAIN.fullmatch(cell)
    if not m:
        return None
    from auditor.lexicon import units
    from auditor.numbers import parse_value

    pct = bool(m.group(2)) or unit_hint == "%"
    info = units().lookup(unit_hint) if unit_hint and not pct else None
    money = bool(info and info.money_scale)
    parsed = parse_value(m.group(1), integer_unit=bool(info and info.integer), percent=pct, money=money,
                         style=style or "official")
    if parsed is None:
        return None
    value, decimals, ambiguous, alt, note = parsed
    kind = Kind.PERCENT if pct else Kind.MONEY if money else Kind.DECIMAL if decimals else Kind.COUNT
    s0, e0 = start + m.start(1), start + (m.end(2) if m.group(2) else m.end(1))
    return Quantity(value, text[s0:e0], kind, s0, e0, decimals,
                    "%" if pct else (info.canonical if info else (unit_hint or None)), None, None, None, None,
                    ambiguous, alt, note)


_STATED_AFTER_EQUALS = re.compile(r"\s*=\s*(\d[\d.,]*(?:\s*%)?)\s*")


def _cell_quantity(text: str, cell: str, start: int, style, unit_hint: str = "") -> Quantity | None:
    """The number a value cell holds, read with the row's unit in mind."""
    c = _clean(cell)
    stated = _STATED_AFTER_EQUALS.fullmatch(cell)
    if stated:  # "= 98,5%": the value itself written after an equals sign, not a formula
        return _plain_number(text, stated.group(1), start + stated.start(1), style, unit_hint)
    if not c or not re.search(r"\d", c) or c.startswith("=") or re.search(r"\b[A-Z]{1,2}\d+\b", c):
        return None  # empty, or a template formula left in ("=C5/C4*100")
    fast = _plain_number(text, cell, start, style, unit_hint)
    if fast is not None:
        return fast
    hint = f" {unit_hint}" if unit_hint and unit_hint != "%" else ""
    probe = cell + hint
    qs = [q for q in _scan_cell(probe, style) if q.start < len(cell)]
    qs = [q for q in qs if q.kind.is_quantity or q.kind in (Kind.SECTION, Kind.ORDINAL, Kind.CODE)]
    if not qs:
        return None
    q = qs[0]
    if not q.kind.is_quantity:
        # A lone number in a value cell is a count even if it looks like a code.
        digits = re.fullmatch(r"\s*(\d+)\s*", cell)
        if not digits:
            return None
        q = Quantity(float(digits.group(1)), digits.group(1), Kind.COUNT, digits.start(1),
                     digits.end(1))
    end = min(q.end, len(cell))
    kind = q.kind
    if unit_hint == "%" and kind in (Kind.COUNT, Kind.DECIMAL):
        kind = Kind.PERCENT
    return replace(q, start=start + q.start, end=start + end, raw=text[start + q.start : start + end],
                   kind=kind, unit=q.unit or (unit_hint or None))


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _latest_result_column(columns, roles: list[str]) -> list[str]:
    """Of several result columns with years ("Kết quả năm 2023 | … | Kết quả năm 2024"), the
    latest is this report's value; the earlier ones are a comparison and never its value."""
    years = {i: max(int(y) for y in _YEAR.findall(" ".join(columns[i])))
             for i, r in enumerate(roles) if r == "value" and _YEAR.search(" ".join(columns[i]))}
    if len(years) < 2:
        return roles
    latest = max(years, key=lambda i: (years[i], i))
    return [("data" if i in years and i != latest else r) for i, r in enumerate(roles)]


def _indicator_from_grid(text, layout, columns, header_rows, body, style) -> Table:
    roles = _latest_result_column(columns, [_col_role(p) for p in columns])
    idx = {r: roles.index(r) for r in ("code", "label", "unit", "value", "plan", "note") if r in roles}
    if "value" not in idx and "data" in roles:  # "Số lượng", "Năm 2025": the first unnamed column
        idx["value"] = roles.index("data")
        roles[idx["value"]] = "value"
    rows: list[Row] = []
    for r in body:
        cells_text = [c for c, _ in r.cells]
        code = _clean(cells_text[idx["code"]]) if "code" in idx else ""
        label = _clean(cells_text[idx["label"]]) if "label" in idx else ""
        unit = _clean(cells_text[idx["unit"]]) if "unit" in idx else ""
        note = _clean(cells_text[idx["note"]]) if "note" in idx else ""
        if "code" not in idx:
            code, label = _split_code(label)
        if not code and not label and rows and unit:
            # A unit legend wrapped onto its own row ("Đã kết nối = 1"): part of the row above.
            continue
        cells = []
        for role in ("value", "plan"):  # the stated figure and, beside it, the plan or target
            if role in idx:
                ctext, cstart = r.cells[idx[role]]
                q = _cell_quantity(text, ctext, cstart, style, _unit_key(unit))
                cells.append(Cell(_clean(ctext), cstart, cstart + len(ctext), len(rows), idx[role], q,
                                  label, code, columns[idx[role]], unit, role))
        if "note" in idx and note:
            ntext, nstart = r.cells[idx["note"]]
            for q in (_scan_cell(ntext, style) if re.search(r"\d", ntext) else ()):
                if q.is_quantity:
                    cells.append(Cell(ntext.strip(), nstart, nstart + len(ntext), len(rows), idx["note"],
                                      replace(q, start=nstart + q.start, end=nstart + q.end),
                                      label, code, columns[idx["note"]], q.unit or "", "note"))
        rows.append(Row(len(rows), code, label, tuple(cells), unit, note,
                        bool(_TOTAL_LABEL.match(label)), None, r.line.start, r.line.end))
    rows = _link_hierarchy(rows)
    return Table(0, TableKind.INDICATOR, layout, columns, tuple(rows), body[0].line.start,
                 body[-1].line.end, tuple(roles))


def _results_from_grid(text, layout, columns, kind, header_rows, body, style) -> Table:
    roles = [_col_role(p) for p in columns]
    width = len(columns)
    label_col = roles.index("label") if "label" in roles else (1 if width > 2 else 0)
    code_col = roles.index("code") if "code" in roles else (0 if label_col == 1 else None)
    rows: list[Row] = []
    for r in body:
        texts = [c for c, _ in r.cells]
        code = _clean(texts[code_col]) if code_col is not None else ""
        label = _clean(texts[label_col])
        if code_col is None:
            code, label = _split_code(label)
        if code and not _CODE.match(code) and not label:
            code, label = "", code
        elif code and not _CODE.match(code):
            label = f"{code} {label}".strip()
            code = ""
        cells = []
        for c in range(width):
            if c in (label_col, code_col):
                continue
            ctext, cstart = r.cells[c]
            unit = "%" if "tỷlệ" in squash(" ".join(columns[c])) or "%" in ctext else ""
            q = _cell_quantity(text, ctext, cstart, style, unit)
            cells.append(Cell(_clean(ctext), cstart, cstart + len(ctext), len(rows), c, q, label, code,
                              columns[c], unit, "data"))
        if not label:
            # "Tổng cộng" written in a spanning first column ("Cơ quan tiếp nhận"): take the
            # row's first text cell as its label.
            label = next((_clean(c) for c, _ in r.cells if _clean(c) and not _is_numeric_cell(c)), "")
        if not any(cl.quantity for cl in cells) and not label:
            continue
        rows.append(Row(len(rows), code, label, tuple(cells), "", "", bool(_TOTAL_LABEL.match(label)),
                        None, r.line.start, r.line.end))
    roles = ["label" if c == label_col else "code" if c == code_col else "data" for c in range(width)]
    return Table(0, kind, layout, columns, tuple(rows), body[0].line.start, body[-1].line.end, tuple(roles))


def _split_code(label: str) -> tuple[str, str]:
    """A table without an STT column writes the row number into the label ("1.2. Số hồ sơ …")."""
    m = _LEADING_CODE.match(label)
    if not m:
        return "", label
    return m.group(1), label[m.end():]


def _unit_key(unit: str) -> str:
    u = fold(unit)
    if u in ("%", "tỷ lệ") or unit.strip() == "%":
        return "%"
    return unit


def _code_parts(code: str) -> tuple | None:
    c = code.rstrip(".")
    if re.fullmatch(r"[IVX]+", c):
        return ("R", c)
    if re.fullmatch(r"\d+(?:\.\d+)*", c):
        return tuple(int(x) for x in c.split("."))
    return None


def _link_hierarchy(rows: list[Row]) -> list[Row]:
    """Parent of each row from its STT code: 2.1 → 2, 2 → the roman section, "-" → the row above."""
    out: list[Row] = []
    by_code: dict[tuple, int] = {}
    section: int | None = None
    last_numbered: int | None = None
    for r in rows:
        parts = _code_parts(r.code)
        parent = None
        if parts and parts[0] == "R":
            section, by_code, last_numbered = r.index, {}, None
        elif parts:
            parent = section
            for k in range(len(parts) - 1, 0, -1):  # nearest written ancestor: 3.3.1 → 3.3 → 3
                if parts[:k] in by_code:
                    parent = by_code[parts[:k]]
                    break
            by_code[parts] = r.index
            last_numbered = r.index
        elif r.code in ("-", "+"):
            parent = last_numbered if last_numbered is not None else section
        elif not r.code and r.label:
            # An indicator row whose number column is empty ("\tTỷ lệ hoàn thành …"): its
            # "- " sub-rows belong to it.
            parent = last_numbered if last_numbered is not None else section
            last_numbered = r.index
        out.append(replace(r, parent=parent))
    return out


# --- PDF text: one or a few cells per line ----------------------------------------------------

_HEADER_START = re.compile(r"^\s*STT\s*$")
_UNIT_WORDS = [
    "Cơ quan, đơn vị", "Triệu đồng", "Nghìn đồng", "Tỷ đồng", "Văn bản", "Nhiệm vụ", "Vấn đề",
    "Số lượng", "Thủ tục", "Hồ sơ", "Người", "PAKN", "Đơn vị", "Cơ quan", "Lượt", "Phiếu",
    "Tin bài", "Cuộc", "Lớp", "Tài khoản", "%",
]
_LEGEND = r"(?:[^\W\d]\w*(?: \w+){0,3}\s*=\s*\d(?:\s*;)?(?:\s+(?=[^\W\d]))?){1,4}"
_UNIT_RE = re.compile(
    r"(?:(?<=\s)|^)(" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r"|" + _LEGEND + r")"
    r"(?=\s|$)"
)


def _pdf_indicator_tables(text: str, lines: list[Line], used: set[int], style) -> list[Table]:
    tables = []
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].number in used or not _HEADER_START.match(lines[i].text):
            i += 1
            continue
        hdr_end = _skip_header(lines, i)
        if hdr_end is None:
            i += 1
            continue
        start_line = lines[i]
        rows, j = _collect_pdf_rows(lines, hdr_end)
        built = [_parse_pdf_row(text, r, style) for r in rows]
        built = [b for b in built if b is not None]
        if built:
            built = [replace(b, index=k, cells=tuple(replace(c, row=k) for c in b.cells))
                     for k, b in enumerate(built)]
            cols = (("STT",), ("Chỉ tiêu thống kê",), ("Kết quả thống kê", "Đơn vị tính"),
                    ("Kết quả thống kê", "Số liệu"), ("Ghi chú",))
            tables.append(Table(0, TableKind.INDICATOR, "pdf-lines", cols,
                                tuple(_link_hierarchy(built)), start_line.start, lines[j - 1].end,
                                ("code", "label", "unit", "value", "note")))
        i = j
    return tables


def _skip_header(lines: list[Line], i: int) -> int | None:
    """Index of the first line after a header block that starts at an "STT" line."""
    for k in range(i + 1, min(i + 14, len(lines))):
        s = squash(lines[k].text)
        if "sốliệu" in s or s.endswith("đơnvịtính"):
            return k + 1
    return None


_PAGE_MARK = re.compile(r"^(?:-\s*\d{1,3}\s*-|[Tt]rang\s+\d{1,3}(?:\s*/\s*\d{1,3})?)$")


def _collect_pdf_rows(lines: list[Line], i: int) -> tuple[list[_IndicatorRow], int]:
    rows: list[_IndicatorRow] = []
    n = len(lines)
    while i < n:
        ln = lines[i]
        s = ln.text.strip()
        if _HEADER_START.match(ln.text):
            end = _skip_header(lines, i)
            if end is not None:
                i = end
                continue
        if not s or _PAGE_MARK.match(s):
            i += 1  # blank, or a page number / running header left inside the table
            continue
        if re.match(r"^(?:Nơi nhận|TM\.|KT\.|PHỤ LỤC|Phụ lục)", s):
            break
        lead = len(ln.text) - len(ln.text.lstrip())
        m = re.match(r"^(\S+)(?:\s+|$)", s)
        code = m.group(1) if m else ""
        is_code = bool(_CODE.match(code)) and code not in ("+",)
        bare_number = re.fullmatch(r"\d+", s) is not None
        if is_code and bare_number and rows and _row_wants_value(rows[-1]):
            is_code = False
        if is_code and re.fullmatch(r"\d+\.?", code) and rows and not _plausible_next(rows, code):
            is_code = False
        if is_code:
            row = _IndicatorRow(code.rstrip("."), ln.start + lead)
            rest_off = m.end()
            rest = s[rest_off:]
            if rest.strip():
                row.pieces.append(_Piece(rest, ln.start + lead + rest_off))
            rows.append(row)
        elif rows:
            rows[-1].pieces.append(_Piece(s, ln.start + lead))
        i += 1
    return rows, i


def _row_wants_value(row: _IndicatorRow) -> bool:
    joined = " ".join(p.text for p in row.pieces)
    return bool(re.search(r"=\s*\d\s*;?\s*$", joined)) or bool(_UNIT_RE.search(joined)) and not re.search(
        r"\d\s*$", joined)


def _plausible_next(rows: list[_IndicatorRow], code: str) -> bool:
    """A bare "1" after row 5.1 is not a new top-level row numbered 1 unless a section began."""
    new = _code_parts(code)
    for prev in reversed(rows):
        p = _code_parts(prev.code)
        if p is None:
            continue
        if p[0] == "R":
            return True
        return new is not None and (new[0] >= p[0] or new[0] == 1)
    return True


def _pick_unit(joined: str) -> re.Match | None:
    """The unit column inside a row's joined text.

    Units are written capitalised ("Hồ sơ", "Có = 1; Không = 0") while labels use the
    same words in lower case; of the candidates after the label's first word, the one
    followed by a value or by the end of the row wins, else the first.
    """
    candidates = []
    for pos in (k for k in range(1, len(joined)) if joined[k - 1] == " " and joined[k] != " "):
        m = _UNIT_RE.match(joined, pos)
        if m and (m.group(1)[0].isupper() or m.group(1) == "%"):
            candidates.append(m)
    if not candidates:
        return None
    for m in candidates:
        if re.match(r"\s*(?:[<>]?\d[\d.,]*%?(?=\s|$)|$)", joined[m.end():]):
            return m
    return candidates[0]


def _parse_pdf_row(text: str, row: _IndicatorRow, style) -> Row | None:
    # Join the pieces with single spaces, remembering where each character came from.
    chars: list[str] = []
    offs: list[int] = []
    for p in row.pieces:
        if chars:
            chars.append(" ")
            offs.append(-1)
        for k, ch in enumerate(p.text):
            chars.append(ch)
            offs.append(p.start + k)
    joined = "".join(chars)
    m = _pick_unit(joined)
    if m is not None:
        label = joined[: m.start()].strip()
        unit = " ".join(m.group(1).split())
        tail_start = m.end()
    else:
        label, unit, tail_start = joined.strip(), "", len(joined)
    tail = joined[tail_start:]
    vm = re.match(r"\s*([<>]?\d[\d.,]*%?)(?=\s|$)", tail)
    cells: list[Cell] = []
    note = tail.strip()
    if vm:
        vs = tail_start + vm.start(1)
        ve = tail_start + vm.end(1)
        start, end = offs[vs], offs[ve - 1] + 1
        q = _cell_quantity(text, text[start:end], start, style, _unit_key(unit))
        cells.append(Cell(text[start:end], start, end, 0, 3, q, label, row.code,
                          ("Kết quả thống kê", "Số liệu"), unit, "value"))
        note = tail[vm.end():].strip()
        note_start = tail_start + vm.end()
    elif (pm := re.match(r"\s*(=\S+|…+|\.{2,}|[xX])(?=\s|$)", tail)):
        # The template's formula or placeholder left where the value belongs.
        vs, ve = tail_start + pm.start(1), tail_start + pm.end(1)
        start, end = offs[vs], offs[ve - 1] + 1
        cells.append(Cell(text[start:end], start, end, 0, 3, None, label, row.code,
                          ("Kết quả thống kê", "Số liệu"), unit, "value"))
        note = tail[pm.end():].strip()
        note_start = tail_start + pm.end()
    else:
        note_start = tail_start
    if note:
        for q in scan(joined[note_start:], style=style):
            if not q.is_quantity:
                continue
            a = note_start + q.start
            b = note_start + q.end - 1
            if offs[a] < 0 or offs[b] < 0:
                continue
            s, e = offs[a], offs[b] + 1
            cells.append(Cell(" ".join(note.split()), s, e, 0, 4,
                              replace(q, start=s, end=e, raw=text[s:e]), label, row.code,
                              ("Ghi chú",), q.unit or "", "note"))
    if not label and not cells:
        return None
    starts = [p.start for p in row.pieces] or [row.code_start]
    ends = [p.start + len(p.text) for p in row.pieces] or [row.code_start + len(row.code)]
    return Row(0, row.code, " ".join(label.split()), tuple(cells), unit, " ".join(note.split()),
               bool(_TOTAL_LABEL.match(label)), None, min(row.code_start, *starts), max(ends))


# --- PDF text: a results table flattened to one row per line -----------------------------------

# The national results template (files by field), leaf columns in order. A flattened PDF
# keeps the numbers of a row on one line but loses the header's cell boundaries, so the
# header is recognised by its words and the template's columns are used.
_RESULTS_TEMPLATE = (
    ("Số lượng hồ sơ tiếp nhận", "Tổng số"),
    ("Số lượng hồ sơ tiếp nhận", "Trong kỳ", "Trực tuyến"),
    ("Số lượng hồ sơ tiếp nhận", "Trong kỳ", "Trực tiếp, dịch vụ bưu chính"),
    ("Số lượng hồ sơ tiếp nhận", "Từ kỳ trước"),
    ("Số lượng hồ sơ đã giải quyết", "Tổng số"),
    ("Số lượng hồ sơ đã giải quyết", "Trước hạn"),
    ("Số lượng hồ sơ đã giải quyết", "Đúng hạn"),
    ("Số lượng hồ sơ đã giải quyết", "Quá hạn"),
    ("Số lượng hồ sơ đang giải quyết", "Tổng số"),
    ("Số lượng hồ sơ đang giải quyết", "Trong hạn"),
    ("Số lượng hồ sơ đang giải quyết", "Quá hạn"),
)
_RATE_COLUMN = ("Tỷ lệ đúng hạn và trước hạn (%)",)
_FLAT_ROW = re.compile(r"^\s*(?P<head>(?:\d{1,2}\.?\s+)?\D*?)\s*(?P<nums>(?:\d[\d.,]*%?\s+){5,}\d[\d.,]*%?)\s*$")
_FLAT_HEADER_WORDS = ("tiếpnhận", "giảiquyết")  # the rest is often split across header lines


def _lines_of(tables: list[Table], lines: list[Line]) -> set[int]:
    """Numbers of the lines that start inside a table (lines are in order: bisection)."""
    import bisect

    starts = [ln.start for ln in lines]
    out: set[int] = set()
    for t in tables:
        out.update(ln.number for ln in lines[bisect.bisect_left(starts, t.start):bisect.bisect_right(starts, t.end)])
    return out


def _pdf_results_tables(text: str, lines: list[Line], used: set[int], style) -> list[Table]:
    tables = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].number in used or "\t" in lines[i].text or not re.match(r"\s*(?:STT|TT)\b", lines[i].text):
            i += 1
            continue
        header = " ".join(ln.text for ln in lines[i : i + 6])
        if not all(w in squash(header) for w in _FLAT_HEADER_WORDS):
            i += 1
            continue
        j = i + 1
        while j < n and j < i + 8 and not _FLAT_ROW.match(lines[j].text):
            j += 1
        rows, pending, k = [], [], j
        while k < n:
            ln = lines[k]
            m = _FLAT_ROW.match(ln.text)
            if m:
                rows.append((pending, ln, m))
                pending = []
            elif ln.text.strip() and len(ln.text.strip()) < 80 and not re.search(r"[.;:]\s*$", ln.text.strip()) \
                    and k + 1 < n and _FLAT_ROW.match(lines[k + 1].text):
                pending = [ln]  # a label wrapped onto its own line above the numbers
            elif ln.text.strip():
                break
            k += 1
        width = Counter(len(m.group("nums").split()) for _, _, m in rows).most_common(1)
        if not rows or width[0][0] not in (11, 12):
            i = k
            continue
        width = width[0][0]
        cols = (("STT",), ("Lĩnh vực",)) + (_RESULTS_TEMPLATE if width == 11 else
                                            _RESULTS_TEMPLATE[:8] + (_RATE_COLUMN,) + _RESULTS_TEMPLATE[8:])
        out_rows = []
        for pend, ln, m in rows:
            nums = list(re.finditer(r"\d[\d.,]*%?", m.group("nums")))
            if len(nums) != width:
                continue
            head = " ".join([p.text.strip() for p in pend] + [m.group("head").strip()])
            cm = re.match(r"(\d{1,2})\.?\s+(.*)", head)
            code, label = (cm.group(1), cm.group(2)) if cm else ("", head)
            if pend and not cm:
                cm2 = re.match(r"(\d{1,2})\.?\s+(.*)", pend[0].text.strip())
                if cm2:
                    code, label = cm2.group(1), " ".join([cm2.group(2)] + [p.text.strip() for p in pend[1:]] +
                                                          [m.group("head").strip()])
            base = ln.start + m.start("nums")
            cells = []
            for c, nm in enumerate(nums):
                col = c + 2
                unit = "%" if cols[col] == _RATE_COLUMN else ""
                q = _cell_quantity(text, nm.group(0), base + nm.start(), style, unit)
                cells.append(Cell(nm.group(0), base + nm.start(), base + nm.end(), len(out_rows), col, q, label,
                                  code, cols[col], unit, "data"))
            out_rows.append(Row(len(out_rows), code, " ".join(label.split()), tuple(cells), "", "",
                                bool(_TOTAL_LABEL.match(label.strip())), None,
                                (pend[0].start if pend else ln.start), ln.end))
        if len(out_rows) >= 2:
            tables.append(Table(0, TableKind.RESULTS, "pdf-lines", cols, tuple(out_rows), lines[i].start,
                                rows[-1][1].end, ("code", "label") + ("data",) * (len(cols) - 2)))
        i = k
    return tables
