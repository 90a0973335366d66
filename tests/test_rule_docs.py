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


# --- the Vietnamese docs (auditor/rule_docs.py) -------------------------------------------------

_VI_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_rule_has_a_vietnamese_doc(code):
    from auditor.rule_docs import VI

    rule = REGISTRY[code]
    entry = VI.get(code)
    assert entry is not None, f"{code}: no entry in auditor/rule_docs.py"
    assert set(entry) == {"what", "why", "options"}
    for key in ("what", "why"):
        text = entry[key]
        assert text.strip() and set(text.lower()) & _VI_LETTERS, (code, key)
    assert set(entry["options"]) == set(rule.options), f"{code}: options documented ≠ options taken"
    assert all(v.strip() and set(v.lower()) & _VI_LETTERS for v in entry["options"].values())


def test_no_stale_vietnamese_doc():
    from auditor.rule_docs import VI

    assert set(VI) <= set(REGISTRY)


def _cli(*argv):
    import io

    from auditor.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue()


def test_rule_command_prints_vietnamese_by_default_and_english_on_request(monkeypatch):
    from auditor.rule_docs import VI

    monkeypatch.delenv("AUDITOR_LANG", raising=False)
    code, out = _cli("rule", "aud203")
    assert code == 0
    for title in ("## Nội dung kiểm tra", "## Lý do", "## Ví dụ có lỗi", "## Ví dụ không có lỗi", "## Tùy chọn"):
        assert title in out
    assert VI["AUD203"]["what"] in out and VI["AUD203"]["options"]["extra_tolerance"] in out
    assert "(lỗi, ổn định)" in out and "What it checks" not in out
    for argv in (("rule", "AUD203", "--lang", "en"), ("--lang", "en", "rule", "AUD203")):
        code, out = _cli(*argv)
        assert code == 0 and out == REGISTRY["AUD203"].doc() + "\n"
    monkeypatch.setenv("AUDITOR_LANG", "en")
    assert _cli("rule", "AUD203")[1] == REGISTRY["AUD203"].doc() + "\n"


def test_rules_command_lists_in_vietnamese_by_default(monkeypatch):
    monkeypatch.delenv("AUDITOR_LANG", raising=False)
    code, out = _cli("rules")
    lines = out.splitlines()
    assert code == 0 and len(lines) == len(REGISTRY)
    assert all(line.split()[0] in REGISTRY for line in lines)
    assert "Thành phần không thể lớn hơn tổng" in out and "thử nghiệm" in out and "preview" not in out
    code, out = _cli("rules", "--lang", "en")
    assert "A part can never exceed its whole" in out and "preview" in out
