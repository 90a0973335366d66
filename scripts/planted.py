"""Planted single errors: a benchmark whose gold is known by construction.

Take a report whose figures agree (or the regions of a report that agree) and change
exactly one thing in it: a table cell, one member of a narrative identity, a narrative
figure repeated in a table, a stated rate, a date or a fraction's numerator. The changed
text and a gold entry describing the change (same format as ``corpora/gold/*.yaml``) are
returned; ``auditor.evaluate.evaluate_dir`` then measures, per kind, how many planted
errors the auditor finds.

Kinds (the gold ``check`` values):

``sum``                 one number of a results-table total row or data row changed
``identity``            one member of "tiếp nhận N … đã giải quyết a … đang giải quyết b"
                        (or "giải quyết a … trước hạn e … đúng hạn o") changed
``narrative-vs-table``  a digit doubled or two digits swapped in a narrative figure that the
                        tables repeat (same value, a shared measure word)
``rate``                an indicator "Tỷ lệ" row or the results table's rate column moved
                        outside its rounding interval
``date``                a date made impossible (30/02, 31/04, month 13)
``fraction``            a count fraction's numerator raised above its denominator

Sites are found from the text alone (a small tab/PDF table reader and regular expressions
here), not with the auditor's own parsers, so a table the auditor misreads still gets
planted errors and shows up as misses. The auditor is run once on the *unchanged* text,
only to avoid planting where one of its existing findings would already point: such a
finding would be credited to the planted error without having found it. Regions named by
the source's own gold file are left alone, and the source's gold entries are carried over
as ``required: false`` so that they count neither as misses nor as false alarms.

Everything is deterministic for a given seed. Pure Python; PyYAML only in the script that
writes files (``scripts/plant_errors.py``).
"""
from __future__ import annotations

import calendar
import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable

from auditor.evaluate import gold_values

KINDS = ("sum", "identity", "narrative-vs-table", "rate", "date", "fraction")

# An integer as written in prose: 786, 06, 1.290 (not 20.5, 99,8, 10/12/2023, 22/QĐ, 56m²).
_INT = re.compile(r"(?<![\w/.,])(\d{1,3}(?:\.\d{3})+|\d+)(?![\w/]|[.,]\d)")
_FRACTION = re.compile(r"(?<![\w/.,])(\d{1,4})/(\d{1,4})(?![\w/]|[.,]\d)")
_DMY = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/]|[.,]\d)")
_WRITTEN_DATE = re.compile(r"(?i)\bngày[ \t]+(\d{1,2})[ \t]+tháng[ \t]+(\d{1,2})(?=\s+năm\s+\d{4})")
_CODE = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,4}\.?)$")
_TOTAL = re.compile(r"(?i)^\s*(?:tổng cộng|tổng số|tổng hợp|cộng)\s*$")
_COUNT_CELL = re.compile(r"^\s*\d+\s*$")
_RATE_CELL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$")
_NUMERIC_CELL = re.compile(r"^\s*\d[\d.,]*\s*%?\s*$")
_PDF_ROW = re.compile(r"^[ \t]*(\d{1,2}(?:\.\d{1,2}){0,4})\.?(?:[ \t]+(\S.*?))?[ \t]*$")
# Units of the national indicator template, as the PDF layout shows them before the value.
_PDF_UNIT_VALUE = re.compile(
    r"(?i)(?<!\w)(%|thủ tục|hồ sơ|nhiệm vụ|văn bản|vấn đề|người|pakn|cơ quan, đơn vị|số lượng|"
    r"đơn vị|triệu đồng|đồng)[ \t]+(\d[\d.,]*%?)(?![\w/])")

# Measure words shared by the narrative and the table headers of CCHC reports; a narrative
# figure is "repeated in a table" when a cell has its value and one of these words.
_MEASURES = ("tiếp nhận", "giải quyết", "trước hạn", "đúng hạn", "quá hạn", "trực tuyến", "trực tiếp",
             "kỳ trước", "trong hạn", "biên chế", "có mặt", "nhiệm vụ", "hoàn thành", "kiểm tra",
             "rà soát", "phản ánh", "kiến nghị", "toàn trình", "một phần", "thanh toán", "số hóa",
             "liên thông", "khảo sát", "kỷ luật", "tuyển dụng", "vbqppl", "văn bản")


# --- data ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Site:
    """One place where an error of `kind` can be planted.

    `span` is the number that will change; `mutations` the replacement texts to choose
    from (each with a note for the summary); `others` are unchanged spans that belong to
    the same discrepancy (the other members of an identity, the table cell a narrative
    figure repeats) and go into the gold entry when no existing finding points at them.
    """

    kind: str
    span: Span
    mutations: list[tuple[str, str]]
    others: list[Span] = field(default_factory=list)
    what: str = ""


