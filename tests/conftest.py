from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


@pytest.fixture(scope="session")
def corpora() -> Path:
    return CORPORA


def report_text(name: str) -> str:
    return (CORPORA / "reports" / f"{name}.txt").read_text(encoding="utf-8")
