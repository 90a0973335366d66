"""`--format docx`: the correction request the reviewer sends back to the commune.

Quốc hiệu and tiêu ngữ, "Kính gửi: UBND xã …", a reference line with the report's number, date
and period, a table STT | Vị trí | Báo cáo ghi | Nội dung chưa khớp | Đề nghị chỉnh sửa with the
errors (and the warnings unless --no-warnings; notes with --notes), the resubmission deadline,
and the reviewer's name and office. One request per report; a batch puts each on its own page.
"""
from __future__ import annotations

from auditor.i18n import t
from auditor.render.base import Formatter, ReportView
from auditor.render.explain import (Folded, arithmetic, entries, knock_on_lines, lead, message, primary_location, repair,
                                    stated_text, suggestion)

FONT = "Times New Roman"


class DocxFormatter(Formatter):
    name = "docx"
    binary = True

    def render(self, reports: list[ReportView]):
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(13)
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
        if rfonts is not None:
            rfonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.left_margin, sec.right_margin = Cm(3), Cm(2)
        sec.top_margin = sec.bottom_margin = Cm(2)
        for i, r in enumerate(reports):
            if i:
                doc.add_page_break()
            self.request(doc, r)
        doc.save(self.stream)
        return None

    # --- one request -------------------------------------------------------------------------
    def selected(self, r: ReportView) -> list:
        keep = {"error"}
        if self.options.include_warnings:
            keep.add("warning")
        if self.options.include_notes:
            keep.add("info")
        return entries([f for f in r.findings if f.severity.value in keep])

    def request(self, doc, r: ReportView) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        opts = self.options
        office = opts.office or t("doc.office_default")
        info = r.info
        to = opts.recipient or (info.unit if info and info.unit else None) or t("doc.to_default")

        head = doc.add_table(rows=1, cols=2)
        head.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = head.rows[0].cells
        _para(left, office.upper(), bold=True, center=True, size=12, first=True)
        _para(right, t("doc.nation"), bold=True, center=True, size=12, first=True)
        _para(right, t("doc.motto"), bold=True, center=True, size=13, underline=True)

        period = f" {info.period}" if info and info.period else ""
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, t("doc.title"), bold=True, size=14)
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, t("doc.subject", period=period), italic=True)
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, t("doc.to", to=to), bold=True)

        if r.error is not None:
            doc.add_paragraph(t("h.unreadable", reason=r.error) + f" ({r.path})")
            return
        number = info.number if info and info.number else "…"
        date = info.date if info and info.date else "…"
        unit = info.unit if info and info.unit else to
        ref = t("doc.ref_report", number=number, date=date, unit=unit)
        doc.add_paragraph(t("doc.ref", ref=ref, period=period))
        entries = self.selected(r)
        if not entries:
            doc.add_paragraph(t("doc.none", office=office))
        else:
            n_items = sum(1 for _ in entries)
            doc.add_paragraph(t("doc.body", office=office, n=n_items))
            table = doc.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for cell, key in zip(table.rows[0].cells, ("doc.col.stt", "doc.col.where", "doc.col.stated",
                                                       "doc.col.problem", "doc.col.fix")):
                _para(cell, t(key), bold=True, center=True, size=11, first=True)
            for i, entry in enumerate(entries, 1):
                cells = table.add_row().cells
                for cell, text in zip(cells, self.row(i, entry)):
                    _para(cell, text, size=11, first=True, center=cell is cells[0])
            _widths(table, (1.0, 3.6, 3.0, 5.0, 3.4))
        deadline = opts.deadline
        doc.add_paragraph(t("doc.deadline", to=to, deadline=deadline) if deadline else t("doc.deadline_none", to=to))
        sig = doc.add_table(rows=1, cols=2)
        left, right = sig.rows[0].cells
        _para(left, t("doc.recipients"), bold=True, italic=True, size=12, first=True)
        _para(left, f"- {to};", size=11)
        _para(left, t("doc.archive", office=office), size=11)
        _para(right, t("doc.reviewer").upper(), bold=True, center=True, size=13, first=True)
        _para(right, "", size=13)
        _para(right, opts.reviewer or "", bold=True, center=True, size=13)
        _para(right, office, center=True, italic=True, size=12)
        del Pt

    def row(self, i: int, entry) -> tuple[str, str, str, str, str]:
        if isinstance(entry, Folded):
            f = entry.findings[0]
            return (str(i), primary_location(f), "", entry.line(limit=20), suggestion(f) or t("doc.fix_default"))
        f = lead(entry)
        problem = message(f)
        ar = arithmetic(f)
        if ar and ar not in problem:
            problem += f"\n({t('arith')}: {ar})"
        culprit, fix = repair(f)
        if culprit:
            problem += f"\n{t('culprit')}: {culprit}"
        knock = knock_on_lines(entry)
        if knock:
            problem += f"\n{t('knock_on')}:\n" + "\n".join("- " + k for k in knock)
        return (str(i), primary_location(f), stated_text(f), problem, fix or t("doc.fix_default"))


def _para(cell, text: str, *, bold=False, italic=False, underline=False, center=False, size=13, first=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = cell.paragraphs[0] if first and cell.paragraphs and not cell.paragraphs[0].text else cell.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, text, bold=bold, italic=italic, underline=underline, size=size)
    return p


def _run(p, text: str, *, bold=False, italic=False, underline=False, size=13):
    from docx.shared import Pt

    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def _widths(table, cms) -> None:
    from docx.shared import Cm

    for row in table.rows:
        for cell, w in zip(row.cells, cms):
            cell.width = Cm(w)
