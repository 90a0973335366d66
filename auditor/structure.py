"""The report's structure: header, headings, narrative paragraphs and sentences.

Paragraphs are "logical": PDF text wraps mid-sentence and puts blank lines between the
pieces, so a line that does not end a sentence is joined with the next non-blank line
when that one does not start a heading or a list item. Table regions are left out of
the narrative. Sentences come from underthesea's sent_tokenize (loaded lazily), re-aligned
to the source offsets and repaired where it splits after a number or an abbreviation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model import Header, Heading, Sentence, Table
from auditor.textutil import Line, split_lines

_ROMAN = r"(?:I{1,3}|IV|V|VI{0,3}|IX|X)"
_HEADING = re.compile(
    rf"^\s*(?:(?:PHẦN|Phần)\s+(?P<part>{_ROMAN}|\d+)|(?P<roman>{_ROMAN})\.|(?P<num>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})\.?"
    r"|(?P<letter>[a-zđ])[.),])\s+(?P<title>\S.*)$"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-–•+*]\s|\d{1,2}[.)]\s|[a-zđ][.),]\s)")
_SENT_END = re.compile(r"[.!?:;…]\s*[\"”’)]*\s*$")
_SIGNATURE = re.compile(r"^\s*\**\s*(?:Nơi nhận|TM\.|KT\.|T/M)", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Structure:
    header: Header
    headings: tuple[Heading, ...]
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    appendix_start: int | None  # offset where the appendix (Phụ lục / statistics tables) begins


def analyse(text: str, tables: list[Table], *, tokenize: bool = True) -> Structure:
    lines = split_lines(text)
    in_table = _table_lines(lines, tables)
    header = parse_header(text, lines)
    headings = tuple(_headings(lines, in_table))
    paragraphs = tuple(_paragraphs(lines, in_table))
    sentences = tuple(_sentences(text, paragraphs, headings, tokenize))
    return Structure(header, headings, paragraphs, sentences, _appendix_start(lines, tables))


def _table_lines(lines: list[Line], tables: list[Table]) -> set[int]:
    """Lines wholly inside a table; lines are in order, so each table costs O(log L + its lines)."""
    import bisect

    starts = [ln.start for ln in lines]
    out = set()
    for t in tables:
        for ln in lines[bisect.bisect_left(starts, t.start):]:
            if ln.start > t.end + 1:
                break
            if ln.end <= t.end + 1:
                out.add(ln.number)
    return out


def _appendix_start(lines: list[Line], tables: list[Table]) -> int | None:
    for ln in lines:
        if re.match(r"^\s*(?:PHỤ LỤC|Phụ lục|BIỂU MẪU|Biểu mẫu|Biểu số)\b", ln.text):
            return ln.start
    sig = next((ln.start for ln in lines if _SIGNATURE.match(ln.text)), None)
    if sig is not None:
        after = [t.start for t in tables if t.start > sig]
        if after:
            return min(after)
    return None


# --- header ---------------------------------------------------------------------------------

_NUMBER_LINE = re.compile(r"^\s*Số\s*:\s*(?P<num>[^\s].*?)?\s*$")
_NUMBER_HEAD = re.compile(r"^\s*Số\s*:\s*")
_PLACE_DATE = re.compile(
    r"(?P<place>[^\n,]{0,60}),\s*ngày\s+(?P<d>\d{1,2}|\.{2,}|…+|_+)?\s*tháng\s+(?P<m>\d{1,2}|\.{2,}|…+|_+)?"
    r"\s*năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)


_ISSUER = re.compile(r"(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|Ủy ban nhân dân|UBND)\s+(?:XÃ|PHƯỜNG|THỊ TRẤN|xã|phường|thị trấn)"
                     r"\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*(?:[ \t]+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*)*")


def parse_header(text: str, lines: list[Line] | None = None) -> Header:
    """Số/ký hiệu and place-date of the document, from its first lines."""
    lines = lines or split_lines(text)
    number = number_span = None
    place_date = date = date_span = None
    for ln in lines[:25]:
        m = _NUMBER_HEAD.match(ln.text)  # _NUMBER_LINE without its lazy tail: linear in the line
        if m and number is None and number_span is None:
            raw = ln.text[m.end():].strip()
            s = ln.start + m.end()
            # "Số: 152/BC-UBND Hà Lăng, ngày …" on one line: the number ends at the first space.
            ident = re.match(r"\d+\s*/\s*[\wĐđ.-]+(?:\s*-\s*[\wĐđ]+)*", raw)
            if ident:
                raw = ident.group(0)
            elif slash := re.match(r"/\s*[\wĐđ.-]+", raw):  # "Số: /BC-UBND" (number left blank)
                raw = slash.group(0)
            number = raw if re.match(r"\d", raw) else None
            number_span = (s, s + len(raw)) if raw else (ln.start, ln.end)
        d = _PLACE_DATE.search(ln.text)
        if d and date is None:
            place_date = d.group(0).strip()
            date = tuple(int(x) if x and x.isdigit() else None for x in (d.group("d"), d.group("m"), d.group("y")))
            date_span = (ln.start + d.start(), ln.start + d.end())
    m = _ISSUER.search(text, 0, min(len(text), 4000))
    issuer = " ".join(m.group(0).split()) if m else None
    return Header(number, number_span, place_date, date, date_span, issuer)


# --- headings and paragraphs ---------------------------------------------------------------------

def _headings(lines: list[Line], in_table: set[int]) -> list[Heading]:
    out = []
    for ln in lines:
        if ln.number in in_table:
            continue
        m = _HEADING.match(ln.text)
        if not m:
            continue
        title = m.group("title").strip()
        if m.group("part"):
            code, level = m.group("part"), 0
        elif m.group("roman"):
            code, level = m.group("roman"), 1
        elif m.group("num"):
            code = m.group("num")
            level = 2 + code.count(".")
            # "1.290 hồ sơ" or a wrapped "64 TTHC …" at a line start is not a heading.
            if any(len(p) > 2 for p in code.split(".")) or int(code.split(".")[0]) > 30 or not title[:1].isupper():
                continue
        else:
            code, level = m.group("letter"), 5
        out.append(Heading(code, title, level, ln.start, ln.end, ln.number))
    return out


def _paragraphs(lines: list[Line], in_table: set[int]) -> list[Paragraph]:
    paras: list[Paragraph] = []
    cur: list[Line] = []

    def flush():
        if cur:
            paras.append(Paragraph(len(paras), cur[0].start, cur[-1].end, tuple(cur)))
            cur.clear()

    for ln in lines:
        s = ln.text.strip()
        if ln.number in in_table:
            flush()
            continue
        if not s:
            continue
        if cur:
            prev = cur[-1].text.rstrip()
            prev_is_heading = len(cur) == 1 and _HEADING.match(cur[0].text) is not None and len(prev) < 120
            starts_new = bool(_HEADING.match(ln.text) or _LIST_ITEM.match(ln.text)) or s[:1].isupper() and (
                _SENT_END.search(prev) is not None or prev_is_heading)
            if starts_new or (_SENT_END.search(prev) and not s[:1].islower()):
                flush()
        cur.append(ln)
    flush()
    return paras


# --- sentences ------------------------------------------------------------------------------

def _sentences(text, paragraphs, headings, tokenize: bool) -> list[Sentence]:
    out: list[Sentence] = []
    heads = sorted(headings, key=lambda h: h.start)
    sections = _sections_at(heads, [p.start for p in paragraphs])
    for p, section in zip(paragraphs, sections):
        # Only sentences that hold numbers feed the checks: a paragraph without a digit or a
        # "không" (as in "không có hồ sơ nào") is split by the cheap regex splitter.
        chunk = text[p.start : p.end]
        needs_model = tokenize and (_HAS_DIGIT.search(chunk) is not None or "không" in chunk.lower())
        for s, e in split_sentences(text, p.start, p.end, tokenize=needs_model):
            out.append(Sentence(text[s:e], s, e, p.index, section))
    return out


_HAS_DIGIT = re.compile(r"\d")


def _sections_at(heads: list[Heading], offsets: list[int]) -> list[str | None]:
    """`_section_at` for ascending offsets in one walk over the headings (O(H + P), not O(H·P))."""
    out: list[str | None] = []
    path: dict[int, str] = {}
    i = 0
    for offset in offsets:
        while i < len(heads) and heads[i].start <= offset:
            h = heads[i]
            path = {k: v for k, v in path.items() if k < h.level}
            path[h.level] = h.code
            i += 1
        out.append(".".join(path[k] for k in sorted(path)) or None)
    return out


def _section_at(heads: list[Heading], offset: int) -> str | None:
    path: dict[int, str] = {}
    for h in heads:
        if h.start > offset:
            break
        path = {k: v for k, v in path.items() if k < h.level}
        path[h.level] = h.code
    return ".".join(path[k] for k in sorted(path)) or None


def split_sentences(text: str, start: int, end: int, *, tokenize: bool = True) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], aligned to the source offsets."""
    chunk = text[start:end]
    collapsed, offs = _collapse(chunk)
    pieces: list[str] | None = None
    if tokenize and len(collapsed) > 1:
        try:
            from underthesea import sent_tokenize

            pieces = sent_tokenize(collapsed)
        except Exception:  # noqa: BLE001 - a tokenizer failure must not lose the report
            pieces = None
    spans = _align(collapsed, pieces) if pieces else None
    if spans is None:
        spans = _regex_split(collapsed)
    spans = _repair(collapsed, spans)
    return [(start + offs[a], start + offs[b - 1] + 1) for a, b in spans if b > a]


