"""How well a person can move from one ESCO occupation to another: the transfer score.

Each occupation is described several ways, all from ESCO itself: the skills it
needs (weighted by how specific each skill is, and smoothed by a latent
analysis so related skills count), the words and the meaning of those skills'
labels, its Dutch label and description, and its place in the ISCO groups with
their skill level. For a source occupation every one of these gives a
similarity to every other occupation; a logistic model over those
similarities, each also taken relative to the source's own spread (z-score)
and as a rank, gives the chance that the second occupation is a move people
make. The model's few weights are fitted by ``scripts/fit_transfer.py`` and
kept in ``models/transfer.json`` with its card ``models/transfer.md``.

Rows are computed on demand, one source occupation at a time (a few
milliseconds), and cached: a candidate has a handful of occupations, a place
one or a few.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.occupations.esco import EscoOccupations, load_esco
from matching.occupations.skills import EscoSkills, load_skills
from matching.portable import Portable

#: The similarities the model reads, in the order of its weights.
FEATURES = ("skills", "skills_latent", "skill_words", "skills_meaning", "text", "text_meaning",
            "isco1", "isco2", "isco3", "isco4", "level_gap")
#: Similarities that are also read relative to the source's row (z-score, log rank);
#: the ISCO indicators and the level gap are already on a fixed scale.
RELATIVE = FEATURES[:6]
VECTORS_FILE = "occupation_vectors.npz"
MODEL_FILE = "transfer.json"
LATENT_DIMS = 100
# Skills needed by more than about one occupation in ten are too common to name as
# what carries over (idf = ln((n+1)/(df+1)) + 1: 3.3 at one in ten).
SPECIFIC_IDF = 3.3

# ISCO-08 skill levels of the major groups (ILO): 1 elementary .. 4 professional.
# Managers span levels 3 and 4; armed forces are mixed.
_SKILL_LEVEL = {"1": 3.5, "2": 4.0, "3": 3.0, "4": 2.0, "5": 2.0, "6": 2.0, "7": 2.0, "8": 2.0,
                "9": 1.0, "0": 2.5}


def dequantise(q: np.ndarray) -> np.ndarray:
    """Unit vectors back from their int8 form (each row was scaled to +-127)."""
    return normalize(np.asarray(q, np.float32))


def quantise(vectors: np.ndarray) -> np.ndarray:
    v = normalize(np.asarray(vectors, np.float32))
    scale = np.maximum(np.abs(v).max(axis=1, keepdims=True), 1e-12) / 127.0
    return np.round(v / scale).astype(np.int8)


class OccupationSpace:
    """Every ESCO occupation described for the transfer features; built once per process.

    ``vectors``: the packaged sentence vectors of each occupation's text and skills
    (``data/esco/occupation_vectors.npz``, built by ``scripts/build_occupation_vectors.py``).
    """

    def __init__(self, esco: EscoOccupations, skills: EscoSkills, vectors: dict[str, np.ndarray]):
        if list(vectors["uris"]) != list(esco.uris):
            raise ValueError(f"{VECTORS_FILE}: built for another ESCO occupation list; "
                             "rebuild it with scripts/build_occupation_vectors.py")
        self.esco = esco
        self.skills = skills
        self.n = len(esco)
        weighted = sp.csr_matrix(skills.relations.multiply(skills.idf[None, :]))
        self.skill_matrix = normalize(weighted).astype(np.float32)
        latent = TruncatedSVD(LATENT_DIMS, random_state=0).fit_transform(self.skill_matrix)
        self._latent = normalize(latent).astype(np.float32)
        docs = [" ".join(skills.label_en[j] for j in skills.relations[i].indices) for i in range(self.n)]
        self._skill_words = TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32).fit_transform(docs)
        texts = [f"{esco.labels[i]}. {esco.descriptions[i]}" for i in range(self.n)]
        self._text = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                     dtype=np.float32).fit_transform(texts)
        self._text_meaning = dequantise(vectors["text"])
        self._skills_meaning = dequantise(vectors["skills"])
        isco = np.array([(c or "").ljust(4, "x")[:4] for c in esco.isco])
        self._isco = [np.array([c[:d] for c in isco]) for d in (1, 2, 3, 4)]
        self._level = np.array([_SKILL_LEVEL.get(c[:1], 2.0) for c in isco], np.float32)

    def features(self, a: int) -> np.ndarray:
        """(n, len(FEATURES)) similarities of occupation row ``a`` to every occupation."""
        cols = [
            _sparse_row(self.skill_matrix, a),
            self._latent @ self._latent[a],
            _sparse_row(self._skill_words, a),
            self._skills_meaning @ self._skills_meaning[a],
            _sparse_row(self._text, a),
            self._text_meaning @ self._text_meaning[a],
        ]
        cols += [(codes == codes[a]).astype(np.float32) for codes in self._isco]
        cols.append(np.abs(self._level - self._level[a]))
        return np.stack(cols, axis=1).astype(np.float32)


def _sparse_row(matrix: sp.csr_matrix, a: int) -> np.ndarray:
    # A sparse matrix times a dense vector costs one pass over its non-zeros; times
    # a sparse column it would cost several times that.
    return np.asarray(matrix @ matrix[a].toarray().ravel(), np.float32).ravel()


def design_matrix(raw: np.ndarray) -> np.ndarray:
    """The model's inputs from one source row of raw similarities: each raw value, and
    for the relative ones also its z-score within the row and log(1 + rank)."""
    cols = [raw]
    rel = raw[:, : len(RELATIVE)]
    mean, std = rel.mean(axis=0), rel.std(axis=0)
    cols.append((rel - mean) / np.maximum(std, 1e-9))
    ranks = np.argsort(np.argsort(-rel, axis=0, kind="stable"), axis=0, kind="stable")
    cols.append(np.log1p(ranks).astype(np.float32))
    return np.concatenate(cols, axis=1)


def design_names() -> list[str]:
    return list(FEATURES) + [f"{n}_z" for n in RELATIVE] + [f"{n}_logrank" for n in RELATIVE]


@dataclass(frozen=True)
class TransferWeights:
    """The fitted logistic model (``models/transfer.json``)."""

    coef: tuple[float, ...]
    intercept: float
    model_id: str

    @classmethod
    def load(cls, path: Path) -> "TransferWeights":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: the transfer model is missing; "
                                    "fit it with scripts/fit_transfer.py") from None
        names = data["inputs"]
        if names != design_names():
            raise ValueError(f"{path}: inputs {names} do not match this code's {design_names()}; "
                             "refit with scripts/fit_transfer.py")
        return cls(tuple(float(c) for c in data["coef"]), float(data["intercept"]), data["model_id"])


class TransferModel(Portable):
    """Transfer scores between ESCO occupations, one cached row per source occupation.

    ``row(uri)`` has one value per ESCO occupation row plus a trailing 0, so that
    code -1 (no occupation) gathers 0.
    """

    def __init__(self, space: OccupationSpace, weights: TransferWeights):
        self.space = space
        self.weights = weights
        self._coef = np.asarray(weights.coef, np.float32)
        self._rows: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self.weights.model_id

    def code(self, uri: str) -> int:
        return self.space.esco.index.get(uri, -1) if uri else -1

    def row_of(self, a: int) -> np.ndarray:
        if a < 0:
            return np.zeros(self.space.n + 1, np.float32)
        row = self._rows.get(a)
        if row is None:
            logits = design_matrix(self.space.features(a)) @ self._coef + self.weights.intercept
            row = np.zeros(self.space.n + 1, np.float32)
            row[:-1] = 1.0 / (1.0 + np.exp(-logits))
            # The same occupation is no move at all but certainly work the person knows.
            row[a] = 1.0
            with self._lock:
                self._rows[a] = row
        return row

    def row(self, uri: str) -> np.ndarray:
        return self.row_of(self.code(uri))

    def score(self, uri_a: str, uri_b: str) -> float:
        return float(self.row(uri_a)[self.code(uri_b)])

    def shared_skills(self, uri_a: str, uri_b: str, top: int = 3, dutch_only: bool = True) -> list[str]:
        """The most specific essential skills both occupations need, as a coach reads them."""
        a, b = self.code(uri_a), self.code(uri_b)
        if a < 0 or b < 0:
            return []
        return shared_skill_labels(self.space.skills, a, b, top, dutch_only)


def shared_skill_labels(skills: EscoSkills, a: int, b: int, top: int = 3, dutch_only: bool = True) -> list[str]:
    need_a, need_b = skills.needs(a), skills.needs(b)
    # A skill half of all work needs ("bedrijfsbeleid volgen") says nothing about this move.
    common = [j for j in need_b if j in need_a and (not dutch_only or skills.has_dutch(j))
              and skills.idf[j] >= SPECIFIC_IDF]
    # Essential on both sides first; what a person does before what they know (a coach
    # recognises "gasten verwelkomen" sooner than a body of law); short labels; then
    # the most specific.
    common.sort(key=lambda j: (-(need_a[j] * need_b[j]), bool(skills.is_knowledge[j]),
                               len(skills.label(j)) > 40, -skills.idf[j], skills.label(j)))
    return [skills.label(j) for j in common[:top]]


def load_vectors(data_dir: Path) -> dict[str, np.ndarray]:
    path = data_dir / "esco" / VECTORS_FILE
    try:
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: missing; build it with scripts/build_occupation_vectors.py") from None


@lru_cache(maxsize=2)
def _space(data_dir: Path) -> OccupationSpace:
    return OccupationSpace(load_esco(data_dir), load_skills(data_dir), load_vectors(data_dir))


@lru_cache(maxsize=2)
def _model(data_dir: Path, models_dir: Path) -> TransferModel:
    return TransferModel(_space(data_dir), TransferWeights.load(models_dir / MODEL_FILE))


def get_occupation_space(data_dir: Path | None = None) -> OccupationSpace:
    from matching.settings import get_settings

    return _space(Path(data_dir or get_settings().data_dir))


def get_transfer_model(data_dir: Path | None = None, models_dir: Path | None = None) -> TransferModel:
    """The packaged transfer model, built once per process."""
    from matching.settings import get_settings

    s = get_settings()
    return _model(Path(data_dir or s.data_dir), Path(models_dir or s.models_dir))
