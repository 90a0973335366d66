"""Saved web pages (.html/.htm) flattened to the same text as .docx: one line per block,
one line per table row with cells separated by tabs.

A real HTML parser (lxml) reads the page, so entities, unclosed tags and inline markup
(`<b>1.290</b>`) are handled as a browser would. Tables are laid out on a grid: a cell that
spans columns (colspan) keeps its text in its first column and leaves the others empty, and
a cell that spans rows (rowspan) leaves the rows below empty in its columns, exactly as the
.docx reader does with gridSpan/vMerge, so `tables.py` sees one convention.
"""
from __future__ import annotations

import re
import unicodedata

from auditor.errors import InputError

_SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "iframe", "object"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote",
          "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption",
          "caption", "address", "hr", "form", "fieldset", "center", "body", "html"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_MAX_CELLS = 200_000
_MAX_COLS = 256
_MAX_SPAN = 64


def _charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def decode_html(data: bytes) -> tuple[str, list[str]]:
    """The page as text: BOM, then the declared charset, then UTF-8 (bad bytes replaced)."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), warnings
    declared = _charset(data)
    for enc in ([declared] if declared else []) + ["utf-8"]:
        try:
            return data.decode(enc), warnings
        except (LookupError, UnicodeDecodeError):
            continue
    text = data.decode("utf-8", errors="replace")
    warnings.append(f"{text.count(chr(0xFFFD))} byte không hợp lệ UTF-8 đã được thay bằng '\ufffd'")
    return text, warnings


def html_text(data: bytes, name: str) -> tuple[str, list[str]]:
    import lxml.html

    source, warnings = decode_html(data)
    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", source)  # lxml refuses an encoding declaration in str
    try:
        root = lxml.html.document_fromstring(source)
    except Exception as exc:  # noqa: BLE001 - lxml's errors vary by version
        raise InputError(name, f"trang web không đọc được (unreadable HTML: {type(exc).__name__})") from None
    walker = _Walker()
    walker.visit(root)
    walker.flush()
    lines = walker.lines
    while lines and not lines[-1].strip():
        lines.pop()
    text = unicodedata.normalize("NFC", "\n".join(lines)) + "\n"
    if walker.tables:
        warnings.append(f"đọc {walker.tables} bảng HTML")
    return text, warnings


class _Walker:
    """Depth-first over the element tree, collecting lines of text."""

    def __init__(self):
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.cells = 0
        self.tables = 0

    def flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if line:
            self.lines.append(line)
        elif self.lines and self.lines[-1]:
            self.lines.append("")  # one blank line between blocks, as paragraphs have

    def visit(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP or not isinstance(el.tag, str):
            if el.tail:
                self.buf.append(el.tail)
            return
        if tag == "table":
            self.flush()
            self.table(el)
            self.lines.append("")
        elif tag == "br":
            self.flush()
        elif tag == "pre":
            self.flush()
            self.lines.extend(el.text_content().splitlines())
        else:
            block = tag in _BLOCK
            if block:
                self.flush()
            if el.text:
                self.buf.append(el.text)
            for child in el:
                self.visit(child)
            if block:
                self.flush()
        if el.tail:
            self.buf.append(el.tail)

    def table(self, tbl) -> None:
        self.tables += 1
        caption = tbl.find("caption")
        if caption is not None:
            text = _SPACES.sub(" ", caption.text_content()).strip()
            if text:
                self.lines.append(text)
        pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
        for tr in _rows(tbl):
            cells: list[str] = []
            nested = []
            col = 0

            def skip_spanned() -> None:
                nonlocal col
                while pending.get(col, 0) > 0 and col < _MAX_COLS:
                    cells.append("")
                    col += 1

            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                skip_spanned()
                colspan = _span(td.get("colspan"))
                rowspan = _span(td.get("rowspan"))
                nested.extend(td.iter("table"))
                cells.append(_cell_text(td))
                cells.extend([""] * (colspan - 1))
                for c in range(col, col + colspan):
                    if rowspan > 1:
                        pending[c] = rowspan  # decremented below, for this row too
                col += colspan
                self.cells += colspan
                if self.cells > _MAX_CELLS or col >= _MAX_COLS:
                    break
            skip_spanned()
            for c in list(pending):
                pending[c] -= 1
                if pending[c] <= 0:
                    del pending[c]
            self.lines.append("\t".join(cells))
            for inner in nested:
                if inner.getparent() is not None and _outer_table(inner) is tbl:
                    self.table(inner)
            if self.cells > _MAX_CELLS:
                break


def _rows(tbl):
    """The table's own rows (inside thead/tbody/tfoot or directly), not a nested table's."""
    for child in tbl:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if isinstance(tr.tag, str) and tr.tag.lower() == "tr":
                    yield tr


def _outer_table(el):
    p = el.getparent()
    while p is not None and not (isinstance(p.tag, str) and p.tag.lower() == "table"):
        p = p.getparent()
    return p


def _span(v) -> int:
    try:
        return max(1, min(int(str(v).strip() or 1), _MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _cell_text(td) -> str:
    """A cell's visible text on one line, without the rows of a table nested inside it."""
    parts: list[str] = []

    def visit(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or tag == "table" or not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            return
        if tag in _BLOCK or tag == "br":
            parts.append(" ")
        if el.text:
            parts.append(el.text)
        for child in el:
            visit(child)
        if el.tail and el is not td:
            parts.append(el.tail)

    if td.text:
        parts.append(td.text)
    for child in td:
        visit(child)
    return _SPACES.sub(" ", "".join(parts)).replace("\t", " ").strip()