# --- text helpers ----------------------------------------------------------------------------

def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", _nfc(s).lower())


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for ln in text.split("\n"):
        out.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    return out


def _int_value(raw: str) -> int:
    return int(raw.replace(".", ""))


def _fmt_like(value: int, like: str) -> str:
    """`value` written the way `like` was: 1.290-style grouping, 06-style zero padding."""
    if "." in like:
        return f"{value:,}".replace(",", ".")
    s = str(value)
    if like.startswith("0") and len(like) > len(s):
        s = s.zfill(len(like))
    return s




def _appendix_start(text: str) -> int:
    """Where the appendix begins: a 'PHỤ LỤC' title line or a bare 'STT' header line."""
    for s, _, ln in _lines(text):
        t = ln.strip()
        if re.fullmatch(r"(?i)ph[ụu] l[ụu]c", t) or t == "STT":
            return s
    return len(text)


def _narrative_spans(text: str) -> list[tuple[int, int]]:
    """Lines of running text: before the appendix, not tab-separated table rows, not the
    place-and-date header line."""
    stop = _appendix_start(text)
    out = []
    for s, e, ln in _lines(text):
        if s >= stop:
            break
        if ln.count("\t") >= 2 or re.match(r"^\s*[^\d,\n]{2,40},\s*ngày\b", ln):
            continue
        out.append((s, e))
    return out


