"""The employer's place pages: posting through questions, editing, closing, reopening, and refusals."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from service.tables import PlacementRow
from tests.service.conftest import candidate_json, placement_json
from tests.service.web.conftest import csrf_of


def csrf_in(html: str, action: str) -> str:
    """The CSRF token inside the form that posts to ``action`` (not the logout form's)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    token = csrf_of(form.group(1))
    assert token
    return token


def place_form(csrf: str, **overrides) -> dict:
    data = {
        "csrf_token": csrf, "title": "Medewerker magazijn", "kind": "werkervaringsplek",
        "description": "Orderpicken en dozen inpakken in een rustig magazijn.", "location": "6512",
        "hours_per_week": "24", "hours_per_day": "6", "education_level": "mbo-2",
        "skills": "orderpicken, inpakken", "positions": "1",
        "q_tillen": "2", "q_werkplek": ["1", "3"], "q_lawaai": "nee", "q_temperatuur": "nee",
        "wage_unpaid": "ja",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post_new(web, **overrides):
    client = web.client("employer")
    csrf = csrf_in(client.get("/werkgever/plekken/nieuw").text, "/werkgever/plekken/nieuw")
    return client.post("/werkgever/plekken/nieuw", data=place_form(csrf, **overrides), follow_redirects=False)


def _place_count(world) -> int:
    with world.db.read() as s:
        return s.execute(select(func.count()).select_from(PlacementRow)).scalar_one()


def _suggested(world, cid: str) -> list[str]:
    r = world.client.get(f"/v1/candidates/{cid}/suggestions", headers=world.h("coach"))
    assert r.status_code == 200, r.text
    return [s["placement_id"] for s in r.json()["suggestions"]]


def _new_place_id(answer) -> str:
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/werkgever/plekken/(p-e-1-[0-9a-f]+)", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def test_pages_need_an_employer(web):
    assert web.anonymous().get("/werkgever", follow_redirects=False).headers["location"].startswith("/login")
    assert web.client("coach").get("/werkgever").status_code == 403
    page = web.client("employer").get("/werkgever")
    assert page.status_code == 200 and "Mijn plekken" in page.text


def test_posting_through_questions_stores_demands_and_is_suggested_at_once(web):
    world = web.world
    coach = world.h("coach")
    world.client.post("/v1/candidates", json=candidate_json(id="c-fit"), headers=coach)
    world.client.post("/v1/candidates", json=candidate_json(id="c-light", capacity={"IV.13": 3}), headers=coach)
    assert _suggested(world, "c-fit") == []

    pid = _new_place_id(_post_new(web))
    stored = world.client.get(f"/v1/placements/{pid}", headers=world.h("employer")).json()
    assert stored["demands"] == {"IV.13": 2, "I.8": [1, 3], "III.6": False, "III.1": []}
    assert stored["employer_id"] == "e-1" and stored["status"] == "open"
    assert stored["location"] == {"postcode": "6512"} and stored["skills"] == ["orderpicken", "inpakken"]
    assert stored["hours_per_week"] == 24 and stored["education_level"] == "mbo-2"
    # Searchable the moment the POST returned; never to someone who can lift only about 2 kg.
    assert pid in _suggested(world, "c-fit")
    assert pid not in _suggested(world, "c-light")

    page = web.client("employer").get(f"/werkgever/plekken/{pid}")
    assert page.status_code == 200 and "Medewerker magazijn" in page.text
    assert "De plek &#39;Medewerker magazijn&#39; staat open" in page.text  # the flash
    assert "Tot ongeveer 5 kilo" in page.text and "IV.13" not in page.text
    home = web.client("employer").get("/werkgever").text
    assert "Medewerker magazijn" in home and "Open" in home


def test_the_form_never_shows_an_item_number(web):
    page = web.client("employer").get("/werkgever/plekken/nieuw").text
    assert "Moet er getild worden? Hoe zwaar?" in page
    assert not re.search(r"\b(I|II|III|IV|V|VI)\.\d+\b", page)


def test_a_bad_field_is_refused_in_dutch_beside_it_and_nothing_is_stored(web):
    answer = _post_new(web, hours_per_day="30", title="", description="Mijn getypte tekst")
    assert answer.status_code == 422
    page = answer.text
    assert 'id="hours_per_day-error">Uren per dag: hoogstens 12' in page
    assert 'id="title-error">Functienaam: vul dit in' in page
    # What was typed stays.
    assert "Mijn getypte tekst" in page and 'value="30"' in page and 'value="orderpicken, inpakken"' in page
    assert re.search(r'<option value="2" selected>Tot ongeveer 5 kilo', page)
    assert re.search(r'name="q_werkplek" value="3" checked', page)
    assert _place_count(web.world) == 0
    # The model's own refusals land beside the field too.
    answer = _post_new(web, location="Nergenshuizen", q_tillen="7")
    assert answer.status_code == 422
    assert 'id="location-error">Postcode of plaats: onbekende plaats' in answer.text
    assert 'id="q_tillen-error">Moet er getild worden? Hoe zwaar?: kies een van de genoemde antwoorden' in answer.text
    answer = _post_new(web, hours_per_day="8", hours_per_week="6")
    assert answer.status_code == 422
    assert 'id="hours_per_day-error">Uren per dag: meer uren per dag dan per week' in answer.text
    assert _place_count(web.world) == 0


def test_editing_prefills_the_answers_and_keeps_what_the_form_does_not_show(web):
    world = web.world
    e = world.h("employer")
    world.client.post("/v1/placements", json=placement_json(
        id="p-api", demands={"IV.13": 1, "I.8": [3, 7], "IV.12": 2, "II.11": True}, sector="logistiek"), headers=e)
    client = web.client("employer")
    form = client.get("/werkgever/plekken/p-api/bewerken")
    assert form.status_code == 200
    assert re.search(r'<option value="1" selected>Tot ongeveer 10 kilo', form.text)
    assert re.search(r'name="q_werkplek" value="3" checked', form.text)
    assert re.search(r'<option value="ja" selected>Ja</option>', form.text)
    assert 'value="Receptiemedewerker"' in form.text
    assert "via een koppeling" in form.text

    csrf = csrf_in(form.text, "/werkgever/plekken/p-api/bewerken")
    data = place_form(csrf, title="Receptie en post", q_tillen="", q_werkplek=["3", "4"],
                      q_rijden="ja", location="Nijmegen", education_level="")
    answer = client.post("/werkgever/plekken/p-api/bewerken", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/werkgever/plekken/p-api"
    stored = world.client.get("/v1/placements/p-api", headers=e).json()
    assert stored["title"] == "Receptie en post"
    assert stored["demands"] == {"I.8": [3, 4, 7], "IV.12": 2, "II.11": True, "III.6": False, "III.1": []}
    assert stored["location"] == {"place": "Nijmegen"} and "education_level" not in stored
    assert stored["sector"] == "logistiek" and stored["status"] == "open"


def test_a_refused_edit_changes_nothing(web):
    world = web.world
    world.client.post("/v1/placements", json=placement_json(id="p-api"), headers=world.h("employer"))
    before = world.client.get("/v1/placements/p-api", headers=world.h("employer")).json()
    client = web.client("employer")
    csrf = csrf_in(client.get("/werkgever/plekken/p-api/bewerken").text, "/werkgever/plekken/p-api/bewerken")
    answer = client.post("/werkgever/plekken/p-api/bewerken", data=place_form(csrf, positions="nul"))
    assert answer.status_code == 422 and "Aantal plaatsen: vul een heel getal in" in answer.text
    assert world.client.get("/v1/placements/p-api", headers=world.h("employer")).json() == before


def test_closing_removes_it_from_suggestions_and_reopening_brings_it_back(web):
    world = web.world
    world.client.post("/v1/candidates", json=candidate_json(id="c-fit"), headers=world.h("coach"))
    pid = _new_place_id(_post_new(web))
    assert pid in _suggested(world, "c-fit")
    client = web.client("employer")
    page = client.get(f"/werkgever/plekken/{pid}").text
    csrf = csrf_in(page, f"/werkgever/plekken/{pid}/sluiten")

    answer = client.post(f"/werkgever/plekken/{pid}/sluiten", data={"csrf_token": csrf, "status": "closed"},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert pid not in _suggested(world, "c-fit")
    page = client.get(f"/werkgever/plekken/{pid}").text
    assert "Gesloten" in page
    csrf = csrf_in(page, f"/werkgever/plekken/{pid}/heropenen")

    answer = client.post(f"/werkgever/plekken/{pid}/heropenen", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert pid in _suggested(world, "c-fit")

    client.post(f"/werkgever/plekken/{pid}/sluiten", data={"csrf_token": csrf, "status": "filled"})
    assert world.client.get(f"/v1/placements/{pid}", headers=world.h("employer")).json()["status"] == "filled"
    assert pid not in _suggested(world, "c-fit")


def test_another_organisations_place_is_not_found(web):
    world = web.world
    world.client.post("/v1/placements", json=placement_json(id="p-other", employer_id="e-2"),
                      headers=world.h("employer2"))
    client = web.client("employer")
    csrf = web.csrf("employer", "/werkgever")
    assert client.get("/werkgever/plekken/p-other").status_code == 404
    assert client.get("/werkgever/plekken/p-other/bewerken").status_code == 404
    assert client.post("/werkgever/plekken/p-other/bewerken", data=place_form(csrf)).status_code == 404
    assert client.post("/werkgever/plekken/p-other/sluiten", data={"csrf_token": csrf}).status_code == 404
    assert client.post("/werkgever/plekken/p-other/heropenen", data={"csrf_token": csrf}).status_code == 404
    assert "p-other" not in client.get("/werkgever").text
    body = world.client.get("/v1/placements/p-other", headers=world.h("employer2")).json()
    assert body["status"] == "open" and body["title"] == "Receptiemedewerker"


def test_without_the_csrf_token_nothing_changes(web):
    world = web.world
    world.client.post("/v1/placements", json=placement_json(id="p-api"), headers=world.h("employer"))
    client = web.client("employer")
    assert client.post("/werkgever/plekken/nieuw", data=place_form("wrong")).status_code == 403
    data = place_form("")
    del data["csrf_token"]
    assert client.post("/werkgever/plekken/nieuw", data=data).status_code == 403
    assert client.post("/werkgever/plekken/p-api/bewerken", data=place_form("x", title="Anders")).status_code == 403
    assert client.post("/werkgever/plekken/p-api/sluiten", data={"status": "closed"}).status_code == 403
    assert _place_count(world) == 1
    body = world.client.get("/v1/placements/p-api", headers=world.h("employer")).json()
    assert body["status"] == "open" and body["title"] == "Receptiemedewerker"
