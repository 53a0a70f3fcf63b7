"""Introductions on the employer's pages: the pseudonymous profile, and deciding on it."""

from __future__ import annotations

from tests.service.conftest import candidate_json, placement_json
from tests.service.web.test_employer_places import csrf_in

MOTIVATION = "Zes jaar gastvrouw; zoekt een baan met mensen om zich heen."


def _introduce(world, cid: str = "c-1", pid: str = "p-1") -> str:
    world.client.post("/v1/candidates", json=candidate_json(id=cid), headers=world.h("coach"))
    if world.client.get(f"/v1/placements/{pid}", headers=world.h("employer")).status_code == 404:
        world.client.post("/v1/placements", json=placement_json(id=pid), headers=world.h("employer"))
    r = world.client.post(f"/v1/candidates/{cid}/feedback", headers=world.h("coach"),
                          json={"placement_id": pid, "code": "introduced", "motivation": MOTIVATION})
    assert r.status_code == 201, r.text
    return r.json()["introduction"]["id"]


def test_the_dashboard_lists_the_introduction_and_its_page_shows_the_profile(web):
    iid = _introduce(web.world)
    page = web.client("employer").get("/werkgever").text
    assert f'href="/werkgever/introducties/{iid}"' in page
    assert "Kandidaat " in page and MOTIVATION in page and "Werkervaring als gastvrouw vakantiepark" in page
    assert "Nog geen reactie" in page
    assert '<span class="label-sm">Voorgesteld: </span>1' in page
    # Its page shows the pseudonymous profile.
    page = web.client("employer").get(f"/werkgever/introducties/{iid}")
    assert page.status_code == 200
    for text in ("Gastvrouw vakantiepark", "Ontvangst van gasten", "mbo-3", "zorg en welzijn", "gastvrijheid",
                 MOTIVATION, "Receptiemedewerker"):
        assert text in page.text, text


def test_deciding_interested_then_rejected_with_a_note(web):
    world = web.world
    iid = _introduce(world)
    client = web.client("employer")
    csrf = csrf_in(client.get(f"/werkgever/introducties/{iid}").text, f"/werkgever/introducties/{iid}/besluit")
    answer = client.post(f"/werkgever/introducties/{iid}/besluit",
                         data={"csrf_token": csrf, "decision": "interested", "note": "Kom dinsdag langs"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/werkgever/introducties/{iid}"
    seen = world.client.get(f"/v1/introductions/{iid}", headers=world.h("employer")).json()
    assert seen["decision"] == "interested" and seen["decision_note"] == "Kom dinsdag langs"
    page = client.get(f"/werkgever/introducties/{iid}").text
    assert "is doorgegeven aan de coach" in page and 'value="interested" checked' in page

    client.post(f"/werkgever/introducties/{iid}/besluit",
                data={"csrf_token": csrf, "decision": "rejected", "note": "Past niet bij de ploeg"})
    seen = world.client.get(f"/v1/introductions/{iid}", headers=world.h("employer")).json()
    assert seen["decision"] == "rejected" and seen["decision_note"] == "Past niet bij de ploeg"
    # The coach sees the answer, as the API's feedback.
    feedback = world.client.get("/v1/candidates/c-1/feedback", headers=world.h("coach")).json()["items"]
    assert "rejected_by_employer" in [f["code"] for f in feedback]


def test_a_decision_without_a_choice_is_refused_and_keeps_the_note(web):
    world = web.world
    iid = _introduce(world)
    client = web.client("employer")
    csrf = csrf_in(client.get(f"/werkgever/introducties/{iid}").text, f"/werkgever/introducties/{iid}/besluit")
    answer = client.post(f"/werkgever/introducties/{iid}/besluit",
                         data={"csrf_token": csrf, "decision": "misschien", "note": "Mijn notitie"})
    assert answer.status_code == 422
    assert 'id="decision-error">Reactie: kies' in answer.text and "Mijn notitie" in answer.text
    assert world.client.get(f"/v1/introductions/{iid}", headers=world.h("employer")).json()["decision"] is None
    answer = client.post(f"/werkgever/introducties/{iid}/besluit", data={"decision": "interested"})
    assert answer.status_code == 403
    assert world.client.get(f"/v1/introductions/{iid}", headers=world.h("employer")).json()["decision"] is None


def test_another_organisation_cannot_see_or_decide(web):
    world = web.world
    iid = _introduce(world)
    other = web.client("employer2")
    csrf = web.csrf("employer2", "/werkgever")
    assert other.get(f"/werkgever/introducties/{iid}").status_code == 404
    assert other.post(f"/werkgever/introducties/{iid}/besluit",
                      data={"csrf_token": csrf, "decision": "rejected"}).status_code == 404
    assert "Kandidaat " not in other.get("/werkgever").text
    assert world.client.get(f"/v1/introductions/{iid}", headers=world.h("employer")).json()["decision"] is None
