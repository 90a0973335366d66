"""Small text helpers shared by the stages: lines with offsets, line/column lookup."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    text: str  # without the newline
    start: int
    end: int
    number: int  # 1-based


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n"), start=1):
        body = raw[:-1] if raw.endswith("\r") else raw
        out.append(Line(body, pos, pos + len(body), i))
        pos += len(raw) + 1
    return out


class LineIndex:
    """Maps a code-point offset to a 1-based (line, column)."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def locate(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1


def nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC-normalise `text`, keeping for every position of the result the offset it came from.

    Decomposed input (NFD, common from some editors) would defeat every Vietnamese pattern;
    the auditor reads the NFC form and maps offsets back, so evidence still points into the
    text that was read. The returned list has one extra entry: len(text).
    """
    import unicodedata

    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    back: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        back.extend([i] * len(piece))
        i = j
    back.append(n)
    return "".join(out), back
