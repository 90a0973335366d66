"""Run the pipeline on one document and the rules over it.

ingest → tables → structure → numbers → observations → rules → root cause. Every stage
is guarded: a failure inside one rule becomes an AUD001 finding instead of a crash, so
a bad input never loses the results of the other rules.
"""
from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass, field, replace

from auditor.checks import REGISTRY, Context
from auditor.claims import narrative_observations, table_observations
from auditor.model import Finding, Severity, Verdict
from auditor.numbers import infer_style, scan
from auditor.structure import analyse
from auditor.tables import find_tables
from auditor.textutil import nfc_with_offsets


@dataclass
class Config:
    select: tuple[str, ...] = ("AUD",)
    ignore: tuple[str, ...] = ()
    show_within_rounding: bool = False
    options: dict = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.select) and not any(code.startswith(p) for p in self.ignore)


STAGES = ("tables", "structure", "numbers", "claims", "rules")


def build_context(text: str, *, tokenize: bool = True, timings: dict | None = None,
                  formula_checks: tuple = ()) -> Context:
    """Run every stage up to the rules; `timings`, if given, receives seconds per stage."""
    clock = time.perf_counter
    t0 = clock()
    style = infer_style(text)
    tables = find_tables(text, style=style)
    t1 = clock()
    structure = analyse(text, tables, tokenize=tokenize)
    t2 = clock()
    mentions = scan(text, style=style)
    t3 = clock()
    ctx = Context(text, tables, structure, mentions, formula_checks=tuple(formula_checks))
    starts = [m.end() for m in _NEWLINE.finditer(text)]
    narrative_q = [q for q in ctx.quantities if ctx.where(q.start) == "narrative"
                   and not _alone_on_line(text, q, starts)]
    ctx.observations = narrative_observations(list(structure.sentences), narrative_q) + table_observations(tables)
    if timings is not None:
        timings.update(zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, clock() - t3)))
    return ctx


_NEWLINE = re.compile("\n")


def _alone_on_line(text: str, q, starts: list[int]) -> bool:
    """A number alone on its line ("1261", "**03**") is a table cell the table reader did not
    recognise (web-scraped tables put one cell per line), never a sentence's claim.
    `starts`: the offsets just after each newline (found once; bisection keeps this linear)."""
    import bisect

    k = bisect.bisect_right(starts, q.start)
    a = starts[k - 1] if k else 0
    b = starts[k] - 1 if k < len(starts) else len(text)
    if b - a > len(q.raw) + 16:
        return False  # a line with words besides the number
    line = text[a:b]
    return line.strip(" \t*_|[]()0123456789") == "" or line.strip(" \t*_|") == q.raw


def profile_stages(text: str, config: Config | None = None) -> dict[str, float]:
    """Milliseconds spent in each stage of one audit (the benchmark and notebook 03 use it)."""
    timings: dict[str, float] = {}
    ctx = build_context(text, timings=timings)
    t = time.perf_counter()
    run_rules(ctx, config or Config())
    timings["rules"] = time.perf_counter() - t
    return {k: 1000 * v for k, v in timings.items()}


def audit_text(text: str, config: Config | None = None, *, tokenize: bool = True,
               formula_checks: tuple = ()) -> list[Finding]:
    """Audit one text; evidence offsets point into `text` itself, even when it is not NFC.
    `formula_checks` are an .xlsx appendix's cells whose cached value is not their formula's."""
    config = config or Config()
    nfc, back = nfc_with_offsets(text)
    if nfc is not text and formula_checks:
        fwd = {b: i for i, b in enumerate(back)}
        formula_checks = tuple(replace(c, start=fwd.get(c.start, c.start), end=fwd.get(c.end, c.end))
                               for c in formula_checks)
    ctx = build_context(nfc, tokenize=tokenize, formula_checks=formula_checks)
    findings = run_rules(ctx, config)
    if nfc is text:
        return findings
    return [_remap(f, text, back) for f in findings]


def _remap(f: Finding, text: str, back: list[int]) -> Finding:
    ev = tuple(replace(e, start=back[e.start], end=back[e.end], text=text[back[e.start]:back[e.end]])
               for e in f.evidence)
    return replace(f, evidence=ev)



def run_rules(ctx: Context, config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for code in sorted(REGISTRY):
        if not config.enabled(code):
            continue
        rule = REGISTRY[code](config.options.get(code))
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not lose the others
            findings.append(_internal_error(code, exc))
    findings = _dedupe(findings)
    findings = attribute_root_causes(ctx, findings)
    if not config.show_within_rounding:
        findings = [f for f in findings if f.verdict != Verdict.WITHIN_ROUNDING or f.severity != Severity.INFO]
    findings.sort(key=lambda f: (-f.severity.rank, f.evidence[0].start if f.evidence else 0, f.rule))
    return findings


def _internal_error(code: str, exc: Exception) -> Finding:
    from auditor.model import Evidence

    tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return Finding("AUD001", "internal.rule-failed", Severity.INFO, Verdict.INDETERMINATE,
                   f"Quy tắc {code} gặp lỗi nội bộ và đã bị bỏ qua: {tb}",
                   (Evidence("rule", "", None, 0, 0, "narrative"),), "internal")


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.rule, tuple(sorted((e.start, e.end) for e in f.evidence)))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def attribute_root_causes(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """When one number appears in several failing checks, and another statement of the same
    quantity would make a failing identity hold, name that number as the likely culprit."""
    from auditor.checks.base import fmt

    out = []
    for f in findings:
        if f.rule != "AUD201" or f.stated is None or f.expected is None:
            out.append(f)
            continue
        gap = f.stated - f.expected
        culprit = None
        for e in f.evidence:
            if e.role != "part":
                continue
            obs = next((o for o in ctx.observations if o.quantity.start == e.start), None)
            if obs is None:
                continue
            same = [o for o in ctx.observations if o.concept == obs.concept or obs.concept in o.alternatives]
            for other in same:
                if other.source != obs.source and abs(other.value - (obs.value + gap)) < 1e-9:
                    culprit = (obs, other)
                    break
            if culprit:
                break
        if culprit:
            obs, other = culprit
            where = "phụ lục" if obs.source == "table" else "thuyết minh"
            src = "thuyết minh" if other.source == "narrative" else "phụ lục"
            line = ctx.lines.locate(other.quantity.start)[0]
            note = (f" Số {fmt(obs.value)} ở {where} có lẽ sai: {src} (dòng {line}) ghi {fmt(other.value)}, "
                    f"với số đó đẳng thức đúng.")
            f = replace(f, message=f.message + ";" + note.rstrip("."), culprit=obs.quantity.raw, confidence=0.8,
                        suggestion=f"Sửa {fmt(obs.value)} thành {fmt(other.value)}.",
                        evidence=f.evidence + (ctx.observed(other, "alternative"),))
        out.append(f)
    return out


def clear_caches() -> None:
    """Forget memoised matches; the benchmark calls it so a warm round costs what a new report costs."""
    from auditor import concepts, lexicon, tables

    concepts._MATCH_CACHE.clear()
    tables._scan_cell.cache_clear()
    lexicon.fold.cache_clear()
