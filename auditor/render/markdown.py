"""A Markdown checklist a reviewer can paste into a ticket or print."""
from __future__ import annotations

from auditor.model import Finding
from auditor.textutil import LineIndex

LABEL = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "LƯU Ý"}


def render_markdown(path: str, text: str, findings: list[Finding]) -> str:
    lines = LineIndex(text)
    out = [f"## {path}", ""]
    if not findings:
        out.append("Không phát hiện mâu thuẫn số liệu.")
    for f in findings:
        line = lines.locate(f.evidence[0].start)[0] if f.evidence else 0
        where = "" if f.message.startswith("Dòng ") else f" (dòng {line})"
        out.append(f"- [ ] **{LABEL[f.severity.value]}** `{f.rule}`{where}: {f.message}")
        if f.suggestion:
            out.append(f"  - Đề xuất: {f.suggestion}")
    out.append("")
    return "\n".join(out)
