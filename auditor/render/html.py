"""`--format html`: one self-contained page that works offline (no external CSS, JS or fonts).

For each report: the header (unit, number, date, period, counts), the findings with filters
by severity and rule, the report's text with every quantity highlighted and every piece of
evidence anchored, and the tables as the auditor rebuilt them. Each finding links to its
evidence in the text and in the tables; clicking a finding marks its numbers. A batch starts
with its summary table linking to each report.
"""
from __future__ import annotations

import bisect
import html

from auditor.i18n import get_lang, t
from auditor.render.base import Formatter, ReportView
from auditor.render.explain import (Cause, Folded, explanation, grouped_entries, knock_on_lines, lead, location, message,
                                    problem_kind, sides, unique_evidence)

CSS = """
:root{--err:#c0392b;--warn:#b7950b;--info:#2471a3;--ev:#fde2e1}
*{box-sizing:border-box}body{font:15px/1.5 "Times New Roman",serif;margin:0;color:#222;background:#fafafa}
header.top{background:#1f3b57;color:#fff;padding:10px 18px}header.top h1{font-size:20px;margin:0}
section.report{border-bottom:3px solid #1f3b57;padding:10px 18px}
.meta{color:#555;margin:4px 0 10px}.counts span{margin-right:12px;font-weight:bold}
.c-error{color:var(--err)}.c-warning{color:var(--warn)}.c-info{color:var(--info)}
.layout{display:grid;grid-template-columns:minmax(320px,42%) 1fr;gap:16px}
.findings{max-height:85vh;overflow:auto;position:sticky;top:0}
.filters{background:#eef3f8;padding:6px 8px;margin-bottom:8px;border-radius:4px}
.filters label{margin-right:10px}
article.finding{background:#fff;border-left:5px solid #999;margin:0 0 8px;padding:6px 10px;border-radius:3px;cursor:pointer}
article.finding.sev-error{border-color:var(--err)}article.finding.sev-warning{border-color:var(--warn)}
article.finding.sev-info{border-color:var(--info)}article.finding.active{outline:2px solid #1f3b57}
.sev{font-weight:bold;font-size:12px;letter-spacing:.5px}.sev-error .sev{color:var(--err)}
.sev-warning .sev{color:var(--warn)}.sev-info .sev{color:var(--info)}
.group{font-weight:bold;margin:10px 0 4px;color:#1f3b57}
.arith,.fix,.culprit{margin:2px 0}.fix{color:#1e8449}.culprit{color:#7d3c98}
.sides{border-collapse:collapse;margin:4px 0}.sides td,.sides th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}
.diff{background:#f5b7b1;font-weight:bold}
ul.ev{margin:4px 0 0 0;padding-left:18px;font-size:13px}ul.ev a{color:#1f3b57}
.code{color:#888;font-size:12px}
pre.text{white-space:pre-wrap;tab-size:6;background:#fff;border:1px solid #ddd;padding:10px;font:13px/1.5 "Noto Sans","DejaVu Sans",Arial,sans-serif;max-height:70vh;overflow:auto}
span.q{background:#e8f1fb;border-bottom:1px solid #8fb3d9}
.ev-mark{background:var(--ev);border-bottom:2px solid var(--err);font-weight:bold}
.ev-mark.sev-warning{border-color:var(--warn)}.ev-mark.sev-info{border-color:var(--info);background:#e3f0fa}
.flash{outline:3px solid #f39c12}
table.rebuilt{border-collapse:collapse;font-size:12px;margin:8px 0 16px;background:#fff}
table.rebuilt th,table.rebuilt td{border:1px solid #ccc;padding:2px 5px;vertical-align:top}
table.rebuilt caption{font-weight:bold;text-align:left;padding:4px 0}
table.summary{border-collapse:collapse;margin:8px 0}table.summary td,table.summary th{border:1px solid #bbb;padding:3px 8px}
.st-ok{color:#1e8449;font-weight:bold}.st-fix{color:var(--err);font-weight:bold}.st-unreadable{color:#7d3c98;font-weight:bold}
.hidden{display:none}
"""

