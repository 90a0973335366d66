"""The Vietnamese number grammar: find every number in a text and say what it is.

Official style groups thousands with "." and marks decimals with ","; reports mix in
the English style and bare forms. Each number is read from its own shape first, then
its unit (a count of files cannot be 1,29), then the style the document uses
elsewhere; when none of these settles it the mention is marked `ambiguous` and keeps
the other reading in `alt_value`.

Not every number is a quantity: dates, document identifiers, section numbers,
standards, times, phone numbers and ordinals are returned with their own kind so that
callers (and `auditor numbers`) can tell them apart.
"""
from __future__ import annotations

import re
from dataclasses import replace

from auditor.lexicon import units
from auditor.model import Kind, Quantity

# A run of digits and separators that starts and ends with a digit.
_RUN = re.compile(r"(?<![\w.,/])\d(?:[\d]|[.,:/](?=\d))*")
_SPACES = " \t\u00a0"
_DOC_ID_TAIL = re.compile(r"\s*/\s*[A-ZĐ]{1,}[\w]*(?:\s*[-–]\s*[A-ZĐ]\w*)*")
_DATE_CUES = re.compile(r"(?:ngày|từ|đến|tới|hôm|trước|sau|kể từ|ký|đên)\s*$", re.IGNORECASE)
_MONTH_CUE = re.compile(r"tháng\s*$", re.IGNORECASE)
_YEAR_CUE = re.compile(r"(?:năm|niên độ|niên khóa|giai đoạn)\s*$", re.IGNORECASE)
_STANDARD_CUE = re.compile(r"(?:ISO|TCVN|QCVN|IEC)\s*$", re.IGNORECASE)
_ORDINAL_CUE = re.compile(
    r"(?:\bthứ|\bmức độ|\bmức|\bcấp độ|\bđề án|\bnghị định|\bthông tư|\bđiều|\bkhoản|\bchương|"
    r"\bmục|\bphụ lục|\bbiểu|\bbiểu mẫu|\bmẫu số|\bphần|\btổ|\bthôn|\bkhu|\bxóm|\bđội|\bquý|"
    r"\bphiên bản|\bversion|\bsố hiệu|\bkhóa|\bkỳ họp|\bcụm|\bsố nhà|\bphường|\bquận|\bquốc lộ|"
    r"\btỉnh lộ|\bđường|[“\"'(])\s*$",
    re.IGNORECASE,
)
_WRITTEN_DATE = re.compile(
    r"(?:ngày\s+(\d{1,2})\s+)?tháng\s+(\d{1,2}|[IVX]+)\s+năm\s+(\d{4})", re.IGNORECASE
)
_QUARTER = re.compile(r"\bquý\s+([IVX]+|\d)\b(?:\s*(?:năm\s*|/)\s*(\d{4}))?", re.IGNORECASE)
_PHONE = re.compile(r"0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}")
_BOUNDS = [
    ("không quá", "<="), ("tối thiểu", ">="), ("ít nhất", ">="), ("tối đa", "<="),
    ("chưa đến", "<"), ("xấp xỉ", "~"), ("khoảng", "~"), ("gần", "<~"), ("trên", ">"),
    ("hơn", ">"), ("dưới", "<"), ("ngoài", ">"),
]
_BOUND_RE = re.compile(
    r"(?:^|\s)(" + "|".join(re.escape(w) for w, _ in _BOUNDS) + r")\s*$", re.IGNORECASE
)
_RANGE_DASH = re.compile(r"\s*[–—-]\s*(?:dưới\s+|đến\s+)?")
_RANGE_WORD = re.compile(r"\s*(?:đến|tới)\s+")
_PERCENT = re.compile(r"[ \t\u00a0]*(%|phần trăm)")


def scan(text: str, *, style: str | None = None) -> list[Quantity]:
    """Every number mention in `text`, quantities and non-quantities, in order.

    `style` is the document's decimal style ("official", "english" or "mixed");
    when None it is inferred from `text` itself.
    """
    style = style or infer_style(text)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    for m in _WRITTEN_DATE.finditer(text):
        out.append(_mention(text, m.start(), m.end(), Kind.DATE, note="ngày viết bằng chữ"))
        taken.append((m.start(), m.end()))
    for m in _QUARTER.finditer(text):
        if not _overlaps(taken, m.start(), m.end()) and (m.group(2) or m.group(1).isdigit()):
            out.append(_mention(text, m.start(), m.end(), Kind.DATE, note="quý"))
            taken.append((m.start(), m.end()))

    pos = 0
    for m in _RUN.finditer(text):
        if m.start() < pos or _overlaps(taken, m.start(), m.end()):
            continue
        q = _classify(text, m.start(), m.end(), style)
        if q is None:
            continue
        out.append(q)
        pos = q.end
    out.extend(_number_words(text, taken + [(q.start, q.end) for q in out]))
    out.sort(key=lambda q: q.start)
    return out


