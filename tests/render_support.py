"""Helpers for the render tests: findings frozen as contract JSON, so the snapshots test the
renderers and do not move when a rule's wording or a threshold changes.

Refresh the frozen findings and the snapshots after an intended change with
    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_render_snapshots.py
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

from auditor.model import Evidence, Finding, Severity, Verdict

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "corpora" / "reports"
SNAPSHOTS = ROOT / "tests" / "snapshots" / "render"
NAMES = ("bac-son-2024-h1", "cat-thanh-2024-q3", "tho-xuong-2024-h1")
UPDATE = bool(os.environ.get("UPDATE_SNAPSHOTS"))

_EV_FIELDS = ("role", "text", "value", "start", "end", "where", "table", "row", "col", "label")


def finding_from_json(d: dict) -> Finding:
    ev = tuple(Evidence(**{k: e.get(k) for k in _EV_FIELDS}) for e in d["evidence"])
    return Finding(d["rule"], d["name"], Severity(d["severity"]), Verdict(d["verdict"]), d["message"], ev, d["kind"],
                   stated=d.get("stated"), expected=d.get("expected"), suggestion=d.get("suggestion"),
                   culprit=d.get("culprit"), confidence=d.get("confidence"))


def frozen_findings(name: str) -> list[Finding]:
    """The findings of one bundled report as frozen in tests/snapshots/render/NAME.findings.json."""
    path = SNAPSHOTS / f"{name}.findings.json"
    if UPDATE or not path.exists():
        from auditor.engine import audit_text
        from auditor.render import json as rjson

        text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
        findings = audit_text(text)
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        data = rjson.report_dict(f"corpora/reports/{name}.txt", "txt", text, findings)
        path.write_text(json.dumps(data["findings"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [finding_from_json(d) for d in json.loads(path.read_text(encoding="utf-8"))]


def view(name: str):
    from auditor.render import build_view

    text = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    return build_view(f"corpora/reports/{name}.txt", "txt", text, frozen_findings(name))


def render(fmt: str, views, *, batch: bool = False, width: int = 100, **options) -> str | bytes:
    """Render through the registry; the rich format writes to an injected console."""
    from rich.console import Console

    from auditor.render import BINARY, Format, RenderOptions, get_formatter

    binary = Format(fmt) in BINARY
    stream = io.BytesIO() if binary else io.StringIO()
    console = Console(file=stream, width=width, force_terminal=False, no_color=True, highlight=False,
                      emoji=False) if fmt == "rich" else None
    formatter = get_formatter(fmt, RenderOptions(console=console, **options))
    formatter.begin(stream, batch)
    for v in views:
        formatter.add(v)
    formatter.end()
    return stream.getvalue()


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its snapshot; UPDATE_SNAPSHOTS=1 to accept the new output"
