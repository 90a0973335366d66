"""Train the pairing scorer (auditor/pairing.py) on pairs labelled from the corpora's gold.

    python scripts/train_pairing.py collect        # corpora → corpora/pairs/pairs.jsonl
    python scripts/train_pairing.py fit            # pairs.jsonl → auditor/models/pairing.json
    python scripts/train_pairing.py cv             # leave-one-corpus-out scores and threshold curve

A candidate pair is a narrative observation and a table cell (or a second narrative
observation) that the lexicon gives the same concept, as AUD101 and AUD103 see them. Its
label says whether the two measure the same thing:
- equal values: yes (a report mostly agrees with itself);
- different values, and both numbers belong to one gold discrepancy: yes (a real conflict);
- different values otherwise: no (the pairing, not the report, is wrong).
The values themselves are never a feature, and the model learns from the pairs of different
values only (equal-valued pairs would teach it the values' agreement through the number of
distinct values a concept has). Each pair also records whether AUD101/AUD103
would report it (after their own filters): the threshold is chosen on those, since only
they can become findings.

`fit` is deterministic (lbfgs, fixed data order): tests/test_pairing.py retrains from
pairs.jsonl and checks that the shipped artifact is reproduced.
"""
from __future__ import annotations

import argparse
import re
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

PAIRS = ROOT / "corpora" / "pairs" / "pairs.jsonl"
# planted/ is left out: its 40 reports are copies of the three real ones with one error each,
# and would weigh their pairs forty times.
CORPORA = ("corpora", "synthetic", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6",
           "blind7")
PRECISION_GOAL = 0.95
C = 1.0  # inverse regularisation strength of the logistic regression


def _dirs(name: str) -> tuple[Path, Path]:
    if name == "corpora":
        return ROOT / "corpora" / "reports", ROOT / "corpora" / "gold"
    return ROOT / "corpora" / name / "reports", ROOT / "corpora" / name / "gold"


def _load(reports: Path, gold: dict):
    """The audited text (report + appendix, NFC) and its Context."""
    from auditor.engine import build_context
    from auditor.ingest import read_document
    from auditor.ingest.bundle import appendix_beside, join
    from auditor.textutil import nfc_with_offsets

    path = reports / gold["report"]
    appendix = reports / gold["appendix"] if gold.get("appendix") else None
    if appendix is None and path.suffix != ".xlsx":
        found = appendix_beside(str(path))
        appendix = Path(found) if found else None
    doc = join(read_document(path), read_document(appendix) if appendix else None).document
    text, _ = nfc_with_offsets(doc.text)
    return text, build_context(text, formula_checks=doc.formula_checks)


def _gold_sets(text: str, ctx, gold: dict) -> list[list]:
    """Per gold entry, its spans located in the text: ("at", start, end, values) or ("row", fragment, values)."""
    from score_blind import _locate, _norm, _values

    out = []
    for e in gold.get("findings") or []:
        spans = []
        for sp in e.get("spans", []):
            if "context" in sp:
                loc = _locate(text, sp)
                if loc:
                    spans.append(("at", loc[0], loc[1], loc[3]))
            elif "row" in sp:
                spans.append(("row", _norm(sp["row"]), _values(sp.get("num"))))
        # Entries often cite the other number only in their summary ("section II and the
        # appendix say 671"): its numbers count as the entry's values too.
        said = set().union(*(_values(m) for m in re.findall(r"\d[\d.,]*\d|\d", str(e.get("summary", "")))))
        spans.append(("said", said))
        out.append(spans)
    return out


def _hit(o, spans, ctx) -> bool:
    from score_blind import _norm

    q = o.quantity
    for sp in spans:
        if sp[0] == "at":
            _, s, e, vals = sp
            if q.start < e and s < q.end:
                return True
            line = ctx.lines.locate(q.start)[0]
            if ctx.lines.locate(s)[0] == line and any(abs(o.value - v) < 1e-6 for v in vals):
                return True
        elif sp[0] == "row":
            _, frag, vals = sp
            if any(abs(o.value - v) < 1e-6 for v in vals) and frag in _norm(o.label or ""):
                return True
    return False


