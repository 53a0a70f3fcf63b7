"""Occupation linking: a Dutch job title -> ranked ESCO v1.2.0 occupations.

Everything here is built from ESCO's own data (labels, descriptions, hierarchy)
and from general Dutch morphology; no external title list enters it. Three kinds
of evidence are fused:

* exact lookup of a normalised title among ESCO's preferred, alternative and
  hidden labels (accents, punctuation, gender forms, "(m/v)", compound spelling
  and word order are normalised away);
* character n-gram and compound-part TF-IDF similarity to the labels, and
  character n-gram similarity to the descriptions;
* sentence-embedding similarity to the labels (the best-matching label of an
  occupation counts) and to the descriptions, through :mod:`matching.text`.

Each fuzzy signal is standardised per title and the signals are summed with
weights chosen on held-out ESCO labels (``benchmarks/esco_holdout.py``); an
exact hit lifts its occupations above every fuzzy one. :func:`occupation_proximity` compares two occupations
through ESCO's hierarchy and ISCO-08 groups.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from matching.settings import get_settings

OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"

PREFERRED, ALTERNATIVE, HIDDEN, VARIANT = "preferred", "alternative", "hidden", "variant"


# ---------------------------------------------------------------------------
# ESCO data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurfaceForm:
    """One way ESCO names an occupation."""

    occupation: int
    text: str
    kind: str


@dataclass(frozen=True, eq=False)
class EscoOccupations:
    """The ESCO occupation pillar as the linker and the proximity need it."""

    uris: tuple[str, ...]
    labels: tuple[str, ...]
    isco: tuple[str, ...]
    descriptions: tuple[str, ...]
    surface: tuple[SurfaceForm, ...]
    # Broader occupations of each occupation (indices); ISCO groups are in `isco`.
    parents: tuple[tuple[int, ...], ...]
    isco_labels: dict[str, str]
    index: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.uris)

    def without_surface(self, drop: Iterable[int]) -> "EscoOccupations":
        """A copy that lacks some surface forms (to evaluate on held-out labels)."""
        dropped = set(drop)
        kept = tuple(s for i, s in enumerate(self.surface) if i not in dropped)
        return EscoOccupations(self.uris, self.labels, self.isco, self.descriptions, kept,
                               self.parents, self.isco_labels, self.index)


def _split_labels(value: str) -> list[str]:
    # Some ESCO labels pack two names behind a semicolon; they are two names.
    out = []
    for line in value.split("\n"):
        for part in line.split(";"):
            part = " ".join(part.replace("\xad", "").split())
            if part:
                out.append(part)
    return out


def read_esco(esco_dir: Path) -> EscoOccupations:
    esco_dir = Path(esco_dir)
    uris: list[str] = []
    labels: list[str] = []
    isco: list[str] = []
    descriptions: list[str] = []
    surface: list[SurfaceForm] = []
    with (esco_dir / "occupations_nl.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("status", "released") not in ("released", ""):
                continue
            idx = len(uris)
            uris.append(row["conceptUri"])
            labels.append(row["preferredLabel"].strip())
            isco.append(row["iscoGroup"].strip())
            descriptions.append(" ".join(row.get("description", "").split()))
            seen: set[str] = set()
            for kind, value in ((PREFERRED, row["preferredLabel"]), (ALTERNATIVE, row["altLabels"]),
                                (HIDDEN, row.get("hiddenLabels", ""))):
                for text in _split_labels(value):
                    key = text.lower()
                    if key not in seen:
                        seen.add(key)
                        surface.append(SurfaceForm(idx, text, kind))
    index = {u: i for i, u in enumerate(uris)}
    parents: list[list[int]] = [[] for _ in uris]
    with (esco_dir / "broaderRelationsOccPillar.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            child, parent = index.get(row["conceptUri"]), index.get(row["broaderUri"])
            if child is not None and parent is not None:
                parents[child].append(parent)
    isco_labels: dict[str, str] = {}
    with (esco_dir / "ISCOGroups_nl.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            isco_labels[row["code"].strip()] = row["preferredLabel"].strip()
    return EscoOccupations(tuple(uris), tuple(labels), tuple(isco), tuple(descriptions),
                           tuple(surface), tuple(tuple(p) for p in parents), isco_labels, index)


@lru_cache(maxsize=4)
def _load_esco(esco_dir: Path) -> EscoOccupations:
    return read_esco(esco_dir)


def load_esco(data_dir: Path | None = None) -> EscoOccupations:
    """ESCO occupations from ``<data_dir>/esco``, read once per process."""
    data_dir = Path(data_dir or get_settings().data_dir)
    return _load_esco(data_dir / "esco")


# ---------------------------------------------------------------------------
# Dutch title normalisation
# ---------------------------------------------------------------------------

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


class DutchTitleAnalyzer:
    """Normalises Dutch job titles against a vocabulary taken from ESCO.

    * feminine forms become the masculine form ESCO also uses ("medewerkster" ->
      "medewerker", "directrice" -> "directeur"), also inside compounds;
    * compounds are split into known parts ("klantenservicemedewerker" ->
      "klantenservice medewerker"), so word order and spelling as one word, two
      words or with a hyphen stop mattering.
    """

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


# ---------------------------------------------------------------------------
# The linker
# ---------------------------------------------------------------------------

# Weight of an exact hit by the kind of label it hit: a preferred label is the
# name ESCO stands behind; hidden labels include misspellings and outdated names.
_KIND_WEIGHT = {PREFERRED: 1.0, ALTERNATIVE: 0.97, VARIANT: 0.95, HIDDEN: 0.93}
# ...and by the key that matched: the plain phrase is surest, a bag of compound
# parts in any order the loosest.
_KEY_WEIGHT = (1.0, 0.97, 0.9)

LEXICAL_SIGNALS = ("exact", "char", "word", "description_char", "prior")


@dataclass(frozen=True)
class LinkerWeights:
    """Weights of the signals in the fused score.

    Fuzzy signals are standardised per title (z-scores over all occupations)
    before they are weighted, so a weight says how much a signal's *contrast*
    counts, whatever the raw range of its scores. ``exact`` is added unscaled
    (0..1) and, at its default, lifts an exact label hit above fuzzy evidence.
    ``embedding`` and ``description`` apply to every encoder, multiplied by that
    encoder's own weight (``OccupationLinker.encoders``).
    """

    # Chosen on held-out ESCO labels (benchmarks/esco_holdout.py --tune), except
    # `exact`, which that hold-out cannot judge: set so an exact hit wins.
    exact: float = 6.0
    char: float = 0.2
    word: float = 0.1
    description_char: float = 0.2
    embedding: float = 1.0
    description: float = 1.0
    # How many names ESCO knows for an occupation. Off: the label-embedding max
    # already favours occupations with many names.
    prior: float = 0.0


# (encoder name, weight of its label similarity, weight of its description
# similarity, how titles and labels are written for it), chosen with the weights
# above on the ESCO hold-out. "e5" is multilingual-e5-small; where
# matching.text does not offer it, the linker falls back to
# FALLBACK_ENCODERS (tuned the same way for USE alone). Text forms: "parts" =
# normalised compound parts (USE's small vocabulary rarely holds a Dutch compound
# whole), "folded" = lowercased, accents and gender notes off (e5's subword
# vocabulary copes with compounds and does better on the words as written).
DEFAULT_ENCODERS = (("e5", 1.5, 1.0, "folded"), ("use", 1.5, 0.0, "parts"))
FALLBACK_ENCODERS = (("use", 1.0, 0.1, "parts"),)
TEXT_FORMS = ("parts", "folded")


def _resolve_encoder(encoder):
    if encoder is None or not isinstance(encoder, str):
        return encoder
    from matching.text import get_encoder  # lazy: the engines behind it are heavy

    return get_encoder(encoder)


def _max_by_group(matrix: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Row-wise maximum over consecutive column groups starting at `starts`."""
    return np.maximum.reduceat(matrix, starts, axis=1)


