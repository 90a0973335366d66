"""Decoding .txt and .md bytes: UTF-8 (with or without BOM), UTF-16 by its BOM or shape."""
from __future__ import annotations


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Return the text offsets refer to, and warnings about what had to be repaired.

    Newlines are kept exactly as they are; a UTF-8 BOM is dropped (it is not text).
    Invalid bytes become U+FFFD and are reported, never fatal.
    """
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), ["mã hóa UTF-16"]
    elif len(data) >= 4 and _looks_utf16(data):
        enc = "utf-16-le" if data[1] == 0 else "utf-16-be"
        return data.decode(enc, errors="replace"), [f"mã hóa {enc.upper()} (không có BOM)"]
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(f"{bad} byte không hợp lệ UTF-8 đã được thay bằng '\ufffd'")
        return text, warnings


def _looks_utf16(data: bytes) -> bool:
    sample = data[:200]
    zeros_even = sum(1 for b in sample[0::2] if b == 0)
    zeros_odd = sum(1 for b in sample[1::2] if b == 0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > 0.4 * half
