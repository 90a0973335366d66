"""Every user-facing string of the outputs and the command line, in Vietnamese and English.

One catalogue, one entry per key with both languages side by side, so a string cannot be
added in one language and forgotten in the other (tests/test_i18n.py checks it). Vietnamese
is the default; `--lang en` switches. The findings' own messages are written by the rules in
Vietnamese; `polish()` brings a few of their phrasings into the office register for the
human-facing views (JSON keeps the rules' text untouched).
"""
from __future__ import annotations

import argparse
import contextlib
import re

LANGS = ("vi", "en")
_lang = "vi"


def set_lang(lang: str) -> None:
    global _lang
    if lang not in LANGS:
        raise ValueError(lang)
    _lang = lang


def get_lang() -> str:
    return _lang


@contextlib.contextmanager
def language(lang: str):
    old = _lang
    set_lang(lang)
    try:
        yield
    finally:
        set_lang(old)


def t(key: str, **kw) -> str:
    """The string for `key` in the current language, formatted with `kw`."""
    entry = MESSAGES[key]
    s = entry.get(_lang) or entry["vi"]
    return s.format(**kw) if kw else s


MESSAGES: dict[str, dict[str, str]] = {
    # severities
    "sev.error": {"vi": "LỖI", "en": "ERROR"},
    "sev.warning": {"vi": "CẢNH BÁO", "en": "WARNING"},
    "sev.info": {"vi": "LƯU Ý", "en": "NOTE"},
    "count.error": {"vi": "{n} lỗi", "en": "{n} error(s)"},
    "count.warning": {"vi": "{n} cảnh báo", "en": "{n} warning(s)"},
    "count.info": {"vi": "{n} lưu ý", "en": "{n} note(s)"},
    "sevcol.error": {"vi": "Lỗi", "en": "Errors"},
    "sevcol.warning": {"vi": "Cảnh báo", "en": "Warnings"},
    "sevcol.info": {"vi": "Lưu ý", "en": "Notes"},
    # where a number sits
    "where.narrative": {"vi": "thuyết minh", "en": "narrative"},
    "where.table": {"vi": "phụ lục", "en": "appendix"},
    "where.appendix": {"vi": "phụ lục", "en": "appendix"},
    "where.header": {"vi": "phần đầu văn bản", "en": "document header"},
    # roles of evidence
    "role.total": {"vi": "tổng", "en": "total"},
    "role.part": {"vi": "thành phần", "en": "part"},
    "role.cell": {"vi": "ô bảng", "en": "table cell"},
    "role.claim": {"vi": "thuyết minh", "en": "narrative"},
    "role.rate": {"vi": "tỷ lệ", "en": "rate"},
    "role.numerator": {"vi": "tử số", "en": "numerator"},
    "role.denominator": {"vi": "mẫu số", "en": "denominator"},
    "role.fraction": {"vi": "phân số", "en": "fraction"},
    "role.alternative": {"vi": "số ghi ở chỗ khác", "en": "stated elsewhere"},
    "role.placeholder": {"vi": "chỗ để trống", "en": "blank"},
    "role.heading": {"vi": "đề mục", "en": "heading"},
    "role.date": {"vi": "ngày", "en": "date"},
    "role.period": {"vi": "kỳ báo cáo", "en": "period"},
    "role.unit": {"vi": "đơn vị tính", "en": "unit"},
    "role.reference": {"vi": "dẫn chiếu", "en": "reference"},
    "role.header": {"vi": "đầu văn bản", "en": "header"},
    "role.rule": {"vi": "quy tắc", "en": "rule"},
    # locations
    "loc.section": {"vi": "Mục {code}", "en": "Section {code}"},
    "loc.stt": {"vi": "STT {stt}", "en": "row {stt}"},
    "loc.column": {"vi": "cột «{h}»", "en": "column “{h}”"},
    "loc.page": {"vi": "trang {n}", "en": "page {n}"},
    "loc.line": {"vi": "dòng {n}", "en": "line {n}"},
    "loc.header": {"vi": "Phần đầu văn bản", "en": "Document header"},
    "loc.other": {"vi": "Chung", "en": "General"},
    "table.indicator": {"vi": "Bảng thống kê chỉ tiêu", "en": "Indicator table"},
    "table.results": {"vi": "Bảng kết quả giải quyết hồ sơ", "en": "Table of files by field"},
    "table.generic": {"vi": "Bảng số liệu", "en": "Data table"},
    "table.in_section": {"vi": "{title} trong mục {code}", "en": "{title} in section {code}"},
    # report header
    "hdr.number": {"vi": "Số {number}", "en": "No. {number}"},
    "hdr.number_blank": {"vi": "Số: (để trống)", "en": "No.: (blank)"},
    "hdr.date": {"vi": "ngày {date}", "en": "dated {date}"},
    "hdr.period": {"vi": "Kỳ báo cáo: {period}", "en": "Period: {period}"},
    "hdr.unit": {"vi": "Đơn vị: {unit}", "en": "Reporting unit: {unit}"},
    "hdr.unknown": {"vi": "(không rõ)", "en": "(unknown)"},
    "hdr.file": {"vi": "Tệp: {path}", "en": "File: {path}"},
    # findings
    "none": {"vi": "Không phát hiện số liệu chưa khớp.", "en": "No contradicting numbers found."},
    "diff.narrative": {"vi": "Thuyết minh ghi", "en": "Narrative says"},
    "diff.table": {"vi": "Phụ lục ghi", "en": "Appendix says"},
    "diff.first": {"vi": "Chỗ thứ nhất ghi", "en": "First place says"},
    "diff.second": {"vi": "Chỗ khác ghi", "en": "Elsewhere says"},
    "arith": {"vi": "Phép tính", "en": "Arithmetic"},
    "culprit": {"vi": "Số nghi sai", "en": "Likely wrong"},
    "fix": {"vi": "Đề nghị", "en": "Proposed fix"},
    "fix.change": {"vi": "nếu sửa {a} thành {b} thì số liệu khớp", "en": "changing {a} to {b} makes the figures agree"},
    "where": {"vi": "Vị trí", "en": "Where"},
    "conf": {"vi": "Độ tin cậy", "en": "Confidence"},
    "conf.high": {"vi": "cao ({p})", "en": "high ({p})"},
    "conf.medium": {"vi": "trung bình ({p}): hai số có thể không cùng chỉ một nội dung", "en": "medium ({p}): the two numbers may not measure the same thing"},
    "conf.low": {"vi": "thấp ({p})", "en": "low ({p})"},
    "knock_on": {"vi": "Cùng nguyên nhân, kéo theo", "en": "Same cause, knock-on effects"},
    "causes": {"vi": "{n} nội dung cần sửa", "en": "{n} item(s) to correct"},
    "fold": {"vi": "{n} {what}: {items}", "en": "{n} {what}: {items}"},
    "fold.more": {"vi": "và {n} mục khác", "en": "and {n} more"},
    "summary": {"vi": "Tổng hợp: {e}, {w}, {i}", "en": "Summary: {e}, {w}, {i}"},
    "warnings.hidden": {"vi": "(ẩn {n} cảnh báo; thêm --warnings để đưa vào)", "en": "({n} warnings left out; add --warnings)"},
    "codes": {"vi": "Mã quy tắc", "en": "Rule code"},
    # batch
    "batch.title": {"vi": "Tổng hợp kết quả kiểm tra {n} báo cáo", "en": "Summary of {n} reports"},
    "batch.unit": {"vi": "Đơn vị", "en": "Reporting unit"},
    "batch.ref": {"vi": "Số/ngày", "en": "No./date"},
    "batch.period": {"vi": "Kỳ", "en": "Period"},
    "batch.status": {"vi": "Trạng thái", "en": "Status"},
    "batch.file": {"vi": "Tệp", "en": "File"},
    "status.ok": {"vi": "Đạt", "en": "Pass"},
    "status.fix": {"vi": "Cần chỉnh sửa", "en": "Needs corrections"},
    "status.unreadable": {"vi": "Không đọc được", "en": "Unreadable"},
    "batch.totals": {"vi": "Tổng cộng {n} báo cáo: {ok} đạt, {fix} cần chỉnh sửa, {bad} không đọc được; {e}, {w}, {i}.",
                     "en": "{n} reports in all: {ok} pass, {fix} need corrections, {bad} unreadable; {e}, {w}, {i}."},
    "batch.common": {"vi": "Vấn đề thường gặp", "en": "Most common problems"},
    "batch.common_row": {"vi": "{k}/{n} báo cáo: {what}", "en": "{k}/{n} reports: {what}"},
    "batch.duplicate": {"vi": "Cùng một báo cáo gửi nhiều lần: {files}", "en": "Same report sent more than once: {files}"},
    "batch.sheet": {"vi": "Tổng hợp", "en": "Summary"},
    # problem families (batch "most common problems")
    "kind.narrative-vs-table": {"vi": "thuyết minh và phụ lục ghi khác nhau", "en": "narrative and appendix disagree"},
    "kind.table-vs-table": {"vi": "các bảng phụ lục ghi khác nhau", "en": "appendix tables disagree"},
    "kind.narrative-vs-narrative": {"vi": "thuyết minh nêu một chỉ tiêu với hai giá trị", "en": "narrative states one figure twice, differently"},
    "kind.identity": {"vi": "tổng không bằng các thành phần", "en": "total is not the sum of its parts"},
    "kind.sum": {"vi": "tổng liệt kê không khớp", "en": "listed parts do not add up"},
    "kind.rate": {"vi": "tỷ lệ không khớp với tử số, mẫu số", "en": "rate does not match its counts"},
    "kind.fraction": {"vi": "phân số viết sai", "en": "malformed fraction"},
    "kind.hierarchy": {"vi": "thành phần lớn hơn tổng", "en": "a part exceeds its total"},
    "kind.placeholder": {"vi": "chỗ để trống hoặc đơn vị tính chưa đúng", "en": "blanks or wrong units"},
    "kind.numbering": {"vi": "đánh số mục chưa đúng", "en": "section numbering"},
    "kind.date": {"vi": "ngày tháng, kỳ báo cáo", "en": "dates and period"},
    "kind.internal": {"vi": "lỗi nội bộ của công cụ", "en": "internal error of the tool"},
    # folded notes, by rule name
    "foldname.rate.zero-over-zero": {"vi": "chỉ tiêu tỷ lệ không phát sinh (0/0), nên để trống hoặc ghi «không phát sinh»",
                                     "en": "rates with nothing to count (0/0): leave blank or write “none arising”"},
    "foldname.rate.missing": {"vi": "dòng tỷ lệ để trống dù đã có tử số và mẫu số",
                              "en": "rate rows left blank although both counts are given"},
    "foldname.placeholder.unit-mismatch": {"vi": "dòng có đơn vị tính chưa đúng với chỉ tiêu",
                                           "en": "rows whose unit does not fit the indicator"},
    "foldname.numbering.sections": {"vi": "chỗ đánh số mục chưa liền mạch", "en": "gaps or repeats in section numbering"},
    "foldname.other": {"vi": "lưu ý cùng loại", "en": "notes of the same kind"},
    # docx correction request
    "doc.nation": {"vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "en": "SOCIALIST REPUBLIC OF VIETNAM"},
    "doc.motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "doc.title": {"vi": "PHIẾU ĐỀ NGHỊ CHỈNH SỬA BÁO CÁO", "en": "REQUEST FOR CORRECTIONS"},
    "doc.subject": {"vi": "V/v rà soát, chỉnh sửa số liệu Báo cáo kết quả công tác cải cách hành chính{period}",
                    "en": "Re: corrections to the administrative-reform report{period}"},
    "doc.to": {"vi": "Kính gửi: {to}", "en": "To: {to}"},
    "doc.to_default": {"vi": "UBND xã/phường/thị trấn …", "en": "People's Committee of …"},
    "doc.ref": {"vi": "Căn cứ {ref} về kết quả công tác cải cách hành chính{period},",
                "en": "With reference to {ref} on administrative reform{period},"},
    "doc.ref_report": {"vi": "Báo cáo số {number} ngày {date} của {unit}", "en": "report No. {number} dated {date} of {unit}"},
    "doc.body": {"vi": "{office} đã kiểm tra, đối chiếu số liệu; báo cáo còn {n} nội dung chưa khớp như sau:",
                 "en": "{office} has checked the figures; the report has {n} item(s) that do not agree:"},
    "doc.none": {"vi": "{office} đã kiểm tra, đối chiếu số liệu; chưa phát hiện nội dung chưa khớp.",
                 "en": "{office} has checked the figures and found nothing that disagrees."},
    "doc.col.stt": {"vi": "STT", "en": "No."},
    "doc.col.where": {"vi": "Vị trí (mục / biểu, STT dòng, trang)", "en": "Location (section / table, row, page)"},
    "doc.col.stated": {"vi": "Báo cáo ghi", "en": "Report states"},
    "doc.col.problem": {"vi": "Nội dung chưa khớp", "en": "What does not agree"},
    "doc.col.fix": {"vi": "Đề nghị chỉnh sửa", "en": "Requested correction"},
    "doc.fix_default": {"vi": "Rà soát, thống nhất số liệu", "en": "Check and reconcile the figures"},
    "doc.deadline": {"vi": "Đề nghị {to} rà soát, chỉnh sửa các nội dung trên và gửi lại báo cáo trước ngày {deadline}.",
                     "en": "We ask {to} to correct the items above and resubmit the report by {deadline}."},
    "doc.deadline_none": {"vi": "Đề nghị {to} rà soát, chỉnh sửa các nội dung trên và gửi lại báo cáo.",
                          "en": "We ask {to} to correct the items above and resubmit the report."},
    "doc.reviewer": {"vi": "Người kiểm tra", "en": "Reviewer"},
    "doc.office_default": {"vi": "Phòng Nội vụ", "en": "The Home Affairs office"},
    "doc.recipients": {"vi": "Nơi nhận:", "en": "Copy to:"},
    "doc.archive": {"vi": "- Lưu: {office}.", "en": "- File: {office}."},
    # xlsx
    "x.sheet": {"vi": "Phát hiện", "en": "Findings"},
    "x.severity": {"vi": "Mức", "en": "Severity"},
    "x.kind": {"vi": "Nhóm", "en": "Kind"},
    "x.section": {"vi": "Mục", "en": "Section"},
    "x.table": {"vi": "Biểu/bảng", "en": "Table"},
    "x.stt": {"vi": "STT dòng", "en": "Row"},
    "x.column": {"vi": "Cột", "en": "Column"},
    "x.page": {"vi": "Trang", "en": "Page"},
    "x.line": {"vi": "Dòng (bản đọc)", "en": "Line (as read)"},
    "x.state": {"vi": "Trạng thái xử lý", "en": "Status"},
    "x.reviewer": {"vi": "Người kiểm tra", "en": "Reviewer"},
    "x.comment": {"vi": "Ý kiến", "en": "Comment"},
    "x.culprit": {"vi": "Số nghi sai", "en": "Likely wrong"},
    # html
    "h.title": {"vi": "Kết quả kiểm tra số liệu báo cáo", "en": "Report figures check"},
    "h.filters": {"vi": "Lọc", "en": "Filter"},
    "h.all_rules": {"vi": "Mọi quy tắc", "en": "All rules"},
    "h.text": {"vi": "Văn bản báo cáo (số liệu được tô sáng)", "en": "Report text (figures highlighted)"},
    "h.tables": {"vi": "Bảng số liệu dựng lại", "en": "Tables as read"},
    "h.findings": {"vi": "Các nội dung chưa khớp", "en": "Findings"},
    "h.goto": {"vi": "xem trong văn bản", "en": "show in text"},
    "h.unreadable": {"vi": "Không đọc được tệp: {reason}", "en": "Could not read the file: {reason}"},
    # batch runs in worker processes (auditor/runner.py)
    "run.timeout": {"vi": "kiểm tra tệp {file} vượt quá giới hạn thời gian {limit} giây (--timeout), "
                          "đã dừng và bỏ qua tệp này",
                    "en": "auditing {file} went over the time limit of {limit} s (--timeout); stopped and skipped"},
    "run.died": {"vi": "tiến trình kiểm tra tệp {file} dừng đột ngột ({why}), đã bỏ qua tệp này; "
                       "hãy báo lỗi kèm tệp đầu vào",
                 "en": "the process auditing {file} stopped unexpectedly ({why}); file skipped, "
                       "please report it with the input"},
    # misc
    "written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "needs_output": {"vi": "định dạng {fmt} là tệp nhị phân: cần -o/--output TỆP",
                     "en": "format {fmt} is binary: give -o/--output FILE"},
}


