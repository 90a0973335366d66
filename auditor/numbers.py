"""The Vietnamese number grammar: find every number in a text and say what it is.

Official style groups thousands with "." and marks decimals with ","; reports mix in
the English style and bare forms. Each number is read from its own shape first, then
its unit (a count of files cannot be 1,29), then the style the document uses
elsewhere; when none of these settles it the mention is marked `ambiguous` and keeps
the other reading in `alt_value`.

Not every number is a quantity: dates, document identifiers, section numbers,
standards, times, phone numbers, ordinals and legend codes are returned with their own
kind so that callers (and `auditor numbers`) can tell them apart.

The grammar is measured against corpora/numbers/labelled.yaml by scripts/number_eval.py.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from auditor.lexicon import fold, units
from auditor.model import Kind, Quantity

# A run of digits and separators that starts and ends with a digit.
_RUN = re.compile(r"(?<![\w.,/])\d(?:[\d]|[.,:/](?=\d))*")
_SPACES = " \t\u00a0"
# Document identifiers: 22/QĐ-UBND, 30/2020/NĐ-CP, 118/UBND - NV, 07/QĐ- UBND …
_DOC_ID_TAIL = re.compile(r"[ \t]*/[ \t]*[A-ZĐ][A-Za-zĐđ0-9]*(?:[ \t]*[-–][ \t]*[A-ZĐ][A-Za-zĐđ0-9]*)*")
# … and the Party's style with the dash first: 26-CT/TU, 05-NQ/TW, 35-QĐ/TU.
_DOC_ID_DASH = re.compile(r"-[A-ZĐ]{1,6}/[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)*")
_DATE_CUES = re.compile(r"(?:ngày|từ|đến|tới|hôm|trước|sau|kể từ|ký|đên)\s*$", re.IGNORECASE)
_MONTH_CUE = re.compile(r"(?<!\w)tháng\s*$", re.IGNORECASE)
_DAY_CUE = re.compile(r"(?<!\w)ngày\s*$", re.IGNORECASE)
_YEAR_CUE = re.compile(
    r"(?<!\w)(?:năm|niên độ|niên khóa|giai đoạn|nhiệm kỳ|tầm nhìn đến|đầu|cuối|khóa)\s*$",
    re.IGNORECASE,
)
_STANDARD_CUE = re.compile(r"(?:ISO|TCVN|QCVN|IEC)\s*$", re.IGNORECASE)
_ORDINAL_WORDS = (
    r"thứ|mức độ|mức|cấp độ|đề án|nghị định|thông tư|điều|khoản|chương|mục|phụ lục|biểu|"
    r"biểu mẫu|mẫu số|phần|tổ|thôn|khu|xóm|đội|quý|phiên bản|version|số hiệu|khóa|kỳ họp|cụm|"
    r"số nhà|phường|quận|quốc lộ|tỉnh lộ|đường"
)
# "Biểu số 02", "Phụ lục số 3": the word may be followed by "số".
_ORDINAL_CUE = re.compile(rf"(?:(?<!\w)(?:{_ORDINAL_WORDS})(?:\s+số)?|[“\"'(])\s*$", re.IGNORECASE)
# "mức độ 3, 4", "thứ 2 và 3": the later numbers of a list keep the cue of the first.
_ORDINAL_LIST = re.compile(
    r"(?<!\w)(?:thứ|mức độ|mức|cấp độ)\s*\d{1,2}(?:\s*(?:,|và|hoặc)\s*\d{1,2})*\s*(?:,|và|hoặc)\s*$",
    re.IGNORECASE,
)
# Slogans named by a number: mô hình "3 không", khẩu hiệu "3 hơn", "03 không “Không giấy tờ…”".
_SLOGAN = re.compile(
    r"[ \t]+(?:không|hơn)(?=[ \t]*(?:[”\"“:,.;)*]|$|\n|[ \t](?:hàng|tại|trong|của|và)\b))",
    re.IGNORECASE,
)
_RANK_CUE = re.compile(r"(?<!\w)(?:thứ|hạng)\s*$", re.IGNORECASE)
# "Chỉ tiêu 5 tại Nghị quyết…": a numbered target, when a word (not a cell end) follows.
_NAMED_CUE = re.compile(r"(?<!\w)(?:chỉ tiêu|tiêu chí)[ \t]*$", re.IGNORECASE)
_CODE_CUE = re.compile(r"[^\W\d_][ \t]*=[ \t]*$")
_WRITTEN_DATE = re.compile(
    r"(?<!\w)(?:ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"
    r"|tháng\s+(\d{1,2}|[IVX]+)\s+năm\s+(\d{4}))(?![\d/])",
    re.IGNORECASE,
)
_QUARTER = re.compile(
    r"(?<!\w)(?i:quý)\s+(IV|I{1,3}|[1-4](?!\s*tháng))(?:\s*/\s*(\d{4})|\s+(?i:năm)\s+(\d{4}))?(?![\w/])"
)
_STANDARD = re.compile(
    r"\b(?:ISO|TCVN|QCVN|IEC)(?:[ \t]*/[ \t]*(?:ISO|IEC))?(?:\s+(?:ISO|IEC))?\s+"
    r"(\d{1,6}(?:-\d{1,3})?(?:[ \t]*:[ \t]*(?:19|20)\d\d)?)(?!\d)"
)
_PHONE = re.compile(r"0\d{2,4}(?:[ .]?\d{3,4}){2}")
_PHONE_SPACED = re.compile(r"(?<![\w.,/])\(?0\d{2,4}\)?(?:[ .]\d{3,4}){2}(?!\d|[.,/]\d)")
_TIME_HM = re.compile(
    r"(?<![\w.,/])(\d{1,2})(?:[ \t]*giờ[ \t]*|h)(\d{2})(?:[ \t]*phút)?(?![\w])", re.IGNORECASE
)
_TIME_H = re.compile(r"(?<![\w.,/])(\d{1,2})(?:[ \t]*giờ|h)(?!\w)", re.IGNORECASE)
_TIME_CUE = re.compile(r"(?<!\w)(?:lúc|vào|từ|đến|tới|trước)\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(r"[ \t]*(?:sáng|chiều|tối|trưa|đêm)\b", re.IGNORECASE)
_BOUNDS = [
    ("không quá", "<="), ("tối thiểu", ">="), ("ít nhất", ">="), ("tối đa", "<="),
    ("chưa đến", "<"), ("xấp xỉ", "~"), ("khoảng", "~"), ("gần", "<~"), ("trên", ">"),
    ("hơn", ">"), ("dưới", "<"), ("ngoài", ">"), ("quá", ">"),
]
_BOUND_RE = re.compile(
    r"(?:^|\s)(" + "|".join(re.escape(w) for w, _ in _BOUNDS) + r")\s*$", re.IGNORECASE
)
_BOUND_AFTER = re.compile(r"[ \t]*(trở lên|trở xuống)\b", re.IGNORECASE)
_RANGE_DASH = re.compile(r"[ \t]*[–—-][ \t]*(?:dưới[ \t]+|đến[ \t]+)?")
_RANGE_WORD = re.compile(r"\s*(?:đến|tới)\s+(?:dưới\s+)?")
_PERCENT = re.compile(r"[ \u00a0]*(%|phần trăm)")  # not across a tab: that is the next cell
# A unit noun that is only the first syllable of another word: "tỷ lệ" is not money,
# "ban hành" is not a board, "bộ phận" is not a set.
_NOT_UNIT = re.compile(
    r"\s*(?:tỷ\s+lệ|tỉ\s+lệ|ban\s+hành|ban\s+chỉ\s+đạo|ban\s+thường\s+vụ|bộ\s+phận|bộ\s+máy|"
    r"bộ\s+chỉ\s+số|bộ\s+thủ\s+tục|tin\s+học|tin\s+nhắn|phòng\s*,?\s+chống|đơn\s+giản|đơn\s+vị\s+tính|"
    r"lần\s+thứ|bài\s+học|máy\s+móc)(?!\w)",
    re.IGNORECASE,
)
# Words after which a bare 4-digit number is a quantity, not a year ("là 2024").
_AMOUNT_VERB = re.compile(
    r"(?<!\w)(?:là|đạt|được|có|gồm|tổng|tổng số|còn|thiếu|bằng|tăng|giảm|nhận|tiếp nhận|"
    r"giải quyết|ban hành|xử lý|số hóa|số lượng|cấp|cộng)\s*:?\s*$",
    re.IGNORECASE,
)
_YEAR_FOLLOW = re.compile(
    r"(?:[ \t]*(?:[,.;:)\]”\"]|$|\n)|[ \t]+(?:và|về|của|đã|tại|trên|theo|với|so|thì|trở|đến|tới|"
    r"nhằm|để|nay)\b)",
    re.IGNORECASE,
)
_PERSON_SUBJECT = re.compile(
    r"(?<!\w)(?:công dân|người dân|nhân dân|người|dân|doanh nghiệp|hộ gia đình)\s*$", re.IGNORECASE
)


def scan(text: str, *, style: str | None = None) -> list[Quantity]:
    """Every number mention in `text`, quantities and non-quantities, in order.

    `style` is the document's decimal style ("official", "english" or "mixed");
    when None it is inferred from `text` itself.
    """
    style = style or infer_style(text)
    out: list[Quantity] = []
    taken = _Spans()

    def claim(s, e, kind, note, value=0.0):
        if taken.overlaps(s, e):
            return
        out.append(_mention(text, s, e, kind, note=note, value=value))
        taken.add(s, e)

    for m in _WRITTEN_DATE.finditer(text):
        day, month = m.group(1), m.group(2) or m.group(4)
        if (day and not 1 <= int(day) <= 31) or (month.isdigit() and not 1 <= int(month) <= 12):
            # Still a date, an impossible one: the date rule must see it.
            claim(m.start(), m.end(), Kind.DATE, "ngày viết bằng chữ không hợp lệ")
            continue
        claim(m.start(), m.end(), Kind.DATE, "ngày viết bằng chữ")
    for m in _QUARTER.finditer(text):
        claim(m.start(), m.end(), Kind.DATE, "quý")
    for m in _STANDARD.finditer(text):
        claim(m.start(1), m.end(1), Kind.STANDARD, "tiêu chuẩn")
    for m in _PHONE_SPACED.finditer(text):
        if len(re.sub(r"\D", "", m.group(0))) in (10, 11):
            claim(m.start(), m.end(), Kind.PHONE, "số điện thoại")
    for m in _TIME_HM.finditer(text):
        if int(m.group(1)) <= 23 and int(m.group(2)) <= 59:
            claim(m.start(), m.end(), Kind.TIME, "giờ")
    for m in _TIME_H.finditer(text):
        left = text[max(0, m.start() - 12) : m.start()]
        if int(m.group(1)) <= 24 and (_TIME_CUE.search(left) or _TIME_AFTER.match(text, m.end())):
            claim(m.start(), m.end(), Kind.TIME, "giờ")

    pos = 0
    for m in _RUN.finditer(text):
        if m.start() < pos or taken.overlaps(m.start(), m.end()):
            continue
        q = _classify(text, m.start(), m.end(), style)
        if q is None:
            continue
        if taken.overlaps(q.start, q.end):
            q = _classify(text, m.start(), m.end(), style, allow_range=False)
            if q is None or taken.overlaps(q.start, q.end):
                continue
        out.append(q)
        taken.add(q.start, q.end)
        pos = q.end
    out.extend(_number_words(text, taken))
    out.sort(key=lambda q: q.start)
    return out


def quantities(text: str, *, style: str | None = None) -> list[Quantity]:
    """Only the mentions that are amounts."""
    return [q for q in scan(text, style=style) if q.is_quantity]


# Each alternative starts only where a number starts: a start inside "1.000.000.000…" would
# make the search quadratic.
_STYLE_OFFICIAL = re.compile(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d.,])|(?<![\d.,])\d{1,3}(?:\.\d{3})+,\d+")
_STYLE_ENGLISH = re.compile(
    r"(?<![\d.,/])\d{1,3}\.\d{1,2}(?![\d.,/])|(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d+"
)


def infer_style(text: str) -> str:
    """Which decimal mark the document uses where its shape leaves no doubt.

    Section numbers ("2.1 Số nhiệm vụ", "3.1.\\t"), a number after a cue like "mục" or
    "phiên bản", and lists like "mức độ 3, 4" (mark followed by a space) are no evidence.
    """
    official = 0
    for m in _STYLE_OFFICIAL.finditer(text):
        if _style_evidence(text, m):
            official += 1
    english = 0
    for m in _STYLE_ENGLISH.finditer(text):
        if _style_evidence(text, m):
            english += 1
    if official and english:
        return "mixed"
    return "english" if english > official else "official"


def _style_evidence(text: str, m: re.Match) -> bool:
    s, e = m.start(), m.end()
    if not _line_prefix(text, s).strip(" \t*-•+"):
        return False  # a section number at the start of a line
    if text[e : e + 1] == "." and not text[e + 1 : e + 2].isdigit():
        return False  # "2.1." is a section number
    left = text[max(0, s - 20) : s]
    if _ORDINAL_CUE.search(left) or _STANDARD_CUE.search(left):
        return False
    return True


def parse_value(raw: str, *, integer_unit: bool = False, percent: bool = False,
                money: bool = False, style: str = "official"):
    """Read one written number. Returns (value, decimals, ambiguous, alt_value, note) or None.

    The rules, in order: both marks present → the last one is the decimal mark; a mark
    followed by other than three digits is a decimal mark; three digits after a single
    mark is a thousands group unless the unit is a percentage, or a count cannot be
    fractional, or the official reading of "," as decimal applies.
    """
    s = raw.strip()
    if not s or not s[0].isdigit():
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        grp = "." if dec == "," else ","
        whole, frac = s.rsplit(dec, 1)
        if grp not in whole or not _grouped(whole, grp) or dec in whole or not frac.isdigit():
            return None
        return float(whole.replace(grp, "") + "." + frac), len(frac), False, None, _style_note(dec)
    mark = "." if dots else "," if commas else None
    if mark is None:
        return float(s), 0, False, None, None
    parts = s.split(mark)
    if len(parts) > 2:
        if _grouped(s, mark):
            return float(s.replace(mark, "")), 0, False, None, "nhóm nghìn"
        return None
    whole, frac = parts
    as_decimal = float(whole + "." + frac)
    if len(frac) != 3 or whole == "0" or len(whole) > 3:
        return as_decimal, len(frac), False, None, _style_note(mark)
    as_group = float(whole + frac)
    # Three digits after a single mark: a thousands group or a decimal part.
    if percent:
        return as_decimal, 3, False, None, "phần trăm: không thể là nghìn"
    if integer_unit:
        return as_group, 0, False, None, "đơn vị đếm: phải là số nguyên"
    official_reading = as_group if mark == "." else as_decimal
    other = as_decimal if mark == "." else as_group
    decimals = 0 if mark == "." else 3
    ambiguous = style in ("english", "mixed")
    if money or not ambiguous:
        return official_reading, decimals, ambiguous, other if ambiguous else None, (
            "kiểu Việt Nam" + (" (tài liệu dùng lẫn kiểu Anh)" if ambiguous else "")
        )
    return official_reading, decimals, True, other, "hai cách đọc"


def _grouped(s: str, mark: str) -> bool:
    parts = s.split(mark)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _style_note(mark: str) -> str:
    return "dấu phẩy thập phân" if mark == "," else "dấu chấm thập phân (kiểu Anh)"


class _Spans:
    """Non-overlapping spans kept sorted, so that an overlap test costs O(log n)."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, s: int, e: int) -> None:
        i = bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.starts, e)  # spans starting before e
        # spans may nest only if callers added overlapping ones; check the neighbours
        for j in range(i - 1, max(-1, i - 4), -1):
            if self.ends[j] > s:
                return True
        return False