def _in_narrative(spans, s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


_SEP = re.compile(r"[;()\[\]]|[.,](?!\d)|\n[ \t]*(?:\n[ \t]*)*")


def _clause(text: str, s: int, e: int) -> str:
    """The clause around text[s:e]: up to , ; . ( ) or a paragraph break. A line break
    inside a sentence (a wrapped PDF line, a docx paragraph cut in two) is not a break."""
    lo = max(0, s - 300)
    hi = min(len(text), e + 300)
    left, right = lo, hi
    for m in _SEP.finditer(text, lo, s):
        if not _soft_break(text, m):
            left = m.end()
    for m in _SEP.finditer(text, e, hi):
        if not _soft_break(text, m):
            right = m.start()
            break
    return text[left:right]


def _soft_break(text: str, m: re.Match) -> bool:
    if "\n" not in m.group(0):
        return False
    before = text[max(0, m.start() - 40): m.start()].rstrip()
    after = text[m.end(): m.end() + 40].lstrip()
    return bool(before) and before[-1] not in ".;:!?" and bool(after) and after[0].islower()


def _measures(s: str) -> set[str]:
    q = _squash(s)
    return {w for w in _MEASURES if _squash(w) in q}


# --- a small table reader ----------------------------------------------------------------------

@dataclass
class _Cell:
    text: str
    start: int
    end: int
    col: int

    @property
    def stripped(self) -> tuple[str, int, int]:
        t = self.text
        a = len(t) - len(t.lstrip())
        b = len(t.rstrip())
        return t.strip(), self.start + a, self.start + b


@dataclass
class _ResultsRow:
    label: str
    is_total: bool
    cells: list[_Cell]
    line: int


@dataclass
class _ResultsTable:
    paths: list[tuple[str, ...]]
    rows: list[_ResultsRow]

    def col(self, *words: str, exclude: tuple[str, ...] = ()) -> list[int]:
        out = []
        for c, p in enumerate(self.paths):
            j = _squash(" ".join(p))
            if all(_squash(w) in j for w in words) and not any(_squash(x) in j for x in exclude):
                out.append(c)
        return out


@dataclass
class _IndicatorRow:
    code: str
    label: str
    unit: str
    value: str | None
    start: int  # of the value
    end: int
    line: int


def _split_cells(line_start: int, ln: str) -> list[_Cell]:
    out, pos = [], 0
    for i, part in enumerate(ln.split("\t")):
        out.append(_Cell(part, line_start + pos, line_start + pos + len(part), i))
        pos += len(part) + 1
    return out


def _tab_blocks(text: str) -> list[list[tuple[int, list[_Cell]]]]:
    """Runs of tab-separated lines, each starting at an 'STT' header line."""
    blocks: list[list[tuple[int, list[_Cell]]]] = []
    cur: list | None = None
    for n, (s, _, ln) in enumerate(_lines(text), 1):
        if ln.count("\t") < 2:
            if ln.strip() and cur is not None:
                cur = None
            continue
        cells = _split_cells(s, ln)
        if re.fullmatch(r"(?i)st\s*t", cells[0].text.strip()):
            cur = []
            blocks.append(cur)
        if cur is not None:
            cur.append((n, cells))
    return blocks


def _col_paths(header: list[list[_Cell]], width: int) -> list[tuple[str, ...]]:
    owner: list[list[int | None]] = []
    for r, row in enumerate(header):
        own: list[int | None] = [None] * width
        for c in range(width):
            txt = row[c].text.strip() if c < len(row) else ""
            if txt:
                own[c] = c
            elif c > 0 and own[c - 1] is not None and (r == 0 or owner[r - 1][c] == owner[r - 1][c - 1]):
                own[c] = own[c - 1]
        owner.append(own)
    paths = []
    for c in range(width):
        p = []
        for r, row in enumerate(header):
            o = owner[r][c]
            if o is not None:
                p.append(" ".join(row[o].text.split()))
        paths.append(tuple(p))
    return paths


def _is_numeric_row(cells: list[_Cell]) -> bool:
    return any(_NUMERIC_CELL.match(c.text) for c in cells[2:])


def results_tables(text: str) -> list[_ResultsTable]:
    """Tab-separated tables of files by field (received / resolved / pending columns)."""
    out = []
    for block in _tab_blocks(text):
        header, body = [], []
        for n, cells in block:
            if not body and not _is_numeric_row(cells):
                if all(re.fullmatch(r"\(\d+\)", c.text.strip()) or not c.text.strip() for c in cells):
                    continue  # (1) (2) (3) … column numbers
                if not any(c.text.strip() for c in cells[2:]):
                    continue  # "TỔNG SỐ" or a section row inside the header
                header.append(cells)
            else:
                body.append((n, cells))
        head = _squash(" ".join(c.text for row in header for c in row))
        if not header or "đơnvịtính" in head or "tiếpnhận" not in head:
            continue
        width = max(len(c) for _, c in block)
        paths = _col_paths(header, width)
        rows = []
        for n, cells in body:
            if not _is_numeric_row(cells):
                continue
            first = cells[0].text.strip()
            label = cells[1].text.strip() if len(cells) > 1 else ""
            is_total = bool(_TOTAL.match(first) or _TOTAL.match(label))
            if not is_total and not _CODE.match(first):
                continue
            rows.append(_ResultsRow(label or first, is_total, cells, n))
        if rows:
            out.append(_ResultsTable(paths, rows))
    return out


def indicator_rows(text: str) -> list[_IndicatorRow]:
    """Rows of indicator tables (STT | label | unit | value | note), tab layout and the
    PDF layout where a row's cells come on one or several lines."""
    rows: list[_IndicatorRow] = []
    used_lines: set[int] = set()
    for block in _tab_blocks(text):
        head = _squash(" ".join(c.text for _, cells in block[:3] for c in cells))
        if "đơnvịtính" not in head:
            continue
        for n, cells in block:
            used_lines.add(n)
            code = cells[0].text.strip()
            if not _CODE.match(code) or len(cells) < 4:
                continue
            v, vs, ve = cells[3].stripped
            rows.append(_IndicatorRow(code.rstrip("."), " ".join(cells[1].text.split()),
                                      cells[2].text.strip(), v if _NUMERIC_CELL.match(v) else None,
                                      vs, ve, n))
    # PDF layout: only after an appendix header line "STT" with no tabs.
    lines = _lines(text)
    start = next((i for i, (_, _, ln) in enumerate(lines) if ln.strip() == "STT"), None)
    if start is None:
        return rows
    starts = []
    for i in range(start, len(lines)):
        s, _, ln = lines[i]
        m = _PDF_ROW.match(ln)
        if not m or m.group(1) == "0" or (i + 1) in used_lines:
            continue
        if m.group(2) is None or not m.group(2).strip():
            nxt = next((l for _, _, l in lines[i + 1:] if l.strip()), "")
            if not nxt.strip()[:1].isupper():
                continue  # a value on its own line, not a row code
        elif not m.group(2).strip()[:1].isupper():
            continue
        starts.append(i)
    for k, i in enumerate(starts):
        j = starts[k + 1] if k + 1 < len(starts) else len(lines)
        s0 = lines[i][0]
        e0 = lines[j - 1][1]
        body = text[s0:e0]
        code = _PDF_ROW.match(lines[i][2]).group(1)
        m = _PDF_UNIT_VALUE.search(body)
        if m:
            label = " ".join(body[len(code) + 1: m.start()].split())
            rows.append(_IndicatorRow(code, label, m.group(1), m.group(2),
                                      s0 + m.start(2), s0 + m.end(2), i + 1))
        else:
            rows.append(_IndicatorRow(code, " ".join(body[len(code) + 1:].split()), "", None, s0, s0, i + 1))
    rows.sort(key=lambda r: r.line)
    return rows


def _parse_number(raw: str) -> tuple[float, int] | None:
    """(value, decimals) of a cell value: 1.290, 15.713, 20.5, 99,8, 100%."""
    t = raw.strip().rstrip("%").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        return float(t.replace(".", "")), 0
    m = re.fullmatch(r"(\d+)(?:[.,](\d+))?", t)
    if not m:
        return None
    return float(m.group(1) + ("." + m.group(2) if m.group(2) else "")), len(m.group(2) or "")


def _kids(rows: list[_IndicatorRow], i: int) -> list[_IndicatorRow]:
    code = rows[i].code + "."
    out = []
    for r in rows[i + 1:]:
        if not r.code.startswith(code):
            break
        out.append(r)
    return out


# --- site finders ------------------------------------------------------------------------------

def _sum_sites(text: str) -> list[Site]:
    """Count cells of results tables whose column foots in the source: its one total row
    equals the sum of the data rows."""
    sites = []
    for t in results_tables(text):
        rate_cols = set(t.col("tỷ lệ")) | set(t.col("tỉ lệ"))
        totals = [r for r in t.rows if r.is_total]
        data = [r for r in t.rows if not r.is_total]
        if len(totals) != 1 or len(data) < 2:
            continue
        total = totals[0]

        def cell(r, col):
            return next((x for x in r.cells if x.col == col and _COUNT_CELL.match(x.text)), None)

        footing = set()
        for tc in total.cells[2:]:
            parts = [cell(r, tc.col) for r in data]
            if tc.col not in rate_cols and cell(total, tc.col) and all(parts) and \
                    sum(int(p.text) for p in parts) == int(tc.text):
                footing.add(tc.col)
        for r in t.rows:
            counts = [c for c in r.cells[2:] if c.col in footing and _COUNT_CELL.match(c.text)]
            if not any(int(c.text) for c in counts):
                continue
            for c in counts:
                raw, s, e = c.stripped
                old = int(raw)
                muts = []
                for d in (1, 2, 3, 4, 5, 10, 20):
                    for v in (old + d, old - d):
                        if v >= 0:
                            muts.append((_fmt_like(v, raw), f"{raw} → {_fmt_like(v, raw)}"))
                others = [] if r is total else [Span(*cell(total, c.col).stripped[1:])]
                col = " / ".join(t.paths[c.col]) if c.col < len(t.paths) else f"cột {c.col + 1}"
                where = "total row" if r.is_total else f"data row «{r.label}»"
                sites.append(Site("sum", Span(s, e), muts, others,
                                  f"results table, {where}, column «{col}» (line {r.line})"))
    return sites


def _narrative_ints(text: str) -> list[tuple[int, int, str]]:
    spans = _narrative_spans(text)
    out = []
    for m in _INT.finditer(text):
        s, e = m.span(1)
        if text[e:e + 1] == "%" or text[e:e + 2] == " %" or not _in_narrative(spans, s, e):
            continue
        out.append((s, e, m.group(1)))
    return out


def _identity_sites(text: str) -> list[Site]:
    """Narrative identities that hold in the source: received = resolved + pending and
    resolved = early + on time. Each member of each one is a site."""
    nums = _narrative_ints(text)
    info = []
    for s, e, raw in nums:
        c = _squash(_clause(text, s, e))
        info.append((s, e, raw, c))
    found: list[Site] = []
    para = _paragraph_ids(text)
    groups: dict[int, list] = {}
    for item in info:
        groups.setdefault(para(item[0]), []).append(item)
    for items in groups.values():
        def pick(pred, after=-1):
            return next((it for it in items if it[0] > after and pred(it[3])), None)

        def resolved(c):
            return "giảiquyết" in c and "đang" not in c and "trướchạn" not in c and "đúnghạn" not in c

        recv = pick(lambda c: "tiếpnhận" in c and "đang" not in c)
        res = pick(resolved)
        pend = pick(lambda c: "đang" in c and ("giảiquyết" in c or "tronghạn" in c))
        if recv and res and pend and recv[0] < res[0] < pend[0] and \
                _int_value(recv[2]) == _int_value(res[2]) + _int_value(pend[2]):
            members = [recv, res, pend]
            found += _member_sites(members, "received {0} = resolved {1} + pending {2}")
        if res:
            early = pick(lambda c: "trướchạn" in c and "đúnghạn" not in c, res[0])
            ontime = pick(lambda c: "đúnghạn" in c and "trướchạn" not in c, res[0])
            if early and ontime and _int_value(res[2]) == _int_value(early[2]) + _int_value(ontime[2]):
                found += _member_sites([res, early, ontime], "resolved {0} = early {1} + on time {2}")
    return found


def _paragraph_ids(text: str) -> Callable[[int], int]:
    """Paragraph number of an offset; a paragraph cut by a soft break stays one paragraph."""
    cuts = [m.start() for m in re.finditer(r"\n[ \t]*\n", text) if not _soft_break(text, m)]

    def pid(off: int) -> int:
        return sum(1 for c in cuts if c < off)
    return pid


def _member_sites(members, pattern: str) -> list[Site]:
    raws = [m[2] for m in members]
    out = []
    for i, (s, e, raw, _) in enumerate(members):
        old = _int_value(raw)
        muts = []
        for d in (1, 2, 3, 4, 5, 10):
            for v in (old + d, old - d):
                if v >= 0:
                    new = _fmt_like(v, raw)
                    muts.append((new, f"{raw} → {new}"))
        others = [Span(m[0], m[1]) for j, m in enumerate(members) if j != i]
        out.append(Site("identity", Span(s, e), muts, others,
                        "narrative identity " + pattern.format(*raws)))
    return out


def _table_cells(text: str) -> list[tuple[int, int, float, str, bool]]:
    """(start, end, value, descriptor, is_total) of every table value a narrative figure may
    repeat: results-table total rows and indicator rows."""
    out = []
    for t in results_tables(text):
        for r in t.rows:
            if not r.is_total:
                continue
            for c in r.cells[2:]:
                if _COUNT_CELL.match(c.text) and c.col < len(t.paths):
                    raw, s, e = c.stripped
                    out.append((s, e, float(raw), " ".join(t.paths[c.col]), True))
    for r in indicator_rows(text):
        if r.value is None or r.unit.strip() == "%" or r.value.endswith("%"):
            continue
        p = _parse_number(r.value)
        if p and p[1] == 0:
            out.append((r.start, r.end, p[0], f"{r.label} {r.unit}", r.label.lower().startswith("tổng")))
    return out


def _digit_typos(raw: str) -> list[tuple[str, str]]:
    """A doubled digit or two neighbours swapped, kept in the figure's own style."""
    digits = raw.replace(".", "")
    out = []
    for i in range(len(digits)):
        out.append((digits[:i + 1] + digits[i] + digits[i + 1:], "doubled digit"))
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            out.append((digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:], "swapped digits"))
    res, seen = [], set()
    for d, how in out:
        if int(d) == int(digits):
            continue
        new = _fmt_like(int(d), raw) if "." in raw else d
        if new not in seen:
            seen.add(new)
            res.append((new, f"{raw} → {new} ({how})"))
    return res


