"""The quick seeded fuzz run of issue 11, part of CI: a few hundred mutated docx, pdf and
text inputs, each checked for no traceback, an exit code in {0, 1, 3}, valid JSON and a
run within the time budget. The long run (≥ 2,000 cases) is `python scripts/fuzz.py
--cases 3000 --seed 7`."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_seeded_fuzz_run():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from fuzz import fuzz
    finally:
        sys.path.pop(0)
    stats = fuzz(300, seed=1, budget=30.0)
    assert stats["cases"] == 300
    assert not stats["failures"], stats["failures"][:3]