def _overlaps(spans, s, e) -> bool:
    if isinstance(spans, _Spans):
        return spans.overlaps(s, e)
    return any(a < e and s < b for a, b in spans)


def _mention(text, s, e, kind, note=None, value=0.0) -> Quantity:
    return Quantity(value=value, raw=text[s:e], kind=kind, start=s, end=e, note=note)


def _line_prefix(text: str, s: int, window: int = 400) -> str:
    """The text between the last newline and `s`, at most `window` characters of it."""
    lo = max(0, s - window)
    nl = text.rfind("\n", lo, s)
    return text[(nl + 1 if nl >= 0 else lo) : s]


def _unit_at(right: str):
    """The unit noun `right` starts with, unless the noun is part of a longer word."""
    u = units().match(right)
    if not u or _NOT_UNIT.match(right):
        return None
    return u


def _unit_before(text: str, s: int, right: str):
    """A unit written before the number, as in indicator tables: "Triệu đồng\\t15.713",
    "… % 100", "Hồ sơ 1.290" at the end of a PDF table line. Returns "%" or a UnitInfo."""
    line = _line_prefix(text, s)
    alone = re.match(r"[ \t]*(?:\t|\n|$)|[ \t]{2,}|[ \t]+\d", right)
    head = line.rstrip(" ")
    if head.endswith("\t") and alone:
        head = head.rstrip(" \t")
        cell = head[head.rfind("\t") + 1 :].strip()
        if not cell:
            return None
        if cell == "%" or fold(cell) in ("phần trăm", "tỷ lệ", "tỉ lệ"):
            return "%"
        for cand in (cell, cell.split(",")[0]):
            info = units().lookup(cand)
            if info:
                return info
        return None
    if not alone:
        return None
    if re.search(r"(?:^|\s)%[ \t]+$", line):
        return "%"
    words = line.rstrip().split(" ")
    for k in (4, 3, 2, 1):
        if len(words) < k:
            continue
        cand = " ".join(words[-k:]).strip()
        if cand[:1].isupper() and line.endswith((" ", "\t")):
            info = units().lookup(cand) or units().lookup(cand.split(",")[0])
            if info:
                return info
    return None


