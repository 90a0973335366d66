"""Every rule documents itself in fixed sections, and its examples run."""
import pytest

from auditor.checks import REGISTRY
from auditor.engine import Config, audit_text


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_examples(code):
    rule = REGISTRY[code]
    cfg = Config(select=(code,))
    # A rule fed by ingest (AUD410: an .xlsx's formulas) says what ingest would pass it.
    kwargs = getattr(rule, "example_kwargs", lambda text: {})
    fails = audit_text(rule.example_fail, cfg, **kwargs(rule.example_fail))
    assert fails and all(f.rule == code for f in fails), rule.example_fail
    assert audit_text(rule.example_pass, cfg, **kwargs(rule.example_pass)) == [], rule.example_pass


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_doc_sections(code):
    doc = REGISTRY[code].doc()
    for section in ("## What it checks", "## Why it matters", "## Failing example", "## Passing example"):
        assert section in doc
    assert REGISTRY[code].what and REGISTRY[code].why
