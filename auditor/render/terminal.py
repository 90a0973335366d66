"""The reviewer's terminal view.

For each report: who sent it, its number, date and period; then the findings grouped by
section or table, each printed once. A value conflict shows two columns (what the narrative
says | what the appendix says) with the differing digits highlighted (88 | 8, 593 | 597);
the arithmetic is spelled out (593 + 5 = 598 ≠ 597), then the likely culprit and the repair.
Narrative evidence is quoted once per line, cut at word boundaries to the terminal's width;
table evidence is named by table title, STT, label and column. Notes of one kind that repeat
fold into one line. A batch starts with its summary. Honours NO_COLOR, --color and COLUMNS.
"""
from __future__ import annotations

import os
from dataclasses import replace

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from auditor.i18n import t
from auditor.model import Finding
from auditor.render.locate import shorten
from auditor.render.base import Formatter, RenderOptions, ReportView
from auditor.render.explain import (Folded, closest, digit_diff, entries, explanation, grouped_entries,
                                    knock_on_lines, lead, location, message, sides, unique_evidence)

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_EXPLANATION_STYLE = {"arith": "", "culprit": "bold magenta", "fix": "green", "conf": "dim"}
HIGHLIGHT = "bold reverse"


def make_console(stream, options: RenderOptions | None = None) -> Console:
    """A console on `stream` honouring --color, NO_COLOR and COLUMNS (also when piped)."""
    options = options or RenderOptions()
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    width = options.width
    if width is None:
        cols = os.environ.get("COLUMNS", "")
        width = int(cols) if cols.isdigit() and int(cols) > 20 else (None if tty else 100)
    force = {"always": True, "never": False}.get(options.color, None if tty else False)
    no_color = True if options.color == "never" else (False if options.color == "always" else None)
    return Console(file=stream, width=width, force_terminal=force, no_color=no_color, highlight=False,
                   emoji=False, soft_wrap=False)


class RichFormatter(Formatter):
    name = "rich"

    def begin(self, stream, batch):
        super().begin(stream, batch)
        self.console = self.options.console or make_console(stream, self.options)

    def end(self) -> None:
        if self.batch:
            render_batch_summary(self.console, self.reports)
        for r in self.reports:
            render_report(self.console, r, self.options)


# --- one report ------------------------------------------------------------------------------

def render_report(console: Console, r: ReportView, options: RenderOptions | None = None) -> None:
    options = options or RenderOptions()
    title = (r.info.unit if r.info and r.info.unit else None) or r.path
    console.rule(Text(title, style="bold"))
    if r.error is not None:
        console.print(Text(f"{r.path}: {t('status.unreadable')}: {r.error}", style="bold red"))
        return
    console.print(Text(header_line(r), style="dim"))
    for w in r.warnings:
        console.print(Text(f"{r.path}: {w}", style="yellow"))
    if not r.findings:
        console.print(Text(t("none"), style="green"))
        render_counts(console, r.counts())
        return
    n = 0
    for label, items in grouped_entries(r.findings):
        console.print()
        console.print(Text(label, style="bold underline"))
        for entry in items:
            n += 1
            console.print(render_entry(console, n, entry, r, options))
    console.print()
    render_counts(console, r.counts(), causes=sum(1 for e in entries(r.findings) if e.severity.value != "info"))


def header_line(r: ReportView) -> str:
    info = r.info
    parts = []
    if info:
        num = t("hdr.number", number=info.number) if info.number else t("hdr.number_blank")
        if info.date:
            num += ", " + t("hdr.date", date=info.date)
        parts.append(num)
        if info.period:
            parts.append(t("hdr.period", period=info.period))
    parts.append(t("hdr.file", path=r.path))
    return " · ".join(parts)


