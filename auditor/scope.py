"""The scope of a narrative figure: this period's level, or a change, a comparison, a
cumulative figure, a target, next period's plan (rules/scopes.yaml).

Only a figure of the plain scope is compared with other statements of its concept; the rest
are not errors when they differ, they measure something else.
"""
from __future__ import annotations

import re
from functools import lru_cache

from auditor.lexicon import load_pack

# A full stop ends a clause; the dot of "1.290" or "1.000894.000.00.00.H12" does not.
_CLAUSE_END = re.compile(r"[;:!?\n]|\.(?!\w)")
_SENTENCE_END = re.compile(r"[!?\n]|\.(?!\w)")
WINDOW = 60


@lru_cache(maxsize=1)
def _patterns() -> dict[str, dict[str, list[re.Pattern]]]:
    pack = load_pack("scopes")
    out = {}
    for name, spec in (pack.get("scopes") or {}).items():
        out[name] = {where: [re.compile(p) for p in spec.get(where, [])]
                     for where in ("before", "after", "clause", "sentence", "bracketed")}
    return out


def clause_bounds(text: str, start: int, end: int, ends: re.Pattern = _CLAUSE_END) -> tuple[int, int]:
    """The clause around [start, end): from the last '.', ';', ':' or newline before it to the next."""
    lo = max(0, start - 400)
    cut = [m.end() for m in ends.finditer(text, lo, start)]
    a = cut[-1] if cut else lo
    m = ends.search(text, end, min(len(text), end + 400))
    return a, (m.start() if m else min(len(text), end + 400))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): "Lũy kế 6 tháng, tiếp nhận …; đã giải quyết 1.465" is one."""
    return clause_bounds(text, start, end, _SENTENCE_END)


def scope_of(text: str, start: int, end: int) -> str | None:
    """The scope name of the number at [start, end), or None for the plain scope."""
    a, b = clause_bounds(text, start, end)
    # An opening bracket between the words and the number does not change their scope:
    # "vượt chỉ tiêu được giao (98%)".
    raw_before = text[max(a, start - WINDOW):start].lower()
    before = raw_before.rstrip("( \t")
    after = text[end:min(b, end + WINDOW)].lower()
    clause = text[a:b].lower()
    sentence = None
    for name, pats in _patterns().items():
        if any(p.search(before) for p in pats["before"]) or any(p.search(after) for p in pats["after"]) \
                or any(p.search(clause) for p in pats["clause"]) or any(p.search(raw_before) for p in pats["bracketed"]):
            return name
        if pats["sentence"]:
            if sentence is None:
                sa, sb = sentence_bounds(text, start, end)
                sentence = text[sa:sb].lower()
            if any(p.search(sentence) for p in pats["sentence"]):
                return name
    return None


@lru_cache(maxsize=1)
def _period_patterns() -> tuple[list[re.Pattern], list[re.Pattern]]:
    pack = load_pack("scopes")
    return ([re.compile(p) for p in pack.get("period_year", [])],
            [re.compile(p) for p in pack.get("title_period", [])])


def report_year(text: str) -> int | None:
    """The year of the period the report is about, from its title ("BÁO CÁO … quý II năm 2026")."""
    head = text[:4000].lower()
    for p in _period_patterns()[1]:
        m = p.search(head)
        if m:
            return int(m.group(1))
    return None


def other_period(text: str, start: int, end: int, year: int | None) -> bool:
    """Does the number's clause name, before it, a period of another year than the report's?"""
    if year is None:
        return False
    a, _ = clause_bounds(text, start, end)
    before = text[a:start].lower()
    return any(int(m.group(1)) != year for p in _period_patterns()[0] for m in p.finditer(before))