_MAX_DIGITS = 18  # money in đồng reaches 13 digits ("1.000.000.000.000")


def _classify(text: str, s: int, e: int, style: str, allow_range: bool = True) -> Quantity | None:
    raw = text[s:e]
    left = text[max(0, s - 40) : s]
    right = text[e : e + 60]
    # Document identifiers: 22/QĐ-UBND, 30/2020/NĐ-CP, 118/UBND - NV, 66.7/2025/NQ-CP.
    tail = _DOC_ID_TAIL.match(right)
    if tail and ("/" in raw or right.lstrip(_SPACES).startswith("/")):
        return _mention(text, s, e + tail.end(), Kind.DOC_ID, note="số hiệu văn bản")
    dash = _DOC_ID_DASH.match(right)
    if dash and raw.isdigit():
        return _mention(text, s, e + dash.end(), Kind.DOC_ID, note="số hiệu văn bản")
    if ":" in raw:
        if _STANDARD_CUE.search(left):
            return _mention(text, s, e, Kind.STANDARD, note="tiêu chuẩn")
        if re.fullmatch(r"\d{1,2}:\d{2}", raw):
            return _mention(text, s, e, Kind.TIME, note="giờ")
        return _mention(text, s, e, Kind.STANDARD, note="mã có dấu hai chấm")
    if _STANDARD_CUE.search(left):
        return _mention(text, s, e, Kind.STANDARD, note="tiêu chuẩn")
    if sum(ch.isdigit() for ch in raw) > _MAX_DIGITS:
        # No amount in a report has this many digits (a float cannot even hold 400 of
        # them): a code or garbage, never a quantity that arithmetic could overflow on.
        return _mention(text, s, e, Kind.DOC_ID, note="dãy chữ số quá dài")
    if "/" in raw:
        return _classify_slash(text, s, e, raw, left, right)
    if _PHONE.fullmatch(raw) and len(re.sub(r"\D", "", raw)) in (10, 11):
        return _mention(text, s, e, Kind.PHONE, note="số điện thoại")
    # Section numbers at the start of a line: "1.", "2.1.", "1.1.2", "3.1.2\t", and in PDF
    # tables the bare row code before its title: "2 Tỷ lệ hoàn thành…", "1 \nSố văn bản…".
    prefix = _line_prefix(text, s)
    if not prefix.strip(" \t*-•"):
        if _is_section(raw, right) or _is_row_code(raw, right):
            return _mention(text, s, e, Kind.SECTION, note="số mục")
    if re.fullmatch(r"\d+(?:\.\d+){2,}", raw) and not _grouped(raw, "."):
        return _mention(text, s, e, Kind.SECTION, note="số mục")
    # Years.
    if re.fullmatch(r"(?:19|20)\d\d", raw) and (
        _YEAR_CUE.search(left) or re.match(r"\s*[-–]\s*(?:19|20)\d\d(?!\d)", right)
        or re.search(r"(?:19|20)\d\d\s*[-–]\s*$", left)
    ) and not _PERCENT.match(right):
        return _mention(text, s, e, Kind.YEAR, value=float(raw), note="năm")
    small = re.fullmatch(r"\d{1,2}", raw) is not None
    if _MONTH_CUE.search(left) and small and 1 <= int(raw) <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng")
    if _DAY_CUE.search(left) and small and 1 <= int(raw) <= 31 and not _unit_at(right) \
            and not _PERCENT.match(right):
        return _mention(text, s, e, Kind.DATE, note="ngày")
    if units().period_pattern.match(right) and small:
        return _mention(text, s, e, Kind.DATE, value=float(raw), note="kỳ báo cáo")
    if len(raw) <= 2 and raw.isdigit() and _CODE_CUE.search(left) and not _PERCENT.match(right):
        return _mention(text, s, e, Kind.CODE, value=float(raw), note="mã chú giải")
    if raw in ("100", "1000") and _TIMES.search(left):
        # "… /Tổng số hồ sơ đã giải quyết x 100": the constant of a formula, not an amount.
        return _mention(text, s, e, Kind.CODE, value=float(raw), note="hằng số công thức")
    if len(raw) <= 2 and raw.isdigit() and left.endswith("[") and right.startswith("]"):
        # "[4] Số liệu được trích xuất …", "ĐKKD[3]": a footnote mark, never an amount.
        return _mention(text, s, e, Kind.CODE, value=float(raw), note="chú thích")
    cue = _ORDINAL_CUE.search(left)
    if cue and cue.group(0).strip() in "“\"'(" and _unit_at(right):
        cue = None  # "(10 cán bộ, 11 công chức)": a bracket before a counted noun opens a list of counts
    if not _PERCENT.match(right) and (
        cue or _ORDINAL_LIST.search(left)
        or (_NAMED_CUE.search(left) and re.match(r" [^\W\d]", right) and not _unit_at(right))
        or (small and _SLOGAN.match(right) and not _unit_at(right))
    ):
        return _mention(text, s, e, Kind.ORDINAL, value=_safe_int(raw), note="số thứ tự / tên")
    return _quantity(text, s, e, raw, left, right, style, allow_range)


