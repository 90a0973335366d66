"""Speed benchmark (not a timed test): per-report and per-stage cost, cold and warm.

    python scripts/benchmark.py            # full: every corpus report, 20 warm rounds
    python scripts/benchmark.py --quick    # CI: 3 rounds

Prints the machine, the cold `auditor audit` wall time next to a bare `import underthesea`,
and warm per-stage medians in milliseconds.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold(cmd: list[str], n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    rounds = 3 if a.quick else 20
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    reports = sorted((ROOT / "corpora" / "reports").glob("*.txt"))
    biggest = max(reports, key=lambda p: p.stat().st_size)
    imp = cold([sys.executable, "-c", "import underthesea"], 3 if a.quick else 5)
    aud = cold([sys.executable, "-m", "auditor", "audit", str(biggest), "--format", "json"], 3 if a.quick else 5)
    print(f"cold: import underthesea {imp:.2f} s; auditor audit {biggest.name} "
          f"({biggest.stat().st_size // 1024} KB) {aud:.2f} s = {aud / imp:.2f}x")

    from auditor.checks import REGISTRY  # noqa: F401 - warm imports
    from auditor.claims import narrative_observations, table_observations
    from auditor.engine import Config, audit_text, clear_caches, run_rules
    from auditor.checks import Context
    from auditor.numbers import infer_style, scan
    from auditor.structure import analyse
    from auditor.tables import find_tables

    for p in reports:
        audit_text(p.read_text(encoding="utf-8"))  # warm the tokenizer
    print(f"warm, median of {rounds} rounds (ms):")
    print(f"{'report':<26}{'tables':>8}{'struct':>8}{'numbers':>9}{'claims':>8}{'rules':>8}{'total':>8}")
    for p in reports:
        text = p.read_text(encoding="utf-8")
        stages = {k: [] for k in ("tables", "struct", "numbers", "claims", "rules", "total")}
        for _ in range(rounds):
            clear_caches()  # a new report in a batch shares little with the previous one
            t0 = time.perf_counter()
            style = infer_style(text)
            tables = find_tables(text, style=style)
            t1 = time.perf_counter()
            st = analyse(text, tables)
            t2 = time.perf_counter()
            mentions = scan(text, style=style)
            t3 = time.perf_counter()
            ctx = Context(text, tables, st, mentions)
            nq = [q for q in ctx.quantities if ctx.where(q.start) == "narrative"]
            ctx.observations = narrative_observations(list(st.sentences), nq) + table_observations(tables)
            t4 = time.perf_counter()
            run_rules(ctx, Config())
            t5 = time.perf_counter()
            for k, v in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0)):
                stages[k].append(v * 1000)
        print(f"{p.name:<26}" + "".join(f"{statistics.median(v):>8.1f}" for v in stages.values()))


if __name__ == "__main__":
    main()
