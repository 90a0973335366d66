"""How sure are we that two observations measure the same thing? A learned pairing score.

The lexicon gives a narrative number and a table cell the same concept id; that is a
candidate pair, not a pairing. Whether the two really measure the same thing is judged from
what surrounds them, never from how close their values are:

- how alike their words are: rapidfuzz ratios, and a char-n-gram TF-IDF cosine
  (scikit-learn, fitted on the document's own observation words, so its idf says which
  words are common in this report);
- whether their units / counted nouns agree, whether the narrative number inherited its
  concept from elsewhere in its sentence, whether the cell is a group sum or a total row;
- how far apart they are, and how many values the concept has on each side.

A logistic regression over these features (trained by scripts/train_pairing.py on the
conflicting pairs labelled from the corpora's gold, shipped as auditor/models/pairing.json)
turns them into a probability. It becomes the finding's `confidence`; below the threshold
(95% precision where reachable, else the best F0.5, leave one corpus out; the artifact says
which) a conflict is not an error but an info item to check.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("models") / "pairing.json"

FEATURES = (
    "token_set",  # rapidfuzz token_set_ratio of the two word windows, 0–1
    "partial",  # rapidfuzz partial_ratio, 0–1
    "tfidf",  # char 2–4-gram TF-IDF cosine, 0–1
    "unit_agree",  # 1 same unit / counted noun, -1 different, 0 unknown
    "inherited",  # the narrative number took its concept from words outside its own window
    "other_inherited",  # the same, for a narrative partner
    "derived",  # the cell is a header group's sum (online + direct), not a printed cell
    "total_row",  # the cell sits in a total row
    "narrative_pair",  # both sides are narrative (AUD103), not narrative vs table
    "same_sentence",  # both in one sentence: usually two measures side by side
    "distance",  # character distance / text length
    "values_here",  # distinct values of the concept on the narrative side (capped at 4) / 4
    "values_there",  # distinct values on the other side (capped at 4) / 4
    "short_window",  # the narrative number's own window has 3 words or fewer
    "field_pair",  # paired through a field named in the clause (a results-table row)
    "extra_here",  # content words of the narrative number's own window that the partner and
    #                the concept's phrases do not have ("qua bưu chính", "Trung tâm"), capped at 4, / 4
    "extra_there",  # the same for the partner's words against the narrative number's
    "concept_fit",  # how closely the number's own window says one of its concept's phrases, 0–1
    "window_words",  # words in the number's own window, capped at 12, / 12
)


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # probability at or above which a conflict is reported as an error

    def probability(self, x: dict[str, float]) -> float:
        z = self.bias
        for name, w, m, s in zip(FEATURES, self.weights, self.mean, self.scale):
            z += w * (x[name] - m) / (s or 1.0)
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model; None when the artifact is missing or was trained on other features
    (then no finding is downgraded: the auditor behaves as without the scorer)."""
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Model(tuple(data["weights"]), data["bias"], tuple(data["mean"]), tuple(data["scale"]),
                 data["threshold"])


def _fold(s: str) -> str:
    from auditor.lexicon import fold

    return " ".join(fold(s).replace("…", " ").split())


