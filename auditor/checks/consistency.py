"""AUD1xx: one quantity stated twice with different values."""
from __future__ import annotations

import re
from collections import defaultdict

from dataclasses import replace

from auditor import pairing
from auditor.checks.base import Context, Rule, fmt
from auditor.checks.typos import keystroke_explanation
from auditor.concepts import lexicon
from auditor.model import Kind, Severity, Verdict


# A concept stated with this many different values in the narrative was read wrongly
# somewhere (several measures given one meaning): abstain rather than report each.
MAX_NARRATIVE_VALUES = 2
PAIR_CAP = 24  # statements of one concept scored for pairing (bounded work on pathological input)


def _comparable(ctx: Context):
    """Observations that speak for the whole report and this period: no sub-population, no
    list part, no per-field figure, no change, comparison, target, cumulative or next-period
    figure (rules/scopes.yaml). Three rules read it: computed once per context."""
    if "comparable" not in ctx.derived:
        ctx.derived["comparable"] = _group_comparable(ctx)
    return ctx.derived["comparable"]


def _group_comparable(ctx: Context):
    from auditor.frames import restricted, restricted_before

    fields = _field_rows(ctx)
    by_concept = defaultdict(lambda: {"narrative": [], "table": [], "field": [], "rows": []})
    for o in ctx.observations:
        if o.source == "table":
            kind = "rows" if "r" in o.scope[1:] and not o.is_total_row else "table"
            by_concept[o.concept][kind].append(o)
            continue
        if o.quantity.kind == Kind.PERCENT:
            continue  # a percentage is checked against its own parts (AUD203), not across sections
        if ctx.scope(o.quantity):
            continue
        if restricted(ctx.text, o.quantity.end) or restricted_before(ctx.text, o.quantity.start):
            continue  # "46 hồ sơ vào ngày thứ Bảy", "tiếp nhận vào ngày thứ Bảy 118 hồ sơ": a subset
        # A field named before a fraction is the numerator's ("hồ sơ chứng thực chiếm tỷ trọng lớn
        # (1.122/2.174 hồ sơ mới tiếp nhận)"): the denominator is the whole's.
        row = _field_of(ctx, o, fields) if fields and o.role != "denominator" else None
        if row is None and o.header:  # "- Hộ tịch: tiếp nhận 417 hồ sơ; đã giải quyết 413 …"
            row = _header_field(o.header, fields)
            if row is None and _FIELD_HEADER.match(o.header):
                continue  # a field the tables do not list: not the whole unit's figure
        if row == SEVERAL:
            continue  # "các lĩnh vực giáo dục, nội vụ, môi trường tiếp nhận 62 hồ sơ": no one row's
        if row is not None:  # a figure of one field ("lĩnh vực hộ tịch … 536 hồ sơ")
            if not o.inherited:  # "… 273 hồ sơ, trong đó có 96 hồ sơ khai sinh": a part, not the row
                by_concept[o.concept]["field"].append((o, row))
        elif not (o.subject or o.is_part):
            by_concept[o.concept]["narrative"].append(o)
    return by_concept


def _field_rows(ctx: Context) -> list[tuple[str, int, int]]:
    """(folded name, table, row) of every non-total row of a results table: the fields. The
    name is the label without its bracketed gloss ("Đất đai (cấp xã)" → "đất đai")."""
    from auditor.lexicon import fold
    from auditor.model import TableKind

    out = []
    for t in ctx.tables:
        if t.kind != TableKind.RESULTS:
            continue
        for r in t.rows:
            label = fold(r.label)
            if not r.is_total and len(label) >= 5:
                out.append((label.split(" (")[0], t.index, r.index))
    return out


FIELD_MATCH = 90  # rapidfuzz partial_ratio cut-off for a field name inside a clause
# A line opened by "Lĩnh vực …:", "Các lĩnh vực A, B, C:", "Nhóm lĩnh vực …:", "Riêng …:" speaks
# of some fields, not of the whole unit.
_FIELD_HEADER = re.compile(r"(?i)\s*(?:(?:các|nhóm|những)\s+)?(?:lĩnh\s+vực|riêng)\b")


def _header_field(header: str, fields) -> tuple[int, int] | None:
    """The results-table row a line's opening label names ("- Lĩnh vực hộ tịch:", "- Chứng thực:")."""
    from auditor.lexicon import fold

    label = fold(_FIELD_HEADER.sub("", header, count=1)).strip()
    if len(label) < 4:
        return None
    return _one_field(label, fields, partial=False)


