"""Place names: one place, or a refusal that names the choices; never a silent guess."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from matching.contract.models import STORED, Location, ResolvedLocation, describe_errors
from matching.reference.distance import haversine_km
from matching.reference.geo import AmbiguousPlace, UnknownPlace, load_gazetteer


@pytest.mark.parametrize("name,choices", [
    ("Bergen", ["Bergen (Noord-Holland)", "Bergen (Limburg)"]),
    ("Hengelo", ["Hengelo (Overijssel)", "Hengelo (Gelderland)"]),
])
def test_an_ambiguous_name_is_refused_with_the_choices(name, choices):
    with pytest.raises(AmbiguousPlace) as err:
        load_gazetteer().resolve(name)
    assert err.value.choices == choices
    assert str(err.value) == f"{name!r} is ambiguous: {', '.join(choices)}; give a postcode or the province"


@pytest.mark.parametrize("typed,province,municipality", [
    ("Bergen (L)", "Limburg", "Bergen"),
    ("Bergen, Limburg", "Limburg", "Bergen"),
    ("Bergen L", "Limburg", "Bergen"),
    ("Bergen (NH)", "Noord-Holland", "Bergen"),
    ("bergen, noord-holland", "Noord-Holland", "Bergen"),
    ("Hengelo (Gld)", "Gelderland", "Bronckhorst"),
    ("Hengelo, Gelderland", "Gelderland", "Bronckhorst"),
    ("Hengelo, Bronckhorst", "Gelderland", "Bronckhorst"),
    ("Hengelo (Ov)", "Overijssel", "Hengelo"),
])
def test_a_name_with_its_province_or_municipality_is_understood(typed, province, municipality):
    loc = load_gazetteer().resolve(typed)
    assert (loc.province, loc.municipality) == (province, municipality)


def test_the_two_bergens_are_far_apart_and_each_lies_in_its_province():
    gaz = load_gazetteer()
    nh, li = gaz.resolve("Bergen (NH)"), gaz.resolve("Bergen (L)")
    assert float(haversine_km(*nh.coords, *li.coords)) > 140
    assert nh.coords[0] > 52.5 and li.coords[1] > 5.9


@pytest.mark.parametrize("name", ["Utrecht", "Amsterdam", "Rotterdam", "Den Haag", "Groningen", "Zwolle", "Emmen",
                                  "Nijmegen", "Maastricht", "Almere", "Ouddorp", "Den Bosch"])
def test_a_hamlet_sharing_a_towns_name_does_not_make_it_ambiguous(name):
    loc = load_gazetteer().resolve(name)
    assert loc.province and loc.place


def test_a_province_that_has_no_such_place_is_refused_with_the_ones_that_exist():
    with pytest.raises(UnknownPlace, match=r"no Bergen in 'Zeeland'; known are Bergen \(Noord-Holland\), Bergen"):
        load_gazetteer().resolve("Bergen (Zeeland)")
    with pytest.raises(UnknownPlace, match="unknown place 'Atlantis'"):
        load_gazetteer().resolve("Atlantis")


def test_the_location_model_names_the_field_and_the_choices():
    with pytest.raises(ValidationError) as err:
        Location.model_validate({"place": "Bergen"})
    assert describe_errors(err.value) == [
        "place: 'Bergen' is ambiguous: Bergen (Noord-Holland), Bergen (Limburg); give a postcode or the province"]


def test_a_resolved_location_says_where_it_lies():
    by_postcode = ResolvedLocation.of(Location(postcode="3523"))
    assert by_postcode.model_dump(exclude_none=True) == {
        "place": "Utrecht", "municipality": "Utrecht", "province": "Utrecht", "label": "Utrecht (Utrecht)"}
    assert ResolvedLocation.of(Location(place="Hengelo (Gld)")).label == "Hengelo (gemeente Bronckhorst, Gelderland)"
    near = ResolvedLocation.of(Location(lat=52.07, lon=5.12))
    assert near.place == "Utrecht"


def test_a_stored_location_that_no_longer_resolves_is_kept_with_its_problem():
    loc = Location.model_validate({"place": "Bergen"}, context=STORED)
    assert loc.locality is None and all(math.isnan(x) for x in loc.coords)  # it fits no place
    assert loc.problem.startswith("place: 'Bergen' is ambiguous")
    assert ResolvedLocation.of(loc).problem == loc.problem
    # New input is refused all the same; only what was stored is kept.
    with pytest.raises(ValidationError):
        Location.model_validate({"place": "Bergen"})


def test_a_stored_place_whose_location_no_longer_resolves_is_never_suggested():
    from matching.constraints.reference import judge
    from matching.contract.models import Candidate, Placement
    from matching.live.matcher import Matcher
    from tests.conftest import HashingEncoder, candidate_json, placement_json

    lost = Placement.model_validate(placement_json(id="p-lost", location={"place": "Hengelo"}), context=STORED)
    kept = Placement.model_validate(placement_json(id="p-kept", location={"postcode": "7551"}))
    candidate = Candidate.model_validate(candidate_json(home={"postcode": "7552"}))
    result = Matcher(encoder=HashingEncoder()).fit([lost, kept]).suggest(candidate, top=5, explain_excluded=5)
    assert [s.placement_id for s in result.suggestions] == ["p-kept"]
    [miss] = [e for e in result.excluded if e.placement_id == "p-lost"]
    assert [(i.item, i.reason) for i in miss.items if i.verdict == "exceed"] == [
        ("travel", "Reisafstand onbekend: de woonplaats of werkplek is niet eenduidig")]
    assert judge(candidate, lost).feasible is False  # the plain per-pair rules agree


def test_an_other_name_two_towns_share_is_refused_with_both_not_guessed():
    """GeoNames' alternate names: 'Ouderkerk' is what people in both Ouderkerks say;
    the bigger one was taken silently, 50 km from the other."""
    with pytest.raises(AmbiguousPlace) as err:
        load_gazetteer().resolve("Ouderkerk")
    assert err.value.choices == ["Ouderkerk aan de Amstel (Noord-Holland)", "Ouderkerk aan den IJssel (Zuid-Holland)"]
    loc = load_gazetteer().resolve("Ouderkerk (ZH)")
    assert (loc.place, loc.province) == ("Ouderkerk aan den IJssel", "Zuid-Holland")
    loc = load_gazetteer().resolve("Ouderkerk, Noord-Holland")
    assert (loc.place, loc.province) == ("Ouderkerk aan de Amstel", "Noord-Holland")


@pytest.mark.parametrize("typed,place", [("Den Bosch", "'s-Hertogenbosch"), ("The Hague", "Den Haag")])
def test_an_other_name_of_one_town_still_finds_it(typed, place):
    assert load_gazetteer().resolve(typed).place == place