JS = """
function applyFilters(sec){
  var box=sec.querySelector('.filters');var sel=box.querySelector('select');
  var on={};box.querySelectorAll('input[type=checkbox]').forEach(function(c){on[c.value]=c.checked;});
  sec.querySelectorAll('article.finding').forEach(function(a){
    var ok=on[a.dataset.severity]&&(sel.value===''||a.dataset.rule===sel.value);
    a.classList.toggle('hidden',!ok);});
  sec.querySelectorAll('.group').forEach(function(g){
    var n=g.nextElementSibling,any=false;
    while(n&&n.tagName==='ARTICLE'){if(!n.classList.contains('hidden'))any=true;n=n.nextElementSibling;}
    g.classList.toggle('hidden',!any);});
}
document.querySelectorAll('section.report').forEach(function(sec){
  var box=sec.querySelector('.filters');if(!box)return;
  box.addEventListener('change',function(){applyFilters(sec);});
  sec.querySelectorAll('article.finding').forEach(function(a){
    a.addEventListener('click',function(ev){
      sec.querySelectorAll('article.finding.active').forEach(function(x){x.classList.remove('active');});
      sec.querySelectorAll('.flash').forEach(function(x){x.classList.remove('flash');});
      a.classList.add('active');
      (a.dataset.ev||'').split(' ').forEach(function(id){var el=document.getElementById(id);if(el)el.classList.add('flash');});
      if(ev.target.tagName!=='A'){var first=document.getElementById((a.dataset.ev||'').split(' ')[0]);
        if(first)first.scrollIntoView({block:'center'});}
    });});
});
"""


def esc(s) -> str:
    return html.escape(str(s), quote=True)


