"""Contract v1.1 on the employer's place form: the wage (or unpaid), a start with fewer
hours, and "Kan dit worden aangepast als dat nodig is?" for the demands and the work
times, stored as valid ``adjustments``; refusals in Dutch beside the field; editing
keeps what the form does not ask."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import candidate_json, placement_json
from tests.service.web.test_employer_places import _new_place_id, _place_count, _post_new, csrf_in, place_form

FML_ID = re.compile(r"(?<![\w.])(?:I|II|III|IV|V|VI)\.\d{1,2}(?![\w.])")
ADJUSTED = {
    "kind": "vacature", "wage_unpaid": None, "wage_min": "14,20", "wage_max": "16,90",
    "hours_per_week": "32", "hours_per_day": "8", "evening": "ja", "start_hours_per_week": "16",
    "q_tillen": "1", "a_tillen": "3",                      # 10 kg now; about 2 kg if needed
    "q_werkplek": ["1"], "a_werkplek": ["3", "4"],         # a quiet room if needed
    "q_lawaai": "ja", "a_lawaai": "ja",                    # a place without noise if needed
    "adjust_hours_per_day": "6", "adjust_evening": "ja",   # shorter days, no evenings if needed
}


def _stored(world, pid: str) -> dict:
    return world.client.get(f"/v1/placements/{pid}", headers=world.h("employer")).json()


def _error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    assert found, f"no error beside {field}: " + html.split('class="error-summary"', 1)[-1][:800]
    return found.group(1).replace("&#39;", "'")


def test_the_form_asks_pay_start_hours_and_adjustments_in_plain_words(web):
    page = web.client("employer").get("/werkgever/plekken/nieuw").text
    for words in ("Uurloon vanaf", "Onbetaald: een werkervaringsplek zonder loon",
                  "Kan iemand met minder uren beginnen en opbouwen? Met hoeveel uur per week?",
                  "Kan dit worden aangepast als dat nodig is?", "Kan het tillen zo nodig lichter? Tot hoe zwaar dan?",
                  "Kunnen de werkdagen zo nodig korter?", "Zo nodig kan iemand zonder avondwerk"):
        assert words in page, words
    assert not FML_ID.search(page)


def test_posting_with_pay_start_hours_and_adjustments_stores_a_valid_v11_place(web):
    world = web.world
    pid = _new_place_id(_post_new(web, **ADJUSTED))
    stored = _stored(world, pid)
    assert stored["hourly_wage"] == {"min": 14.2, "max": 16.9}
    assert stored["start_hours_per_week"] == 16
    assert stored["demands"] == {"IV.13": 1, "I.8": [1], "III.6": True, "III.1": []}
    assert stored["adjustments"] == {"IV.13": 3, "I.8": [1, 3, 4], "III.6": False, "hours_per_day": 6,
                                     "evening": False}

    # The place page says it all in the form's words, without an item number.
    page = web.client("employer").get(f"/werkgever/plekken/{pid}").text
    assert "€ 14,20 tot € 16,90 bruto per uur" in page
    assert "beginnen kan met 16 uur per week" in page
    assert "Wat zo nodig kan worden aangepast" in page
    for words in ("Kan het tillen zo nodig lichter?", "Af en toe lichte dingen, tot ongeveer 2 kilo",
                  "Weinig storingen en onderbrekingen", "zonder lawaai", "Ja, tot 6 uur per dag",
                  "Kan iemand zo nodig zonder avondwerk?"):
        assert words in page, words
    assert not FML_ID.search(page)


def test_an_adjusted_place_is_suggested_with_its_conditions(web):
    world = web.world
    # Lifting about 2 kg, quiet workplace needed, limited for noise, 6 hours a day, no evenings.
    candidate = candidate_json(id="c-adj", capacity={"IV.13": 3, "I.8": [3], "VI.2": 2, "VI.1": [1]},
                               wishes={"kinds": ["vacature"], "hours_per_week": 32, "text": "magazijn"})
    assert world.client.post("/v1/candidates", json=candidate, headers=world.h("coach")).status_code == 201
    pid = _new_place_id(_post_new(web, **ADJUSTED))
    suggestions = world.client.get("/v1/candidates/c-adj/suggestions", headers=world.h("coach")).json()
    mine = next(s for s in suggestions["suggestions"] if s["placement_id"] == pid)
    assert mine["verdict"] == "adjust"
    assert {c["item"] for c in mine["conditions"]} == {"IV.13", "I.8", "VI.2", "VI.1"}
    # Without "if needed" the place would be ruled out.
    client = web.client("employer")
    csrf = csrf_in(client.get(f"/werkgever/plekken/{pid}/bewerken").text, f"/werkgever/plekken/{pid}/bewerken")
    plain = {**ADJUSTED, "a_tillen": "", "a_werkplek": [], "a_lawaai": "", "adjust_hours_per_day": "",
             "adjust_evening": None}
    answer = client.post(f"/werkgever/plekken/{pid}/bewerken", data=place_form(csrf, **plain), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert _stored(world, pid).get("adjustments", {}) == {}
    suggestions = world.client.get("/v1/candidates/c-adj/suggestions", headers=world.h("coach")).json()
    assert pid not in [s["placement_id"] for s in suggestions["suggestions"]]


@pytest.mark.parametrize("fields, field, words", [
    ({"wage_unpaid": None}, "wage_min", "vul het bruto uurloon in, of vink aan dat de plek onbetaald is"),
    ({"wage_min": "0"}, "wage_min", "Uurloon vanaf: vul een bedrag in van meer dan € 0"),
    ({"wage_unpaid": None, "wage_min": "-2"}, "wage_min", "meer dan € 0"),
    ({"wage_unpaid": None, "wage_min": "15", "wage_max": "12"}, "wage_max", "is lager dan het uurloon vanaf"),
    ({"wage_unpaid": None, "wage_max": "12"}, "wage_min", "vul ook het laagste uurloon in"),
    ({"wage_min": "15"}, "wage_unpaid", "vul een loon in óf vink onbetaald aan"),
    ({"wage_unpaid": None, "wage_min": "veel"}, "wage_min", "vul een getal in"),
    ({"start_hours_per_week": "30"}, "start_hours_per_week",
     "meer dan de uren per week van de plek; iemand begint met minder uren"),
    ({"q_tillen": "2", "a_tillen": "1"}, "a_tillen",
     "Kan het tillen zo nodig lichter? Tot hoe zwaar dan?: kies iets lichters"),
    ({"q_tillen": "2", "a_tillen": "2"}, "a_tillen", "kies iets lichters dan wat het werk nu vraagt"),
    ({"q_tillen": "", "a_tillen": "3"}, "a_tillen", "beantwoord eerst de vraag zelf"),
    ({"adjust_hours_per_day": "9"}, "adjust_hours_per_day", "Kortere werkdagen: vul minder uren in dan de 6 uur"),
    ({"adjust_hours_per_week": "30"}, "adjust_hours_per_week", "vul minder uren in dan de 24 uur"),
])
def test_a_v11_field_is_refused_in_dutch_beside_it_and_nothing_is_stored(web, fields, field, words):
    answer = _post_new(web, **fields)
    assert answer.status_code == 422
    assert words in _error(answer.text, field)
    assert _place_count(web.world) == 0
    # The follow-up with the refusal is unfolded, so the employer sees it.
    if field.startswith("a_"):
        assert re.search(rf'<details class="adjust" open>\s*<summary>[^<]*<span[^>]*>[^<]*</span></summary>\s*'
                         rf'<div class="field invalid">\s*<label for="{field}"', answer.text)


def test_editing_shows_pay_and_adjustments_and_keeps_what_the_form_does_not_ask(web):
    world = web.world
    e = world.h("employer")
    r = world.client.post("/v1/placements", json=placement_json(
        id="p-api", hours_per_week=32, hours_per_day=8, night=True, hourly_wage={"min": 15.5},
        start_hours_per_week=12, sector="logistiek",
        demands={"IV.13": 1, "I.8": [1], "IV.12": 1, "III.1": [1, 2]},
        adjustments={"IV.13": 2, "I.8": [1, 3, 7], "IV.12": 2, "III.1": [2], "hours_per_week": 24,
                     "night": False}), headers=e)
    assert r.status_code == 201, r.text
    before = _stored(world, "p-api")
    client = web.client("employer")
    form = client.get("/werkgever/plekken/p-api/bewerken").text
    assert 'value="15,5"' in form and 'value="12"' in form and 'value="24"' in form
    assert re.search(r'id="a_tillen" name="a_tillen">\s*<option value="">[^<]*</option>\s*'
                     r'<option value="3">[^<]*</option><option value="2" selected>', form)
    assert re.search(r'name="a_werkplek" value="3" checked', form)
    assert re.search(r'name="adjust_night" value="ja" checked', form)
    assert 'name="wage_unpaid" value="ja" checked' not in form
    assert "aanpassing(en) die via een koppeling zijn ingevoerd" in form

    # Saved as the form shows it: nothing changes.
    fields = {"csrf_token": csrf_in(form, "/werkgever/plekken/p-api/bewerken"), "title": "Receptiemedewerker",
              "kind": "vacature", "description": before["description"], "location": "6512",
              "hours_per_week": "32", "hours_per_day": "8", "night": "ja", "education_level": "mbo-2",
              "skills": "klantcontact, telefoon", "positions": "1", "wage_min": "15,5", "start_hours_per_week": "12",
              "q_tillen": "1", "q_werkplek": ["1"], "q_temperatuur": "beide", "a_tillen": "2",
              "a_werkplek": ["3"], "a_temperatuur": "ja", "adjust_hours_per_week": "24", "adjust_night": "ja"}
    answer = client.post("/werkgever/plekken/p-api/bewerken", data=fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert _stored(world, "p-api") == before

    # Changed: the asked adjustments follow the form; the unasked item and hidden code stay.
    fields.update(a_tillen="3", a_werkplek=[], a_temperatuur="", adjust_hours_per_week="", adjust_night=None,
                  wage_min="", wage_unpaid="ja", start_hours_per_week="")
    answer = client.post("/werkgever/plekken/p-api/bewerken", data={k: v for k, v in fields.items() if v is not None},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    after = _stored(world, "p-api")
    assert after["adjustments"] == {"IV.13": 3, "I.8": [1, 7], "IV.12": 2}
    assert "hourly_wage" not in after and "start_hours_per_week" not in after
    assert after["sector"] == "logistiek" and after["demands"] == before["demands"]


def test_a_place_without_a_wage_is_shown_as_unpaid_when_edited(web):
    world = web.world
    world.client.post("/v1/placements", json=placement_json(id="p-api"), headers=world.h("employer"))
    form = web.client("employer").get("/werkgever/plekken/p-api/bewerken").text
    assert 'name="wage_unpaid" value="ja" checked' in form
    page = web.client("employer").get("/werkgever/plekken/p-api").text
    assert "<dt>Loon</dt><dd>onbetaald</dd>" in page
