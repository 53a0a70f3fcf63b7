"""ESCO skills: what each occupation needs, and Dutch free text read as ESCO skills.

The data are two compact files in ``data/esco`` that
``scripts/build_esco_skills.py`` writes from the ESCO skills dump:
``skills.tsv.xz`` (one row per skill) and ``occupation_skills.tsv.xz`` (one row
per occupation-skill relation). :func:`load_skills` reads them once per process
into :class:`EscoSkills`: label tuples, and the relations as one sparse matrix
whose rows are aligned with :func:`~matching.occupations.esco.load_esco`.

:class:`SkillMatcher` maps a candidate's own words for a skill ("klantcontact",
"heftruck rijden") to ESCO skills by character n-gram TF-IDF over the skills'
labels.
"""

from __future__ import annotations

import csv
import lzma
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse

from matching.occupations.analyzer import DutchTitleAnalyzer, raw_tokens
from matching.occupations.esco import OCCUPATION_PREFIX, EscoOccupations, load_esco
from matching.settings import get_settings

SKILL_PREFIX = "http://data.europa.eu/esco/skill/"

SKILLS_FILE = "skills.tsv.xz"
OCCUPATION_SKILLS_FILE = "occupation_skills.tsv.xz"
SKILLS_HEADER = ("key", "type", "reuse", "label_en", "label_nl", "alt_en")
RELATIONS_HEADER = ("occupation", "skill", "relation")

# Relation weights in `EscoSkills.relations`: an essential skill is what the
# occupation cannot do without, an optional one only helps.
ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5
_RELATION_WEIGHTS = {"e": ESSENTIAL_WEIGHT, "o": OPTIONAL_WEIGHT}


@dataclass(frozen=True, eq=False)
class EscoSkills:
    """The ESCO skills that occupations use, and which occupation uses which.

    Columns (skills) are in the order of ``keys``; rows of ``relations`` are the
    rows of :func:`load_esco` (the occupations it was read with).
    """

    keys: tuple[str, ...]
    label_en: tuple[str, ...]
    # Dutch preferred label, "" where ESCO's Dutch labels at hand have none.
    label_nl: tuple[str, ...]
    alt_en: tuple[tuple[str, ...], ...]
    reuse_level: tuple[str, ...]
    is_knowledge: np.ndarray
    # float32 (n_occupations, n_skills): ESSENTIAL_WEIGHT, OPTIONAL_WEIGHT or 0.
    relations: sparse.csr_matrix
    # float32 per skill: log((n_occupations + 1) / (df + 1)) + 1, df = the
    # number of occupations with the skill; rare skills tell occupations apart.
    idf: np.ndarray
    index: dict[str, int] = field(repr=False)

    def __len__(self) -> int:
        return len(self.keys)

    def label(self, j: int) -> str:
        """The Dutch label where there is one (a coach reads Dutch), else the English."""
        return self.label_nl[j] or self.label_en[j]

    def has_dutch(self, j: int) -> bool:
        return bool(self.label_nl[j])

    def needs(self, occupation_row: int) -> dict[int, float]:
        """Skill column -> weight for one occupation (read from the CSR arrays directly:
        scipy's row indexing costs tens of microseconds, and explanations ask often)."""
        start, end = self.relations.indptr[occupation_row], self.relations.indptr[occupation_row + 1]
        return dict(zip(self.relations.indices[start:end].tolist(), self.relations.data[start:end].tolist()))

    def skills_of(self, occupation_row: int, essential_only: bool = False) -> np.ndarray:
        """Skill columns of one occupation, most telling first (weight x idf, descending)."""
        n_rows = self.relations.shape[0]
        if not 0 <= occupation_row < n_rows:
            raise IndexError(f"occupation row {occupation_row} out of range 0..{n_rows - 1}")
        start, end = self.relations.indptr[occupation_row], self.relations.indptr[occupation_row + 1]
        columns = self.relations.indices[start:end]
        weights = self.relations.data[start:end]
        if essential_only:
            keep = weights >= ESSENTIAL_WEIGHT
            columns, weights = columns[keep], weights[keep]
        # The column breaks ties so the order never depends on the storage order.
        order = np.lexsort((columns, -(weights * self.idf[columns])))
        return columns[order].astype(np.int64)


def _read_tsv(path: Path, header: tuple[str, ...]) -> list[list[str]]:
    with lzma.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        found = tuple(next(reader, ()))
        if found != header:
            raise ValueError(f"{path}: expected columns {header}, found {found}; "
                             f"rebuild with scripts/build_esco_skills.py")
        return list(reader)