def _in_entry(a, b, spans, ctx) -> bool:
    """Both numbers belong to one gold discrepancy: `a` is one of its spans, and `b` is another
    or has the value of one (a gold entry names one cell of a table, the rule may cite its twin)."""
    if not _hit(a, spans, ctx):
        return False
    vals = {v for sp in spans for v in sp[-1]}
    return _hit(b, spans, ctx) or any(abs(b.value - v) < 1e-6 for v in vals)


def _pairs_of(ctx):
    """(a, b, kw) for every candidate pair AUD101/AUD103 consider, before their filters."""
    from auditor.checks.consistency import _comparable

    for concept, g in _comparable(ctx).items():
        narrative = [o for o in g["narrative"] if o.role != "denominator"]
        here = len({o.value for o in narrative})
        there = len({t.value for t in g["table"]})
        for o in narrative:
            for t in g["table"]:
                yield o, t, {"values_here": here, "values_there": there}
        for i, o in enumerate(narrative):
            for o2 in narrative[i + 1:]:
                yield o, o2, {"values_here": here, "values_there": here}
        for o, (ti, ri) in g["field"]:
            cells = [c for c in g["rows"] + g["table"] if c.table == ti and c.row == ri]
            for c in cells:
                yield o, c, {"field_pair": True}


def collect(names=CORPORA) -> int:
    import yaml

    from auditor import pairing
    from auditor.checks.consistency import NarrativeVsNarrative, NarrativeVsTable

    PAIRS.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with PAIRS.open("w", encoding="utf-8") as out:
        for name in names:
            reports, golds = _dirs(name)
            for gp in sorted(golds.glob("*.yaml")):
                gold = yaml.safe_load(gp.read_text(encoding="utf-8"))
                try:
                    text, ctx = _load(reports, gold)
                except Exception as exc:  # noqa: BLE001 - an unreadable report adds no pairs
                    print(f"skip {gp.name}: {exc}", file=sys.stderr)
                    continue
                entries = _gold_sets(text, ctx, gold)
                # Which pairs the rules would report: run them with the pairing log on.
                ctx.derived["pairing_log"] = log = []
                for rule in (NarrativeVsTable(), NarrativeVsNarrative()):
                    list(rule.check(ctx))
                emitted = {(id(a), id(b)) for a, b, _, _ in log}
                for a, b, kw in _pairs_of(ctx):
                    same = abs(a.value - b.value) < 1e-9
                    real = any(_in_entry(a, b, sp, ctx) or _in_entry(b, a, sp, ctx) for sp in entries)
                    row = {"corpus": name, "report": gold["report"], "a": a.quantity.raw, "b": b.quantity.raw,
                           "a_words": a.words[-80:], "b_words": b.words[-80:], "same_value": same,
                           "label": int(same or real), "emitted": (id(a), id(b)) in emitted,
                           "x": pairing.features(ctx, a, b, **kw)}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
    print(f"{n} pairs → {PAIRS.relative_to(ROOT)}")
    return n


def _rows():
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line]


def _matrix(rows):
    from auditor.pairing import FEATURES

    return [[r["x"][f] for f in FEATURES] for r in rows], [r["label"] for r in rows]


def _trainable(rows):
    """Pairs of different values only: among equal-valued pairs the number of distinct values a
    concept has is low by construction, and a model trained on both would learn the values'
    agreement through it. Conflicts are what the scorer judges; it learns from conflicts."""
    return [r for r in rows if not r["same_value"]]


