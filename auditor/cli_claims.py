"""`auditor claims FILE`: how each narrative number was read (its frame), via spaCy Docs."""
from __future__ import annotations

import json
from dataclasses import asdict

SCOPE_VI = {"period": "kỳ này", "change": "mức tăng/giảm", "comparison": "kỳ so sánh", "cumulative": "lũy kế",
            "target": "chỉ tiêu/kế hoạch", "assisted": "hỗ trợ", "next_period": "kỳ tới",
            "other_period": "kỳ khác"}
ROLE_VI = {"level": "số liệu", "part": "thành phần", "numerator": "tử số", "denominator": "mẫu số"}


def cmd_claims(doc, fmt: str, stdout, console_for) -> int:
    from auditor.engine import build_context
    from auditor.i18n import get_lang
    from auditor.spacy_doc import frames
    from auditor.textutil import nfc_with_offsets

    text, _ = nfc_with_offsets(doc.text)
    found = frames(build_context(text))
    if fmt == "json":
        stdout.write(json.dumps([asdict(f) for f in found], ensure_ascii=False, indent=1) + "\n")
        return 0
    from rich.table import Table

    vi = get_lang() != "en"
    t = Table(title=(f"Khung nghĩa các con số trong thuyết minh: {doc.path}" if vi
                     else f"Frames of the narrative numbers: {doc.path}"), show_lines=False)
    for col in (("Dòng", "Số", "Chỉ tiêu", "Đếm", "Phạm vi", "Vai trò", "Đối tượng", "Từ ngữ") if vi else
                ("Line", "Number", "Concept", "Counts", "Scope", "Role", "Population", "Words")):
        t.add_column(col, max_width=48 if col in ("Từ ngữ", "Words") else None)
    for f in found:
        words = f.words if len(f.words) <= 90 else "…" + f.words[-89:]
        t.add_row(str(f.line), f.raw, f.concept_name, f.noun or "", SCOPE_VI.get(f.scope, f.scope) if vi else f.scope,
                  ROLE_VI.get(f.role, f.role) if vi else f.role, f.population or "",
                  ("↳ " if f.inherited else "") + words)
    console_for(stdout).print(t)
    return 0
