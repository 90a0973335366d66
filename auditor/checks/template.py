"""AUD4xx: dates, periods, numbering and template text left in."""
from __future__ import annotations

import calendar
import re
from collections import defaultdict

from auditor.checks.base import Context, Rule
from auditor.model import Evidence, Kind, Severity, Verdict


def _span_ev(ctx: Context, role: str, s: int, e: int) -> Evidence:
    return Evidence(role, ctx.text[s:e], None, s, e, "header" if s < 400 else ctx.where(s))


class BlankHeaderRule(Rule):
    code = "AUD401"
    name = "placeholder.header"
    kind = "placeholder"
    severity = Severity.INFO
    what = "The document number ('Số: /BC-UBND') or the day of the date ('ngày   tháng 5 năm 2024') is left blank."
    why = "A report without a number or a date cannot be cited or filed; often a draft was sent."
    example_fail = "Số: /BC-UBND\n\nThọ Xương, ngày   tháng 5 năm 2024"
    example_pass = "Số: 36/BC-UBND\n\nThọ Xương, ngày 15 tháng 5 năm 2024"

    def check(self, ctx):
        h = ctx.structure.header
        if h.number is None and h.number_span is not None:
            s, e = h.number_span
            yield self.finding("Số ký hiệu văn bản để trống", [_span_ev(ctx, "placeholder", s, e)],
                               verdict=Verdict.INDETERMINATE, suggestion="Điền số văn bản trước khi gửi.")
        if h.date is not None and (h.date[0] is None or h.date[1] is None) and h.date_span:
            s, e = h.date_span
            yield self.finding("Ngày ban hành để trống", [_span_ev(ctx, "placeholder", s, e)],
                               verdict=Verdict.INDETERMINATE, suggestion="Điền ngày ban hành.")


class FormulaLeftRule(Rule):
    code = "AUD402"
    name = "placeholder.formula-in-cell"
    kind = "placeholder"
    severity = Severity.WARNING
    what = "A value cell still holds the template's formula or a placeholder letter instead of a number (=B5/B4, x, …, [số liệu])."
    why = "The district's aggregation reads numbers; template text there is a missing figure."
    example_fail = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.\tTỷ lệ hoàn thành Kế hoạch CCHC năm\t%\t=C5/C4*100"
    example_pass = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.\tTỷ lệ hoàn thành Kế hoạch CCHC năm\t%\t50%"

    _PLACEHOLDER = re.compile(r"^(?:=.*|\.{2,}|…+|_{2,}|\[.*\]|\(\d+\)\s*[=/].*|[A-Z]\d+\s*[/+*-].*)$")
    _LETTER = re.compile(r"^(?:[xXyYnNaAbB]|[xX]{2,}|\?+)$")  # a template letter: only in an indicator's value cell

    def check(self, ctx):
        from auditor.model import TableKind

        for t in ctx.tables:
            for r in t.rows:
                for c in r.cells:
                    text = c.text.strip()
                    letter = t.kind == TableKind.INDICATOR and c.role == "value" and self._LETTER.match(text)
                    if c.quantity is None and text and (self._PLACEHOLDER.match(text) or letter):
                        yield self.finding(f"Bảng {t.index}, {r.code} {r.label[:60]}: ô số liệu còn «{c.text}»",
                                           [Evidence("cell", ctx.text[c.start:c.end], None, c.start, c.end,
                                                     "table", t.index, r.index, c.col, r.label)],
                                           verdict=Verdict.INDETERMINATE, suggestion="Thay bằng số liệu thực tế.")


