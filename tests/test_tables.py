"""Tables rebuilt from the three real layouts: the numeric cells a reviewer relies on."""
import pytest

from auditor.model import TableKind
from auditor.tables import find_tables
from tests.conftest import report_text


def values(row):
    return [c.quantity.value for c in row.cells if c.quantity is not None]


def row(table, code=None, label=None):
    for r in table.rows:
        if (code is None or r.code.rstrip(".") == code) and (label is None or r.label.startswith(label)):
            return r
    raise AssertionError(f"no row {code} {label}")


def test_tab_results_table_with_three_header_rows():
    (t,) = find_tables(report_text("tho-xuong-2024-h1"))
    assert t.kind == TableKind.RESULTS and t.layout == "tab"
    assert t.columns[3] == ("Số lượng hồ sơ tiếp nhận", "Trong Kỳ", "Trực tuyến")
    assert t.columns[4] == ("Số lượng hồ sơ tiếp nhận", "Trong Kỳ", "Trực tiếp, dịch vụ bưu chính")
    assert t.columns[12] == ("Số lượng hồ sơ đang giải quyết", "Trong hạn")
    total = row(t, label="Tổng hợp")
    assert total.is_total and values(total) == [786, 774, 0, 12, 780, 754, 26, 0, 100, 6, 6, 0]
    assert values(row(t, label="Hộ tịch")) == [440, 430, 0, 10, 435, 414, 21, 0, 100, 5, 5, 0]
    assert len([r for r in t.rows if values(r)]) == 22  # the total and 21 fields


def test_docx_text_with_split_syllables_and_repeated_page_headers():
    results, indicators = find_tables(report_text("bac-son-2024-h1"))
    assert results.kind == TableKind.RESULTS
    assert results.columns[5] == ("Số lượng hồ sơ tiếp nhận", "T ừ k ỳ tr ư ớc")
    assert values(row(results, label="Tổng cộng")) == [598, 596, 1, 1, 593, 593, 0, 0, 5, 5, 0]
    assert values(row(results, code="5")) == [11, 10, 0, 1, 6, 6, 0, 0, 5, 5, 0]
    assert indicators.kind == TableKind.INDICATOR
    # Seven pages, each repeating the header, make one table.
    assert not any(r.label.startswith("Chỉ tiêu thống kê") for r in indicators.rows)
    assert values(row(indicators, code="2")) == [100] and row(indicators, code="2").unit == "%"
    assert values(row(indicators, code="2.2")) == [15]
    assert row(indicators, code="2.2").parent == row(indicators, code="2").index
    money = row(indicators, code="1.1", label="Kế hoạch được giao")
    assert values(money) == [15713] and money.unit == "Triệu đồng"
    assert values(row(indicators, code="1", label="Tỷ lệ thực hiện Kế hoạch giải ngân")) == [20.5]
    assert values(row(indicators, code="5.3.1")) == [240]
    assert values(row(indicators, code="2.1", label="Số TTHC liên thông")) == [2]


def test_pdf_text_one_cell_per_line():
    (t,) = find_tables(report_text("cat-thanh-2024-q3"))
    assert t.kind == TableKind.INDICATOR and t.layout == "pdf-lines"
    on_time = row(t, code="3.1.2")
    assert on_time.unit == "Hồ sơ" and on_time.note == "909 trước hạn"
    assert values(on_time) == [378, 909]  # the value, then the number in the note
    assert values(row(t, code="3.1.1")) == [1290]
    wrapped = row(t, code="2.1.3")
    assert wrapped.label.endswith("có phát sinh hồ sơ nộp trực tuyến") and values(wrapped) == [9]
    survey = row(t, code="5", label="Khảo sát")
    assert survey.unit == "Có = 1; Không = 0" and values(survey) == [1]
    assert values(row(t, code="5.1")) == [1228, 1228]  # 1.228 and the note's 1228/1288
    assert values(row(t, code="2.5")) == [100] and values(row(t, code="2.5.2")) == [13]
    blank_rate = row(t, code="2", label="Tỷ lệ hoàn thành")
    assert values(blank_rate) == [] and blank_rate.unit == "%"
    # Under section III there is no 3.3 row: 3.3.1 hangs from its nearest written ancestor, 3.
    assert row(t, code="3.3.1", label="Tổng số PAKN").parent == row(t, code="3", label="Kết quả giải quyết").index


@pytest.mark.parametrize("name", ["tho-xuong-2024-h1", "bac-son-2024-h1", "cat-thanh-2024-q3"])
def test_every_cell_points_at_its_text(name):
    text = report_text(name)
    for t in find_tables(text):
        for r in t.rows:
            for c in r.cells:
                if c.quantity is not None:
                    assert text[c.quantity.start:c.quantity.end] == c.quantity.raw