# --- the office register -------------------------------------------------------------------------

_POLISH_VI = [
    (re.compile(r"\bchênh (\d+(?:,\d+)?) điểm\b(?! phần trăm)"), r"chênh lệch \1 điểm phần trăm"),
    (re.compile(r"\bchênh (\d[\d.,]*)(?=[ ;)]|$)"), r"chênh lệch \1"),
    (re.compile(r"[,;] với số đó đẳng thức đúng"), ", nếu sửa theo số đó thì số liệu khớp"),
    (re.compile(r"chỉ tiêu đếm «([^»]+)»"), lambda m: f"chỉ tiêu đếm {m.group(1).upper()}"),
    (re.compile(r"; có lẽ là (\S+)$"), r"; nhiều khả năng đúng là \1"),
    (re.compile(r"\(0/0 không xác định\)"), "(0/0, không phát sinh)"),
]


_LINE_REFS = [
    (re.compile(r"^(?:Dòng|dòng) \d+: "), ""),  # "Dòng 106: tổng …": the view shows where
    (re.compile(r"^Bảng \d+, "), ""),  # "Bảng 1, 2.5 Tỷ lệ …": the table is named by its title
    (re.compile(r" \((?:dòng|Dòng) \d+\)"), ""),  # "thuyết minh (dòng 327) ghi"
]


def strip_line_refs(message: str | None) -> str | None:
    """Internal line numbers out of a message: the views give the place a person can follow."""
    if not message:
        return message
    for pat, rep in _LINE_REFS:
        message = pat.sub(rep, message)
    return message[:1].upper() + message[1:]


def polish(message: str | None) -> str | None:
    """A rule message in the office register (Vietnamese only; English views keep it as is)."""
    if not message:
        return message
    for pat, rep in _POLISH_VI:
        message = pat.sub(rep, message)
    return message


# --- argparse in Vietnamese ----------------------------------------------------------------------

ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "in trợ giúp này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "expected one argument": "cần đúng một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (chọn: %(choices)s)",
}


@contextlib.contextmanager
def argparse_language(lang: str):
    """argparse's own messages in `lang` while building and running a parser."""
    if lang == "en":
        yield
        return
    original = argparse._
    argparse._ = lambda s: ARGPARSE_VI.get(s, original(s))
    try:
        yield
    finally:
        argparse._ = original