def _nvt_sites(text: str) -> list[Site]:
    cells = _table_cells(text)
    sites = []
    for s, e, raw in _narrative_ints(text):
        if len(raw.replace(".", "")) < 2:
            continue
        v = _int_value(raw)
        clause = _clause(text, s, e)
        words = _measures(clause)
        pending = "đang" in clause.lower()
        best = None
        for cs, ce, cv, desc, is_total in cells:
            if cv != v or ("đang" in desc.lower()) != pending:
                continue
            shared = words & _measures(desc)
            if not shared - {"văn bản"}:
                continue
            score = (len(shared), is_total)
            if best is None or score > best[0]:
                best = (score, cs, ce, desc)
        if best is None:
            continue
        muts = _digit_typos(raw)
        if muts:
            sites.append(Site("narrative-vs-table", Span(s, e), muts, [Span(best[1], best[2])],
                              f"narrative figure repeated in the table as «{best[3][:80]}»"))
    return sites


def _rate_choices(stated: float, decimals: int, raw: str, ratios: list[float]) -> list[tuple[str, str]]:
    """Rates at least 2 points from the stated one and more than 1 point from every ratio
    the table's counts give, written like the original (decimals, mark, % sign)."""
    pct = raw.strip().endswith("%")
    mark = "," if "," in raw else "."
    out = []
    for d in (2, 3, 4, 5, 7, 10, 12, 15, 20, 25):
        for v in (stated - d, stated + d):
            if not 0 < v <= 100 or any(abs(v - r) <= 1.0 for r in ratios):
                continue
            s = f"{v:.{decimals}f}".replace(".", mark) + ("%" if pct else "")
            out.append((s, f"{raw.strip()} → {s}"))
    return out


