"""AUD410: an .xlsx cell whose saved value is not what its own formula computes."""
from __future__ import annotations

from auditor.checks.base import Rule, fmt
from auditor.model import Evidence, Severity


class FormulaCachedValueRule(Rule):
    code = "AUD410"
    name = "spreadsheet.formula-vs-value"
    kind = "formula"
    severity = Severity.ERROR
    what = ("In an .xlsx appendix, a formula cell (a total =SUM(C5:C12), a rate =D5/C5*100) shows the "
            "value Excel saved with it. When that saved value is not what the formula computes from the "
            "cells it names, a number was typed over the total, or the file was edited by a program "
            "that did not recompute it.")
    why = ("The reviewer sees the saved value; the formula says what the commune meant. When they "
           "differ, one of them is wrong, and the table no longer adds up the way it claims.")
    example_fail = "Biểu 01\n\nSTT\tLĩnh vực\tSố hồ sơ\n1\tHộ tịch\t80\n2\tChứng thực\t60\n\tTổng cộng\t150\n"
    example_pass = "Biểu 01\n\nSTT\tLĩnh vực\tSố hồ sơ\n1\tHộ tịch\t80\n2\tChứng thực\t70\n\tTổng cộng\t150\n"

    @staticmethod
    def example_kwargs(text: str) -> dict:
        """The formula checks the .xlsx reader would find in an example's flattened sheet."""
        from auditor.ingest.xlsx import FormulaCheck

        start = text.rindex("150")
        parts = [float(line.split("\t")[2]) for line in text.splitlines() if line[:1].isdigit()]
        if sum(parts) == 150:
            return {}
        return {"formula_checks": (FormulaCheck("Biểu 01", "C6", "=SUM(C4:C5)", 150.0, sum(parts),
                                                start, start + 3),)}

    def check(self, ctx):
        for c in ctx.formula_checks:
            raw = ctx.text[c.start:c.end]
            cell = _cell_at(ctx, c.start)
            ref = f"{c.sheet}!{c.ref} {c.formula}"
            if cell is None:
                ev = Evidence("cell", raw, c.cached, c.start, c.end, ctx.where(c.start), label=ref)
            else:  # the rebuilt table's row and column, so a reviewer finds it by its label
                t, row, cl = cell
                label = " / ".join(p for p in (row.label, *cl.col_path) if p) or ref
                ev = Evidence("cell", raw, c.cached, c.start, c.end, "table", t.index, row.index, cl.col,
                              f"{label} ({ref})")
            yield self.finding(
                f"Ô {c.ref} (trang tính «{c.sheet}») ghi {fmt(c.cached)} nhưng công thức {c.formula} "
                f"của chính ô đó cho {fmt(c.computed)}; chênh {fmt(abs(c.cached - c.computed))}",
                [ev], stated=c.cached, expected=c.computed,
                suggestion=f"Tính lại bảng tính (hoặc sửa ô {c.ref}) để giá trị khớp công thức.")


def _cell_at(ctx, start: int):
    """(table, row, cell) of the rebuilt table cell that starts at `start`, if any."""
    for t in ctx.tables:
        if not t.start <= start <= t.end:
            continue
        for row in t.rows:
            for cl in row.cells:
                if cl.start <= start < cl.end:
                    return t, row, cl
    return None