class HtmlFormatter(Formatter):
    name = "html"

    def render(self, reports: list[ReportView]) -> str:
        parts = [f'<!DOCTYPE html><html lang="{get_lang()}"><head><meta charset="utf-8">',
                 '<meta name="viewport" content="width=device-width, initial-scale=1">',
                 f"<title>{esc(t('h.title'))}</title><style>{CSS}</style></head><body>",
                 f'<header class="top"><h1>{esc(t("h.title"))}</h1></header>']
        if self.batch:
            parts.append(self.summary(reports))
        for i, r in enumerate(reports):
            parts.append(self.report(i, r))
        parts.append(f"<script>{JS}</script></body></html>\n")
        return "\n".join(parts)

    # --- batch summary -------------------------------------------------------------------------
    def summary(self, reports: list[ReportView]) -> str:
        from auditor.render.batch import summarise

        s = summarise(reports)
        index = {r.path: i for i, r in enumerate(reports)}
        out = [f'<section class="batch" id="summary"><h2>{esc(t("batch.title", n=s.n))}</h2><table class="summary">',
               "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in (t("batch.unit"), t("batch.ref"), t("batch.period"),
                                                               t("sevcol.error"), t("sevcol.warning"),
                                                               t("sevcol.info"), t("batch.status"), t("batch.file")))
               + "</tr>"]
        for row in s.rows:
            out.append(f'<tr><td><a href="#r{index[row.path]}">{esc(row.unit)}</a></td><td>{esc(row.ref)}</td>'
                       f"<td>{esc(row.period)}</td><td>{row.errors}</td><td>{row.warnings}</td><td>{row.notes}</td>"
                       f'<td class="st-{row.status}">{esc(row.status_label)}</td><td>{esc(row.path)}</td></tr>')
        out.append(f"</table><p><b>{esc(s.totals_line())}</b></p>")
        common = s.common_lines()
        if common:
            out.append(f"<p><b>{esc(t('batch.common'))}</b></p><ul>" + "".join(f"<li>{esc(c)}</li>" for c in common)
                       + "</ul>")
        for d in s.duplicates:
            out.append(f"<p>{esc(t('batch.duplicate', files=', '.join(d)))}</p>")
        out.append("</section>")
        return "\n".join(out)

    # --- one report ------------------------------------------------------------------------------
    def report(self, i: int, r: ReportView) -> str:
        title = (r.info.unit if r.info and r.info.unit else None) or r.path
        out = [f'<section class="report" id="r{i}" data-path="{esc(r.path)}"><h2>{esc(title)}</h2>']
        if r.error is not None:
            out.append(f'<p class="st-unreadable">{esc(t("h.unreadable", reason=r.error))} ({esc(r.path)})</p></section>')
            return "\n".join(out)
        info = r.info
        meta = [t("hdr.number", number=info.number) if info and info.number else t("hdr.number_blank")]
        if info and info.date:
            meta.append(t("hdr.date", date=info.date))
        if info and info.period:
            meta.append(t("hdr.period", period=info.period))
        meta.append(t("hdr.file", path=r.path))
        c = r.counts()
        out.append(f'<div class="meta">{esc(" · ".join(meta))}</div><div class="counts">'
                   + "".join(f'<span class="c-{k}">{esc(t("count." + k, n=c[k]))}</span>' for k in c) + "</div>")
        anchors = _Anchors(i, r)
        out.append('<div class="layout"><div class="findings">')
        out.append(self.findings(i, r, anchors))
        out.append('</div><div class="source">')
        out.append(f"<h3>{esc(t('h.text'))}</h3>")
        out.append(anchors.text_html())
        out.append(f"<h3>{esc(t('h.tables'))}</h3>")
        out.append(anchors.tables_html())
        out.append("</div></div></section>")
        return "\n".join(out)

    def findings(self, i: int, r: ReportView, anchors: "_Anchors") -> str:
        out = []
        rules = sorted({(f.rule, problem_kind(f)) for f in r.findings})
        opts = "".join(f'<option value="{esc(code)}">{esc(code)} · {esc(kind)}</option>' for code, kind in rules)
        checks = "".join(f'<label><input type="checkbox" value="{k}" checked> {esc(t("sev." + k))}</label>'
                         for k in ("error", "warning", "info"))
        out.append(f'<div class="filters"><b>{esc(t("h.filters"))}:</b> {checks} '
                   f'<select><option value="">{esc(t("h.all_rules"))}</option>{opts}</select></div>')
        out.append(f"<h3>{esc(t('h.findings'))}</h3>")
        if not r.findings:
            out.append(f"<p>{esc(t('none'))}</p>")
            return "\n".join(out)
        n = 0
        for label, items in grouped_entries(r.findings):
            out.append(f'<div class="group">{esc(label)}</div>')
            for entry in items:
                n += 1
                out.append(self.finding(i, n, entry, r, anchors))
        return "\n".join(out)

    def finding(self, i: int, n: int, entry, r: ReportView, anchors: "_Anchors") -> str:
        fs = entry.findings if isinstance(entry, (Folded, Cause)) else [entry]
        f = lead(entry)
        sev = entry.severity.value
        evs = [e for x in fs for e in unique_evidence(x)]
        ids = [a for e in evs for a in anchors.ids_for(e)]
        code = f' <span class="code">{esc(f.rule)} {esc(f.name)}</span>' if self.options.show_codes else ""
        body = [f'<article class="finding sev-{sev}" id="r{i}-f{n}" data-severity="{sev}" data-rule="{esc(f.rule)}" '
                f'data-ev="{esc(" ".join(ids))}"><div><span class="sev">{n}. {esc(t("sev." + sev))}</span>{code}</div>']
        if isinstance(entry, Folded):
            body.append(f"<div>{esc(entry.line(limit=30))}</div>")
        else:
            body.append(f'<div class="msg">{esc(message(f))}</div>')
            s = sides(f)
            if s:
                body.append(_sides_html(s))
            for key, text in explanation(f):
                body.append(f'<div class="{key}"><b>{esc(t(key))}:</b> {esc(text)}</div>')
            knock = knock_on_lines(entry)
            if knock:
                body.append(f'<div class="knock"><b>{esc(t("knock_on"))}:</b><ul>'
                            + "".join(f"<li>{esc(k)}</li>" for k in knock) + "</ul></div>")
        body.append('<ul class="ev">')
        for e in evs[:40]:
            links = anchors.ids_for(e)
            line = r.lines.locate(e.start)[0]
            label = f"{e.text if len(e.text) < 40 else e.text[:38] + '…'} — {location(e, line)}"
            if links:
                extra = "".join(f' <a href="#{esc(x)}">[{esc(t("h.tables") if "-c" in x else t("h.goto"))}]</a>'
                                for x in links[1:])
                body.append(f'<li><a class="ev-link" href="#{esc(links[0])}">{esc(label)}</a>{extra}</li>')
            else:
                body.append(f"<li>{esc(label)}</li>")
        body.append("</ul></article>")
        return "".join(body)