def _is_section(raw: str, right: str) -> bool:
    parts = raw.split(".")
    if any(len(p) > 2 for p in parts):
        return False
    if raw.endswith(".") or right.startswith("."):
        return True
    if len(parts) >= 2 and (right.startswith("\t") or re.match(r"\s+[^\W\d_]", right)):
        return True
    return bool(re.match(r"\.?[ \t]*\t", right)) or (
        len(parts) == 1 and right.startswith(".") is False and right.startswith("\t")
    )


def _is_row_code(raw: str, right: str) -> bool:
    """A bare 1–2 digit row code at the start of a PDF table line, before a title."""
    if not re.fullmatch(r"[1-9]\d?", raw):
        return False
    m = re.match(r"(?:[ \t]*\n){1,2}[ \t]*|[ \t]+", right)
    rest = right[m.end():] if m else ""
    if not rest[:1].isupper():
        return False
    unit = _unit_at(rest)
    if unit:
        # "20 Người": a value before its unit column; a title goes on after the noun.
        after = rest[unit[1]:].split("\n", 1)[0]
        return len(after.split()) >= 2
    return True


def _safe_int(raw: str) -> float:
    digits = re.sub(r"\D", "", raw)
    return float(digits) if digits else 0.0


_TIMES = re.compile(r"(?:[)\w]\s*[x×*]|\s[x×])\s*$")
# A day/month beside another date across a dash or "đến": the two ends of a period.
_RANGE_TO_DATE = re.compile(r"\s*(?:[-–—]|đến|tới)\s*\d{1,2}/\d{1,2}(?!\d)", re.IGNORECASE)
_RANGE_FROM_DATE = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?\s*(?:[-–—]|đến|tới)\s*$", re.IGNORECASE)


