"""Observations: every value the report states for a concept, from prose or from a table.

A narrative claim is a number whose surrounding words name a concept: first the words
between it and its neighbouring numbers inside its clause, then, if those name nothing,
the clause widened back to the start of the sentence (the claim then *inherits* its
concept, as "596 hồ sơ trực tuyến" inherits "tiếp nhận" from earlier in the sentence).
A table observation is a value cell whose row label or column path names a concept.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from auditor.concepts import lexicon
from auditor.frames import counted_noun, modifies
from auditor.lists import last_part_marker
from auditor.lexicon import squash
from auditor.model import Cell, Kind, Quantity, Sentence, Table, TableKind

_SEGMENT_BREAK = re.compile(r"[;:()]|,(?!\d)|\btrong\s+đó\b|\bcụ\s+thể\b|\bbao\s+gồm\b|\bgồm\b", re.IGNORECASE)
# A named sub-group governs its clause up to the next ";": "…; riêng lĩnh vực đất đai đã giải
# quyết 46/52 hồ sơ, còn 06 hồ sơ đang giải quyết". "các lĩnh vực", "12 lĩnh vực" are the whole.
_SUBGROUP = re.compile(r"\briêng\b|\btrong số\b|(?<!\d )(?<!các )(?<!mọi )(?<!những )(?<!nhiều )(?<!toàn bộ )\blĩnh\s+vực\b|\b(?:tại|của) (?:thôn|tổ dân phố|khu phố)\b",
                       re.IGNORECASE)


_NEGATED = re.compile(r"(?i)\s*không\b")  # a zero stated by negation: "không có hồ sơ nào"
# A line about some fields: "- Các lĩnh vực văn hóa; tôn giáo: tiếp nhận tổng cộng 44 hồ sơ".
_FIELD_LINE = re.compile(r"\s*[-–+•*]?\s*(?:(?:các|nhóm|những)\s+)?lĩnh\s+vực\b", re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*[-–+•]?\s*([^\W\d][^:;,.\d]{1,40}?)\s*:\s", re.UNICODE)


@dataclass(frozen=True)
class Observation:
    concept: str
    value: float
    quantity: Quantity
    source: str  # "narrative" or "table"
    scope: str  # "p12" (paragraph), "t2" (indicator table), "t1r9" (results-table row)
    role: str = "value"  # value | numerator | denominator
    table: int | None = None
    row: int | None = None
    col: int | None = None
    label: str = ""
    is_part: bool = False  # listed under a total of the same family ("trong đó: …")
    subject: str | None = None  # "Cán bộ:" — a sub-population, not the whole
    header: str | None = None  # "- Hộ tịch:", "Lĩnh vực đất đai:" — the label its line opens with
    inherited: bool = False
    derived: bool = False
    is_total_row: bool = False
    alternatives: tuple[str, ...] = ()  # other concepts a denominator may stand for
    # The words that gave the concept: a narrative number's own window (with the words it
    # inherited from, before " … "), a cell's row label and column path. Pairing compares them.
    words: str = ""


def narrative_observations(sentences: list[Sentence], quantities: list[Quantity]) -> list[Observation]:
    lex = lexicon()
    out: list[Observation] = []
    qs = sorted(quantities, key=lambda q: q.start)
    starts = [q.start for q in qs]
    for sent in sentences:
        inside = [q for q in qs[bisect.bisect_left(starts, sent.start):bisect.bisect_left(starts, sent.end)]
                  if q.kind in (Kind.COUNT, Kind.FRACTION, Kind.PERCENT) and q.bound is None]
        if not inside:
            continue
        subject = header = None
        sm = _SUBJECT.match(sent.text)
        if sm and len(sm.group(1).split()) <= 8:
            header = " ".join(sm.group(1).split())
            if len(sm.group(1).split()) <= 5 and _names_people_or_things(sm.group(1)):
                subject = header
        first_rel = inside[0].start - sent.start
        windows = []
        for k, q in enumerate(inside):
            rel = q.start - sent.start
            seg_start = _segment_start(sent.text, rel)
            seg_end = _segment_end(sent.text, q.end - sent.start)
            prev_end = inside[k - 1].end - sent.start if k else 0
            next_start = inside[k + 1].start - sent.start if k + 1 < len(inside) else len(sent.text)
            lo = max(seg_start, prev_end)
            for m in _AND.finditer(sent.text, lo, rel):  # "596 hồ sơ trực tuyến và 01 hồ sơ trực tiếp"
                if len(sent.text[m.end():rel].split()) <= 2:  # "… và 01", not "trước hạn và đúng hạn đạt"
                    lo = m.end()
            windows.append((lo, min(seg_end, next_start)))
        found: list = []
        part_flags: dict[int, bool] = {}
        ends = [w[1] for w in windows]
        for k, q in enumerate(inside):
            rel = q.start - sent.start
            lo, hi = windows[k]
            local = sent.text[lo:hi]
            unit = q.unit
            if unit is None and q.kind == Kind.COUNT:
                # "1.500 tờ rơi": a noun right after the count that is no unit of ours
                unit = counted_noun(sent.text, q.end - sent.start)
            unit = unit or _unit_before(sent.text, lo, rel)
            c = lex.match(local, rel - lo, unit=unit, anchor_end=q.end - sent.start - lo)
            words = local
            inherited, total_concept, via_marker = False, None, False
            if _NEGATED.match(q.raw):
                # "không có hồ sơ quá hạn": what there is none of is said after the noun; the
                # verb before it ("đã giải quyết 301 hồ sơ, không có …") is another clause's.
                after = sent.text[q.start - sent.start:hi]
                c = lex.match(after, 0, unit=unit, anchor_end=q.end - q.start)
                found.append((q, c.id if c else None))
                if c is not None:
                    out.append(Observation(c.id, q.value, q, "narrative", f"p{sent.paragraph}",
                                           subject=subject, header=header, words=after))
                continue
            marker = last_part_marker(sent.text, rel) if k else None
            total_at = None  # the window of the total a part marker lists parts of
            if marker is not None:
                # window ends grow with j: the last window closed by the marker, by bisection
                total_at = bisect.bisect_right(ends, marker.start() + 1, 0, k) - 1
                total_at = total_at if total_at >= 0 else k - 1
            and_cut = k > 0 and windows[k][0] > max(_segment_start(sent.text, rel), inside[k - 1].end - sent.start)
            if c is None and (q.unit is not None or marker is not None or and_cut):
                # The measure is named once for several numbers. The second item of a "và" list
                # measures what the first does; after "trong đó / cụ thể / gồm" or an opening
                # parenthesis a part inherits from the total before it; otherwise a number
                # inherits only from the sentence head (the words before its first number),
                # never from a neighbour's own clause ("52 … (có 17 TTHC phát sinh hồ sơ) và 69 …").
                contexts = []
                if and_cut and found[k - 1][1] is not None and not _own_qualifier(sent.text, q.end - sent.start, hi):
                    contexts.append((windows[k - 1], None))
                if total_at is not None:
                    contexts.append((windows[total_at], ("total", found[total_at][1] if found[total_at] else None)))
                elif q.unit is not None and not re.search(r";|\s(?:do|vì|bởi vì|nhưng)\s", sent.text[first_rel:rel]):
                    contexts.append(((0, first_rel), None))
                for (ctx_lo, ctx_hi), tag in contexts:
                    context = sent.text[ctx_lo:ctx_hi]
                    if not context.strip():
                        continue
                    anchor, anchor_end = rel - lo, q.end - sent.start - lo
                    c = _match_in_context(lex, context, local, anchor, anchor_end, unit)
                    if tag and tag[1]:
                        # A part inherits its total's measure or one below it ("56 hồ sơ đang giải
                        # quyết, gồm … 02 hồ sơ quá hạn"), never an unrelated one: "hiện có 22/23
                        # người theo số lượng được giao, gồm 10 cán bộ" is no assigned headcount.
                        below = _match_in_context(lex, context, local, anchor, anchor_end, unit, family=tag[1])
                        c = below or (c if c is not None and c.id == tag[1] else None)
                    if c is not None:
                        words = context + " … " + local
                        total_concept = tag[1] if tag else None
                        inherited = True
                        via_marker = tag is not None
                        break
            if c is not None and total_at is not None and not via_marker:
                c = _in_family_of_total(lex, c, sent.text[slice(*windows[total_at])], found[total_at][1],
                                        local, rel - lo, q.end - sent.start - lo, unit)
            found.append((q, c.id if c else None))
            if c is None:
                continue
            # A part of a total of the same measure ("1.290 hồ sơ, trong đó: lĩnh vực A 1.285 …")
            # or a named sub-group ("riêng lĩnh vực hộ tịch 175 hồ sơ") is not the whole.
            clause_start = sent.text.rfind(";", max(0, rel - 300), rel) + 1 or max(0, rel - 300)
            group = _SUBGROUP.search(sent.text, min(lo, clause_start), hi) or _FIELD_LINE.match(sent.text)
            is_part = (inherited and via_marker and total_concept in (None, c.id)) or bool(group)
            # "(10 cán bộ, 11 công chức)": the sibling of a listed part is a part too.
            is_part = is_part or (inherited and not via_marker and k > 0 and part_flags.get(k - 1, False))
            part_flags[k] = is_part
            # The figures of one named sub-group ("lĩnh vực hộ tịch tiếp nhận 536, đã giải quyết …"),
            # or of a line opened by a label ("- Bảo trợ xã hội: …"), are related to each other,
            # not to the whole unit's or another field's: they get a scope of their own.
            scope = f"p{sent.paragraph}"
            if group is not None:
                scope += f"g{sent.start + group.start()}"
            elif header is not None and subject is None:
                scope += f"h{sent.start}"
            if q.kind == Kind.FRACTION and not c.base:
                # "13/47 TTHC cung cấp trực tuyến toàn trình": the words name the whole (47);
                # the numerator is some unnamed subset of it.
                if q.denominator is not None:
                    out.append(Observation(c.id, q.denominator, q, "narrative", scope, "denominator",
                                           is_part=is_part, subject=subject, header=header, inherited=inherited,
                                           alternatives=(c.id,), words=words))
            elif q.kind == Kind.FRACTION:
                out.append(Observation(c.id, q.value, q, "narrative", scope, "numerator",
                                       is_part=is_part, subject=subject, header=header, inherited=inherited,
                                       words=words))
                if c.base and q.denominator is not None:
                    out.append(Observation(c.base[0], q.denominator, q, "narrative", scope, "denominator",
                                           is_part=is_part, subject=subject, header=header, inherited=inherited,
                                           alternatives=c.base, words=words))
            else:
                out.append(Observation(c.id, q.value, q, "narrative", scope, is_part=is_part,
                                       subject=subject, header=header, inherited=inherited, words=words))
    return out


def _match_in_context(lex, context: str, local: str, anchor: int, anchor_end: int, unit, family=None):
    """The concept of a number read with words from elsewhere in its sentence put before its
    own window ("context … local"); `none` phrases are looked for in its own words only."""
    window = context + " … " + local
    shift = len(context) + 3
    return lex.match(window, anchor + shift, unit=unit, local=(shift, len(window)),
                     anchor_end=anchor_end + shift, family=family)


def _in_family_of_total(lex, c, context: str, total, local, anchor, anchor_end, unit):
    """A part listed after "gồm / trong đó" belongs to its total's family: "Số hồ sơ đang giải
    quyết là 56 hồ sơ, gồm 54 hồ sơ trong hạn và 02 hồ sơ quá hạn" — 02 is pending and overdue,
    not resolved late. When the part's own words name a concept outside the total's family and
    the total's words (`context`) with the part's name one inside it, the latter is the reading."""
    if total is None or c.id == total or c.id.startswith(total + ".") or c.related(total):
        return c
    c2 = _match_in_context(lex, context, local, anchor, anchor_end, unit, family=total)
    return c2 if c2 is not None else c


def _own_qualifier(text: str, end: int, hi: int) -> bool:
    """Words of its own after a number and its unit: "… một phần và 46 thủ tục chỉ cung cấp
    thông tin". Such an item says what it is; it does not measure what its sibling measures."""
    from auditor.lexicon import units

    rest = text[end:hi]
    u = units().match(rest)
    if u is not None:
        rest = rest[u[1]:]
    return modifies(rest)


