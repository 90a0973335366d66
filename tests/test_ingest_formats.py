""".docx and .pdf ingest: corpus reports rendered by scripts/render_report.py read back the same.

The txt reports (extracted from .docx) are rendered as a .docx with real Word tables and
merged header cells, and as a .pdf with drawn tables; the flattened text of both must
hold the same table rows, and — once the table parser exists — the same numbers.
"""
from __future__ import annotations

import importlib.util
import io
import re
import sys
import unicodedata
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.ingest import read_document
from auditor.ingest.docx import docx_text
from auditor.ingest.pdf import pdf_text

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpora" / "reports"
NAMES = ["tho-xuong-2024-h1", "bac-son-2024-h1"]


def _load_renderer():
    spec = importlib.util.spec_from_file_location("render_report",
                                                  ROOT / "scripts" / "render_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("render_report", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def renderer():
    return _load_renderer()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, renderer):
    """{name: {"txt": text, "docx": text, "pdf": text, "paths": (docx, pdf)}}, read once."""
    out = tmp_path_factory.mktemp("rendered")
    result = {}
    for name in NAMES:
        docx_path, pdf_path = renderer.render(REPORTS / f"{name}.txt", out)
        result[name] = {
            "txt": (REPORTS / f"{name}.txt").read_text(encoding="utf-8"),
            "docx": read_document(docx_path).text,
            "pdf": read_document(pdf_path).text,
            "paths": (docx_path, pdf_path),
        }
    return result


def table_rows(text: str) -> list[list[str]]:
    """Every tab line as its non-empty cells, whitespace-normalized."""
    rows = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = [" ".join(c.split()) for c in line.split("\t")]
            rows.append([c for c in cells if c])
    return rows


def non_blank_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", NAMES)
def test_docx_and_pdf_hold_the_same_table_rows_as_txt(rendered, name):
    r = rendered[name]
    expected = table_rows(r["txt"])
    assert len(expected) > 20
    assert table_rows(r["docx"]) == expected
    assert table_rows(r["pdf"]) == expected


@pytest.mark.parametrize("name", NAMES)
def test_docx_text_matches_txt_line_for_line(rendered, name):
    # Only blank lines differ: the txt's leading empty paragraph and the page breaks
    # inside tables have no counterpart in the rendered .docx.
    r = rendered[name]
    assert non_blank_lines(r["docx"]) == non_blank_lines(r["txt"])
    assert r["docx"].count("\t") == r["txt"].count("\t")


@pytest.mark.parametrize("name", NAMES)
def test_pdf_text_is_nfc_with_paragraphs_and_blank_line_around_tables(rendered, name):
    text = rendered[name]["pdf"]
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n" in text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\t" in line and i > 0 and "\t" not in lines[i - 1]:
            assert lines[i - 1] == "", f"no blank line before table row {i}: {line!r}"
        if "\t" in line and i + 1 < len(lines) and "\t" not in lines[i + 1]:
            assert lines[i + 1] == "", f"no blank line after table row {i}: {line!r}"
    # The narrative survives (words wrap differently, so compare words).
    words = re.findall(r"\w+", rendered[name]["txt"])
    assert re.findall(r"\w+", text) == words


def test_tho_xuong_merged_header_cells(rendered):
    text = rendered["tho-xuong-2024-h1"]["docx"]
    header = next(line for line in text.split("\n") if line.startswith("STT\t"))
    cells = header.split("\t")
    assert cells[:7] == ["STT", "Lĩnh vực", "Số lượng hồ sơ tiếp nhận", "", "", "",
                         "Số lượng hồ sơ đã giải quyết"]
    assert len(cells) == 14
    assert "TỔNG SỐ" + "\t" * 13 in text.split("\n")


def test_numbers_identical_across_formats(rendered):
    pytest.importorskip("auditor.tables")
    from auditor.tables import find_tables

    for name in NAMES:
        per_format = {}
        for fmt in ("txt", "docx", "pdf"):
            rows = []
            for table in find_tables(rendered[name][fmt]):
                for row in table.rows:
                    values = [c.quantity.value for c in row.cells if c.quantity is not None]
                    if values:
                        rows.append(values)
            per_format[fmt] = rows
        assert per_format["txt"], name
        assert per_format["docx"] == per_format["txt"], name
        assert per_format["pdf"] == per_format["txt"], name