def _classify_slash(text, s, e, raw, left, right) -> Quantity | None:
    parts = raw.split("/")
    if any(not p or not re.fullmatch(r"\d+", p) for p in parts):
        # "66.7/2025" without a letter tail, or "1.228/1.288": read each side as a number.
        if len(parts) == 2 and all(p for p in parts):
            a = parse_value(parts[0], integer_unit=True)
            b = parse_value(parts[1], integer_unit=True)
            if a and b:
                return _fraction(text, s, e, a[0], b[0], right)
        return _mention(text, s, e, Kind.DOC_ID, note="mã có dấu gạch chéo")
    nums = [int(p) for p in parts]
    if len(nums) == 3:
        d, mth, y = nums
        ok = 1 <= mth <= 12 and 1 <= d <= 31 and (len(parts[2]) in (2, 4))
        return _mention(text, s, e, Kind.DATE, note="ngày" if ok else "ngày không hợp lệ")
    if len(nums) != 2:
        return _mention(text, s, e, Kind.DOC_ID, note="mã nhiều phần")
    a, b = nums
    if _RANK_CUE.search(left):
        return _mention(text, s, e, Kind.ORDINAL, value=float(a), note="thứ hạng")
    unit = _unit_at(right)
    if len(parts[1]) == 4 and 1900 <= b <= 2100 and 1 <= a <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng/năm")
    if _MONTH_CUE.search(left) and 1 <= a <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng/năm")
    if _DATE_CUES.search(left) and 1 <= a <= 31 and 1 <= b <= 12 and not unit:
        return _mention(text, s, e, Kind.DATE, note="ngày/tháng")
    if 1 <= a <= 31 and 1 <= b <= 12 and not unit and (_RANGE_TO_DATE.match(right) or _RANGE_FROM_DATE.search(left)):
        # "15/4 - 14/5/2025", "15/12/2024 - 14/01": one end of a date range
        return _mention(text, s, e, Kind.DATE, note="ngày/tháng")
    return _fraction(text, s, e, float(a), float(b), right)


