"""The batch summary every multi-file view starts with: one row per report sorted by errors,
the totals, the most common problems across reports, and reports sent more than once."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from auditor.i18n import t
from auditor.render.base import ReportView
from auditor.render.explain import problem_kind


@dataclass
class Row:
    unit: str
    ref: str
    period: str
    errors: int
    warnings: int
    notes: int
    status: str  # ok | fix | unreadable
    path: str

    @property
    def status_label(self) -> str:
        return t("status." + self.status)


@dataclass
class Summary:
    rows: list[Row]
    totals: dict[str, int]
    common: list[tuple[str, int]]  # (problem, number of reports with it)
    duplicates: list[list[str]]
    n: int

    def totals_line(self) -> str:
        c = self.totals
        return t("batch.totals", n=self.n, ok=c["ok"], fix=c["fix"], bad=c["unreadable"],
                 e=t("count.error", n=c["error"]), w=t("count.warning", n=c["warning"]),
                 i=t("count.info", n=c["info"]))

    def common_lines(self, limit: int = 5) -> list[str]:
        return [t("batch.common_row", k=k, n=self.n, what=what) for what, k in self.common[:limit]]


def ref_of(r: ReportView) -> str:
    if r.info is None:
        return ""
    parts = [p for p in (r.info.number, r.info.date) if p]
    return ", ".join(parts)


def summarise(reports: list[ReportView]) -> Summary:
    rows = []
    totals = Counter({"error": 0, "warning": 0, "info": 0, "ok": 0, "fix": 0, "unreadable": 0})
    common: Counter = Counter()
    for r in reports:
        c = r.counts()
        info = r.info
        rows.append(Row(info.unit if info and info.unit else Path(r.path).name, ref_of(r) or "—",
                        info.period if info and info.period else "—", c["error"], c["warning"], c["info"],
                        r.status, r.path))
        totals.update(c)
        totals[r.status] += 1
        kinds = {problem_kind(f) for f in r.findings if f.severity.value in ("error", "warning")}
        common.update(kinds)
    order = {"unreadable": 0, "fix": 1, "ok": 2}
    rows.sort(key=lambda x: (order[x.status], -x.errors, -x.warnings, -x.notes, x.path))
    ranked = sorted(common.items(), key=lambda kv: (-kv[1], kv[0]))  # ties in a fixed order
    return Summary(rows, dict(totals), ranked, duplicates(reports), len(reports))


def duplicates(reports: list[ReportView]) -> list[list[str]]:
    """Reports that are the same one sent twice: the same unit, number and date, or the same
    file name with another extension (.docx and .pdf)."""
    groups: dict[tuple, list[str]] = {}
    for r in reports:
        if r.info and r.info.unit and (r.info.number or r.info.date):
            key = ("hdr", r.info.unit, r.info.number, r.info.date, r.info.period)
        else:
            key = ("stem", str(Path(r.path).with_suffix("")))
        groups.setdefault(key, []).append(r.path)
    by_stem: dict[str, list[str]] = {}
    for r in reports:
        by_stem.setdefault(str(Path(r.path).with_suffix("")), []).append(r.path)
    out = [sorted(v) for v in groups.values() if len(v) > 1]
    out += [sorted(v) for v in by_stem.values() if len(v) > 1 and sorted(v) not in out]
    return out
