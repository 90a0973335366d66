"""Shared wording for the human views: locations, the two sides of a value conflict, the
arithmetic spelled out, the likely culprit and repair, grouping by section and folding of
repeated notes. Every view (terminal, markdown, docx, xlsx, html) says the same thing."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from auditor.i18n import get_lang, polish, strip_line_refs, t
from auditor.model import Evidence, Finding
from auditor.render.locate import shorten

CONFLICT_KINDS = {"narrative-vs-table", "table-vs-table", "narrative-vs-narrative"}


from auditor.checks.base import fmt  # noqa: E402 - one number style for rules and views


def message(f: Finding) -> str:
    return strip_line_refs(polish(f.message) if get_lang() == "vi" else f.message)


def suggestion(f: Finding) -> str | None:
    return polish(f.suggestion) if get_lang() == "vi" else f.suggestion


def unique_evidence(f: Finding) -> list[Evidence]:
    """Each piece of evidence once (a rule may cite one number in two roles)."""
    seen, out = set(), []
    for e in f.evidence:
        key = (e.start, e.end)
        if key in seen or e.end <= e.start:
            continue
        seen.add(key)
        out.append(e)
    return out


# --- locations --------------------------------------------------------------------------------

def location(e: Evidence, line: int | None = None, *, label_width: int = 60, with_line: bool = True) -> str:
    """Where a person finds `e`: table title · STT · label · column, or section; page; line last."""
    parts: list[str] = []
    if e.table is not None:
        if e.table_title:
            parts.append(e.table_title)
        row = []
        if e.stt:
            row.append(t("loc.stt", stt=e.stt.rstrip(".")))
        lab = e.row_label or e.label or ""
        lab = _strip_code(lab, e.stt) if e.stt else lab
        if lab:
            row.append(f"«{shorten(lab, label_width)}»")
        if row:
            parts.append(" ".join(row))
        if e.column_header and not _is_value_column(e.column_header):
            parts.append(t("loc.column", h=shorten(e.column_header, 50)))
    elif e.where == "header":
        parts.append(t("loc.header"))
    elif e.section:
        parts.append(t("loc.section", code=e.section))
    if e.page:
        parts.append(t("loc.page", n=e.page))
    if with_line and line:
        parts.append(t("loc.line", n=line))
    return " · ".join(parts) if parts else t("loc.other")


def _is_value_column(h: str) -> bool:
    """The indicator table's single value column needs no naming."""
    low = h.lower()
    return low.endswith("số liệu") or low in ("kết quả", "giá trị")


def group_label(f: Finding) -> tuple[int, str]:
    """The section or table a finding is filed under, with a sort key (its first offset)."""
    ev = unique_evidence(f) or list(f.evidence)
    if not ev:
        return (0, t("loc.other"))
    first = min(ev, key=lambda e: e.start)
    narrative = [e for e in ev if e.table is None and e.where != "header"]
    head = [e for e in ev if e.where == "header"]
    if head and not narrative:
        return (-1, t("loc.header"))
    e = min(narrative, key=lambda e: e.start) if narrative else first
    if e.table is not None and e.table_title:
        return (e.start, e.table_title)
    if e.section:
        return (e.start, t("loc.section", code=e.section))
    return (e.start, t("where." + e.where) if ("where." + e.where) in _WHERE else t("loc.other"))


_WHERE = {"where.narrative", "where.table", "where.appendix", "where.header"}


# --- value conflicts: the two sides -----------------------------------------------------------

@dataclass
class Sides:
    left_title: str
    left: list[Evidence]
    right_title: str
    right: list[Evidence]
    by_table: bool = False  # the two titles are the two tables' titles


