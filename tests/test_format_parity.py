"""End to end: a report rendered as .docx (real Word tables) and .pdf (drawn tables) gives
the same findings as its .txt, rule by rule and value by value."""
import subprocess
import sys

import pytest

from auditor.engine import audit_text
from auditor.ingest import read_document
from tests.conftest import CORPORA, ROOT


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("rendered")
    src = CORPORA / "reports" / "bac-son-2024-h1.txt"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "render_report.py"), str(src), "--out", str(out)],
                   check=True, capture_output=True)
    return src, out / "bac-son-2024-h1.docx", out / "bac-son-2024-h1.pdf"


def signature(path):
    doc = read_document(path)
    return sorted((f.rule, f.severity.value, str(f.stated), str(f.expected)) for f in audit_text(doc.text))


def test_docx_and_pdf_give_the_txt_findings(rendered):
    txt, docx, pdf = rendered
    expected = signature(txt)
    assert any(rule == "AUD301" for rule, *_ in expected)
    assert signature(docx) == expected
    assert signature(pdf) == expected
