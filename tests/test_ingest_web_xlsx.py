"""Saved web pages, .xlsx appendices, and a report audited with its appendix file."""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from auditor.cli import main
from auditor.engine import Config, audit_text
from auditor.errors import InputError
from auditor.ingest import read_document
from auditor.ingest.bundle import appendix_beside, belongs_to
from auditor.ingest.html import html_text
from auditor.ingest.xlsx import number_text, xlsx_text
from auditor.tables import find_tables
from tests.xlsx_support import with_cached_value

ROOT = Path(__file__).resolve().parents[1]
REPORT = (ROOT / "corpora" / "reports" / "tho-xuong-2024-h1.txt").read_text(encoding="utf-8")

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trang xã</title>
<style>p {color: red}</style><script>var x = "1.290 hồ sơ";</script></head>
<body><h2>I. KẾT QUẢ</h2><p>Tiếp nhận <b>1.290</b> hồ sơ,<br>đã giải quyết 1.280 hồ sơ.</p>
<table>
<caption>Biểu mẫu số 02</caption>
<thead>
<tr><th rowspan="2">STT</th><th rowspan="2">Lĩnh vực</th><th colspan="3">Số hồ sơ</th></tr>
<tr><th>Tổng số</th><th>Đã giải quyết</th><th>Đang giải quyết</th></tr>
</thead>
<tbody>
<tr><td>1</td><td>Hộ tịch</td><td><b>900</b></td><td>895</td><td>5</td></tr>
<tr><td>2</td><td>Chứng thực <i>(bản sao)</i></td><td>390</td><td>385</td><td>5</td></tr>
<tr><td></td><td><b>Tổng cộng</b></td><td>1.290</td><td>1.280</td><td>10</td></tr>
</tbody></table>
<p>Nơi nhận:&nbsp;UBND huyện.</p></body></html>"""


def test_html_tables_are_laid_out_on_their_grid():
    text, warnings = html_text(PAGE.encode("utf-8"), "p.html")
    lines = text.splitlines()
    assert "var x" not in text and "color" not in text  # script and style are not text
    assert "Tiếp nhận 1.290 hồ sơ," in lines and "đã giải quyết 1.280 hồ sơ." in lines  # <br> ends a line
    assert "Biểu mẫu số 02" in lines
    assert "STT\tLĩnh vực\tSố hồ sơ\t\t" in lines  # colspan keeps its text in the first column
    assert "\t\tTổng số\tĐã giải quyết\tĐang giải quyết" in lines  # rowspan leaves the columns below empty
    assert "2\tChứng thực (bản sao)\t390\t385\t5" in lines
    assert "Nơi nhận: UBND huyện." in lines  # &nbsp; is a space
    tables = find_tables(text)
    assert tables and any(r.label.startswith("Tổng cộng") for r in tables[-1].rows)


def test_html_declared_charset_and_broken_markup():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head>' \
           "<body><p>S\xf4\u0301 h\xf4\u0300 s\u01a1: 5<table><tr><td>1<td>2</table>"
    text, _ = html_text(page.encode("cp1258", errors="ignore"), "p.htm")
    assert "1\t2" in text  # unclosed <td> and <table> are closed as a browser closes them


def test_html_nested_table_rows_come_after_their_row():
    page = "<table><tr><td>A</td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr>" \
           "<tr><td>B</td><td>C</td></tr></table>"
    lines = [ln for ln in html_text(page.encode(), "n.html")[0].splitlines() if ln]
    assert lines == ["A\t", "x\ty", "B\tC"]


def test_html_through_read_document(tmp_path):
    p = tmp_path / "bao-cao.html"
    p.write_text(PAGE, encoding="utf-8")
    doc = read_document(p)
    assert doc.format == "html" and "1.290" in doc.text


@pytest.mark.parametrize("value,percent,shown", [(1290, False, "1290"), (99.5, False, "99,5"),
                                                  (0.995, True, "99,5%"), (1.0, True, "100%"),
                                                  (294.196, False, "294,196")])
def test_xlsx_numbers_are_written_the_vietnamese_way(value, percent, shown):
    assert number_text(value, percent) == shown


def _workbook(total="=SUM(C4:C5)") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 02"
    ws.append(["Biểu mẫu số 02: Kết quả giải quyết TTHC"])
    ws.append([])
    ws.append(["STT", "Lĩnh vực", "Số hồ sơ", "Tỷ lệ"])
    ws.append([1, "Hộ tịch", 80, 0.5])
    ws.append([2, "Chứng thực", 60, 0.375])
    ws.append([None, "Tổng cộng", total, "=(C4+C5)/C6"])
    ws.merge_cells("A1:D1")
    for r in (4, 5, 6):
        ws[f"D{r}"].number_format = "0.0%"
    hidden = wb.create_sheet("Nháp")
    hidden.sheet_state = "hidden"
    hidden.append(["không đọc"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formulas_without_cached_values_are_computed():
    text, warnings, checks = xlsx_text(_workbook(), "b.xlsx")
    lines = text.splitlines()
    assert lines[0] == "Biểu 02" and "không đọc" not in text  # hidden sheets are not the appendix
    assert "1\tHộ tịch\t80\t50%" in lines
    assert "\tTổng cộng\t140\t100%" in lines
    assert checks == () and any("tự tính" in w for w in warnings)


def test_xlsx_cached_value_that_is_not_its_formula_is_aud410(tmp_path):
    data = with_cached_value(_workbook(), "C6", "150")
    text, _, checks = xlsx_text(data, "b.xlsx")
    assert "\tTổng cộng\t150\t" in text  # the reader shows what Excel shows
    (c,) = checks
    assert (c.ref, c.cached, c.computed) == ("C6", 150.0, 140.0) and text[c.start:c.end] == "150"
    found = audit_text(text, Config(select=("AUD410",)), formula_checks=checks)
    assert [f.rule for f in found] == ["AUD410"] and found[0].expected == 140
    assert "=SUM(C4:C5)" in found[0].message


def test_xlsx_unreadable_is_an_input_error(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError):
        read_document(p)


def test_appendix_naming():
    assert belongs_to("d/bao-cao-phu-luc.xlsx", "d/bao-cao.docx")
    assert belongs_to("d/bao-cao (bieu mau).xlsx", "d/bao-cao.docx")
    assert not belongs_to("d/bao-cao-2.docx", "d/bao-cao.docx")  # only .xlsx is an appendix file
    assert not belongs_to("d/bao-caox.xlsx", "d/bao-cao.docx")
    assert not belongs_to("e/bao-cao-phu-luc.xlsx", "d/bao-cao.docx")


def _split_report(tmp_path) -> tuple[Path, Path]:
    """The shared report's narrative as .txt and its results table as an .xlsx beside it."""
    narrative = REPORT.split("\nSTT\t")[0]
    rep = tmp_path / "xa.txt"
    rep.write_text(narrative, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    for line in REPORT[len(narrative) + 1:].splitlines():
        ws.append([_cell(c) for c in line.split("\t")])
    app = tmp_path / "xa-phu-luc.xlsx"
    wb.save(app)
    return rep, app


def _cell(c: str):
    return int(c) if c.isdigit() and not c.startswith("0") else c


def test_report_and_appendix_are_audited_as_one(tmp_path, capsys):
    rep, app = _split_report(tmp_path)
    assert appendix_beside(str(rep)) == str(app)
    main(["audit", str(rep), "--format", "json", "--no-appendix"])
    alone = json.loads(capsys.readouterr().out)
    main(["audit", str(rep), "--format", "json"])  # found beside the report
    both = json.loads(capsys.readouterr().out)
    assert both["source"]["appendix"].endswith("xa-phu-luc.xlsx") and "appendix" not in alone["source"]
    in_app = [e for f in both["findings"] for e in f["evidence"] if e.get("file")]
    # The results table's 0/0 rates are read from the .xlsx: the narrative alone has no table.
    assert in_app and not any(e.get("table") for f in alone["findings"] for e in f["evidence"])
    app_text = read_document(app).text
    for e in in_app:  # offsets and lines point into the appendix's own text
        assert app_text[e["start"]:e["end"]] == e["text"]
        assert app_text.splitlines()[e["line"] - 1][e["column"] - 1:].startswith(e["text"].split("\n")[0])


def test_folder_run_pairs_the_appendix_instead_of_auditing_it_alone(tmp_path, capsys):
    _split_report(tmp_path)
    main(["audit", str(tmp_path), "--format", "json"])
    runs = json.loads(capsys.readouterr().out)
    assert [Path(r["source"]["path"]).name for r in runs] == ["xa.txt"]
    assert runs[0]["source"]["appendix"].endswith("xa-phu-luc.xlsx")


def test_explicit_appendix_that_cannot_be_read_names_it(tmp_path, capsys):
    rep, _ = _split_report(tmp_path)
    code = main(["audit", str(rep), "--appendix", str(tmp_path / "khong-co.xlsx")])
    assert code == 3 and "phụ lục" in capsys.readouterr().err
