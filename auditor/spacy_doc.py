"""spaCy as the container of a report's narrative: one Doc per sentence, with spans.

The one module that imports spaCy (DESIGN §2: each NLP library behind one module). A
sentence's Doc is made of its syllables (spaCy's language-neutral tokenizer keeps
character offsets exact); on it lie span groups:

- ``words``: underthesea's word segmentation ("tiếp nhận", "hồ sơ", "trực tuyến");
- ``concepts``: every lexicon phrase (rules/concepts.yaml) found by a PhraseMatcher, labelled
  with its concept id, instead of a search phrase by phrase;
- ``quantities``: each narrative observation's number, with its frame as the span extension
  ``frame`` (concept, counted noun, scope, role, the words that gave the concept).

It serves `auditor claims`, which shows a reviewer or a developer how each narrative number
was read. The audit itself does not load spaCy: importing it costs about 1.7 s cold on this
machine (README, "Speed"), more than the whole audit of a report with everything else loaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Frame:
    """How one narrative number was read."""

    raw: str
    value: float
    line: int
    concept: str
    concept_name: str
    noun: str | None  # the counted noun or unit right after the number
    words: str  # the words that gave the concept (inherited ones before " … ")
    scope: str  # this period, change, comparison, cumulative, target, next_period, other_period …
    role: str  # total or level, part, numerator, denominator
    population: str | None  # the sub-population or line label it speaks of ("Cán bộ:", "- Hộ tịch:")
    inherited: bool
    phrases: tuple[tuple[str, str], ...]  # (phrase, concept id) the PhraseMatcher found in its sentence
    start: int
    end: int


@lru_cache(maxsize=1)
def _nlp():
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("xx")  # Vietnamese syllables are space-separated; no pyvi needed
    if not Span.has_extension("frame"):
        Span.set_extension("frame", default=None)
    return nlp


@lru_cache(maxsize=1)
def _matcher():
    from spacy.matcher import PhraseMatcher

    from auditor.concepts import lexicon

    nlp = _nlp()
    m = PhraseMatcher(nlp.vocab, attr="LOWER")
    lex = lexicon()
    for c in lex.concepts.values():
        phrases = {p for group in c.groups for p in group}
        m.add(c.id, [nlp.make_doc(p) for p in sorted(phrases)])
    return m


def sentence_doc(sentence, observations, ctx):
    """The Doc of one sentence with its word, concept and quantity spans."""
    from underthesea import word_tokenize

    nlp = _nlp()
    doc = nlp.make_doc(sentence.text)
    doc.user_data["offset"] = sentence.start
    words, pos = [], 0
    for w in word_tokenize(sentence.text):
        i = sentence.text.find(w, pos)
        if i < 0:
            continue
        span = doc.char_span(i, i + len(w), alignment_mode="expand")
        pos = i + len(w)
        if span is not None and len(span) > 1:
            words.append(span)
    doc.spans["words"] = words
    doc.spans["concepts"] = [_labelled(doc, mid, s, e) for mid, s, e in _matcher()(doc)]
    quantities = []
    for o in observations:
        span = doc.char_span(o.quantity.start - sentence.start, o.quantity.end - sentence.start,
                             alignment_mode="expand")
        if span is None:
            continue
        span._.frame = frame_of(o, ctx, doc)
        quantities.append(span)
    doc.spans["quantities"] = quantities
    return doc


def _labelled(doc, match_id, s, e):
    from spacy.tokens import Span

    return Span(doc, s, e, label=match_id)


def frame_of(o, ctx, doc=None) -> Frame:
    from auditor.concepts import lexicon
    from auditor.pairing import unit_of

    q = o.quantity
    c = lexicon().get(o.concept)
    noun = unit_of(ctx, o)
    role = o.role if o.role != "value" else ("part" if o.is_part else "level")
    phrases = ()
    if doc is not None:  # the phrases of its own concept's family said in its words
        said = " ".join(o.words.lower().split())
        phrases = tuple(dict.fromkeys(
            (sp.text, sp.label_) for sp in doc.spans.get("concepts", [])
            if sp.text.lower() in said and (sp.label_ == o.concept or o.concept.startswith(sp.label_ + "."))))
    return Frame(q.raw, o.value, ctx.lines.locate(q.start)[0], o.concept, c.name if c else o.concept, noun,
                 " ".join(o.words.split()), ctx.scope(q) or "period", role, o.subject or o.header, o.inherited,
                 phrases, q.start, q.end)


def frames(ctx) -> list[Frame]:
    """Every narrative observation's frame, sentence by sentence, read through spaCy Docs."""
    import bisect

    narrative = sorted((o for o in ctx.observations if o.source == "narrative"), key=lambda o: o.quantity.start)
    starts = [o.quantity.start for o in narrative]
    out = []
    for sent in ctx.structure.sentences:
        mine = narrative[bisect.bisect_left(starts, sent.start):bisect.bisect_left(starts, sent.end)]
        if not mine:
            continue
        doc = sentence_doc(sent, mine, ctx)
        out.extend(span._.frame for span in doc.spans["quantities"])
    return out