def _standardise(matrix: np.ndarray) -> np.ndarray:
    mean = matrix.mean(axis=1, keepdims=True)
    std = matrix.std(axis=1, keepdims=True)
    return (matrix - mean) / np.maximum(std, 1e-6)


def _encoder_spec(item) -> tuple[object, float, float, str]:
    """(encoder, label weight, description weight, text form) from what a caller may give."""
    if not isinstance(item, tuple):
        return item, 1.0, 1.0, "parts"
    if len(item) == 2:
        return item[0], float(item[1]), float(item[1]), "parts"
    encoder, label_weight, description_weight, *rest = item
    text_form = rest[0] if rest else "parts"
    if text_form not in TEXT_FORMS:
        raise ValueError(f"encoder text form must be one of {TEXT_FORMS}, got {text_form!r}")
    return encoder, float(label_weight), float(description_weight), text_form


def _default_encoders() -> tuple:
    from matching.text import get_encoder

    try:
        get_encoder(DEFAULT_ENCODERS[0][0])
    except (ValueError, RuntimeError) as exc:
        warnings.warn(f"occupation linker: encoder {DEFAULT_ENCODERS[0][0]!r} unavailable ({exc}); "
                      f"linking with {[e for e, *_ in FALLBACK_ENCODERS]} instead", RuntimeWarning, stacklevel=3)
        return FALLBACK_ENCODERS
    return DEFAULT_ENCODERS


