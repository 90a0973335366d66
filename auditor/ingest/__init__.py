"""Read a report file into a Document whose `text` is what every offset refers to.

.txt/.md are decoded as they are (newlines kept); .docx, .pdf, saved web pages (.html) and
Excel appendices (.xlsx) are flattened to text in reading order with each table row on one
line, cells separated by tabs, so that the same table parser serves every format and `auditor text FILE` shows exactly the text
that offsets point into.

Reading is bounded: only a regular file is opened (a FIFO, a device such as /dev/zero, or
a socket is refused before anything reads it), at most `max_bytes` are read, the text
may hold at most `max_chars` characters, and the docx/pdf readers cap their paragraphs,
cells and pages. Whatever goes wrong while reading ends as an InputError naming the file
and the reason in Vietnamese and English, never as another exception.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from auditor.errors import InputError
from auditor.model import Document

MAX_INPUT_BYTES = 25 * 1024 * 1024  # default `max-bytes`: a report is tens of KB, with images a few MB
MAX_TEXT_CHARS = 2_000_000  # default `max-chars`: about a thousand pages of text
SUPPORTED = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf",
             ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"


def file_kind(mode: int) -> str | None:
    """None for a regular file, else a short name of what it is."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def os_reason(exc: OSError) -> str:
    """A one-line Vietnamese + English reason for an OS error (no Python repr)."""
    code = exc.errno
    if code in (errno.ENOENT, errno.ENOTDIR):
        return "không tìm thấy tệp (file not found)"
    if code in (errno.EACCES, errno.EPERM):
        return "không có quyền đọc (permission denied)"
    if code == errno.ELOOP:
        return "liên kết tượng trưng lặp vòng (symlink loop)"
    if code == errno.ENAMETOOLONG:
        return "tên tệp quá dài (file name too long)"
    if code == errno.EISDIR:
        return "là thư mục, không phải tệp (is a directory)"
    return f"không đọc được tệp ({exc.strerror or 'OS error'}) (cannot read file)"


def read_document(path: str | os.PathLike, *, max_bytes: int | None = None,
                  max_chars: int | None = None) -> Document:
    """Read one report; raise InputError with a one-line reason when it cannot be read."""
    from auditor.errors import display_path

    max_bytes = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    max_chars = MAX_TEXT_CHARS if max_chars is None else max_chars
    name = display_path(path)
    p = Path(path)
    try:
        st = os.stat(p)  # follows a symlink: what counts is what it points to
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(p):
            raise InputError(name, "liên kết tượng trưng trỏ tới tệp không tồn tại (broken symlink)") from None
        raise InputError(name, os_reason(exc)) from None
    except ValueError:  # an embedded NUL in the path
        raise InputError(name, "tên tệp không hợp lệ (invalid file name)") from None
    kind = file_kind(st.st_mode)
    if kind == "directory":
        raise InputError(name, "là thư mục, không phải tệp (is a directory)")
    if kind is not None:
        raise InputError(name, f"không phải tệp thường ({kind}), không đọc (not a regular file: {kind})")
    fmt = SUPPORTED.get(p.suffix.lower())
    if fmt is None:
        raise InputError(name, f"định dạng không hỗ trợ '{display_path(p.suffix) or '(không có đuôi)'}' "
                               "(supported: .txt .md .docx .pdf .html .xlsx)")
    if st.st_size > max_bytes:
        raise InputError(name, _too_big(st.st_size, max_bytes))
    data = _read_bounded(p, name, max_bytes)
    if not data.strip():
        raise InputError(name, "tệp rỗng (empty file)")
    try:
        text, warnings, *facts = _extract(fmt, data, name)
    except InputError:
        raise
    except MemoryError:
        raise InputError(name, "không đủ bộ nhớ để đọc tệp (out of memory while reading)") from None
    except RecursionError:
        raise InputError(name, "cấu trúc lồng nhau quá sâu (nesting too deep)") from None
    except Exception as exc:  # noqa: BLE001 - a reader's own bug must still name the file
        raise InputError(name, f"tệp bị hỏng hoặc không đọc được (unreadable {fmt}: {type(exc).__name__})") from None
    if not text.strip():
        raise InputError(name, "không có nội dung văn bản (no text content)")
    if len(text) > max_chars:
        raise InputError(name, f"văn bản quá dài ({len(text):,} ký tự > {max_chars:,}; tăng max-chars "
                               f"trong [tool.auditor] nếu cần) (text too long: set max-chars)")
    return Document(path=name, format=fmt, text=text, warnings=tuple(warnings),
                    formula_checks=facts[0] if facts else ())


def _too_big(size: int, cap: int) -> str:
    return (f"tệp quá lớn ({_mb(size)} > {_mb(cap)}; tăng max-bytes trong [tool.auditor] nếu cần) "
            f"(file too large: {size} bytes > max-bytes {cap})")


def _read_bounded(p: Path, name: str, max_bytes: int) -> bytes:
    """Read at most max_bytes (+1 to notice more) from a file that is still a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise InputError(name, os_reason(exc)) from None
    try:
        kind = file_kind(os.fstat(fd).st_mode)  # it may have been swapped since the stat
        if kind is not None:
            raise InputError(name, f"không phải tệp thường ({kind}), không đọc (not a regular file: {kind})")
        chunks, got = [], 0
        while got <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise InputError(name, os_reason(exc)) from None
    finally:
        os.close(fd)
    if got > max_bytes:  # it grew since the stat
        raise InputError(name, f"tệp quá lớn (> {_mb(max_bytes)}; tăng max-bytes trong [tool.auditor] nếu cần) "
                               f"(file too large: more than max-bytes {max_bytes})")
    return b"".join(chunks)


def _extract(fmt: str, data: bytes, name: str) -> tuple:
    """(text, warnings) or, for .xlsx, (text, warnings, formula checks)."""
    if fmt in ("txt", "md"):
        from auditor.ingest.plaintext import decode_text

        return decode_text(data)
    if fmt == "docx":
        from auditor.ingest.docx import docx_text

        return docx_text(data, name)
    if fmt == "html":
        from auditor.ingest.html import html_text

        return html_text(data, name)
    if fmt == "xlsx":
        from auditor.ingest.xlsx import xlsx_text

        return xlsx_text(data, name)
    from auditor.ingest.pdf import pdf_text

    return pdf_text(data, name)
