"""Matching text against the concept lexicon (rules/concepts.yaml).

A concept matches a text window when each of its `all` groups has a phrase in the
window and none of its `none` phrases occurs. The best concept has the most groups;
ties go to the concept whose phrases sit nearest the number the window is about.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from auditor.lexicon import load_pack, squash


@dataclass(frozen=True)
class Concept:
    id: str
    name: str
    unit: str | None
    groups: tuple[tuple[str, ...], ...]
    none: tuple[str, ...]
    base: tuple[str, ...]
    stands_for_parent: bool = False

    @property
    def parent(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if self.id.count(".") >= 2 else None

    def related(self, other: str) -> bool:
        """Same family: one is an ancestor of the other, or they share a parent."""
        a, b = self.id, other
        return a.startswith(b + ".") or b.startswith(a + ".") or (
            a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0] and a.count(".") >= 2 and b.count(".") >= 2)


def _norm(text: str) -> str:
    from auditor.lexicon import spelling

    return spelling(" ".join(unicodedata.normalize("NFC", text).lower().split()))


def plain(text: str) -> str:
    """Lower case without tone marks or diacritics (đ → d): "Đung hạn" and "đúng hạn" agree."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@dataclass(frozen=True)
class Lexicon:
    concepts: dict[str, Concept]
    ignore: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...] = ()
    header_ratio: float = 88.0  # rules/concepts.yaml `fuzzy.header_ratio`

    def column_concept(self, path: tuple[str, ...] | list[str]) -> Concept | None:
        """The concept a table column's header path names, read through header slips."""
        return self.match(" ".join(self.repaired_path(tuple(path))), None, squashed=True)

    def repaired_path(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """Each header cell that names no lexicon phrase but is one slip away from one (a
        letter, a tone mark, missing diacritics: "Đung hạn", "Qua han", "Trưc tuyến") is read
        as that phrase. Whole cells are compared, never fragments, so a cut-off at
        `header_ratio` (rapidfuzz ratio on the plain text) cannot pull a phrase out of a
        longer header."""
        return tuple(self.header_repair(cell)[0] for cell in path)

    def header_repair(self, cell: str) -> tuple[str, float | None]:
        """(the cell as read, the fuzzy score when it was repaired, else None)."""
        if cell not in self._repairs:
            if len(self._repairs) > 20000:
                self._repairs.clear()
            self._repairs[cell] = self._repair(cell)
        return self._repairs[cell]

    @cached_property
    def _repairs(self) -> dict:
        return {}

    def _repair(self, cell: str) -> tuple[str, float | None]:
        from rapidfuzz import fuzz, process

        text = self._canon(cell)
        core = re.sub(r"\([^)]*\)|[%*:]", " ", text).strip()
        if len(core) < 5:
            return cell, None
        keys = list(self._plain_phrases)
        if not any(p in text for p in self.phrases if len(p) >= 4):
            best = process.extractOne(plain(core), keys, scorer=fuzz.ratio, score_cutoff=self.header_ratio)
            if best is not None:
                return self._plain_phrases[best[0]], round(best[1], 1)
        repaired, score = self._repair_words(text)
        return (repaired, score) if score is not None else (cell, None)

    def _repair_words(self, text: str) -> tuple[str, float | None]:
        """Runs of 2–4 words one slip away from a phrase ("giả quyết", "ty le dung han")."""
        from rapidfuzz.distance import Levenshtein

        words = text.split()
        out, i, worst = [], 0, None
        while i < len(words):
            for n in (4, 3, 2):
                run = " ".join(words[i:i + n])
                if len(words[i:i + n]) < n or run in self.phrases:
                    continue
                if all(w in self._vocabulary or not w.isalpha() for w in words[i:i + n]):
                    continue  # every word is spelt as the lexicon spells it: nothing to repair
                flat = plain(run)
                hit = self._plain_phrases.get(flat)
                if hit is None and len(flat) >= 7:
                    hit = next((p for k, p in self._by_words.get(n, ()) if Levenshtein.distance(k, flat) <= 1), None)
                if hit is not None:
                    out.append(hit)
                    score = 100.0 * (1 - Levenshtein.distance(plain(hit), flat) / max(len(flat), 1))
                    worst = score if worst is None else min(worst, score)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return (" ".join(out), round(worst, 1)) if worst is not None else (text, None)  # noqa: E501

    @cached_property
    def _vocabulary(self) -> frozenset[str]:
        return frozenset(w for p in self._plain_phrases.values() for w in p.split())

    @cached_property
    def _by_words(self) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        for k, p in self._plain_phrases.items():
            out.setdefault(len(k.split()), []).append((k, p))
        return out

    @cached_property
    def _plain_phrases(self) -> dict[str, str]:
        """plain form → phrase, for phrases long enough to be told apart by one slip."""
        out: dict[str, str] = {}
        for p in sorted(set(self.phrases) | {old for old, _ in self.synonyms}, key=len):
            if len(p) >= 5:
                out.setdefault(plain(p), p)
        return out

    def match(self, window: str, anchor: int | None = None, *, unit: str | None = None,
              squashed: bool = False, local: tuple[int, int] | None = None,
              anchor_end: int | None = None, family: str | None = None) -> Concept | None:
        """`family`: only concepts below this one (the parts of a stated total)."""
        key = (window, anchor, unit, squashed, local, anchor_end, family)
        cache = _MATCH_CACHE.setdefault(id(self), {})
        if key not in cache:
            if len(cache) > 20000:
                cache.clear()
            cache[key] = self._match(window, anchor, unit=unit, squashed=squashed, local=local,
                                     anchor_end=anchor_end, family=family)
        return cache[key]

    def _match(self, window: str, anchor: int | None = None, *, unit: str | None = None,
               squashed: bool = False, local: tuple[int, int] | None = None,
               anchor_end: int | None = None, family: str | None = None) -> Concept | None:
        """The concept `window` names, or None.

        `anchor`/`anchor_end` delimit the number inside the window: phrases before it
        count by their distance to its start, phrases after it by twice their distance
        to its end (Vietnamese names the measure before the number more often than
        after). `local` is the part of the window that belongs to the number itself;
        `none` phrases are looked for only there, so a neighbouring clause's words
        cannot veto a concept the number's own words name.
        """
        canon = self._canon
        text = canon(window)
        if anchor is not None:
            # Offsets are measured in the canonical text, prefix by prefix.
            anchor = len(canon(window[:anchor]))
            anchor_end = len(canon(window[:anchor_end])) if anchor_end is not None else anchor
        a = b = None
        if local is not None:
            a, b = len(canon(window[: local[0]])), len(canon(window[: local[1]]))
        for phrase in self.ignore:
            text = text.replace(phrase, " " * len(phrase))
        veto_text = text if a is None else text[a:b]
        # Every lexicon phrase is looked up once per window; concepts then only consult the
        # phrases found (a substring test first, the word-boundary regex only for those).
        found = {p: h for p in self.phrases if (p in text or squashed) for h in [_find(text, p, squashed)] if h}
        vetoes = found if a is None else {
            p: h for p in self.vetoes if (p in veto_text or squashed) for h in [_find(veto_text, p, squashed)] if h}
        best, best_key = None, None
        for c in self.concepts.values():
            if family is not None and not c.id.startswith(family + "."):
                continue
            if unit is not None and c.unit is not None and not _unit_ok(c.unit, unit):
                continue
            if any(p in vetoes for p in c.none):
                continue
            dist = 0
            length = 0  # ties go to the more specific wording: "đang giải quyết" over "giải quyết"
            ok = True
            for group in c.groups:
                hits = [h for p in group for h in found.get(p, ())]
                if not hits:
                    ok = False
                    break
                length += max(len(p) for p in group if p in found)
                if anchor is not None and not squashed:
                    dist += min(anchor - h if h < anchor else 2 * max(0, h - anchor_end) for h in hits)
            if not ok:
                continue
            key = (len(c.groups), -dist, length)
            if best_key is None or key > best_key:
                best, best_key = c, key
        return best

    @cached_property
    def phrases(self) -> tuple[str, ...]:
        return tuple({p for c in self.concepts.values() for g in c.groups for p in g} | set(self.vetoes))

    @cached_property
    def vetoes(self) -> tuple[str, ...]:
        return tuple({p for c in self.concepts.values() for p in c.none})

    def _canon(self, text: str) -> str:
        """Normalised text with the lexicon's synonyms rewritten to its own wording."""
        text = _norm(text)
        for old, new in self.synonyms:
            if old in text:
                text = text.replace(old, new)
        return text

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)


