"""The pages reach records stored before the id rule: every link goes through
``path_id``, so a place ``p-slash/1`` or a candidate ``c/../x`` is linked in its
``~`` form, and the link opens, closes and erases the record it names."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from service.ids import path_id
from service.tables import CandidateRow
from tests.service.hostile.legacy import insert_candidate, insert_place
from tests.service.web.conftest import csrf_of
from tests.service.web.test_employer_places import place_form

PLACE, CANDIDATE = "p-slash/1", "c/../x"
PLACE_URL, CANDIDATE_URL = f"/werkgever/plekken/{path_id(PLACE)}", f"/coach/kandidaten/{path_id(CANDIDATE)}"


def _form_csrf(html: str, action: str) -> str:
    form = re.search(rf'<form[^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, f"no form posting to {action}"
    return csrf_of(form.group(0))


def test_the_coach_pages_link_to_a_legacy_candidate_and_place_and_the_links_work(web):
    insert_candidate(web.world, CANDIDATE)
    insert_place(web.world, PLACE)
    client = web.client("coach")
    assert CANDIDATE_URL == "/coach/kandidaten/~Yy8uLi94"
    assert f'href="{CANDIDATE_URL}"' in client.get("/coach").text

    page = client.get(CANDIDATE_URL)
    assert page.status_code == 200 and CANDIDATE in page.text
    assert f'href="{CANDIDATE_URL}/profiel"' in page.text
    fragment = client.get(f"{CANDIDATE_URL}/suggesties", headers={"X-Partial": "1"}).text
    introduce = f"{CANDIDATE_URL}/voorstellen/{path_id(PLACE)}"
    assert f'href="{introduce}"' in fragment
    assert client.get(introduce).status_code == 200
    assert client.get(f"{CANDIDATE_URL}/dossier.csv").status_code == 200
    # A segment that names no id is a page that does not exist.
    assert client.get("/coach/kandidaten/c%20x").status_code == 404

    erase_page = client.get(f"{CANDIDATE_URL}/wissen").text
    token = _form_csrf(erase_page, f"{CANDIDATE_URL}/wissen")
    answer = client.post(f"{CANDIDATE_URL}/wissen", data={"csrf_token": token, "confirm": "ja", "typed_id": CANDIDATE},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/coach"
    with web.world.db.read() as s:
        assert s.execute(select(func.count()).select_from(CandidateRow)).scalar_one() == 0


def test_the_employer_pages_link_to_a_legacy_place_and_can_close_it(web):
    world = web.world
    insert_place(world, PLACE)
    client = web.client("employer")
    assert f'href="{PLACE_URL}"' in client.get("/werkgever").text

    page = client.get(PLACE_URL)
    assert page.status_code == 200 and "Receptiemedewerker" in page.text
    edit = client.get(f"{PLACE_URL}/bewerken").text
    answer = client.post(f"{PLACE_URL}/bewerken", follow_redirects=False,
                         data=place_form(_form_csrf(edit, f"{PLACE_URL}/bewerken"), title="Receptie en post"))
    assert answer.status_code == 303 and answer.headers["location"] == PLACE_URL
    page = client.get(PLACE_URL)
    assert "Receptie en post" in page.text
    token = _form_csrf(page.text, f"{PLACE_URL}/sluiten")
    answer = client.post(f"{PLACE_URL}/sluiten", data={"csrf_token": token, "status": "closed"},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == PLACE_URL
    assert "Gesloten" in client.get(PLACE_URL).text
    body = world.client.get(f"/v1/placements/{path_id(PLACE)}", headers=world.h("employer")).json()
    assert body["id"] == PLACE and body["status"] == "closed"
    # Another organisation's employer finds nothing under the same link.
    assert web.client("employer2").get(PLACE_URL).status_code == 404