class NumberingRule(Rule):
    code = "AUD403"
    name = "numbering.sections"
    kind = "numbering"
    severity = Severity.INFO
    what = "Section numbers under one heading skip (3 → 5) or repeat (b, b)."
    why = "A skipped number often means a section was deleted or merged and its figures with it."
    example_fail = "II. KẾT QUẢ\n\n3. Cải cách tổ chức bộ máy\n\n5. Cải cách chế độ công vụ"
    example_pass = "II. KẾT QUẢ\n\n3. Cải cách tổ chức bộ máy\n\n4. Cải cách chế độ công vụ"

    def check(self, ctx):
        heads = ctx.structure.headings
        siblings = defaultdict(list)
        parent_key = ()
        stack: list = []
        for h in heads:
            stack = [s for s in stack if s.level < h.level]
            parent_key = tuple((s.level, s.start) for s in stack)
            siblings[(parent_key, h.level)].append(h)
            stack.append(h)
        for hs in siblings.values():
            prev = None
            for h in hs:
                cur = _ordinal(h.code)
                if prev is not None and cur is not None:
                    p, ph = prev
                    if cur == p:
                        yield self.finding(f"Dòng {h.line}: mục «{h.code}» lặp lại", [_span_ev(ctx, "heading", h.start, h.end)],
                                           verdict=Verdict.INDETERMINATE)
                    elif cur > p + 1:
                        yield self.finding(f"Dòng {h.line}: đánh số mục nhảy từ «{ph.code}» sang «{h.code}»",
                                           [_span_ev(ctx, "heading", h.start, h.end)], verdict=Verdict.INDETERMINATE,
                                           suggestion="Kiểm tra mục bị thiếu hoặc đánh số lại.")
                if cur is not None:
                    prev = (cur, h)


def _ordinal(code: str) -> int | None:
    last = code.split(".")[-1]
    if last.isdigit():
        return int(last)
    if re.fullmatch(r"[a-zđ]", last):
        return "abcdđeghiklmnopqrstuvxy".find(last) + 1 if last in "abcdđeghiklmnopqrstuvxy" else None
    romans = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
    return romans.get(last)


class InvalidDateRule(Rule):
    code = "AUD404"
    name = "date.invalid"
    kind = "date"
    what = ("A date that cannot exist (31/02/2024, 12/13/2024, a year before 1945 or after the report), "
            "and a period 'từ … đến …' whose end precedes its start.")
    why = "A wrong date misfiles the report or the document it cites."
    example_fail = "Kế hoạch số 05/KH-UBND ngày 31/02/2024 về cải cách hành chính."
    example_pass = "Kế hoạch số 05/KH-UBND ngày 28/02/2024 về cải cách hành chính."

    _DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,5})$")
    _WRITTEN = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4,5})", re.IGNORECASE)

    def check(self, ctx):
        dates = []
        h = ctx.structure.header
        max_year = h.date[2] + 1 if h.date and h.date[2] else 2100  # nothing cited can postdate the report by a year
        for q in ctx.mentions:
            if q.kind != Kind.DATE:
                continue
            m = self._DMY.match(q.raw) or self._WRITTEN.search(q.raw)
            if not m:
                continue
            d, mth, y = (int(x) for x in m.groups())
            if y < 100:
                y += 2000
            problem = None
            if not 1 <= mth <= 12:
                problem = f"tháng {mth} không tồn tại"
            elif not 1 <= d <= calendar.monthrange(y if 1 <= y <= 9999 else 2000, mth)[1]:
                problem = f"tháng {mth}/{y} không có ngày {d}"
            elif y < 1945 or y > max_year:
                problem = f"năm {y} không hợp lý" + (f" (báo cáo năm {max_year - 1})" if max_year < 2100 else "")
            if problem:
                yield self.finding(f"Dòng {ctx.lines.locate(q.start)[0]}: ngày «{q.raw}» không hợp lệ ({problem})",
                                   [Evidence("date", q.raw, None, q.start, q.end, ctx.where(q.start))],
                                   suggestion="Kiểm tra lại ngày tháng.")
            else:
                dates.append((q, (y, mth, d)))
        for (a, da), (b, db) in zip(dates, dates[1:]):
            gap = ctx.text[a.end : b.start]
            if re.fullmatch(r"\s*(?:đến|tới|-|–)\s*(?:ngày\s*)?", gap) and db < da and re.search(
                    r"(?:từ|Từ)\s*(?:ngày\s*)?$", ctx.text[max(0, a.start - 12) : a.start]):
                yield self.finding(f"Dòng {ctx.lines.locate(a.start)[0]}: kỳ từ {a.raw} đến {b.raw} kết thúc trước khi bắt đầu",
                                   [Evidence("date", a.raw, None, a.start, a.end, ctx.where(a.start)),
                                    Evidence("date", b.raw, None, b.start, b.end, ctx.where(b.start))],
                                   name="date.period-reversed", suggestion="Kiểm tra lại kỳ báo cáo.")