def sides(f: Finding) -> Sides | None:
    if f.kind not in CONFLICT_KINDS:
        return None
    ev = unique_evidence(f)
    if f.kind == "narrative-vs-table":
        left = [e for e in ev if e.table is None]
        right = [e for e in ev if e.table is not None]
        return Sides(t("diff.narrative"), left, t("diff.table"), right) if left and right else None
    if f.kind == "table-vs-table":
        tables = sorted({e.table for e in ev if e.table is not None})
        if len(tables) < 2:
            left, right = ev[:1], ev[1:]
            return Sides(t("diff.first"), left, t("diff.second"), right) if right else None
        left = [e for e in ev if e.table == tables[0]]
        right = [e for e in ev if e.table != tables[0]]
        lt = left[0].table_title or t("diff.first")
        rt = right[0].table_title or t("diff.second")
        return Sides(shorten(lt, 60), left, shorten(rt, 60), right, by_table=True)
    left, right = ev[:1], ev[1:]
    return Sides(t("diff.first"), left, t("diff.second"), right) if right else None


def digit_diff(a: str, b: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both strings cut into (piece, differs) runs, so a keystroke slip shows: 88|8, 593|597."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pa: list[tuple[str, bool]] = []
    pb: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        same = op == "equal"
        if i2 > i1:
            pa.append((a[i1:i2], not same))
        if j2 > j1:
            pb.append((b[j1:j2], not same))
    return pa, pb


def closest(x: Evidence, others: list[Evidence]) -> Evidence | None:
    """The number on the other side to compare digit by digit with `x` (the most alike)."""
    if not others:
        return None
    return max(others, key=lambda o: difflib.SequenceMatcher(None, x.text, o.text).ratio())


# --- arithmetic spelled out -------------------------------------------------------------------

def arithmetic(f: Finding) -> str | None:
    """"593 + 5 = 598 ≠ 597", "15 / 30 = 50,0% ≠ 100%", "593 > 240"."""
    ev = unique_evidence(f)
    roles = {}
    for e in ev:
        roles.setdefault(e.role, []).append(e)
    totals, parts = roles.get("total", []), roles.get("part", [])
    if f.kind in ("identity", "sum") and totals and parts and f.expected is not None:
        total = totals[0]
        shown = " + ".join(_num(e) for e in parts)
        stated = fmt(f.stated) if f.stated is not None else _num(total)
        return f"{shown} = {fmt(f.expected)} ≠ {stated}"
    if f.kind == "hierarchy" and totals and parts:
        return "; ".join(f"{_num(p)} > {_num(totals[0])}" for p in parts if p.value is not None
                          and totals[0].value is not None and p.value > totals[0].value) or None
    num, den, rate = roles.get("numerator", []), roles.get("denominator", []), roles.get("rate", [])
    if f.kind == "rate" and num and den:
        n = sum(e.value or 0 for e in num)
        d = den[0].value
        if not d:
            return f"{'+'.join(_num(e) for e in num)} / {_num(den[0])} = 0/0"
        pct = 100 * n / d
        top = " + ".join(_num(e) for e in num)
        top = f"({top})" if len(num) > 1 else top
        shown = f"{top} / {_num(den[0])} = {percent(pct)}"
        if rate:
            r = rate[0].text.strip()
            shown += f" ≠ {r if r.endswith('%') else r + '%'}"
        return shown
    if f.kind == "fraction":
        fr = roles.get("fraction", [])
        if fr and "/" in fr[0].text:
            a, _, b = fr[0].text.partition("/")
            return f"{a.strip()} > {b.strip().split()[0]}"
    return None


def percent(p: float) -> str:
    """50,0%; 99,77% when one decimal would round a near-total up to 100,0%."""
    s = f"{p:.1f}"
    if (99 < p < 100 or 0 < p < 1) and abs(p - round(p, 1)) > 1e-9:
        s = f"{p:.2f}"
    return s.replace(".", ",") + "%"


def _num(e: Evidence) -> str:
    return fmt(e.value) if e.value is not None else e.text.strip()


# --- culprit and repair ----------------------------------------------------------------------

_CHANGE = re.compile(r"^(?:Sửa|sửa)\s+(\S+)\s+thành\s+(\S+?)\.?$")


def repair(f: Finding) -> tuple[str | None, str | None]:
    """(likely culprit, the repair in plain words)."""
    sug = suggestion(f)
    culprit = None
    if f.culprit:
        src = next((e for e in f.evidence if e.text == f.culprit and e.role != "alternative"), None)
        where = ""
        if src is not None:
            where = f" ({t('where.' + ('table' if src.table is not None else src.where if src.where in ('narrative', 'header') else 'table'))})"
        culprit = f"{f.culprit}{where}"
    if sug:
        m = _CHANGE.match(sug.strip())
        if m:
            a, b = m.groups()
            sug = t("fix.change", a=a, b=b)
            sug = sug + "."
        sug = sug[0].upper() + sug[1:]
    return culprit, sug


# --- folding repeated notes ----------------------------------------------------------------

@dataclass
class Folded:
    name: str
    findings: list[Finding]

    @property
    def severity(self):
        return self.findings[0].severity

    def items(self) -> list[str]:
        out = []
        for f in self.findings:
            e = f.evidence[0] if f.evidence else None
            if e is None:
                continue
            if e.table is not None:
                label = e.row_label or e.label or ""
                out.append(" ".join(x for x in ((e.stt or "").rstrip("."), shorten(_strip_code(label, e.stt), 45)) if x))
            elif e.section:
                out.append(t("loc.section", code=e.section))
            else:
                out.append(shorten(e.text, 45))
        # keep order, drop repeats
        seen, uniq = set(), []
        for x in out:
            if x not in seen:
                seen.add(x)
                uniq.append(x)
        return uniq

    def title(self) -> str:
        key = "foldname." + self.name
        from auditor.i18n import MESSAGES

        return t(key) if key in MESSAGES else t("foldname.other")

    def line(self, limit: int = 8) -> str:
        items = self.items()
        shown = "; ".join(items[:limit])
        if len(items) > limit:
            shown += "; " + t("fold.more", n=len(items) - limit)
        return t("fold", n=len(self.findings), what=self.title(), items=shown)


def _strip_code(label: str, stt: str | None) -> str:
    """"1.4. Tổng số TTHC …" → "Tổng số TTHC …" when the STT is shown beside it."""
    stt = (stt or "").rstrip(".")
    if stt and label.startswith(stt):
        return label[len(stt):].lstrip(". ")
    return label


def fold(findings: list, min_repeat: int = 3) -> list:
    """Notes (info) of one kind that occur `min_repeat` times or more become one entry."""
    by_name: dict[str, list[Finding]] = {}
    for f in findings:
        if isinstance(f, Finding) and f.severity.value == "info":
            by_name.setdefault(f.name, []).append(f)
    folded = {n for n, fs in by_name.items() if len(fs) >= min_repeat}
    out: list[Finding | Folded] = []
    done = set()
    for f in findings:
        if isinstance(f, Finding) and f.severity.value == "info" and f.name in folded:
            if f.name not in done:
                done.add(f.name)
                out.append(Folded(f.name, by_name[f.name]))
            continue
        out.append(f)
    return out


def stated_text(f: Finding) -> str:
    """What the report says, for the correction table ("Báo cáo ghi")."""
    s = sides(f)
    if s:
        left = ", ".join(e.text for e in s.left)
        right = ", ".join(e.text for e in s.right)
        return f"{s.left_title}: {left}\n{s.right_title}: {right}"
    ar = arithmetic(f)
    if ar:
        return ar
    return ", ".join(shorten(e.text, 40) for e in unique_evidence(f)[:4])


def primary_location(f: Finding, lines=None) -> str:
    """All distinct places a finding rests on, narrative first, without line numbers."""
    seen, out = set(), []
    for e in sorted(unique_evidence(f), key=lambda e: (e.table is not None, e.start)):
        loc = location(e, with_line=False)
        if loc not in seen:
            seen.add(loc)
            out.append(loc)
    return "\n".join(out) if out else t("loc.other")


def problem_kind(f: Finding) -> str:
    key = "kind." + f.kind
    from auditor.i18n import MESSAGES

    return t(key) if key in MESSAGES else f.kind


# --- one root cause, one entry ---------------------------------------------------------------

@dataclass
class Cause:
    """A finding and the other findings the same wrong number sets off (its knock-on effects)."""

    primary: Finding
    others: list[Finding]

    @property
    def severity(self):
        return max((self.primary, *self.others), key=lambda f: f.severity.rank).severity

    @property
    def findings(self) -> list[Finding]:
        return [self.primary, *self.others]


_KIND_ORDER = {"narrative-vs-table": 0, "fraction": 1, "rate": 2, "identity": 3, "sum": 4, "table-vs-table": 5,
               "narrative-vs-narrative": 6, "hierarchy": 7}
_NOT_NUMBERS = {"heading", "date", "period", "placeholder", "rule", "header", "unit"}


def root_causes(findings: list[Finding]) -> list[Finding | Cause]:
    """Errors and warnings that rest on the same number (same place, same value) are one root
    cause: the one that names a culprit, or else explains it most directly, leads; the others
    are listed under it. Notes are left alone."""
    idx = [i for i, f in enumerate(findings) if f.severity.value != "info"]
    parent = {i: i for i in idx}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for i in idx:
        for e in findings[i].evidence:
            if e.role in _NOT_NUMBERS or e.end <= e.start:
                continue
            key = (e.start, e.end, e.value)
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in idx:
        groups.setdefault(find(i), []).append(i)
    lead_of: dict[int, int] = {}
    for members in groups.values():
        lead = min(members, key=lambda i: (-findings[i].severity.rank, findings[i].culprit is None,
                                           _KIND_ORDER.get(findings[i].kind, 9), i))
        for m in members:
            lead_of[m] = lead
    out: list[Finding | Cause] = []
    for i, f in enumerate(findings):
        if i not in lead_of:
            out.append(f)
        elif lead_of[i] == i:
            others = [findings[m] for m in groups[find(i)] if m != i]
            out.append(Cause(f, others) if others else f)
    return out


def entries(findings: list[Finding]) -> list:
    """What a human view lists: root causes with their knock-on effects, then folded notes."""
    return fold(root_causes(findings))


def grouped_entries(findings: list[Finding]) -> list[tuple[str, list]]:
    """The entries of a report under their section heading, sections in document order:
    what every human view lists, numbered 1, 2, 3 … across the groups."""
    groups: dict[str, tuple[int, list]] = {}
    for entry in entries(findings):
        key, label = group_label(lead(entry))
        groups.setdefault(label, (key, []))[1].append(entry)
    return [(label, items) for label, (_, items) in sorted(groups.items(), key=lambda kv: kv[1][0])]


def explanation(f: Finding) -> list[tuple[str, str]]:
    """(catalogue key, text) of what is shown under a finding's message, in order: the
    arithmetic spelled out, the likely culprit, the repair, how sure the pairing is.
    Keys are "arith", "culprit", "fix", "conf"."""
    culprit, fix = repair(f)
    return [(key, text) for key, text in (("arith", arithmetic(f)), ("culprit", culprit), ("fix", fix),
                                          ("conf", confidence_label(f))) if text]


HIGH_CONFIDENCE = 0.75


def confidence_label(f: Finding) -> str | None:
    """High or medium: how sure the auditor is that the numbers compared measure the same
    thing (auditor.pairing). Low ones are info items; arithmetic checks carry none."""
    if f.confidence is None:
        return None
    from auditor.pairing import sure

    level = "high" if f.confidence >= HIGH_CONFIDENCE else "medium" if sure(f.confidence) else "low"
    return t("conf." + level, p=f"{f.confidence:.2f}".replace(".", "," if get_lang() == "vi" else "."))


def lead(entry) -> Finding:
    """The finding an entry is filed and numbered under."""
    if isinstance(entry, Cause):
        return entry.primary
    if isinstance(entry, Folded):
        return entry.findings[0]
    return entry


def knock_on_lines(entry) -> list[str]:
    """One line per knock-on effect of a root cause: message, arithmetic, where."""
    if not isinstance(entry, Cause):
        return []
    shown = {(e.start, e.end) for e in entry.primary.evidence}
    out = []
    for f in entry.others:
        line = message(f)
        ar = arithmetic(f)
        if ar and ar not in line:
            line += f" ({ar})"
        locs = list(dict.fromkeys(location(e, with_line=False) for e in unique_evidence(f)
                                  if (e.start, e.end) not in shown))
        if locs:
            line += " — " + "; ".join(locs)
        out.append(line)
    return out
