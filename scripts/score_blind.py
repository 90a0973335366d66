#!/usr/bin/env python3
"""Score an auditor command on a blind corpus whose reports come in every format.

    python scripts/score_blind.py corpora/blind3 [--cmd ".venv/bin/auditor"] [--json]

A corpus folder holds reports (.txt .md .docx .pdf .html, optionally an .xlsx appendix named
by the gold's `appendix:`) and one gold file NAME.yaml per report, in the folder itself or in
gold/ and reports/ subfolders. Gold spans are either `{context, num}` (an exact substring of
the text that `auditor text` prints, one line) or `{row, num[, table, col]}` (a table cell: a
fragment of its row label and the number as written).

A finding matches a gold entry when one of its evidence items overlaps a context span, sits
on the same line with the same value, or is a table cell whose label holds the row fragment
and whose value is the span's number. Recall counts `required` entries; serious findings
(error, warning) that match no entry are false alarms. A report that cannot be read scores
its required entries as missed.

The command is run as a subprocess, so any version of the auditor can be scored: that is how
a blind corpus gets its first score before the code is changed.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

import yaml


def _values(num) -> set[float]:
    m = re.search(r"\d[\d.,]*", str(num or ""))
    if not m:
        return set()
    x, out = m.group(0).rstrip(".,"), set()
    for a, b in ((".", ","), (",", ".")):
        try:
            out.add(round(float(x.replace(a, "").replace(b, ".")), 6))
        except ValueError:
            pass
    return out


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).lower().split())


def _run(cmd: list[str], *args: str) -> tuple[int, str]:
    p = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout


def _locate(text: str, span: dict):
    """(start, end, line, values) of a context span, or None when the text does not hold it."""
    ctx = span["context"]
    i = text.find(ctx)
    if i < 0:  # extracted text may fold spaces differently
        return None
    num = span.get("num")
    s = i + ctx.index(num) if num and num in ctx else i
    e = s + len(num) if num and num in ctx else i + len(ctx)
    return s, e, text.count("\n", 0, s) + 1, _values(num)


def _hits(ev: dict, span: dict, located) -> bool:
    vals = _values(span.get("num"))
    v = ev.get("value")
    same_value = isinstance(v, (int, float)) and any(abs(v - c) < 1e-6 for c in vals)
    if span.get("num") and (not vals or not isinstance(v, (int, float))):
        # a placeholder cell ("XX", "…", "= b/a*100"): the text itself
        same_value = same_value or _norm(str(ev.get("text") or "")) == _norm(str(span["num"]))
    if "context" in span:
        if located is None:
            return False
        s, e, line, _ = located
        st, en = ev.get("start"), ev.get("end")
        if isinstance(st, int) and isinstance(en, int) and st < e and s < en:
            return True
        return ev.get("line") == line and same_value
    label = _norm(" ".join(str(ev.get(k) or "") for k in ("label", "stt", "row_label")))
    return same_value and _norm(span["row"]) in label if label else False


def score_report(cmd: list[str], folder: Path, gold_path: Path) -> dict:
    g = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    report = _find(folder, g["report"])
    args = [str(report), "--format", "json", "--fail-on", "none"]
    if g.get("appendix"):
        args += ["--appendix", str(_find(folder, g["appendix"]))]
    rc, out = _run(cmd, "audit", *args)
    entries = g.get("findings") or []
    required = [e for e in entries if e.get("required")]
    try:
        data = json.loads(out)
        if isinstance(data, list):
            data = data[0]
    except (json.JSONDecodeError, IndexError):
        data = None
    if data is None or "error" in data:
        reason = (data or {}).get("error") or f"exit {rc}, no JSON"
        return {"report": g["report"], "readable": False, "reason": reason, "required": len(required),
                "found": 0, "found_serious": 0, "missed": [e["id"] for e in required], "serious": 0, "unmatched": [],
                "consistent": not required}
    text = report.read_text(encoding="utf-8", errors="replace") if report.suffix in (".txt", ".md") \
        else _run(cmd, "text", str(report))[1]
    located = {id(sp): _locate(text, sp) for e in entries for sp in e["spans"] if "context" in sp}
    findings = data.get("findings", [])
    matched_entries, matched_findings, serious_entries = set(), set(), set()
    for k, f in enumerate(findings):
        for e in entries:
            if any(_hits(ev, sp, located.get(id(sp))) for ev in f.get("evidence", []) for sp in e["spans"]):
                matched_entries.add(e["id"])
                matched_findings.add(k)
                if f.get("severity") in ("error", "warning"):
                    serious_entries.add(e["id"])
    serious = [k for k, f in enumerate(findings) if f.get("severity") in ("error", "warning")]
    unmatched = [f"{findings[k]['rule']} {findings[k]['severity']}: {findings[k]['message'][:140]}"
                 for k in serious if k not in matched_findings]
    return {"report": g["report"], "readable": True, "required": len(required),
            "found": sum(1 for e in required if e["id"] in matched_entries),
            # found by an error or warning, not only by an info item ("check whether …")
            "found_serious": sum(1 for e in required if e["id"] in serious_entries),
            "missed": [e["id"] for e in required if e["id"] not in matched_entries],
            "serious": len(serious), "unmatched": unmatched, "consistent": not required,
            "all": len(findings)}


def _find(folder: Path, name: str) -> Path:
    for p in (folder / name, folder / "reports" / name):
        if p.exists():
            return p
    raise FileNotFoundError(name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--cmd", default=".venv/bin/auditor")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    folder = Path(a.folder)
    golds = sorted((folder / "gold").glob("*.yaml") if (folder / "gold").is_dir() else folder.glob("*.yaml"))
    cmd = shlex.split(a.cmd)
    results = [score_report(cmd, folder, g) for g in golds]
    req = sum(r["required"] for r in results)
    found = sum(r["found"] for r in results)
    found_serious = sum(r["found_serious"] for r in results)
    serious = sum(r["serious"] for r in results)
    unmatched = sum(len(r["unmatched"]) for r in results)
    consistent = [r for r in results if r["consistent"]]
    summary = {"reports": len(results), "required": req, "found": found,
               "recall": found / req if req else 1.0, "found_by_errors_warnings": found_serious, "serious": serious, "false_alarms": unmatched,
               "precision": (serious - unmatched) / serious if serious else 1.0,
               "consistent_reports": len(consistent),
               "false_alarms_on_consistent": sum(len(r["unmatched"]) for r in consistent),
               "unreadable": [r["report"] for r in results if not r["readable"]]}
    if a.json:
        print(json.dumps({"summary": summary, "reports": results}, ensure_ascii=False, indent=2))
        return 0
    for r in results:
        state = "" if r["readable"] else f"  UNREADABLE: {r['reason'][:100]}"
        print(f"{r['report']}: required {r['found']}/{r['required']}, serious {r['serious']}, "
              f"unmatched {len(r['unmatched'])}{state}")
        for m in r["missed"]:
            print(f"   missed: {m}")
        for u in r["unmatched"]:
            print(f"   false alarm: {u}")
    print(f"Recall {100 * summary['recall']:.1f}% ({found}/{req}; {found_serious} by an error or warning); precision {100 * summary['precision']:.1f}% "
          f"({serious - unmatched}/{serious}); {summary['false_alarms_on_consistent']} errors/warnings on "
          f"{len(consistent)} consistent reports; unreadable: {len(summary['unreadable'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