def render_counts(console: Console, c: dict, causes: int | None = None) -> None:
    line = Text.assemble(
        (t("summary", e="", w="", i="").split(":")[0] + ": ", "bold"),
        (t("count.error", n=c.get("error", 0)), "bold red"), ", ",
        (t("count.warning", n=c.get("warning", 0)), "yellow"), ", ",
        (t("count.info", n=c.get("info", 0)), "cyan"))
    if causes is not None and causes != c.get("error", 0) + c.get("warning", 0):
        line.append(" — " + t("causes", n=causes), style="bold")
    console.print(line)


LABEL_WIDTH = 13


def render_entry(console: Console, n: int, entry, r: ReportView, options: RenderOptions):
    """One numbered entry: the severity in a narrow left column, everything else beside it."""
    sev = entry.severity.value
    grid = RichTable.grid(padding=(0, 1))
    grid.add_column(width=LABEL_WIDTH, no_wrap=True)
    grid.add_column(ratio=1)
    label = Text.assemble((f"{n:>2}. ", ""), (t("sev." + sev), STYLE[sev]))
    if isinstance(entry, Folded):
        body = Text(entry.line())
        if options.show_codes:
            body.append(f"  [{entry.findings[0].rule}]", style="dim")
        grid.add_row(label, body)
        return grid
    f: Finding = lead(entry)
    head = Text(message(f))
    if options.show_codes:
        head.append(f"  [{f.rule} {f.name}]", style="dim")
    body: list = [head]
    width = max(30, console.width - LABEL_WIDTH - 2)
    s = sides(f)
    skip = set()
    if s:
        body.append(side_by_side(s, width))
        skip = {(e.start, e.end) for e in s.left + s.right if e.table is not None}
    for key, text in explanation(f):
        body.append(Text.assemble((t(key) + ": ", "bold"), (text, _EXPLANATION_STYLE[key])))
    body.extend(evidence_lines(f, r, width, skip=skip))
    knock = knock_on_lines(entry)
    if knock:
        body.append(Text(t("knock_on") + ":", style="bold"))
        for line in knock:
            body.append(Padding(Text("– " + line), (0, 0, 0, 2), expand=False))
    grid.add_row(label, Group(*body))
    return grid


