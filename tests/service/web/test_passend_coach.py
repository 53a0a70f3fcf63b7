"""Contract v1.1 on the coach's pages: spoor 1 first with its badge, adjusted places
with their conditions, the earnings line, the spoor and verdict filters (exactly
the API's answer), introducing an adjusted place, and the profile's v1.1 fields."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import placement_json
from tests.service.web.test_coach import api_candidate, api_place, form_token

CID = "c-1"
BASE = f"/coach/kandidaten/{CID}"
MOTIVATION = "Zes jaar ervaring met gasten; zoekt werk met mensen om zich heen."


def setup_world(web):
    """c-1 works for e-1 and may lift about 5 kg, 20 hours a week now, 28 expected by March.

    p-own: e-1's plain place (spoor 1, earns 75%); p-lift: e-1's place that asks
    10 kg but can be made lighter (spoor 1, adjust, earns 50%: a loon signal);
    p-build: e-2's werkervaringsplek of 24 hours that starts with 16 (spoor 2,
    build-up, unpaid); p-other: e-2's plain paid place (spoor 2).
    """
    api_candidate(web, id=CID, employer_id="e-1", capacity={"IV.13": 2, "VI.3": 3},
                  former_work={"title": "Gastvrouw", "hours_per_week": 32, "hourly_wage": 15.0},
                  hours_outlook={"hours_per_week": 28, "from": "2027-03-01"},
                  wishes={"kinds": ["vacature", "werkervaringsplek"], "hours_per_week": 20, "text": "mensen"})
    api_place(web, id="p-own", title="Receptie eigen werkgever", hours_per_week=20, hourly_wage={"min": 18.0})
    api_place(web, id="p-lift", title="Magazijn eigen werkgever", hours_per_week=20, demands={"IV.13": 1},
              adjustments={"IV.13": 3}, hourly_wage={"min": 12.0})
    for pid, title, extra in (
            ("p-build", "Administratie opbouwplek", {"hours_per_week": 24, "start_hours_per_week": 16,
                                                     "kind": "werkervaringsplek"}),
            ("p-other", "Receptie elders", {"hours_per_week": 16, "hourly_wage": {"min": 16.0, "max": 20.0}})):
        r = web.world.client.post("/v1/placements", json=placement_json(id=pid, employer_id="e-2", title=title,
                                                                         **extra),
                                  headers=web.world.h("employer2"))
        assert r.status_code == 201, r.text


def fragment(web, query: str = "") -> str:
    answer = web.client("coach").get(f"{BASE}/suggesties{query}", headers={"X-Partial": "1"})
    assert answer.status_code == 200, answer.text
    return answer.text


def shown_ids(html: str) -> list[str]:
    return re.findall(r'<li class="card suggestion[^"]*" id="plek-([^"]+)"', html)


def api_ids(web, query: str = "") -> list[str]:
    r = web.world.client.get(f"/v1/candidates/{CID}/suggestions{query}", headers=web.world.h("coach"))
    assert r.status_code == 200, r.text
    return [s["placement_id"] for s in r.json()["suggestions"]]


def card(html: str, pid: str) -> str:
    return html.split(f'id="plek-{pid}"', 1)[1].split("</li>\n", 1)[0]


def test_spoor_one_comes_first_with_its_badge_and_adjusted_places_say_their_condition(web):
    setup_world(web)
    html = fragment(web)
    ids = shown_ids(html)
    assert set(ids) == {"p-own", "p-lift", "p-build", "p-other"}
    assert set(ids[:2]) == {"p-own", "p-lift"}, ids  # the own employer's places first, whatever they score
    assert "2 plekken bij de eigen werkgever (spoor 1) staan bovenaan" in html
    for pid in ("p-own", "p-lift"):
        assert "Spoor 1: eigen werkgever" in card(html, pid)
    for pid in ("p-build", "p-other"):
        assert "Spoor 1" not in card(html, pid)

    lift = card(html, "p-lift")
    assert "Past met aanpassing" in lift and "Voorwaarde:" in lift
    assert "Past als de werkgever het tillen beperkt tot ongeveer 2 kg" in lift
    # What it earns, and below 65% the loon signal shown like any other flagged item.
    assert "<strong>Loon:</strong> ongeveer 50% van het oude loon" in lift and 'class="earnings low"' in lift
    assert re.search(r'<span class="badge signal">Loon</span> Loon: ongeveer 50% van het oude loon, minder dan 65%',
                     lift)

    build = card(html, "p-build")
    assert "Past met opbouw van uren" in build and "Start met 16 uur per week en bouw op naar 24" in build
    assert "onbetaald: een opstap" in build

    own = card(html, "p-own")
    assert "Past met" not in own and "Voorwaarde" not in own
    assert "ongeveer 75% van het oude loon" in own and 'class="earnings low"' not in own
    # (16 + 20) / 2 x 16 hours against 15 x 32: 60%.
    assert "ongeveer 60% van het oude loon" in card(html, "p-other")


@pytest.mark.parametrize("query", ["", "?spoor=1", "?spoor=2", "?verdict=adjust", "?verdict=pass",
                                   "?verdict=signal", "?spoor=1&verdict=adjust", "?spoor=2&verdict=adjust"])
def test_the_filters_show_exactly_what_the_api_gives(web, query):
    setup_world(web)
    assert shown_ids(fragment(web, query)) == api_ids(web, query)


def test_filters_narrow_the_list_and_the_candidate_page_keeps_the_choice(web):
    setup_world(web)
    assert set(shown_ids(fragment(web, "?spoor=1"))) == {"p-own", "p-lift"}
    assert set(shown_ids(fragment(web, "?spoor=2"))) == {"p-build", "p-other"}
    assert set(shown_ids(fragment(web, "?verdict=adjust"))) == {"p-lift", "p-build"}
    assert shown_ids(fragment(web, "?spoor=2&verdict=adjust")) == ["p-build"]
    # Nothing left (both own places need a look: 20 hours is on the edge): said so, with a way back to all.
    empty = fragment(web, "?spoor=1&verdict=pass")
    assert shown_ids(empty) == []
    assert "Geen plekken met deze keuze" in empty and f'href="{BASE}#suggesties"' in empty
    # Values that are no filter mean "all", as a link cannot be refused beside a field.
    assert shown_ids(fragment(web, "?spoor=3&verdict=exceed")) == shown_ids(fragment(web))

    page = web.client("coach").get(f"{BASE}?spoor=1&verdict=adjust").text
    assert f'data-load="{BASE}/suggesties?spoor=1&amp;verdict=adjust"' in page
    assert '<option value="1" selected>Spoor 1: eigen werkgever</option>' in page
    assert '<option value="adjust" selected>Met aanpassing</option>' in page
    assert re.search(rf'<form method="get" action="{BASE}#suggesties"', page)
    # The whole page (no script) has the filters too.
    whole = web.client("coach").get(f"{BASE}/suggesties?spoor=2").text
    assert '<option value="2" selected>' in whole and set(shown_ids(whole)) == {"p-build", "p-other"}


def test_the_profile_card_shows_the_own_employer_former_work_and_outlook(web):
    setup_world(web)
    page = web.client("coach").get(BASE).text
    assert "Werkgever e-1 (e-1)" in page
    assert "Gastvrouw · 32 uur per week · € 15,00 bruto per uur" in page
    assert "28 uur per week vanaf 1 maart 2027" in page


def test_introducing_an_adjusted_place_shows_and_records_the_conditions(web):
    setup_world(web)
    client = web.client("coach")
    action = f"{BASE}/voorstellen/p-lift"
    page = client.get(action).text
    assert "Past met deze voorwaarde" in page
    # What the employer will read beside why (for the coach only).
    assert "Tillen: hoogstens ongeveer 2 kg" in page
    assert "Past als de werkgever het tillen beperkt tot ongeveer 2 kg" in page
    assert "Voorstellen met deze aanpassing" in page
    fields = {"csrf_token": form_token(page, action), "motivation": MOTIVATION}
    for item in re.findall(r'name="signal_motivations\.([^"]+)"', page):
        fields[f"signal_motivations.{item}"] = "Besproken met de kandidaat; geen bezwaar."
    answer = client.post(action, data=fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text

    feedback = web.world.client.get(f"/v1/candidates/{CID}/feedback", headers=web.world.h("coach")).json()
    intro = next(f["introduction"] for f in feedback["items"] if f["introduction"])
    assert [c["item"] for c in intro["conditions"]] == ["IV.13"]
    page = client.get(BASE).text
    section = page.split('id="voorstellen"', 1)[1].split("</section>", 1)[0]
    assert "Afgesproken met de werkgever" in section
    assert "Past als de werkgever het tillen beperkt tot ongeveer 2 kg" in section

    # The employer reads what to change, never why.
    seen = web.world.client.get(f"/v1/introductions/{intro['id']}", headers=web.world.h("employer")).json()
    employer_page = web.client("employer").get(f"/werkgever/introducties/{intro['id']}").text
    assert seen["adjustments"] and all(a in employer_page for a in seen["adjustments"])
    assert "Gevraagde aanpassing" in employer_page
    assert "Past als" not in employer_page and "IV.13" not in employer_page


def test_a_plain_place_is_introduced_without_conditions(web):
    setup_world(web)
    page = web.client("coach").get(f"{BASE}/voorstellen/p-own").text
    assert "Past met deze voorwaarde" not in page and "Waarom (alleen voor u)" not in page
    assert ">Voorstellen</button>" in page


# -- the profile form ------------------------------------------------------------------

def profile_fields(page: str, action: str, **overrides) -> dict:
    data = {"csrf_token": form_token(page, action), "home": "6511", "max_travel_km": "25",
            "education.level": "mbo-3", "education.field": "zorg en welzijn",
            "experience.0.title": "Gastvrouw vakantiepark", "experience.0.years": "6",
            "experience.0.description": "Ontvangst van gasten", "skills": "gastvrijheid, klantcontact",
            "wishes.kinds": ["vacature"], "wishes.hours_per_week": "24", "wishes.text": "Graag met mensen"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_profile_form_saves_own_employer_former_work_and_outlook(web):
    api_candidate(web, id=CID)
    client = web.client("coach")
    action = f"{BASE}/profiel"
    page = client.get(action).text
    # The known organisations to choose from, and none chosen yet.
    assert '<option value="e-1">Werkgever e-1 (e-1)</option>' in page
    assert '<option value="e-2">Werkgever e-2 (e-2)</option>' in page
    assert '<option value="" selected>' in page.split('id="employer_id"', 1)[1].split("</select>", 1)[0]
    answer = client.post(action, data=profile_fields(
        page, action, employer_id="e-2", **{"former_work.title": "Gastvrouw", "former_work.hours_per_week": "32",
                                            "former_work.hourly_wage": "15,80",
                                            "hours_outlook.hours_per_week": "28",
                                            "hours_outlook.from": "2027-03-01"}), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    stored = web.world.client.get(f"/v1/candidates/{CID}", headers=web.world.h("coach")).json()
    assert stored["employer_id"] == "e-2"
    assert stored["former_work"] == {"title": "Gastvrouw", "hours_per_week": 32, "hourly_wage": 15.8}
    assert stored["hours_outlook"] == {"hours_per_week": 28, "from": "2027-03-01"}

    # Shown again when editing; saving unchanged changes nothing.
    page = client.get(action).text
    assert '<option value="e-2" selected>' in page
    for value in ('value="Gastvrouw"', 'value="32"', 'value="15.8"', 'value="28"', 'value="2027-03-01"'):
        assert value in page, value
    fields = profile_fields(page, action, employer_id="e-2", **{
        "former_work.title": "Gastvrouw", "former_work.hours_per_week": "32", "former_work.hourly_wage": "15.8",
        "hours_outlook.hours_per_week": "28", "hours_outlook.from": "2027-03-01"})
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303
    again = web.world.client.get(f"/v1/candidates/{CID}", headers=web.world.h("coach")).json()
    assert again == stored

    # Emptied: the fields are gone.
    fields = profile_fields(client.get(action).text, action, employer_id="")
    assert client.post(action, data=fields, follow_redirects=False).status_code == 303
    emptied = web.world.client.get(f"/v1/candidates/{CID}", headers=web.world.h("coach")).json()
    assert not {"employer_id", "former_work", "hours_outlook"} & set(emptied)


def test_an_employer_set_through_the_api_that_spoormatch_does_not_know_is_kept(web):
    api_candidate(web, id=CID, employer_id="e-extern-9")
    client = web.client("coach")
    action = f"{BASE}/profiel"
    page = client.get(action).text
    assert '<option value="e-extern-9" selected>e-extern-9 (niet bekend in spoormatch)</option>' in page
    answer = client.post(action, data=profile_fields(page, action, employer_id="e-extern-9"), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    stored = web.world.client.get(f"/v1/candidates/{CID}", headers=web.world.h("coach")).json()
    assert stored["employer_id"] == "e-extern-9"


@pytest.mark.parametrize("fields, field, words", [
    ({"employer_id": "e-verzonnen"}, "employer_id", "Eigen werkgever: kies een werkgever uit de lijst"),
    ({"former_work.hourly_wage": "0"}, "former_work.hourly_wage", "Uurloon: vul een bedrag in van meer dan € 0"),
    ({"former_work.hourly_wage": "-3"}, "former_work.hourly_wage", "meer dan € 0"),
    ({"former_work.hours_per_week": "70"}, "former_work.hours_per_week", "Uren per week: mag hoogstens 60 zijn"),
    ({"hours_outlook.hours_per_week": "200", "hours_outlook.from": "2027-03-01"}, "hours_outlook.hours_per_week",
     "Verwachte uren per week: meer uren dan er in een week passen (168)"),
    ({"hours_outlook.hours_per_week": "0", "hours_outlook.from": "2027-03-01"}, "hours_outlook.hours_per_week",
     "vul een aantal uren in, meer dan 0"),
    ({"hours_outlook.hours_per_week": "28"}, "hours_outlook.from", "Vanaf: vul dit in"),
    ({"hours_outlook.from": "2027-03-01"}, "hours_outlook.hours_per_week", "Verwachte uren per week: vul dit in"),
    ({"hours_outlook.hours_per_week": "28", "hours_outlook.from": "maart"}, "hours_outlook.from",
     "vul een datum in"),
])
def test_the_profile_form_refuses_v11_fields_in_dutch_beside_the_field(web, fields, field, words):
    api_candidate(web, id=CID)
    client = web.client("coach")
    action = f"{BASE}/profiel"
    page = client.get(action).text
    answer = client.post(action, data=profile_fields(page, action, **fields))
    assert answer.status_code == 422
    error = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', answer.text)
    assert error, answer.text.split('class="error-summary"', 1)[-1][:600]
    assert words in error.group(1).replace("&#39;", "'"), error.group(1)
    # Nothing saved, and what was typed is shown again.
    stored = web.world.client.get(f"/v1/candidates/{CID}", headers=web.world.h("coach")).json()
    assert "former_work" not in stored and "hours_outlook" not in stored and "employer_id" not in stored


def test_the_start_page_names_last_nights_new_spoor_one_places_apart(web, settings):
    from service.rematch import RematchOptions, run_rematch
    from tests.conftest import HashingEncoder

    options = RematchOptions(top=4, reserve=2, exposure_factor=10.0, partition_size=1, workers=1)
    api_candidate(web, id=CID, employer_id="e-1", wishes={"kinds": ["vacature"], "hours_per_week": 24, "text": ""})
    api_place(web, id="p-first", title="Telefonist")
    assert run_rematch(web.world.db, settings, HashingEncoder(), options).status == "committed"
    # Overnight: a new place at the own employer, and one elsewhere.
    api_place(web, id="p-own", title="Receptie eigen werkgever")
    r = web.world.client.post("/v1/placements", json=placement_json(id="p-other", employer_id="e-2",
                                                                     title="Receptie elders"),
                              headers=web.world.h("employer2"))
    assert r.status_code == 201, r.text
    assert run_rematch(web.world.db, settings, HashingEncoder(), options).status == "committed"

    section = web.client("coach").get("/coach").text.split('id="vannacht"')[1]
    assert "(waarvan 1 bij de eigen werkgever)" in section
    own, rest = section.split("Nieuw bij de eigen werkgever (spoor 1):", 1)[1].split("<strong>Nieuw:</strong>", 1)
    assert "Receptie eigen werkgever" in own and "Receptie elders" not in own
    # Named once: the other new place below, without the own employer's again.
    rest = rest.split("</section>", 1)[0]
    assert "Receptie elders" in rest and "Receptie eigen werkgever" not in rest


def test_a_new_candidate_gets_her_own_employer_from_the_list(web):
    client = web.client("coach")
    action = "/coach/kandidaten/nieuw"
    page = client.get(action).text
    fields = profile_fields(page, action, id="c-new", employer_id="e-1",
                            **{"former_work.hours_per_week": "24", "former_work.hourly_wage": "14"})
    answer = client.post(action, data=fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    stored = web.world.client.get("/v1/candidates/c-new", headers=web.world.h("coach")).json()
    assert stored["employer_id"] == "e-1" and stored["former_work"] == {"title": "", "hours_per_week": 24,
                                                                        "hourly_wage": 14}
    # An id that is no organisation is refused beside the select, and nothing is created.
    fields = profile_fields(client.get(action).text, action, id="c-new-2", employer_id="e-onbekend")
    answer = client.post(action, data=fields)
    assert answer.status_code == 422 and 'id="employer_id-error">Eigen werkgever: kies een werkgever' in answer.text
    assert web.world.client.get("/v1/candidates/c-new-2", headers=web.world.h("coach")).status_code == 404
