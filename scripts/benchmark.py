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


if __name__ == "__main__":
    main()