def _names_people_or_things(label: str) -> bool:
    """"Cán bộ:", "Công chức xã:" open a sub-population; "Kết quả:" does not."""
    from auditor.lexicon import units

    return units().match(label.strip()) is not None


def _unit_before(text: str, lo: int, rel: int) -> str | None:
    """The unit a bare number inherits from its own clause ("số hồ sơ … là 1.198")."""
    from auditor.lexicon import units

    vocab = units()
    found = None
    for m in re.finditer(r"(?<!\w)(?=\w)", text[lo:rel]):
        u = vocab.match(text[lo + m.start(): rel])
        if u:
            found = u[0].canonical
    return found


def _segment_start(text: str, rel: int) -> int:
    """The end of the last break of finditer(text, 0, rel); breaks are found once per text."""
    ends, _ = _breaks(text)
    k = bisect.bisect_left(ends, rel)  # whole-text breaks ending before rel are breaks of the cut text
    last = ends[k - 1] if k else 0
    # Only a break ending exactly at rel can differ ("," before a digit): search a short tail.
    for m in _SEGMENT_BREAK.finditer(text, max(last, rel - 24), rel):
        last = max(last, m.end())
    return last


_BREAKS: list = [None, None]


def _breaks(text: str) -> tuple[list[int], list[int]]:
    """End offsets of the segment breaks of `text`, and start offsets of the segment ends."""
    if _BREAKS[0] is not text:
        _BREAKS[0] = text
        _BREAKS[1] = ([m.end() for m in _SEGMENT_BREAK.finditer(text)],
                      [(m.start(), m.end()) for m in _SEGMENT_END.finditer(text)])
    return _BREAKS[1]


