"""The candidate's free wish text, split into what they want and what they refuse.

"Graag met mensen werken, niet meer fysiek zwaar" holds a wish and a refusal. An
encoder that embeds the whole sentence puts "fysiek zwaar" into the wish, so the
ranker embeds only :attr:`WishText.positive` and uses :func:`negated_hits` to
push down places that hit a refusal. Positive similarity is the ranker's business
(it owns the encoder); this module only parses and matches words.

What counts as a refusal, and where it ends, is described in
:func:`matching.ranking.dutch_text.negation_scopes`.

Refused aspects (:attr:`WishText.avoid_aspects`) come from the aspect lexicon
(:mod:`matching.ranking.aspects`): the FML items whose own words
(:attr:`~matching.ranking.aspects.Aspect.names`: knielen, tillen, nachtdienst)
occur in a refused phrase. Work that merely involves an aspect does not count:
"niet meer in de kinderopvang" refuses daycare, not kneeling, and is matched by
its word "kinderopvang" alone. Notable readings:

- "niet meer beroepsmatig rijden" -> II.11 (rijden);
- "niet meer fysiek zwaar" -> IV.13 and IV.14 (lifting and carrying; "fysiek
  zwaar" is how candidates and coaches say heavy lifting work);
- "niet meer tillen en veel bukken" -> IV.13 (tillen) and IV.9, IV.10, V.6
  (bending);
- "zonder veel prikkels, onderbrekingen of deadlines" -> I.8 only, the item
  whose conditions are exactly "little distraction", "no frequent interruptions"
  and "no frequent deadlines". Prikkels are not read as noise (III.6): a quiet
  place can still be hectic, and the wish is about the latter;
- "niet meer over het terrein lopen, knielen of traplopen" -> IV.16, IV.17
  (lopen, "over het terrein"), IV.18 (traplopen), IV.20 and V.5 (knielen).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from matching.ranking.aspects import ASPECT_ORDER, AspectEvidence, aspects_named
from matching.ranking.dutch_text import (
    GENERIC,
    STOPWORDS,
    affirmed_mask,
    content_words,
    negation_scopes,
    stem,
    tokenize,
)

TITLE_HIT = 1.0
TEXT_HIT = 0.5
# Compound matching: a refused stem at the start of a longer word ("terrein" in
# "terreinmedewerker") needs five letters, at its end (the head of a Dutch
# compound: "zorg" in "thuiszorg") four; shorter stems match whole words only, or
# "lop" would find "loper" in everything.
_MIN_PREFIX = 5
_MIN_SUFFIX = 4
# What follows a stem when the compound says the thing is absent.
_ABSENT_RESTS = ("arm", "vrij", "los")


@dataclass(frozen=True)
class WishText:
    """A wish text parsed into its wanted part, refused phrases and refused aspects."""

    text: str
    positive: str  # the text without its refusals, for the encoder
    negated: tuple[str, ...] = ()  # refused phrases as written, without the negator ("beroepsmatig rijden")
    avoid_aspects: tuple[str, ...] = ()  # FML items named in a refused phrase ("II.11")
    negated_stems: tuple[tuple[str, ...], ...] = field(default=(), repr=False)  # content stems per phrase

    @property
    def has_refusals(self) -> bool:
        return bool(self.negated)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")
_REPEATED_PUNCT = re.compile(r"([,.;:!?])(?:\s*[,;:])+|([,;:])\s*([.!?])|([.!?])(?:\s*[.!?])+")
_SPACES = re.compile(r"\s{2,}")
_FRAGMENT = re.compile(r"[^,.;:!?]+[,.;:!?]*")
_LEADING_CONJUNCTION = re.compile(r"^(?:maar|en|of)\s+", re.IGNORECASE)


def _tidy(text: str) -> str:
    """What is left after cutting the refusals out, made readable.

    Fragments without a content word ("Ik mag" from "Ik mag niet meer beroepsmatig
    rijden") go, so the encoder does not embed a wish that is not there; so do
    punctuation left doubled and a conjunction that now opens the text.
    """
    kept = []
    for m in _FRAGMENT.finditer(text):
        frag = m.group()
        if any(t.text not in STOPWORDS for t in tokenize(frag)):
            kept.append(_LEADING_CONJUNCTION.sub("", frag.strip()) if not kept else frag.strip())
    text = " ".join(kept)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    for _ in range(3):
        text = _REPEATED_PUNCT.sub(lambda m: m.group(1) or m.group(3) or m.group(4), text)
    text = _SPACES.sub(" ", text).strip()
    text = text.strip(" ,;:")
    return text


# The profile text, the wish vector and the candidate's view all read the same wish
# text; candidates in a batch repeat each other's wishes.
@lru_cache(maxsize=20_000)
def parse_wishes(text: str | None) -> WishText:
    """Split a wish text into wanted and refused parts (see the module docstring)."""
    text = text or ""
    toks = tokenize(text)
    scopes = negation_scopes(text, toks)
    negated: list[str] = []
    stems: list[tuple[str, ...]] = []
    avoid: set[str] = set()
    pieces: list[str] = []
    cursor = 0
    for s in scopes:
        last = s.last
        while last > s.first and toks[last].text in STOPWORDS:  # "tillen wil ik" -> "tillen"
            last -= 1
        words = [toks[k].text for k in range(s.first, last + 1)]
        phrase = text[toks[s.first].start:toks[last].end]
        negated.append(phrase)
        stems.append(tuple(dict.fromkeys(stem(w) for w in content_words(words))))
        avoid.update(aspects_named(phrase))
        pieces.append(text[cursor:s.start])
        cursor = s.end
    pieces.append(text[cursor:])
    order = {item: i for i, item in enumerate(ASPECT_ORDER)}
    return WishText(
        text=text,
        positive=_tidy(" ".join(pieces)) if scopes else text.strip(),
        negated=tuple(negated),
        avoid_aspects=tuple(sorted(avoid, key=order.__getitem__)),
        negated_stems=tuple(stems),
    )


class PlaceWords:
    """The places' affirmed words, indexed by stem, for matching refusals.

    Built once per set of places and reused for every candidate: it tokenises each
    title and description once, skips words inside the place's own refusals ("geen
    zwaar tilwerk" is what a candidate who refuses lifting wants to read), and keeps
    an inverted index stem -> place rows per field.
    """

    def __init__(self, titles: Sequence[str], texts: Sequence[str],
                 evidence: AspectEvidence | None = None) -> None:
        if len(titles) != len(texts):
            raise ValueError("titles and texts must have one entry per place")
        self.n = len(titles)
        self.title_index = self._index(titles)
        self.text_index = self._index(texts)
        self._evidence = evidence
        self._titles, self._texts = titles, texts
        self._expand_memo: dict[tuple[str, str], np.ndarray] = {}

    @staticmethod
    def _index(docs: Sequence[str]) -> dict[str, np.ndarray]:
        postings: dict[str, list[int]] = {}
        for row, doc in enumerate(docs):
            if not doc:
                continue
            toks = tokenize(doc)
            keep = affirmed_mask(toks, negation_scopes(doc, toks))
            seen: set[str] = set()
            for t, k in zip(toks, keep):
                if k and t.text not in STOPWORDS and t.text not in GENERIC:
                    seen.add(stem(t.text))
            for s in seen:
                postings.setdefault(s, []).append(row)
        return {s: np.asarray(rows, dtype=np.int64) for s, rows in postings.items()}

    @property
    def evidence(self) -> AspectEvidence:
        if self._evidence is None:
            self._evidence = AspectEvidence.build(self._titles, self._texts)
        return self._evidence

    def rows_with(self, refused: str, field_name: str) -> np.ndarray:
        """Rows whose field holds the refused stem, alone or in a compound."""
        key = (refused, field_name)
        hit = self._expand_memo.get(key)
        if hit is None:
            index = self.title_index if field_name == "title" else self.text_index
            parts = []
            for s, rows in index.items():
                if s == refused or _compound_match(refused, s):
                    parts.append(rows)
            hit = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
            self._expand_memo[key] = hit
        return hit


def _compound_match(refused: str, word: str) -> bool:
    if len(refused) >= _MIN_PREFIX and word.startswith(refused) and len(word) > len(refused):
        return word[len(refused):] not in _ABSENT_RESTS
    return len(refused) >= _MIN_SUFFIX and word.endswith(refused) and len(word) > len(refused)


def negated_hits(wish: WishText, titles: Sequence[str], texts: Sequence[str], *,
                 places: PlaceWords | None = None) -> np.ndarray:
    """How strongly each place hits a refusal, in [0, 1] (float32, one per place).

    A refused content word or an avoided aspect in the title gives 1.0, in the
    description 0.5; a place takes its strongest hit. Words inside the place's own
    refusals do not count. Pass ``places`` (built once from the same titles and
    texts) to skip the text work when scoring many candidates.
    """
    n = len(titles)
    out = np.zeros(n, dtype=np.float32)
    if not wish.negated and not wish.avoid_aspects:
        return out
    if places is None:
        places = PlaceWords(titles, texts)
    elif places.n != n:
        raise ValueError("places was built for a different number of places")
    for stems in wish.negated_stems:
        for s in stems:
            out[places.rows_with(s, "text")] = np.maximum(out[places.rows_with(s, "text")], TEXT_HIT)
            out[places.rows_with(s, "title")] = TITLE_HIT
    if wish.avoid_aspects:
        cols = [ASPECT_ORDER.index(item) for item in wish.avoid_aspects]
        ev = places.evidence
        title = ev.title[:, cols].max(axis=1) if cols else np.zeros(n)
        text = (ev.text[:, cols] > 0).any(axis=1) if cols else np.zeros(n, dtype=bool)
        # A role's domain in the title ("Manager transport") is weaker than the
        # activity itself; scaled so that it still beats a mere mention.
        title_hit = np.where(title >= 1.0, TITLE_HIT, np.where(title > 0, np.maximum(TEXT_HIT, title), 0.0))
        out = np.maximum(out, np.maximum(title_hit, np.where(text, TEXT_HIT, 0.0)).astype(np.float32))
    return out
