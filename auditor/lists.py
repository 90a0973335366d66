"""Where a list of parts begins: "trong đó", "cụ thể", "gồm", or a parenthesis opened right
after a count ("20 người (10 cán bộ, 10 công chức)"). Shared by claim extraction and the
rules that check lists.

Callers ask about many numbers of one sentence, so everything that depends only on the
sentence (its markers, its parentheses) is computed once per text and looked up by
bisection: a sentence with n numbers costs O(n log n), not O(n²).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

PART_MARKER = re.compile(r"\b(?:trong\s+đó|cụ\s+thể|bao\s+gồm|gồm)\b", re.IGNORECASE)
# The longest marker a search cut at `rel` can find that the whole text does not
# ("gồm" right before a letter); wider only through runs of spaces.
_TAIL = 24


def last_part_marker(text: str, rel: int):
    """The part marker ("trong đó", "cụ thể", "gồm", or a parenthesis opened right after a
    count: "20 người (10 cán bộ, 10 công chức)") whose list the number at `rel` is in: the
    last one before it, unless a parenthesis opened before it has closed since."""
    idx = _index(text)
    last = idx.last_marker(rel)
    paren = idx.open_paren(rel)
    if paren is not None and idx.count_before_paren(paren) and (last is None or paren > last.start()):
        return _Mark(paren, paren + 1)
    if last is None:
        return None
    opened = idx.opens_before(last.start()) - idx.closes_before(last.start())
    if opened > 0 and idx.closes_between(last.end(), rel) > idx.opens_between(last.end(), rel):
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
    return _index(text).open_paren(rel)


class _Index:
    """Markers and parentheses of one text, for O(log n) questions about any offset."""

    def __init__(self, text: str):
        self.text = text
        self.markers = list(PART_MARKER.finditer(text))
        self.marker_ends = [m.end() for m in self.markers]
        self.opens: list[int] = []
        self.closes: list[int] = []
        # After each parenthesis, the innermost one still open (-1: none), as the
        # backward scan "skip a balanced (…), stop at an unmatched (" would find it.
        self.event_pos: list[int] = []
        self.event_top: list[int] = []
        stack: list[int] = []
        for m in re.finditer(r"[()]", text):
            i = m.start()
            if text[i] == "(":
                self.opens.append(i)
                stack.append(i)
            else:
                self.closes.append(i)
                if stack:
                    stack.pop()
            self.event_pos.append(i)
            self.event_top.append(stack[-1] if stack else -1)
        self._count_cache: dict[int, bool] = {}

    def last_marker(self, rel: int):
        """The last match of PART_MARKER.finditer(text, 0, rel)."""
        # Matches of the whole text that end before `rel` are matches of the cut text too;
        # only one ending exactly at `rel` can differ (the cut hides what follows it).
        k = bisect.bisect_left(self.marker_ends, rel)  # matches ending before rel
        best = self.markers[k - 1] if k else None
        lo = max(rel - _TAIL, best.end() if best else 0)
        if k < len(self.markers) and self.markers[k].start() < lo:
            lo = self.markers[k].start()  # a whole-text match straddling the window start
        for m in PART_MARKER.finditer(self.text, lo, rel):
            if best is None or m.end() > best.end():
                best = m
        return best

    def open_paren(self, rel: int) -> int | None:
        k = bisect.bisect_left(self.event_pos, rel)  # events before rel
        if not k:
            return None
        top = self.event_top[k - 1]
        return None if top < 0 else top

    def opens_before(self, x: int) -> int:
        return bisect.bisect_left(self.opens, x)

    def closes_before(self, x: int) -> int:
        return bisect.bisect_left(self.closes, x)

    def opens_between(self, a: int, b: int) -> int:
        return max(0, self.opens_before(b) - self.opens_before(a))

    def closes_between(self, a: int, b: int) -> int:
        return max(0, self.closes_before(b) - self.closes_before(a))

    def count_before_paren(self, paren: int) -> bool:
        """Whether text[:paren] ends with a count and its noun: "20 người (" or "20 cán bộ ("."""
        hit = self._count_cache.get(paren)
        if hit is None:
            hit = self._count_cache[paren] = _ends_with_count(self.text, paren)
        return hit


def _is_letter(ch: str) -> bool:  # the regex class [^\W\d]
    return (ch.isalnum() or ch == "_") and not ch.isdecimal()


def _ends_with_count(text: str, end: int) -> bool:
    r"""re.search(r"\d[\d.,]*\s+[^\W\d]+(?:\s+[^\W\d]+)?\s*$", text[:end]), read backwards
    from `end` so that the cost is the length of the match, not of the text."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    for _words in range(2):
        j = i
        while j > 0 and _is_letter(text[j - 1]):
            j -= 1
        if j == i:
            return False
        k = j
        while k > 0 and text[k - 1].isspace():
            k -= 1
        if k == j:
            return False
        # before the spaces: a run of [\d.,] holding a digit → a count
        m = k
        while m > 0 and (text[m - 1] in ".," or text[m - 1].isdecimal()):
            if text[m - 1].isdecimal():
                return True
            m -= 1
        i = k  # otherwise the word may be the second of two: look for the first
    return False


_CACHE: list = [None]


def _index(text: str) -> _Index:
    idx = _CACHE[0]
    if idx is None or idx.text is not text:
        idx = _CACHE[0] = _Index(text)
    return idx
