from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.live.matcher import Matcher
from tests.conftest import HashingEncoder, make_candidate, make_placement
from tests.matching.constraints import oracle
from tests.matching.constraints.strategies import candidates, placement_sets
from tests.matching.constraints.test_constraints import TIGHTEN_ITEMS, tighten

ENC = HashingEncoder()
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fit(placements):
    return Matcher(encoder=ENC).fit(placements)


@PROPS
@given(candidates(), placement_sets(), st.integers(1, 12))
def test_never_suggests_an_exceeded_place_and_flags_every_edge(candidate, placements, top):
    result = fit(placements).suggest(candidate, top=top)
    by_id = {p.id: p for p in placements}
    feasible = [p for p in placements if oracle.suggestable(candidate, p)]
    assert len(result.suggestions) == min(top, len(feasible))
    for s in result.suggestions:
        expected = oracle.verdicts(candidate, by_id[s.placement_id])
        assert "exceed" not in expected.values()
        assert {i.item: i.verdict for i in s.items} == expected
        assert s.verdict == ("signal" if expected else "pass")
    assert [s.rank for s in result.suggestions] == list(range(1, len(result.suggestions) + 1))


@PROPS
@given(candidates(), placement_sets(), st.randoms(use_true_random=False))
def test_input_order_changes_nothing(candidate, placements, rnd):
    shuffled = list(placements)
    rnd.shuffle(shuffled)
    a = fit(placements).suggest(candidate, top=5, explain_excluded=3)
    b = fit(shuffled).suggest(candidate, top=5, explain_excluded=3)
    assert a == b


@PROPS
@given(candidates(), placement_sets(), st.sampled_from(TIGHTEN_ITEMS), st.data())
def test_tightening_never_adds_a_suggestion(candidate, placements, item, data):
    matcher = fit(placements)
    everything = len(placements)
    before = {s.placement_id for s in matcher.suggest(candidate, top=everything).suggestions}
    after = {s.placement_id for s in matcher.suggest(tighten(candidate, item, data), top=everything).suggestions}
    assert after <= before


def test_returns_top_even_when_limits_leave_few_places():
    # 300 places that all demand heavy lifting, 4 that do not: the 4 must come back.
    heavy = [make_placement(id=f"p-h{i:03d}", title="Magazijnmedewerker", demands={"IV.13": 0}) for i in range(300)]
    light = [make_placement(id=f"p-l{i}", title="Baliemedewerker", demands={"IV.13": 3}) for i in range(4)]
    c = make_candidate(capacity={"IV.13": 2})
    result = fit(heavy + light).suggest(c, top=10)
    assert sorted(s.placement_id for s in result.suggestions) == [f"p-l{i}" for i in range(4)]


def test_kind_filter_and_wishes_rank_wanted_kinds_first():
    places = [make_placement(id=f"p-{k}", kind=k) for k in ("vacature", "detachering", "werkervaringsplek")]
    c = make_candidate(wishes={"kinds": ["werkervaringsplek"], "hours_per_week": 24})
    result = fit(places).suggest(c, top=3)
    assert result.suggestions[0].placement_id == "p-werkervaringsplek"
    only = fit(places).suggest(c, top=3, kinds=["detachering"])
    assert [s.placement_id for s in only.suggestions] == ["p-detachering"]


def test_explain_excluded_lists_the_excluding_items_in_dutch():
    places = [make_placement(id="p-heavy", demands={"IV.13": 0}), make_placement(id="p-ok")]
    c = make_candidate(capacity={"IV.13": 2})
    result = fit(places).suggest(c, top=5, explain_excluded=5)
    assert [s.placement_id for s in result.suggestions] == ["p-ok"]
    [ex] = result.excluded
    assert ex.placement_id == "p-heavy"
    assert [(i.item, i.verdict) for i in ex.items] == [("IV.13", "exceed")]
    assert ex.items[0].reason.startswith("Tillen: kan ongeveer 5 kg")


def test_top_list_is_diverse_when_other_work_fits():
    same = [make_placement(id=f"p-s{i}", title="Receptiemedewerker") for i in range(8)]
    other = [make_placement(id=f"p-o{i}", title=t) for i, t in enumerate(["Gastheer", "Telefonist", "Kassamedewerker"])]
    c = make_candidate()
    titles = [s.placement_id for s in fit(same + other).suggest(c, top=5).suggestions]
    assert sum(t.startswith("p-s") for t in titles) < 5


