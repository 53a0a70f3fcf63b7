"""The coach's pages flag an introduction whose place the employer changed beyond the
candidate's limits: first thing on the start page, and on the introduction's row of the
candidate page, naming the items. The employer's pages say nothing of it."""

from __future__ import annotations

import html as html_lib

from service.introductions_exceeding import HEADLINE
from tests.service.conftest import candidate_json, placement_json

MOTIVATION = "Zes jaar ervaring met gasten; zoekt een rustige baliefunctie."
LIFTING = "Tillen: kan ongeveer 5 kg (t/m 50×/u), het werk vraagt ongeveer 10 kg (t/m 10×/u)"


def _introduced_then_raised(web) -> str:
    c, w = web.world.client, web.world
    assert c.post("/v1/candidates", json=candidate_json(capacity={"IV.13": 2}), headers=w.h("coach")).status_code == 201
    for pid, title in (("p-1", "Receptiemedewerker"), ("p-2", "Telefonist")):
        r = c.post("/v1/placements", json=placement_json(id=pid, title=title), headers=w.h("employer"))
        assert r.status_code == 201
        r = c.post("/v1/candidates/c-1/feedback", headers=w.h("coach"),
                   json={"placement_id": pid, "code": "introduced", "motivation": MOTIVATION})
        assert r.status_code == 201, r.text
    iid = c.get("/v1/introductions", headers=w.h("employer")).json()["items"][0]["id"]
    r = c.patch("/v1/placements/p-1", json={"demands": {"IV.13": 1}}, headers=w.h("employer"))
    assert r.status_code == 200
    return iid


def _text(page) -> str:
    assert page.status_code == 200
    return html_lib.unescape(page.text)


def test_the_start_page_shows_it_first(web):
    _introduced_then_raised(web)
    text = _text(web.client("coach").get("/coach"))
    assert HEADLINE in text
    section = text.split('id="te-zwaar"', 1)[1].split("</section>", 1)[0]
    assert 'data-placement="p-1"' in section and 'data-placement="p-2"' not in section
    assert "Receptiemedewerker" in section and "(IV.13)" in section and LIFTING in section
    assert '/coach/kandidaten/c-1#voorstellen' in section
    # Before the timeline: it is what needs the coach first.
    assert text.index('id="te-zwaar"') < text.index('id="tijdlijn"')
    # Another coach's start page knows nothing of it.
    assert HEADLINE not in _text(web.client("coach2").get("/coach"))


def test_the_candidate_page_flags_the_introduction_row_with_the_items(web):
    _introduced_then_raised(web)
    text = _text(web.client("coach").get("/coach/kandidaten/c-1"))
    section = text.split('id="voorstellen"', 1)[1].split("</section>", 1)[0]
    assert "1 voorstel: " + HEADLINE.lower() in section
    rows = section.split("<tr>")[2:]  # past the header row
    [flagged] = [r for r in rows if "exceeding-intro" in r]
    assert "p-1" in flagged and "(IV.13)" in flagged and LIFTING in flagged
    assert not any("exceeding-intro" in r for r in rows if "p-2" in r and "p-1" not in r)


def test_changed_back_the_flag_is_gone(web):
    _introduced_then_raised(web)
    r = web.world.client.patch("/v1/placements/p-1", json={"demands": {"IV.13": None}},
                               headers=web.world.h("employer"))
    assert r.status_code == 200
    assert HEADLINE not in _text(web.client("coach").get("/coach"))
    assert "exceeding-intro" not in _text(web.client("coach").get("/coach/kandidaten/c-1"))


def test_the_employer_pages_say_nothing_of_it(web):
    iid = _introduced_then_raised(web)
    employer = web.client("employer")
    for path in ("/werkgever", "/werkgever/plekken/p-1", f"/werkgever/introducties/{iid}"):
        text = _text(employer.get(path))
        for mark in (HEADLINE, "belastbaarheid", "5 kg", "IV.13", "kan ongeveer", "te veel"):
            assert mark not in text, (path, mark)
