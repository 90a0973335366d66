"""A report sent as several files: a narrative (.docx, .pdf, …) and its appendix (.xlsx).

The two are audited as one text, the report's text followed by the appendix's, so every
rule sees the narrative and the tables together. `Bundle.offset` is where the appendix's
text starts; the JSON view maps evidence past it back to the appendix file (DESIGN §6:
evidence in the appendix carries `"file"` and offsets into that file's `auditor text`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.model import Document

APPENDIX_SUFFIXES = (".xlsx",)
GAP = "\n"  # a blank line between the report's last line and the appendix's first


@dataclass(frozen=True)
class Bundle:
    document: Document  # the joined document that is audited
    appendix: Document | None = None
    offset: int | None = None  # where the appendix's text starts in document.text


def join(report: Document, appendix: Document | None) -> Bundle:
    if appendix is None:
        return Bundle(report)
    head = report.text if report.text.endswith("\n") else report.text + "\n"
    offset = len(head) + len(GAP)
    text = head + GAP + appendix.text
    checks = tuple(replace(c, start=c.start + offset, end=c.end + offset) for c in appendix.formula_checks)
    warnings = report.warnings + tuple(f"phụ lục {appendix.path}: {w}" for w in appendix.warnings)
    doc = replace(report, text=text, warnings=warnings, formula_checks=report.formula_checks + checks)
    return Bundle(doc, appendix, offset)


def _stem(p: str) -> str:
    return Path(p).stem.casefold()


def belongs_to(appendix: str, report: str) -> bool:
    """An appendix file beside a report whose name starts with the report's name:
    bao-cao.docx ↔ bao-cao-phu-luc.xlsx, bao-cao_bieu-mau.xlsx, "bao-cao (phụ lục).xlsx"."""
    if Path(appendix).suffix.lower() not in APPENDIX_SUFFIXES or Path(report).suffix.lower() in APPENDIX_SUFFIXES:
        return False
    if os.path.dirname(os.path.abspath(appendix)) != os.path.dirname(os.path.abspath(report)):
        return False
    a, r = _stem(appendix), _stem(report)
    return len(a) > len(r) and a.startswith(r) and a[len(r)] in "-_ .("


def appendix_beside(report: str) -> str | None:
    """The one appendix file beside `report` (None when there is none or more than one)."""
    if Path(report).suffix.lower() in APPENDIX_SUFFIXES:
        return None
    folder = os.path.dirname(os.path.abspath(report))
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    found = [os.path.join(os.path.dirname(report), n) for n in sorted(names)
             if belongs_to(os.path.join(folder, n), os.path.abspath(report))]
    return found[0] if len(found) == 1 else None
