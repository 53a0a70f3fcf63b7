from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.constraints.engine import (
    EXCEED,
    PASS,
    SIGNAL,
    Columns,
    PlacementTable,
    Profile,
    evaluate,
)
from matching.constraints.reasons import explain_row
from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate
from tests.conftest import make_candidate, make_placement
from tests.matching.constraints import oracle
from tests.matching.constraints.strategies import candidates, placement_sets

FML = load_catalogue()
COLUMNS = Columns.from_catalogue(FML)
NAMES = {PASS: "pass", SIGNAL: "signal", EXCEED: "exceed"}


def run(candidate, placements):
    table = PlacementTable.from_placements(placements, COLUMNS)
    return evaluate(table, Profile.from_candidate(candidate, COLUMNS))


def engine_verdicts(ev, row: int) -> dict[str, str]:
    return {item: NAMES[int(ev.verdicts[k, row])] for k, item in enumerate(ev.items)
            if ev.verdicts[k, row] != PASS}


def one(candidate, placement, **kw):
    ev = run(candidate, [placement])
    return engine_verdicts(ev, 0), ev


# --- the verdict table, case by case ---------------------------------------

def test_lifting_above_capacity_excludes_with_dutch_reason():
    c = make_candidate(capacity={"IV.13": 2})
    p = make_placement(demands={"IV.13": 1})
    verdicts, ev = one(c, p)
    assert verdicts == {"IV.13": "exceed"}
    assert not ev.feasible[0]
    [item] = explain_row(ev, 0, c, p, 25)
    assert item.reason == "Tillen: kan ongeveer 5 kg (t/m 50×/u), het werk vraagt ongeveer 10 kg (t/m 10×/u)"
    assert (item.capacity, item.demand) == (2, 1)


def test_ord_on_the_edge_is_a_signal_and_stays_suggestable():
    c = make_candidate(capacity={"V.3": 1})
    verdicts, ev = one(c, make_placement(demands={"V.3": 1}))
    assert verdicts == {"V.3": "signal"} and ev.feasible[0]
    [item] = explain_row(ev, 0, c, make_placement(demands={"V.3": 1}), 25)
    assert "Staan" in item.reason and "op de grens" in item.reason


def test_ord_demand_absent_or_looser_passes():
    c = make_candidate(capacity={"V.3": 1})
    assert one(c, make_placement(demands={}))[0] == {}
    assert one(c, make_placement(demands={"V.3": 3}))[0] == {}


def test_norm_capacity_never_flags_even_a_norm_demand():
    c = make_candidate(capacity={"IV.13": 0})
    assert one(c, make_placement(demands={"IV.13": 0}))[0] == {}


def test_conditions_not_met_exclude_and_unstated_conditions_signal():
    c = make_candidate(capacity={"I.8": [4]})
    assert one(c, make_placement(demands={"I.8": [1, 3]}))[0] == {"I.8": "exceed"}
    assert one(c, make_placement(demands={"I.8": [1, 3, 4]}))[0] == {}
    verdicts, ev = one(c, make_placement(demands={}))
    assert verdicts == {"I.8": "signal"}
    [item] = explain_row(ev, 0, c, make_placement(demands={}), 25)
    assert "niet vermeld" in item.reason and "deadlines" in item.reason


def test_category_exposure_excludes():
    c = make_candidate(capacity={"III.1": [1]})
    assert one(c, make_placement(demands={"III.1": [1]}))[0] == {"III.1": "exceed"}
    assert one(c, make_placement(demands={"III.1": [2]}))[0] == {}


def test_binary_limit_with_aspect_is_a_signal_for_a_human_look():
    c = make_candidate(capacity={"III.6": 1})
    verdicts, ev = one(c, make_placement(demands={"III.6": True}))
    assert verdicts == {"III.6": "signal"} and ev.feasible[0]
    assert one(c, make_placement(demands={"III.6": False}))[0] == {}


def test_hours_limits():
    c = make_candidate(capacity={"VI.2": 3, "VI.3": 3})  # about 4 h/day, 20 h/week
    assert one(c, make_placement(hours_per_day=4, hours_per_week=20))[0] == {"VI.2": "signal", "VI.3": "signal"}
    assert one(c, make_placement(hours_per_day=6, hours_per_week=24))[0] == {"VI.2": "exceed", "VI.3": "exceed"}
    assert one(c, make_placement(hours_per_day=3, hours_per_week=12))[0] == {}