class AppendixReferenceRule(Rule):
    code = "AUD405"
    name = "date.appendix-reference"
    kind = "date"
    severity = Severity.WARNING
    what = "The appendix says it accompanies a report number or date other than the header's ('Kèm theo Báo cáo số …')."
    why = "An appendix copied from another period's report carries that period's figures."
    example_fail = ("Số: 36/BC-UBND\n\nBắc Sơn, ngày 15 tháng 6 năm 2024\n\nPhụ lục\n"
                    "(Kèm theo Báo cáo số 12/BC-UBND ngày 15/06/2024 của UBND xã)")
    example_pass = ("Số: 36/BC-UBND\n\nBắc Sơn, ngày 15 tháng 6 năm 2024\n\nPhụ lục\n"
                    "(Kèm theo Báo cáo số 36/BC-UBND ngày 15/06/2024 của UBND xã)")

    _REF = re.compile(r"[Kk]èm theo [Bb]áo cáo số\s*(?P<num>\d+/[\w-]+)(?:\s*(?:,\s*)?ngày\s*"
                      r"(?:(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})|(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})"
                      r"\s+năm\s+(?P<wy>\d{4})))?")

    def check(self, ctx):
        h = ctx.structure.header
        for m in self._REF.finditer(ctx.text):
            problems = []
            if h.number and m.group("num").replace(" ", "") != h.number.replace(" ", ""):
                problems.append(f"số {m.group('num')} ≠ {h.number}")
            d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (
                m.group("wd"), m.group("wm"), m.group("wy"))
            if d and h.date and all(h.date):
                ref = (int(d), int(mo), int(y))
                if ref != tuple(h.date):
                    problems.append(f"ngày {d}/{mo}/{y} ≠ "
                                    f"{h.date[0]}/{h.date[1]}/{h.date[2]}")
            if problems:
                ev = [Evidence("reference", m.group(0), None, m.start(), m.end(), ctx.where(m.start()))]
                if h.number_span:
                    ev.append(Evidence("header", ctx.text[h.number_span[0]:h.number_span[1]], None,
                                       *h.number_span, "header"))
                yield self.finding("Phụ lục dẫn chiếu báo cáo khác: " + "; ".join(problems), ev,
                                   suggestion="Kiểm tra phụ lục có đúng của báo cáo này không.")


_PERIOD_PATTERNS = [
    (re.compile(r"\b(?:6|06|sáu)\s+tháng\s+đầu\s+năm\s+(\d{4})", re.IGNORECASE), lambda y: (y, 6, 30)),
    (re.compile(r"\b(?:9|09|chín)\s+tháng\s+(?:đầu\s+)?năm\s+(\d{4})", re.IGNORECASE), lambda y: (y, 9, 30)),
    (re.compile(r"\bquý\s+I\s+(?:năm\s+)?(\d{4})", re.IGNORECASE), lambda y: (y, 3, 31)),
    (re.compile(r"\bquý\s+II\s+(?:năm\s+)?(\d{4})", re.IGNORECASE), lambda y: (y, 6, 30)),
    (re.compile(r"\bquý\s+III\s+(?:năm\s+)?(\d{4})", re.IGNORECASE), lambda y: (y, 9, 30)),
    (re.compile(r"\bquý\s+IV\s+(?:năm\s+)?(\d{4})", re.IGNORECASE), lambda y: (y, 12, 31)),
    # Last: an annual report ("Kết quả công tác cải cách hành chính năm 2024").
    (re.compile(r"(?:báo cáo|kết quả|công tác|tình hình)[^\n]{0,90}?\bnăm\s+(\d{4})", re.IGNORECASE),
     lambda y: (y, 12, 31)),
]