def train(rows):
    """A standardised logistic regression on the conflicting pairs; returns (weights, bias, mean, scale)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, y = _matrix(_trainable(rows))
    X = np.asarray(X, dtype=float)
    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, solver="lbfgs", max_iter=2000, class_weight="balanced")
    clf.fit(scaler.transform(X), y)
    scale = [float(s) if s > 0 else 1.0 for s in scaler.scale_]
    return [float(w) for w in clf.coef_[0]], float(clf.intercept_[0]), [float(m) for m in scaler.mean_], scale


def _prob(params, x) -> float:
    import math

    from auditor.pairing import FEATURES

    w, b, mean, scale = params
    z = b + sum(wi * (x[f] - m) / s for wi, f, m, s in zip(w, FEATURES, mean, scale))
    return 1 / (1 + math.exp(-z))


def threshold_for(scored: list[tuple[float, int]], goal: float = PRECISION_GOAL) -> tuple[float, str]:
    """The lowest threshold at which the reported conflicts (different values) reach the
    precision goal. When no threshold reaches it without dropping most real conflicts, the
    one with the best F0.5 (precision weighted twice recall) — and the artifact says so."""
    pos = sum(lab for _, lab in scored) or 1
    best, best_f = 0.0, -1.0
    for t in sorted({p for p, _ in scored}):
        kept = [lab for p, lab in scored if p >= t]
        if not kept:
            continue
        prec, rec = sum(kept) / len(kept), sum(kept) / pos
        if prec >= goal and rec >= 0.5:
            return t, f"precision {prec:.0%}, recall {rec:.0%} (leave-one-corpus-out)"
        f = 1.25 * prec * rec / (0.25 * prec + rec) if prec + rec else 0.0
        if f > best_f:
            best, best_f, why = t, f, (f"{goal:.0%} precision not reachable; best F0.5: precision {prec:.0%}, "
                                       f"recall {rec:.0%} (leave-one-corpus-out)")
    return best, why


def cross_validate(rows):
    """Leave one corpus out: train on the others, score the emitted conflicts of the one left out."""
    by = defaultdict(list)
    for r in rows:
        by[r["corpus"]].append(r)
    scored = []
    for name in by:
        params = train([r for r in rows if r["corpus"] != name])
        for r in by[name]:
            if r["emitted"] and not r["same_value"]:
                scored.append((_prob(params, r["x"]), r["label"], name))
    return scored


def fit() -> dict:
    from auditor.pairing import FEATURES, MODEL_PATH

    rows = _rows()
    scored = cross_validate(rows)
    threshold, why = threshold_for([(p, lab) for p, lab, _ in scored])
    w, b, mean, scale = train(rows)
    art = {"features": list(FEATURES), "weights": w, "bias": b, "mean": mean, "scale": scale,
           "threshold": round(threshold, 4), "trained_on": len(_trainable(rows)),
           "threshold_basis": why, "note": "scripts/train_pairing.py fit"}
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(json.dumps(art, indent=1) + "\n", encoding="utf-8")
    return art


def report_cv() -> None:
    rows = _rows()
    scored = cross_validate(rows)
    pos = sum(lab for _, lab, _ in scored)
    print(f"{len(rows)} pairs; {len(scored)} emitted conflicts, {pos} real")
    for t in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = [lab for p, lab, _ in scored if p >= t]
        prec = sum(kept) / len(kept) if kept else 1.0
        print(f"  threshold {t:.1f}: kept {len(kept):3d}, real {sum(kept):3d} ({prec:.0%}), "
              f"real dropped {pos - sum(kept)}")
    t, why = threshold_for([(p, lab) for p, lab, _ in scored])
    print(f"threshold {t:.3f}: {why}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=["collect", "fit", "cv", "all"])
    args = ap.parse_args(argv)
    if args.step in ("collect", "all"):
        collect()
    if args.step in ("cv", "all"):
        report_cv()
    if args.step in ("fit", "all"):
        art = fit()
        print(f"threshold {art['threshold']}, trained on {art['trained_on']} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