def _rate_sites(text: str) -> list[Site]:
    sites = []
    rows = indicator_rows(text)
    for i, r in enumerate(rows):
        if r.value is None or not (r.unit.strip() == "%" or re.match(r"(?i)t[ỷỉ] lệ", r.label)):
            continue
        stated = _parse_number(r.value)
        if stated is None:
            continue
        kids = [k for k in _kids(rows, i) if k.value and k.unit.strip() != "%" and not k.value.endswith("%")
                and _parse_number(k.value)]
        vals = [_parse_number(k.value)[0] for k in kids]
        if len(vals) < 2:
            continue
        half = 0.5 * 10 ** (-stated[1])
        idx = range(len(vals))
        readings = [((i_,), j, 100 * vals[i_] / vals[j]) for i_ in idx for j in idx
                    if i_ != j and vals[j] and vals[i_] <= vals[j]]
        readings += [((i_, j), k, 100 * (vals[i_] + vals[j]) / vals[k]) for i_ in idx for j in idx for k in idx
                     if i_ < j and k not in (i_, j) and vals[k] and vals[i_] + vals[j] <= vals[k]]
        ratios = [x for _, _, x in readings]
        fits = [(nums, den) for nums, den, x in readings if stated[0] - half - 1e-9 <= x < stated[0] + half + 1e-9]
        if not fits:
            continue  # the row does not hold in the source: not a place to plant
        muts = _rate_choices(stated[0], stated[1], r.value, ratios)
        nums, den = fits[0]
        others = [Span(kids[x].start, kids[x].end) for x in (*nums, den)]
        sites.append(Site("rate", Span(r.start, r.end), muts, others,
                          f"indicator row {r.code} «{r.label[:70]}» (line {r.line})"))
    for t in results_tables(text):
        rate_cols = t.col("tỷ lệ") + t.col("tỉ lệ")
        res = t.col("đã giải quyết", "tổng số")
        early = t.col("đã giải quyết", "trước hạn")
        ontime = t.col("đã giải quyết", "đúng hạn")
        if not rate_cols or len(res) != 1 or not early or not ontime:
            continue
        for r in t.rows:
            by = {c.col: c for c in r.cells}
            rc = by.get(rate_cols[0])
            if rc is None or not _RATE_CELL.match(rc.text):
                continue
            try:
                den = int(by[res[0]].text)
                n = int(by[early[0]].text) + int(by[ontime[0]].text)
            except (KeyError, ValueError):
                continue
            stated = _parse_number(rc.text)
            if not den or stated is None:
                continue
            half = 0.5 * 10 ** (-stated[1])
            if not stated[0] - half - 1e-9 <= 100 * n / den < stated[0] + half + 1e-9:
                continue
            raw, s, e = rc.stripped
            muts = _rate_choices(stated[0], stated[1], raw, [100 * n / den])
            sites.append(Site("rate", Span(s, e), muts, [],
                              f"results table rate column, row «{r.label}» (line {r.line}), "
                              f"(early + on time) / resolved = {n}/{den}"))
    return sites


