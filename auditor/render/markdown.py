"""The correction checklist in Markdown: the report's number, date, period and unit at the top,
findings grouped by section, each located by section / table title / STT (line numbers only
in small print), rule codes hidden unless asked for. A batch starts with its summary."""
from __future__ import annotations

from auditor.i18n import t
from auditor.render.base import Formatter, ReportView
from auditor.render.explain import (Folded, explanation, grouped_entries, knock_on_lines, lead, message,
                                    primary_location, sides)


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


class MarkdownFormatter(Formatter):
    name = "markdown"

    def render(self, reports: list[ReportView]) -> str:
        out: list[str] = []
        if self.batch:
            out += summary_markdown(reports)
        for r in reports:
            out += self.report(r)
        return "\n".join(out).rstrip() + "\n"

    def report(self, r: ReportView) -> list[str]:
        title = (r.info.unit if r.info and r.info.unit else None) or r.path
        out = [f"## {title}", ""]
        if r.error is not None:
            out += [f"- {t('hdr.file', path=r.path)}", f"- **{t('status.unreadable')}**: {r.error}", ""]
            return out
        info = r.info
        meta = [t("hdr.number", number=info.number) if info and info.number else t("hdr.number_blank")]
        if info and info.date:
            meta[0] += ", " + t("hdr.date", date=info.date)
        if info and info.period:
            meta.append(t("hdr.period", period=info.period))
        meta.append(t("hdr.file", path=r.path))
        out += [f"- {m}" for m in meta]
        c = r.counts()
        out += [f"- {t('summary', e=t('count.error', n=c['error']), w=t('count.warning', n=c['warning']), i=t('count.info', n=c['info']))}", ""]
        for w in r.warnings:
            out.append(f"> {w}")
        if not r.findings:
            out += [t("none"), ""]
            return out
        n = 0
        for label, items in grouped_entries(r.findings):
            out += [f"### {label}", ""]
            for entry in items:
                n += 1
                if isinstance(entry, Folded):
                    out += [f"{n}. **{t('sev.info')}**: {entry.line()}", ""]
                    continue
                out += self.finding(n, entry, r)
        return out

    def finding(self, n: int, entry, r: ReportView) -> list[str]:
        f = lead(entry)
        code = f" `{f.rule}`" if self.options.show_codes else ""
        out = [f"{n}. **{t('sev.' + f.severity.value)}**{code}: {message(f)}"]
        s = sides(f)
        if s:
            out.append(f"   - {s.left_title}: {', '.join(e.text for e in s.left)} | "
                       f"{s.right_title}: {', '.join(e.text for e in s.right)}")
        out += [f"   - {t(key)}: {text}" for key, text in explanation(f)]
        locs = primary_location(f).split("\n")
        lines = sorted({r.lines.locate(e.start)[0] for e in f.evidence if e.end > e.start})
        small = f" <sub>({t('loc.line', n=', '.join(map(str, lines)))})</sub>" if lines else ""
        out.append(f"   - {t('where')}: {'; '.join(locs)}{small}")
        knock = knock_on_lines(entry)
        if knock:
            out.append(f"   - {t('knock_on')}:")
            out += [f"     - {k}" for k in knock]
        out.append("")
        return out


def summary_markdown(reports: list[ReportView]) -> list[str]:
    from auditor.render.batch import summarise

    s = summarise(reports)
    out = [f"# {t('batch.title', n=s.n)}", ""]
    head = [t("batch.unit"), t("batch.ref"), t("batch.period"), t("sevcol.error"), t("sevcol.warning"),
            t("sevcol.info"), t("batch.status"), t("batch.file")]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for row in s.rows:
        out.append("| " + " | ".join(_cell(str(x)) for x in (row.unit, row.ref, row.period, row.errors, row.warnings,
                                                              row.notes, row.status_label, row.path)) + " |")
    out += ["", s.totals_line(), ""]
    common = s.common_lines()
    if common:
        out += [f"**{t('batch.common')}**", ""] + [f"- {c}" for c in common] + [""]
    for d in s.duplicates:
        out += [f"- {t('batch.duplicate', files=', '.join(d))}", ""]
    return out