def quantities(text: str, *, style: str | None = None) -> list[Quantity]:
    """Only the mentions that are amounts."""
    return [q for q in scan(text, style=style) if q.is_quantity]


def infer_style(text: str) -> str:
    """Which decimal mark the document uses where its shape leaves no doubt."""
    official = len(re.findall(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d.,])", text)) + len(
        re.findall(r"\d{1,3}(?:\.\d{3})+,\d+", text)
    )
    english = len(re.findall(r"(?<![\d.,/])\d{1,3}\.\d{1,2}(?![\d.,/])\s*%?", text)) + len(
        re.findall(r"\d{1,3}(?:,\d{3})+\.\d+", text)
    )
    if official and english:
        return "mixed"
    return "english" if english > official else "official"


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
        if grp not in whole or not _grouped(whole, grp):
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
        if len(frac) == 3 and len(whole) > 3:
            return as_decimal, 3, False, None, _style_note(mark)
        return as_decimal, len(frac), False, None, _style_note(mark)
    as_group = float(whole + frac)
    # Three digits after a single mark: a thousands group or a decimal part.
    if percent:
        return as_decimal, 3, False, None, "phần trăm: không thể là nghìn"
    if integer_unit:
        return as_group, 0, False, None, "đơn vị đếm: phải là số nguyên"
    official_reading = as_group if mark == "." else as_decimal
    other = as_decimal if mark == "." else as_group
    ambiguous = style in ("english", "mixed") if mark == "." else style in ("english", "mixed")
    if money or not ambiguous:
        decimals = 0 if mark == "." else 3
        return official_reading, decimals, ambiguous, other if ambiguous else None, (
            "kiểu Việt Nam" + (" (tài liệu dùng lẫn kiểu Anh)" if ambiguous else "")
        )
    decimals = 0 if mark == "." else 3
    return official_reading, decimals, True, other, "hai cách đọc"


def _grouped(s: str, mark: str) -> bool:
    parts = s.split(mark)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _style_note(mark: str) -> str:
    return "dấu phẩy thập phân" if mark == "," else "dấu chấm thập phân (kiểu Anh)"


def _overlaps(spans, s, e) -> bool:
    return any(a < e and s < b for a, b in spans)


def _mention(text, s, e, kind, note=None, value=0.0) -> Quantity:
    return Quantity(value=value, raw=text[s:e], kind=kind, start=s, end=e, note=note)


def _line_prefix(text: str, s: int) -> str:
    return text[text.rfind("\n", 0, s) + 1 : s]


def _classify(text: str, s: int, e: int, style: str) -> Quantity | None:
    raw = text[s:e]
    left = text[max(0, s - 40) : s]
    right = text[e : e + 60]
    # Document identifiers: 22/QĐ-UBND, 30/2020/NĐ-CP, 118/UBND - NV, 66.7/2025/NQ-CP.
    tail = _DOC_ID_TAIL.match(right)
    if tail and ("/" in raw or right.lstrip(_SPACES).startswith("/")):
        return _mention(text, s, e + tail.end(), Kind.DOC_ID, note="số hiệu văn bản")
    if ":" in raw:
        if _STANDARD_CUE.search(left):
            return _mention(text, s, e, Kind.STANDARD, note="tiêu chuẩn")
        if re.fullmatch(r"\d{1,2}:\d{2}", raw):
            return _mention(text, s, e, Kind.TIME, note="giờ")
        return _mention(text, s, e, Kind.STANDARD, note="mã có dấu hai chấm")
    if _STANDARD_CUE.search(left):
        return _mention(text, s, e, Kind.STANDARD, note="tiêu chuẩn")
    if "/" in raw:
        return _classify_slash(text, s, e, raw, left, right)
    if _PHONE.fullmatch(raw) and len(re.sub(r"\D", "", raw)) in (10, 11):
        return _mention(text, s, e, Kind.PHONE, note="số điện thoại")
    # Section numbers at the start of a line: "1.", "2.1.", "1.1.2", "3.1.2\t".
    prefix = _line_prefix(text, s)
    if not prefix.strip(" \t*-•") and _is_section(raw, right):
        return _mention(text, s, e, Kind.SECTION, note="số mục")
    if re.fullmatch(r"\d+(?:\.\d+){2,}", raw) and not _grouped(raw, "."):
        return _mention(text, s, e, Kind.SECTION, note="số mục")
    # Years.
    if re.fullmatch(r"(?:19|20)\d\d", raw) and (
        _YEAR_CUE.search(left) or re.match(r"\s*[-–]\s*(?:19|20)\d\d", right)
        or re.search(r"(?:19|20)\d\d\s*[-–]\s*$", left)
    ):
        return _mention(text, s, e, Kind.YEAR, value=float(raw), note="năm")
    if _MONTH_CUE.search(left) and re.fullmatch(r"\d{1,2}", raw) and 1 <= int(raw) <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng")
    if re.match(r"[ \t]*(?:giờ|h\d)", right) and re.fullmatch(r"\d{1,2}", raw):
        return _mention(text, s, e, Kind.TIME, note="giờ")
    if units().period_pattern.match(right) and re.fullmatch(r"\d{1,2}", raw):
        return _mention(text, s, e, Kind.DATE, value=float(raw), note="kỳ báo cáo")
    if _ORDINAL_CUE.search(left) and not _PERCENT.match(right):
        return _mention(text, s, e, Kind.ORDINAL, value=_safe_int(raw), note="số thứ tự / tên")
    return _quantity(text, s, e, raw, left, right, style)