def read_skills(esco_dir: Path, esco: EscoOccupations) -> EscoSkills:
    """Read the skill files in `esco_dir`, rows aligned with the occupations `esco`."""
    esco_dir = Path(esco_dir)
    rows = _read_tsv(esco_dir / SKILLS_FILE, SKILLS_HEADER)
    keys = tuple(SKILL_PREFIX + r[0] for r in rows)
    index = {k: j for j, k in enumerate(keys)}
    by_tail = {r[0]: j for j, r in enumerate(rows)}

    relation_rows = _read_tsv(esco_dir / OCCUPATION_SKILLS_FILE, RELATIONS_HEADER)
    n = len(relation_rows)
    occ = np.empty(n, dtype=np.int32)
    col = np.empty(n, dtype=np.int32)
    weight = np.empty(n, dtype=np.float32)
    for i, (occupation, skill, relation) in enumerate(relation_rows):
        row = esco.index.get(OCCUPATION_PREFIX + occupation)
        if row is None:
            # The build keeps only known occupations: the two files disagree.
            raise ValueError(f"{OCCUPATION_SKILLS_FILE}: occupation {occupation} is not in the ESCO "
                             f"occupations; rebuild with scripts/build_esco_skills.py")
        occ[i], col[i], weight[i] = row, by_tail[skill], _RELATION_WEIGHTS[relation]
    relations = sparse.csr_matrix((weight, (occ, col)), shape=(len(esco), len(keys)), dtype=np.float32)
    if relations.nnz != n:
        raise ValueError(f"{OCCUPATION_SKILLS_FILE}: an occupation-skill pair is listed twice")
    relations.sort_indices()

    df = np.bincount(col, minlength=len(keys))
    idf = (np.log((len(esco) + 1) / (df + 1)) + 1).astype(np.float32)
    return EscoSkills(
        keys=keys,
        label_en=tuple(r[3] for r in rows),
        label_nl=tuple(r[4] for r in rows),
        alt_en=tuple(tuple(r[5].split("|")) if r[5] else () for r in rows),
        reuse_level=tuple(r[2] for r in rows),
        is_knowledge=np.array([r[1] == "knowledge" for r in rows], dtype=bool),
        relations=relations,
        idf=idf,
        index=index,
    )


@lru_cache(maxsize=4)
def _load_skills(data_dir: Path) -> EscoSkills:
    return read_skills(data_dir / "esco", load_esco(data_dir))


def load_skills(data_dir: Path | None = None) -> EscoSkills:
    """ESCO skills from ``<data_dir>/esco``, read once per process."""
    data_dir = Path(data_dir or get_settings().data_dir)
    return _load_skills(data_dir)


# ---------------------------------------------------------------------------
# Free text -> ESCO skills
# ---------------------------------------------------------------------------

# Chosen on hand-picked words (the cases in tests/matching/occupations/test_skills.py):
# everyday Dutch skill words ("kassa", "plannen", "heftruck rijden",
# "klantcontact" read as "klant contact") reach 0.5 with the skill they name,
# while nonsense ("xyzzy" ~ "fizzy wines": 0.47) and plain words that only begin
# a compound ("blauw" ~ "blauwdruk": 0.46) stay below it. The margins are a few
# hundredths either way: a lower threshold buys recall with false skills.
DEFAULT_MIN_SCORE = 0.5


def _normalise(text: str) -> str:
    # Lowercase and accents off: "café" and "cafe" are one surface form.
    text = text.lower().replace("’", "'")
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text