FLAT = """STT Lĩnh vực Số hồ sơ tiếp nhận Số hồ sơ đã giải quyết Số hồ sơ đang
giải quyết
Tổng Trực Trực tiếp, Từ kỳ Tổng Trư ớc Đún g Qu á Tổng Trong Qu á
số tuyến bưu chính trước số hạn hạn hạn số hạn hạn
1 Hộ tịch 120 100 15 5 110 90 20 0 10 10 0
2 Chứng thực 80 80 0 0 80 79 1 0 0 0 0
3 Liên thông khai sinh, thường trú,
BHYT 12 12 0 0 12 12 0 0 0 0 0
Tổng cộng {total} 192 15 5 202 181 21 0 10 10 0
"""


def test_flattened_pdf_results_table():
    (t,) = find_tables(FLAT.format(total=212))
    assert t.kind == TableKind.RESULTS and t.layout == "pdf-lines"
    assert values(row(t, code="3")) == [12, 12, 0, 0, 12, 12, 0, 0, 0, 0, 0]
    assert row(t, code="3").label == "Liên thông khai sinh, thường trú, BHYT"
    assert row(t, label="Tổng cộng").is_total
    from auditor.engine import Config, audit_text

    assert audit_text(FLAT.format(total=212), Config(select=("AUD202",))) == []
    broken = audit_text(FLAT.format(total=221), Config(select=("AUD202",)))
    assert broken and all(f.stated == 221 for f in broken)


def test_page_number_inside_a_pdf_indicator_table_is_skipped():
    text = ("STT\nChỉ tiêu thống kê\nKết quả thống kê\nGhi chú\nĐơn vị tính Số liệu\n"
            "2.1 Số nhiệm vụ đề ra trong kế hoạch Nhiệm vụ 36\n- 7 -\n"
            "2.2 Số nhiệm vụ đã hoàn thành Nhiệm vụ 28\n")
    (t,) = find_tables(text)
    assert [values(r) for r in t.rows] == [[36], [28]]


def test_latest_result_year_is_the_value_and_a_years_target_is_a_plan():
    from auditor.tables import find_tables

    text = ("STT\tNội dung\tĐơn vị tính\tKết quả năm 2023\tChỉ tiêu năm 2024\tKết quả năm 2024\tGhi chú\n"
            "1\tSố nhiệm vụ trong Kế hoạch CCHC\tnhiệm vụ\t24\t26\t27\t\n"
            "2\tTổng số hồ sơ tiếp nhận\thồ sơ\t5.254\t-\t5.666\t\n")
    (t,) = find_tables(text)
    assert t.roles[3:6] == ("data", "plan", "value")
    assert [r.value for r in t.rows] == [27, 5666]


def test_web_scraped_cells_one_per_line_between_bars():
    from auditor.tables import find_tables

    rows = [["STT", "Lĩnh vực", "Tiếp nhận", "Đã giải quyết", "Ghi chú"],
            ["1", "Hộ tịch", "**412**", "410", ""],
            ["2", "Chứng thực", "300", "300", "Bản sao"],
            ["", "Tổng cộng", "712", "710", ""]]
    body = "\n\n".join("\n|\n".join(r) for r in rows)
    text = "Kết quả như sau:\n\n" + body + "\n\nNơi nhận: như trên.\n"
    (t,) = find_tables(text)
    assert t.layout == "bars"
    assert [r.label for r in t.rows] == ["Hộ tịch", "Chứng thực", "Tổng cộng"]
    assert [c.value for c in t.rows[0].cells if c.quantity] == [412, 410]
    c = t.rows[1].cells[0]
    assert text[c.start:c.end] == c.text  # offsets point into the text


def test_bars_with_dropped_empty_cells_rejoin_a_split_row():
    from auditor.tables import find_tables

    lines = ["STT", "|", "Chỉ tiêu", "|", "Đơn vị tính", "|", "Số liệu",
             "1", "|", "Số văn bản ban hành", "|", "Văn bản", "|", "17",
             "2", "|", "Số cuộc kiểm tra", "|", "Cuộc",
             "3",
             "3", "|", "Số mô hình", "|", "Mô hình", "|", "4"]
    (t,) = find_tables("\n".join(lines) + "\n")
    assert [(r.code, r.value) for r in t.rows] == [("1", 17), ("2", 3), ("3", 4)]


def test_a_column_number_row_with_a_unit_mark_is_no_data_row():
    """"| A | 1=2+3 | 2 | 3 | 4 (%) |" numbers the columns; read as data it would make every
    column total look off by its column number (blind10: 8 false alarms from one such row)."""
    from auditor.engine import audit_text
    from auditor.tables import find_tables

    text = ("| Lĩnh vực | Số hồ sơ nhận giải quyết | Trực tuyến | Trực tiếp | Tỷ lệ trực tuyến (%) |\n"
            "|---|---|---|---|---|\n"
            "| A | 1=2+3 | 2 | 3 | 4 (%) |\n"
            "| Hộ tịch | 40 | 30 | 10 | 75 |\n"
            "| Chứng thực | 60 | 15 | 45 | 25 |\n"
            "| Tổng cộng | 100 | 45 | 55 | 45 |\n")
    (t,) = find_tables(text)
    assert [r.label for r in t.rows] == ["Hộ tịch", "Chứng thực", "Tổng cộng"]
    assert [f for f in audit_text(text) if f.severity.value != "info"] == []
