"""What carries over, as a coach sees it: transfer, limits at the core of the work, wishes."""

from __future__ import annotations

import pytest

from matching.live import Matcher
from matching.occupations import load_esco
from matching.ranking import build_ranker
from tests.conftest import HashingEncoder, make_candidate, make_placement

ENC = HashingEncoder()


def place(id, title, description="", **kw):
    return make_placement(id=id, title=title, description=description, skills=[], education_level=None, **kw)


@pytest.fixture(scope="module")
def matcher_for():
    def build(places):
        return Matcher(build_ranker(encoder=ENC)).fit(places)
    return build


def ids(result):
    return [s.placement_id for s in result.suggestions]


def test_a_driver_who_may_no_longer_drive_gets_no_driving_work_on_top(matcher_for):
    places = [
        place("p-truck", "Vrachtwagenchauffeur internationaal", "Je rijdt door heel Europa."),
        place("p-courier", "Koerier", "Pakketten bezorgen in de regio."),
        place("p-bus", "Buschauffeur", "Je rijdt vaste lijnen."),
        place("p-plan", "Planner transport", "Je plant de ritten van onze chauffeurs."),
        place("p-ware", "Magazijnmedewerker", "Goederen ontvangen en registreren."),
        place("p-desk", "Receptiemedewerker", "Bezoekers ontvangen."),
        place("p-admin", "Administratief medewerker", "Vrachtbrieven verwerken."),
    ]
    driver = make_candidate(
        capacity={"II.11": 1}, skills=["planning"],
        experience=[{"title": "Vrachtwagenchauffeur", "years": 15, "description": "Internationaal transport."}],
        wishes={"text": "Ik mag niet meer beroepsmatig rijden"})
    result = matcher_for(places).suggest(driver, top=7)
    top = ids(result)
    assert set(top[:4]).isdisjoint({"p-truck", "p-courier", "p-bus"}), top
    # When a driving job is still listed, the coach reads why it sits low.
    truck = next(s for s in result.suggestions if s.placement_id == "p-truck")
    assert "beroepsmatig rijden hoort bij de kern van dit werk" in truck.explanation


def test_the_same_driving_jobs_rank_on_top_without_the_limit(matcher_for):
    places = [place("p-truck", "Vrachtwagenchauffeur internationaal"), place("p-desk", "Receptiemedewerker")]
    driver = make_candidate(experience=[{"title": "Vrachtwagenchauffeur", "years": 15}], skills=[],
                            wishes={})
    assert ids(matcher_for(places).suggest(driver, top=2))[0] == "p-truck"


def test_the_explanation_names_what_transfers(matcher_for):
    places = [place("p-desk", "Receptionist", "Gasten ontvangen en inchecken.")]
    host = make_candidate(experience=[{"title": "Gastvrouw vakantiepark", "years": 6}], skills=[])
    [s] = matcher_for(places).suggest(host, top=1).suggestions
    assert s.explanation.startswith("Je ervaring als gastvrouw vakantiepark vraagt ")
    assert "die dit werk ook vraagt" in s.explanation
    assert s.components["occupation"] > 0.5


def test_an_employer_chosen_occupation_wins_over_the_title(matcher_for):
    esco = load_esco()
    receptionist = esco.uris[esco.labels.index("receptionist")]
    vague = [place("p-vague", "Medewerker Kans Creator"),
             place("p-named", "Medewerker Kans Creator", occupation=receptionist)]
    host = make_candidate(experience=[{"title": "Gastvrouw vakantiepark", "years": 6}], skills=[], wishes={})
    result = matcher_for(vague).suggest(host, top=2)
    by_id = {s.placement_id: s for s in result.suggestions}
    assert by_id["p-named"].components["occupation"] > by_id["p-vague"].components["occupation"]
    assert ids(result)[0] == "p-named"


def test_a_wish_for_contact_with_people_lifts_front_desk_work(matcher_for):
    places = [place("p-fork", "Heftruckchauffeur", "Pallets verplaatsen in het magazijn."),
              place("p-desk", "Receptiemedewerker vakantiepark", "Gasten ontvangen aan de balie.")]
    cleaner = make_candidate(experience=[{"title": "Schoonmaker", "years": 10}], skills=[],
                             wishes={"text": "Graag met mensen werken"})
    plain = make_candidate(experience=[{"title": "Schoonmaker", "years": 10}], skills=[], wishes={})
    m = matcher_for(places)
    wished = {s.placement_id: s.components["wishes"] for s in m.suggest(cleaner, top=2).suggestions}
    assert wished["p-desk"] > wished["p-fork"]
    neutral = {s.placement_id: s.components["wishes"] for s in m.suggest(plain, top=2).suggestions}
    assert neutral["p-desk"] == neutral["p-fork"]


def test_a_refusal_in_the_wish_text_never_pulls_towards_the_refused_work():
    from matching.ranking import candidate_text

    c = make_candidate(wishes={"text": "Graag met mensen werken, niet meer fysiek zwaar"})
    assert "zwaar" not in candidate_text(c)
    assert "mensen" in candidate_text(c)


def test_story_5_gets_front_desk_and_guest_contact_work_above_office_it_and_driving():
    """The domain notes' story 5, a hostess of a holiday park, in the demo's generated
    world, in the configuration users run (default encoder and ranker): the places
    within her reach that fit put front-desk and guest-contact work first, and every
    explanation names what carries over."""
    from matching.contract.models import Candidate, Placement
    from matching.demo import generate_placements, story_candidates
    from matching.reference.geo import haversine_km, load_gazetteer

    data = next(d for d in story_candidates() if d["id"] == "c-story-5")
    gaz = load_gazetteer()
    lat, lon = gaz.postcode(data["home"]["postcode"])
    places = [Placement.model_validate(p) for p in generate_placements(2000, seed=0)]
    # Only what is within her reach needs embedding; the matcher would filter the rest.
    near = [p for p in places if p.location.postcode
            and float(haversine_km(lat, lon, *gaz.postcode(p.location.postcode))) <= data["max_travel_km"] + 1]
    result = Matcher().fit(near).suggest(Candidate.model_validate(data), top=5)
    titles = {p.id: p.title.lower() for p in near}
    top = [titles[s.placement_id] for s in result.suggestions]
    front = ("recepti", "klant", "gast", "kassa", "caissi", "balie", "host")
    assert len(top) == 5 and all(any(w in t for w in front) for t in top), top
    unrelated = ("chauffeur", "koerier", "ontwikkelaar", "systeembeheer", "administrat", "boekhoud", "heftruck")
    assert not any(w in t for t in top for w in unrelated), top
    for s in result.suggestions:
        assert "ervaring als gastvrouw vakantiepark" in s.explanation, s.explanation