def _date_sites(text: str) -> list[Site]:
    spans = _narrative_spans(text)
    sites = []

    def valid(d, m, y):
        return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]

    for m in _DMY.finditer(text):
        s, e = m.span()
        d, mo, y = m.group(1), m.group(2), m.group(3)
        if not _in_narrative(spans, s, e) or not valid(int(d), int(mo), int(y)) or \
                "kèm theo" in _line_of(text, s).lower():
            continue
        pad = len(mo) == 2
        muts = [(f"{dd}/{'02' if pad else '2'}/{y}", f"{m.group(0)} → {dd}/{'02' if pad else '2'}/{y} (February)")
                for dd in ("30", "31")]
        muts.append((f"{d}/13/{y}", f"{m.group(0)} → {d}/13/{y} (month 13)"))
        for mm in ("04", "06", "09", "11"):
            mm = mm if pad else mm.lstrip("0")
            muts.append((f"31/{mm}/{y}", f"{m.group(0)} → 31/{mm}/{y} (30-day month)"))
        sites.append(Site("date", Span(s, e), muts, [], f"date in the narrative (line {_line_no(text, s)})"))
    for m in _WRITTEN_DATE.finditer(text):
        s, e = m.span()
        d, mo = m.group(1), m.group(2)
        year = re.match(r"\s+năm\s+(\d{4})", text[e:])
        if not _in_narrative(spans, s, e) or not year or not valid(int(d), int(mo), int(year.group(1))):
            continue
        word = m.group(0).split()[0]
        muts = [(f"{word} {dd} tháng {'02' if len(mo) == 2 else '2'}", f"ngày {d} tháng {mo} → ngày {dd} tháng 2")
                for dd in ("30", "31")]
        muts.append((f"{word} {d} tháng 13", f"ngày {d} tháng {mo} → ngày {d} tháng 13"))
        sites.append(Site("date", Span(s, e), muts, [], f"written date in the narrative (line {_line_no(text, s)})"))
    return sites