def _fraction(text, s, e, a, b, right) -> Quantity:
    unit = _unit_at(right)
    noun, unit_name = None, None
    if unit:
        unit_name = unit[0].canonical
        noun = " ".join(right[: unit[1]].split())
    return Quantity(value=a, raw=text[s:e], kind=Kind.FRACTION, start=s, end=e,
                    denominator=b, unit=unit_name, noun=noun, note="phân số đếm")


def _bound(left: str, right_after: str) -> str | None:
    bm = _BOUND_RE.search(left)
    if bm:
        word = bm.group(1).lower()
        before = left[: bm.start(1)]
        # "107 TTHC trên 12 lĩnh vực": "trên" after an amount means "across", not "more than".
        across = re.search(r"\d[\d.,]*(\s+(?:[^\W\d]+\s+){1,3})$", before)
        if not (word == "trên" and across and _unit_at(across.group(1))):
            return dict(_BOUNDS)[word]
    am = _BOUND_AFTER.match(right_after)
    if am:
        return ">=" if am.group(1).lower() == "trở lên" else "<="
    return None


def _quantity(text, s, e, raw, left, right, style, allow_range=True) -> Quantity | None:
    pct = _PERCENT.match(right)
    unit_m = None if pct else _unit_at(right)
    info = unit_m[0] if unit_m else None
    before = None
    if not pct and not unit_m:
        before = _unit_before(text, s, right)
        if before is not None and before != "%":
            info = before
    is_pct = bool(pct) or before == "%"
    money = bool(info and info.money_scale)
    if not is_pct and not info and re.fullmatch(r"(?:19[5-9]\d|20[0-4]\d)", raw) \
            and _YEAR_FOLLOW.match(right) and not _AMOUNT_VERB.search(left) \
            and "\t" not in _line_prefix(text, s) + right[:1]:
        return _mention(text, s, e, Kind.YEAR, value=float(raw), note="năm")
    parsed = parse_value(raw, integer_unit=bool(info and info.integer), percent=is_pct,
                         money=money, style=style)
    if parsed is None:
        return _mention(text, s, e, Kind.SECTION, note="không đọc được như một số")
    value, decimals, ambiguous, alt, note = parsed
    end = e
    if is_pct:
        kind, unit_name, noun = Kind.PERCENT, "%", "%"
        if pct and pct.group(1) == "%":
            end = e + pct.end()
    elif money:
        kind, unit_name = Kind.MONEY, info.canonical
        noun = " ".join(right[: unit_m[1]].split()) if unit_m else info.canonical
    elif info:
        kind = Kind.COUNT if info.integer else Kind.DECIMAL
        unit_name = info.canonical
        noun = " ".join(right[: unit_m[1]].split()) if unit_m else info.canonical
    else:
        kind = Kind.DECIMAL if decimals else Kind.COUNT
        unit_name = None
        wm = re.match(r"[ \t\u00a0]*([^\W\d_]+(?:[ \t][^\W\d_]+)?)", right)
        noun = wm.group(1) if wm else None
    after_unit = text[end + (unit_m[1] if unit_m else 0) : end + (unit_m[1] if unit_m else 0) + 40]
    bound = _bound(left, after_unit)
    q = Quantity(value=value, raw=text[s:end], kind=kind, start=s, end=end, decimals=decimals,
                 unit=unit_name, noun=noun, bound=bound, ambiguous=ambiguous, alt_value=alt,
                 note=note)
    return _maybe_range(text, q, style) if allow_range else q