class ReportBeforePeriodEndRule(Rule):
    code = "AUD406"
    status = "preview"
    name = "date.report-before-period-end"
    kind = "date"
    severity = Severity.INFO
    what = ("The header date falls before the end of the period the report's title covers (a half-year "
            "report dated 15 June). Common when the district sets an early deadline, hence info: the "
            "figures then stop at a cut-off date the report should state.")
    why = "Figures 'for the half year' that stop two weeks early are not comparable with other communes'."
    example_fail = ("Số: 12/BC-UBND\n\nAn Hòa, ngày 10 tháng 6 năm 2025\n\nBÁO CÁO\n"
                    "Kết quả công tác cải cách hành chính 6 tháng đầu năm 2025")
    example_pass = ("Số: 12/BC-UBND\n\nAn Hòa, ngày 02 tháng 7 năm 2025\n\nBÁO CÁO\n"
                    "Kết quả công tác cải cách hành chính 6 tháng đầu năm 2025")

    def check(self, ctx):
        h = ctx.structure.header
        if not h.date or not h.date[1] or not h.date[2] or not h.date_span:
            return
        if re.search(r"(?:tính|số liệu|chốt)[^.\n]{0,40}?đến (?:hết )?ngày|từ ngày \d{1,2}/\d{1,2}/\d{4}\s*"
                     r"(?:đến|-|–)\s*(?:ngày\s*)?\d{1,2}/\d{1,2}/\d{4}", ctx.text, re.IGNORECASE):
            return  # the report states its data cut-off: an early date is explained
        d, m, y = h.date
        blank_day = d is None
        d = d or 1  # a blank day: the month alone may already be before the period end
        head = ctx.text[: min(len(ctx.text), h.date_span[1] + 600)]
        for pat, end in _PERIOD_PATTERNS:
            pm = pat.search(head, h.date_span[1])
            if not pm:
                continue
            ey, em, ed = end(int(pm.group(1)))
            if (y, m, d) < (ey, em, ed) and not (blank_day and (y, m) == (ey, em)):
                yield self.finding(
                    f"Báo cáo ghi ngày {'…' if blank_day else d}/{m}/{y}, trước khi kỳ «{pm.group(0)}» kết thúc ({ed}/{em}/{ey})",
                    [_span_ev(ctx, "date", *h.date_span), _span_ev(ctx, "period", pm.start(), pm.end())],
                    verdict=Verdict.INDETERMINATE,
                    suggestion="Nêu rõ số liệu tính đến ngày nào (thời điểm chốt số liệu).")
            return


_UNIT_WORDS = {"hồ sơ": "hồ sơ", "tthc": "thủ tục", "thủ tục": "thủ tục", "pakn": "kiến nghị",
               "phản ánh": "kiến nghị", "nhiệm vụ": "nhiệm vụ", "văn bản": "văn bản", "vbqppl": "văn bản",
               "biên chế": "người", "người": "người", "cán bộ": "người", "công chức": "người"}


class UnitMismatchRule(Rule):
    code = "AUD407"
    status = "preview"
    name = "placeholder.unit-mismatch"
    kind = "placeholder"
    severity = Severity.INFO
    what = ("In an indicator table, the unit column contradicts what the label counts (a count of "
            "PAKN in a row whose unit says 'Hồ sơ'), or a '%' row holds a value above 100 or a "
            "'Số …' count row is measured in '%'.")
    why = "A wrong unit shows the row was filled from another template line; its value is suspect too."
    example_fail = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n3.2.1.\tTổng số PAKN đã tiếp nhận\tHồ sơ\t0"
    example_pass = "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n3.2.1.\tTổng số PAKN đã tiếp nhận\tPAKN\t0"

    def check(self, ctx):
        from auditor.lexicon import fold, units
        from auditor.model import TableKind

        for t in ctx.tables:
            if t.kind != TableKind.INDICATOR:
                continue
            for r in t.rows:
                unit = r.unit.strip()
                if not unit or "=" in unit:
                    continue
                label = fold(r.label)
                m = re.match(r"(?:tổng số|số lượng|số)\s+(\w+(?:\s\w+)?)", label)
                value = r.value_cell
                problem = None
                if unit == "%":
                    if value and value.quantity.value > 100:
                        problem = f"giá trị {fmt_v(value.quantity.value)} trong dòng đơn vị %"
                    elif m and not re.match(r"tỷ lệ|tỉ lệ", label):
                        problem = "dòng đếm «Số …» nhưng đơn vị là %"
                elif m:
                    key = next((k for k in _UNIT_WORDS if m.group(1).startswith(k)), None)
                    counted = _UNIT_WORDS.get(key)
                    info = units().lookup(unit)
                    have = info.canonical if info else None
                    if counted and have and counted != have and not (counted == "người" and have == "người"):
                        problem = f"chỉ tiêu đếm «{key}» nhưng đơn vị tính là «{unit}»"
                if problem:
                    s0, e0 = (value.start, value.end) if value else (r.start, r.end)
                    ev = [Evidence("unit", ctx.text[s0:e0], value.quantity.value if value else None,
                                   s0, e0, "table", t.index, r.index, 3, r.label)]
                    yield self.finding(f"Bảng {t.index}, {r.code} {r.label[:60]}: {problem}", ev,
                                       verdict=Verdict.INDETERMINATE,
                                       suggestion="Kiểm tra đơn vị tính và số liệu của dòng này.")


