"""Locations a person can follow: section path, the table's own title, STT, column header, page.

The rules give each piece of evidence offsets and, for table cells, the table / row / column
indices. Here those become what the reviewer sees in Word or on paper: "Mục II.2.b",
"Phụ lục – Thống kê số liệu …", "STT 1.4", "cột «Kết quả thống kê / Số liệu»", "trang 3".
Fields a rule already filled are kept.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from auditor.model import Evidence, Finding, Header, Heading, Table

_TITLE = re.compile(r"^\s*\**\s*(PHỤ LỤC|Phụ lục|BIỂU MẪU|Biểu mẫu|BIỂU SỐ|Biểu số|Mẫu số|MẪU SỐ|Bảng|BẢNG)\b[^\n]*")
_PERIODS = (
    re.compile(r"\b(?:6|06|sáu|9|09|chín)\s+tháng\s+(?:đầu\s+|cuối\s+)?năm(?:\s+\d{4})?", re.IGNORECASE),
    re.compile(r"\bquý\s+(?:IV|III|II|I|[1-4])\s+(?:năm\s+)?\d{4}", re.IGNORECASE),
    re.compile(r"(?:báo cáo|kết quả|công tác)[^\n]{0,90}?\b(năm\s+\d{4})", re.IGNORECASE),
)


@dataclass(frozen=True)
class ReportInfo:
    """What the header says: who sent it, its number and date, the period it covers."""

    unit: str | None
    number: str | None
    date: str | None  # "15/6/2024", "…/5/2024"
    period: str | None  # "6 tháng đầu năm 2024"

    def ref(self) -> str:
        parts = [self.number or "", self.date or ""]
        return " · ".join(p for p in parts if p)


class Locator:
    """Section, table title and page for any offset of one text."""

    def __init__(self, text: str, tables: list[Table] | None = None, headings: list[Heading] | None = None,
                 header: Header | None = None, page_starts: list[int] | None = None):
        if tables is None or headings is None or header is None:
            from auditor.structure import analyse
            from auditor.tables import find_tables

            tables = find_tables(text) if tables is None else tables
            st = analyse(text, tables, tokenize=False)
            headings = list(st.headings) if headings is None else headings
            header = st.header if header is None else header
            self.appendix_start = st.appendix_start
        else:
            self.appendix_start = None
        self.text = text
        self.tables = {t.index: t for t in tables}
        self.headings = sorted(headings, key=lambda h: h.start)
        self._head_starts = [h.start for h in self.headings]
        self.header = header
        self.page_starts = page_starts
        self.titles = {t.index: self._table_title(t) for t in tables}

    # --- report header ---------------------------------------------------------------------
    def info(self) -> ReportInfo:
        h = self.header
        date = None
        if h and h.date:
            d, m, y = h.date
            date = "/".join("…" if x is None else str(x) for x in (d, m, y))
        head = self.text[:3000]
        period = None
        for pat in _PERIODS:
            pm = pat.search(head)
            if pm:
                period = " ".join(pm.group(pm.lastindex or 0).split())
                if not re.search(r"\d{4}$", period):  # "6 tháng đầu năm; … 6 tháng cuối năm 2024"
                    y = re.compile(r"\b(?:19|20)\d\d\b").search(head, pm.end())
                    period += f" {y.group(0)}" if y else ""
                period = period[0].lower() + period[1:]
                break
        return ReportInfo(h.issuer if h else None, h.number if h else None, date, period)

    # --- sections -------------------------------------------------------------------------
    def section(self, offset: int) -> tuple[str | None, str | None]:
        """The heading path above `offset` ("II.2.b") and the innermost heading's title."""
        i = bisect.bisect_right(self._head_starts, offset)
        path: dict[int, Heading] = {}
        for h in self.headings[:i]:
            path = {k: v for k, v in path.items() if k < h.level}
            path[h.level] = h
        if not path:
            return None, None
        code = ".".join(path[k].code for k in sorted(path))
        return code, path[max(path)].title

    def page(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    # --- tables ---------------------------------------------------------------------------
    def _table_title(self, t: Table) -> str:
        lines = self.text[max(0, t.start - 1500):t.start].split("\n")
        lines = [ln.strip().strip("*").strip() for ln in lines]
        nonblank = [ln for ln in lines if ln][-8:]
        for i, ln in enumerate(nonblank):
            if _TITLE.match(ln) and len(ln) < 160:
                title = ln
                # "Phụ lục" alone on its line: the next line names it.
                if len(ln.split()) <= 3 and i + 1 < len(nonblank) and not nonblank[i + 1].startswith("("):
                    title = f"{ln} – {nonblank[i + 1]}"
                return shorten(" ".join(title.split()), 64)
        generic = {"indicator": "table.indicator", "results": "table.results"}.get(t.kind.value, "table.generic")
        from auditor.i18n import t as tr

        name = tr(generic)
        code, _ = self.section(t.start)
        if code and (self.appendix_start is None or t.start < self.appendix_start):
            return tr("table.in_section", title=name, code=code)
        return name

    def enrich(self, e: Evidence) -> Evidence:
        changes = {}
        if e.table is not None and e.table in self.tables:
            t = self.tables[e.table]
            if e.table_title is None:
                changes["table_title"] = self.titles[e.table]
            row = t.rows[e.row] if e.row is not None and 0 <= e.row < len(t.rows) else None
            if e.stt is None and row is not None and row.code and row.code not in ("-", "+", "*"):
                changes["stt"] = row.code
            if e.row_label is None and row is not None and row.label:
                changes["row_label"] = " ".join(row.label.split())
            if e.column_header is None and e.col is not None and 0 <= e.col < len(t.columns):
                path = [p for p in t.columns[e.col] if p]
                if path:
                    changes["column_header"] = " / ".join(" ".join(p.split()) for p in path)
        elif e.section is None and e.where != "header" and e.end > 0:
            code, _ = self.section(e.start)
            if code:
                changes["section"] = code
        if e.page is None and self.page_starts:
            changes["page"] = self.page(e.start)
        return replace(e, **changes) if changes else e


def enrich(findings: list[Finding], locator: Locator) -> list[Finding]:
    out = []
    for f in findings:
        ev = tuple(locator.enrich(e) for e in f.evidence)
        out.append(f if ev == f.evidence else replace(f, evidence=ev))
    return out


def shorten(text: str, width: int, placeholder: str = "…") -> str:
    """`text` cut to at most `width` characters at a word boundary, never mid-word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    limit = max(1, width - len(placeholder))
    cut = text[:limit]
    if text[limit] != " ":  # the last word is cut: drop it
        sp = cut.rfind(" ")
        if sp > width // 3:
            cut = cut[:sp]
    return cut.rstrip(" ,;:–-(") + placeholder