def _collapse(chunk: str) -> tuple[str, list[int]]:
    """Whitespace runs folded to one space, with each kept character's source offset."""
    words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", chunk)]
    offs: list[int] = []
    parts: list[str] = []
    for k, (pos, w) in enumerate(words):
        if k:
            offs.append(pos - 1)
            parts.append(" ")
        offs.extend(range(pos, pos + len(w)))
        parts.append(w)
    return "".join(parts), offs


def _align(collapsed: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    spans, pos = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        i = collapsed.find(piece, pos)
        if i < 0:
            return None
        spans.append((i, i + len(piece)))
        pos = i + len(piece)
    return spans


_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")


def _regex_split(collapsed: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SPLIT.finditer(collapsed):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(collapsed)))
    return spans


_ABBREV_END = re.compile(r"(?:\b(?:TP|Tp|TT|ThS|TS|PGS|GS|Q|P|KT|TM|vv|v\.v|số|ngày|Điều|Khoản)\.|\d\.)$")


def _repair(collapsed: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge a split after an abbreviation or a bare number ("đạt 100% 2."), or before lower case."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            # The longest abbreviation is 6 characters and "\b" looks one further back: the
            # last 10 characters decide, and merged spans stay O(1) to test (not O(length)).
            prev = collapsed[max(pa, pb - 10):pb]
            nxt = collapsed[a:min(b, a + 1)]
            if _ABBREV_END.search(prev) and len(nxt) > 0 and not nxt[:1].isupper() or (
                nxt[:1].islower()
            ):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out