def fmt_v(v: float) -> str:
    from auditor.checks.base import fmt

    return fmt(v)


class EmptySectionRule(Rule):
    code = "AUD408"
    status = "preview"
    name = "placeholder.empty-section"
    kind = "placeholder"
    severity = Severity.INFO
    what = "A numbered section heading directly followed by another heading of the same or a higher level: the section has no content."
    why = "An empty section is usually a template part the commune forgot to fill in."
    example_fail = "II. KẾT QUẢ\n\n1. Cải cách thể chế\n\n2. Cải cách thủ tục hành chính\n\nĐã tiếp nhận 10 hồ sơ."
    example_pass = "II. KẾT QUẢ\n\n1. Cải cách thể chế\n\nĐã ban hành 2 văn bản.\n\n2. Cải cách thủ tục hành chính\n\nĐã tiếp nhận 10 hồ sơ."

    def check(self, ctx):
        heads = list(ctx.structure.headings)
        empty = {}
        for k, (h, nxt) in enumerate(zip(heads, heads[1:])):
            if h.level >= 2 and nxt.level <= h.level and not ctx.text[h.end : nxt.start].strip():
                empty[k] = True
        if heads and not ctx.text[heads[-1].end :].strip():
            empty[len(heads) - 1] = True
        # Items of one list ("1. Tiếp tục …", "a) …") carry their text on their own line: when
        # a heading's siblings are all "empty" the run is a list, not empty sections.
        all_empty = self._sibling_runs_empty(heads, empty)
        for k, h in enumerate(heads[:-1]):
            if k not in empty or len(h.title) >= 120 or re.search(r"[.;!]\s*$", h.title):
                continue  # a numbered sentence ("1. Phấn đấu …;") is a list item, not a section title
            if all_empty(k):
                continue
            if True:
                yield self.finding(f"Dòng {h.line}: mục «{h.code}. {h.title[:60]}» không có nội dung",
                                   [_span_ev(ctx, "heading", h.start, h.end)], verdict=Verdict.INDETERMINATE,
                                   suggestion="Bổ sung nội dung hoặc ghi «Không phát sinh».")

    @staticmethod
    def _sibling_runs_empty(heads, empty):
        """A function k → all of `_siblings(heads, k)` are in `empty`, each call O(1):
        sibling runs end at the nearest shallower heading (found with a stack), and a
        prefix count per level says whether a run holds a non-empty heading."""
        n = len(heads)
        lo, hi = [0] * n, [n - 1] * n
        stack: list[int] = []
        for k in range(n):  # previous heading of a smaller level
            while stack and heads[stack[-1]].level >= heads[k].level:
                stack.pop()
            lo[k] = stack[-1] + 1 if stack else 0
            stack.append(k)
        stack = []
        for k in range(n - 1, -1, -1):  # next heading of a smaller level
            while stack and heads[stack[-1]].level >= heads[k].level:
                stack.pop()
            hi[k] = stack[-1] - 1 if stack else n - 1
            stack.append(k)
        full: dict[int, list[int]] = {}
        for lv in {h.level for h in heads}:
            acc, run = [0], 0
            for j, h in enumerate(heads):
                run += h.level == lv and j not in empty
                acc.append(run)
            full[lv] = acc
        return lambda k: full[heads[k].level][hi[k] + 1] - full[heads[k].level][lo[k]] == 0

    @staticmethod
    def _siblings(heads, k):
        """Indices of the headings at heads[k]'s level under the same parent."""
        level = heads[k].level
        lo = k
        while lo > 0 and heads[lo - 1].level >= level:
            lo -= 1
        hi = k
        while hi + 1 < len(heads) and heads[hi + 1].level >= level:
            hi += 1
        return [j for j in range(lo, hi + 1) if heads[j].level == level]


