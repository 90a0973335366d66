"""Run the auditor CLI with one part switched off, to measure what that part buys.

    python scripts/ablation.py --off frames audit report.txt --format json
    python scripts/score_blind.py corpora/blind6 --cmd "python scripts/ablation.py --off frames"
    python scripts/ablation.py --table        # every part off in turn, on every blind corpus

Parts:
  frames     the POS frames: counted noun, narrowing preposition, a list item's own qualifier
  fuzzy      rapidfuzz: header slips read through, field names matched approximately
  coherence  the arithmetic gate: a relation failing on most rows is reported row by row
  pairing    the learned pairing scorer (scikit-learn): no conflict is demoted to an info item
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("frames", "fuzzy", "coherence", "pairing")


def switch_off(part: str) -> None:
    if part == "frames":
        import auditor.claims as claims
        import auditor.checks.consistency  # noqa: F401 - imports frames.restricted lazily
        import auditor.frames as frames

        frames.counted_noun = lambda text, end: None
        frames.restricted = lambda text, end: False
        frames.restricted_before = lambda text, start: False
        frames.modifies = lambda words: False
        claims.counted_noun = frames.counted_noun
        claims.modifies = frames.modifies
    elif part == "fuzzy":
        from auditor.concepts import Lexicon
        import auditor.checks.consistency as consistency

        Lexicon.header_repair = lambda self, cell: (cell, None)
        consistency.FIELD_MATCH = 101  # only exact field names
    elif part == "coherence":
        import auditor.checks.arithmetic as arithmetic

        arithmetic.coherent = lambda failed, held: failed
        arithmetic.misread = lambda failures, held: False
    elif part == "pairing":
        import auditor.pairing as pairing

        pairing.model = lambda: None
    else:
        raise SystemExit(f"unknown part {part!r}; one of {', '.join(PARTS)}")


def table() -> None:
    corpora = sorted(p for p in (ROOT / "corpora").glob("blind[3-9]") if (p / "gold").is_dir())
    print("| switched off | " + " | ".join(c.name for c in corpora) + " |")
    print("| --- |" + " --- |" * len(corpora))
    for part in ("nothing",) + PARTS:
        cmd = f"{sys.executable} {ROOT / 'scripts' / 'ablation.py'}" + (f" --off {part}" if part != "nothing" else "")
        cells = []
        for c in corpora:
            out = subprocess.run([sys.executable, str(ROOT / "scripts" / "score_blind.py"), str(c), "--cmd", cmd],
                                 capture_output=True, text=True).stdout.strip().splitlines()
            last = out[-1] if out else "?"
            # "Recall 69.2% (9/13); precision 42.3% (11/26); 4 errors/warnings on 3 consistent …"
            import re

            m = re.search(r"\((\d+/\d+)[;)].*?precision [\d.]+% \((\d+/\d+)\); (\d+) errors", last)
            cells.append(f"{m.group(1)} found, {m.group(2)} real, {m.group(3)} on consistent" if m else last)
        print(f"| {part} | " + " | ".join(cells) + " |")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--table"]:
        table()
        return 0
    while argv[:1] == ["--off"]:
        switch_off(argv[1])
        argv = argv[2:]
    from auditor.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
