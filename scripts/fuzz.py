"""Seeded mutation fuzzer for `auditor audit` (issue 11): the contract on damaged inputs.

    python scripts/fuzz.py --cases 300 --seed 1            # quick, in process
    python scripts/fuzz.py --cases 2000 --seed 7 --subprocess --timeout 60   # hangs caught by a timeout

Seeds are built here (a .docx with python-docx, a .pdf with reportlab, the corpus .txt
reports) and mutated: docx (XML damage, zip damage, deep nesting, many paragraphs), pdf
(byte flips, truncation, xref and page-tree damage, many pages), text (encodings, control
characters, huge numbers, long lines, many tables). For every case it asserts: no traceback,
exit code in {0, 1, 3}, stdout is valid UTF-8 JSON, and the run ends within the time budget.
A failing case is written to --keep DIR so it can become a regression test.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- seeds ---------------------------------------------------------------------------------

def seed_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN XÃ A")
    d.add_paragraph("Số: 12/BC-UBND")
    d.add_paragraph("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ, đang giải quyết 5 hồ sơ.")
    d.add_paragraph("Ban hành 147 văn bản, cụ thể: 49 báo cáo, 36 công văn, 13 kế hoạch.")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["STT", "Lĩnh vực", "Số hồ sơ"], ["1", "Hộ tịch", "143"], ["", "Tổng cộng", "150"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def seed_pdf(pages: int = 2) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for p in range(pages):
        c.drawString(72, 760, "Tiep nhan 597 ho so, da giai quyet 593 ho so, dang giai quyet 5 ho so.")
        for i in range(6):
            c.drawString(72, 700 - 20 * i, f"{i + 1}\tHo tich\t{100 + i}\t{90 + i}")
        c.line(70, 500, 400, 500)
        c.showPage()
    c.save()
    return buf.getvalue()


def seed_texts() -> list[bytes]:
    files = sorted((ROOT / "corpora").glob("**/reports/*.txt")) + sorted((ROOT / "corpora").glob("**/reports/*.md"))
    out = [p.read_bytes()[:20000] for p in files[:8]]
    return out or ["Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ.".encode()]


# --- mutations -------------------------------------------------------------------------------

def flip_bytes(rng: random.Random, data: bytes, n: int | None = None) -> bytes:
    b = bytearray(data)
    for _ in range(n or rng.randint(1, 20)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def make_zip(members: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    import warnings

    buf = io.BytesIO()
    items = members.items() if isinstance(members, dict) else members
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in items:
                zf.writestr(name, body)
    return buf.getvalue()


def mutate_docx(rng: random.Random, seed: bytes) -> tuple[str, bytes]:
    members = zip_members(seed)
    doc = members["word/document.xml"].decode("utf-8")
    kind = rng.choice(["xml-flip", "xml-cut", "xml-tag", "no-body", "zip-flip", "zip-cut", "nesting",
                       "paragraphs", "dup-entry", "drop-member", "entity", "huge-span", "nul"])
    if kind == "xml-flip":
        members["word/document.xml"] = flip_bytes(rng, doc.encode())
    elif kind == "xml-cut":
        members["word/document.xml"] = doc.encode()[: rng.randrange(len(doc))]
    elif kind == "xml-tag":
        tags = re.findall(r"</?w:\w+", doc)
        for _ in range(rng.randint(1, 5)):
            t = rng.choice(tags)
            doc = doc.replace(t, rng.choice(["<w:tbl", "<w:p", "</w:tc", "<w:sdt", "<w:zz", t + "x"]), 1)
        members["word/document.xml"] = doc.encode()
    elif kind == "no-body":
        members["word/document.xml"] = re.sub(r"<w:body>.*</w:body>", "", doc, flags=re.S).encode()
    elif kind == "zip-flip":
        return kind, flip_bytes(rng, seed)
    elif kind == "zip-cut":
        return kind, seed[: rng.randrange(len(seed))]
    elif kind == "nesting":
        depth = rng.choice([5, 50, 300, 3000])
        inner = "<w:p><w:r><w:t>5 hồ sơ</w:t></w:r></w:p>"
        cell = inner
        for _ in range(depth):
            cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl><w:p/>"
        members["word/document.xml"] = doc.replace("<w:body>", "<w:body>" + cell, 1).encode()
    elif kind == "paragraphs":
        n = rng.choice([100, 2000, 6000])
        body = "".join(f"<w:p><w:r><w:t>{i}. Tiếp nhận {i % 97} hồ sơ</w:t></w:r></w:p>" for i in range(n))
        members["word/document.xml"] = doc.replace("<w:body>", "<w:body>" + body, 1).encode()
    elif kind == "dup-entry":
        return kind, make_zip(list(members.items()) + [("word/document.xml", members["word/document.xml"])])
    elif kind == "drop-member":
        members.pop(rng.choice(sorted(members)))
    elif kind == "entity":
        members["word/document.xml"] = doc.replace(
            "?>", '?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1
        ).replace("597", "&b;").encode()
    elif kind == "huge-span":
        members["word/document.xml"] = doc.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="99999999999"/>', 1) \
            .replace("<w:tc>", '<w:tc><w:tcPr><w:vMerge w:val="x"/><w:gridSpan w:val="-3"/></w:tcPr>', 1).encode()
    else:
        members["word/document.xml"] = doc.replace("597", "5\x0197").encode()
    return kind, make_zip(members)


def mutate_pdf(rng: random.Random, seeds: dict) -> tuple[str, bytes]:
    seed = seeds["pdf"]
    kind = rng.choice(["flip", "flip-many", "truncate", "xref", "page-tree", "mediabox", "many-pages",
                       "stream-length", "startxref", "count", "nul-stream"])
    if kind == "flip":
        return kind, flip_bytes(rng, seed, rng.randint(1, 5))
    if kind == "flip-many":
        return kind, flip_bytes(rng, seed, rng.randint(20, 300))
    if kind == "truncate":
        cut = seed[: rng.randrange(len(seed))]
        return kind, cut + (b"\n%%EOF\n" if rng.random() < 0.5 else b"")
    if kind == "xref":
        i = seed.find(b"xref")
        return kind, seed[:i] + flip_bytes(rng, seed[i:i + 200], 10) + seed[i + 200:]
    if kind == "page-tree":
        return kind, seed.replace(rng.choice([b"/Kids", b"/Type /Page", b"/Parent", b"/Pages"]),
                                  rng.choice([b"/Kidz", b"/Type /Pagez", b"/Foo", b"/Kids"]))
    if kind == "mediabox":
        return kind, re.sub(rb"/MediaBox \[[^\]]*\]",
                            rng.choice([b"/MediaBax [0 0 1 1]", b"/MediaBox [ /Foo 0 1 1 ]", b"/MediaBox [0 0]",
                                        b"/MediaBox (x)", b"/MediaBox [0 0 1e999 1]"]), seed)
    if kind == "many-pages":
        return kind, seeds["pdf-many"]
    if kind == "stream-length":
        return kind, re.sub(rb"/Length \d+", b"/Length " + str(rng.choice([0, 1, 99999999, -5])).encode(), seed, 1)
    if kind == "startxref":
        return kind, re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rng.randint(0, 10**9)).encode(), seed)
    if kind == "count":
        return kind, re.sub(rb"/Count \d+", rng.choice([b"/Count 999999", b"/Count -1", b"/Count /X"]), seed)
    return kind, seed.replace(b"stream", b"stream\x00\x00", 1)


def mutate_text(rng: random.Random, seeds: dict) -> tuple[str, bytes]:
    base = rng.choice(seeds["txt"]).decode("utf-8", "replace")
    kind = rng.choice(["encoding", "control", "huge-numbers", "long-line", "many-tables", "flip", "nfd",
                       "numbers-soup", "pipes", "header", "parens", "lines"])
    if kind == "encoding":
        enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "cp1258", "latin-1", "utf-32", "utf-8-sig"])
        return kind, base.encode(enc, "replace")
    if kind == "control":
        chars = list(base)
        for _ in range(rng.randint(1, 200)):
            chars.insert(rng.randrange(len(chars) + 1), chr(rng.choice([0, 1, 7, 8, 11, 12, 13, 27, 127, 0x85,
                                                                       0x2028, 0x200b, 0xfeff, 0xd7ff])))
        return kind, "".join(chars).encode("utf-8")
    if kind == "huge-numbers":
        big = "9" * rng.choice([20, 400, 5000])
        forms = [f"{big}/{big} hồ sơ", f"{big}%", f"{big},5 hồ sơ", f"ngày {big}/{big}/{big}", f"{big}.{big}",
                 f"1e{big}", f"từ {big} đến {big} hồ sơ", f"Số: {big}/BC-UBND"]
        return kind, (base[:3000] + "\n" + " ".join(rng.sample(forms, 3)) + "\n").encode()
    if kind == "long-line":
        return kind, (rng.choice(["1 ", "a", "Tiếp nhận 5 hồ sơ; ", "(", "\t5", "1.", ",5"]) * rng.randint(1000, 40000)).encode()
    if kind == "many-tables":
        n = rng.randint(10, 400)
        return kind, "".join(f"STT\tLĩnh vực\tSố hồ sơ\n1\tHộ tịch\t{i}\n\tTổng cộng\t{i + 1}\n\nĐoạn {i}.\n\n"
                             for i in range(n)).encode()
    if kind == "flip":
        return kind, flip_bytes(rng, base.encode("utf-8"), rng.randint(1, 100))
    if kind == "nfd":
        import unicodedata

        return kind, unicodedata.normalize("NFD", base).encode()
    if kind == "numbers-soup":
        return kind, "".join(rng.choice(["1", "2", ".", ",", "/", "%", " ", "\n", "\t", "-", "(", ")", "hồ sơ ",
                                         "trong đó ", "gồm "]) for _ in range(rng.randint(100, 8000))).encode()
    if kind == "pipes":
        return kind, ("| a | b |\n|---|---|\n" + "".join(f"| {i} | {'|' * rng.randint(0, 3)} {i} |\n"
                                                           for i in range(rng.randint(10, 2000)))).encode()
    if kind == "header":
        return kind, (rng.choice(["Số: /\0BC\n", "Số:" + " " * 5000 + "x\n", "Số: 12/\0BC-UBND\n", "Số:\n"])
                      + base[:2000]).encode()
    if kind == "parens":
        return kind, ("Tổng 20 người (" * rng.randint(10, 3000) + ")" * rng.randint(0, 50)).encode()
    return kind, ("1\n" * rng.randint(100, 8000)).encode()


# --- running ------------------------------------------------------------------------------------

def check_output(code: int, out: str, err: str) -> str | None:
    """None when the contract holds, else what broke."""
    if "Traceback (most recent call last)" in out + err:
        return "traceback"
    if code not in (0, 1, 3):
        return f"exit {code}"
    try:
        out.encode("utf-8")
        json.loads(out)
    except (UnicodeError, ValueError) as exc:
        return f"invalid JSON output: {type(exc).__name__}"
    if "object at 0x" in out + err:
        return "Python repr in a message"
    return None


def run_in_process(path: str) -> tuple[int, str, str]:
    from auditor.cli import main

    out, err = io.StringIO(), io.StringIO()
    try:
        code = main(["audit", path, "--format", "json"], out, err)
    except BaseException as exc:  # noqa: BLE001 - exactly what the fuzzer looks for
        import traceback

        return 99, out.getvalue(), err.getvalue() + "Traceback (most recent call last):\n" + \
            "".join(traceback.format_exception(exc))
    return code, out.getvalue(), err.getvalue()


def run_subprocess(path: str, timeout: float) -> tuple[int, str, str] | None:
    try:
        p = subprocess.run([sys.executable, "-m", "auditor", "audit", path, "--format", "json"],
                           capture_output=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "replace")


def make_case(rng: random.Random, seeds: dict) -> tuple[str, str, bytes]:
    family = rng.choice(["docx", "pdf", "txt", "md"])
    if family == "docx":
        kind, data = mutate_docx(rng, seeds["docx"])
        return "docx", kind, data
    if family == "pdf":
        kind, data = mutate_pdf(rng, seeds)
        return "pdf", kind, data
    kind, data = mutate_text(rng, seeds)
    return family, kind, data


def fuzz(cases: int, seed: int, *, subprocess_mode: bool = False, timeout: float = 60.0,
         budget: float = 30.0, keep: str | None = None, verbose: bool = False) -> dict:
    """Run `cases` mutated inputs; return counts and the failures."""
    rng = random.Random(seed)
    seeds = {"docx": seed_docx(), "pdf": seed_pdf(), "pdf-many": seed_pdf(pages=120), "txt": seed_texts()}
    stats = {"cases": 0, "tracebacks": 0, "hangs": 0, "invalid": 0, "slow": 0, "exit": {}, "failures": [],
             "seconds": 0.0}
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(cases):
            family, kind, data = make_case(rng, seeds)
            path = os.path.join(tmp, f"case-{i}.{family}")
            with open(path, "wb") as f:
                f.write(data)
            t = time.perf_counter()
            res = run_subprocess(path, timeout) if subprocess_mode else run_in_process(path)
            took = time.perf_counter() - t
            stats["cases"] += 1
            problem = None
            if res is None:
                stats["hangs"] += 1
                problem = f"hang > {timeout:.0f} s"
            else:
                code, out, err = res
                stats["exit"][code] = stats["exit"].get(code, 0) + 1
                problem = check_output(code, out, err)
                if problem == "traceback" or (problem or "").startswith("exit"):
                    stats["tracebacks"] += 1
                elif problem:
                    stats["invalid"] += 1
                if problem is None and took > budget:
                    stats["slow"] += 1
                    problem = f"slow: {took:.1f} s > {budget:.0f} s"
            if verbose:
                print(f"{i:5} {family:<4} {kind:<14} {took:6.2f}s {res[0] if res else 'hang'} {problem or ''}",
                      flush=True)
            if problem:
                stats["failures"].append({"case": i, "family": family, "kind": kind, "problem": problem,
                                          "detail": (res[2][-600:] if res else "")})
                if keep:
                    os.makedirs(keep, exist_ok=True)
                    Path(keep, f"case-{seed}-{i}-{kind}.{family}").write_bytes(data)
            os.unlink(path)
    stats["seconds"] = round(time.perf_counter() - t_all, 1)
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--subprocess", action="store_true", help="one process per case, killed after --timeout")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--budget", type=float, default=30.0, help="seconds a case may take before it counts as slow")
    ap.add_argument("--keep", default=None, help="write failing inputs to this folder")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    stats = fuzz(a.cases, a.seed, subprocess_mode=a.subprocess, timeout=a.timeout, budget=a.budget,
                 keep=a.keep, verbose=a.verbose)
    for f in stats["failures"]:
        print(f"FAIL case {f['case']} {f['family']}/{f['kind']}: {f['problem']}\n{f['detail']}")
    print(f"{stats['cases']} cases in {stats['seconds']} s: {stats['tracebacks']} tracebacks, {stats['hangs']} hangs, "
          f"{stats['invalid']} invalid outputs, {stats['slow']} slow; exit codes {dict(sorted(stats['exit'].items()))}")
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
