"""The JSON contract (DESIGN §6): `auditor/findings@1`."""
from __future__ import annotations

import json

from auditor.model import Finding
from auditor.render.base import Formatter
from auditor.textutil import LineIndex

SCHEMA = "auditor/findings@1"
# Where a person finds the number in the original (DESIGN §6). `column_header` is the table
# column's header path; the contract's `column` is the character column and keeps that meaning.
_LOCATION_KEYS = ("section", "table_title", "stt", "row_label", "column_header", "page")


def finding_dict(f: Finding, lines: LineIndex, appendix: tuple[int, str, LineIndex] | None = None) -> dict:
    """`appendix`: (offset, file, its lines) when the report came with a separate appendix
    file; evidence past the offset then points into that file's own text (DESIGN §6)."""
    ev = []
    for e in f.evidence:
        start, end, where_lines, file = e.start, e.end, lines, None
        if appendix is not None and e.start >= appendix[0]:
            start, end, file, where_lines = e.start - appendix[0], e.end - appendix[0], appendix[1], appendix[2]
        line, col = where_lines.locate(start)
        d = {"role": e.role, "text": e.text, "value": e.value, "start": start, "end": end,
             "line": line, "column": col, "where": e.where}
        if file is not None:
            d["file"] = file
        if e.table is not None:
            d.update({"table": e.table, "row": e.row, "col": e.col})
        if e.label:
            d["label"] = e.label
        for key in _LOCATION_KEYS:
            v = getattr(e, key)
            if v is not None:
                d[key] = v
        ev.append(d)
    out = {"rule": f.rule, "name": f.name, "severity": f.severity.value, "verdict": f.verdict.value,
           "message": f.message, "stated": f.stated, "expected": f.expected, "suggestion": f.suggestion,
           "evidence": ev, "kind": f.kind}
    if f.culprit:
        out["culprit"] = f.culprit
    if f.confidence is not None:
        out["confidence"] = f.confidence
    return out


def report_dict(path: str, fmt: str, text: str, findings: list[Finding],
                appendix: tuple[int, str] | None = None) -> dict:
    lines = LineIndex(text)
    app = (appendix[0], appendix[1], LineIndex(text[appendix[0]:])) if appendix else None
    summary = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        summary[f.severity.value] += 1
    return {"schema": SCHEMA, "source": {"path": path, "format": fmt},
            "findings": [finding_dict(f, lines, app) for f in findings], "summary": summary}


def error_dict(path: str, fmt: str | None, reason: str) -> dict:
    return {"schema": SCHEMA, "source": {"path": path, "format": fmt}, "error": reason}


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


class JsonFormatter(Formatter):
    """One object for one file; one array with one object per file for several (DESIGN §6)."""

    name = "json"

    def render(self, reports) -> str:
        objs = [r.to_json() for r in reports]
        return dumps(objs if self.batch else objs[0]) + "\n"
