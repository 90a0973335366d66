"""Speed benchmark (not a timed test): per-report and per-stage cost, cold and warm.

    python scripts/benchmark.py            # full: every corpus report, 20 warm rounds
    python scripts/benchmark.py --quick    # CI: 3 rounds
    python scripts/benchmark.py --scale    # pathological inputs at N, 2N, 4N: growth per doubling
    python scripts/benchmark.py --scale --factor 0.25 --only ones,dots   # smaller, a subset

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
    ap.add_argument("--scale", action="store_true",
                    help="time each pathological input at N, 2N and 4N and print the growth per doubling")
    ap.add_argument("--factor", type=float, default=1.0, help="with --scale: multiply every N by this")
    ap.add_argument("--only", default="", help="with --scale: comma-separated input names")
    a = ap.parse_args()
    if a.scale:
        sys.exit(scale(a.factor, [x for x in a.only.split(",") if x]))
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


# --- growth with input size (issue 11) -----------------------------------------------------------

def _docx_with_paragraphs(n: int) -> bytes:
    """A real .docx (python-docx's template) whose body is n short paragraphs."""
    import io
    import zipfile

    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{i}. Tiếp nhận {i % 97} hồ sơ.</w:t></w:r></w:p>" for i in range(1, n + 1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{w}">'
           f"<w:body>{body}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = xml.encode("utf-8") if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()


def pdf_with_text_ops(n: int, per_page: int = 60_000) -> bytes:
    """A hand-written PDF: n text-showing operations (Tj), at most `per_page` on one page."""
    pages = []
    left = n
    while left > 0:
        k = min(left, per_page)
        ops = []
        for i in range(k):
            x, y = 40 + (i % 12) * 45, 800 - (i // 12) % 380 * 2
            ops.append(f"1 0 0 1 {x} {y} Tm ({i % 1000}) Tj")
        pages.append(("BT /F1 2 Tf\n" + "\n".join(ops) + "\nET\n").encode("ascii"))
        left -= k
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for stream in pages:
        content = len(objs) + 1
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(len(objs) + 1)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids).encode(), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# name → (N, file suffix, generator of the input at size n). N is the size the issue timed, or
# a quarter of it where 4N is that size (the 2 MB line, the 20,000-line list, the 300,000 ops).
PATHOLOGICAL = {
    "ones": (8_000, ".txt", lambda n: ("1\n" * n).encode()),
    "dots": (4_000, ".txt", lambda n: ("1. " * n).encode()),
    "tabs": (4_000, ".txt", lambda n: ("\t".join(str(i % 1000) for i in range(n)) + "\n").encode()),
    "docx": (5_000, ".docx", _docx_with_paragraphs),
    "line": (500_000, ".txt",
             lambda n: ("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ và 4 hồ sơ đang giải quyết; "
                        * (n // 70 + 1)).encode()[:n].decode("utf-8", "ignore").encode()),
    "list": (5_000, ".txt",
             lambda n: "".join(f"{i}. Nhiệm vụ {i}: đã tiếp nhận {i % 50} hồ sơ\n" for i in range(1, n + 1)).encode()),
    "pdf": (75_000, ".pdf", pdf_with_text_ops),
    "huge": (50 * 2**20, ".txt", lambda n: (b"Ti\xe1\xba\xbfp nh\xe1\xba\xadn 597 h\xe1\xbb\x93 s\xc6\xa1. " * (n // 34 + 1))[:n]),
}


def _time_audit(path: str) -> tuple[float, int]:
    """Seconds for one in-process `auditor audit PATH --format json`, and its exit code."""
    import io

    from auditor.cli import main

    t = time.perf_counter()
    code = main(["audit", path, "--format", "json"], io.StringIO(), io.StringIO())
    return time.perf_counter() - t, code


def scale(factor: float = 1.0, only: list[str] | None = None) -> int:
    """Time every pathological input at N, 2N and 4N; print the growth ratio per doubling.

    Linear work gives about 2.0 per doubling, quadratic 4.0. An input the byte cap refuses
    (exit 3) is timed too: refusing must stay fast whatever the size."""
    import tempfile

    from auditor.engine import audit_text

    audit_text("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ.")  # load the tokenizer once
    print(f"{'input':<6}{'N':>10}{'t(N) s':>10}{'t(2N) s':>10}{'t(4N) s':>10}{'growth':>14}  exit")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (n, suffix, make) in PATHOLOGICAL.items():
            if only and name not in only:
                continue
            n = max(1, int(n * factor))
            times, codes = [], []
            for k in (1, 2, 4):
                path = os.path.join(tmp, f"{name}-{k}{suffix}")
                with open(path, "wb") as f:
                    f.write(make(n * k))
                sec, code = _time_audit(path)
                os.unlink(path)
                times.append(sec)
                codes.append(code)
            growth = [b / max(a, 1e-3) for a, b in zip(times, times[1:])]
            if min(times) > 0.05:  # below that the ratio is noise
                worst = max(worst, *growth)
            print(f"{name:<6}{n:>10}" + "".join(f"{t:>10.2f}" for t in times)
                  + f"{growth[0]:>7.2f}{growth[1]:>7.2f}  {','.join(map(str, sorted(set(codes))))}", flush=True)
    print(f"worst growth per doubling: {worst:.2f} (goal <= 2.2)")
    return 0


if __name__ == "__main__":
    main()
