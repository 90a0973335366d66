"""The number grammar (auditor/numbers.py).

(a) the labelled set corpora/numbers/labelled.yaml, item by item and as a whole;
(b) one focused test per form the reports use, and parse_value's edge cases;
(c) property tests: written integers and percentages read back to themselves, number
    words round-trip, and `scan` never raises nor backtracks catastrophically.
"""
from __future__ import annotations

import importlib.util
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.model import Kind
from auditor.numbers import parse_value, quantities, scan, words_to_number

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "corpora" / "numbers" / "labelled.yaml"


def _load_eval():
    spec = importlib.util.spec_from_file_location("number_eval", ROOT / "scripts" / "number_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


number_eval = _load_eval()
ITEMS = number_eval.load(LABELLED)


def _item_id(i: int) -> str:
    text = re.sub(r"\s+", " ", ITEMS[i]["text"]).strip()
    return f"{i:03d}-{text[:40]}"


# --- (a) the labelled set ------------------------------------------------------------------


def test_labelled_set_is_big_enough():
    mentions = [m for it in ITEMS for m in it["mentions"]]
    assert len(mentions) >= 300
    from_reports = sum(len(it["mentions"]) for it in ITEMS if it.get("source"))
    assert from_reports >= 150 and len(mentions) - from_reports >= 150
    kinds = {m["kind"] for m in mentions}
    assert kinds == {k.value for k in Kind}, "every kind is labelled at least once"


@pytest.mark.parametrize("index", range(len(ITEMS)), ids=_item_id)
def test_labelled_item(index):
    r = number_eval.evaluate_item(ITEMS[index], ROOT / "corpora" / "reports")
    assert not r["problems"], r["problems"]
    lines = []
    for e in r["errors"]:
        lines.append(f"{e['type']}: gold {e['gold']} predicted {e['predicted']}")
    assert not lines, "\n".join(lines)


def test_precision_and_recall_at_least_99_percent():
    r = number_eval.evaluate(LABELLED)
    assert r["gold"] >= 300
    assert not r["problems"]
    assert r["precision"] >= 0.99, r["precision"]
    assert r["recall"] >= 0.99, r["recall"]


def test_eval_script_json(capsys):
    assert number_eval.main([str(LABELLED), "--format", "json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert {"precision", "recall", "per_kind", "errors"} <= set(out)


# --- (b) one test per form ------------------------------------------------------------------


def one(text: str, kind: Kind | None = None, **style):
    qs = scan(text, **style)
    if kind is not None:
        qs = [q for q in qs if q.kind == kind]
    assert len(qs) == 1, [(q.raw, q.kind.value, q.value) for q in scan(text, **style)]
    return qs[0]


def test_official_thousands():
    q = one("Tiếp nhận 1.290 hồ sơ.")
    assert (q.kind, q.value, q.unit, q.raw) == (Kind.COUNT, 1290, "hồ sơ", "1.290")


def test_official_decimal_percent():
    q = one("Tỷ lệ trực tuyến đạt 99,8%.")
    assert (q.kind, q.value, q.raw, q.decimals) == (Kind.PERCENT, 99.8, "99,8%", 1)
    assert q.interval() == pytest.approx((99.75, 99.85))


def test_english_decimal_percent():
    q = one("Thanh toán trực tuyến đạt 99.7%.")
    assert (q.kind, q.value) == (Kind.PERCENT, 99.7)


def test_english_decimal_bare_and_in_a_percent_column():
    q = one("Chỉ số đạt 20.5 điểm.")
    assert (q.kind, q.value) == (Kind.DECIMAL, 20.5)
    q = one("1.\tTỷ lệ giải ngân vốn đầu tư công\t%\t20.5\tTài chính", Kind.PERCENT)
    assert q.value == 20.5 and q.raw == "20.5"


def test_bare_integer():
    q = one("Năm 2023 tiếp nhận 2115 hồ sơ.", Kind.COUNT)
    assert q.value == 2115


def test_money_thousands_and_decimal():
    q = one("Kế hoạch vốn 15.713 triệu đồng.")
    assert (q.kind, q.value, q.unit) == (Kind.MONEY, 15713, "triệu đồng")
    q = one("Kinh phí 294,196 triệu đồng.")
    assert (q.kind, q.value, q.decimals) == (Kind.MONEY, pytest.approx(294.196), 3)
    q = one("Thu được 26.559.000 đồng.")
    assert (q.kind, q.value, q.unit) == (Kind.MONEY, 26559000, "đồng")


def test_money_in_an_indicator_table_takes_the_unit_column():
    q = one("1.1.\tKế hoạch được giao\tTriệu đồng\t15.713\tTài chính", Kind.MONEY)
    assert (q.value, q.unit) == (15713, "triệu đồng")


def test_leading_zero():
    q = one("Còn 05 hồ sơ đang giải quyết.")
    assert (q.kind, q.value, q.raw) == (Kind.COUNT, 5, "05")


def test_fractions():
    q = one("trình độ trên đại học 01/11 đồng chí")
    assert (q.kind, q.value, q.denominator, q.unit) == (Kind.FRACTION, 1, 11, "người")
    q = one("thanh toán trực tuyến 337/338 hồ sơ")
    assert (q.value, q.denominator) == (337, 338)
    q = one("Đến ngày 30/9, đã hoàn thành 12/21 nhiệm vụ.", Kind.FRACTION)
    assert (q.value, q.denominator) == (12, 21)


def test_ranges():
    q = one("Phát 20–30 tin bài mỗi tháng.")
    assert (q.kind, q.value, q.high, q.raw) == (Kind.RANGE, 20, 30, "20–30")
    q = one("Phát từ 20 đến 30 tin bài.")
    assert (q.kind, q.value, q.high) == (Kind.RANGE, 20, 30)
    q = one("tự bảo đảm từ 70% - dưới 100% chi thường xuyên")
    assert (q.kind, q.value, q.high, q.unit) == (Kind.RANGE, 70, 100, "%")


@pytest.mark.parametrize("text,bound", [
    ("đạt trên 98%", ">"), ("tổ chức hơn 20 cuộc kiểm tra", ">"), ("đạt tối thiểu 98%", ">="),
    ("gần 100% hồ sơ", "<~"), ("không quá 3 ngày", "<="), ("dưới 5%", "<"), ("khoảng 1.500 lượt", "~"),
    ("đạt 95% trở lên", ">="),
])
def test_bounds(text, bound):
    q = one(text)
    assert q.is_quantity and q.bound == bound


def test_trên_between_two_amounts_is_not_a_bound():
    qs = quantities("Công khai 107 TTHC trên 12 lĩnh vực.")
    assert [(q.value, q.bound) for q in qs] == [(107, None), (12, None)]


@pytest.mark.parametrize("text,value,raw", [
    ("Trong kỳ không có hồ sơ nào quá hạn.", 0, "không có hồ sơ"),
    ("UBND xã không ban hành văn bản QPPL nào.", 0, "không ban hành văn bản QPPL"),
    ("Cử một công chức đi học.", 1, "một"),
    ("Tiếp nhận hai mươi lăm hồ sơ.", 25, "hai mươi lăm"),
    ("Số hóa ba trăm linh năm hồ sơ.", 305, "ba trăm linh năm"),
    ("Số hóa một trăm linh tư hồ sơ.", 104, "một trăm linh tư"),
])
def test_number_words(text, value, raw):
    q = one(text)
    assert (q.kind, q.value, q.raw) == (Kind.COUNT, value, raw)


@pytest.mark.parametrize("text", [
    "Thực hiện cơ chế một cửa, một cửa liên thông.",
    "Một số thủ tục còn rườm rà.",
    "Biên chế được giao trong năm\tNgười\t20",
    "công dân không có tài khoản ngân hàng",
])
def test_words_that_are_not_amounts(text):
    assert not [q for q in scan(text) if q.note in ("số viết bằng chữ", "không có … = 0")]


@pytest.mark.parametrize("text,raw", [
    ("Ngày 06/02/2023, UBND ban hành", "06/02/2023"),
    ("ngày 14 tháng 6 năm 2023", "ngày 14 tháng 6 năm 2023"),
    ("đến hết tháng 11/2025", "11/2025"),
    ("báo cáo quý III gửi huyện", "quý III"),
    ("kết quả quý III năm 2024", "quý III năm 2024"),
    ("Ngày 15 tháng 6, xã tổ chức", "Ngày 15 tháng 6"),
    ("trong 6 tháng đầu năm", "6"),
    ("Từ 01/10 đã tiếp nhận 45 hồ sơ", "01/10"),
])
def test_dates(text, raw):
    q = one(text, Kind.DATE)
    assert q.raw == raw and not q.is_quantity


@pytest.mark.parametrize("text,raw", [
    ("Quyết định số 22/QĐ-UBND", "22/QĐ-UBND"),
    ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
    ("Nghị quyết số 66.7/2025/NQ-CP", "66.7/2025/NQ-CP"),
    ("Công văn số 118/UBND - NV", "118/UBND - NV"),
    ("Chỉ thị số 26-CT/TU", "26-CT/TU"),
    ("Nghị định 130/2005/NĐ-CP", "130/2005/NĐ-CP"),
])
def test_document_identifiers(text, raw):
    q = one(text)
    assert (q.kind, q.raw) == (Kind.DOC_ID, raw)


def test_plan_number_and_date():
    qs = scan("Kế hoạch số 05/KH-UBND ngày 12/01/2024")
    assert [(q.kind, q.raw) for q in qs] == [(Kind.DOC_ID, "05/KH-UBND"), (Kind.DATE, "12/01/2024")]


@pytest.mark.parametrize("text,raw", [
    ("1.1.2. Kết quả giải quyết", "1.1.2"),
    ("3.1.\tTỷ lệ hồ sơ", "3.1"),
    ("2 Tỷ lệ hoàn thành Kế hoạch CCHC năm %", "2"),
    ("6 Tổ chức đối thoại của lãnh đạo với người dân", "6"),
])
def test_sections(text, raw):
    q = one(text, Kind.SECTION)
    assert q.raw == raw


def test_a_value_before_its_unit_column_is_not_a_row_code():
    q = one("20 Người")
    assert (q.kind, q.value) == (Kind.COUNT, 20)


def test_a_count_at_the_start_of_a_wrapped_line_is_not_a_row_code():
    q = one("5 ứng dụng được triển khai")
    assert (q.kind, q.value) == (Kind.COUNT, 5)


@pytest.mark.parametrize("text,raw", [
    ("theo tiêu chuẩn ISO 9001:2015", "9001:2015"),
    ("theo TCVN ISO 9001: 2015 trở thành", "9001: 2015"),
    ("TCVN ISO \n\n9001:2015 trong", "9001:2015"),
])
def test_standards(text, raw):
    q = one(text)
    assert (q.kind, q.raw) == (Kind.STANDARD, raw)


@pytest.mark.parametrize("text,raw", [
    ("khai mạc lúc 14 giờ 30 ngày", "14 giờ 30"), ("làm việc từ 7h30", "7h30"), ("lúc 14:30", "14:30"),
    ("Lúc 9 giờ sáng", "9 giờ"),
])
def test_times(text, raw):
    q = one(text, Kind.TIME)
    assert q.raw == raw


def test_a_duration_in_hours_is_a_count():
    q = one("giải quyết trong vòng 24 giờ")
    assert (q.kind, q.value) == (Kind.COUNT, 24)


@pytest.mark.parametrize("raw", ["0912.345.678", "0912 345 678", "0204.3854.123", "0204 3854 123"])
def test_phones(raw):
    q = one(f"Đường dây nóng: {raw}.")
    assert (q.kind, q.raw) == (Kind.PHONE, raw)


@pytest.mark.parametrize("text,raw", [
    ("xếp thứ 2 toàn thành phố", "2"), ("Đề án 06 của Chính phủ", "06"), ("ngày thứ 6 hàng tuần", "6"),
    ("mô hình Ngày thứ năm 3 không hàng tuần", "3"), ("xếp thứ 3/25 xã", "3/25"),
    ("Biểu số 02 kèm theo", "02"), ("theo Phụ lục số 3", "3"),
])
def test_ordinals(text, raw):
    q = one(text, Kind.ORDINAL)
    assert q.raw == raw


def test_level_lists_are_ordinals():
    qs = scan("dịch vụ công mức độ 3, 4 đạt 50%")
    assert [(q.kind, q.raw) for q in qs] == [(Kind.ORDINAL, "3"), (Kind.ORDINAL, "4"), (Kind.PERCENT, "50%")]


def test_legend_codes():
    qs = scan("Có = 1; Không = 0")
    assert [(q.kind, q.value) for q in qs] == [(Kind.CODE, 1), (Kind.CODE, 0)]


@pytest.mark.parametrize("text,kind", [
    ("năm 2024", Kind.YEAR), ("giai đoạn 2021-2025", Kind.YEAR), ("rà soát văn bản QPPL trên địa bàn xã 2024;", Kind.YEAR),
])
def test_years(text, kind):
    qs = scan(text)
    assert qs and all(q.kind == kind for q in qs)


def test_percent_with_space():
    q = one("Tỷ lệ hài lòng đạt 100 %.")
    assert (q.kind, q.value, q.raw) == (Kind.PERCENT, 100, "100 %")


def test_english_thousands_with_a_count_noun():
    q = one("Trong kỳ tiếp nhận 1,290 hồ sơ.")
    assert (q.kind, q.value) == (Kind.COUNT, 1290)


def test_wrapped_line_keeps_the_number():
    q = one("tiếp nhận và giải quyết 1.290 \n\nhồ sơ trong đó", Kind.COUNT)
    assert q.value == 1290 and not q.ambiguous


def test_area_is_a_decimal_measure():
    q = one("diện tích 56m²")
    assert (q.kind, q.value, q.unit) == (Kind.DECIMAL, 56, "m²")


def test_ambiguous_separator_is_marked():
    q = one("đạt 99.7% và 98,5%; chỉ số đạt 1.250.", Kind.COUNT)
    assert q.ambiguous and q.value == 1250 and q.alt_value == pytest.approx(1.25)
    # a count noun settles it
    q = one("đạt 99.7% và 98,5%; tiếp nhận 1.250 hồ sơ.", Kind.COUNT)
    assert not q.ambiguous and q.value == 1250


def test_style_ignores_section_numbers():
    from auditor.numbers import infer_style

    assert infer_style("2.1 Số nhiệm vụ\n3.1.\tTỷ lệ\nđạt 98,4%") == "official"
    assert infer_style("đạt 98.4%") == "english"
    assert infer_style("đạt 98.4% và 97,5%") == "mixed"


# --- parse_value edge cases ----------------------------------------------------------------


@pytest.mark.parametrize("raw,kw,value,decimals", [
    ("1.250.500,5", {}, 1250500.5, 1),
    ("1,250,500.75", {}, 1250500.75, 2),
    ("2.150,5", {"money": True}, 2150.5, 1),
    ("05", {}, 5, 0),
    ("007", {"integer_unit": True}, 7, 0),
    ("0,5", {"percent": True}, 0.5, 1),
    ("1.290", {"integer_unit": True}, 1290, 0),
    ("1,290", {"integer_unit": True}, 1290, 0),
    ("99,875", {"percent": True}, 99.875, 3),
    ("99.875", {"percent": True}, 99.875, 3),
    ("15.713", {"money": True}, 15713, 0),
    ("294,196", {"money": True}, 294.196, 3),
    ("26.559.000", {"money": True}, 26559000, 0),
    ("20.5", {}, 20.5, 1),
    ("1234.5", {}, 1234.5, 1),
])
def test_parse_value(raw, kw, value, decimals):
    v, d, ambiguous, alt, _ = parse_value(raw, **kw)
    assert v == pytest.approx(value) and d == decimals and not ambiguous and alt is None


def test_parse_value_money_in_a_mixed_document_is_ambiguous():
    v, d, ambiguous, alt, _ = parse_value("15.713", money=True, style="mixed")
    assert (v, ambiguous, alt) == (15713, True, pytest.approx(15.713))
    v, d, ambiguous, alt, _ = parse_value("294,196", money=True, style="english")
    assert (v, ambiguous, alt) == (pytest.approx(294.196), True, 294196)


def test_parse_value_bare_three_digit_group_follows_the_style():
    assert parse_value("1.250")[:3] == (1250, 0, False)
    assert parse_value("1,250")[:3] == (1.25, 3, False)
    v, _, ambiguous, alt, _ = parse_value("1.250", style="mixed")
    assert (v, ambiguous, alt) == (1250, True, 1.25)


@pytest.mark.parametrize("raw", ["1.2.3", "1,2.3", "12.34.567", "", "abc", "1.000,5,5"])
def test_parse_value_rejects_malformed(raw):
    assert parse_value(raw) is None


# --- (c) properties --------------------------------------------------------------------------


def official(n: int, pad: bool) -> str:
    s = f"{n:,}".replace(",", ".")
    return f"0{s}" if pad and n < 10 else s


@st.composite
def written_integer(draw):
    n = draw(st.integers(min_value=0, max_value=10**9))
    style = draw(st.sampled_from(["official", "english", "bare"]))
    if style == "official":
        raw = official(n, draw(st.booleans()))
    elif style == "english":
        raw = f"{n:,}"
    else:
        raw = str(n)
    prefix = draw(st.sampled_from(["", "Đã tiếp nhận ", "Trong kỳ có ", "tổng cộng "]))
    return n, prefix + raw + " hồ sơ"


@given(written_integer())
@settings(max_examples=400, deadline=timedelta(seconds=2))
def test_property_written_integer_is_one_count(case):
    n, text = case
    qs = scan(text)
    assert len(qs) == 1, [(q.raw, q.kind.value, q.value) for q in qs]
    assert qs[0].kind == Kind.COUNT and qs[0].value == n and qs[0].unit == "hồ sơ"


@st.composite
def written_percent(draw):
    whole = draw(st.integers(min_value=0, max_value=9999))
    places = draw(st.integers(min_value=1, max_value=2))
    frac = draw(st.integers(min_value=0, max_value=10**places - 1))
    mark = draw(st.sampled_from([",", "."]))
    raw = f"{whole}{mark}{frac:0{places}d}%"
    value = whole + frac / 10**places
    prefix = draw(st.sampled_from(["", "Tỷ lệ đạt ", "đạt "]))
    return value, raw, prefix + raw


@given(written_percent())
@settings(max_examples=400, deadline=timedelta(seconds=2))
def test_property_decimal_percent_reads_back(case):
    value, raw, text = case
    qs = scan(text)
    assert len(qs) == 1, [(q.raw, q.kind.value, q.value) for q in qs]
    assert qs[0].kind == Kind.PERCENT and qs[0].raw == raw
    assert qs[0].value == pytest.approx(value, abs=1e-9)


DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def int_to_words(n: int, tu: bool = True, linh: str = "linh") -> str:
    """0 < n < 1000 in words, by the usual rules: mốt, lăm, tư, linh/lẻ."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = []
    if hundreds:
        out += [DIGITS[hundreds], "trăm"]
        if rest and tens == 0:
            out += [linh, DIGITS[ones]]
            return " ".join(out)
    if tens == 1:
        out.append("mười")
        if ones:
            out.append("lăm" if ones == 5 else DIGITS[ones])
    elif tens >= 2:
        out += [DIGITS[tens], "mươi"]
        if ones == 1:
            out.append("mốt")
        elif ones == 4:
            out.append("tư" if tu else "bốn")
        elif ones == 5:
            out.append("lăm")
        elif ones:
            out.append(DIGITS[ones])
    elif ones and not hundreds:
        out.append(DIGITS[ones])
    return " ".join(out)


def test_int_to_words_examples():
    assert int_to_words(25) == "hai mươi lăm"
    assert int_to_words(305) == "ba trăm linh năm"
    assert int_to_words(21) == "hai mươi mốt"
    assert int_to_words(115) == "một trăm mười lăm"
    assert int_to_words(600) == "sáu trăm"


@given(st.integers(min_value=1, max_value=999), st.booleans(), st.sampled_from(["linh", "lẻ"]))
@settings(max_examples=500)
def test_property_words_round_trip(n, tu, linh):
    assert words_to_number(int_to_words(n, tu, linh)) == n


@given(st.integers(min_value=1, max_value=999))
@settings(max_examples=200)
def test_property_words_are_found_by_scan(n):
    words = int_to_words(n)
    q = one(f"Đã tiếp nhận {words} hồ sơ.")
    assert (q.kind, q.value, q.raw) == (Kind.COUNT, n, words)


VIET_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵQĐ"
TOKENS = ["năm", "tháng", "ngày", "quý", "III", "không có", "hồ sơ", "triệu đồng", "đến", "từ", "thứ", "=",
          "ISO", "giờ", "h", "trên", "mức độ", "/QĐ-UBND", "-CT/TU", "trở lên", "không", "nào", "hai mươi",
          "lăm", "trăm", "linh", "%", "\t", "\n", "  ", "Tỷ lệ", "Người", "m²"]


@st.composite
def messy_text(draw):
    parts = draw(st.lists(st.one_of(
        st.text(alphabet="0123456789.,/:-% \t\n" + VIET_LETTERS, max_size=30),
        st.sampled_from(TOKENS),
        st.integers(min_value=0, max_value=10**7).map(str),
    ), max_size=60))
    return " ".join(parts) if draw(st.booleans()) else "".join(parts)


@given(messy_text())
@settings(max_examples=300, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
def test_property_scan_never_raises_and_is_fast(text):
    t0 = time.perf_counter()
    qs = scan(text)
    assert time.perf_counter() - t0 < 1.0
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.raw
    spans = sorted((q.start, q.end) for q in qs)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "mentions do not overlap"


ADVERSARIAL = {
    "dots": "1." * 20000,
    "thousand-groups": "1" + ",000" * 10000,
    "spaces": " " * 100000 + "1",
    "no-newline-tabs": "%\t1\t" * 5000,
    "dashes": "1-2-3-" * 4000,
    "slashes": "1/" * 20000,
    "words": "hai " * 10000,
    "negations": "không có " * 5000,
    "codes": "a = 1 " * 5000,
    "row-codes": "\n1 \n" * 10000,
    "iso-then-spaces": "ISO" + " " * 100000,
    "dates": "ngày 1 tháng 1 năm 2024 " * 3000,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_no_catastrophic_backtracking(name):
    text = ADVERSARIAL[name]
    t0 = time.perf_counter()
    scan(text)
    assert time.perf_counter() - t0 < 5.0, f"{name}: {time.perf_counter() - t0:.1f}s"


@pytest.mark.parametrize("text,raw", [("[4] Số liệu được trích xuất từ Hệ thống", "4"),
                                      ("Đăng ký hộ kinh doanh[2] 15 hồ sơ", "2")])
def test_footnote_marks_in_brackets_are_not_amounts(text, raw):
    q = next(q for q in scan(text) if q.raw == raw)
    assert q.kind == Kind.CODE and not q.is_quantity


@pytest.mark.parametrize("text", ["Tháng 4 (15/4 - 14/5/2025)\t812", "kỳ 15/12/2024 – 14/01 có 90 hồ sơ",
                                  "số liệu 15/3 đến 14/4 năm 2025"])
def test_day_month_ends_of_a_range_are_dates(text):
    assert not any(q.kind == Kind.FRACTION for q in scan(text))


def test_a_fraction_beside_a_dash_is_still_a_fraction():
    assert [q.kind for q in scan("đạt 35/38 nhiệm vụ - còn 3 nhiệm vụ")][0] == Kind.FRACTION


@pytest.mark.parametrize("text", ["= (Trước hạn + Đúng hạn)/Tổng số hồ sơ đã giải quyết x 100", "= b/a*100"])
def test_the_hundred_of_a_formula_is_not_an_amount(text):
    assert not any(q.is_quantity and q.raw == "100" for q in scan(text))
