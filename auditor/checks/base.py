"""The rule registry and what every rule receives.

A rule is a class with a stable code, a name, a default severity, a status, and docs in
fixed sections (what it checks, why it matters, a failing and a passing example). The
examples are report fragments; tests run every rule over them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar, Iterable

from auditor.model import Evidence, Finding, Quantity, Severity, Table, Verdict
from auditor.textutil import LineIndex

REGISTRY: dict[str, type["Rule"]] = {}


@dataclass
class Context:
    """Everything the stages learned about one document; rules only read it."""

    text: str
    tables: list[Table]
    structure: object  # auditor.structure.Structure
    mentions: list[Quantity]  # every number mention, quantities and not
    observations: list = field(default_factory=list)  # auditor.claims.Observation
    # What several rules derive from the same document (e.g. the comparable observations
    # of AUD101-AUD103), computed once by the first rule that asks, keyed by its reader.
    derived: dict = field(default_factory=dict)
    # .xlsx appendix cells whose cached value differs from their own formula (ingest.xlsx).
    formula_checks: tuple = ()

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        return [q for q in self.mentions if q.is_quantity]

    @cached_property
    def _starts(self) -> list[int]:
        return [q.start for q in self.quantities]

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """The quantities that start inside [start, end), found by bisection."""
        import bisect

        return self.quantities[bisect.bisect_left(self._starts, start) : bisect.bisect_left(self._starts, end)]

    def scope(self, q: Quantity) -> str | None:
        """The scope of a number (auditor.scope.scope_of: change, target, cumulative …), read
        once per number however many rules ask."""
        memo = self.derived.setdefault("scope", {})
        key = (q.start, q.end)
        if key not in memo:
            from auditor.scope import other_period, report_year, scope_of

            if "report_year" not in self.derived:
                self.derived["report_year"] = report_year(self.text)
            memo[key] = scope_of(self.text, q.start, q.end) or (
                "other_period" if other_period(self.text, q.start, q.end, self.derived["report_year"]) else None)
        return memo[key]

    def table(self, index: int) -> Table:
        return self.tables[index - 1]

    @cached_property
    def _table_spans(self) -> tuple[list[int], list[int]]:
        """The tables' [start, end] spans merged and sorted, for `where` by bisection."""
        merged: list[list[int]] = []
        for s, e in sorted((t.start, t.end) for t in self.tables):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [m[0] for m in merged], [m[1] for m in merged]

    def where(self, offset: int) -> str:
        import bisect

        starts, ends = self._table_spans
        i = bisect.bisect_right(starts, offset) - 1
        return "table" if i >= 0 and offset <= ends[i] else "narrative"

    def observed(self, o, role: str) -> Evidence:
        """Evidence for an observation (auditor.claims.Observation) in the given role."""
        return self.evidence(role, o.quantity, value=o.value, table=o.table, row=o.row, col=o.col,
                             label=o.label or None)

    def evidence(self, role: str, q: Quantity, *, value: float | None = None, table: int | None = None,
                 row: int | None = None, col: int | None = None, label: str | None = None,
                 start: int | None = None, end: int | None = None) -> Evidence:
        s = q.start if start is None else start
        e = q.end if end is None else end
        return Evidence(role, self.text[s:e], q.value if value is None else value, s, e,
                        "table" if table is not None else self.where(s), table, row, col, label)


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    kind: ClassVar[str]  # gold taxonomy: sum, identity, rate, fraction, …
    severity: ClassVar[Severity] = Severity.ERROR
    status: ClassVar[str] = "stable"
    what: ClassVar[str] = ""
    why: ClassVar[str] = ""
    example_fail: ClassVar[str] = ""
    example_pass: ClassVar[str] = ""
    options: ClassVar[dict] = {}  # option name → what it does; set in [tool.auditor.rules.CODE]

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if getattr(cls, "code", None):
            REGISTRY[cls.code] = cls

    def __init__(self, options: dict | None = None):
        unknown = set(options or {}) - set(type(self).options)
        if unknown:
            from auditor.errors import UsageError

            raise UsageError(f"{self.code}: không có tùy chọn {', '.join(sorted(unknown))}")
        self.options = options or {}

    def check(self, ctx: Context) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def finding(self, message: str, evidence: list[Evidence], *, severity: Severity | None = None,
                verdict: Verdict = Verdict.INCONSISTENT, stated: float | None = None,
                expected: float | None = None, suggestion: str | None = None,
                culprit: str | None = None, confidence: float | None = None, name: str | None = None,
                kind: str | None = None) -> Finding:
        return Finding(self.code, name or self.name, severity or self.severity, verdict, message,
                       tuple(evidence), kind or self.kind, stated, expected, suggestion, culprit,
                       confidence)

    @classmethod
    def doc(cls) -> str:
        opts = "".join(f"\n- `{k}`: {v}" for k, v in cls.options.items()) or "\n(none)"
        return (
            f"{cls.code} {cls.name} ({cls.severity.value}, {cls.status})\n\n"
            f"## What it checks\n{cls.what.strip()}\n\n## Why it matters\n{cls.why.strip()}\n\n"
            f"## Failing example\n{cls.example_fail.strip()}\n\n## Passing example\n{cls.example_pass.strip()}\n\n"
            f"## Options{opts}\n"
        )


def fmt(v: float | None) -> str:
    """A number in the official Vietnamese style: 1.290; 99,8."""
    if v is None:
        return "?"
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}".replace(",", ".")
    s = f"{v:,.2f}".rstrip("0").rstrip(".")
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
