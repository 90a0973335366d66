"""Precision and recall of the number grammar against the labelled mentions.

    python scripts/number_eval.py [corpora/numbers/labelled.yaml] [--format text|json]

A predicted mention is correct when its span is the span of a gold mention (the gold
`raw` found in the item's text, in order), its kind is the gold kind and, for quantity
kinds, its value (and denominator / high) equals the gold one within 1e-9. For a gold
mention marked `ambiguous`, either reading (`value` or `alt_value`) is accepted.

Bound, unit and the ambiguity flag do not enter precision and recall; disagreements on
them are counted and listed under "attributes".

Importable: `evaluate(path) -> dict`, `evaluate_item(item, reports_dir) -> dict`.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from auditor.model import Kind
from auditor.numbers import infer_style, scan

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "corpora" / "numbers" / "labelled.yaml"
QUANTITY_KINDS = {k.value for k in Kind if k.is_quantity}


def load(path: str | Path = DEFAULT) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or []


@lru_cache(maxsize=None)
def _report_style(path: str) -> str:
    text = unicodedata.normalize("NFC", Path(path).read_text(encoding="utf-8"))
    return infer_style(text)


def item_style(item: dict, reports_dir: Path) -> str | None:
    """The decimal style the item is read in: its own, its report's, or inferred from it."""
    if item.get("style"):
        return item["style"]
    if item.get("source"):
        return _report_style(str(reports_dir / item["source"]))
    return None


def locate(text: str, raw: str, start: int) -> tuple[int, int] | None:
    """The first occurrence of `raw` at or after `start` that is a whole token."""
    i = start
    while True:
        i = text.find(raw, i)
        if i < 0:
            return None
        j = i + len(raw)
        before, after = text[i - 1 : i], text[j : j + 1]
        ok = True
        if before and (before.isalnum() or before == "_"):
            ok = False
        if before in ".,/:" and i >= 2 and text[i - 2].isdigit() and raw[:1].isdigit():
            ok = False
        if after.isdigit() or (after.isalpha() and raw[-1:].isalpha()):
            ok = False
        if after in ".,/:" and text[j + 1 : j + 2].isdigit() and raw[-1:].isdigit():
            ok = False
        if ok:
            return i, j
        i += 1


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _value_ok(gold: dict, q) -> bool:
    if gold["kind"] not in QUANTITY_KINDS:
        return True
    values = [gold.get("value")]
    if gold.get("ambiguous") and gold.get("alt_value") is not None:
        values.append(gold["alt_value"])
    if not any(_close(v, q.value) for v in values):
        return False
    if gold["kind"] == "fraction" and not _close(gold.get("denominator"), q.denominator):
        return False
    if gold["kind"] == "range" and not _close(gold.get("high"), q.high):
        return False
    return True


def _describe_pred(q) -> dict:
    d = {"raw": q.raw, "kind": q.kind.value, "start": q.start, "end": q.end}
    if q.is_quantity:
        d["value"] = q.value
        if q.denominator is not None:
            d["denominator"] = q.denominator
        if q.high is not None:
            d["high"] = q.high
    if q.note:
        d["note"] = q.note
    return d


def evaluate_item(item: dict, reports_dir: Path = ROOT / "corpora" / "reports") -> dict:
    """Score one item: true positives, false positives, false negatives and errors."""
    text = item["text"]
    preds = scan(text, style=item_style(item, reports_dir))
    gold_spans = []
    cursor = 0
    problems = []
    for g in item.get("mentions") or []:
        span = locate(text, str(g["raw"]), cursor)
        if span is None:
            problems.append(f"gold raw {g['raw']!r} not found in order")
            continue
        gold_spans.append((span, g))
        cursor = span[1]
    by_span = {(q.start, q.end): q for q in preds}
    used = set()
    tp, fn, errors, attrs = [], [], [], []
    for (s, e), g in gold_spans:
        q = by_span.get((s, e))
        if q is not None and q.kind.value == g["kind"] and _value_ok(g, q):
            tp.append(g)
            used.add((s, e))
            attrs.extend(_attribute_diffs(g, q))
            continue
        fn.append(g)
        if q is not None:
            used.add((s, e))
            errors.append({"type": "mismatch", "gold": g, "predicted": _describe_pred(q)})
        else:
            near = [_describe_pred(p) for p in preds if p.start < e and s < p.end]
            errors.append({"type": "missed", "gold": g, "predicted": near or None})
    fp = [q for q in preds if (q.start, q.end) not in used]
    gold_overlapping = {id(q) for q in fp for (s, e), _ in gold_spans if q.start < e and s < q.end}
    for q in fp:
        if id(q) not in gold_overlapping:
            errors.append({"type": "spurious", "gold": None, "predicted": _describe_pred(q)})
    mismatched = [e["predicted"] for e in errors if e["type"] == "mismatch"]
    return {
        "text": text,
        "source": item.get("source"),
        "problems": problems,
        "gold": [g for _, g in gold_spans],
        "tp": tp,
        "fn": fn,
        "fp": [_describe_pred(q) for q in fp] + mismatched,
        "errors": errors,
        "attributes": attrs,
    }


