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
    ap.add_argument("--memory", type=int, default=0, metavar="N",
                    help="also audit N reports in a row (cycling through the corpora) and report resident memory")
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

    from auditor.engine import STAGES, audit_text, clear_caches, profile_stages

    for p in reports:
        audit_text(p.read_text(encoding="utf-8"))  # warm the tokenizer
    print(f"warm, median of {rounds} rounds (ms):")
    print(f"{'report':<26}" + "".join(f"{s:>10}" for s in STAGES) + f"{'total':>10}")
    for p in reports:
        text = p.read_text(encoding="utf-8")
        runs = []
        for _ in range(rounds):
            clear_caches()  # a new report in a batch shares little with the previous one
            runs.append(profile_stages(text))
        med = [statistics.median(r[s] for r in runs) for s in STAGES]
        total = statistics.median(sum(r.values()) for r in runs)
        print(f"{p.name:<26}" + "".join(f"{m:>10.1f}" for m in med) + f"{total:>10.1f}")
    if a.memory:
        memory_over_batch(a.memory)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_over_batch(n: int) -> None:
    """Resident memory along a batch of n audits: it must stay flat (no per-report leak)."""
    from auditor.engine import audit_text

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("corpora/**/reports/*"))
             if p.suffix in (".txt", ".md")]
    marks = {}
    t = time.perf_counter()
    for i in range(n):
        audit_text(texts[i % len(texts)])
        if (i + 1) in (n // 10, n // 2, n):
            marks[i + 1] = rss_mb()
    per = (time.perf_counter() - t) / n * 1000
    print(f"batch of {n} audits over {len(texts)} distinct reports: {per:.0f} ms each; resident memory "
          + ", ".join(f"after {k}: {v:.1f} MB" for k, v in marks.items()))


if __name__ == "__main__":
    main()
