"""Dutch job-title morphology: folding, feminine forms, compound splitting, and
the readings of a title the linker tries.

Built from general Dutch morphology and checked against ESCO's own vocabulary;
no external title list enters it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Sequence

from matching.occupations.esco import EscoOccupations
from matching.portable import Portable

# "(m/v)", "m/v/x", "(v/m)", "(h/f)" ...: a gender note, not part of the title.
_GENDER_NOTE = re.compile(r"\(\s*[mvwxhfo](?:\s*/\s*[mvwxhfo]){1,3}\s*\)|(?<![\w/])[mvwxhfo](?:\s*/\s*[mvwxhfo]){1,3}(?![\w/])")
# "niveau 3", "schaal 8", "1e", "2de", a bare number: a grade within the work,
# not a different occupation.
_LEVEL_NOTE = re.compile(r"\b(?:(?:niveau|nivo|level|schaal|trede)\s*)?\d+(?:e|ste|de)?\b")
_TOKEN = re.compile(r"[a-z0-9]+")
_VOWELS = set("aeiou")
_MEMO_LIMIT = 200_000
STOPWORDS = frozenset("de het een van voor in en der op bij met te of aan".split())


def fold(text: str) -> str:
    """Lowercase, accents off, gender notes and level numbers off; punctuation kept."""
    text = text.replace("\xad", "").lower()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("&", " en ")
    text = _GENDER_NOTE.sub(" ", text)
    return _LEVEL_NOTE.sub(" ", text)


def raw_tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _single_vowel(stem: str) -> str | None:
    # "verkoop" -> "verkop" (verkoopster -> verkoper): a long vowel is written
    # double in a closed syllable and single in an open one.
    if len(stem) >= 4 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] == stem[-2] \
            and stem[-4] not in _VOWELS:
        return stem[:-3] + stem[-2:]
    return None


def _double_vowel(stem: str) -> str | None:
    # "lerar" -> "leraar" (lerares -> leraar), "technolog" -> "technoloog".
    if len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
        return stem[:-1] + stem[-2] + stem[-1]
    return None


def _male_candidates(token: str) -> list[str]:
    """Masculine/base forms a Dutch feminine (or inflected) word may come from.

    General Dutch morphology only; every candidate is checked against ESCO's own
    vocabulary before it is used.
    """
    out: list[str] = []
    t = token
    if t.endswith("vrouw") and len(t) > 5:
        out += [t[:-5] + "man", t[:-5] + "heer"]
    if t.endswith("ster") and len(t) > 6:
        stem = t[:-4]
        out += [stem + "er", stem + stem[-1] + "er", stem + "der", stem + "ter"]
        single = _single_vowel(stem)
        if single:
            out += [single + "er", single[:-1] + {"f": "v", "s": "z"}.get(single[-1], single[-1]) + "er"]
        if stem.endswith(("aar", "eur", "ier")):
            out.append(stem)
    if t.endswith("rice") and len(t) > 6:
        out += [t[:-4] + "eur", t[:-4] + "or", t[:-3] + "or"]
    if t.endswith("euse"):
        out.append(t[:-4] + "eur")
    if t.endswith("ica") and len(t) > 5:
        out.append(t[:-1] + "us")
    if t.endswith("esse"):
        out.append(t[:-4] + "is")
    if t.endswith("es") and len(t) > 5:
        stem = t[:-2]
        out.append(stem)
        double = _double_vowel(stem)
        if double:
            out.append(double)
    if t.endswith("e") and len(t) > 4:
        stem = t[:-1]
        out.append(stem)
        double = _double_vowel(stem)
        if double:
            out.append(double)
    if t.endswith("in") and len(t) > 5:
        out.append(t[:-2])
    return [c for c in out if c != token]


class DutchTitleAnalyzer(Portable):
    """Normalises Dutch job titles against a vocabulary taken from ESCO.

    * feminine forms become the masculine form ESCO also uses ("medewerkster" ->
      "medewerker", "directrice" -> "directeur"), also inside compounds;
    * compounds are split into known parts ("klantenservicemedewerker" ->
      "klantenservice medewerker"), so word order and spelling as one word, two
      words or with a hyphen stop mattering.
    """

    # Memos of bound methods do not pickle; a worker process fills its own.
    _memos = {"_tokens": ("_tokens_uncached", 200_000)}

    def __init__(self, label_texts: Sequence[str], other_texts: Sequence[str] = ()):
        label_counts: Counter[str] = Counter()
        for text in label_texts:
            label_counts.update(raw_tokens(text))
        counts = Counter(label_counts)
        for text in other_texts:
            counts.update(raw_tokens(text))
        self.label_vocab = frozenset(label_counts)
        self.freq = counts
        self._canon: dict[str, str] = {}
        # Feminine words ESCO itself uses, mapped once; compounds reuse them by suffix.
        self._female: dict[str, str] = {}
        for word in self.label_vocab:
            for cand in _male_candidates(word):
                if cand in self.label_vocab:
                    self._female[word] = cand
                    break
        self._split_cache: dict[str, tuple[str, ...]] = {}
        # Labels and titles are analysed several times over (keys, text, parts).
        self._tokens = lru_cache(maxsize=200_000)(self._tokens_uncached)

    def canonical(self, token: str) -> str:
        hit = self._canon.get(token)
        if hit is not None:
            return hit
        result = token
        if token in self._female:
            result = self._female[token]
        else:
            # A compound ending in a known feminine word: "bakkerijmedewerkster".
            for i in range(1, len(token) - 4):
                tail = token[i:]
                if tail in self._female and len(tail) >= 5:
                    result = token[:i] + self._female[tail]
                    break
            else:
                if token not in self.label_vocab:
                    for cand in _male_candidates(token):
                        if cand in self.label_vocab:
                            result = cand
                            break
        if len(self._canon) > _MEMO_LIMIT:  # a long-running service sees endless new words
            self._canon.clear()
        self._canon[token] = result
        return result

    def tokens(self, text: str) -> list[str]:
        """Folded, canonical tokens; adjacent repeats dropped ("leraar/lerares")."""
        return list(self._tokens(text))

    def _tokens_uncached(self, text: str) -> tuple[str, ...]:
        out: list[str] = []
        for tok in raw_tokens(text):
            tok = self.canonical(tok)
            if not out or out[-1] != tok:
                out.append(tok)
        return tuple(out)

    def split(self, token: str) -> tuple[str, ...]:
        """Compound parts of a word, by the best geometric mean of part frequencies."""
        hit = self._split_cache.get(token)
        if hit is not None:
            return hit
        best = self._best_split(token, depth=0)[1]
        parts = tuple(self.canonical(p) for p in best)
        if len(self._split_cache) > _MEMO_LIMIT:
            self._split_cache.clear()
        self._split_cache[token] = parts
        return parts

    def _best_split(self, word: str, depth: int) -> tuple[float, tuple[str, ...]]:
        whole = (math.log(self.freq[word]) if self.freq[word] else -math.inf, (word,))
        if depth >= 2 or len(word) < 7:
            return whole
        best_score, best_parts = whole
        # Koehn-Knight style: compare log-geometric means; a part must be a known
        # word of at least 3 letters (the head at least 4), optionally followed by
        # a linking "s" or "-".
        for i in range(3, len(word) - 3):
            head = word[i:]
            if not self.freq[head]:
                continue
            for left in (word[:i], word[:i - 1] if word[i - 1] == "s" else None):
                if not left or len(left) < 3 or not self.freq[left]:
                    continue
                left_score, left_parts = self._best_split(left, depth + 1)
                parts = left_parts + (head,)
                score = (left_score * len(left_parts) + math.log(self.freq[head])) / len(parts)
                if score > best_score:
                    best_score, best_parts = score, parts
        return best_score, best_parts

    def parts(self, text: str) -> list[str]:
        """Compound parts of all words, stopwords dropped."""
        out: list[str] = []
        for tok in self.tokens(text):
            if tok in STOPWORDS:
                continue
            out.extend(self.split(tok))
        return out

    def keys(self, text: str) -> tuple[str, str, str]:
        """Lookup keys: canonical phrase, phrase without spaces, bag of parts."""
        toks = [t for t in self.tokens(text)]
        phrase = " ".join(toks)
        squashed = "".join(t for t in toks if t not in STOPWORDS)
        bag = " ".join(sorted(set(self.parts(text))))
        return phrase, squashed, bag

    def text(self, text: str) -> str:
        return " ".join(self.tokens(text))


@lru_cache(maxsize=4)
def _analyzer_for(esco: EscoOccupations) -> DutchTitleAnalyzer:
    return DutchTitleAnalyzer([s.text for s in esco.surface], esco.descriptions)


_PARENTHETICAL = re.compile(r"\([^()]*\)")


def title_variants(title: str) -> list[str]:
    """The title, and for "a/b rest" the alternatives "a rest" and "b rest"."""
    variants = [title]
    folded = fold(title)
    match = re.search(r"(\w+)\s*/\s*(\w+)", folded)
    if match:
        for word in match.groups():
            variants.append((folded[: match.start()] + word + folded[match.end():]).strip())
    return variants


def query_variants(title: str, reduced_penalty: float | None) -> list[tuple[str, float]]:
    """Ways to read a query title, each with the penalty its fused score pays.

    Alternatives written with a slash are equally good readings. A title without
    its parenthetical qualifier ("monteur (installatietechniek)" -> "monteur")
    is a looser reading: it finds the occupation when the qualifier is noise,
    but pays ``reduced_penalty`` (None: not read that way at all).
    """
    variants = [(v, 0.0) for v in title_variants(title)]
    if reduced_penalty is not None and "(" in title:
        bare = " ".join(_PARENTHETICAL.sub(" ", title).split())
        if bare and bare != title:
            variants += [(v, reduced_penalty) for v in title_variants(bare)]
    return variants
