"""The docx correction request and the xlsx workbook, reopened with python-docx and openpyxl."""
from __future__ import annotations

import io

import pytest

from auditor.render.explain import arithmetic, fmt
from tests.render_support import NAMES, render, view


@pytest.fixture(scope="module")
def views():
    return {n: view(n) for n in NAMES}


def _docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    d = docx.Document(io.BytesIO(data))
    paras = [p.text for p in d.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return paras, tables


def test_docx_request_names_commune_number_and_every_error(views):
    v = views["bac-son-2024-h1"]
    data = render("docx", [v], reviewer="Nguyễn Thị Lan", office="Phòng Nội vụ huyện Bắc Sơn", deadline="20/7/2024")
    assert data[:2] == b"PK"
    paras, tables = _docx_text(data)
    body = "\n".join(paras)
    everything = body + "\n".join(c for t in tables for row in t for c in row)
    assert "Kính gửi: UBND xã Bắc Sơn" in body
    assert "Báo cáo số 36/BC-UBND ngày 15/6/2024 của UBND xã Bắc Sơn" in body
    assert "6 tháng đầu năm 2024" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in everything and "Độc lập - Tự do - Hạnh phúc" in everything
    assert "trước ngày 20/7/2024" in body
    assert "Nguyễn Thị Lan" in everything and "PHÒNG NỘI VỤ HUYỆN BẮC SƠN" in everything
    findings_table = next(t for t in tables if t[0][0] == "STT")
    assert findings_table[0] == ["STT", "Vị trí (mục / biểu, STT dòng, trang)", "Báo cáo ghi", "Nội dung chưa khớp",
                                 "Đề nghị chỉnh sửa"]
    assert len(findings_table) - 1 == 7  # one row per root cause
    table_text = "\n".join(c for row in findings_table for c in row)
    for f in v.findings:
        if f.severity.value != "error":
            continue
        # every error is in the request: its numbers, and its arithmetic when it has some
        for e in f.evidence:
            if e.role != "alternative":
                assert e.text in table_text or fmt(e.value) in table_text, (f.message, e.text)
        ar = arithmetic(f)
        if ar:
            assert ar in table_text, ar
    assert "Mục II.2.b" in table_text and "STT 1.4" in table_text


def test_docx_warnings_by_option(views):
    v = views["cat-thanh-2024-q3"]
    _, with_w = _docx_text(render("docx", [v]))
    _, without = _docx_text(render("docx", [v], include_warnings=False))
    rows = lambda tables: len(next(t for t in tables if t[0][0] == "STT")) - 1  # noqa: E731
    assert rows(with_w) > rows(without)
    assert "99,84%" in "\n".join(c for t in with_w for r in t for c in r)
    assert "99,84%" not in "\n".join(c for t in without for r in t for c in r)


def test_docx_batch_one_request_per_report(views):
    paras, _ = _docx_text(render("docx", [views[n] for n in NAMES], batch=True))
    assert sum(p.startswith("Kính gửi:") for p in paras) == 3


def test_xlsx_one_row_per_finding_with_location_and_empty_review_columns(views):
    import openpyxl

    v = views["bac-son-2024-h1"]
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", [v])))
    assert wb.sheetnames == ["Phát hiện"]
    ws = wb["Phát hiện"]
    head = [c.value for c in ws[1]]
    for col in ("Mục", "Biểu/bảng", "STT dòng", "Cột", "Trang", "Báo cáo ghi", "Nội dung chưa khớp",
                "Đề nghị chỉnh sửa", "Trạng thái xử lý", "Người kiểm tra", "Ý kiến"):
        assert col in head
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(v.findings)
    idx = {h: i for i, h in enumerate(head)}
    for r in rows:
        assert r[idx["Trạng thái xử lý"]] is None and r[idx["Người kiểm tra"]] is None and r[idx["Ý kiến"]] is None
    assert any(r[idx["Mục"]] == "II.2.b" for r in rows)
    assert any((r[idx["Biểu/bảng"]] or "").startswith("Phụ lục") and r[idx["STT dòng"]] for r in rows)
    assert sum(r[idx["Mức"]] == "LỖI" for r in rows) == 9  # two pairings below the pairing threshold are info items


def test_xlsx_batch_summary_sheet_first(views):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", [views[n] for n in NAMES], batch=True)))
    assert wb.sheetnames == ["Tổng hợp", "Phát hiện"]
    ws = wb["Tổng hợp"]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[1][:7] == ["Đơn vị", "Số/ngày", "Kỳ", "Lỗi", "Cảnh báo", "Lưu ý", "Trạng thái"]
    units = [row[0] for row in values[2:5]]
    assert units == ["UBND xã Bắc Sơn", "UBND thị trấn Cát Thành", "UBND phường Thọ Xương"]  # sorted by errors
    assert [row[6] for row in values[2:5]] == ["Cần chỉnh sửa", "Cần chỉnh sửa", "Đạt"]
    assert any(row[0] and str(row[0]).startswith("Tổng cộng 3 báo cáo") for row in values)