def _sides_html(s) -> str:
    from auditor.render.explain import closest, digit_diff

    rows = max(len(s.left), len(s.right))
    out = [f'<table class="sides"><tr><th>{esc(s.left_title)}</th><th>{esc(s.right_title)}</th></tr>']
    for k in range(rows):
        cells = []
        for mine, other in ((s.left, s.right), (s.right, s.left)):
            if k >= len(mine):
                cells.append("<td></td>")
                continue
            o = closest(mine[k], other)
            pieces = digit_diff(mine[k].text, o.text)[0] if o else [(mine[k].text, False)]
            cells.append("<td>" + "".join(f'<span class="diff">{esc(p)}</span>' if d else esc(p) for p, d in pieces)
                         + "</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


class _Anchors:
    """Spans of the text to mark (every quantity; evidence on top) and their element ids."""

    def __init__(self, i: int, r: ReportView):
        from auditor.numbers import scan

        self.i, self.r = i, r
        self.sev: dict[tuple[int, int], str] = {}
        rank = {"error": 2, "warning": 1, "info": 0}
        for f in r.findings:
            for e in f.evidence:
                if e.end > e.start:
                    k = (e.start, e.end)
                    if k not in self.sev or rank[f.severity.value] > rank[self.sev[k]]:
                        self.sev[k] = f.severity.value
        spans = [(s, e, "ev") for (s, e) in self.sev]
        try:
            spans += [(q.start, q.end, "q") for q in scan(r.text) if q.is_quantity]
        except Exception:  # noqa: BLE001 - the page still shows the findings
            pass
        spans.sort(key=lambda x: (x[0], 0 if x[2] == "ev" else 1, -(x[1] - x[0])))
        self.kept: list[tuple[int, int, str]] = []
        end = -1
        for s, e, kind in spans:
            if s >= end:
                self.kept.append((s, e, kind))
                end = e
        self._starts = [s for s, _, _ in self.kept]
        self.cells: dict[int, str] = {}  # cell start → id in the rebuilt tables

    def text_id(self, s: int) -> str:
        return f"r{self.i}-t{s}"

    def _containing(self, start: int) -> tuple[int, int, str] | None:
        k = bisect.bisect_right(self._starts, start) - 1
        if k >= 0 and self.kept[k][0] <= start < max(self.kept[k][1], self.kept[k][0] + 1):
            return self.kept[k]
        return None

    def ids_for(self, e) -> list[str]:
        out = []
        if e.table is not None:
            out.append(f"r{self.i}-c{e.start}")
        span = self._containing(e.start)
        if span is not None and e.end > e.start:
            out.append(self.text_id(span[0]))
        return out

    def text_html(self) -> str:
        text = self.r.text
        out = ['<pre class="text">']
        pos = 0
        for s, e, kind in self.kept:
            out.append(esc(text[pos:s]))
            if kind == "ev":
                sev = self.sev.get((s, e), "error")
                out.append(f'<mark class="ev-mark sev-{sev}" id="{self.text_id(s)}">{esc(text[s:e])}</mark>')
            else:
                out.append(f'<span class="q" id="{self.text_id(s)}">{esc(text[s:e])}</span>')
            pos = e
        out.append(esc(text[pos:]))
        out.append("</pre>")
        return "".join(out)

    def tables_html(self) -> str:
        loc = self.r.locator
        if loc is None:
            return ""
        ev_cells = {e.start: self.sev.get((e.start, e.end), "error") for f in self.r.findings for e in f.evidence
                    if e.table is not None}
        starts = sorted(ev_cells)
        out = []
        for idx, tb in sorted(loc.tables.items()):
            ncol = len(tb.columns)
            out.append(f'<table class="rebuilt" id="r{self.i}-table{idx}"><caption>{esc(loc.titles.get(idx, ""))}</caption>')
            out.append("<tr>" + "".join(f"<th>{esc(' / '.join(p for p in c if p))}</th>" for c in tb.columns) + "</tr>")
            indicator = tb.kind.value == "indicator"
            for row in tb.rows:
                vals = [""] * ncol
                ids = [""] * ncol
                if ncol:
                    vals[0] = row.code
                if ncol > 1:
                    vals[1] = row.label
                if indicator and ncol > 2:
                    vals[2] = row.unit
                    if ncol > 4:
                        vals[4] = row.note
                for c in row.cells:
                    if 0 <= c.col < ncol:
                        vals[c.col] = c.text
                        k = bisect.bisect_left(starts, c.start)
                        ids[c.col] = starts[k] if k < len(starts) and starts[k] < max(c.end, c.start + 1) else c.start
                cells = []
                for k in range(ncol):
                    cid = ids[k]
                    if cid != "" and cid in ev_cells:
                        cells.append(f'<td><mark class="ev-mark sev-{ev_cells[cid]}" id="r{self.i}-c{cid}">'
                                     f"{esc(vals[k])}</mark></td>")
                    elif cid != "":
                        cells.append(f'<td><span class="q">{esc(vals[k])}</span></td>')
                    else:
                        cells.append(f"<td>{esc(vals[k])}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
        return "\n".join(out)


__all__ = ["HtmlFormatter"]