def _encoder_name(encoder) -> str:
    return encoder if isinstance(encoder, str) else getattr(encoder, "name", None) or \
        str(getattr(encoder, "model_id", "encoder")).split("-")[0]


@dataclass(frozen=True)
class SignalSet:
    """Raw signals of a batch of titles, one row per reading of a title."""

    signals: dict[str, np.ndarray]
    owner: np.ndarray  # the title each row reads
    penalty: np.ndarray  # what each reading pays in the fused score
    n_titles: int

    def rows(self, titles: np.ndarray) -> "SignalSet":
        """The readings of some titles (by index), renumbered 0..len(titles)-1."""
        titles = np.asarray(titles)
        new_id = np.full(self.n_titles, -1, dtype=np.int64)
        new_id[titles] = np.arange(len(titles))
        keep = new_id[self.owner] >= 0
        return SignalSet({k: v[keep] for k, v in self.signals.items()}, new_id[self.owner][keep],
                         self.penalty[keep], len(titles))

    @staticmethod
    def concat(parts: Sequence["SignalSet"]) -> "SignalSet":
        offset = np.cumsum([0] + [p.n_titles for p in parts[:-1]])
        return SignalSet({k: np.vstack([np.asarray(p.signals[k]) for p in parts]) for k in parts[0].signals},
                         np.concatenate([p.owner + o for p, o in zip(parts, offset)]),
                         np.concatenate([p.penalty for p in parts]), sum(p.n_titles for p in parts))


