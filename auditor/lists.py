"""Where a list of parts begins: "trong đó", "cụ thể", "gồm", or a parenthesis opened right
after a count ("20 người (10 cán bộ, 10 công chức)"). Shared by claim extraction and the
rules that check lists."""
from __future__ import annotations

import re
from dataclasses import dataclass

PART_MARKER = re.compile(r"\b(?:trong\s+đó|cụ\s+thể|bao\s+gồm|gồm)\b", re.IGNORECASE)


def last_part_marker(text: str, rel: int):
    """The part marker ("trong đó", "cụ thể", "gồm", or a parenthesis opened right after a
    count: "20 người (10 cán bộ, 10 công chức)") whose list the number at `rel` is in: the
    last one before it, unless a parenthesis opened before it has closed since."""
    last = None
    for m in PART_MARKER.finditer(text, 0, rel):
        last = m
    paren = _open_paren(text, rel)
    if paren is not None and re.search(r"\d[\d.,]*\s+[^\W\d]+(?:\s+[^\W\d]+)?\s*$", text[:paren]) and (
            last is None or paren > last.start()):
        return _Mark(paren, paren + 1)
    if last is None:
        return None
    between = text[last.end():rel]
    opened = text[:last.start()].count("(") - text[:last.start()].count(")")
    if opened > 0 and between.count(")") > between.count("("):
        return None
    return last


@dataclass(frozen=True)
class _Mark:
    """A marker position, shaped like a regex match for the callers."""

    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


def _open_paren(text: str, rel: int) -> int | None:
    """Offset of the parenthesis still open at `rel`, if any."""
    depth, pos = 0, None
    for i in range(rel - 1, -1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i
            depth -= 1
    return pos


