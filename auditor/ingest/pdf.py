"""Flatten a .pdf report (its text layer) to the text every offset refers to.

Per page, in vertical reading order:

- drawn tables (pdfplumber's line-based `find_tables`) become one line per row, cells
  joined by "\\t" (a cell spanned by a merged neighbour, None, gives ""; a wrapped cell's
  lines are joined by a space), with a blank line before and after the table;
- the text outside every table's box becomes lines as pdfplumber reads them; a vertical
  gap clearly larger than the line spacing starts a new paragraph (a blank line), so
  paragraphs come out separated by "\\n\\n" like the other formats.

Pages are separated by a blank line. Everything is NFC-normalized. A PDF without any text
layer (a scan) is refused: it needs OCR first, and guessing its numbers would be worse
than saying so.
"""
from __future__ import annotations

import io
import logging
import statistics
import unicodedata

from auditor.errors import InputError

MAX_PAGES = 500
MAX_PAGE_CONTENT = 1024 * 1024  # decoded content stream of one page; a dense text page is ~100 KB
MAX_TEXT_OPS = 250_000  # Tj/TJ operators in the whole document: pdfminer takes ~0.2 ms for each
PARAGRAPH_GAP = 0.45  # vertical gap between two lines, in line heights, that starts a paragraph

_NOT_PDF = "không phải tệp PDF hợp lệ (not a valid PDF)"


def pdf_text(data: bytes, name: str) -> tuple[str, list[str]]:
    """Return the flattened text of a PDF and warnings; raise InputError if unreadable."""
    head = data[:1024]
    if b"%PDF-" not in head:
        raise InputError(name, _NOT_PDF)
    if b"%%EOF" not in data[-2048:]:
        raise InputError(name, "tệp PDF bị cắt cụt, thiếu phần cuối "
                               "(truncated PDF: no %%EOF marker)")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    warnings: list[str] = []
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its recoverable-syntax chatter
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(name, "tệp PDF được đặt mật khẩu/mã hóa "
                               "(encrypted or password-protected PDF)") from None
    except Exception as exc:  # PDFSyntaxError, PSEOF, KeyError … from a damaged file
        raise InputError(name, f"tệp PDF bị hỏng (corrupt PDF: {type(exc).__name__})") from None

    try:
        return _read_pages(pdf, name, warnings)
    finally:
        try:
            pdf.close()  # pdfplumber walks the page tree again here: a damaged tree raises
        except Exception:  # noqa: BLE001 - nothing is left to lose once the text is read
            pass


def _read_pages(pdf, name: str, warnings: list[str]) -> tuple[str, list[str]]:
    if getattr(pdf.doc, "encryption", None):
        warnings.append("PDF có mã hóa quyền hạn (không cần mật khẩu để đọc) "
                        "(PDF is encrypted with an owner password only)")
    count = _page_count(pdf)
    if count is not None and count > MAX_PAGES:
        raise InputError(name, f"tệp PDF quá nhiều trang ({count} > {MAX_PAGES}) "
                               "(too many pages)")
    try:
        pages = pdf.pages
    except Exception as exc:  # noqa: BLE001 - MediaBox/page-tree damage: TypeError, PdfminerException …
        raise InputError(name, f"tệp PDF bị hỏng, cây trang không đọc được "
                               f"(corrupt PDF page tree: {type(exc).__name__})") from None
    if len(pages) > MAX_PAGES:
        raise InputError(name, f"tệp PDF quá nhiều trang ({len(pages)} > {MAX_PAGES}) "
                               "(too many pages)")
    if not pages:
        raise InputError(name, "tệp PDF không có trang nào (PDF has no pages)")

    page_texts: list[str] = []
    empty_pages: list[int] = []
    failed: list[int] = []
    too_dense: list[int] = []
    sizes: list[int] = []
    ops_total = 0
    for page in pages:  # measured before any page is parsed: a refusal costs no parsing
        try:
            size, ops = _content_size(page.page_obj, MAX_PAGE_CONTENT)
        except Exception:  # noqa: BLE001 - the page is judged when it is read
            size, ops = 0, 0
        sizes.append(size)
        ops_total += ops
        if ops_total > MAX_TEXT_OPS:
            raise InputError(name, f"tệp PDF quá nhiều lệnh vẽ chữ (> {MAX_TEXT_OPS:,}) "
                                   "(too many text operations)")
    for number, page in enumerate(pages, start=1):
        try:
            if sizes[number - 1] > MAX_PAGE_CONTENT:
                too_dense.append(number)
                continue
            text = _page_text(page)
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - one damaged page must not lose the others
            failed.append(number)
            continue
        finally:
            try:
                page.close()  # drop cached layout objects: memory stays flat
            except Exception:  # noqa: BLE001
                pass
        if text.strip():
            page_texts.append(text)
        else:
            empty_pages.append(number)
    if too_dense:
        warnings.append(f"bỏ qua trang {_pages(too_dense)}: nội dung quá lớn "
                        f"(> {MAX_PAGE_CONTENT // (1024 * 1024)} MB) (pages skipped: content stream too large)")

    if not page_texts:
        if too_dense and len(too_dense) + len(failed) + len(empty_pages) == len(pages) and not empty_pages:
            raise InputError(name, f"mọi trang PDF có nội dung quá lớn (> {MAX_PAGE_CONTENT // (1024 * 1024)} MB "
                                   "mỗi trang) (every page's content stream is too large)")
        if failed and len(failed) + len(too_dense) == len(pages):
            raise InputError(name, "tệp PDF bị hỏng, không đọc được trang nào "
                                   "(corrupt PDF: no page could be read)")
        raise InputError(name, "không có lớp văn bản, cần OCR (no text layer: needs OCR)")
    if failed:
        warnings.append(f"không đọc được trang {_pages(failed)} (unreadable pages)")
    if empty_pages:
        warnings.append(f"trang {_pages(empty_pages)} không có lớp văn bản, có thể là ảnh quét "
                        "(pages without a text layer: scanned?)")
    text = unicodedata.normalize("NFC", "\n\n".join(page_texts))
    if "(cid:" in text:
        warnings.append(f"{text.count('(cid:')} ký tự không giải mã được do phông chữ thiếu "
                        "bảng mã (glyphs without a Unicode mapping: '(cid:N)')")
    return text, warnings


