"""Occupation linking: a Dutch job title -> ranked ESCO v1.2.0 occupations.

Everything here is built from ESCO's own data (labels, descriptions) and from
general Dutch morphology (:mod:`matching.occupations.analyzer`); no external
title list enters it. Three kinds of evidence are fused:

* exact lookup of a normalised title among ESCO's preferred, alternative and
  hidden labels (accents, punctuation, gender forms, "(m/v)", compound spelling
  and word order are normalised away);
* character n-gram and compound-part TF-IDF similarity to the labels, and
  character n-gram similarity to the descriptions;
* sentence-embedding similarity to the labels (the best-matching label of an
  occupation counts) and to the descriptions, through :mod:`matching.text`.

Each fuzzy signal is standardised per title and the signals are summed with
weights chosen on held-out ESCO labels (``benchmarks/esco_holdout.py``); an
exact hit lifts its occupations above every fuzzy one.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from matching.occupations.analyzer import _analyzer_for, fold, query_variants, title_variants
from matching.occupations.esco import ALTERNATIVE, HIDDEN, PREFERRED, VARIANT, EscoOccupations, load_esco
from matching.settings import get_settings
from matching.portable import Portable

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
# FALLBACK_ENCODERS: the weights were tuned for USE alone; the static encoder
# distilled from USE links the MELO dev half as well with them (acc@1 0.465 both,
# models/static-nl.md) at a fifth of the fitting time. Text forms: "parts" =
# normalised compound parts (USE's small vocabulary rarely holds a Dutch compound
# whole), "folded" = lowercased, accents and gender notes off (e5's subword
# vocabulary copes with compounds and does better on the words as written).
DEFAULT_ENCODERS = (("e5", 1.5, 1.0, "folded"), ("use", 1.5, 0.0, "parts"))
FALLBACK_ENCODERS = (("static", 1.0, 0.1, "parts"),)
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


class OccupationLinker(Portable):
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

    # Memos of bound methods do not pickle; a worker process fills its own.
    _memos = {"_link_one": ("_link_one_uncached", 4096)}

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