class SkillMatcher:
    """Maps free-text (Dutch) skill words to ESCO skill columns.

    Estimator-style: configure in the constructor, build the label index with
    :meth:`fit`, then :meth:`match`. Every skill is known by its surface forms:
    the Dutch label where there is one, and the English label and alternative
    labels (English words are common in Dutch work: "Excel", "forklift", and
    ESCO has Dutch labels for only some of its skills). A text's score for a
    skill is the cosine of the character n-gram TF-IDF vectors of the text and
    the skill's best surface form.

    Dutch writes as one word what a label writes as a phrase ("klantcontact",
    "contact met klanten"), so a text with a compound is also read with the
    compound split into known Dutch words ("klant contact"), and the better
    reading counts.

    skills: the ESCO skills (default: :func:`load_skills`).
    esco: the occupations whose Dutch labels and descriptions, with the Dutch
        skill labels, give the words compounds are split into (default:
        :func:`load_esco`).
    min_score: the default threshold of :meth:`match`.
    char_ngrams: the character n-gram range (within word boundaries).
    english: whether English labels count as surface forms.
    compounds: whether texts are also read with their compounds split.
    """

    def __init__(self, skills: EscoSkills | None = None, esco: EscoOccupations | None = None,
                 min_score: float = DEFAULT_MIN_SCORE, char_ngrams: tuple[int, int] = (3, 5),
                 english: bool = True, compounds: bool = True, batch_size: int = 32):
        self.skills = skills
        self.esco = esco
        self.min_score = min_score
        self.char_ngrams = char_ngrams
        self.english = english
        self.compounds = compounds
        # Texts scored at once; each batch holds a dense (readings x surface forms) block.
        self.batch_size = batch_size

    def fit(self, X=None, y=None) -> "SkillMatcher":
        """Build the label index from the skills alone; X and y are ignored."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        skills = self.skills if self.skills is not None else load_skills()
        self.skills_ = skills
        form_skill: list[int] = []
        form_text: list[str] = []
        form_dutch: list[bool] = []
        for j in range(len(skills)):
            seen: set[str] = set()
            candidates = [(skills.label_nl[j], True)]
            if self.english or not skills.label_nl[j]:
                # Without English forms a skill with no Dutch label still needs a name.
                candidates.append((skills.label_en[j], False))
            if self.english:
                candidates.extend((alt, False) for alt in skills.alt_en[j])
            for text, dutch in candidates:
                key = _normalise(text).strip()
                if key and key not in seen:
                    seen.add(key)
                    form_skill.append(j)
                    form_text.append(text)
                    form_dutch.append(dutch)
        # Forms are grouped by skill (built in column order), so the best form of
        # every skill is one reduceat over contiguous runs.
        self.form_skill_ = np.array(form_skill, dtype=np.int64)
        self.form_text_ = form_text
        self.form_dutch_ = np.array(form_dutch, dtype=bool)
        if not np.array_equal(np.unique(self.form_skill_), np.arange(len(skills))):
            raise ValueError("every skill needs at least one label")
        self.starts_ = np.flatnonzero(np.r_[True, self.form_skill_[1:] != self.form_skill_[:-1]])
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams,
                                           sublinear_tf=True, preprocessor=_normalise, dtype=np.float32)
        self.forms_t_ = self.vectorizer_.fit_transform(form_text).T.tocsr()

        self.analyzer_ = None
        if self.compounds:
            esco = self.esco if self.esco is not None else load_esco()
            self.analyzer_ = DutchTitleAnalyzer(
                [s.text for s in esco.surface] + [label for label in skills.label_nl if label],
                esco.descriptions)
        return self

    def readings(self, text: str) -> list[str]:
        """The text, and the text with its compounds split if that differs."""
        if self.analyzer_ is None or not text.strip():
            return [text]
        tokens = raw_tokens(text)
        parts = [part for token in tokens for part in self.analyzer_.split(token)]
        return [text, " ".join(parts)] if parts != tokens else [text]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Dense (len(texts), n_skills) float32: each text's score for every skill."""
        if not hasattr(self, "forms_t_"):
            raise RuntimeError("SkillMatcher is not fitted; call fit() first")
        texts = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(texts), len(self.skills_)), dtype=np.float32)
        for lo in range(0, len(texts), self.batch_size):
            readings: list[str] = []
            first: list[int] = []
            for text in texts[lo:lo + self.batch_size]:
                first.append(len(readings))
                readings.extend(self.readings(text))
            by_form = (self.vectorizer_.transform(readings) @ self.forms_t_).toarray()
            by_skill = np.maximum.reduceat(by_form, self.starts_, axis=1)
            # A text's readings are contiguous rows: keep the best reading per skill.
            out[lo:lo + len(first)] = np.maximum.reduceat(by_skill, first, axis=0)
        # Cosines of non-negative unit vectors; clip float error at the ends.
        return np.clip(out, 0.0, 1.0, out=out)

    def match(self, texts: Sequence[str], top: int = 3,
              min_score: float | None = None) -> list[list[tuple[int, float]]]:
        """For each text, up to `top` ``(skill column, score)`` pairs, best first.

        Only skills scoring at least `min_score` (default: the constructor's)
        are kept, so a word that names no skill gets an empty list.
        """
        threshold = self.min_score if min_score is None else min_score
        scores = self.scores(texts)
        results: list[list[tuple[int, float]]] = []
        for row in scores:
            hits = np.flatnonzero(row >= threshold)
            # Highest score first; the lower column breaks ties (a stable order).
            hits = hits[np.lexsort((hits, -row[hits]))][:top]
            results.append([(int(j), float(row[j])) for j in hits])
        return results


@lru_cache(maxsize=2)
def _get_skill_matcher(data_dir: Path) -> SkillMatcher:
    return SkillMatcher(load_skills(data_dir), esco=load_esco(data_dir)).fit()


def get_skill_matcher(data_dir: Path | None = None) -> SkillMatcher:
    """A fitted :class:`SkillMatcher` over :func:`load_skills`, built once per process."""
    return _get_skill_matcher(Path(data_dir or get_settings().data_dir))