class OccupationLinker:
    """Links Dutch job titles to ESCO occupations.

    Estimator-style: configure in the constructor, build the indexes from ESCO
    with :meth:`fit`, then :meth:`link`. Parameters:

    encoders: "default" (:data:`DEFAULT_ENCODERS`, or :data:`FALLBACK_ENCODERS`
        where an encoder is missing), or a sequence of ``(encoder, label weight,
        description weight[, text form])``, ``(encoder, weight)`` or bare
        encoders (weight 1; text form "parts", see :data:`DEFAULT_ENCODERS`);
        an encoder is a name for :func:`matching.text.get_encoder` ("use",
        ...) or an object with ``encode``, ``model_id`` and ``dim``. Empty: link
        by lexical evidence alone (fast, no model).
    weights: :class:`LinkerWeights`; a zero weight switches a signal off.
    char_ngrams: the character n-gram range of the TF-IDF over labels.
    esco: the ESCO data to link against (default: :func:`load_esco`).
    cache_dir: where label embeddings are kept between runs ("default": the
        state directory; None: not kept).
    reduced_variant_penalty: what a title read without its parenthetical
        qualifier pays in fused-score units (see :func:`query_variants`); None
        switches that reading off.
    """

    def __init__(self, encoders="default", weights: LinkerWeights | None = None,
                 char_ngrams: tuple[int, int] = (2, 4), esco: EscoOccupations | None = None,
                 cache_dir: Path | str | None = "default", batch_size: int = 256,
                 reduced_variant_penalty: float | None = 1.0):
        self.encoders = encoders
        self.weights = weights or LinkerWeights()
        self.char_ngrams = char_ngrams
        self.esco = esco
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.reduced_variant_penalty = reduced_variant_penalty

    # -- building -----------------------------------------------------------

    def fit(self, X=None, y=None) -> "OccupationLinker":
        """Build the indexes from ESCO alone; X and y are ignored."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        esco = self.esco if self.esco is not None else load_esco()
        self.esco_ = esco
        self.analyzer_ = _analyzer_for(esco)
        an = self.analyzer_

        forms: list[tuple[int, str, str]] = []
        for s in esco.surface:
            forms.append((s.occupation, s.text, s.kind))
            for variant in title_variants(s.text)[1:]:
                forms.append((s.occupation, variant, VARIANT))
        forms.sort(key=lambda f: f[0])
        self.form_occ_ = np.array([f[0] for f in forms], dtype=np.int64)
        self.form_text_ = [f[1] for f in forms]
        self.form_kind_ = [f[2] for f in forms]
        if not np.array_equal(np.unique(self.form_occ_), np.arange(len(esco))):
            raise ValueError("every occupation needs at least one label")
        self.starts_ = np.flatnonzero(np.r_[True, self.form_occ_[1:] != self.form_occ_[:-1]])

        self.exact_: list[dict[str, dict[int, float]]] = [{}, {}, {}]
        for occ, text, kind in forms:
            for table, key in zip(self.exact_, an.keys(text)):
                if key:
                    slot = table.setdefault(key, {})
                    slot[occ] = max(slot.get(occ, 0.0), _KIND_WEIGHT[kind])

        w = self.weights
        if w.char:
            self.char_vec_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams,
                                             sublinear_tf=True, dtype=np.float32)
            self.char_forms_ = self.char_vec_.fit_transform([an.text(t) for t in self.form_text_]).T.tocsr()
        if w.word:
            parts = [" ".join(an.parts(t)) for t in self.form_text_]
            self.word_vec_ = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
            self.word_forms_ = self.word_vec_.fit_transform(parts).T.tocsr()
        if w.description_char:
            self.desc_vec_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                             dtype=np.float32)
            self.desc_char_ = self.desc_vec_.fit_transform([an.text(d) for d in esco.descriptions]).T.tocsr()

        self.encoders_: list[tuple[str, object, float, float]] = []
        self.text_form_: dict[str, str] = {}
        if w.embedding or w.description:
            specs = _default_encoders() if self.encoders == "default" else (self.encoders or ())
            for item in specs:
                encoder, label_weight, description_weight, text_form = _encoder_spec(item)
                if label_weight or description_weight:
                    name = _encoder_name(encoder)
                    self.encoders_.append((name, _resolve_encoder(encoder), label_weight, description_weight))
                    self.text_form_[name] = text_form
        self.form_emb_: dict[str, np.ndarray] = {}
        self.desc_emb_: dict[str, np.ndarray] = {}
        if self.encoders_:
            cache = self._open_cache()
            try:
                for name, encoder, label_weight, description_weight in self.encoders_:
                    if w.embedding and label_weight:
                        form_texts = [self._embed_text(t, self.text_form_[name]) for t in self.form_text_]
                        self.form_emb_[name] = self._embed(cache, encoder, form_texts)
                    if w.description and description_weight:
                        self.desc_emb_[name] = self._embed(cache, encoder, list(esco.descriptions))
            finally:
                if cache is not None:
                    cache.close()

        n_forms = np.bincount(self.form_occ_, minlength=len(esco)).astype(np.float32)
        self.prior_ = np.log1p(n_forms) / np.log1p(n_forms.max())
        self._link_one = lru_cache(maxsize=4096)(self._link_one_uncached)
        return self

    def _embed_text(self, text: str, form: str) -> str:
        folded = " ".join(fold(text).split())
        if form == "folded":
            return folded
        return " ".join(self.analyzer_.parts(text)) or folded

    def _open_cache(self):
        if self.cache_dir is None:
            return None
        from matching.text import EmbeddingCache

        base = get_settings().state_dir / "cache" if self.cache_dir == "default" else Path(self.cache_dir)
        return EmbeddingCache(base / "occupation-embeddings.sqlite")

    @staticmethod
    def _embed(cache, encoder, texts: list[str]) -> np.ndarray:
        if cache is None:
            return np.asarray(encoder.encode(texts), dtype=np.float32)
        return np.asarray(cache.encode(encoder, texts), dtype=np.float32)

    # -- scoring ------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "starts_"):
            raise RuntimeError("OccupationLinker is not fitted; call fit() first")

    def signal_weights(self) -> dict[str, float]:
        """The weight of every signal :meth:`signals` returns."""
        w = self.weights
        out = {name: getattr(w, name) for name in LEXICAL_SIGNALS}
        for name, _, label_weight, description_weight in getattr(self, "encoders_", ()):
            out[f"embedding:{name}"] = w.embedding * label_weight
            out[f"description:{name}"] = w.description * description_weight
        return out

    def signals(self, titles: Sequence[str]) -> "SignalSet":
        """Raw per-signal scores of every reading of every title (see :func:`query_variants`)."""
        self._check_fitted()
        variants: list[str] = []
        owner: list[int] = []
        penalty: list[float] = []
        for i, title in enumerate(titles):
            for v, pen in query_variants(title, self.reduced_variant_penalty):
                variants.append(v)
                owner.append(i)
                penalty.append(pen)
        return SignalSet(self._signals_flat(variants), np.asarray(owner, dtype=np.int64),
                         np.asarray(penalty, dtype=np.float32), len(titles))

    def _signals_flat(self, titles: Sequence[str]) -> dict[str, np.ndarray]:
        an, w = self.analyzer_, self.weights
        n, n_occ = len(titles), len(self.esco_)
        out: dict[str, np.ndarray] = {}
        if w.exact:
            exact = np.zeros((n, n_occ), dtype=np.float32)
            for i, title in enumerate(titles):
                for table, key, key_weight in zip(self.exact_, an.keys(title), _KEY_WEIGHT):
                    for occ, kind_weight in table.get(key, {}).items():
                        exact[i, occ] = max(exact[i, occ], key_weight * kind_weight)
            out["exact"] = exact
        if w.char:
            q = self.char_vec_.transform([an.text(t) for t in titles])
            out["char"] = _max_by_group((q @ self.char_forms_).toarray(), self.starts_)
        if w.word:
            q = self.word_vec_.transform([" ".join(an.parts(t)) for t in titles])
            out["word"] = _max_by_group((q @ self.word_forms_).toarray(), self.starts_)
        if w.description_char:
            q = self.desc_vec_.transform([an.text(t) for t in titles])
            out["description_char"] = (q @ self.desc_char_).toarray()
        for name, encoder, _, _ in self.encoders_:
            if name in self.form_emb_ or name in self.desc_emb_:
                texts = [self._embed_text(t, self.text_form_[name]) for t in titles]
                emb = np.asarray(encoder.encode(texts), dtype=np.float32)
                if name in self.form_emb_:
                    out[f"embedding:{name}"] = _max_by_group(emb @ self.form_emb_[name].T, self.starts_)
                if name in self.desc_emb_:
                    out[f"description:{name}"] = emb @ self.desc_emb_[name].T
        # Query-independent, so it costs nothing to offer it always.
        out["prior"] = np.broadcast_to(self.prior_, (n, n_occ))
        return out

    def fuse(self, signal_set: "SignalSet", weights: dict[str, float] | None = None) -> np.ndarray:
        """Fused scores (titles x occupations); higher is better.

        Each reading of a title is fused on its own; the title keeps, per
        occupation, the best reading less that reading's penalty.
        """
        weights = self.signal_weights() if weights is None else weights
        fused = None
        for name, matrix in signal_set.signals.items():
            weight = weights.get(name, 0.0)
            if not weight:
                continue
            if name in ("exact", "prior"):
                term = weight * matrix
            else:
                term = weight * _standardise(np.asarray(matrix, dtype=np.float32))
            fused = term if fused is None else fused + term
        n_occ = len(self.esco_) if hasattr(self, "esco_") else next(iter(signal_set.signals.values())).shape[1]
        if fused is None:
            return np.zeros((signal_set.n_titles, n_occ), dtype=np.float32)
        fused = np.asarray(fused, dtype=np.float32)
        if len(signal_set.owner) == signal_set.n_titles:
            return fused
        out = np.full((signal_set.n_titles, fused.shape[1]), -np.inf, dtype=np.float32)
        np.maximum.at(out, signal_set.owner, fused - signal_set.penalty[:, None])
        return out

    def scores(self, titles: Sequence[str]) -> np.ndarray:
        """Fused scores, (len(titles), n_occupations); higher is better."""
        self._check_fitted()
        chunks = [self.fuse(self.signals(titles[i:i + self.batch_size]))
                  for i in range(0, len(titles), self.batch_size)]
        if not chunks:
            return np.zeros((0, len(self.esco_)), dtype=np.float32)
        return np.vstack(chunks)

    def confidence(self, fused: np.ndarray) -> np.ndarray:
        """Fused scores mapped monotonically into (0, 1) for people to read.

        The fused score is divided by the total weight of the fuzzy signals (a
        weighted mean z-score, comparable between configurations), then put
        through a logistic curve fitted on the ESCO hold-out to the chance that
        the top link is right (``benchmarks/esco_holdout.py --calibrate``).
        """
        total = sum(w for n, w in self.signal_weights().items() if n not in ("exact", "prior")) or 1.0
        return 1.0 / (1.0 + np.exp(-(np.asarray(fused) / total - _CONFIDENCE_MIDPOINT) / _CONFIDENCE_SCALE))

    def link(self, titles: Sequence[str], top: int = 10) -> list[list[tuple[str, str, float]]]:
        """For each title, the `top` best occupations as (uri, preferred label, score).

        The score is :meth:`confidence` of the fused score: comparable between
        titles, best first, in (0, 1).
        """
        if isinstance(titles, str):
            raise TypeError("link() takes a list of titles; use link_one() for one")
        if top < 1:
            raise ValueError("top must be at least 1")
        self._check_fitted()
        results: list[list[tuple[str, str, float]]] = []
        esco = self.esco_
        for start in range(0, len(titles), self.batch_size):
            batch = list(titles[start:start + self.batch_size])
            scores = self.fuse(self.signals(batch))
            k = min(top, scores.shape[1])
            best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            orders = np.array([cand[np.lexsort((cand, -row[cand]))] for row, cand in zip(scores, best)])
            conf = self.confidence(np.take_along_axis(scores, orders, axis=1))
            for order, row_conf in zip(orders, conf):
                results.append([(esco.uris[j], esco.labels[j], round(float(c), 4))
                                for j, c in zip(order, row_conf)])
        return results

    def _link_one_uncached(self, title: str, top: int) -> tuple[tuple[str, str, float], ...]:
        return tuple(self.link([title], top=top)[0])

    def link_one(self, title: str, top: int = 10) -> list[tuple[str, str, float]]:
        """One title, cached: scoring compares many experience titles with few places."""
        self._check_fitted()
        return list(self._link_one(title, top))


# Where the readable score passes 0.5 and how fast it rises, in weighted mean
# z-score units (fitted on the ESCO hold-out with the default configuration).
_CONFIDENCE_MIDPOINT = 4.9
_CONFIDENCE_SCALE = 1.5


@lru_cache(maxsize=2)
def get_linker(encoders="default") -> OccupationLinker:
    """A fitted linker with the given encoders (hashable), built once per process."""
    return OccupationLinker(encoders=encoders).fit()


# ---------------------------------------------------------------------------
# JSON Lines: titles in, linked occupations out
# ---------------------------------------------------------------------------


def link_titles_file(in_path: Path | str, out_path: Path | str, top: int = 10,
                     linker: OccupationLinker | None = None) -> tuple[int, int]:
    """Link one Dutch job title per line of `in_path`; write JSON Lines to `out_path`.

    Each output line is ``{"title": ..., "occupations": [{"uri", "label",
    "score"}, ...]}``, best first (the contract's "Occupation linking"). The
    title is the input line without its surrounding whitespace. Blank lines are
    skipped, not refused: a trailing empty line is common and has nothing to link,
    and every output line carries its own title. "-" reads standard input or
    writes standard output. Returns (lines written, blank lines skipped).
    """
    import sys

    if top < 1:
        raise ValueError("top must be at least 1")
    if str(in_path) == "-":
        lines = sys.stdin.read().splitlines()
    else:
        lines = Path(in_path).read_text(encoding="utf-8-sig").splitlines()
    titles = [line.strip() for line in lines if line.strip()]
    skipped = len(lines) - len(titles)
    linker = linker or get_linker()
    out = sys.stdout if str(out_path) == "-" else Path(out_path).open("w", encoding="utf-8")
    try:
        for start in range(0, len(titles), linker.batch_size):
            batch = titles[start:start + linker.batch_size]
            for title, links in zip(batch, linker.link(batch, top=top)):
                record = {"title": title,
                          "occupations": [{"uri": u, "label": lab, "score": sc} for u, lab, sc in links]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return len(titles), skipped


# ---------------------------------------------------------------------------
# Occupational proximity
# ---------------------------------------------------------------------------

PROXIMITY_SAME = 1.0
PROXIMITY_PARENT = 0.8  # one is the direct broader occupation of the other
PROXIMITY_ANCESTOR = 0.7  # further up or down the same branch
PROXIMITY_SIBLING = 0.6  # the same broader occupation
# The deepest ISCO-08 group both share: unit (4 digits), minor (3), sub-major (2).
PROXIMITY_ISCO = {4: 0.5, 3: 0.3, 2: 0.15}


@dataclass(frozen=True, eq=False)
class _Hierarchy:
    index: dict[str, int]
    codes: tuple[str, ...]  # ISCO code per entry (occupations first, then ISCO groups)
    parents: tuple[frozenset[int], ...]
    ancestors: tuple[frozenset[int], ...]


@lru_cache(maxsize=4)
def _hierarchy(esco: EscoOccupations) -> _Hierarchy:
    n = len(esco)
    ancestors: list[frozenset[int]] = []
    for i in range(n):
        seen: set[int] = set()
        stack = list(esco.parents[i])
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                stack.extend(esco.parents[p])
        ancestors.append(frozenset(seen))
    index = dict(esco.index)
    codes = list(esco.isco)
    parents = [frozenset(p) for p in esco.parents]
    for code in esco.isco_labels:
        index[ISCO_PREFIX + code] = len(codes)
        codes.append(code)
        parents.append(frozenset())
        ancestors.append(frozenset())
    return _Hierarchy(index, tuple(codes), tuple(parents), tuple(ancestors))


def _pair_proximity(h: _Hierarchy, a: int, b: int) -> float:
    if a == b:
        return PROXIMITY_SAME
    if a in h.parents[b] or b in h.parents[a]:
        return PROXIMITY_PARENT
    if a in h.ancestors[b] or b in h.ancestors[a]:
        return PROXIMITY_ANCESTOR
    if h.parents[a] & h.parents[b]:
        return PROXIMITY_SIBLING
    ca, cb = h.codes[a], h.codes[b]
    shared = 0
    for x, y in zip(ca, cb):
        if x != y:
            break
        shared += 1
    # An ISCO group shares at most its own depth with what lies inside it.
    return PROXIMITY_ISCO.get(min(shared, 4), 0.0)


def occupation_proximity(uri_a: str, uri_b: str, esco: EscoOccupations | None = None) -> float:
    """How close two ESCO occupations are, in [0, 1].

    1.0 the same occupation; 0.8 one is the direct broader occupation of the
    other, 0.7 further up the same branch; 0.6 siblings under one broader
    occupation; else by the deepest ISCO-08 group they share: 0.5 the unit
    group (4 digits), 0.3 the minor group (3), 0.15 the sub-major group (2);
    0.0 otherwise or when a URI is unknown. ISCO group URIs
    (``.../isco/C4322``) may stand for an occupation: they compare by code.
    """
    if uri_a == uri_b:
        return PROXIMITY_SAME
    h = _hierarchy(esco if esco is not None else load_esco())
    a, b = h.index.get(uri_a), h.index.get(uri_b)
    if a is None or b is None:
        return 0.0
    return _pair_proximity(h, a, b)


def proximity_matrix(uris_a: Sequence[str], uris_b: Sequence[str],
                     esco: EscoOccupations | None = None) -> np.ndarray:
    """``occupation_proximity`` for every pair: (len(uris_a), len(uris_b)) float32."""
    h = _hierarchy(esco if esco is not None else load_esco())
    ia = [h.index.get(u) for u in uris_a]
    ib = [h.index.get(u) for u in uris_b]
    out = np.zeros((len(ia), len(ib)), dtype=np.float32)
    for r, (ua, a) in enumerate(zip(uris_a, ia)):
        for c, (ub, b) in enumerate(zip(uris_b, ib)):
            if ua == ub:
                out[r, c] = PROXIMITY_SAME
            elif a is not None and b is not None:
                out[r, c] = _pair_proximity(h, a, b)
    return out