def _is_section(raw: str, right: str) -> bool:
    parts = raw.split(".")
    if any(len(p) > 2 for p in parts):
        return False
    if raw.endswith(".") or right.startswith("."):
        return True
    if len(parts) >= 2 and (right.startswith("\t") or re.match(r"\s+[A-ZĐÂĂÊÔƠƯa-zđ]", right)):
        return True
    return bool(re.match(r"\.?[ \t]*\t", right)) or (
        len(parts) == 1 and right.startswith(".") is False and right.startswith("\t")
    )


def _safe_int(raw: str) -> float:
    digits = re.sub(r"\D", "", raw)
    return float(digits) if digits else 0.0


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
    unit = units().match(right)
    if len(parts[1]) == 4 and 1900 <= b <= 2100 and 1 <= a <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng/năm")
    if _MONTH_CUE.search(left) and 1 <= a <= 12:
        return _mention(text, s, e, Kind.DATE, note="tháng/năm")
    if _DATE_CUES.search(left) and 1 <= a <= 31 and 1 <= b <= 12 and not unit:
        return _mention(text, s, e, Kind.DATE, note="ngày/tháng")
    return _fraction(text, s, e, float(a), float(b), right)


def _fraction(text, s, e, a, b, right) -> Quantity:
    unit = units().match(right)
    noun, unit_name = None, None
    if unit:
        unit_name = unit[0].canonical
        noun = right[: unit[1]].strip()
    return Quantity(value=a, raw=text[s:e], kind=Kind.FRACTION, start=s, end=e,
                    denominator=b, unit=unit_name, noun=noun, note="phân số đếm")


def _quantity(text, s, e, raw, left, right, style) -> Quantity | None:
    pct = _PERCENT.match(right)
    unit_m = None if pct else units().match(right)
    info = unit_m[0] if unit_m else None
    money = bool(info and info.money_scale)
    parsed = parse_value(raw, integer_unit=bool(info and info.integer), percent=bool(pct),
                         money=money, style=style)
    if parsed is None:
        return _mention(text, s, e, Kind.SECTION, note="không đọc được như một số")
    value, decimals, ambiguous, alt, note = parsed
    end = e
    if pct:
        kind, unit_name, noun = Kind.PERCENT, "%", "%"
        end = e + pct.end() if pct.group(1) == "%" else e
    elif money:
        kind, unit_name, noun = Kind.MONEY, info.canonical, right[: unit_m[1]].strip()
    elif info:
        kind, unit_name, noun = Kind.COUNT, info.canonical, right[: unit_m[1]].strip()
    else:
        kind = Kind.DECIMAL if decimals else Kind.COUNT
        unit_name = None
        wm = re.match(r"[ \t\u00a0]*([^\W\d_]+(?:[ \t][^\W\d_]+)?)", right)
        noun = wm.group(1) if wm else None
    bound = None
    bm = _BOUND_RE.search(left)
    if bm:
        bound = dict(_BOUNDS)[bm.group(1).lower()]
    q = Quantity(value=value, raw=text[s:end], kind=kind, start=s, end=end, decimals=decimals,
                 unit=unit_name, noun=noun, bound=bound, ambiguous=ambiguous, alt_value=alt,
                 note=note)
    return _maybe_range(text, q, style)