class BooleanRule(Rule):
    code = "AUD409"
    status = "preview"
    name = "boolean.indicator-vs-narrative"
    kind = "boolean"
    severity = Severity.WARNING
    what = ("A yes/no indicator (unit 'Có = 1; Không = 0') contradicts the narrative: 0 while the "
            "narrative reports the activity (a dialogue conference held), or 1 while the narrative "
            "says it did not take place. Activities and their phrases are in rules/booleans.yaml.")
    why = "The yes/no indicators are scored in the district's ranking; a wrong 0 costs the commune points, a wrong 1 is a false claim."
    example_fail = ("Ngày 12/5/2025, Chủ tịch UBND xã chủ trì Hội nghị đối thoại với Nhân dân về giải quyết TTHC.\n\n"
                    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n6\tTổ chức đối thoại của lãnh đạo với người dân\tKhông = 0; Có = 1\t0")
    example_pass = ("Ngày 12/5/2025, Chủ tịch UBND xã chủ trì Hội nghị đối thoại với Nhân dân về giải quyết TTHC.\n\n"
                    "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n6\tTổ chức đối thoại của lãnh đạo với người dân\tKhông = 0; Có = 1\t1")

    def check(self, ctx):
        from auditor.lexicon import fold, load_pack
        from auditor.model import TableKind

        pack = load_pack("booleans").get("booleans", [])
        sentences = [s for s in ctx.structure.sentences]
        for t in ctx.tables:
            if t.kind != TableKind.INDICATOR:
                continue
            for r in t.rows:
                if not re.search(r"(?i)\bcó\s*=\s*1|hoàn thành\s*=\s*1|đã có\s*=\s*1", r.unit):
                    continue
                cell = r.value_cell
                if cell is None or cell.quantity.value not in (0, 1):
                    continue
                label = fold(r.label)
                spec = next((b for b in pack if any(fold(w) in label for w in b["label"])), None)
                if spec is None:
                    continue
                pos, neg = self._mentions(ctx, sentences, [fold(m) for m in spec["mention"]])
                value = cell.quantity.value
                hit = pos if value == 0 else (neg if not pos else [])
                if not hit:
                    continue
                s, e = hit[0]
                said = "có thực hiện" if value == 0 else "không thực hiện"
                yield self.finding(
                    f"Bảng {t.index}, {r.code} {r.label[:60]}: ghi {int(value)} "
                    f"({'Không' if value == 0 else 'Có'}) nhưng thuyết minh (dòng {ctx.lines.locate(s)[0]}) nêu {said}",
                    [ctx.evidence("cell", cell.quantity, table=t.index, row=r.index, col=cell.col, label=r.label),
                     Evidence("claim", ctx.text[s:e], None, s, e, "narrative")],
                    stated=value, expected=1 - value,
                    suggestion="Thống nhất chỉ tiêu có/không với nội dung thuyết minh.")

    _FUTURE_SECTION = re.compile(r"(?i)phương hướng|nhiệm vụ[^\n]{0,40}(?:tới|tiếp theo|trọng tâm|cuối năm)|"
                                 r"kiến nghị|đề xuất")
    _FUTURE = re.compile(r"(?i)\b(?:dự kiến|sẽ|dự định|chuẩn bị|kế hoạch tổ chức|phấn đấu)\b")

    @classmethod
    def _mentions(cls, ctx, sentences, phrases):
        """Mentions that report what was done: not in headings, not in the plans for the next
        period (a "Phương hướng, nhiệm vụ" section), not in a sentence about the future."""
        import bisect

        future_start = next((h.start for h in ctx.structure.headings
                             if h.level <= 1 and cls._FUTURE_SECTION.search(h.title)), len(ctx.text))
        heading_spans = [(h.start, h.end) for h in ctx.structure.headings]
        starts = [s.start for s in sentences]
        pattern = re.compile("|".join(r"(?<!\w)" + r"\s+".join(map(re.escape, ph.split())) + r"(?!\w)"
                                      for ph in sorted(phrases, key=len, reverse=True)))
        low = ctx.text.lower()
        pos, neg = [], []
        for m in pattern.finditer(low, 0, future_start):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= sentences[k].end:
                continue  # not inside a narrative sentence (a table or a heading line)
            sent = sentences[k]
            if cls._FUTURE.search(sent.text) or any(a <= sent.start < b for a, b in heading_spans):
                continue
            before = low[max(sent.start, m.start() - 40) : m.start()]
            target = neg if re.search(r"\b(?:không|chưa)\b[^.;,]*$", before) else pos
            target.append((m.start(), m.end()))
        return pos, neg
