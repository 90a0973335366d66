"""Flatten a .docx report to the text every offset refers to.

The document body is walked in order, paragraphs and tables interleaved:

- a paragraph becomes one block holding its text as written (a line break inside it,
  `<w:br/>`, stays a "\\n"; a tab stays a "\\t"); empty paragraphs are dropped;
- a table becomes one block with one line per row, cells joined by "\\t". A cell merged
  across columns (`w:gridSpan`) gives its text in its first grid column and "" in the
  columns it spans; a continuation of a vertical merge (`w:vMerge` without "restart")
  gives "". Paragraphs inside a cell are joined by a space, and so are line breaks, so
  a cell never breaks its row. A table nested in a cell has its rows emitted as lines of
  their own right after the row that holds it;
- blocks are joined by a blank line ("\\n\\n"), as in the .txt reports extracted from .docx.

Every block is NFC-normalized. The zip container is checked before anything parses it
(size, compression ratio, member count, encryption), so a hostile file is refused with
an InputError instead of exhausting memory.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from auditor.errors import InputError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total of all members, as declared in the zip directory
MAX_RATIO = 200  # uncompressed / compressed, per member
RATIO_MIN_SIZE = 1024 * 1024  # small members may compress very well without being a bomb
MAX_MEMBERS = 10_000
MAX_PARAGRAPHS = 200_000  # paragraphs of the body, cells included
MAX_CELLS = 500_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (f"{_W}{n}" for n in
                                          ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Elements whose subtree holds no visible text of the paragraph itself: properties,
# deleted revisions, field codes, and drawings/text boxes (their paragraphs are separate).
_SKIP = {f"{_W}{n}" for n in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText",
                               "drawing", "pict", "object", "fldData")}
_SKIP.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")

_NOT_DOCX = "không phải tệp .docx hợp lệ (not a valid .docx)"


def docx_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Return the flattened text of a .docx and warnings; raise InputError if unreadable."""
    _check_container(data, name)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except InputError:
        raise
    except ValueError as exc:  # python-docx: "file '<_io.BytesIO …>' is not a Word file, content type is …"
        ctype = re.search(r"content type is '([^']{1,120})'", str(exc))
        what = f"content type {ctype.group(1)}" if ctype else "not a Word document"
        raise InputError(name, f"{_NOT_DOCX[:-1]}: {what})") from None
    except KeyError:
        raise InputError(name, "tệp .docx thiếu phần nội dung chính "
                               "(not a valid .docx: missing document part)") from None
    except Exception as exc:  # zlib.error, BadZipFile (CRC), XMLSyntaxError, …
        raise InputError(name, f"tệp .docx bị hỏng (corrupt .docx: {type(exc).__name__})") from None

    if body is None:
        raise InputError(name, "tệp .docx không có phần thân <w:body> (not a valid .docx: no <w:body>)")
    blocks: list[str] = []
    budget = _Budget(name)
    try:
        _walk(body, blocks, budget)
    except RecursionError:
        raise InputError(name, "cấu trúc bảng lồng nhau quá sâu (tables nested too deeply)") from None
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed body names the file, never a traceback
        raise InputError(name, f"tệp .docx bị hỏng (corrupt .docx: {type(exc).__name__})") from None
    text = "\n\n".join(blocks)
    warnings: list[str] = []
    legacy = _legacy_warning(text)
    if legacy:
        warnings.append(legacy)
    return text, warnings


# --- container checks ---------------------------------------------------------------------


def _check_container(data: bytes, name: str) -> None:
    if data.startswith(_OLE_MAGIC):
        # An encrypted OOXML file is an OLE compound file holding EncryptionInfo and an
        # EncryptedPackage stream; any other OLE file here is a legacy Word 97-2003 .doc.
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
                or "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(name, "tệp .docx được đặt mật khẩu/mã hóa "
                                   "(encrypted or password-protected .docx)")
        raise InputError(name, "tệp Word 97-2003 (.doc), không phải .docx "
                               "(legacy .doc: save it as .docx)")
    if not data.startswith(b"PK"):
        raise InputError(name, _NOT_DOCX)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        # It starts like a zip but its central directory (at the end) is missing.
        raise InputError(name, "tệp .docx bị cắt cụt hoặc hỏng (truncated or corrupt .docx)") from None
    except Exception as exc:  # e.g. an absurd zip64 record
        raise InputError(name, f"tệp .docx bị hỏng (corrupt .docx: {type(exc).__name__})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise InputError(name, f"tệp .docx có quá nhiều thành phần ({len(infos)} > "
                                   f"{MAX_MEMBERS}) (too many zip members: possible zip bomb)")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise InputError(name, "tệp .docx được đặt mật khẩu/mã hóa "
                                       "(encrypted or password-protected .docx)")
            if info.file_size >= RATIO_MIN_SIZE and \
                    info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(name, f"tỷ lệ nén bất thường ở '{info.filename}' "
                                       f"(compression ratio > {MAX_RATIO}: possible zip bomb)")
        if total > MAX_UNCOMPRESSED:
            raise InputError(name, f"dung lượng giải nén quá lớn ({total // (1024 * 1024)} MB > "
                                   f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB) "
                                   "(uncompressed size too large: possible zip bomb)")
        names = {i.filename for i in infos}
        if len(names) != len(infos):
            seen: set[str] = set()
            dup = next(i.filename for i in infos if i.filename in seen or seen.add(i.filename))
            raise InputError(name, f"tệp .docx có thành phần trùng tên '{dup[:80]}', nội dung không rõ ràng "
                                   "(duplicate zip entries: ambiguous content)")
        if "[Content_Types].xml" not in names:
            raise InputError(name, f"{_NOT_DOCX[:-1]}: no [Content_Types].xml)")