def _maybe_range(text: str, q: Quantity, style: str) -> Quantity:
    """Join "20–30 tin bài", "từ 70% - dưới 100%", "từ 20 đến 30" into one range."""
    after = text[q.end : q.end + 30]
    m = _RANGE_DASH.match(after) or (
        _RANGE_WORD.match(after) if re.search(r"\btừ\s*$", text[max(0, q.start - 6) : q.start]) else None
    )
    if not m:
        return q
    m2 = re.match(r"\d[\d.,]*\d|\d", after[m.end():])
    if not m2:
        return q
    s2 = q.end + m.end()
    raw2 = m2.group(0)
    right2 = text[s2 + len(raw2) : s2 + len(raw2) + 40]
    if right2.lstrip(_SPACES).startswith("/"):
        return q
    pct = _PERCENT.match(right2)
    unit_m = None if pct else units().match(right2)
    if q.kind == Kind.PERCENT and not pct:
        return q
    if q.kind != Kind.PERCENT and not (pct or unit_m):
        return q
    parsed = parse_value(raw2, integer_unit=bool(unit_m and unit_m[0].integer), percent=bool(pct),
                         style=style)
    if not parsed or parsed[0] < q.value:
        return q
    end = s2 + len(raw2) + (pct.end() if pct else 0)
    unit = "%" if pct else (unit_m[0].canonical if unit_m else q.unit)
    noun = "%" if pct else (right2[: unit_m[1]].strip() if unit_m else q.noun)
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
_WORD_NUMBER = re.compile(rf"(?<!\w)((?:(?:{_WORD_TOKENS})(?:\s+|(?=\s*$)))+)", re.IGNORECASE)
_ZERO_PHRASE = re.compile(
    r"(?<!\w)không\s+(?:có\s+)?(?:(?:\w+\s+){0,2}?)", re.IGNORECASE
)


def words_to_number(words: str) -> int | None:
    """Read a Vietnamese number written in words: "hai mươi lăm" → 25, "ba trăm linh năm" → 305."""
    toks = words.lower().split()
    if not toks or not any(t in _DIGIT_WORDS or t == "mười" for t in toks):
        return None
    total, group, current = 0, 0, None
    last = None
    for t in toks:
        if t in ("linh", "lẻ"):
            last = t
            continue
        if t == "mười":
            group += 10
        elif t == "mươi":
            if current is None:
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
            if t == "tư" and last not in ("mươi",):
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


_FIXED_NOT_NUMBER = re.compile(r"(?:một|hai)\s+(?:cửa|số|phần|bước|cách|mặt|lúc|khi|chiều)\b",
                               re.IGNORECASE)


def _number_words(text: str, taken) -> list[Quantity]:
    out: list[Quantity] = []
    vocab = units()
    for m in _WORD_NUMBER.finditer(text):
        words = m.group(1).strip()
        s, e = m.start(1), m.start(1) + len(words)
        if _overlaps(taken, s, e):
            continue
        if words.lower().startswith("không"):
            continue  # handled as "không có … nào" below
        value = words_to_number(words)
        if value is None:
            continue
        unit = vocab.match(text[e:])
        if not unit or _FIXED_NOT_NUMBER.match(text, s):
            continue
        if words.lower() == "năm" and not unit:
            continue
        noun = text[e : e + unit[1]].strip()
        out.append(Quantity(value=float(value), raw=words, kind=Kind.COUNT, start=s, end=e,
                            unit=unit[0].canonical, noun=noun, note="số viết bằng chữ"))
    for m in re.finditer(r"(?<!\w)không\s+(?:có\s+)?", text, re.IGNORECASE):
        rest = text[m.end():]
        skip = re.match(r"(?:[^\W\d]+\s+){0,2}?", rest)
        found = None
        for n in range(0, 3):
            words = re.match(r"(?:[^\W\d]+[ \t]+){%d}" % n, rest)
            if not words:
                break
            u = vocab.match(rest[words.end():])
            if u and not u[0].money_scale:
                found = (words.end(), u)
                break
        if not found:
            continue
        has_co = "có" in m.group(0).lower()
        tail = rest[found[0] + found[1][1] : found[0] + found[1][1] + 60]
        closes = re.match(r"[^.,;:()]{0,50}?\bnào\b", tail)
        if not (has_co and found[0] == 0) and not closes:
            continue
        s, e = m.start(), m.end() + found[0] + found[1][1]
        if _overlaps(taken, s, e):
            continue
        del skip
        out.append(Quantity(value=0.0, raw=text[s:e], kind=Kind.COUNT, start=s, end=e,
                            unit=found[1][0].canonical, noun=rest[found[0]: found[0] + found[1][1]].strip(),
                            note="không có … = 0"))
    return out
