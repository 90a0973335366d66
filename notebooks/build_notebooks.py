"""Write the project's notebooks from this file, so that they are reviewed as Python.

    python notebooks/build_notebooks.py           # (re)write notebooks/*.ipynb, without outputs
    python notebooks/build_notebooks.py --check   # exit 1 if a committed notebook differs

01_tour.ipynb         one report through every stage: numbers, tables, observations, findings
02_evaluation.ipynb   recall on the hand-checked gold and on the planted-error corpus, misses explained
03_performance.ipynb  per-stage timings and a memory check over a batch of 200 audits

Cell ids are fixed and outputs are never stored, so a regenerated notebook is byte-identical
unless its source here changed. tests/test_notebooks.py executes each one.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = '''\
from pathlib import Path

ROOT = Path.cwd()
while not (ROOT / "corpora" / "reports").is_dir() and ROOT != ROOT.parent:
    ROOT = ROOT.parent
assert (ROOT / "corpora" / "reports").is_dir(), "run this notebook from inside the project"


def cut(value, width):
    s = str(value).replace("\\t", " ⇥ ").replace("\\n", " ↵ ")
    return s if len(s) <= width else s[: width - 1] + "…"


def show(rows, headers, widths):
    """A plain-text table (no pandas): one row per line, cells cut to their column width."""
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*headers))
    print(line.format(*("─" * w for w in widths)))
    for r in rows:
        print(line.format(*(cut(c, w) for c, w in zip(r, widths))))'''


def tour() -> list:
    return [
        new_markdown_cell(
            "# A tour of one report\n\n"
            "One commune report (`corpora/reports/bac-son-2024-h1.txt`, first half of 2024) followed "
            "through the auditor's stages:\n\n"
            "1. **numbers** — every number with its kind, value and unit (`auditor.numbers.scan`);\n"
            "2. **tables** — the inline results table and the indicator appendix rebuilt as rows and "
            "column paths (`auditor.tables.find_tables`);\n"
            "3. **observations** — narrative claims and table cells mapped to concepts "
            "(`auditor.engine.build_context(...).observations`);\n"
            "4. **findings** — what the rules conclude (`auditor.engine.audit_text`).\n\n"
            "Everything is printed as plain text; nothing here needs pandas or a network."),
        new_code_cell(SETUP + '''


import collections

from auditor.engine import audit_text, build_context
from auditor.numbers import infer_style, scan
from auditor.tables import find_tables

REPORT = ROOT / "corpora" / "reports" / "bac-son-2024-h1.txt"
text = REPORT.read_text(encoding="utf-8")
lines = text.split("\\n")


def line_of(offset):
    return text.count("\\n", 0, offset) + 1


print(f"{REPORT.name}: {len(text):,} characters, {len(lines)} lines")'''),
        new_markdown_cell(
            "## 1. Numbers\n\n"
            "The scanner decides per number what it is. Only *quantities* (counts, percentages, "
            "fractions, money, ranges, decimals) take part in checks; dates, document numbers "
            "(`22/QĐ-UBND`), section numbers and standards (`ISO 9001:2015`) are recognised so that "
            "they are *not* mistaken for amounts."),
        new_code_cell('''\
style = infer_style(text)
mentions = scan(text, style=style)
quantities = [q for q in mentions if q.is_quantity]
print(f"decimal style: {style}; {len(mentions)} number mentions, {len(quantities)} of them quantities\\n")
kinds = collections.Counter(q.kind.value for q in mentions)
show(kinds.most_common(), ["kind", "mentions"], [10, 8])'''),
        new_code_cell('''\
# Two paragraphs of the narrative: the files received and resolved, and the staff qualifications.
for needle in ("tiếp nhận trong kỳ là", "trình độ chuyên môn 88/8"):
    n = next(i for i, ln in enumerate(lines, 1) if needle in ln)
    print(f"\\nline {n}: {cut(lines[n - 1], 110)}")
    on_line = [q for q in mentions if line_of(q.start) == n]
    show([(q.raw, q.kind.value, q.value, q.denominator if q.denominator is not None else "", q.unit or "",
           q.bound or "") for q in on_line],
         ["raw", "kind", "value", "denominator", "unit", "bound"], [10, 9, 8, 11, 10, 5])'''),
        new_code_cell('''\
# A sample of what is *not* an amount, and why.
sample = {}
for q in mentions:
    if not q.is_quantity and q.kind.value not in sample:
        sample[q.kind.value] = q
show([(k, q.raw, line_of(q.start), q.note or "") for k, q in sample.items()],
     ["kind", "raw", "line", "note"], [9, 24, 5, 40])'''),
        new_markdown_cell(
            "## 2. Tables\n\n"
            "The report carries an inline *results* table (files by field: received / resolved / "
            "pending, with a three-row header) and an *indicator* appendix (STT, label, unit, value) "
            "that repeats its header on every page."),
        new_code_cell('''\
tables = find_tables(text, style=style)
show([(t.index, t.kind.value, t.layout, len(t.rows), len(t.columns), line_of(t.start), line_of(t.end))
      for t in tables], ["table", "kind", "layout", "rows", "columns", "from", "to"], [5, 10, 7, 5, 7, 5, 5])'''),
        new_code_cell('''\
results = next(t for t in tables if t.kind.value == "results")
print(f"table {results.index}: column paths from the header tree")
show([(i, " / ".join(p)) for i, p in enumerate(results.columns)], ["col", "path"], [3, 80])
print()
show([(r.code, r.label, "total" if r.is_total else "", " ".join(c.text for c in r.cells if c.quantity))
      for r in results.rows], ["STT", "label", "", "values"], [5, 36, 5, 50])'''),
        new_code_cell('''\
indicator = next(t for t in tables if t.kind.value == "indicator")
by_index = {r.index: r for r in indicator.rows}
print(f"table {indicator.index}: {len(indicator.rows)} indicator rows; the first 16 with their parent row")
rows = []
for r in indicator.rows[:16]:
    value = next((c.text for c in r.cells if c.col == 3), "")
    parent = by_index[r.parent].code if r.parent is not None else ""
    rows.append((r.code, parent, r.label, r.unit, value))
show(rows, ["STT", "parent", "label", "unit", "value"], [7, 6, 58, 9, 6])'''),
        new_markdown_cell(
            "## 3. Observations\n\n"
            "An *observation* is one value stated for one concept of `rules/concepts.yaml`, from a "
            "narrative sentence or from a table cell. Rules compare observations of the same "
            "concept and evaluate the identities and rates between concepts."),
        new_code_cell('''\
ctx = build_context(text)
obs = ctx.observations
print(f"{len(obs)} observations: {sum(o.source == 'narrative' for o in obs)} from the narrative, "
      f"{sum(o.source == 'table' for o in obs)} from tables\\n")
by_concept = collections.defaultdict(lambda: {"narrative": [], "table": []})
for o in obs:
    # Table values that speak for the whole report: indicator rows and results-table totals
    # (a per-field row of the results table measures one field only).
    if o.source == "table" and "r" in o.scope[1:] and not o.is_total_row:
        continue
    by_concept[o.concept][o.source].append(o)


def values(items, limit=4):
    vals = []
    for o in items:
        where = f"l.{line_of(o.quantity.start)}" if o.source == "narrative" else f"t{o.table}"
        vals.append(f"{o.value:g} ({where})")
    return ", ".join(vals[:limit]) + (" …" if len(vals) > limit else "")


rows = []
for concept, g in sorted(by_concept.items()):
    if g["narrative"]:
        nv = {o.value for o in g["narrative"]}
        tv = {o.value for o in g["table"]}
        flag = "≠" if tv and not nv <= tv else ""
        rows.append((concept, values(g["narrative"]), flag, values(g["table"])))
print("concepts the narrative states, beside the report-level table values (≠: a value the tables lack)")
show(rows, ["concept", "narrative", "", "tables"], [34, 34, 1, 44])'''),
        new_markdown_cell(
            "## 4. Findings\n\n"
            "Every finding names its rule, its severity and the numbers it rests on (with their "
            "offsets into the text, as in the JSON output)."),
        new_code_cell('''\
findings = audit_text(text)
summary = collections.Counter(f.severity.value for f in findings)
print(f"{len(findings)} findings: " + ", ".join(f"{summary[s]} {s}" for s in ("error", "warning", "info")) + "\\n")
show([(f.severity.value, f.rule, line_of(f.evidence[0].start) if f.evidence else "", f.message) for f in findings],
     ["severity", "rule", "line", "message"], [8, 6, 5, 96])'''),
        new_code_cell('''\
# One finding in full: the narrative identity received = resolved + pending.
f = next(f for f in findings if f.rule == "AUD201")
print(f.message)
print("suggestion:", f.suggestion, "\\n")
show([(e.role, e.text, e.value, e.where, e.start, e.end, line_of(e.start)) for e in f.evidence],
     ["role", "text", "value", "where", "start", "end", "line"], [10, 6, 6, 9, 6, 6, 5])
assert {x.rule for x in findings} >= {"AUD101", "AUD201", "AUD203", "AUD301"}'''),
    ]


def evaluation() -> list:
    return [
        new_markdown_cell(
            "# Evaluation: recall on the gold, on planted errors, and what is missed\n\n"
            "* `corpora/` — three real reports with hand-checked gold (also the development set, so "
            "optimistic);\n"
            "* `corpora/planted/` — the same reports with **one planted error each** "
            "(`scripts/planted.py`, written by `scripts/plant_errors.py`): a table cell, a narrative "
            "identity, a narrative figure repeated in a table, a rate, a date or a fraction changed. "
            "Its gold is known by construction.\n\n"
            "A planted error counts as found when a finding's evidence overlaps the changed number "
            "(or sits on its line with its value), exactly as for the real gold "
            "(`auditor.evaluate`). Charts are drawn with matplotlib's Agg backend."),
        new_code_cell(SETUP + '''


import collections
import io
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import yaml  # noqa: E402
from IPython.display import Image, display  # noqa: E402

from auditor.engine import Config, build_context, run_rules  # noqa: E402
from auditor.evaluate import evaluate_dir, gold_spans, hits  # noqa: E402

PLANTED = ROOT / "corpora" / "planted"
if not (PLANTED / "gold").is_dir():  # not generated yet: make a fresh set in a temp dir
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))
    from plant_errors import write
    PLANTED = Path(tempfile.mkdtemp()) / "planted"
    write(PLANTED, sorted((ROOT / "corpora" / "reports").glob("*.txt")), 3, 0, (
        "sum", "identity", "narrative-vs-table", "rate", "date", "fraction"))
print("planted corpus:", PLANTED)'''),
        new_code_cell('''\
shipped = evaluate_dir(ROOT / "corpora")
planted = evaluate_dir(PLANTED)


def summarize(name, res):
    print(f"{name}: recall {res['found']}/{res['required']} = {100 * res['recall']:.1f}%, "
          f"precision {100 * res['precision']:.1f}% ({res['unmatched']} of {res['serious']} errors and "
          f"warnings match no gold entry), {len(res['reports'])} reports")
    show([(k, v["found"], v["required"], f"{100 * v['recall']:.0f}%") for k, v in res["per_kind"].items()],
         ["kind", "found", "required", "recall"], [22, 5, 8, 6])
    print()


summarize("hand-checked gold (corpora/)", shipped)
summarize("planted errors (corpora/planted/)", planted)'''),
        new_code_cell('''\
def recall_bars(ax, res, title, color):
    kinds = list(res["per_kind"])
    rec = [res["per_kind"][k]["recall"] for k in kinds]
    bars = ax.bar(range(len(kinds)), rec, color=color)
    for b, k in zip(bars, kinds):
        v = res["per_kind"][k]
        ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.02, f"{v['found']}/{v['required']}",
                ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(len(kinds)), kinds, rotation=30, ha="right")
    ax.set_ylim(0, 1.15)
    ax.axhline(res["recall"], color="grey", lw=1, ls="--")
    ax.set_title(f"{title}\\noverall {res['found']}/{res['required']} = {100 * res['recall']:.0f}% (dashed)")


def show_figure(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buf.getvalue()))


fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
recall_bars(axes[0], shipped, "hand-checked gold", "#4c72b0")
recall_bars(axes[1], planted, "planted single errors", "#dd8452")
axes[0].set_ylabel("recall (required items found)")
show_figure(fig)'''),
        new_code_cell('''\
# Planted recall by source report and kind: where the generator could plant, and what was found.
grid = collections.defaultdict(lambda: [0, 0])
for rep in planted["reports"]:
    source, kind = rep["report"][:-4].split(".planted-")
    kind = kind.rsplit("-", 1)[0]
    grid[(source, kind)][0] += rep["found"]
    grid[(source, kind)][1] += rep["required"]
sources = sorted({s for s, _ in grid})
kinds = list(planted["per_kind"])
show([(s, *(f"{grid[(s, k)][0]}/{grid[(s, k)][1]}" if (s, k) in grid else "–" for k in kinds)) for s in sources],
     ["source", *kinds], [18] + [max(9, len(k)) for k in kinds])

fig, ax = plt.subplots(figsize=(10, 3.8))
width = 0.8 / len(sources)
for i, s in enumerate(sources):
    rec = [grid[(s, k)][0] / grid[(s, k)][1] if grid[(s, k)][1] else 0 for k in kinds]
    ax.bar([x + i * width for x in range(len(kinds))], rec, width, label=s)
ax.set_xticks([x + width * (len(sources) - 1) / 2 for x in range(len(kinds))], kinds, rotation=30, ha="right")
ax.set_ylim(0, 1.1)
ax.set_ylabel("recall")
ax.legend(fontsize=8)
ax.set_title("planted-error recall by source report (no bar: nothing of that kind could be planted)")
show_figure(fig)'''),
        new_markdown_cell(
            "## Error analysis\n\n"
            "For every required item that no finding matched: what was planted, and how far the "
            "pipeline got with the number — not read as a quantity, read but not tied to a concept "
            "(no observation), or observed without any rule firing."),
        new_code_cell('''\
def line_no(text, offset):
    return text.count("\\n", 0, offset) + 1


def diagnose(root, report):
    gold = yaml.safe_load((root / "gold" / report.replace(".txt", ".yaml")).read_text(encoding="utf-8"))
    text = (root / "reports" / report).read_text(encoding="utf-8")
    ctx = build_context(text)
    findings = run_rules(ctx, Config())
    out = []
    for item in gold["findings"]:
        if not item.get("required"):
            continue
        spans = gold_spans(text, item)
        if any(hits(f, sp, text) for f in findings for sp in spans):
            continue
        s, e, line, _ = spans[0]
        q = next((q for q in ctx.mentions if q.start < e and s < q.end), None)
        obs = [o for o in ctx.observations if o.quantity.start < e and s < o.quantity.end]
        if q is None:
            stage = "number not read at all"
        else:
            stage = f"read as {q.kind.value} «{cut(q.raw, 30)}»"
            if q.start != s or q.end != e:
                stage += f" (only part of «{cut(text[s:e], 30)}»)"
            if obs:
                stage += "; observed as " + ", ".join(sorted({o.concept for o in obs}))
            elif q.is_quantity and item["check"] in ("narrative-vs-table", "narrative-vs-narrative", "identity"):
                stage += "; tied to no concept (no observation)"
            stage += "; no finding points at it"
        near = sorted({f.rule for f in findings for ev in f.evidence if abs(line_no(text, ev.start) - line) <= 1})
        out.append((report, item["check"], item["summary"], stage, near))
    return out


missed = []
for name, root, res in (("gold", ROOT / "corpora", shipped), ("planted", PLANTED, planted)):
    for rep in res["reports"]:
        if rep["missed"]:
            missed += [(name, *m) for m in diagnose(root, rep["report"])]
print(f"{len(missed)} missed required items\\n")
for corpus, report, check, summary, stage, near in missed:
    print(f"[{corpus}] {report}  ({check})")
    print(f"    planted/what: {summary}")
    print(f"    pipeline:     {stage}")
    print(f"    rules firing within one line: {', '.join(near) or 'none'}\\n")'''),
        new_code_cell('''\
# Serious findings that match no gold entry (false alarms), if any.
for name, res in (("gold", shipped), ("planted", planted)):
    extra = [(r["report"], u) for r in res["reports"] for u in r["unmatched"]]
    print(f"{name}: {len(extra)} unmatched errors/warnings")
    for report, u in extra:
        print(f"    {report}: {u}")
assert shipped["recall"] == 1.0 and planted["recall"] >= 0.5'''),
    ]


def performance() -> list:
    return [
        new_markdown_cell(
            "# Performance: where the time goes, and whether memory stays flat\n\n"
            "1. a cold `auditor audit` (new interpreter) beside a bare `import underthesea`;\n"
            "2. warm per-stage timings as in `scripts/benchmark.py` (median of a few rounds);\n"
            "3. a batch of 200 audits in one process, resident memory sampled every 10 audits, and "
            "`tracemalloc` over a short stretch to show that nothing accumulates between audits.\n\n"
            "Figures depend on the machine; the notebook checks only that memory does not grow."),
        new_code_cell(SETUP + '''


import gc
import io
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.display import Image, display  # noqa: E402

from auditor.engine import STAGES, audit_text, clear_caches, profile_stages  # noqa: E402

reports = sorted((ROOT / "corpora" / "reports").glob("*.txt"))
texts = {p.name: p.read_text(encoding="utf-8") for p in reports}
print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
      f"{platform.system()} {platform.release()}")


def show_figure(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    display(Image(data=buf.getvalue()))'''),
        new_code_cell('''\
def cold(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - t


biggest = max(reports, key=lambda p: p.stat().st_size)
imp = cold([sys.executable, "-c", "import underthesea"])
aud = cold([sys.executable, "-m", "auditor", "audit", str(biggest), "--format", "json"])
print(f"cold (one run each): import underthesea {imp:.2f} s; auditor audit {biggest.name} "
      f"({biggest.stat().st_size // 1024} KB) {aud:.2f} s = {aud / imp:.2f}x")'''),
        new_code_cell('''\
ROUNDS = 5


def profile(text):
    """One warm audit of a report the caches have not seen, split into the pipeline's stages."""
    clear_caches()
    ms = profile_stages(text)
    return [ms[s] for s in STAGES]


