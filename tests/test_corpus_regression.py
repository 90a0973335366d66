"""Corpus regression: recall and false alarms on the gold must not get worse.

Floors, not exact counts: a rule change that lowers recall or adds a serious finding that
matches no gold entry fails here; an improvement does not.
"""
import pytest

from auditor.engine import audit_text
from auditor.evaluate import evaluate_dir
from tests.conftest import report_text


@pytest.fixture(scope="module")
def result(corpora):
    return evaluate_dir(corpora)


def test_every_required_gold_item_is_found(result):
    assert [r["missed"] for r in result["reports"]] == [[], [], []]
    assert result["found"] == result["required"] == 13


def test_no_serious_finding_outside_the_gold(result):
    assert result["unmatched"] == 0
    assert [r["unmatched"] for r in result["reports"]] == [[], [], []]


def test_consistent_report_has_no_error_or_warning():
    findings = audit_text(report_text("tho-xuong-2024-h1"))
    assert [f for f in findings if f.severity.value in ("error", "warning")] == []


# Required gold items found by an error or warning, not only by an info item. bac-son's
# "596 vs 515 hồ sơ trực tuyến" pairing is scored below the pairing threshold (the report
# gives online files three values, 240, 515 and 596: the scorer reads that as ambiguity) and
# is shown as an info item to check: the measured cost of the pairing gate on the real reports.
SERIOUS_FLOOR = {"bac-son-2024-h1": 6, "cat-thanh-2024-q3": 6}


@pytest.mark.parametrize("name", sorted(SERIOUS_FLOOR))
def test_required_gold_items_found_by_an_error_or_warning(name, corpora):
    """A floor, not an exact count: an improvement must not fail here. Info items ("check
    whether the two numbers measure the same thing") do not count as finding a discrepancy."""
    import yaml

    from auditor.evaluate import gold_spans, hits

    text = report_text(name)
    gold = yaml.safe_load((corpora / "gold" / f"{name}.yaml").read_text(encoding="utf-8"))
    serious = [f for f in audit_text(text) if f.severity.value in ("error", "warning")]
    required = [it for it in gold["findings"] if it.get("required")]
    found = [it["id"] for it in required if any(hits(f, sp, text) for f in serious for sp in gold_spans(text, it))]
    assert len(found) >= SERIOUS_FLOOR[name], sorted({it["id"] for it in required} - set(found))


def test_repairs_named_on_the_gold_cases():
    bac = audit_text(report_text("bac-son-2024-h1"))
    frac = next(f for f in bac if f.rule == "AUD301")
    assert "8/8" in frac.suggestion and frac.culprit == "88/8"
    cat = audit_text(report_text("cat-thanh-2024-q3"))
    ident = next(f for f in cat if f.rule == "AUD201" and "107" in f.message)
    assert ident.culprit == "88" and "91" in ident.suggestion


def test_synthetic_corpus_floor(corpora):
    """Written reports in the layouts the real corpus lacks (corpora/synthetic): pinned floors.

    These reports were used to find and fix pairing gaps, so the floors guard against
    regressions rather than measure generalisation.
    """
    res = evaluate_dir(corpora / "synthetic")
    assert res["found"] == res["required"] == 21
    assert res["unmatched"] == 0


def test_heldout_corpus_floor(corpora):
    """corpora/heldout was written blind and first scored 18/19 with 26 of 51 serious findings
    outside its gold; the fixes it prompted are pinned here as a regression floor."""
    res = evaluate_dir(corpora / "heldout")
    assert res["found"] == res["required"] == 19
    assert res["unmatched"] == 0


def test_blind_corpus_floor(corpora):
    """corpora/blind was written without seeing the code or the other corpora; it first scored
    15/21 with 5 false alarms (both consistent reports clean). Fixes it prompted are pinned."""
    res = evaluate_dir(corpora / "blind")
    assert res["found"] >= 20 and res["required"] == 21
    assert res["unmatched"] == 0


def test_blind2_corpus_floor(corpora):
    """corpora/blind2, written without seeing the code or the other corpora, first scored
    14/21 with 2 false alarms (its consistent report clean); the fixes it prompted are pinned."""
    res = evaluate_dir(corpora / "blind2")
    assert res["found"] >= 17 and res["required"] == 21
    assert res["unmatched"] == 0