def _maybe_range(text: str, q: Quantity, style: str) -> Quantity:
    """Join "20–30 tin bài", "từ 70% - dưới 100%", "từ 20 đến 30" into one range."""
    after = text[q.end : q.end + 30]
    m = _RANGE_DASH.match(after) or (
        _RANGE_WORD.match(after) if re.search(r"(?<!\w)từ\s*$", text[max(0, q.start - 6) : q.start],
                                              re.IGNORECASE) else None
    )
    if not m:
        return q
    m2 = re.match(r"\d[\d.,]*\d|\d", after[m.end():])
    if not m2:
        return q
    s2 = q.end + m.end()
    raw2 = m2.group(0)
    right2 = text[s2 + len(raw2) : s2 + len(raw2) + 40]
    if right2.lstrip(_SPACES).startswith("/") or _DOC_ID_DASH.match(right2):
        return q
    if re.match(r"\s*(?:giờ|h\d)", right2, re.IGNORECASE):
        return q
    pct = _PERCENT.match(right2)
    unit_m = None if pct else _unit_at(right2)
    if q.kind == Kind.PERCENT and not pct:
        return q
    if q.kind != Kind.PERCENT and not (pct or unit_m):
        return q
    if q.kind == Kind.COUNT and q.unit and unit_m and unit_m[0].canonical != q.unit:
        return q
    parsed = parse_value(raw2, integer_unit=bool(unit_m and unit_m[0].integer), percent=bool(pct),
                         money=bool(unit_m and unit_m[0].money_scale), style=style)
    if not parsed or parsed[0] < q.value:
        return q
    end = s2 + len(raw2) + (pct.end() if pct and pct.group(1) == "%" else 0)
    unit = "%" if pct else (unit_m[0].canonical if unit_m else q.unit)
    noun = "%" if pct else (" ".join(right2[: unit_m[1]].split()) if unit_m else q.noun)
    return replace(q, kind=Kind.RANGE, high=parsed[0], end=end, raw=text[q.start:end], unit=unit,
                   noun=noun, note="khoảng")


# --- numbers written in words ------------------------------------------------------------

_DIGIT_WORDS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_WORD_TOKENS = "|".join(
    sorted([*_DIGIT_WORDS, "mười", "mươi", "trăm", "nghìn", "ngàn", "triệu", "linh", "lẻ"],
           key=len, reverse=True)
)
_WORD_NUMBER = re.compile(rf"(?<!\w)((?:(?:{_WORD_TOKENS})(?:[ \t]+|(?=[ \t]*$)))+)", re.IGNORECASE)
# The same on lower-cased text, with a first-letter guard: about 2.5x faster.
_WORD_NUMBER_LOWER = re.compile(rf"(?<!\w)(?=[kmhbnstclđ])((?:(?:{_WORD_TOKENS})(?:[ \t]+|(?=[ \t]*$)))+)")