_MATCH_CACHE: dict[int, dict] = {}


@lru_cache(maxsize=4096)
def _unit_ok(concept_unit: str, unit: str) -> bool:
    from auditor.lexicon import units

    if unit == "%" or concept_unit == "%":
        return unit == concept_unit
    a = units().lookup(concept_unit)
    b = units().lookup(unit)
    if a is None or b is None:
        return squash(concept_unit) == squash(unit)
    return a.family == b.family or a.canonical == b.canonical


@lru_cache(maxsize=4096)
def _phrase_re(phrase: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"(?!\w)")


def _find(text: str, phrase: str, squashed: bool) -> list[int]:
    if phrase not in text and not squashed:
        return []  # cheap pre-filter: the regex only confirms word boundaries
    hits = [m.start() for m in _phrase_re(phrase).finditer(text)]
    if not hits and squashed:
        sq = squash(phrase)
        st = text.replace(" ", "")
        i = st.find(sq)
        if i >= 0:
            hits = [i]
    return hits


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    pack = load_pack("concepts")
    concepts = {}
    for cid, spec in (pack.get("concepts") or {}).items():
        concepts[cid] = Concept(
            cid,
            spec.get("name", cid),
            spec.get("unit"),
            tuple(tuple(_norm(p) for p in g) for g in spec.get("all", [])),
            tuple(_norm(p) for p in spec.get("none", [])),
            tuple(spec.get("base", [])),
            bool(spec.get("stands_for_parent", False)),
        )
    synonyms = tuple(sorted(((_norm(k), _norm(v)) for k, v in (pack.get("synonyms") or {}).items()),
                            key=lambda kv: -len(kv[0])))
    fuzzy = pack.get("fuzzy") or {}
    return Lexicon(concepts, tuple(_norm(p) for p in pack.get("ignore", [])), synonyms,
                   float(fuzzy.get("header_ratio", 88)))