def test_hours_reason_names_the_numbers():
    c = make_candidate(capacity={"VI.3": 3})
    p = make_placement(hours_per_day=6, hours_per_week=24)
    _, ev = one(c, p)
    [item] = explain_row(ev, 0, c, p, 25)
    assert item.reason == "Uren per week: kan ongeveer 20 uur per week, het werk vraagt 24 uur"


def test_evening_and_night_limits():
    c = make_candidate(capacity={"VI.1": [2]})
    assert one(c, make_placement(night=True))[0] == {"VI.1": "exceed"}
    assert one(c, make_placement(evening=True))[0] == {}
    c = make_candidate(capacity={"VI.1": [1]})
    assert one(c, make_placement(evening=True))[0] == {"VI.1": "exceed"}


def test_travel_distance_exceed_and_edge():
    # 6511 (Nijmegen) to 6525 (Nijmegen-Heyendaal) is about 2.5 km; to 3511 (Utrecht) about 70 km.
    near = make_placement(location={"postcode": "6525"})
    far = make_placement(location={"postcode": "3511"})
    assert one(make_candidate(max_travel_km=25), near)[0] == {}
    assert one(make_candidate(max_travel_km=25), far)[0] == {"travel": "exceed"}
    _, ev = one(make_candidate(max_travel_km=25), far)
    d = float(ev.distance_km[0])
    edge = make_candidate(max_travel_km=round(d / 0.95, 1))
    assert one(edge, far)[0] == {"travel": "signal"}


def test_closed_filled_and_full_places_are_never_feasible():
    c = make_candidate()
    for p in (make_placement(status="closed"), make_placement(status="filled"), make_placement(positions=0)):
        ev = run(c, [p])
        assert not ev.feasible[0]
        assert [i.item for i in explain_row(ev, 0, c, p, 25)] == ["status"]


def test_default_max_travel_applies_when_candidate_gives_none():
    c = make_candidate(max_travel_km=None)
    far = make_placement(location={"postcode": "9711"})  # Groningen, far from Nijmegen
    assert one(c, far)[0] == {"travel": "exceed"}


# --- the engine agrees with the per-pair oracle ---------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates(), placement_sets())
def test_vectorised_engine_agrees_with_per_pair_reference(candidate, placements):
    ev = run(candidate, placements)
    for row, p in enumerate(placements):
        assert engine_verdicts(ev, row) == oracle.verdicts(candidate, p)
        assert bool(ev.feasible[row]) == oracle.suggestable(candidate, p)


# --- metamorphic: tightening never adds, loosening never removes -----------

def tighten(candidate: Candidate, item: str, data) -> Candidate:
    cap = dict(candidate.capacity)
    if item == "travel":
        return candidate.model_copy(update={"max_travel_km": (candidate.max_travel_km or 45) / 2})
    fml_item = FML[item]
    if fml_item.type == "ORD":
        cap[item] = min(fml_item.max_level, cap.get(item, 0) + 1)
    elif fml_item.type in ("CAT", "COND"):
        missing = [c for c in fml_item.codes if c not in cap.get(item, [])]
        if missing:
            cap[item] = sorted([*cap.get(item, []), data.draw(st.sampled_from(missing))])
    elif fml_item.type == "BIN":
        cap[item] = 1
    return Candidate.model_validate({**candidate.model_dump(), "capacity": cap})


TIGHTEN_ITEMS = ["IV.13", "V.3", "IV.16", "I.8", "II.12", "III.1", "IV.3", "III.6", "VI.1", "VI.2", "VI.3", "travel"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates(), placement_sets(), st.sampled_from(TIGHTEN_ITEMS), st.data())
def test_tightening_a_capacity_never_adds_a_feasible_place(candidate, placements, item, data):
    tight = tighten(candidate, item, data)
    before = run(candidate, placements).feasible
    after = run(tight, placements).feasible
    assert not np.any(after & ~before)
    # Read the other way round this is loosening: going from `tight` back to
    # `candidate` never removes a place.
    assert np.all(before[after])


def test_feasible_is_a_bool_mask_of_table_length():
    ev = run(make_candidate(), [make_placement(id=f"p-{i}") for i in range(5)])
    assert ev.feasible.dtype == bool and ev.feasible.shape == (5,)
