"""What a narrative number counts, read from the sentence's structure (underthesea POS).

The unit vocabulary (rules/units.yaml) names the nouns a report counts in: hồ sơ, TTHC,
người … When the word right after a count is none of them, the count may still be of
something, and then it is not a figure of any concept that has a unit: "cấp phát 1.500
tờ rơi hướng dẫn nộp hồ sơ trực tuyến" counts leaflets, not files received online; "Hiện
có 02 xe ô tô" counts cars, not staff. Whether that word is a noun is a question for a
POS tagger, not for a word list: the words after the number are tagged with the number
masked (underthesea mistags "2.328"), and a noun (N, Nc, Nu, Np) in first place is the
counted noun.
"""
from __future__ import annotations

import re
from functools import lru_cache

_CUT = re.compile(r"[,;:()\[\]\n\"“”]|\.(?:\s|$)|\s(?:và|hoặc)\s")
_NOUN_TAGS = ("N", "Nc", "Nu", "Np", "Ny", "Nb")
MASK = "5"  # a plain numeral in place of the number itself


def counted_noun(text: str, end: int) -> str | None:
    """The noun a count at text[..end] counts, when it is not a known unit; else None."""
    after = text[end:end + 48]
    if not after[:1].isspace():
        return None
    m = _CUT.search(after)
    words = (after[:m.start()] if m else after).split()[:5]
    if not words or not words[0][:1].isalpha():
        return None
    return _first_noun(" ".join(words))


@lru_cache(maxsize=4096)
def _first_noun(words: str) -> str | None:
    from underthesea import pos_tag

    tagged = pos_tag(f"{MASK} {words}")
    if len(tagged) < 2 or tagged[0][0] != MASK:
        return None  # the numeral merged with a word: no reliable reading
    token, tag = tagged[1]
    return token if tag in _NOUN_TAGS else None


_NOT_MODIFIER = ("E", "C", "CC", "CH", "P")  # prepositions, conjunctions, punctuation, pronouns


def modifies(words: str) -> bool:
    """Do the words after a counted noun qualify it ("chỉ cung cấp thông tin", "trực tiếp"),
    rather than open an adjunct ("do nghỉ hưu", "tại bộ phận một cửa")?"""
    words = " ".join(words.split()[:4])
    if not words or not words[:1].isalpha():
        return False
    return _first_tag(words) not in _NOT_MODIFIER


@lru_cache(maxsize=4096)
def _first_tag(words: str) -> str:
    from underthesea import pos_tag

    tagged = pos_tag(f"{MASK} hồ sơ {words}")
    return tagged[2][1] if len(tagged) > 2 and tagged[1][0] == "hồ sơ" else ""


def restricted_before(text: str, start: int) -> bool:
    """The same narrowing phrase placed between the verb and the count: "đã tiếp nhận vào ngày
    thứ Bảy 118 hồ sơ". A preposition of the narrowing set after the clause's last verb."""
    before = text[max(0, start - 60):start]
    m = None
    for m in _CUT.finditer(before):
        pass
    words = (before[m.end():] if m else before).split()[-7:]
    if len(words) < 2:
        return False
    return _narrowed_after_verb(" ".join(words))


@lru_cache(maxsize=4096)
def _narrowed_after_verb(words: str) -> bool:
    from underthesea import pos_tag

    tagged = pos_tag(words)
    last_verb = max((k for k, (_, tag) in enumerate(tagged) if tag == "V"), default=None)
    if last_verb is None:
        return False
    return any(tag == "E" and token.lower() in _narrowing() for token, tag in tagged[last_verb + 1:])


def restricted(text: str, end: int) -> bool:
    """Is the count at text[..end] narrowed by a prepositional phrase right after its noun?
    "tiếp nhận 46 hồ sơ vào ngày thứ Bảy", "146 hồ sơ của tổ chức, cá nhân ngoài địa bàn",
    "hỗ trợ nộp 231 hồ sơ trực tuyến tại khu vực hỗ trợ": a subset, not the unit's figure.
    Which prepositions narrow a population is pack data (rules/scopes.yaml)."""
    after = text[end:end + 64]
    if not after[:1].isspace():
        return False
    m = _CUT.search(after)
    words = (after[:m.start()] if m else after).split()[:7]
    if len(words) < 2:
        return False
    return _restricting_preposition(" ".join(words))


@lru_cache(maxsize=4096)
def _restricting_preposition(words: str) -> bool:
    from underthesea import pos_tag

    tagged = pos_tag(f"{MASK} {words}")
    # The phrase must attach to the counted noun itself: right after it, or after one word
    # that qualifies it ("hồ sơ trực tuyến tại …"); "TTHC thuộc thẩm quyền của xã" narrows
    # the authority, not the procedures.
    for k, (token, tag) in enumerate(tagged[1:4], start=1):
        if tag == "E":
            return token.lower() in _narrowing()
        if k >= 2 and tag.startswith("N"):
            return False
    return False


@lru_cache(maxsize=1)
def _narrowing() -> frozenset[str]:
    from auditor.lexicon import load_pack

    return frozenset(w.lower() for w in load_pack("scopes").get("narrowing_prepositions", []))
