"""A reading is checked against its own arithmetic before anything is reported: a relation
that fails on every row says the table was misread, and two figures that differ by a third
stated beside them are a total and its part, not a contradiction."""
from auditor.engine import Config, audit_text

RESULTS = ("STT\tLĩnh vực\tSố hồ sơ đã giải quyết\t\t\t\tTỷ lệ trước hạn, đúng hạn (%)\n"
           "\t\tTổng số\tTrước hạn\t{on_time}\tQuá hạn\t\n"
           "1\tHộ tịch\t400\t380\t20\t0\t{r1}\n"
           "2\tChứng thực\t300\t290\t9\t1\t{r2}\n"
           "3\tĐất đai\t50\t40\t8\t2\t{r3}\n"
           "\tTổng cộng\t750\t710\t37\t3\t{rt}\n")


def _rates(text):
    return [f for f in audit_text(text, Config(select=("AUD203",))) if f.severity.value == "error"]


def test_misspelt_on_time_header_is_read_and_the_slip_found():
    text = RESULTS.format(on_time="Đung hạn", r1="100", r2="99,7", r3="86", rt="99,6")
    found = _rates(text)
    assert [f.stated for f in found] == [86.0]  # 48/50 = 96%: one row wrong, the others hold


def test_rate_column_failing_on_every_row_is_a_misreading():
    # The stated rates are the early share only (380/400 = 95% …): under the template's reading
    # every row fails, so the column was not what the reader took it for. Nothing is reported.
    text = RESULTS.format(on_time="Đúng hạn", r1="95", r2="96,7", r3="80", rt="94,7")
    assert _rates(text) == []


def test_total_and_part_differing_by_a_stated_figure_are_not_a_conflict():
    text = ("Tổng số hồ sơ nhận giải quyết trong kỳ là 1.208 hồ sơ, trong đó: 37 hồ sơ từ kỳ trước "
            "chuyển qua và 1.171 hồ sơ mới tiếp nhận.\n\n"
            "Trong kỳ đã tiếp nhận 1.171 hồ sơ.\n")
    assert audit_text(text, Config(select=("AUD103",))) == []


def test_part_after_gom_belongs_to_its_totals_family():
    from auditor.engine import build_context

    ctx = build_context("Số hồ sơ đang giải quyết là 56 hồ sơ, gồm 54 hồ sơ trong hạn và 02 hồ sơ quá hạn.\n")
    assert [(o.concept, o.value) for o in ctx.observations] == [
        ("files.pending", 56), ("files.pending.within", 54), ("files.pending.overdue", 2)]


def test_table_vs_table_needs_one_reading_per_table():
    # Table 1 gives the concept for a row and its "Trong đó" sub-row: no single value, so it is
    # not compared; the two readings are not a contradiction between tables.
    text = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n"
            "3.2\tTổng số hồ sơ tiếp nhận trong kỳ\tHồ sơ\t1.313\n"
            "3.2.1\tSố hồ sơ mới tiếp nhận trong kỳ\tHồ sơ\t1.295\n\n"
            "STT\tLĩnh vực\tSố hồ sơ tiếp nhận\tSố hồ sơ đã giải quyết\n"
            "1\tHộ tịch\t800\t800\n2\tChứng thực\t513\t513\n\tTổng cộng\t1.313\t1.313\n")
    assert audit_text(text, Config(select=("AUD102",))) == []


def test_identity_missing_by_a_stated_carried_over_figure_is_another_extent():
    text = ("Trong năm 2024, tổng số hồ sơ TTHC xã nhận giải quyết là 2.141 hồ sơ (năm trước chuyển sang "
            "20 hồ sơ, tiếp nhận mới 2.121 hồ sơ). Trong đó: tiếp nhận trực tuyến 1.732 hồ sơ; tiếp nhận "
            "trực tiếp và qua dịch vụ bưu chính công ích 409 hồ sơ.\n")
    assert audit_text(text, Config(select=("AUD201",))) == []


def test_the_classic_slip_is_still_found():
    text = ("Tổng số hồ sơ đã được tiếp nhận trong kỳ là 597 hồ sơ, trong đó có 596 hồ sơ trực tuyến và "
            "01 hồ sơ tiếp nhận trực tiếp. Hiện có 593 hồ sơ đã được giải quyết trước hạn, 05 hồ sơ đang "
            "trong hạn giải quyết.\n")
    found = audit_text(text, Config(select=("AUD201",)))
    assert [(f.stated, f.expected) for f in found] == [(597, 598)]


