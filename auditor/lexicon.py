"""Matching text against the rule packs' vocabularies (the packs are read by auditor.packs)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


_NON_WORD = re.compile(r"[^\w%²]+")


_SPELLING = re.compile(r"(?<!\w)tỉ(?=\s+lệ\b)")  # "tỉ lệ" and "tỷ lệ" are one word spelled two ways


def spelling(text: str) -> str:
    """Unify spelling variants that vocabularies should not have to list twice."""
    return _SPELLING.sub("tỷ", text)


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """NFC, lower case, single spaces: the form vocabularies are compared in."""
    text = spelling(unicodedata.normalize("NFC", text).lower())
    return " ".join(_NON_WORD.sub(" ", text).split())


def squash(text: str) -> str:
    """`fold` without spaces: survives PDF-split syllables ("Trư ớc hạn" → "trướchạn")."""
    return fold(text).replace(" ", "")


from auditor.packs import load_pack  # noqa: E402 - the packs' one reader, re-exported for the stages


@dataclass(frozen=True)
class UnitInfo:
    canonical: str
    integer: bool
    family: str
    money_scale: int | None = None


@dataclass(frozen=True)
class UnitVocabulary:
    """Unit nouns as a longest-first alternation, matched right after a number."""

    pattern: re.Pattern
    by_alias: dict[str, UnitInfo]
    period_pattern: re.Pattern

    def match(self, text: str) -> tuple[UnitInfo, int] | None:
        """The unit that `text` starts with (after spaces), and the length it takes."""
        m = self.pattern.match(text)
        if not m:
            return None
        return self.by_alias[fold(m.group(1))], m.end()

    def lookup(self, name: str) -> UnitInfo | None:
        return self.by_alias.get(fold(name))


@lru_cache(maxsize=None)
def units() -> UnitVocabulary:
    pack = load_pack("units")
    by_alias: dict[str, UnitInfo] = {}
    for canon, spec in (pack.get("units") or {}).items():
        info = UnitInfo(canon, bool(spec.get("integer", True)), spec.get("family", canon))
        for alias in [canon, *spec.get("aliases", [])]:
            by_alias.setdefault(fold(alias), info)
    for canon, spec in (pack.get("money") or {}).items():
        info = UnitInfo(canon, False, "money", int(spec.get("scale", 1)))
        for alias in [canon, *spec.get("aliases", [])]:
            by_alias.setdefault(fold(alias), info)
    aliases = sorted(
        {a for canon, spec in {**pack.get("units", {}), **pack.get("money", {})}.items()
         for a in [canon, *spec.get("aliases", [])]},
        key=len, reverse=True,
    )
    alternation = "|".join(_alias_regex(a) for a in aliases)
    # A unit may sit on the next line when PDF text wraps ("1.290 \n\nhồ sơ").
    pattern = re.compile(rf"{_GAP}({alternation})(?![\w²])", re.IGNORECASE)
    periods = sorted(pack.get("periods", []), key=len, reverse=True)
    period_pattern = re.compile(
        rf"{_GAP}(?:{'|'.join(_alias_regex(p) for p in periods)})(?!\w)", re.IGNORECASE
    )
    return UnitVocabulary(pattern, by_alias, period_pattern)


_GAP = r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*){0,2}"


def _alias_regex(alias: str) -> str:
    return r"\s+".join(re.escape(part) for part in alias.split())