for t in texts.values():
    audit_text(t)  # warm: load the tokenizer model and the rule packs
medians = {}
for name, t in texts.items():
    runs = [profile(t) for _ in range(ROUNDS)]
    medians[name] = [statistics.median(r[i] for r in runs) for i in range(len(STAGES))]
print(f"warm, median of {ROUNDS} rounds (ms)")
sizes = {p.name: p.stat().st_size for p in reports}
show([(n, f"{sizes[n] // 1024} KB", *(f"{v:.1f}" for v in m), f"{sum(m):.1f}") for n, m in medians.items()],
     ["report", "size", *STAGES, "total"], [22, 5, 7, 9, 8, 7, 6, 6])

fig, ax = plt.subplots(figsize=(9, 2.8))
left = [0.0] * len(medians)
for i, stage in enumerate(STAGES):
    vals = [m[i] for m in medians.values()]
    ax.barh(list(medians), vals, left=left, label=stage)
    left = [a + b for a, b in zip(left, vals)]
ax.set_xlabel("ms per warm audit (median)")
ax.legend(ncol=len(STAGES), fontsize=8, loc="lower right")
show_figure(fig)'''),
        new_code_cell('''\
def rss_mb():
    """Resident memory now (Linux /proc), else the peak so far (getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


BATCH = 200
names = list(texts)
gc.collect()
samples = [(0, rss_mb())]
t0 = time.perf_counter()
for i in range(1, BATCH + 1):
    audit_text(texts[names[i % len(names)]])
    if i % 10 == 0:
        gc.collect()
        samples.append((i, rss_mb()))
elapsed = time.perf_counter() - t0
first_half = [m for i, m in samples if 0 < i <= BATCH // 2]
second_half = [m for i, m in samples if i > BATCH // 2]
growth = max(second_half) - max(first_half)
print(f"{BATCH} audits in {elapsed:.1f} s ({1000 * elapsed / BATCH:.0f} ms each)")
print(f"resident memory: {samples[0][1]:.1f} MB before, {samples[-1][1]:.1f} MB after; "
      f"peak of the second half minus peak of the first half: {growth:+.1f} MB")

fig, ax = plt.subplots(figsize=(9, 3))
ax.plot([i for i, _ in samples], [m for _, m in samples], marker="o", ms=3)
ax.set_xlabel("audits so far")
ax.set_ylabel("resident memory (MB)")
ax.set_ylim(0, max(m for _, m in samples) * 1.15)
ax.set_title("memory over a batch of audits")
show_figure(fig)
assert growth < 8, f"memory grew by {growth:.1f} MB over the second half of the batch"'''),
        new_code_cell('''\
# Python-heap view: what the allocator still holds after 12 more audits (tracing is slow, so few).
tracemalloc.start(5)
for t in texts.values():
    audit_text(t)
gc.collect()
before = tracemalloc.take_snapshot()
held0 = tracemalloc.get_traced_memory()[0]
for i in range(12):
    audit_text(texts[names[i % len(names)]])
gc.collect()
after = tracemalloc.take_snapshot()
held1 = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
print(f"traced Python memory held between audits: {held0 / 2**20:.2f} MB → {held1 / 2**20:.2f} MB "
      f"({(held1 - held0) / 1024:+.0f} KB over 12 audits)")
top = [s for s in after.compare_to(before, "lineno") if s.size_diff][:5]
show([(f"{s.traceback[0].filename.split('/')[-1]}:{s.traceback[0].lineno}", f"{s.size_diff / 1024:+.1f}",
       s.count_diff) for s in top], ["where", "KB", "blocks"], [40, 8, 7])
assert held1 - held0 < 1 * 2**20, "more than 1 MB retained over 12 audits"'''),
    ]


NOTEBOOKS = {"01_tour.ipynb": tour, "02_evaluation.ipynb": evaluation, "03_performance.ipynb": performance}


def build(name: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=NOTEBOOKS[name]())
    stem = name.split(".")[0]
    for i, cell in enumerate(nb.cells):
        cell.id = f"{stem}-{i:02d}"
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(name: str) -> str:
    return nbformat.writes(build(name)) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed notebooks, write nothing")
    a = ap.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        path = HERE / name
        body = render(name)
        if a.check:
            if not path.exists() or path.read_text(encoding="utf-8") != body:
                stale.append(name)
        else:
            path.write_text(body, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date (run python notebooks/build_notebooks.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