def test_figures_of_one_field_are_checked_among_themselves():
    text = ("Các lĩnh vực phát sinh nhiều hồ sơ: lĩnh vực hộ tịch với 523 hồ sơ, đã giải quyết 513 hồ sơ; "
            "lĩnh vực đất đai nhận giải quyết 113 hồ sơ, đã giải quyết 85 hồ sơ.\n")
    assert audit_text(text, Config(select=("AUD205", "AUD201"))) == []


def test_a_group_header_is_derived_from_its_columns_for_identities():
    # "Số hồ sơ đang giải quyết" has no total column: its parts make it, and the row's
    # received = resolved + pending is checked (87 ≠ 74 + 31 + 0).
    text = ("STT\tLĩnh vực\tSố hồ sơ nhận giải quyết\tSố hồ sơ đã giải quyết\tSố hồ sơ đang giải quyết\t\n"
            "\t\tTổng số\tTổng số\tTrong hạn\tQuá hạn\n"
            "1\tHộ tịch\t400\t390\t10\t0\n2\tChứng thực\t300\t300\t0\t0\n3\tĐất đai\t60\t50\t9\t1\n"
            "4\tXây dựng\t87\t74\t31\t0\n5\tTư pháp\t20\t20\t0\t0\n")
    found = audit_text(text, Config(select=("AUD201",)))
    assert [(f.stated, f.expected) for f in found] == [(87, 105)]


def test_several_fields_named_together_are_no_single_row():
    text = ("- Các lĩnh vực giáo dục và đào tạo, nội vụ, môi trường tiếp nhận 62 hồ sơ, đã giải quyết 61 hồ sơ.\n\n"
            "STT\tLĩnh vực\tSố hồ sơ tiếp nhận\tSố hồ sơ đã giải quyết\n"
            "1\tGiáo dục và đào tạo\t21\t21\n2\tNội vụ\t30\t29\n3\tMôi trường\t11\t11\n\tTổng cộng\t62\t61\n")
    assert audit_text(text, Config(select=("AUD101", "AUD103"))) == []


def test_a_zero_by_negation_takes_its_measure_from_what_follows():
    from auditor.engine import build_context

    ctx = build_context("Lĩnh vực hộ tịch tiếp nhận 486 hồ sơ; đã giải quyết 478 hồ sơ, không có hồ sơ quá hạn.\n")
    assert all(o.value != 0 or o.concept != "files.received" for o in ctx.observations)
    text = "- Lĩnh vực chứng thực: tiếp nhận và giải quyết 1.054 hồ sơ, không có hồ sơ tồn; trong đó 27 hồ sơ chứng thực hợp đồng.\n"
    assert audit_text(text, Config(select=("AUD204", "AUD205"))) == []


def test_assisted_and_goal_figures_are_not_the_units_own():
    text = ("a) Tổng số hồ sơ nhận giải quyết trong quý: 2.027 hồ sơ, trong đó: tiếp nhận trực tuyến 533 hồ sơ.\n\n"
            "Tổ công nghệ số cộng đồng đã hỗ trợ người dân nộp 1.086 hồ sơ trực tuyến.\n\n"
            "4. Phấn đấu hỗ trợ người dân nộp thêm 250 hồ sơ trực tuyến.\n")
    assert audit_text(text, Config(select=("AUD101", "AUD103"))) == []


def test_the_sibling_of_a_listed_part_is_a_part():
    text = ("Tổng số cán bộ, công chức phường hiện có 21 người/23 biên chế được giao (10 cán bộ, 11 công chức).\n\n"
            "Biên chế có mặt là 21 người.\n")
    assert audit_text(text, Config(select=("AUD103",))) == []


def test_the_bracketed_figure_of_a_comparison_is_the_other_periods():
    text = ("Trong quý II, Bộ phận Một cửa xã tiếp nhận mới 783 hồ sơ, tăng 100 hồ sơ so với quý I năm 2025 "
            "(683 hồ sơ); tiếp nhận trực tuyến 318 hồ sơ, trực tiếp 465 hồ sơ.\n")
    assert audit_text(text, Config(select=("AUD201", "AUD103"))) == []
