"""Occupation linking and proximity, on ESCO's own labels (no benchmark titles here)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from matching.occupations import (
    ISCO_PREFIX, OCCUPATION_PREFIX, PROXIMITY_ANCESTOR, PROXIMITY_ISCO, PROXIMITY_PARENT, PROXIMITY_SIBLING,
    DutchTitleAnalyzer, EscoOccupations, OccupationLinker, fold, link_titles_file, load_esco,
    occupation_proximity, proximity_matrix, query_variants)
from matching.occupations.analyzer import _analyzer_for

from tests.conftest import HashingEncoder


@pytest.fixture(scope="module")
def esco():
    return load_esco()


@pytest.fixture(scope="module")
def linker(esco):
    # Lexical evidence only: no model to load, fits in a second or two.
    return OccupationLinker(encoders=(), esco=esco, cache_dir=None).fit()


@pytest.fixture(scope="module")
def analyzer(esco) -> DutchTitleAnalyzer:
    return _analyzer_for(esco)


def _unambiguous_labels(esco, analyzer, kinds, n, seed):
    """Labels whose normalised phrase belongs to exactly one occupation."""
    owners: dict[str, set[int]] = {}
    for s in esco.surface:
        owners.setdefault(analyzer.text(s.text), set()).add(s.occupation)
    pool = [s for s in esco.surface if s.kind in kinds and len(owners[analyzer.text(s.text)]) == 1]
    return random.Random(seed).sample(pool, n)


def test_esco_loads(esco):
    assert len(esco) == 3039
    assert all(u.startswith(OCCUPATION_PREFIX) for u in esco.uris)
    assert all(len(code) == 4 and code.isdigit() for code in esco.isco)
    assert sum(1 for p in esco.parents if p) > 1000


def test_preferred_label_links_to_its_occupation(esco, analyzer, linker):
    sample = _unambiguous_labels(esco, analyzer, {"preferred"}, 60, seed=1)
    results = linker.link([s.text for s in sample], top=3)
    assert [r[0][0] for r in results] == [esco.uris[s.occupation] for s in sample]


def test_alternative_label_links_to_its_occupation(esco, analyzer, linker):
    sample = _unambiguous_labels(esco, analyzer, {"alternative", "hidden"}, 60, seed=2)
    results = linker.link([s.text for s in sample], top=3)
    assert [r[0][0] for r in results] == [esco.uris[s.occupation] for s in sample]


def test_spelling_gender_note_and_case_do_not_matter(esco, analyzer, linker):
    sample = _unambiguous_labels(esco, analyzer, {"preferred"}, 20, seed=3)
    plain = linker.link([s.text for s in sample], top=1)
    noisy = linker.link([f"  {s.text.upper()} (m/v) " for s in sample], top=1)
    assert [r[0][0] for r in noisy] == [r[0][0] for r in plain]


def test_results_are_valid_sorted_and_cut_at_top(esco, linker):
    titles = ["Medewerker klantenservice", "kok", "xyzzy", "Verkoopster bakkerij", "a"]
    for top in (1, 5, 12):
        results = linker.link(titles, top=top)
        assert len(results) == len(titles)
        for links in results:
            assert len(links) == top
            assert len({u for u, _, _ in links}) == top
            for uri, label, score in links:
                assert uri in esco.index
                assert label == esco.labels[esco.index[uri]]
                assert 0.0 <= score <= 1.0
            scores = [s for _, _, s in links]
            assert scores == sorted(scores, reverse=True)


def test_link_rejects_bad_arguments(linker):
    with pytest.raises(ValueError):
        linker.link(["kok"], top=0)
    with pytest.raises(TypeError):
        linker.link("kok")
    with pytest.raises(RuntimeError):
        OccupationLinker(encoders=()).link(["kok"])


def test_link_one_matches_link(linker):
    assert linker.link_one("Kapster", top=4) == linker.link(["Kapster"], top=4)[0]


def test_feminine_forms_become_the_masculine_esco_form(analyzer):
    pairs = {"medewerkster": "medewerker", "verkoopster": "verkoper", "kapster": "kapper",
             "directrice": "directeur", "lerares": "leraar", "assistente": "assistent",
             "gastvrouw": "gastheer", "secretaresse": "secretaris", "masseuse": "masseur",
             "coordinatrice": "coordinator"}
    for female, male in pairs.items():
        assert analyzer.canonical(female) == male
    # Inside an unseen compound, too.
    assert analyzer.canonical("fietsenwinkelmedewerkster").endswith("medewerker")
    # A word ESCO knows as it is stays as it is.
    assert analyzer.canonical("chauffeur") == "chauffeur"


def test_compounds_and_word_order(analyzer):
    assert analyzer.split("vrachtwagenchauffeur") == ("vrachtwagen", "chauffeur")
    assert analyzer.keys("medewerker klantenservice")[2] == analyzer.keys("Klantenservice-medewerkster")[2]
    assert analyzer.keys("magazijnmedewerker")[1] == analyzer.keys("magazijn medewerker")[1]


def test_fold_drops_gender_notes_and_levels():
    assert fold("Verzorgende IG (m/v/x)").split() == ["verzorgende", "ig"]
    assert fold("Monteur niveau 3").split() == ["monteur"]
    assert fold("Café-medewerker").split() == ["cafe-medewerker"]
    assert "3d" in fold("3D-ontwerper")


def test_query_variants():
    variants = dict(query_variants("kok/chef (restaurant)", 1.0))
    assert variants["kok/chef (restaurant)"] == 0.0
    assert variants["kok"] == 1.0 and variants["chef"] == 1.0
    assert dict(query_variants("kok (restaurant)", None)) == {"kok (restaurant)": 0.0}


def _small_esco(esco, n):
    """The first n occupations only, so a slow test encoder stays fast."""
    keep = [s for s in esco.surface if s.occupation < n]
    return EscoOccupations(esco.uris[:n], esco.labels[:n], esco.isco[:n], esco.descriptions[:n], tuple(keep),
                           tuple(tuple(p for p in ps if p < n) for ps in esco.parents[:n]), esco.isco_labels,
                           {u: i for i, u in enumerate(esco.uris[:n])})


def test_embedding_signal_goes_through_the_encoder(esco, tmp_path):
    small = _small_esco(esco, 40)
    linker = OccupationLinker(encoders=((HashingEncoder(), 2.0),), esco=small, cache_dir=tmp_path).fit()
    weights = linker.signal_weights()
    assert weights["embedding:test"] == 2.0 * linker.weights.embedding
    signals = linker.signals(["kok", "monteur"]).signals
    assert signals["embedding:test"].shape == (2, 40)
    # Every label of an occupation is a way in: its best-matching label counts.
    some = small.surface[5]
    assert linker.link([some.text], top=1)[0][0][0] == small.uris[some.occupation]
    # A second fit reads the label embeddings from the cache instead of the encoder.
    assert (tmp_path / "occupation-embeddings.sqlite").exists()

    class Refusing(HashingEncoder):
        def encode(self, texts, batch_size=64):
            raise AssertionError("should have come from the cache")

    again = OccupationLinker(encoders=((Refusing(), 1.0),), esco=small, cache_dir=tmp_path,
                             weights=linker.weights).fit()
    assert np.array_equal(again.form_emb_["test"], linker.form_emb_["test"])


# -- proximity ------------------------------------------------------------------


def _relations(esco):
    child = next(i for i, p in enumerate(esco.parents) if p and any(esco.parents[q] for q in p))
    parent = esco.parents[child][0]
    grandparent = next(g for q in esco.parents[child] for g in esco.parents[q])
    siblings = [i for i, p in enumerate(esco.parents) if parent in p and i != child]
    return child, parent, grandparent, siblings


def test_proximity_rules(esco):
    child, parent, grandparent, siblings = _relations(esco)
    u = esco.uris
    assert occupation_proximity(u[child], u[child]) == 1.0
    assert occupation_proximity(u[child], u[parent]) == PROXIMITY_PARENT
    assert occupation_proximity(u[parent], u[child]) == PROXIMITY_PARENT
    assert occupation_proximity(u[child], u[grandparent]) == PROXIMITY_ANCESTOR
    if siblings:
        assert occupation_proximity(u[child], u[siblings[0]]) == PROXIMITY_SIBLING

    def related(a, b):
        return (a in esco.parents[b] or b in esco.parents[a]
                or set(esco.parents[a]) & set(esco.parents[b]))

    isco = esco.isco
    by_depth = {}
    for a in range(0, len(esco), 7):
        for b in range(1, len(esco), 11):
            if a == b or related(a, b):
                continue
            shared = next((k for k in (4, 3, 2, 1, 0) if isco[a][:k] == isco[b][:k]), 0)
            by_depth.setdefault(shared, (a, b))
    assert {4, 3, 2} <= set(by_depth)
    for shared, (a, b) in by_depth.items():
        expected = PROXIMITY_ISCO.get(shared, 0.0)
        assert occupation_proximity(u[a], u[b]) == pytest.approx(expected), shared
    assert PROXIMITY_ISCO[4] > PROXIMITY_ISCO[3] > PROXIMITY_ISCO[2] > 0


def test_proximity_edge_cases(esco):
    u = esco.uris[0]
    assert occupation_proximity(u, "http://example.org/unknown") == 0.0
    assert occupation_proximity("http://example.org/x", "http://example.org/x") == 1.0
    assert occupation_proximity(u, ISCO_PREFIX + esco.isco[0]) == PROXIMITY_ISCO[4]


def test_proximity_matrix_matches_pairs(esco):
    rng = random.Random(4)
    child, parent, _, _ = _relations(esco)
    uris = [esco.uris[i] for i in rng.sample(range(len(esco)), 8)] + [esco.uris[child], esco.uris[parent]]
    m = proximity_matrix(uris, uris)
    assert m.shape == (10, 10) and m.dtype == np.float32
    assert np.allclose(m, m.T)
    assert np.all(np.diag(m) == 1.0)
    for i in range(10):
        for j in range(10):
            assert m[i, j] == pytest.approx(occupation_proximity(uris[i], uris[j]))


# -- the JSON Lines writer ------------------------------------------------------------


def test_link_titles_file(linker, esco, tmp_path):
    src = tmp_path / "titles.txt"
    src.write_text("\ufeffKok\n\n  Medewerker klantenservice  \n   \nvrachtwagenchauffeur\n", encoding="utf-8")
    out = tmp_path / "linked.jsonl"
    written, skipped = link_titles_file(src, out, top=3, linker=linker)
    assert (written, skipped) == (3, 2)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["title"] for r in records] == ["Kok", "Medewerker klantenservice", "vrachtwagenchauffeur"]
    for r in records:
        assert set(r) == {"title", "occupations"}
        assert len(r["occupations"]) == 3
        for occ in r["occupations"]:
            assert set(occ) == {"uri", "label", "score"}
            assert occ["uri"] in esco.index
        scores = [o["score"] for o in r["occupations"]]
        assert scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError):
        link_titles_file(src, out, top=0, linker=linker)
