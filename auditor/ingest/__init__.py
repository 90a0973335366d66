"""Read a report file into a Document whose `text` is what every offset refers to.

.txt/.md are decoded as they are (newlines kept); .docx and .pdf are flattened to text
in reading order with each table row on one line, cells separated by tabs, so that the
same table parser serves every format and `auditor text FILE` shows exactly the text
that offsets point into.
"""
from __future__ import annotations

import os
from pathlib import Path

from auditor.errors import InputError
from auditor.model import Document

MAX_INPUT_BYTES = 50 * 1024 * 1024  # a report is tens of KB; a 50 MB file is not a report
SUPPORTED = {".txt": "txt", ".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf"}


def read_document(path: str | os.PathLike) -> Document:
    """Read one report; raise InputError with a one-line reason when it cannot be read."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "không tìm thấy tệp (file not found)")
    if p.is_dir():
        raise InputError(name, "là thư mục, không phải tệp (is a directory)")
    fmt = SUPPORTED.get(p.suffix.lower())
    if fmt is None:
        raise InputError(name, f"định dạng không hỗ trợ '{p.suffix or '(không có đuôi)'}' "
                               "(supported: .txt .md .docx .pdf)")
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(name, f"tệp quá lớn ({size // (1024 * 1024)} MB > "
                                   f"{MAX_INPUT_BYTES // (1024 * 1024)} MB)")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"không đọc được tệp ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(name, "tệp rỗng (empty file)")
    if fmt in ("txt", "md"):
        from auditor.ingest.plaintext import decode_text

        text, warnings = decode_text(data)
    elif fmt == "docx":
        from auditor.ingest.docx import docx_text

        text, warnings = docx_text(data, name)
    else:
        from auditor.ingest.pdf import pdf_text

        text, warnings = pdf_text(data, name)
    if not text.strip():
        raise InputError(name, "không có nội dung văn bản (no text content)")
    return Document(path=name, format=fmt, text=text, warnings=tuple(warnings))