def _short(exc: Exception, limit: int = 120) -> str:
    s = str(exc).replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --- body walk -----------------------------------------------------------------------------


class _Budget:
    """Counts paragraphs and cells read, and refuses a body larger than the caps."""

    def __init__(self, name: str):
        self.name, self.paragraphs, self.cells = name, 0, 0

    def paragraph(self, n: int = 1) -> None:
        self.paragraphs += n
        if self.paragraphs > MAX_PARAGRAPHS:
            raise InputError(self.name, f"tệp .docx quá nhiều đoạn văn (> {MAX_PARAGRAPHS:,}) "
                                        "(too many paragraphs)")

    def cell(self, n: int = 1) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise InputError(self.name, f"tệp .docx quá nhiều ô bảng (> {MAX_CELLS:,}) (too many table cells)")


def _walk(container, blocks: list[str], budget: _Budget | None = None) -> None:
    """Append the blocks of a body (or sdtContent) in document order."""
    budget = budget or _Budget("")
    for child in container.iterchildren():
        tag = child.tag
        if tag == _P:
            budget.paragraph()
            text = _nfc(_para_text(child))
            if text.strip():
                blocks.append(text)
        elif tag == _TBL:
            lines: list[str] = []
            _table_lines(child, lines, budget)
            if lines:
                blocks.append("\n".join(lines))
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                _walk(content, blocks, budget)
        # w:sectPr, bookmarks, customXml … carry no text of their own here


def _para_text(p) -> str:
    """The text of one w:p as Word shows it: w:t, w:tab → \\t, w:br/w:cr → \\n."""
    out: list[str] = []

    def visit(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab" or tag == f"{_W}ptab":
                out.append("\t")
            elif tag == f"{_W}br":
                kind = child.get(f"{_W}type")
                if kind in (None, "textWrapping"):
                    out.append("\n")
            elif tag == f"{_W}cr":
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            else:
                visit(child)  # runs, hyperlinks, insertions, smart tags, fields, sdt …

    visit(p)
    return "".join(out)


def _iter_rows(tbl):
    for child in tbl.iterchildren():
        if child.tag == _TR:
            yield child
        elif child.tag == _SDT or child.tag == f"{_W}customXml":
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _iter_rows(content)


def _iter_cells(tr):
    for child in tr.iterchildren():
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT or child.tag == f"{_W}customXml":
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _iter_cells(content)


def _int_val(el, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(f"{_W}val", default)))
    except (TypeError, ValueError):
        return default


def _table_lines(tbl, lines: list[str], budget: _Budget | None = None) -> None:
    """Append one line per row of `tbl`, then the rows of any table nested in that row."""
    budget = budget or _Budget("")
    for tr in _iter_rows(tbl):
        cells: list[str] = []
        nested: list = []
        trpr = tr.find(f"{_W}trPr")
        before = _int_val(trpr.find(f"{_W}gridBefore")) if trpr is not None else 0
        cells.extend([""] * min(before, 64))
        for tc in _iter_cells(tr):
            tcpr = tc.find(f"{_W}tcPr")
            span = 1
            continuation = False
            if tcpr is not None:
                span = max(1, min(_int_val(tcpr.find(f"{_W}gridSpan"), 1), 64))
                vmerge = tcpr.find(f"{_W}vMerge")
                if vmerge is not None and vmerge.get(f"{_W}val", "continue") != "restart":
                    continuation = True
            parts: list[str] = []
            for child in tc.iterchildren():
                if child.tag == _P:
                    parts.append(_para_text(child))
                elif child.tag == _TBL:
                    nested.append(child)
                elif child.tag == _SDT:
                    content = child.find(_SDT_CONTENT)
                    if content is not None:
                        parts.extend(_para_text(p) for p in content.iter(_P))
            text = "" if continuation else _cell_text(parts)
            budget.cell(span)
            budget.paragraph(len(parts))
            cells.append(text)
            cells.extend([""] * (span - 1))
        lines.append(_nfc("\t".join(cells)))
        for inner in nested:
            _table_lines(inner, lines, budget)


def _cell_text(parts: list[str]) -> str:
    """Join a cell's paragraphs and line breaks by a single space; tabs become spaces too."""
    pieces = []
    for part in parts:
        part = part.replace("\t", " ").replace("\r", " ")
        for line in part.split("\n"):
            line = line.strip()
            if line:
                pieces.append(line)
    return " ".join(pieces)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --- legacy encodings ----------------------------------------------------------------------

# Latin-1 letters that genuine Vietnamese Unicode text uses; the rest of U+00A0–U+00FF
# (Ñ, ö, ø, ¸, µ, ¶, ¨ …) is what VNI-Times and TCVN3 (.VnTime) text looks like when its
# font is not applied.
_VIET_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def _legacy_warning(text: str) -> str | None:
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 50:
        return None
    odd = sum(1 for ch in text if "\u00a0" < ch <= "\u00ff" and ch not in _VIET_LATIN1
              and ch not in "°±²³×÷«»©®§")
    # Only genuine Vietnamese letters from Latin Extended count against the suspicion.
    viet = sum(1 for ch in text if "\u0100" <= ch <= "\u01b0" or "\u1ea0" <= ch <= "\u1ef9")
    if odd >= 20 and odd > 0.02 * letters and odd > viet:
        return (f"có thể dùng bảng mã cũ VNI/TCVN3 ({odd} ký tự lạ); hãy chuyển sang Unicode "
                "(text looks like legacy VNI/TCVN3 encoding)")
    return None
