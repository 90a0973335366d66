"""sqlfluff-style rule cases: tests/rule_cases/AUDxxx.yml, one file per rule.

Each file names its rule and lists cases::

    rule: AUD203
    cases:
      - name: rate-within-rounding
        text: |
          ...report fragment (real tab characters inside tables)...
        expect: []                      # no finding of this rule
      - name: plan-completion-100-vs-half
        text: |
          ...
        expect:
          - {severity: error, message_contains: "50"}
        xfail: "why the auditor gets it wrong"   # optional, strict

The case runs ``audit_text(text, Config(select=(rule,)))``. ``expect`` lists the findings
of that rule, one entry per finding (so two identical entries mean "exactly two").
An entry matches a finding when every key it gives agrees: ``severity``,
``message_contains`` / ``suggestion_contains`` (a substring or a list of substrings),
``name`` (the finding's sub-name, e.g. ``rate.all-or-nothing``), ``stated``, ``expected``.
A case with ``xfail`` is expected to fail (strict: it errors once the auditor is fixed).

A rule fed by an .xlsx appendix (AUD410) gives ``sheet:`` (rows; "=…" strings are formulas)
and ``cached:`` (cell → the value Excel saved) instead of ``text:``; the case is built into a
real workbook and read by the .xlsx reader before it is audited.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.checks import REGISTRY
from auditor.engine import Config, audit_text

CASES_DIR = Path(__file__).parent / "rule_cases"
_KEYS = {"severity", "message_contains", "suggestion_contains", "name", "stated", "expected"}
_CASE_KEYS = {"name", "text", "sheet", "cached", "expect", "xfail", "note"}


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "rule" in data and "cases" in data, path
    return data


def _files() -> list[Path]:
    return sorted(CASES_DIR.glob("AUD*.yml"))


def _params():
    out = []
    for path in _files():
        data = _load(path)
        rule = data["rule"]
        for case in data["cases"]:
            marks = []
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(reason=str(case["xfail"]), strict=True))
            out.append(pytest.param(rule, case, id=f"{rule}-{case['name']}", marks=marks))
    return out


# --- the files themselves ---------------------------------------------------------------------

def test_every_rule_has_a_case_file():
    have = {p.stem for p in _files()}
    assert set(REGISTRY) - {"AUD001"} <= have, sorted(set(REGISTRY) - have)


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_case_file_shape(path):
    data = _load(path)
    assert data["rule"] == path.stem, "file name and `rule:` disagree"
    assert data["rule"] in REGISTRY, f"unknown rule {data['rule']}"
    cases = data["cases"]
    assert 6 <= len(cases) <= 15, f"{len(cases)} cases; want 6–15"
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in cases:
        assert set(c) <= _CASE_KEYS, f"{c['name']}: unknown keys {set(c) - _CASE_KEYS}"
        if "sheet" in c:
            assert isinstance(c["sheet"], list) and c["sheet"], c["name"]
        else:
            assert isinstance(c["text"], str) and c["text"].strip(), c["name"]
        assert isinstance(c["expect"], list), f"{c['name']}: expect must be a list"
        for e in c["expect"]:
            assert isinstance(e, dict) and set(e) <= _KEYS, f"{c['name']}: bad expectation {e}"
            assert e.get("severity") in (None, "error", "warning", "info"), e
    # A rule's cases should exercise both sides.
    assert any(c["expect"] for c in cases) and any(not c["expect"] for c in cases)


# --- the cases ----------------------------------------------------------------------------------

def _as_list(v):
    return [] if v is None else [v] if isinstance(v, str) else list(v)


def _matches(exp: dict, f) -> bool:
    if "severity" in exp and f.severity.value != exp["severity"]:
        return False
    if "name" in exp and f.name != exp["name"]:
        return False
    if any(s not in f.message for s in _as_list(exp.get("message_contains"))):
        return False
    if any(s not in (f.suggestion or "") for s in _as_list(exp.get("suggestion_contains"))):
        return False
    for key in ("stated", "expected"):
        if key in exp and (getattr(f, key) is None or abs(getattr(f, key) - float(exp[key])) > 1e-6):
            return False
    return True


def _assign(expects: list[dict], findings: list) -> bool:
    """Is there a one-to-one matching of expectations onto findings?"""
    if not expects:
        return True
    first, rest = expects[0], expects[1:]
    for i, f in enumerate(findings):
        if _matches(first, f) and _assign(rest, findings[:i] + findings[i + 1:]):
            return True
    return False


def _show(findings) -> str:
    return "\n".join(f"  {f.severity.value} {f.rule} {f.name}: {f.message} → {f.suggestion}" for f in findings) or "  (none)"


@pytest.mark.parametrize("rule,case", _params())
def test_rule_case(rule, case, tmp_path):
    if "sheet" in case:
        from auditor.ingest import read_document
        from tests.xlsx_support import workbook

        path = tmp_path / "phu-luc.xlsx"
        path.write_bytes(workbook(case["sheet"], cached=case.get("cached")))
        doc = read_document(path)
        findings = audit_text(doc.text, Config(select=(rule,)), formula_checks=doc.formula_checks)
    else:
        findings = audit_text(case["text"], Config(select=(rule,)))
    crashed = [f for f in findings if f.rule == "AUD001"]
    assert not crashed, _show(crashed)
    mine = [f for f in findings if f.rule == rule]
    expects = case["expect"]
    assert len(mine) == len(expects), (
        f"{case['name']}: expected {len(expects)} {rule} finding(s), got {len(mine)}:\n{_show(mine)}")
    assert _assign(expects, mine), f"{case['name']}: findings do not match {expects}:\n{_show(mine)}"
