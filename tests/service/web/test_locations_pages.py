"""The coach's pages say where the engine put a home, and warn when it could not."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.rematch import RematchOptions, run_rematch
from service.tables import CandidateRow, PlacementRow
from tests.conftest import HashingEncoder
from tests.service.conftest import candidate_json, placement_json


def stored_as_before(world, table, record_id: str, field: str) -> None:
    """A record whose location is the ambiguous 'Hengelo', as stored before place
    names were checked for ambiguity: it is read back unresolved."""
    with world.db.write() as tx:
        row = tx.execute(select(table).where(table.id == record_id)).scalar_one()
        row.body = {**row.body, field: {"place": "Hengelo"}}


def test_the_candidate_page_and_its_suggestions_name_the_resolved_home(web):
    w = web.world
    assert w.client.post("/v1/placements", json=placement_json(id="p-u", location={"postcode": "3511"}),
                         headers=w.h("employer")).status_code == 201
    assert w.client.post("/v1/candidates", json=candidate_json(id="c-u", home={"postcode": "3523"}),
                         headers=w.h("coach")).status_code == 201
    coach = web.client("coach")
    page = coach.get("/coach/kandidaten/c-u").text
    assert "3523 <span class=\"muted\">(= Utrecht (Utrecht))</span>" in page
    fragment = coach.get("/coach/kandidaten/c-u/suggesties", headers={"X-Partial": "1"}).text
    assert "Afstanden vanaf Utrecht (Utrecht)." in fragment and "plek-p-u" in fragment


def test_an_unresolved_home_is_flagged_on_the_profile_the_list_and_the_start_page(web, settings):
    w = web.world
    assert w.client.post("/v1/candidates", json=candidate_json(id="c-b", home={"postcode": "1861"}),
                         headers=w.h("coach")).status_code == 201
    stored_as_before(w, CandidateRow, "c-b", "home")
    coach = web.client("coach")
    page = coach.get("/coach/kandidaten/c-b").text
    assert "Woonplaats niet te bepalen:</strong> place: &#39;Hengelo&#39; is ambiguous" in page
    fragment = coach.get("/coach/kandidaten/c-b/suggesties", headers={"X-Partial": "1"}).text
    assert "tot dan worden geen plekken gezocht" in fragment
    run_rematch(w.db, settings, HashingEncoder(), RematchOptions(top=3, reserve=2, partition_size=1, workers=1))
    start = coach.get("/coach").text
    assert "Woonplaats niet te bepalen:</strong> home.place: &#39;Hengelo&#39; is ambiguous" in start


def test_the_profile_form_refuses_an_ambiguous_place_beside_the_field_in_dutch(web):
    from tests.service.web.test_coach import form_token

    client = web.client("coach")
    form = client.get("/coach/kandidaten/nieuw").text
    data = {"csrf_token": form_token(form, "/coach/kandidaten/nieuw"), "id": "c-new", "home": "Bergen",
            "max_travel_km": "20", "education.level": "mbo-2", "experience.0.title": "Gastvrouw",
            "experience.0.years": "4", "wishes.kinds": ["vacature"], "wishes.hours_per_week": "24"}
    r = client.post("/coach/kandidaten/nieuw", data=data)
    assert r.status_code == 422 and 'id="home-error"' in r.text
    assert ("&#39;Bergen&#39; is niet eenduidig: Bergen (Noord-Holland), Bergen (Limburg); geef een postcode, "
            "of de provincie erbij") in r.text
    assert web.world.client.get("/v1/candidates/c-new", headers=web.world.h("coach")).status_code == 404
    data["home"] = "Bergen (L)"
    data["csrf_token"] = form_token(r.text, "/coach/kandidaten/nieuw")
    assert client.post("/coach/kandidaten/nieuw", data=data, follow_redirects=False).status_code == 303
    page = client.get("/coach/kandidaten/c-new").text
    assert "Bergen (L) <span class=\"muted\">(= Bergen (Limburg))</span>" in page


def test_the_employer_sees_where_a_place_lies_and_when_it_cannot_be_placed(web):
    w = web.world
    for pid, postcode in (("p-utrecht", "3511"), ("p-hengelo", "1861")):
        assert w.client.post("/v1/placements", json=placement_json(id=pid, location={"postcode": postcode}),
                             headers=w.h("employer")).status_code == 201
    stored_as_before(w, PlacementRow, "p-hengelo", "location")
    employer = web.client("employer")
    page = employer.get("/werkgever/plekken/p-utrecht").text
    assert "3511 <span class=\"muted\">(= Utrecht (Utrecht))</span>" in page
    assert "niet te bepalen" not in page
    page = employer.get("/werkgever/plekken/p-hengelo").text
    assert ("Locatie niet te bepalen:</strong> place: &#39;Hengelo&#39; is ambiguous" in page
            and "tot dan wordt deze plek aan geen kandidaat voorgesteld" in page)
    home = employer.get("/werkgever").text
    assert home.count("Locatie niet te bepalen") == 1
    assert re.search(r'href="/werkgever/plekken/p-hengelo".*?Locatie niet te bepalen', home, re.S)