def _fraction_sites(text: str) -> list[Site]:
    spans = _narrative_spans(text)
    sites = []
    for m in _FRACTION.finditer(text):
        s, e = m.span()
        a_raw, b_raw = m.group(1), m.group(2)
        a, b = int(a_raw), int(b_raw)
        left = text[max(0, s - 8):s].lower()
        if not b or a > b or not _in_narrative(spans, s, e) or re.search(r"ngày|đến|từ|tháng", left):
            continue
        muts = []
        for k in (1, 2, 3, 5, 10):
            new = _fmt_like(b + k, a_raw)
            muts.append((f"{new}/{b_raw}", f"{m.group(0)} → {new}/{b_raw} (numerator above denominator)"))
        doubled = a_raw[0] + a_raw if a_raw[0] != "0" else a_raw[1:] + a_raw[1:]
        if int(doubled) > b:
            muts.append((f"{doubled}/{b_raw}", f"{m.group(0)} → {doubled}/{b_raw} (doubled digits)"))
        sites.append(Site("fraction", Span(s, e), muts, [], f"count fraction in the narrative (line {_line_no(text, s)})"))
    return sites


def _line_no(text: str, off: int) -> int:
    return text.count("\n", 0, off) + 1


def _line_of(text: str, off: int) -> str:
    a = text.rfind("\n", 0, off) + 1
    b = text.find("\n", off)
    return text[a: b if b >= 0 else len(text)]


FINDERS: dict[str, Callable[[str], list[Site]]] = {
    "sum": _sum_sites,
    "identity": _identity_sites,
    "narrative-vs-table": _nvt_sites,
    "rate": _rate_sites,
    "date": _date_sites,
    "fraction": _fraction_sites,
}


def sites(text: str, kind: str) -> list[Site]:
    """Every place in `text` where an error of `kind` can be planted, in text order."""
    return sorted(FINDERS[kind](text), key=lambda st: st.span.start)


# --- gold spans --------------------------------------------------------------------------------

def unique_context(text: str, start: int, end: int, *, min_left: int = 12) -> str:
    """A substring of `text` around [start, end) that occurs once in `text` and in which
    the first occurrence of text[start:end] is this one (what evaluate.gold_spans needs)."""
    num = text[start:end]
    k = text.rfind(num, 0, start + len(num) - 1)  # an earlier copy bounds the left edge
    lim = k + 1 if k >= 0 else 0
    left = max(lim, start)
    while left > lim and start - left < min_left:
        left = _grow_left(text, left, lim)
    right = end
    for step in range(400):
        ctx = text[left:right]
        if ctx.find(num) == start - left and text.find(ctx) == left and text.find(ctx, left + 1) == -1:
            return ctx
        if step % 2 == 0 and right < len(text):
            right = _grow_right(text, right)
        elif left > lim:
            left = _grow_left(text, left, lim)
        elif right < len(text):
            right = _grow_right(text, right)
        else:
            break
    raise ValueError(f"no unique context for {num!r} at {start}")


def _grow_left(text: str, left: int, lim: int) -> int:
    i = left
    while i > lim and text[i - 1].isspace():
        i -= 1
    while i > lim and not text[i - 1].isspace():
        i -= 1
    return max(i, lim)


def _grow_right(text: str, right: int) -> int:
    i = right
    while i < len(text) and text[i].isspace():
        i += 1
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


# --- planting ----------------------------------------------------------------------------------

class _Guard:
    """What a planted span must stay clear of: the source's gold regions (they must survive
    unchanged) and the evidence of the auditor's findings on the unchanged text."""

    def __init__(self, text: str, gold: dict | None, findings: Iterable | None):
        self.text = text
        self.protected: list[tuple[int, int]] = []
        self.contexts: list[tuple[str, int]] = []
        for it in (gold or {}).get("findings", []):
            for sp in it.get("spans", []):
                k = text.find(sp["context"])
                if k >= 0:
                    self.protected.append((k, k + len(sp["context"])))
                    self.contexts.append((sp["context"], k))
        self.evidence = []
        for f in findings or []:
            for ev in f.evidence:
                self.evidence.append((ev.start, ev.end, _line_no(text, ev.start), ev.value))

    def free(self, s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in self.protected)

    def credited(self, s: int, e: int, num: str) -> bool:
        """Would an existing finding already match a gold span at [s, e) showing `num`?"""
        line, vals = _line_no(self.text, s), gold_values(num)
        for a, b, ln, v in self.evidence:
            if a < e and s < b:
                return True
            if v is not None and ln == line and any(abs(v - x) < 1e-6 for x in vals):
                return True
        return False

    def contexts_survive(self, new_text: str, edit: Span, delta: int) -> bool:
        for ctx, k in self.contexts:
            want = k + delta if k >= edit.end else k
            if new_text.find(ctx) != want:
                return False
        return True


