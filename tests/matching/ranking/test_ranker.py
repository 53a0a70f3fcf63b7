"""The ranker: the only place a score is made, calibrated per encoder, lists that discriminate,
and nearest misses when too few places fit."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from matching.contract.models import Placement
from matching.live.matcher import Matcher
from matching.ranking import build_ranker
from matching.settings import get_settings
from matching.text import get_encoder
from matching.text.calibration import Calibration, Range, calibration_of
from tests.conftest import HashingEncoder, make_candidate, make_placement

ROOT = Path(__file__).resolve().parents[3]
# What makes a score: only matching/ranking/ may call these.
SCORING = re.compile(r"(?<![.\w])(combine|wishes_component|skills_component|education_component|distance_component|"
                     r"exact_cosine|diversify|SIMILARITY_RANGES)\(|\bexplanation\.render\(|\bcalibration\.apply\(")


def test_no_score_is_computed_outside_the_ranker():
    offenders = []
    for folder in ("matching", "service", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.parent.name == "ranking" or path.name == "calibration.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if SCORING.search(line) and not line.lstrip().startswith(("#", "def ")):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "scores computed outside matching/ranking:\n" + "\n".join(offenders)


def test_calibration_is_a_logistic_through_the_measured_range():
    cal = Calibration(profile=Range(0.2, 0.4), experience=Range(0.1, 0.5))
    low, mid, high = cal.apply([0.2, 0.3, 0.4])
    assert low == pytest.approx(0.1, abs=1e-6) and mid == pytest.approx(0.5) and high == pytest.approx(0.9, abs=1e-6)
    values = cal.apply(np.linspace(0.0, 0.6, 121))
    assert np.all(np.diff(values) >= 0) and 0.0 < values.min() and values.max() < 1.0
    with pytest.raises(ValueError, match="hi must exceed lo"):
        Range(0.5, 0.5)


def test_encoders_declare_their_measured_calibration():
    default = get_encoder("default")
    assert calibration_of(default).source == "measured"
    assert calibration_of(get_encoder("tfidf")).source == "measured"
    # An encoder nobody measured: the identity map, never another encoder's table.
    assert calibration_of(HashingEncoder()).source == "identity"
    # A hybrid mix nobody measured is derived from its parts.
    mix = get_encoder("hybrid:tfidf=0.5,use=0.5")
    assert mix.calibration.source == "derived"


def test_the_fingerprint_names_the_whole_configuration():
    settings = get_settings()
    a = build_ranker(settings, encoder=HashingEncoder()).fingerprint()
    assert {"encoder", "calibration", "weights", "occupations", "aspects", "format"} <= set(a)
    assert a["occupations"]["transfer"].startswith("transfer-lr-")
    heavier = settings.with_overrides(weights=settings.weights.__class__(semantic=0.5))
    assert build_ranker(heavier, encoder=HashingEncoder()).fingerprint() != a
    no_linker = settings.with_overrides(occupation_linker=False)
    assert build_ranker(no_linker, encoder=HashingEncoder()).fingerprint()["occupations"] is None


def test_text_and_occupation_components_vary_within_a_list_with_the_default_encoder():
    """Every text differs, so the text match must tell the places apart: no list sits at 0 or 1,
    and no list of related work has no occupational kinship at all."""
    from matching.demo import generate_placements, story_candidates

    places = [Placement.model_validate(p) for p in generate_placements(600, seed=7)]
    matcher = Matcher().fit(places)
    lists = 0
    for data in story_candidates():
        c = make_candidate(**{**data, "max_travel_km": 60})
        result = matcher.suggest(c, top=10)
        semantic = [s.components["semantic"] for s in result.suggestions]
        if len(semantic) < 3:
            continue
        lists += 1
        assert len(set(semantic)) > 1, (c.id, semantic)
        assert 0.0 < min(semantic) and max(semantic) < 1.0, (c.id, semantic)
        occupation = [s.components["occupation"] for s in result.suggestions]
        assert max(occupation) > 0.0, (c.id, occupation)
    assert lists >= 3


def test_a_short_list_carries_the_nearest_misses_with_their_reasons(encoder):
    places = [
        make_placement(id="p-far", location={"postcode": "1012"}),  # Amsterdam: far from Nijmegen
        make_placement(id="p-heavy", demands={"IV.13": 0}),
        make_placement(id="p-heavy-far", demands={"IV.13": 0}, location={"postcode": "9711"}),
        make_placement(id="p-closed", status="closed"),
    ]
    c = make_candidate(capacity={"IV.13": 2}, max_travel_km=25)
    result = Matcher(encoder=encoder).fit(places).suggest(c, top=5)
    assert result.feasible == 0 and result.suggestions == []
    ids = [e.placement_id for e in result.excluded]
    # One item against two; a closed place says nothing about the candidate.
    assert ids[-1] == "p-heavy-far" and set(ids) == {"p-far", "p-heavy", "p-heavy-far"}
    assert all(e.items and all(it.reason for it in e.items) for e in result.excluded)


def test_a_full_list_carries_no_misses_unless_asked(encoder):
    places = [make_placement(id=f"p-{i}") for i in range(6)]
    result = Matcher(encoder=encoder).fit(places).suggest(make_candidate(), top=5)
    assert result.feasible == 6 and result.excluded is None


def test_set_aside_places_leave_the_list_before_it_is_ranked(encoder):
    places = [make_placement(id=f"p-{i}", description=f"Werk {i} met gasten.") for i in range(8)]
    matcher = Matcher(encoder=encoder).fit(places)
    c = make_candidate()
    full = matcher.suggest(c, top=8).suggestions
    first = full[0].placement_id
    rest = matcher.suggest(c, top=7, exclude=[first]).suggestions
    assert [s.placement_id for s in rest] == [s.placement_id for s in full[1:]]
    assert [s.rank for s in rest] == list(range(1, 8))


@pytest.mark.parametrize("name", ["tfidf", "default", "classic"])
def test_a_candidate_gets_the_same_vectors_alone_or_in_a_batch(name):
    """Live embeds one candidate, the nightly run many: the vectors must be the same bits."""
    from matching.demo import generate_candidates
    from matching.contract import Candidate

    ranker = build_ranker(get_settings(), encoder=get_encoder(name))
    cands = [Candidate.model_validate(c) for c in generate_candidates(12, seed=5)]
    together = ranker.embed_candidates(cands)
    for c, v in zip(cands, together):
        alone = ranker.embed_candidate(c)
        assert np.array_equal(alone.query, v.query) and np.array_equal(alone.experiences, v.experiences)
    # Both parts of the default are sums over a text's own n-grams and pieces; USE is
    # dense arithmetic whose last bits follow the batch's shape.
    assert get_encoder("tfidf").batch_invariant and get_encoder("default").batch_invariant
    assert not get_encoder("classic").batch_invariant


def test_a_changed_encoder_changes_the_fingerprint_so_the_night_recomputes_everyone():
    settings = get_settings()
    default = build_ranker(settings).fingerprint()
    classic = build_ranker(settings.with_overrides(encoder="classic")).fingerprint()
    assert "static:static-nl:" in default["encoder"] and "usem3" in classic["encoder"]
    assert default["calibration"] != classic["calibration"]
    assert default != classic