def _field_of(ctx: Context, o, fields) -> tuple[int, int] | None:
    """The results-table row a narrative figure speaks of, when its clause names a field
    ("lĩnh vực hộ tịch tiếp nhận 536 hồ sơ"): matched by fuzzy partial ratio, best first."""
    from auditor.lexicon import fold
    from auditor.scope import clause_bounds

    a, b = clause_bounds(ctx.text, o.quantity.start, o.quantity.end)
    # The words that belong to this figure: back to the previous number, on to the next
    # number, comma or bracket ("quá hạn 02 hồ sơ (01 hồ sơ lĩnh vực …)" is not about a field).
    # Only a field named before the figure counts: one named after it ("02 hồ sơ quá hạn thuộc
    # lĩnh vực đất đai") usually picks a sub-breakdown out of another measure.
    before = ctx.text[max(a, o.quantity.start - 120):o.quantity.start]
    clause = fold(re.split(r"\d", before)[-1])
    return _one_field(clause, fields, partial=True)


SEVERAL = (-1, -1)  # several fields named together: a group's figure


def _one_field(words: str, fields, partial: bool):
    """The one results-table row `words` names; None when none, or when several fields are
    named together ("các lĩnh vực giáo dục, nội vụ, môi trường tiếp nhận 62 hồ sơ"): a group
    figure is no single row's."""
    from rapidfuzz import fuzz

    exact = {name: (100, t, r) for name, t, r in fields if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words)}
    hits = exact or {}
    if not hits:
        for name, t, r in fields:
            if partial and len(name) > len(words):
                continue
            score = (fuzz.partial_ratio(name, words) if partial or len(name) <= len(words)
                     else fuzz.ratio(name, words))
            if score >= FIELD_MATCH and score > hits.get(name, (0,))[0]:
                hits[name] = (score, t, r)
    if len(hits) > 1:
        return SEVERAL
    if not hits:
        return None
    (_, t, r), = hits.values()
    return (t, r)