def apply(text: str, site: Site, new: str, note: str, guard: _Guard | None = None) -> tuple[str, dict] | None:
    """Plant `new` at `site`; return (new_text, gold_item) or None when the result could
    not be scored cleanly (an existing finding already points there, a gold region of the
    source would change, no unique context)."""
    guard = guard or _Guard(text, None, None)
    s, e = site.span.start, site.span.end
    if not guard.free(s, e) or guard.credited(s, e, new):
        return None
    delta = len(new) - (e - s)
    new_text = text[:s] + new + text[e:]
    if not guard.contexts_survive(new_text, site.span, delta):
        return None
    try:
        spans = [{"context": unique_context(new_text, s, s + len(new)), "num": new}]
        for o in site.others:
            raw = text[o.start:o.end]
            if guard.credited(o.start, o.end, raw):
                continue
            os_ = o.start + delta if o.start >= e else o.start
            spans.append({"context": unique_context(new_text, os_, os_ + len(raw)), "num": raw})
    except ValueError:
        return None
    old = text[s:e]
    slug = re.sub(r"[^0-9a-z]+", "-", f"{old}-to-{new}".lower()).strip("-")
    item = {
        "id": f"planted-{site.kind}-{slug}",
        "check": site.kind,
        "severity": "error",
        "required": True,
        "summary": f"Planted {site.kind} error at line {_line_no(text, s)}: {note}; {site.what}.",
        "spans": spans,
    }
    return new_text, item


def plant(text: str, kind: str, rng: random.Random, *, n: int = 1, gold: dict | None = None,
          findings: Iterable | None = None) -> list[tuple[str, dict]]:
    """Up to `n` variants of `text`, each with one planted error of `kind` at a distinct site."""
    guard = _Guard(text, gold, findings)
    cands = sites(text, kind)
    rng.shuffle(cands)
    out = []
    for site in cands:
        if len(out) >= n:
            break
        muts = list(site.mutations)
        rng.shuffle(muts)
        for new, note in muts:
            got = apply(text, site, new, note, guard)
            if got:
                out.append(got)
                break
    return out


def generate(text: str, report_name: str, n_per_kind: int = 3, seed: int = 0, *,
             gold: dict | None = None, kinds: Iterable[str] = KINDS,
             baseline: bool = True) -> list[tuple[str, str, dict]]:
    """Planted variants of one report: a list of (name, text, gold file dict).

    `gold` is the source's own gold file (its regions are left alone and its entries are
    carried over as `required: false`). With `baseline`, the auditor is run once on the
    unchanged text and no error is planted where one of its findings already points.
    """
    stem = report_name[:-4] if report_name.endswith(".txt") else report_name
    findings = []
    if baseline:
        from auditor.engine import audit_text  # lazy: the generator itself needs no NLP
        findings = audit_text(text)
    carried = [dict(it, required=False) for it in (gold or {}).get("findings", [])]
    out = []
    for kind in kinds:
        if kind not in FINDERS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        rng = random.Random(f"{seed}:{stem}:{kind}")
        for i, (new_text, item) in enumerate(plant(text, kind, rng, n=n_per_kind, gold=gold,
                                                   findings=findings), 1):
            name = f"{stem}.planted-{kind}-{i}"
            out.append((name, new_text, {"report": f"{name}.txt", "findings": [item] + carried}))
    return out


def _single(kind: str) -> Callable[..., tuple[str, dict] | None]:
    def plant_one(text: str, rng: random.Random | None = None, *, gold: dict | None = None,
                  findings: Iterable | None = None) -> tuple[str, dict] | None:
        got = plant(text, kind, rng or random.Random(0), n=1, gold=gold, findings=findings)
        return got[0] if got else None

    plant_one.__name__ = plant_one.__qualname__ = "plant_" + kind.replace("-", "_")
    plant_one.__doc__ = (f"Plant one {kind!r} error in `text`: (new_text, gold_item), or None when the "
                         f"text has no site for it.")
    return plant_one


plant_sum = _single("sum")
plant_identity = _single("identity")
plant_narrative_vs_table = _single("narrative-vs-table")
plant_rate = _single("rate")
plant_date = _single("date")
plant_fraction = _single("fraction")
