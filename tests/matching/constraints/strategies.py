"""Hypothesis strategies for random but valid contract-v1 candidates and places."""

from __future__ import annotations

from hypothesis import strategies as st

from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate, Placement

FML = load_catalogue()
# A handful of postcodes spread over the country, a few close together, so that
# travel verdicts of every kind occur.
POSTCODES = ["6511", "6512", "6525", "6541", "6601", "6811", "7001", "3511", "1012", "5611", "9711"]
WORK_TIME = {"VI.1", "VI.2", "VI.3"}


def _item_value(item_id: str, for_demand: bool):
    item = FML[item_id]
    codes = list(item.codes)
    if item.type == "ORD":
        return st.integers(0, item.max_level)
    if item.type in ("CAT", "COND"):
        return st.lists(st.sampled_from(codes), unique=True, max_size=min(3, len(codes)),
                        min_size=0 if not for_demand else 0).map(sorted)
    if item.type == "BIN":
        return st.booleans() if for_demand else st.integers(0, 1)
    return st.sampled_from([0, *codes])


# Items most places and candidates mention, so random pairs collide often.
COMMON = ["IV.13", "IV.16", "V.3", "V.2", "IV.20", "I.8", "II.12", "III.1", "III.6", "IV.3", "IV.18", "I.1"]


@st.composite
def capacities(draw):
    ids = draw(st.lists(st.sampled_from(COMMON + ["II.2", "III.5", "V.7", "IV.1"]), unique=True, max_size=7))
    cap = {i: draw(_item_value(i, False)) for i in ids}
    if draw(st.booleans()):
        cap["VI.2"] = draw(st.integers(0, 4))
        cap["VI.3"] = draw(st.integers(0, 4))
    if draw(st.booleans()):
        cap["VI.1"] = draw(st.lists(st.sampled_from([1, 2]), unique=True).map(sorted))
    return cap


@st.composite
def candidates(draw, cid: str = "c-h"):
    return Candidate.model_validate({
        "id": cid,
        "home": {"postcode": draw(st.sampled_from(POSTCODES))},
        "max_travel_km": draw(st.sampled_from([5, 10, 20, 40, 80, 150])),
        "capacity": draw(capacities()),
        "education": {"level": draw(st.sampled_from(["vmbo", "mbo-2", "mbo-4", "hbo"]))},
        "experience": [{"title": draw(st.sampled_from(["Orderpicker", "Receptiemedewerker", "Verzorgende"]))}],
        "skills": draw(st.lists(st.sampled_from(["klantcontact", "heftruck", "excel"]), unique=True)),
        "wishes": {"kinds": draw(st.lists(st.sampled_from(["vacature", "detachering", "werkervaringsplek"]),
                                          unique=True)),
                   "hours_per_week": draw(st.sampled_from([None, 16, 24, 32]))},
    })


@st.composite
def placements(draw, pid: str = "p-h"):
    ids = draw(st.lists(st.sampled_from(COMMON + ["III.5", "V.7", "II.2"]), unique=True, max_size=8))
    day = draw(st.sampled_from([2, 4, 6, 8, 9]))
    week = draw(st.sampled_from([w for w in (8, 10, 16, 20, 24, 30, 32, 36, 40) if day <= w <= 7 * day]))
    return Placement.model_validate({
        "id": pid,
        "employer_id": "e-h",
        "kind": draw(st.sampled_from(["vacature", "detachering", "werkervaringsplek"])),
        "title": draw(st.sampled_from(["Orderpicker", "Receptiemedewerker", "Administratief medewerker"])),
        "location": {"postcode": draw(st.sampled_from(POSTCODES))},
        "hours_per_week": week,
        "hours_per_day": day,
        "evening": draw(st.booleans()),
        "night": draw(st.booleans()),
        "demands": {i: draw(_item_value(i, True)) for i in ids},
        "positions": draw(st.sampled_from([0, 1, 1, 1, 2])),
        "status": draw(st.sampled_from(["open", "open", "open", "closed", "filled"])),
    })


@st.composite
def placement_sets(draw, min_size: int = 1, max_size: int = 25):
    n = draw(st.integers(min_size, max_size))
    return [draw(placements(pid=f"p-{i:03d}")) for i in range(n)]
