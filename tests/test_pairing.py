"""The learned pairing scorer: shipped artifact reproducible, features blind to values,
low-confidence conflicts demoted to info, --min-confidence filters."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from auditor import pairing
from auditor.checks.consistency import _gate
from auditor.engine import build_context
from auditor.model import Evidence, Finding, Severity, Verdict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

TEXT = ("Trong kỳ, Bộ phận Một cửa đã tiếp nhận 598 hồ sơ, trong đó 515 hồ sơ trực tuyến.\n\n"
        "Trung tâm đã tiếp nhận 34 hồ sơ qua dịch vụ bưu chính công ích.\n\n"
        "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n"
        "1\tSố hồ sơ TTHC đã tiếp nhận\tHồ sơ\t598\n"
        "1.1\tSố hồ sơ TTHC đã tiếp nhận trực tuyến\tHồ sơ\t596\n")


def test_the_shipped_model_is_reproduced_by_retraining():
    import train_pairing

    shipped = json.loads(pairing.MODEL_PATH.read_text(encoding="utf-8"))
    rows = train_pairing._rows()
    assert len(train_pairing._trainable(rows)) == shipped["trained_on"]
    w, b, mean, scale = train_pairing.train(rows)
    assert w == pytest.approx(shipped["weights"], abs=1e-6)
    assert b == pytest.approx(shipped["bias"], abs=1e-6)
    assert mean == pytest.approx(shipped["mean"], abs=1e-9)
    assert scale == pytest.approx(shipped["scale"], abs=1e-9)
    scored = train_pairing.cross_validate(rows)
    t, _ = train_pairing.threshold_for([(p, lab) for p, lab, _ in scored])
    assert round(t, 4) == shipped["threshold"]


def test_the_model_loads_with_the_features_the_code_computes():
    m = pairing.model()
    assert m is not None and len(m.weights) == len(pairing.FEATURES)
    assert 0 < m.threshold < 1


def _pair():
    ctx = build_context(TEXT)
    narrative = [o for o in ctx.observations if o.source == "narrative" and o.value == 515]
    cells = [o for o in ctx.observations if o.source == "table" and o.value == 596]
    assert narrative and cells, ctx.observations
    return ctx, narrative[0], cells[0]


def test_features_never_see_the_values():
    ctx, a, b = _pair()
    x = pairing.features(ctx, a, b)
    for v in (0, 596, 1e6):
        a2 = replace(a, value=v, quantity=replace(a.quantity, value=v))
        assert pairing.features(ctx, a2, b) == x


def test_confidence_is_the_best_partners_probability():
    ctx, a, b = _pair()
    cells = [o for o in ctx.observations if o.source == "table" and o.concept == a.concept] or [b]
    p = pairing.confidence(ctx, a, cells)
    m = pairing.model()
    assert 0 <= p <= 1
    assert p == round(max(m.probability(pairing.features(ctx, a, c)) for c in cells), 3)
    assert pairing.sure(p) == (p >= m.threshold)


def _finding(conf):
    ev = (Evidence("claim", "515", 515, 0, 3, "narrative"),)
    return Finding("AUD101", "value.narrative-vs-table", Severity.ERROR, Verdict.INCONSISTENT, "m", ev,
                   "narrative-vs-table", confidence=conf)


def test_a_pairing_below_the_threshold_is_an_info_item_not_an_error():
    low = _gate(_finding(0.01))
    assert low.severity == Severity.INFO and low.verdict == Verdict.INDETERMINATE
    assert "cần kiểm tra" in low.message
    assert _gate(_finding(0.99)).severity == Severity.ERROR
    assert _gate(_finding(None)).severity == Severity.ERROR  # arithmetic: no pairing involved


def _audit(*args):
    p = subprocess.run([sys.executable, "-m", "auditor", "audit", str(ROOT / "corpora/reports/bac-son-2024-h1.txt"),
                        "--format", "json", *args], capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout, p.stderr


def test_min_confidence_keeps_arithmetic_findings_and_drops_unsure_pairings():
    _, out, _ = _audit()
    every = json.loads(out)["findings"]
    _, out, _ = _audit("--min-confidence", "0,5")
    kept = json.loads(out)["findings"]
    unsure = [f for f in every if f.get("confidence") is not None and f["confidence"] < 0.5]
    assert unsure, "the report has a low-confidence pairing to drop"
    assert len(kept) == len(every) - len(unsure)
    assert all(f.get("confidence") is None or f["confidence"] >= 0.5 for f in kept)
    assert any("confidence" not in f for f in kept)


def test_min_confidence_outside_0_1_is_a_usage_error():
    rc, _, err = _audit("--min-confidence", "1.5")
    assert rc == 2 and "0" in err and "1" in err


def test_claims_prints_a_frame_per_narrative_number_through_spacy():
    p = subprocess.run([sys.executable, "-m", "auditor", "claims", str(ROOT / "corpora/reports/bac-son-2024-h1.txt"),
                        "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    frames = json.loads(p.stdout)
    online = [f for f in frames if f["raw"] == "596"]
    assert online and online[0]["concept"] == "files.received.online" and online[0]["noun"] == "hồ sơ"
    assert ["hồ sơ trực tuyến", "files.received.online"] in online[0]["phrases"]
    assert {f["scope"] for f in frames} <= {"period", "change", "comparison", "cumulative", "target", "assisted",
                                            "next_period", "other_period"}


def test_a_figure_of_another_year_has_its_own_scope():
    from auditor.checks.base import Context  # noqa: F401 - the scope is read through Context.scope

    text = ("BÁO CÁO Kết quả cải cách hành chính quý II năm 2026\n\n"
            "Trong quý, tổng số hồ sơ phải giải quyết là 1.803 hồ sơ. "
            "Tổng số hồ sơ phải giải quyết của quý II năm 2025 là 1.731 hồ sơ.\n")
    ctx = build_context(text)
    by = {q.raw: ctx.scope(q) for q in ctx.quantities}
    assert by["1.803"] is None and by["1.731"] == "other_period"
