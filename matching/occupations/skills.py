"""ESCO skills: what each occupation needs.

The data are two compact files in ``data/esco`` that
``scripts/build_esco_skills.py`` writes from the ESCO skills dump:
``skills.tsv.xz`` (one row per skill) and ``occupation_skills.tsv.xz`` (one row
per occupation-skill relation). :func:`load_skills` reads them once per process
into :class:`EscoSkills`: label tuples, and the relations as one sparse matrix
whose rows are aligned with :func:`~matching.occupations.esco.load_esco`.
"""

from __future__ import annotations

import csv
import lzma
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

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