class _Vectors:
    """TF-IDF vectors of one document's observation words, fitted once per document."""

    def __init__(self, texts: list[str]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.index = {t: k for k, t in enumerate(dict.fromkeys(texts))}
        corpus = list(self.index) or [""]
        try:
            self.matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(corpus)
        except ValueError:  # nothing but empty strings
            self.matrix = None

    def cosine(self, a: str, b: str) -> float:
        if self.matrix is None or a not in self.index or b not in self.index:
            return 0.0
        va, vb = self.matrix[self.index[a]], self.matrix[self.index[b]]
        return float(va.multiply(vb).sum())  # rows are L2-normalised


def _vectors(ctx) -> _Vectors:
    if "pairing_vectors" not in ctx.derived:
        ctx.derived["pairing_vectors"] = _Vectors([_fold(o.words) for o in ctx.observations])
    return ctx.derived["pairing_vectors"]


def unit_of(ctx, o) -> str | None:
    """What an observation counts: a cell's row unit; a narrative number's unit or the noun
    right after it (auditor.frames.counted_noun)."""
    from auditor.claims import _unit_name
    from auditor.frames import counted_noun

    q = o.quantity
    if o.source == "table":
        if o.table is not None and o.row is not None:
            row = ctx.table(o.table).rows[o.row]
            if row.unit:
                return _unit_name(row.unit) or _fold(row.unit)
        return q.unit
    return q.unit or (counted_noun(ctx.text, q.end) if q.kind.name == "COUNT" else None)


def _sentence_of(ctx, offset: int) -> tuple[int, int]:
    from auditor.scope import sentence_bounds

    return sentence_bounds(ctx.text, offset, offset)


COMMON = 0.12  # a syllable in more than this share of the report's sentences is a function word


def _common(ctx) -> frozenset[str]:
    """The report's own function words: syllables found in many of its sentences (là, có, các,
    hồ, sơ …), learnt from the document rather than listed."""
    if "pairing_common" not in ctx.derived:
        from collections import Counter

        sentences = list(getattr(ctx.structure, "sentences", ()) or ())
        df = Counter()
        for sent in sentences:
            df.update(set(_fold(sent.text).split()))
        n = max(1, len(sentences))
        ctx.derived["pairing_common"] = frozenset(w for w, k in df.items() if k / n > COMMON)
    return ctx.derived["pairing_common"]


def _concept_words(concept: str) -> frozenset[str]:
    from auditor.concepts import lexicon

    c = lexicon().get(concept)
    if c is None:
        return frozenset()
    return frozenset(w for group in c.groups for phrase in group for w in _fold(phrase).split())


def _content(words: str, common) -> set[str]:
    return {w for w in _fold(words).split() if w.isalpha() and w not in common}


def _fit(own: str, concept: str) -> float:
    """Each of the concept's phrase groups said in the window: the weakest group's best
    rapidfuzz partial ratio."""
    from rapidfuzz import fuzz

    from auditor.concepts import lexicon

    c = lexicon().get(concept)
    if c is None or not c.groups:
        return 0.0
    words = _fold(own)
    return min(max(fuzz.partial_ratio(_fold(p), words) for p in group) for group in c.groups) / 100.0


def _extra(mine: str, theirs: str, concept: str, common) -> float:
    extra = _content(mine, common) - set(_fold(theirs).split()) - _concept_words(concept)
    return min(len(extra), 4) / 4.0


def features(ctx, a, b, *, values_here: int = 1, values_there: int = 1, field_pair: bool = False) -> dict[str, float]:
    """The features of the pair (a narrative observation, its partner). Never the values."""
    from rapidfuzz import fuzz

    wa, wb = _fold(a.words), _fold(b.words)
    ua, ub = unit_of(ctx, a), unit_of(ctx, b)
    narrative = b.source != "table"
    same_sentence = narrative and _sentence_of(ctx, a.quantity.start) == _sentence_of(ctx, b.quantity.start)
    own = a.words.rsplit(" … ", 1)[-1]
    common = _common(ctx)
    return {
        "token_set": fuzz.token_set_ratio(wa, wb) / 100.0,
        "partial": fuzz.partial_ratio(wa, wb) / 100.0,
        "tfidf": _vectors(ctx).cosine(wa, wb),
        "unit_agree": 0.0 if not (ua and ub) else (1.0 if _fold(ua) == _fold(ub) else -1.0),
        "inherited": float(a.inherited),
        "other_inherited": float(narrative and b.inherited),
        "derived": float(b.derived),
        "total_row": float(b.is_total_row),
        "narrative_pair": float(narrative),
        "same_sentence": float(same_sentence),
        "distance": abs(a.quantity.start - b.quantity.start) / max(1, len(ctx.text)),
        "values_here": min(values_here, 4) / 4.0,
        "values_there": min(values_there, 4) / 4.0,
        "short_window": float(len(own.split()) <= 3),
        "field_pair": float(field_pair),
        "extra_here": _extra(own, b.words, a.concept, common),
        "extra_there": _extra(b.words.rsplit(" … ", 1)[-1], a.words, b.concept, common),
        "concept_fit": _fit(own, a.concept),
        "window_words": min(len(own.split()), 12) / 12.0,
    }


def confidence(ctx, a, partners, **kw) -> float | None:
    """The best pairing probability of `a` with any of `partners`; None without a model.
    With `ctx.derived["pairing_log"]` set (training), every pair's features are logged."""
    m = model()
    log = ctx.derived.get("pairing_log")
    if (m is None and log is None) or not partners:
        return None
    best = None
    for b in partners:
        x = features(ctx, a, b, **kw)
        p = m.probability(x) if m is not None else None
        if log is not None:
            log.append((a, b, x, p))
        if p is not None:
            best = p if best is None else max(best, p)
    return None if best is None else round(best, 3)


def sure(p: float | None) -> bool:
    """Is a pairing with this confidence sure enough to report a conflict as an error?"""
    m = model()
    return p is None or m is None or p >= m.threshold