def test_render_script_cli(tmp_path, renderer):
    src = tmp_path / "mini.txt"
    src.write_text("BÁO CÁO\n\nSTT\tNội dung\tSố\n1\tHồ sơ\t12\n\nKết thúc\n", encoding="utf-8")
    assert renderer.main([str(src), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "mini.docx").exists() and (tmp_path / "out" / "mini.pdf").exists()
    assert read_document(tmp_path / "out" / "mini.docx").text == \
        "BÁO CÁO\n\nSTT\tNội dung\tSố\n1\tHồ sơ\t12\n\nKết thúc"
    pdf = read_document(tmp_path / "out" / "mini.pdf").text
    assert "STT\tNội dung\tSố\n1\tHồ sơ\t12" in pdf
    assert pdf.startswith("BÁO CÁO\n\n") and pdf.endswith("\n\nKết thúc")


# ----------------------------------------------------------------- docx structure by hand


def _docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_merges_nesting_and_cell_breaks():
    def build(d):
        d.add_paragraph("Trước bảng")
        d.add_paragraph("")  # empty paragraphs are dropped
        t = d.add_table(rows=3, cols=4)
        t.cell(0, 0).text = "STT"
        t.cell(0, 1).text = "Nhóm"
        t.cell(0, 1).merge(t.cell(0, 3))  # gridSpan = 3
        t.cell(0, 0).merge(t.cell(1, 0))  # vMerge restart + continuation
        for c, v in zip((1, 2, 3), ("A", "B", "C")):
            t.cell(1, c).text = v
        t.cell(2, 0).text = "1"
        cell = t.cell(2, 1)
        cell.text = "dòng một\ndòng hai"  # a <w:br/> inside a cell
        cell.add_paragraph("đoạn hai")
        t.cell(2, 2).text = "5"
        inner = t.cell(2, 3).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "trong"
        inner.cell(0, 1).text = "7"
        d.add_paragraph("Sau bảng\ncó ngắt dòng")
        d.add_paragraph(unicodedata.normalize("NFD", "Hồ sơ được giải quyết"))

    text, warnings = docx_text(_docx_bytes(build), "t.docx")
    assert text == ("Trước bảng\n\n"
                    "STT\tNhóm\t\t\n"
                    "\tA\tB\tC\n"
                    "1\tdòng một dòng hai đoạn hai\t5\t\n"
                    "trong\t7\n\n"
                    "Sau bảng\ncó ngắt dòng\n\n"
                    "Hồ sơ được giải quyết")
    assert unicodedata.is_normalized("NFC", text)
    assert warnings == []


def test_docx_legacy_encoding_warning():
    tcvn3 = ("B¸o c¸o kÕt qu¶ thùc hiÖn c«ng t¸c c¶i c¸ch hµnh chÝnh 6 th¸ng ®Çu n¨m; "
             "tiÕp nhËn 597 hå s¬, ®· gi¶i quyÕt 593 hå s¬ ®óng h¹n.")

    text, warnings = docx_text(_docx_bytes(lambda d: [d.add_paragraph(tcvn3) for _ in range(3)]),
                               "legacy.docx")
    assert "597 hå s¬" in text  # kept as it is
    assert len(warnings) == 1 and "VNI/TCVN3" in warnings[0]
    _, clean = docx_text(_docx_bytes(lambda d: d.add_paragraph(
        "Báo cáo kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm " * 3)), "ok.docx")
    assert clean == []


def test_docx_is_read_through_read_document(rendered):
    docx_path, pdf_path = rendered["tho-xuong-2024-h1"]["paths"]
    doc = read_document(docx_path)
    assert doc.format == "docx" and doc.path == str(docx_path) and doc.warnings == ()
    assert read_document(pdf_path).format == "pdf"


def test_pdf_reader_rejects_non_pdf_bytes():
    with pytest.raises(InputError) as info:
        pdf_text(b"hello, not a pdf at all", "x.pdf")
    assert "x.pdf" in str(info.value) and "PDF" in info.value.reason