def _gate(f):
    """A conflict between two numbers that may not measure the same thing (the pairing's
    confidence is below the threshold) is not an error: an info item for the reviewer."""
    if pairing.sure(f.confidence):
        return f
    return replace(f, severity=Severity.INFO, verdict=Verdict.INDETERMINATE,
                   message=f.message + " (chưa chắc hai số cùng chỉ một nội dung; cần kiểm tra)")


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _difference_stated(ctx: Context, a: float, b: float, claims, cells=()) -> bool:
    """Two values that differ by a figure stated beside one of them are a total and its part
    ("nhận giải quyết 1.208 hồ sơ, trong đó 37 từ kỳ trước chuyển qua và 1.171 mới tiếp nhận"),
    or a total with and without a column of its row: the reading is wrong, not the report."""
    from auditor.scope import sentence_bounds

    gap = abs(a - b)
    if gap < 1e-9:
        return False
    mine = {(o.quantity.start, o.quantity.end) for o in claims}
    for o in claims:
        lo, hi = sentence_bounds(ctx.text, o.quantity.start, o.quantity.end)
        if any(_same(q.value, gap) and (q.start, q.end) not in mine for q in ctx.quantities_in(lo, hi)):
            return True
    for t in cells:
        row = ctx.table(t.table).rows[t.row] if t.table is not None and t.row is not None else None
        if row is not None and any(c.quantity is not None and c.col != t.col and _same(c.quantity.value, gap)
                                   for c in row.cells):
            return True
    return False


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
    what = ("A figure in the narrative differs from the appendix cell that measures the same thing. "
            "When the pairing scorer (auditor/pairing.py) is not sure the two measure the same thing, "
            "the conflict is an info item to check, not an error.")
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
            yield from self._field_claims(ctx, concept, g)
            tables = g["table"]
            stated = {o.value for o in g["narrative"]}
            if not tables or len(stated) > MAX_NARRATIVE_VALUES:
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
                if any(_same(r.value, o.value) for r in g["rows"]):
                    continue  # the figure of one row (one field), not the total
                if any(_difference_stated(ctx, o.value, t.value, [o], [t]) for t in candidates):
                    continue
                seen.add(o.value)
                conf = pairing.confidence(ctx, o, candidates[:PAIR_CAP], values_here=len(stated),
                                          values_there=len({t.value for t in tables}))
                yield self._conflict(ctx, lex, concept, o, candidates, confidence=conf)

    def _field_claims(self, ctx, concept, g):
        """A figure the narrative gives for one field, against that field's row."""
        lex = lexicon()
        for o, (t, r) in g["field"]:
            cells = [c for c in g["rows"] + g["table"] if c.table == t and c.row == r]
            if not cells or any(_same(c.value, o.value) for c in cells):
                continue
            if any(_same(c.value, o.value) for c in g["rows"]):
                continue  # it is another field's figure: the field was matched wrongly
            row = ctx.table(t).rows[r]
            if any(c.quantity is not None and _same(c.value, o.value) for c in row.cells):
                continue  # another measure of the same field (online, resolved …): an ellipsis
            yield self._conflict(ctx, lex, concept, o, cells,
                                 confidence=pairing.confidence(ctx, o, cells[:PAIR_CAP], field_pair=True))

    def _conflict(self, ctx, lex, concept, o, candidates, confidence=None):
        name = lex.get(concept).name if lex.get(concept) else concept
        shown = ", ".join(sorted({fmt(t.value) for t in candidates}))
        ev = [ctx.observed(o, "claim")] + [ctx.observed(t, "cell") for t in candidates]
        line = ctx.lines.locate(o.quantity.start)[0]
        slip = next((keystroke_explanation(o.value, t.value) for t in candidates
                     if keystroke_explanation(o.value, t.value)), None)
        return _gate(self.finding(
            f"{name}: thuyết minh (dòng {line}) ghi {fmt(o.value)}, phụ lục ghi {shown}"
            + (f"; {slip}" if slip else ""),
            ev, stated=o.value, expected=candidates[0].value, confidence=confidence,
            suggestion=f"Đối chiếu số liệu gốc và thống nhất «{name}» giữa thuyết minh và phụ lục.",
            name=f"value.narrative-vs-table.{concept}"))


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
            # One value per table: a table that gives the concept two values (a row and its
            # sub-row, a value beside a plan or a note) was read ambiguously and is left out.
            per_table = defaultdict(list)
            for c in g["table"]:
                per_table[c.table].append(c)
            cells = [cs[0] for cs in per_table.values() if len({c.value for c in cs}) == 1]
            values = sorted({c.value for c in cells})
            if len(values) < 2 or len({c.table for c in cells}) < 2:
                continue
            if len(values) == 2 and _difference_stated(ctx, *values, [], cells):
                continue  # with and without a column of the same row (carried over): two measures
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
    what = ("The narrative states the same quantity twice with different values. Two sentences that "
            "the lexicon gives one concept often measure different things (a field, another office, "
            "another period): the pairing scorer (auditor/pairing.py) says how sure the pairing is, and "
            "below its threshold the conflict is an info item to check, not an error.")
    why = "A report that contradicts itself cannot be quoted; one of the two sentences is wrong."
    example_fail = ("Đã tiếp nhận 596 hồ sơ trực tuyến trong kỳ.\n\nKết quả: UBND xã đã tiếp nhận 515 hồ sơ trực tuyến.")
    example_pass = ("Đã tiếp nhận 596 hồ sơ trực tuyến trong kỳ.\n\nKết quả: UBND xã đã tiếp nhận 596 hồ sơ trực tuyến.")

    def check(self, ctx):
        lex = lexicon()
        for concept, g in _comparable(ctx).items():
            claims = [o for o in g["narrative"] if o.role != "denominator"]
            values = {o.value for o in claims}
            if len(values) < 2 or len(values) > MAX_NARRATIVE_VALUES:
                continue
            if any(_same(r.value, v) for r in g["rows"] for v in values):
                continue  # one of them is a field's figure, not a second statement of the total
            if len(values) == 2 and _difference_stated(ctx, *sorted(values), claims):
                continue
            name = lex.get(concept).name if lex.get(concept) else concept
            # Pairs of different values, each distinct wording once: a report repeating one
            # figure a thousand times costs a few pairs, not a million.
            distinct = list({(o.value, " ".join(o.words.split())): o for o in claims}.values())[:PAIR_CAP]
            conf = None
            for i, a in enumerate(distinct):
                p = pairing.confidence(ctx, a, [b for b in distinct[i + 1:] if not _same(a.value, b.value)],
                                       values_here=len(values), values_there=len(values))
                conf = p if conf is None or (p is not None and p > conf) else conf
            parts = ", ".join(f"{fmt(o.value)} (dòng {ctx.lines.locate(o.quantity.start)[0]})" for o in claims)
            table_vals = {t.value for t in g["table"]}
            hint = f" Phụ lục ghi {', '.join(fmt(v) for v in sorted(table_vals))}." if table_vals else ""
            yield _gate(self.finding(f"{name} được nêu với các giá trị khác nhau: {parts}.{hint}",
                                     [ctx.observed(o, "claim") for o in claims],
                                     severity=Severity.ERROR, confidence=conf,
                                     suggestion="Thống nhất số liệu giữa các phần của báo cáo.",
                                     name=f"value.narrative-vs-narrative.{concept}"))