_AND = re.compile(r"\svà\s", re.IGNORECASE)
_SEGMENT_END = re.compile(_SEGMENT_BREAK.pattern + r"|\svà\s", re.IGNORECASE)


def _segment_end(text: str, rel: int) -> int:
    spans = _breaks(text)[1]
    k = bisect.bisect_left(spans, (rel, -1))  # the first whole-text end starting at or after rel
    if k and spans[k - 1][1] > rel:  # one straddles rel: the search from rel may differ
        m = _SEGMENT_END.search(text, rel)
        return m.start() if m else len(text)
    return spans[k][0] if k < len(spans) else len(text)


def table_observations(tables: list[Table]) -> list[Observation]:
    lex = lexicon()
    out: list[Observation] = []
    for t in tables:
        if t.kind == TableKind.INDICATOR:
            for r in t.rows:
                for cell in r.cells:
                    if cell.quantity is None or not cell.quantity.is_quantity or cell.role == "plan":
                        continue  # a plan or target is never compared with a result
                    note = cell.role == "note"
                    unit = (cell.quantity.unit or r.unit) if note else r.unit
                    words = f"{r.label} {r.note}" if note else r.label
                    c = lex.match(words, None, unit=_unit_name(unit))
                    if c is None:
                        continue
                    out.append(_cell_obs(c.id, cell, t, f"t{t.index}", r.is_total))
        elif t.kind == TableKind.RESULTS:
            concepts = [lex.column_concept(p) for p in t.columns]
            groups = _derived_groups(t)
            for r in t.rows:
                scope = f"t{t.index}r{r.index}"
                for cell in r.cells:
                    c = concepts[cell.col]
                    if c is None or cell.quantity is None:
                        continue
                    out.append(_cell_obs(c.id, cell, t, scope, r.is_total))
                for path, cols in groups:
                    c = lex.column_concept(path)
                    vals = [cl for cl in r.cells if cl.col in cols and cl.quantity]
                    if c is None or len(vals) != len(cols):
                        continue
                    total = sum(v.quantity.value for v in vals)
                    q = Quantity(total, "+".join(v.quantity.raw for v in vals), Kind.COUNT,
                                 vals[0].start, vals[-1].end)
                    out.append(Observation(c.id, total, q, "table", scope, table=t.index, row=r.index,
                                           col=min(cols), label=f"{r.label} / {' / '.join(path)}",
                                           derived=True, is_total_row=r.is_total,
                                           words=f"{r.label} / {' / '.join(path)}"))
    return out