def words_to_number(words: str) -> int | None:
    """Read a Vietnamese number written in words: "hai mươi lăm" → 25, "ba trăm linh năm" → 305."""
    toks = words.lower().split()
    if not toks or not any(t in _DIGIT_WORDS or t == "mười" for t in toks):
        return None
    total, group, current = 0, 0, None
    last = None
    for t in toks:
        if t in ("linh", "lẻ"):
            if last not in ("trăm", "nghìn", "ngàn", "triệu"):
                return None
            last = t
            continue
        if t == "mười":
            if current is not None:
                return None
            group += 10
        elif t == "mươi":
            if current is None or current < 2:
                return None
            group += current * 10
            current = None
        elif t == "trăm":
            group += (current if current is not None else 1) * 100
            current = None
        elif t in ("nghìn", "ngàn", "triệu"):
            scale = 1000 if t != "triệu" else 1_000_000
            total += (group + (current or 0)) * scale
            group, current = 0, None
        elif t in _DIGIT_WORDS:
            v = _DIGIT_WORDS[t]
            if t == "tư" and last not in ("mươi", "mười", "linh", "lẻ"):
                return None
            if t in ("lăm", "mốt") and last not in ("mươi", "mười"):
                return None
            if current is not None:
                return None
            current = v
        else:
            return None
        last = t
    return total + group + (current or 0)


# "trong năm", "hằng năm", "cả năm": the word is "year", not five.
_YEAR_WORD_BEFORE = re.compile(r"(?<!\w)(?:trong|hằng|hàng|cả|mỗi|của|cùng|các|nhiều|qua)\s+$",
                               re.IGNORECASE)
_FIXED_NOT_NUMBER = re.compile(r"(?:một|hai)\s+(?:cửa|số|phần|bước|cách|mặt|lúc|khi|chiều)\b",
                               re.IGNORECASE)


def _number_words(text: str, taken: _Spans) -> list[Quantity]:
    out: list[Quantity] = []
    low = text.lower()
    matches = _WORD_NUMBER_LOWER.finditer(low) if len(low) == len(text) else _WORD_NUMBER.finditer(text)
    for m in matches:
        words = text[m.start(1) : m.end(1)].strip()
        s, e = m.start(1), m.start(1) + len(words)
        if _overlaps(taken, s, e):
            continue
        if words.lower().startswith("không"):
            continue  # handled as "không có … nào" below
        value = words_to_number(words)
        if value is None:
            continue
        after = text[e : e + 60]
        unit = _unit_at(after) if re.match(r" +[^\s]", after) else None
        if not unit or _FIXED_NOT_NUMBER.match(text, s):
            continue
        if words.lower() == "năm" and _YEAR_WORD_BEFORE.search(text[max(0, s - 12) : s]):
            continue
        noun = " ".join(text[e : e + unit[1]].split())
        out.append(Quantity(value=float(value), raw=words, kind=Kind.COUNT, start=s, end=e,
                            unit=unit[0].canonical, noun=noun, note="số viết bằng chữ"))
        taken.add(s, e)
    for m in re.finditer(r"(?<!\w)không\s+(?:có\s+)?", text, re.IGNORECASE):
        rest = text[m.end() : m.end() + 200]
        found = None
        for n in range(0, 3):
            words = re.match(r"(?:[^\W\d]+[ \t]+){%d}" % n, rest)
            if not words:
                break
            u = _unit_at(rest[words.end():])
            if u and not u[0].money_scale:
                found = (words.end(), u)
                break
        if not found:
            continue
        has_co = "có" in m.group(0).lower()
        tail = rest[found[0] + found[1][1] : found[0] + found[1][1] + 60]
        closes = re.match(r"[^.,;:()]{0,50}?\bnào\b", tail)
        direct = has_co and found[0] == 0
        if not closes:
            # "không có hồ sơ quá hạn" is a tally of zero; "công dân không có tài khoản"
            # says what someone lacks.
            if not direct or _PERSON_SUBJECT.search(text[max(0, m.start() - 20) : m.start()]):
                continue
        s, e = m.start(), m.end() + found[0] + found[1][1]
        if _overlaps(taken, s, e):
            continue
        taken.add(s, e)
        out.append(Quantity(value=0.0, raw=text[s:e], kind=Kind.COUNT, start=s, end=e,
                            unit=found[1][0].canonical,
                            noun=" ".join(rest[found[0]: found[0] + found[1][1]].split()),
                            note="không có … = 0"))
    return out
