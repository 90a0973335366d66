"""Speed benchmark (not a timed test): per-report and per-stage cost, cold and warm.

    python scripts/benchmark.py            # full: every corpus report, 20 warm rounds
    python scripts/benchmark.py --quick    # CI: 3 rounds
    python scripts/benchmark.py --scale    # pathological inputs at N, 2N, 4N: growth per doubling
    python scripts/benchmark.py --scale --factor 0.25 --only ones,dots   # smaller, a subset
    python scripts/benchmark.py --batch    # 200 files (one hangs, one crashes), --jobs 1 and 2

Prints the machine, the cold `auditor audit` wall time next to a bare `import underthesea`,
and warm per-stage medians in milliseconds. --batch prints what a worker costs to start,
the per-report cost and total time of `auditor audit DIR --format json` with --jobs 1 and
--jobs 2, and what a year of a province's reports would take.
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
    ap.add_argument("--batch", action="store_true",
                    help="audit a folder of 200 report files (one hangs, one crashes) with --jobs 1 and 2")
    ap.add_argument("--batch-timeout", type=float, default=10.0, metavar="S",
                    help="with --batch: the --timeout that stops the hanging file (default 10)")
    ap.add_argument("--reports-per-year", type=int, default=700, metavar="N",
                    help="with --batch: reports a province receives in a year (default 700, see README)")
    ap.add_argument("--rounds", type=int, default=1, metavar="N",
                    help="with --batch: run every configuration N times and keep the fastest (default 1)")
    a = ap.parse_args()
    if a.batch:
        sys.exit(batch(a.batch_timeout, a.reports_per_year, a.rounds))
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


# --- a batch of 200 files in worker processes (issue 10) ------------------------------------------

BATCH_SIZE = 200
HANG, CRASH = "zz-treo.txt", "zz-loi.txt"  # the file that hangs, the one whose worker dies


def build_batch_folder(out: Path, size: int = BATCH_SIZE) -> dict[str, int]:
    """`size` report files in `out`: every corpus report (txt, md, docx, docx + xlsx appendix,
    html; the 40 planted variants of the real reports), .docx and .pdf renderings of the
    tab-layout .txt reports (scripts/render_report.py), copies of reports under a second name
    up to size - 2, then one file that hangs and one whose worker crashes
    (tests/batch_hooks.py). Returns how many files of each kind."""
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location("render_report", ROOT / "scripts" / "render_report.py")
    render = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_report", render)  # its dataclasses look their module up
    spec.loader.exec_module(render)
    out.mkdir(parents=True, exist_ok=True)
    kinds = {"corpus": 0, "rendered": 0, "copies": 0, "faults": 2}
    sources = sorted(p for p in ROOT.glob("corpora/*/reports/*") if p.is_file())
    for p in sources:
        shutil.copy(p, out / f"{p.parent.parent.name}-{p.name}")
        kinds["corpus"] += 1
    room = size - 2 - kinds["corpus"]
    tabbed = [p for p in sources if p.suffix == ".txt" and p.parent.parent.name in
              ("reports", "synthetic", "heldout", "blind", "blind2", "blind6", "blind7")]
    tmp = out / ".render"
    for p in tabbed:
        if room < 2:
            break
        try:
            docx_path, pdf_path = render.render(p, tmp)
        except Exception:  # noqa: BLE001 - a layout the renderer does not take: skip it
            continue
        for made in (docx_path, pdf_path):
            made.rename(out / f"{p.parent.parent.name}-{made.stem}-ban-in{made.suffix}")
        kinds["rendered"] += 2
        room -= 2
    shutil.rmtree(tmp, ignore_errors=True)
    plain = [p for p in sources if p.suffix in (".txt", ".md", ".html")]
    i = 0
    while room > 0:
        p = plain[i % len(plain)]
        shutil.copy(p, out / f"{p.parent.parent.name}-{p.stem}-gui-lai-{i // len(plain) + 1}{p.suffix}")
        kinds["copies"] += 1
        room -= 1
        i += 1
    real = ROOT / "corpora" / "reports" / "bac-son-2024-h1.txt"
    shutil.copy(real, out / HANG)
    shutil.copy(real, out / CRASH)
    return kinds


def worker_start_cost() -> dict[str, float]:
    """Seconds to start a worker and audit one short report: spawned (it imports the pipeline
    and loads the models itself) and forked from a warm parent (what `auditor audit` does)."""
    import multiprocessing
    import tempfile

    from auditor import runner
    from auditor.engine import Config

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "a.txt")
        Path(path).write_text("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ.\n", encoding="utf-8")
        job, settings = runner.Job(0, path), runner.Settings(Config())
        out = {}
        for method in ("spawn", "warm-up", "fork"):
            t = time.perf_counter()
            if method == "warm-up":
                runner.warm_up()
            else:
                w = runner._Worker(multiprocessing.get_context(method), settings)
                w.give(job, None)
                assert w.conn.recv().view is not None
                w.stop()
            out[method] = time.perf_counter() - t
    return out


def _busy(n: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i * i
    return time.perf_counter() - t


def parallel_capacity(n: int = 5_000_000) -> float:
    """How many cores two CPU-bound processes get right now: 2 on an idle 2-core machine,
    about 1 when other work holds a core (the --jobs 2 figures depend on it)."""
    import multiprocessing

    alone = min(_busy(n) for _ in range(2))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_busy, [n, n])
        both = time.perf_counter() - t
    return 2 * alone / both


def _audit_folder(folder: Path, jobs: int, extra: list[str], env: dict) -> dict:
    """One cold `auditor audit FOLDER --format json --jobs N`: wall and CPU seconds (the
    command and its workers), exit code, the JSON with paths made relative, the errors."""
    import json
    import resource

    cmd = [sys.executable, "-m", "tests.batch_hooks", "audit", str(folder), "--format", "json",
           "--jobs", str(jobs), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    sec = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    docs = json.loads(proc.stdout)
    for d in docs:
        d["source"]["path"] = os.path.relpath(d["source"]["path"], folder)
        if "error" in d:
            d["error"] = d["error"].replace(f"{folder}{os.sep}", "")
    return {"sec": sec, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "code": proc.returncode, "docs": docs, "n": len(docs),
            "errors": {d["source"]["path"]: d["error"] for d in docs if "error" in d}}


def batch(timeout: float, per_year: int, rounds: int = 1) -> int:
    import shutil
    import tempfile

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    cost = worker_start_cost()
    print(f"worker start + one short report: spawned {cost['spawn']:.2f} s (it imports the pipeline and loads "
          f"the models); forked from the parent {1000 * cost['fork']:.0f} ms (models inherited, loaded once "
          f"by the parent's warm-up: {cost['warm-up']:.2f} s)")
    tmp = Path(tempfile.mkdtemp(prefix="auditor-batch-"))
    try:
        clean, full = tmp / "clean", tmp / "full"
        kinds = build_batch_folder(full)
        shutil.copytree(full, clean, ignore=shutil.ignore_patterns(HANG, CRASH))
        suffixes: dict[str, int] = {}
        for p in full.iterdir():
            suffixes[p.suffix] = suffixes.get(p.suffix, 0) + 1
        print(f"folder: {sum(suffixes.values())} files ({', '.join(f'{n} {s}' for s, n in sorted(suffixes.items()))}): "
              f"{kinds['corpus']} corpus files, {kinds['rendered']} .docx/.pdf renderings, {kinds['copies']} "
              f"copies sent a second time, 1 that hangs ({HANG}), 1 whose worker crashes ({CRASH}); the .xlsx "
              "are appendices read with their report")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "AUDITOR_TEST_FAULTS": f"hang:{HANG},die:{CRASH}"}
        runs: dict[tuple[int, str], list[dict]] = {}
        capacity = []
        for _ in range(rounds):
            capacity.append(parallel_capacity())
            for jobs in (1, 2):
                for name, folder, extra in (("clean", clean, []),
                                            ("faults", full, ["--timeout", f"{timeout:g}"])):
                    runs.setdefault((jobs, name), []).append(_audit_folder(folder, jobs, extra, env))
        print(f"cores two busy processes got while measuring: {', '.join(f'{c:.1f}' for c in capacity)} "
              "(2.0 on an idle machine)")
        print(f"\n{'jobs':>4}  {'folder':<7}{'reports':>8}{'total s':>9}{'per report ms':>15}{'CPU s':>8}  exit  "
              f"{'every round, s':<16}errors")
        best = {k: min(v, key=lambda r: r["sec"]) for k, v in runs.items()}
        for (jobs, name), r in best.items():
            errs = "; ".join(f"{k}: {v[:60]}…" for k, v in sorted(r["errors"].items())) or "—"
            every = " ".join(f"{x['sec']:.1f}" for x in runs[(jobs, name)])
            print(f"{jobs:>4}  {name:<7}{r['n']:>8}{r['sec']:>9.1f}{1000 * r['sec'] / r['n']:>15.0f}"
                  f"{r['cpu']:>8.1f}  {r['code']:>4}  {every:<16}{errs}")
        same = all(r["docs"] == runs[(1, name)][0]["docs"] for (_, name), rs in runs.items() for r in rs)
        survived = all(set(r["errors"]) == {HANG, CRASH} and r["code"] == 3
                       for (_, name), rs in runs.items() if name == "faults" for r in rs)
        print(f"\nJSON identical for --jobs 1 and --jobs 2 in every round: {'yes' if same else 'NO'}; the batch "
              f"went past the hanging and the crashing file (both reported, exit 3): {'yes' if survived else 'NO'}")
        for jobs in (1, 2):
            r = best[(jobs, "clean")]
            year = per_year * r["sec"] / r["n"]
            print(f"--jobs {jobs}: {1000 * r['sec'] / r['n']:.0f} ms per report all in (start-up, reading, audit, "
                  f"JSON; {1000 * r['cpu'] / r['n']:.0f} ms CPU); {per_year} reports (a province's year) "
                  f"≈ {year / 60:.1f} min")
        return 0 if same and survived else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