def _unit_name(unit: str) -> str | None:
    u = unit.strip()
    if not u:
        return None
    if u == "%":
        return "%"
    from auditor.lexicon import units

    info = units().lookup(u)
    return info.canonical if info else None


def _cell_obs(concept: str, cell: Cell, t: Table, scope: str, is_total: bool) -> Observation:
    label = cell.row_label if not cell.col_path else f"{cell.row_label} / {' / '.join(cell.col_path)}"
    if t.kind == TableKind.INDICATOR:
        label = f"{cell.row_code} {cell.row_label}".strip()
    return Observation(concept, cell.quantity.value, cell.quantity, "table", scope, table=t.index,
                       row=cell.row, col=cell.col, label=label, is_total_row=is_total, words=label)


def _derived_groups(t: Table) -> list[tuple[tuple[str, ...], list[int]]]:
    """Header groups without a column of their own ("Trong kỳ" over online + direct)."""
    out = []
    seen = set()
    for path in t.columns:
        for depth in range(0, len(path) - 1):  # "Số hồ sơ đang giải quyết" over "Trong hạn | Quá hạn"
            prefix = path[: depth + 1]
            if prefix in seen:
                continue
            cols = [k for k, p in enumerate(t.columns) if p[: depth + 1] == prefix]
            # "Tổng số", "Tổng cộng", "Tổng số đã giải quyết": the group prints its own total
            own_total = any(squash(t.columns[k][-1]).startswith(("tổngsố", "tổngcộng")) for k in cols)
            if len(cols) >= 2 and not own_total and all(len(t.columns[k]) > depth + 1 for k in cols):
                seen.add(prefix)
                out.append((prefix, cols))
    return out
