"""AUD1xx: one quantity stated twice with different values."""
from __future__ import annotations

from collections import defaultdict

from auditor.checks.base import Context, Rule, fmt
from auditor.checks.typos import keystroke_explanation
from auditor.concepts import lexicon
from auditor.model import Kind, Severity


def _comparable(ctx: Context):
    """Observations that speak for the whole report: no sub-population, no list part."""
    by_concept = defaultdict(lambda: {"narrative": [], "table": []})
    for o in ctx.observations:
        if o.source == "narrative" and (o.subject or o.is_part or o.quantity.kind == Kind.PERCENT):
            continue  # a percentage is checked against its own parts (AUD203), not across sections
        if o.source == "table" and "r" in o.scope[1:] and not o.is_total_row:
            continue
        by_concept[o.concept][o.source].append(o)
    return by_concept


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _explained(ctx: Context, concept: str, value: float, exclude) -> bool:
    """The value equals a table value of a related concept: a looser wording, not an error."""
    c = lexicon().get(concept)
    for o in ctx.observations:
        if o.source != "table" or o.concept == concept or o in exclude:
            continue
        if c is not None and c.related(o.concept) and _same(o.value, value):
            return True
    return False


class NarrativeVsTable(Rule):
    code = "AUD101"
    name = "value.narrative-vs-table"
    kind = "narrative-vs-table"
    what = "A figure in the narrative differs from the appendix cell that measures the same thing."
    why = ("The district aggregates the appendix; the leadership reads the narrative. When they "
           "disagree one of them is wrong and the reviewer must find out which.")
    options = {"min_difference": "differences up to this absolute amount are ignored (default 0)"}
    example_fail = ("Biên chế theo quy định là 20 đồng chí, hiện có 18 đồng chí.\n\n"
                    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.2.\tTổng số biên chế có mặt tại thời điểm báo cáo\tNgười\t19")
    example_pass = ("Biên chế theo quy định là 20 đồng chí, hiện có 19 đồng chí.\n\n"
                    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.2.\tTổng số biên chế có mặt tại thời điểm báo cáo\tNgười\t19")

    def check(self, ctx):
        lex = lexicon()
        groups = _comparable(ctx)
        for concept, g in groups.items():
            tables = g["table"]
            if not tables:
                continue
            seen = set()
            for o in g["narrative"]:
                if o.value in seen:
                    continue
                candidates = [t for t in tables]
                if o.role == "denominator":
                    candidates = [t for cid in o.alternatives for t in groups.get(cid, {"table": []})["table"]]
                slack = float(self.options.get("min_difference", 0))
                if not candidates or any(abs(t.value - o.value) <= slack + 1e-9 for t in candidates):
                    continue
                if _explained(ctx, concept, o.value, candidates):
                    continue
                seen.add(o.value)
                name = lex.get(concept).name if lex.get(concept) else concept
                shown = ", ".join(sorted({fmt(t.value) for t in candidates}))
                ev = [ctx.observed(o, "claim")] + [ctx.observed(t, "cell") for t in candidates]
                line = ctx.lines.locate(o.quantity.start)[0]
                slip = next((keystroke_explanation(o.value, t.value) for t in candidates
                             if keystroke_explanation(o.value, t.value)), None)
                yield self.finding(
                    f"{name}: thuyết minh (dòng {line}) ghi {fmt(o.value)}, phụ lục ghi {shown}"
                    + (f"; {slip}" if slip else ""),
                    ev, stated=o.value, expected=candidates[0].value,
                    suggestion=f"Đối chiếu số liệu gốc và thống nhất «{name}» giữa thuyết minh và phụ lục.",
                    name=f"value.narrative-vs-table.{concept}")


class TableVsTable(Rule):
    code = "AUD102"
    name = "value.table-vs-table"
    kind = "table-vs-table"
    what = "Two tables give the same indicator different values (e.g. the results table and the appendix)."
    why = "Tables are aggregated by machine upstream; a mismatch there propagates to every summary."
    example_fail = ("STT\tLĩnh vực\tSố lượng hồ sơ tiếp nhận\tSố lượng hồ sơ đã giải quyết\n\t\tTổng số\tTổng số\n"
                    "Tổng cộng\t\t598\t593\n\nSTT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n"
                    "5.3.1\tTổng số hồ sơ TTHC đã tiếp nhận\tHồ sơ\t240")
    example_pass = ("STT\tLĩnh vực\tSố lượng hồ sơ tiếp nhận\tSố lượng hồ sơ đã giải quyết\n\t\tTổng số\tTổng số\n"
                    "Tổng cộng\t\t598\t593\n\nSTT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n"
                    "5.3.1\tTổng số hồ sơ TTHC đã tiếp nhận\tHồ sơ\t598")

    def check(self, ctx):
        lex = lexicon()
        for concept, g in _comparable(ctx).items():
            cells = g["table"]
            values = sorted({c.value for c in cells})
            if len(values) < 2 or len({c.table for c in cells}) < 2:
                continue
            name = lex.get(concept).name if lex.get(concept) else concept
            parts = "; ".join(f"bảng {c.table} ({c.label[:50]}): {fmt(c.value)}" for c in cells)
            slip = keystroke_explanation(values[0], values[-1]) if len(values) == 2 else None
            yield self.finding(f"{name} khác nhau giữa các bảng: {parts}" + (f"; {slip}" if slip else ""),
                               [ctx.observed(c, "cell") for c in cells],
                               stated=cells[-1].value, expected=cells[0].value,
                               suggestion="Kiểm tra lại bảng tổng hợp phụ lục theo số liệu trên hệ thống một cửa.",
                               name=f"value.table-vs-table.{concept}")


class NarrativeVsNarrative(Rule):
    code = "AUD103"
    name = "value.narrative-vs-narrative"
    kind = "narrative-vs-narrative"
    what = "The narrative states the same quantity twice with different values."
    why = "A report that contradicts itself cannot be quoted; one of the two sentences is wrong."
    example_fail = ("Đã tiếp nhận 596 hồ sơ trực tuyến trong kỳ.\n\nKết quả: UBND xã đã tiếp nhận 515 hồ sơ trực tuyến.")
    example_pass = ("Đã tiếp nhận 596 hồ sơ trực tuyến trong kỳ.\n\nKết quả: UBND xã đã tiếp nhận 596 hồ sơ trực tuyến.")

    def check(self, ctx):
        lex = lexicon()
        for concept, g in _comparable(ctx).items():
            claims = [o for o in g["narrative"] if o.role != "denominator"]
            values = {o.value for o in claims}
            if len(values) < 2:
                continue
            name = lex.get(concept).name if lex.get(concept) else concept
            parts = ", ".join(f"{fmt(o.value)} (dòng {ctx.lines.locate(o.quantity.start)[0]})" for o in claims)
            table_vals = {t.value for t in g["table"]}
            hint = f" Phụ lục ghi {', '.join(fmt(v) for v in sorted(table_vals))}." if table_vals else ""
            yield self.finding(f"{name} được nêu với các giá trị khác nhau: {parts}.{hint}",
                               [ctx.observed(o, "claim") for o in claims],
                               severity=Severity.ERROR,
                               suggestion="Thống nhất số liệu giữa các phần của báo cáo.",
                               name=f"value.narrative-vs-narrative.{concept}")
