"""`--format xlsx`: a tracking workbook. One row per finding with its location columns
(section, table title, STT, column, page, line as read), what the report says, what does not
agree and the proposed correction, then empty columns for status, reviewer and comment.
A batch gets a summary sheet first (one row per report, totals, most common problems)."""
from __future__ import annotations

from auditor.i18n import t
from auditor.render.base import Formatter, ReportView
from auditor.render.explain import arithmetic, message, problem_kind, repair, stated_text, unique_evidence


def _cols():
    return [("doc.col.stt", 6), ("batch.file", 28), ("batch.unit", 24), ("x.severity", 10), ("x.kind", 26),
            ("x.section", 10), ("x.table", 34), ("x.stt", 9), ("x.column", 24), ("x.page", 7), ("x.line", 9),
            ("doc.col.stated", 30), ("doc.col.problem", 60), ("doc.col.fix", 40), ("x.culprit", 12),
            ("codes", 10), ("x.state", 16), ("x.reviewer", 18), ("x.comment", 30)]


class XlsxFormatter(Formatter):
    name = "xlsx"
    binary = True

    def render(self, reports: list[ReportView]):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        if self.batch:
            ws.title = t("batch.sheet")
            self.summary_sheet(ws, reports)
            ws = wb.create_sheet(t("x.sheet"))
        else:
            ws.title = t("x.sheet")
        self.findings_sheet(ws, reports)
        wb.save(self.stream)
        return None

    def findings_sheet(self, ws, reports: list[ReportView]) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.worksheet.datavalidation import DataValidation

        cols = _cols()
        ws.append([t(k) for k, _ in cols])
        for i, (_, w) in enumerate(cols, 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = w
            ws.cell(1, i).font = Font(bold=True)
            ws.cell(1, i).fill = PatternFill("solid", fgColor="DDEBF7")
        ws.freeze_panes = "A2"
        n = 0
        fills = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
        for r in reports:
            if r.error is not None:
                n += 1
                ws.append([n, r.path, "", t("status.unreadable"), "", "", "", "", "", "", "", "", r.error])
                continue
            unit = r.info.unit if r.info and r.info.unit else ""
            for f in r.findings:
                n += 1
                ev = unique_evidence(f) or list(f.evidence)
                main = next((e for e in ev if e.table is None and e.where != "header"), ev[0] if ev else None)
                problem = message(f)
                ar = arithmetic(f)
                if ar and ar not in problem:
                    problem += f" ({t('arith')}: {ar})"
                culprit, fix = repair(f)
                lines = sorted({r.lines.locate(e.start)[0] for e in ev})
                ws.append([
                    n, r.path, unit, t("sev." + f.severity.value), problem_kind(f),
                    main.section if main and main.section else "",
                    "; ".join(dict.fromkeys(e.table_title for e in ev if e.table_title)),
                    ", ".join(dict.fromkeys(e.stt.rstrip(".") for e in ev if e.stt)),
                    "; ".join(dict.fromkeys(e.column_header for e in ev if e.column_header)),
                    ", ".join(dict.fromkeys(str(e.page) for e in ev if e.page)),
                    ", ".join(map(str, lines)),
                    stated_text(f), problem, fix or "", culprit or "", f.rule, None, None, None])
                ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=fills[f.severity.value])
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        state_col = [k for k, _ in _cols()].index("x.state") + 1
        letter = ws.cell(1, state_col).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(_STATES[_lang()]) + '"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{max(2, ws.max_row)}")
        ws.auto_filter.ref = ws.dimensions

    def summary_sheet(self, ws, reports: list[ReportView]) -> None:
        from openpyxl.styles import Font

        from auditor.render.batch import summarise

        s = summarise(reports)
        ws.append([t("batch.title", n=s.n)])
        ws.cell(1, 1).font = Font(bold=True, size=13)
        head = [t("batch.unit"), t("batch.ref"), t("batch.period"), t("sevcol.error"), t("sevcol.warning"),
                t("sevcol.info"), t("batch.status"), t("batch.file")]
        ws.append(head)
        for i in range(1, len(head) + 1):
            ws.cell(2, i).font = Font(bold=True)
        for row in s.rows:
            ws.append([row.unit, row.ref, row.period, row.errors, row.warnings, row.notes, row.status_label, row.path])
        ws.append([])
        ws.append([s.totals_line()])
        ws.append([t("batch.common")])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for line in s.common_lines(10):
            ws.append([line])
        for d in s.duplicates:
            ws.append([t("batch.duplicate", files=", ".join(d))])
        for letter, w in zip("ABCDEFGH", (28, 22, 24, 8, 10, 8, 16, 40)):
            ws.column_dimensions[letter].width = w
        ws.freeze_panes = "A3"


_STATES = {"vi": ("Chưa xử lý", "Đã gửi đơn vị", "Đơn vị đã sửa", "Không phải lỗi"),
           "en": ("Open", "Sent to unit", "Fixed by unit", "Not an error")}


def _lang() -> str:
    from auditor.i18n import get_lang

    return get_lang()
