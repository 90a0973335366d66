"""Rules read table rows by column role, never by column number.

Every rule case whose text holds a tab-separated table is run again with the table laid
out differently, as unseen reports lay it out:

- ``plan``: an extra "Kế hoạch" column before the value column, holding other numbers;
- ``no-stt``: no STT column, the row number written at the start of the label;
- ``reordered``: the note column moved before the value, and the unit after it.

Each variant must give the same findings as the case expects. Header rows are rebuilt from
each column's header path, so a spanning header stays over its children after the move.
"""
from __future__ import annotations

import re

import pytest

from auditor.engine import Config, audit_text
from tests.test_rule_cases import _assign, _files, _load, _show

_VALUE = re.compile(r"(?i)^(số liệu|kết quả|giá trị)")
_NUMBER = re.compile(r"\d")
_CODE = re.compile(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,4}\.?|[a-zđ]\)|-|\+)$")


_HEADERISH = re.compile(r"(?i)^(stt|tt|chỉ tiêu|lĩnh vực|nội dung)\t")


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last+1) line indexes of each run of tab-separated lines."""
    out, i = [], 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and ("\t" in lines[j] or (
                    not lines[j].strip() and j + 1 < len(lines) and "\t" in lines[j + 1]
                    and not _HEADERISH.match(lines[j + 1]))):
                j += 1
            if j - i >= 2:
                out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _header_count(rows: list[list[str]]) -> int:
    for k, r in enumerate(rows):
        if _CODE.match(r[0].strip()) or any(_NUMBER.search(c) for c in r[2:]):
            return k
    return len(rows)


def _paths(header: list[list[str]], width: int) -> list[list[str]]:
    """Each column's header path, spanning cells carried right while deeper rows are filled."""
    paths = [[] for _ in range(width)]
    for r, row in enumerate(header):
        carry = ""
        for c in range(width):
            cell = row[c].strip()
            deeper = any(header[k][c].strip() for k in range(r + 1, len(header)))
            if cell:
                carry = cell if r < len(header) - 1 else ""
            elif carry and deeper and c > 0:
                cell = carry
            paths[c].append(cell)
            if not deeper and not row[c].strip():
                carry = ""
    return paths


def _emit(paths: list[list[str]], depth: int) -> list[list[str]]:
    rows = []
    for r in range(depth):
        row = []
        for c, p in enumerate(paths):
            same = c > 0 and paths[c - 1][: r + 1] == p[: r + 1] and p[r]
            row.append("" if same else p[r])
        rows.append(row)
    return rows


def _roles(paths: list[list[str]]) -> dict[str, int]:
    out = {}
    for c, p in enumerate(paths):
        leaf = next((x for x in reversed(p) if x), "")
        low = leaf.lower()
        if low in ("stt", "tt"):
            out.setdefault("code", c)
        elif "đơn vị tính" in low or low == "đvt":
            out.setdefault("unit", c)
        elif "ghi chú" in low:
            out.setdefault("note", c)
        elif _VALUE.match(leaf):
            out.setdefault("value", c)
    return out


def _variant(text: str, how: str) -> str | None:
    lines = text.split("\n")
    changed = False
    for a, b in reversed(_blocks(lines)):
        rows = [ln.split("\t") for ln in lines[a:b] if ln.strip()]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        h = _header_count(rows)
        if h == 0 or h == len(rows):
            continue
        paths = _paths(rows[:h], width)
        roles = _roles(paths)
        body = rows[h:]
        if how == "plan":
            if "value" not in roles:
                continue
            v = roles["value"]
            paths.insert(v, paths[v][:-1] + ["Kế hoạch"])
            body = [r[:v] + (["7"] if _NUMBER.search(r[v]) else [""]) + r[v:] for r in body]
        elif how == "no-stt":
            if roles.get("code") != 0 or width < 3:
                continue
            paths = paths[1:]
            body = [r[1:] if not r[0].strip() else [f"{r[0].strip()} {r[1].strip()}"] + r[2:] for r in body]
        elif how == "reordered":
            if not {"value", "unit", "note"} <= set(roles):
                continue
            order = [c for c in range(width) if c not in (roles["value"], roles["unit"], roles["note"])]
            order += [roles["note"], roles["value"], roles["unit"]]
            paths = [paths[c] for c in order]
            body = [[r[c] for c in order] for r in body]
        header = _emit(paths, h)
        lines[a:b] = ["\t".join(r) for r in header + body]
        changed = True
    return "\n".join(lines) if changed else None


def _table_cases():
    out = []
    for path in _files():
        data = _load(path)
        for case in data["cases"]:
            if "\t" not in case.get("text", "") or case.get("xfail") or case.get("layout_sensitive"):
                continue
            for how in ("plan", "no-stt", "reordered"):
                out.append(pytest.param(data["rule"], case, how, id=f"{data['rule']}-{case['name']}-{how}"))
    return out


@pytest.mark.parametrize("rule,case,how", _table_cases())
def test_rule_case_survives_layout(rule, case, how):
    text = _variant(case["text"], how)
    if text is None:
        pytest.skip(f"no table in this case has the columns the {how} variant moves")
    findings = [f for f in audit_text(text, Config(select=(rule,))) if f.rule == rule]
    expects = case["expect"]
    assert len(findings) == len(expects) and _assign(expects, findings), (
        f"{how}: expected {expects}, got:\n{_show(findings)}\n--- text ---\n{text}")


def test_variant_keeps_spanning_header_over_its_children():
    text = ("STT\tChỉ tiêu thống kê\tKết quả thống kê\t\tGhi chú\n"
            "\t\tĐơn vị tính\tSố liệu\t\n"
            "1.\tSố văn bản\tVăn bản\t12\t\n")
    plan = _variant(text, "plan").split("\n")
    assert plan[0].split("\t") == ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "", "", "Ghi chú"]
    assert plan[1].split("\t") == ["", "", "Đơn vị tính", "Kế hoạch", "Số liệu", ""]
    assert plan[2].split("\t") == ["1.", "Số văn bản", "Văn bản", "7", "12", ""]
    assert _variant(text, "no-stt").split("\n")[2].split("\t") == ["1. Số văn bản", "Văn bản", "12", ""]