def _content_size(page_obj, cap: int) -> tuple[int, int]:
    """Decoded size of a page's content streams (reading at most cap + 1 bytes of each
    compressed one, so a deflate bomb is measured, not inflated) and its text operators."""
    import zlib

    from pdfminer.pdftypes import resolve1

    size = ops = 0
    for stream in list(getattr(page_obj, "contents", None) or [])[:1000]:
        stream = resolve1(stream)
        filters = stream.get_filters() if hasattr(stream, "get_filters") else []
        names = [str(getattr(f, "name", f)) for f, _params in filters]
        raw = getattr(stream, "rawdata", None)
        if names == ["FlateDecode"] and raw is not None and not getattr(stream, "decipher", None):
            try:
                data = zlib.decompressobj().decompress(raw, cap + 1 - size)
            except zlib.error:
                data = b""
        else:
            data = stream.get_data() if hasattr(stream, "get_data") else b""
        size += len(data)
        ops += data.count(b"Tj") + data.count(b"TJ")
        if size > cap:
            break
    return size, ops


def _page_count(pdf) -> int | None:
    try:
        from pdfminer.pdftypes import resolve1

        pages = resolve1(pdf.doc.catalog.get("Pages"))
        return int(resolve1(pages.get("Count")))
    except Exception:
        return None


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (", …" if len(numbers) > 10 else "")


def _page_text(page) -> str:
    """One page: text lines outside tables and table rows, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        v_mid = (obj["top"] + obj["bottom"]) / 2
        h_mid = (obj["x0"] + obj["x1"]) / 2
        return not any(x0 <= h_mid < x1 and top <= v_mid < bottom
                       for x0, top, x1, bottom in boxes)

    free = page.filter(outside) if boxes else page
    lines = free.extract_text_lines(strip=True, return_chars=False)

    items: list[tuple[float, int, object]] = []
    for line in lines:
        if line["text"].strip():
            items.append((line["top"], 0, line))
    for table in tables:
        items.append((table.bbox[1], 1, table))
    items.sort(key=lambda item: (item[0], item[1]))

    heights = [ln["bottom"] - ln["top"] for ln in lines if ln["bottom"] > ln["top"]]
    height = statistics.median(heights) if heights else 10.0

    blocks: list[str] = []
    current: list[str] = []
    last_bottom: float | None = None
    for _top, kind, obj in items:
        if kind == 0:
            line = obj
            if current and last_bottom is not None and \
                    line["top"] - last_bottom > PARAGRAPH_GAP * height:
                blocks.append("\n".join(current))
                current = []
            current.append(line["text"])
            last_bottom = line["bottom"]
        else:
            if current:
                blocks.append("\n".join(current))
                current = []
            rows = [_row_line(row) for row in obj.extract()]
            rows = [r for r in rows if r.strip()]
            if rows:
                blocks.append("\n".join(rows))
            last_bottom = None
    if current:
        blocks.append("\n".join(current))
    return "\n\n".join(blocks)


def _row_line(row: list[str | None]) -> str:
    return "\t".join(" ".join((cell or "").split()) for cell in row)