def side_by_side(s, width: int) -> RichTable:
    """Two columns, narrative | appendix; the digits that differ are highlighted."""
    table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    col_w = max(18, (width - 6) // 2)
    table.add_column(s.left_title, max_width=col_w, overflow="fold")
    table.add_column(s.right_title, max_width=col_w, overflow="fold")
    rows = max(len(s.left), len(s.right))
    for i in range(rows):
        cells = []
        for mine, other in ((s.left, s.right), (s.right, s.left)):
            if i >= len(mine):
                cells.append(Text(""))
                continue
            e = mine[i]
            o = closest(e, other)
            pieces = digit_diff(e.text, o.text)[0] if o is not None else [(e.text, False)]
            cell = Text()
            for piece, differs in pieces:
                cell.append(piece, style=HIGHLIGHT if differs else "bold")
            cell.append("\n")
            # the column's title already names the table when the two sides are two tables
            shown = replace(e, table_title=None) if s.by_table else e
            cell.append(location(shown, with_line=False, label_width=col_w), style="dim")
            cells.append(cell)
        table.add_row(*cells)
    return table


def evidence_lines(f: Finding, r: ReportView, width: int, skip=frozenset()) -> list[Text]:
    """Narrative evidence quoted once per line with its numbers highlighted; table evidence
    named by title · STT · label · column."""
    by_table: dict[str, list] = {}
    by_line: dict[int, list] = {}
    for e in unique_evidence(f):
        if (e.start, e.end) in skip:
            continue
        if e.table is None and e.where != "rule":
            by_line.setdefault(r.lines.locate(e.start)[0], []).append(e)
        else:
            by_table.setdefault(e.table_title or "", []).append(e)
    out: list = []
    for line, evs in sorted(by_line.items()):
        evs.sort(key=lambda e: e.start)
        out.append(Text.assemble(("▸ ", "dim"), (location(evs[0], line), "dim italic")))
        for spans in _clusters([(e.start, e.end) for e in evs], int((width - 4) * 0.8)):
            out.append(Padding(excerpt(r.text, spans, width - 4), (0, 0, 0, 2), expand=False))
    for title, evs in by_table.items():
        if title:
            out.append(Text.assemble(("▸ ", "dim"), (title, "dim italic")))
        for e in evs:
            loc = location(replace(e, table_title=None), r.lines.locate(e.start)[0])
            out.append(Padding(Text.assemble((loc, "dim"), ": ", (e.text, "bold")), (0, 0, 0, 2), expand=False))
    return out


def _clusters(spans: list[tuple[int, int]], width: int) -> list[list[tuple[int, int]]]:
    """Spans of one line in groups that each fit in one excerpt."""
    out: list[list[tuple[int, int]]] = []
    for s, e in spans:
        if out and e - out[-1][0][0] <= width:
            out[-1].append((s, e))
        else:
            out.append([(s, e)])
    return out


def excerpt(text: str, spans: list[tuple[int, int]], width: int) -> Text:
    """The line around `spans`, highlighted, cut at word boundaries to about `width` chars."""
    a, b = spans[0][0], spans[-1][1]
    if b - a > width:  # a whole heading or paragraph as evidence: its start is enough
        return Text(shorten(_clean(text[a:b]), width), style=HIGHLIGHT)
    ls = text.rfind("\n", 0, a) + 1
    le = text.find("\n", b)
    le = len(text) if le < 0 else le
    room = max(20, width - (b - a))
    lo = max(ls, a - room // 2)
    hi = min(le, b + (room - (a - lo)))
    lo = max(ls, min(lo, a - max(0, room - (hi - b))))
    if lo > ls:
        sp = text.find(" ", lo, a)
        lo = sp + 1 if sp >= 0 else lo
    if hi < le:
        sp = text.rfind(" ", b, hi)
        hi = sp if sp >= 0 else hi
    out = Text("…" if lo > ls else "")
    pos = lo
    for s, e in spans:
        if s < pos:
            continue
        out.append(_clean(text[pos:s]))
        out.append(_clean(text[s:e]), style=HIGHLIGHT)
        pos = e
    out.append(_clean(text[pos:hi]) + ("…" if hi < le else ""))
    return out


def _clean(s: str) -> str:
    return " ".join(s.replace("\t", " │ ").split(" ")) if "\t" in s else s


# --- batch ------------------------------------------------------------------------------------

def render_batch_summary(console: Console, reports: list[ReportView]) -> None:
    from auditor.render.batch import summarise

    s = summarise(reports)
    table = RichTable(title=t("batch.title", n=s.n), box=box.SIMPLE_HEAVY, expand=False)
    wide = console.width >= 110
    cols = [(t("batch.unit"), "left"), (t("batch.ref"), "left"), (t("batch.period"), "left"),
            (t("sevcol.error"), "right"), (t("sevcol.warning"), "right"), (t("sevcol.info"), "right"),
            (t("batch.status"), "left")] + ([(t("batch.file"), "left")] if wide else [])
    unit_w = min(28, max([len(r.unit) for r in s.rows] + [6]))
    for k, (col, just) in enumerate(cols):
        # a header or a cell wraps between words, never inside one
        table.add_column(col, justify=just, min_width=unit_w if k == 0 else max(len(w) for w in col.split()),
                         overflow="fold")
    style = {"ok": "green", "fix": "bold red", "unreadable": "bold magenta"}
    for row in s.rows:
        cells = [row.unit, row.ref, row.period, str(row.errors), str(row.warnings), str(row.notes),
                 Text(row.status_label, style=style[row.status])]
        if wide:
            cells.append(Text(row.path, style="dim"))
        table.add_row(*cells)
    console.print(table)
    console.print(Text(s.totals_line(), style="bold"))
    common = s.common_lines()
    if common:
        console.print(Text(t("batch.common") + ":", style="bold"))
        for c in common:
            console.print("  • " + c)
    for d in s.duplicates:
        console.print(Text("  ! " + t("batch.duplicate", files=", ".join(d)), style="yellow"))
    console.print()
