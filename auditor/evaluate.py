"""Score the auditor against gold lists of discrepancies (corpora/gold/*.yaml).

Matching follows ../shared/tools/score_gold.py: a finding matches a gold entry when one
of its evidence items overlaps one of the entry's spans, or sits on the same line with
the same value. Recall is over `required` entries; precision counts serious findings
(error, warning) that match no gold entry as false alarms.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import yaml

from auditor.engine import audit_text
from auditor.model import Finding
from auditor.textutil import LineIndex


def gold_values(num: str | None) -> set[float]:
    """The readings a gold `num` may have: both separator conventions."""
    if not num:
        return set()
    m = re.search(r"\d[\d.,]*", num)
    if not m:
        return set()
    x, out = m.group(0), set()
    for a, b in ((".", ","), (",", ".")):
        try:
            out.add(float(x.replace(a, "").replace(b, ".")))
        except ValueError:
            pass
    return out


def gold_spans(text: str, item: dict) -> list[tuple[int, int, int, set]]:
    res = []
    for sp in item["spans"]:
        i = text.index(sp["context"])
        num = sp.get("num")
        s = i + sp["context"].index(num) if num else i
        e = s + len(num) if num else i + len(sp["context"])
        res.append((s, e, text.count("\n", 0, s) + 1, gold_values(num)))
    return res


@lru_cache(maxsize=64)
def _lines(text: str) -> LineIndex:
    return LineIndex(text)


def hits(f: Finding, span, text: str) -> bool:
    s, e, line, vals = span
    for ev in f.evidence:
        if ev.start < e and s < ev.end:
            return True
        if ev.value is not None and _lines(text).locate(ev.start)[0] == line and any(
                abs(ev.value - v) < 1e-6 for v in vals):
            return True
    return False


def evaluate_dir(root: str | Path) -> dict:
    root = Path(root)
    gold_dir = root / "gold" if (root / "gold").is_dir() else root
    reports_dir = root / "reports" if (root / "reports").is_dir() else root
    per_kind = defaultdict(lambda: {"required": 0, "found": 0})
    reports = []
    total_serious = unmatched_total = 0
    for gold_path in sorted(gold_dir.glob("*.yaml")):
        g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if not isinstance(g, dict) or "report" not in g:
            continue
        text = (reports_dir / g["report"]).read_text(encoding="utf-8")
        findings = audit_text(text)
        spans = {it["id"]: gold_spans(text, it) for it in g.get("findings", [])}
        missed, found = [], []
        for it in g.get("findings", []):
            if not it.get("required"):
                continue
            per_kind[it["check"]]["required"] += 1
            if any(hits(f, sp, text) for f in findings for sp in spans[it["id"]]):
                per_kind[it["check"]]["found"] += 1
                found.append(it["id"])
            else:
                missed.append(it["id"])
        serious = [f for f in findings if f.severity.value in ("error", "warning")]
        unmatched = [f for f in serious if not any(hits(f, sp, text) for v in spans.values() for sp in v)]
        total_serious += len(serious)
        unmatched_total += len(unmatched)
        reports.append({"report": g["report"], "required": len(found) + len(missed), "found": len(found),
                        "missed": missed, "serious": len(serious),
                        "unmatched": [f"{f.rule} {f.severity.value}: {f.message}" for f in unmatched],
                        "findings": len(findings)})
    req = sum(k["required"] for k in per_kind.values())
    fnd = sum(k["found"] for k in per_kind.values())
    return {
        "reports": reports,
        "per_kind": {k: {**v, "recall": v["found"] / v["required"] if v["required"] else None}
                     for k, v in sorted(per_kind.items())},
        "recall": fnd / req if req else None,
        "precision": (total_serious - unmatched_total) / total_serious if total_serious else 1.0,
        "required": req, "found": fnd, "serious": total_serious, "unmatched": unmatched_total,
    }
