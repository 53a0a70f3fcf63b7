"""ESCO skills: the committed files, the loader, the build script and the free-text matcher."""

from __future__ import annotations

import csv
import importlib.util
import lzma
import re
from functools import lru_cache

import numpy as np
import pytest
from scipy import sparse

from matching.occupations import (
    ESSENTIAL_WEIGHT, OCCUPATION_PREFIX, OPTIONAL_WEIGHT, SKILL_PREFIX, EscoSkills, get_skill_matcher, load_esco,
    load_skills)
from matching.occupations.skills import OCCUPATION_SKILLS_FILE, SKILLS_FILE
from matching.settings import REPO_ROOT, get_settings

ESCO_DIR = get_settings().data_dir / "esco"
# The ESCO dump the build reads; a clean clone may not have it beside the repo.
SHARED_SOURCE = REPO_ROOT.parent / "shared" / "data" / "esco_skills"


@pytest.fixture(scope="module")
def esco():
    return load_esco()


@pytest.fixture(scope="module")
def skills() -> EscoSkills:
    return load_skills()


@pytest.fixture(scope="module")
def matcher():
    return get_skill_matcher()


@lru_cache(maxsize=1)
def _relation_rows() -> tuple[list[str], ...]:
    with lzma.open(ESCO_DIR / OCCUPATION_SKILLS_FILE, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        return tuple(reader)


def test_files_load(skills, esco):
    n = len(skills)
    assert n > 10_000
    assert all(k.startswith(SKILL_PREFIX) for k in skills.keys)
    assert len(set(skills.keys)) == n
    assert len(skills.label_en) == len(skills.label_nl) == len(skills.alt_en) == len(skills.is_knowledge) == n
    assert all(skills.label_en)
    assert sum(1 for label in skills.label_nl if label) > 5_000
    assert skills.is_knowledge.dtype == bool and 0 < skills.is_knowledge.sum() < n
    assert sparse.isspmatrix_csr(skills.relations)
    assert skills.relations.dtype == np.float32
    assert skills.relations.shape == (len(esco), n)
    assert skills.relations.nnz == len(_relation_rows())
    # Every skill kept is used by some occupation.
    assert np.all(np.bincount(skills.relations.indices, minlength=n) > 0)
    assert load_skills() is skills


def test_every_relation_belongs_to_a_known_occupation(esco):
    occupations = {row[0] for row in _relation_rows()}
    assert occupations
    unknown = [o for o in occupations if OCCUPATION_PREFIX + o not in esco.index]
    assert unknown == []


def test_essential_weighs_more_than_optional(skills, esco):
    assert ESSENTIAL_WEIGHT > OPTIONAL_WEIGHT > 0
    assert set(np.unique(skills.relations.data)) == {np.float32(OPTIONAL_WEIGHT), np.float32(ESSENTIAL_WEIGHT)}
    rows = _relation_rows()
    for code, weight in (("e", ESSENTIAL_WEIGHT), ("o", OPTIONAL_WEIGHT)):
        occupation, skill, _ = next(r for r in rows if r[2] == code)
        i, j = esco.index[OCCUPATION_PREFIX + occupation], skills.index[SKILL_PREFIX + skill]
        assert skills.relations[i, j] == pytest.approx(weight)


def test_idf_is_larger_for_rarer_skills(skills, esco):
    df = np.bincount(skills.relations.indices, minlength=len(skills))
    expected = np.log((len(esco) + 1) / (df + 1)) + 1
    np.testing.assert_allclose(skills.idf, expected, rtol=1e-6)
    assert skills.idf.dtype == np.float32
    order = np.argsort(df, kind="stable")
    rarer, commoner = order[0], order[-1]
    assert df[rarer] < df[commoner] and skills.idf[rarer] > skills.idf[commoner]
    # Strictly decreasing in df over the distinct df values.
    by_df = {int(d): float(v) for d, v in zip(df, skills.idf)}
    values = [by_df[d] for d in sorted(by_df)]
    assert all(a > b for a, b in zip(values, values[1:]))


def test_label_prefers_dutch(skills):
    dutch = next(j for j in range(len(skills)) if skills.label_nl[j])
    english_only = next(j for j in range(len(skills)) if not skills.label_nl[j])
    assert skills.has_dutch(dutch) and skills.label(dutch) == skills.label_nl[dutch] != skills.label_en[dutch]
    assert not skills.has_dutch(english_only) and skills.label(english_only) == skills.label_en[english_only]


def test_skills_of_orders_by_weight_times_idf(skills):
    row = int(np.argmax(np.diff(skills.relations.indptr)))
    columns = skills.skills_of(row)
    weights = skills.relations[row].toarray().ravel()
    assert sorted(columns.tolist()) == np.flatnonzero(weights).tolist()
    keys = weights[columns] * skills.idf[columns]
    assert np.all(np.diff(keys) <= 0)
    essential = skills.skills_of(row, essential_only=True)
    assert 0 < len(essential) < len(columns)
    assert np.all(weights[essential] == ESSENTIAL_WEIGHT)
    with pytest.raises(IndexError):
        skills.skills_of(skills.relations.shape[0])


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    if not SHARED_SOURCE.is_dir():
        pytest.skip(f"the ESCO skills dump is not at {SHARED_SOURCE}")
    spec = importlib.util.spec_from_file_location("build_esco_skills", REPO_ROOT / "scripts" / "build_esco_skills.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    outs = [tmp_path_factory.mktemp(f"build{i}") for i in range(2)]
    counts = [script.build(SHARED_SOURCE, out, log=lambda *_: None) for out in outs]
    return outs, counts


def test_build_is_deterministic(builds):
    (first, second), (counts, _) = builds
    for name in (SKILLS_FILE, OCCUPATION_SKILLS_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert counts["dropped_relations"] > 0
    assert counts["skills_bytes"] + counts["relations_bytes"] < 4_000_000


def test_committed_files_are_the_build(builds):
    (first, _), _ = builds
    for name in (SKILLS_FILE, OCCUPATION_SKILLS_FILE):
        assert (first / name).read_bytes() == (ESCO_DIR / name).read_bytes(), \
            f"{name} is stale: run python scripts/build_esco_skills.py"


# What a candidate may write, and what the best skill's label (Dutch or
# English) must say. Cases the threshold was chosen on.
SENSIBLE = [
    ("klantcontact", r"klant|customer|client"),
    ("boekhouden", r"boekhoud|bookkeep|accounting"),
    ("kassa", r"kassa|cash"),
    ("plannen", r"plan"),
    ("heftruck rijden", r"heftruck|forklift"),
]
NONSENSE = ["xyzzy", "blauw", "", "   "]


@pytest.mark.parametrize("text,pattern", SENSIBLE)
def test_matcher_finds_a_sensible_skill(matcher, skills, text, pattern):
    hits = matcher.match([text])[0]
    assert hits, text
    j, score = hits[0]
    assert re.search(pattern, f"{skills.label_nl[j]} / {skills.label_en[j]}".lower()), (text, skills.label(j))
    assert 0.0 < score <= 1.0


@pytest.mark.parametrize("text", NONSENSE)
def test_matcher_finds_nothing_for_nonsense(matcher, text):
    assert matcher.match([text]) == [[]]


def test_match_is_ordered_bounded_and_batched(matcher):
    texts = ["schoonmaken", "kassa", "xyzzy"]
    together = matcher.match(texts, top=5, min_score=0.0)
    assert [matcher.match([t], top=5, min_score=0.0)[0] for t in texts] == together
    for hits in together:
        assert len(hits) <= 5
        scores = [s for _, s in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
    assert matcher.match([]) == []
    assert get_skill_matcher() is matcher