def test_explanation_names_flagged_items_and_distance():
    c = make_candidate(capacity={"V.3": 1})
    p = make_placement(demands={"V.3": 1})
    [s] = fit([p]).suggest(c, top=1).suggestions
    assert s.verdict == "signal"
    assert "let op: staan" in s.explanation
    assert "reisafstand ongeveer" in s.explanation
    assert set(s.components) >= {"semantic", "skills", "wishes", "education", "distance"}
    assert all(0.0 <= v <= 1.0 for v in s.components.values())


def test_no_feasible_place_gives_an_empty_list():
    c = make_candidate(capacity={"IV.13": 3})
    result = fit([make_placement(demands={"IV.13": 1})]).suggest(c, top=5)
    assert result.suggestions == []


def test_top_must_be_positive():
    import pytest

    with pytest.raises(ValueError, match="top"):
        fit([make_placement()]).suggest(make_candidate(), top=0)


def test_order_of_many_equal_places_is_by_id():
    places = [make_placement(id=f"p-{i:03d}") for i in range(40)]
    random.Random(3).shuffle(places)
    ids = [s.placement_id for s in fit(places).suggest(make_candidate(), top=5).suggestions]
    assert ids == sorted(ids)


def test_upsert_makes_a_place_searchable_and_remove_drops_it():
    m = fit([make_placement(id="p-a")])
    c = make_candidate()
    m.upsert([make_placement(id="p-b", title="Gastvrouw")])
    assert {s.placement_id for s in m.suggest(c, top=5).suggestions} == {"p-a", "p-b"}
    m.upsert([make_placement(id="p-a", status="closed")])  # replacing by id
    assert [s.placement_id for s in m.suggest(c, top=5).suggestions] == ["p-b"]
    m.remove(["p-b"])
    assert m.suggest(c, top=5).suggestions == [] and "p-b" not in m and len(m) == 1


def test_removing_an_unknown_place_names_it():
    import pytest

    with pytest.raises(KeyError, match="p-zz"):
        fit([make_placement()]).remove(["p-zz"])


def test_upsert_into_an_empty_matcher():
    m = Matcher(encoder=ENC)
    m.upsert([make_placement(id="p-x")])
    assert [s.placement_id for s in m.suggest(make_candidate(), top=3).suggestions] == ["p-x"]


def _many(n: int):
    titles = ["Orderpicker", "Receptiemedewerker", "Administratief medewerker", "Schoonmaker", "Kok"]
    return [make_placement(id=f"p-{i:04d}", title=titles[i % 5], demands={"IV.13": i % 4},
                           location={"postcode": ["6511", "6525", "6541", "6601"][i % 4]}) for i in range(n)]


def test_large_feasible_sets_go_through_the_vector_index_and_still_fill_top():
    places = _many(600)  # a third allow IV.13 level 2 or 3: more than the shortlist size
    c = make_candidate(capacity={"IV.13": 2})
    result = Matcher(encoder=ENC, index_backend="flat").fit(places).suggest(c, top=25)
    assert len(result.suggestions) == 25
    by_id = {p.id: p for p in places}
    assert all(oracle.suggestable(c, by_id[s.placement_id]) for s in result.suggestions)


def test_faiss_and_brute_force_backends_agree():
    places = _many(600)
    c = make_candidate(capacity={"IV.13": 1})
    a = Matcher(encoder=ENC, index_backend="flat").fit(places).suggest(c, top=10)
    b = Matcher(encoder=ENC, index_backend="brute").fit(places).suggest(c, top=10)
    assert [s.placement_id for s in a.suggestions] == [s.placement_id for s in b.suggestions]
    assert [s.score for s in a.suggestions] == [s.score for s in b.suggestions]


def test_duplicate_ids_are_refused():
    import pytest

    with pytest.raises(ValueError, match="duplicate placement id 'p-1'"):
        fit([make_placement(), make_placement()])


def test_occupation_component_rewards_related_work_and_explains_it():
    # The default ranker links titles to ESCO occupations (the lexical linker).
    places = [make_placement(id="p-gast", title="Gastvrouw", description="Ontvangst."),
              make_placement(id="p-pick", title="Orderpicker", description="Ontvangst.")]
    c = make_candidate(experience=[{"title": "Gastvrouw vakantiepark", "years": 6}])
    [first, second] = Matcher(encoder=ENC).fit(places).suggest(c, top=2).suggestions
    assert first.placement_id == "p-gast"
    assert first.components["occupation"] == 1.0 and second.components["occupation"] < 0.5
    assert "sluit aan bij je ervaring als gastvrouw vakantiepark" in first.explanation.lower()