def _attribute_diffs(g: dict, q) -> list[dict]:
    out = []
    if (g.get("bound") or None) != (q.bound or None):
        out.append({"attribute": "bound", "raw": g["raw"], "gold": g.get("bound"), "predicted": q.bound})
    if bool(g.get("ambiguous")) != bool(q.ambiguous):
        out.append({"attribute": "ambiguous", "raw": g["raw"], "gold": bool(g.get("ambiguous")),
                    "predicted": bool(q.ambiguous)})
    if g.get("unit") and g.get("unit") != q.unit:
        out.append({"attribute": "unit", "raw": g["raw"], "gold": g["unit"], "predicted": q.unit})
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(path: str | Path = DEFAULT) -> dict:
    """Score the whole labelled set. Returns counts, precision, recall, per kind, errors."""
    path = Path(path)
    reports_dir = path.resolve().parent.parent / "reports"
    items = load(path)
    gold_k, pred_k, tp_k = Counter(), Counter(), Counter()
    errors, attrs, problems, per_item = [], [], [], []
    by_origin = {"reports": Counter(), "written": Counter(), "batch:tuning": Counter(),
                 "batch:heldout": Counter()}
    for i, item in enumerate(items):
        r = evaluate_item(item, reports_dir)
        origins = ("reports" if item.get("source") else "written",
                   "batch:" + (item.get("batch") or "tuning"))
        for g in r["gold"]:
            gold_k[g["kind"]] += 1
            for o in origins:
                by_origin[o]["gold"] += 1
        for g in r["tp"]:
            tp_k[g["kind"]] += 1
            pred_k[g["kind"]] += 1
            for o in origins:
                by_origin[o]["tp"] += 1
        for p in r["fp"]:
            pred_k[p["kind"]] += 1
            for o in origins:
                by_origin[o]["fp"] += 1
        for e in r["errors"]:
            errors.append({"item": i, "text": _short(item["text"]), **e})
        for a in r["attributes"]:
            attrs.append({"item": i, **a})
        for p in r["problems"]:
            problems.append({"item": i, "problem": p})
        per_item.append({"item": i, "errors": len(r["errors"]) + len(r["problems"])})
    gold_n, pred_n, tp_n = sum(gold_k.values()), sum(pred_k.values()), sum(tp_k.values())
    kinds = sorted(set(gold_k) | set(pred_k), key=lambda k: [x.value for x in Kind].index(k))
    per_kind = {
        k: {"gold": gold_k[k], "predicted": pred_k[k], "correct": tp_k[k],
            "precision": _ratio(tp_k[k], pred_k[k]), "recall": _ratio(tp_k[k], gold_k[k])}
        for k in kinds
    }
    origin = {
        o: {"gold": c["gold"], "predicted": c["tp"] + c["fp"], "correct": c["tp"],
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]), "recall": _ratio(c["tp"], c["gold"])}
        for o, c in by_origin.items()
    }
    attr_counts = Counter(a["attribute"] for a in attrs)
    return {
        "path": str(path),
        "items": len(items),
        "gold": gold_n,
        "predicted": pred_n,
        "correct": tp_n,
        "precision": _ratio(tp_n, pred_n),
        "recall": _ratio(tp_n, gold_n),
        "per_kind": per_kind,
        "by_origin": origin,
        "errors": errors,
        "problems": problems,
        "attributes": {"disagreements": dict(attr_counts), "list": attrs},
        "per_item": per_item,
    }


def _short(text: str, n: int = 90) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    return t if len(t) <= n else t[: n - 1] + "…"


def _fmt_mention(d) -> str:
    if d is None:
        return "—"
    if isinstance(d, list):
        return "; ".join(_fmt_mention(x) for x in d)
    s = f"{d['raw']!r} {d['kind']}"
    if "value" in d and d["value"] is not None:
        s += f" {d['value']:g}"
    for k, sep in (("denominator", "/"), ("high", "..")):
        if d.get(k) is not None:
            s += f"{sep}{d[k]:g}"
    return s


def render_text(r: dict) -> str:
    lines = [f"{r['items']} items, {r['gold']} gold mentions, {r['predicted']} predicted, "
             f"{r['correct']} correct",
             f"precision {r['precision']:.4f}   recall {r['recall']:.4f}", "",
             f"{'kind':10s} {'gold':>5s} {'pred':>5s} {'ok':>5s} {'prec':>7s} {'rec':>7s}"]
    for k, v in r["per_kind"].items():
        lines.append(f"{k:10s} {v['gold']:5d} {v['predicted']:5d} {v['correct']:5d} "
                     f"{v['precision']:7.4f} {v['recall']:7.4f}")
    lines.append("")
    for o, v in r["by_origin"].items():
        lines.append(f"{o:14s}: gold {v['gold']}, precision {v['precision']:.4f}, recall {v['recall']:.4f}")
    lines.append("")
    lines.append(f"errors ({len(r['errors'])}):")
    for e in r["errors"]:
        lines.append(f"  [{e['item']}] {e['type']:9s} gold {_fmt_mention(e['gold'])}  "
                     f"predicted {_fmt_mention(e['predicted'])}")
        lines.append(f"        in: {e['text']}")
    for p in r["problems"]:
        lines.append(f"  [{p['item']}] LABEL PROBLEM: {p['problem']}")
    d = r["attributes"]["disagreements"]
    lines.append("")
    lines.append("attribute disagreements (not in P/R): " + (", ".join(f"{k} {v}" for k, v in d.items()) or "none"))
    for a in r["attributes"]["list"]:
        lines.append(f"  [{a['item']}] {a['attribute']}: {a['raw']!r} gold {a['gold']!r} predicted {a['predicted']!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--format", choices=["text", "json"], default="text")
    args = ap.parse_args(argv)
    r = evaluate(args.path)
    if args.format == "json":
        r = {k: v for k, v in r.items() if k != "per_item"}
        json.dump(r, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_text(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
