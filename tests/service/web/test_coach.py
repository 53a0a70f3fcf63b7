"""The coach's pages as a coach uses them: start page, a candidate with suggestions,
set aside and undo, introduce with motivations, dossier export, erasure."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import func, select

from service.tables import CandidateRow, FeedbackRow, IntroductionRow
from tests.service.conftest import candidate_json, placement_json
from tests.service.web.conftest import csrf_of

MOTIVATION = "Zes jaar ervaring met gasten; zoekt een rustige baliefunctie."


def api_candidate(web, who="coach", **fields):
    r = web.world.client.post("/v1/candidates", json=candidate_json(**fields), headers=web.world.h(who))
    assert r.status_code == 201, r.text


def api_place(web, **fields):
    r = web.world.client.post("/v1/placements", json=placement_json(**fields), headers=web.world.h("employer"))
    assert r.status_code == 201, r.text


def setup_edge(web):
    """c-1 with limits; p-ok fits plainly, p-edge is on the edge of standing and noise,
    p-heavy asks too much lifting."""
    api_candidate(web, capacity={"IV.13": 2, "V.3": 1, "III.6": 1})
    api_place(web, id="p-ok", title="Telefonist")
    api_place(web, id="p-edge", title="Receptiemedewerker", demands={"V.3": 1, "III.6": True})
    api_place(web, id="p-heavy", title="Magazijnmedewerker", demands={"IV.13": 1})


def form_token(html: str, action: str) -> str:
    """The CSRF token inside the form that posts to ``action`` (not the logout form's)."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return csrf_of(form)


def count(web, table) -> int:
    with web.world.db.read() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def test_start_page_lists_candidates_most_urgent_first(web):
    api_candidate(web, id="c-later", sick_since=ago(20))                    # week 3: too early
    api_candidate(web, id="c-late", sick_since=ago(400))                    # past week 52: overdue
    api_candidate(web, id="c-soon", sick_since=ago(340))                    # due within weeks
    api_candidate(web, id="c-other", who="coach2", sick_since=ago(400))
    page = web.client("coach").get("/coach")
    assert page.status_code == 200
    html = page.text
    positions = [html.index(f'data-candidate="{cid}"') for cid in ("c-late", "c-soon", "c-later")]
    assert positions == sorted(positions)
    assert "Te laat" in html and "loonsanctie" in html
    assert 'href="/coach/kandidaten/c-late"' in html
    assert "c-other" not in html
    assert "Nog geen nachtelijke run" in html


def test_candidate_page_shows_suggestions_with_explanation_and_flagged_items(web):
    setup_edge(web)
    client = web.client("coach")
    page = client.get("/coach/kandidaten/c-1")
    assert page.status_code == 200
    assert 'data-load="/coach/kandidaten/c-1/suggesties"' in page.text
    assert "Tillen" in page.text  # the limits in words
    part = client.get("/coach/kandidaten/c-1/suggesties", headers={"X-Partial": "1"})
    assert part.status_code == 200 and "<html" not in part.text
    assert "Receptiemedewerker" in part.text and "Telefonist" in part.text
    assert "Let op" in part.text and "Staan (V.3)" in part.text and "Geluidsbelasting (III.6)" in part.text
    assert 'class="explanation"' in part.text
    # The nearest miss, with the item that rules it out.
    assert "Net niet passend" in part.text and "Magazijnmedewerker" in part.text and "Tillen (IV.13)" in part.text
    # Without JavaScript the same list is a page of its own.
    full = client.get("/coach/kandidaten/c-1/suggesties")
    assert "<html" in full.text and "Receptiemedewerker" in full.text


def test_set_aside_and_undo_round_trip(web):
    setup_edge(web)
    client = web.client("coach")
    token = form_token(client.get("/coach/kandidaten/c-1/suggesties").text, "/coach/kandidaten/c-1/terzijde")
    r = client.post("/coach/kandidaten/c-1/terzijde", data={"csrf_token": token, "placement_id": "p-ok",
                                                           "why": "reistijd", "note": "Twee bussen"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/coach/kandidaten/c-1")
    page = client.get("/coach/kandidaten/c-1").text
    assert "is terzijde gelegd" in page  # the flash
    assert "Terzijde gelegd" in page and "reistijd te lang" in page and "Twee bussen" in page
    assert "Telefonist" not in client.get("/coach/kandidaten/c-1/suggesties").text
    with web.world.db.read() as s:
        fid = s.execute(select(FeedbackRow.id)).scalar_one()
    assert f"/terugkoppeling/{fid}/ongedaan" in page
    undo = f"/coach/kandidaten/c-1/terugkoppeling/{fid}/ongedaan"
    r = client.post(undo, data={"csrf_token": form_token(page, undo)},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Telefonist" in client.get("/coach/kandidaten/c-1/suggesties").text
    # Without a reason: refused beside the field, nothing written.
    r = client.post("/coach/kandidaten/c-1/terzijde", data={"csrf_token": token, "placement_id": "p-ok",
                                                           "why": "", "note": "zomaar"})
    assert r.status_code == 422 and 'id="why-error"' in r.text and "zomaar" in r.text
    assert count(web, FeedbackRow) == 1


def test_introduce_needs_a_motivation_per_flagged_item(web):
    setup_edge(web)
    client = web.client("coach")
    form = client.get("/coach/kandidaten/c-1/voorstellen/p-edge")
    assert form.status_code == 200
    assert 'name="signal_motivations.V.3"' in form.text and 'name="signal_motivations.III.6"' in form.text
    token = form_token(form.text, "/coach/kandidaten/c-1/voorstellen/p-edge")
    r = client.post("/coach/kandidaten/c-1/voorstellen/p-edge",
                    data={"csrf_token": token, "motivation": MOTIVATION, "signal_motivations.V.3": "kort"})
    assert r.status_code == 422
    assert 'id="signal_motivations.V.3-error"' in r.text and 'id="signal_motivations.III.6-error"' in r.text
    assert "Geluidsbelasting (III.6): schrijf minstens 10 tekens" in r.text
    assert MOTIVATION in r.text and ">kort</textarea>" in r.text  # what was typed stays
    assert count(web, IntroductionRow) == 0 and count(web, FeedbackRow) == 0

    r = client.post("/coach/kandidaten/c-1/voorstellen/p-edge", data={
        "csrf_token": token, "motivation": MOTIVATION,
        "signal_motivations.V.3": "Staan wisselt af met zitten achter de balie.",
        "signal_motivations.III.6": "Rustige receptie, geen lawaai van de werkvloer."}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert count(web, IntroductionRow) == 1
    page = client.get("/coach/kandidaten/c-1").text
    assert "Voorgesteld bij Receptiemedewerker" in page and "Nog geen reactie" in page
    # The employer's decision shows on the coach's page.
    employer = web.world.h("employer")
    [intro] = web.world.client.get("/v1/introductions", headers=employer).json()["items"]
    web.world.client.post(f"/v1/introductions/{intro['id']}/decision",
                          json={"decision": "interested", "note": "Graag kennismaken"}, headers=employer)
    page = client.get("/coach/kandidaten/c-1").text
    assert "Werkgever heeft interesse" in page and "Graag kennismaken" in page


def test_profile_edit_with_bad_values_is_refused_beside_the_fields(web):
    api_candidate(web, sick_since=ago(100))
    client = web.client("coach")
    form = client.get("/coach/kandidaten/c-1/profiel")
    assert form.status_code == 200 and 'value="6511"' in form.text
    data = {"csrf_token": form_token(form.text, "/coach/kandidaten/c-1/profiel"), "home": "6511",
            "max_travel_km": "25", "education.level": "mbo-3",
            "education.field": "zorg", "experience.0.title": "Gastvrouw", "experience.0.years": "6",
            "skills": "gastvrijheid, klantcontact", "wishes.kinds": ["vacature"], "wishes.hours_per_week": "-3",
            "wishes.text": "Met mensen werken", "sick_since": (date.today() + timedelta(days=30)).isoformat()}
    r = client.post("/coach/kandidaten/c-1/profiel", data=data)
    assert r.status_code == 422
    assert 'id="wishes.hours_per_week-error"' in r.text and "moet meer zijn dan 0" in r.text
    assert 'id="sick_since-error"' in r.text and "ligt in de toekomst" in r.text
    assert 'value="-3"' in r.text and "Met mensen werken" in r.text
    body = web.world.client.get("/v1/candidates/c-1", headers=web.world.h("coach")).json()
    assert body["wishes"]["hours_per_week"] == 24 and body["sick_since"] == ago(100)


def test_capacity_entered_in_the_fml_form_round_trips(web):
    client = web.client("coach")
    form = client.get("/coach/kandidaten/nieuw")
    assert form.status_code == 200 and 'name="capacity.IV.13"' in form.text
    data = {"csrf_token": form_token(form.text, "/coach/kandidaten/nieuw"), "id": "c-new", "home": "Nijmegen",
            "max_travel_km": "20",
            "education.level": "mbo-2", "experience.0.title": "Gastvrouw", "experience.0.years": "4,5",
            "experience.1.title": "", "skills": "kassa", "wishes.kinds": ["vacature", "detachering"],
            "wishes.hours_per_week": "24", "sick_since": ago(60),
            "capacity.IV.13": "2", "capacity.V.3": "0", "capacity.I.8": ["1", "4"], "capacity.III.6": "1",
            "capacity.VI.3": "3"}
    r = client.post("/coach/kandidaten/nieuw", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/coach/kandidaten/c-new"
    body = web.world.client.get("/v1/candidates/c-new", headers=web.world.h("coach")).json()
    assert body["capacity"] == {"IV.13": 2, "I.8": [1, 4], "III.6": 1, "VI.3": 3}
    assert body["home"] == {"place": "Nijmegen"} and body["experience"][0]["years"] == 4.5
    # The edit form shows it again, and saving it unchanged keeps it.
    form = client.get("/coach/kandidaten/c-new/profiel").text
    assert 'name="capacity.I.8" value="4" checked' in form
    assert '<option value="2" selected>' in form.split('name="capacity.IV.13"')[1].split("</select>")[0]
    data.pop("id")
    data["csrf_token"] = form_token(form, "/coach/kandidaten/c-new/profiel")
    assert client.post("/coach/kandidaten/c-new/profiel", data=data, follow_redirects=False).status_code == 303
    again = web.world.client.get("/v1/candidates/c-new", headers=web.world.h("coach")).json()
    assert again["capacity"] == body["capacity"]
    # The same id twice is refused beside the id.
    data["id"] = "c-new"
    r = client.post("/coach/kandidaten/nieuw", data=data)
    assert r.status_code == 422 and 'id="id-error"' in r.text and "al een kandidaat met deze code" in r.text


def test_dossier_export_downloads(web):
    api_candidate(web)
    client = web.client("coach")
    r = client.get("/coach/kandidaten/c-1/dossier.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="dossier-c-1.csv"' == r.headers["content-disposition"]
    assert "candidate_created" in r.text
    r = client.get("/coach/kandidaten/c-1/dossier.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert json.loads(r.text)["candidate_id"] == "c-1"


def test_erase_needs_the_confirmation(web):
    api_candidate(web)
    client = web.client("coach")
    page = client.get("/coach/kandidaten/c-1/wissen")
    assert page.status_code == 200 and "niet ongedaan" in page.text
    token = form_token(page.text, "/coach/kandidaten/c-1/wissen")
    r = client.post("/coach/kandidaten/c-1/wissen", data={"csrf_token": token, "typed_id": "c-1"})
    assert r.status_code == 422 and 'id="confirm-error"' in r.text
    r = client.post("/coach/kandidaten/c-1/wissen", data={"csrf_token": token, "confirm": "ja", "typed_id": "c-2"})
    assert r.status_code == 422 and 'id="typed_id-error"' in r.text
    assert count(web, CandidateRow) == 1
    r = client.post("/coach/kandidaten/c-1/wissen", data={"csrf_token": token, "confirm": "ja", "typed_id": "c-1"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/coach"
    assert count(web, CandidateRow) == 0
    assert "gewist" in client.get("/coach").text


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(web):
    setup_edge(web)
    client = web.client("coach")
    client.get("/coach")
    posts = [
        ("/coach/kandidaten/c-1/terzijde", {"placement_id": "p-ok", "why": "werk"}),
        ("/coach/kandidaten/c-1/wissen", {"confirm": "ja", "typed_id": "c-1"}),
        ("/coach/kandidaten/c-1/profiel", {"home": "9711", "education.level": "wo"}),
        ("/coach/kandidaten/nieuw", {"id": "c-2", "home": "6511", "education.level": "wo"}),
        ("/coach/kandidaten/c-1/voorstellen/p-ok", {"motivation": MOTIVATION}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf_token": "wrong"}).status_code == 403, path
    assert count(web, FeedbackRow) == 0 and count(web, CandidateRow) == 1
    body = web.world.client.get("/v1/candidates/c-1", headers=web.world.h("coach")).json()
    assert body["home"] == {"postcode": "6511"}


def test_another_coachs_candidate_answers_404(web):
    setup_edge(web)
    bram = web.client("coach2")
    token = csrf_of(bram.get("/coach").text)
    for path in ("/coach/kandidaten/c-1", "/coach/kandidaten/c-1/suggesties", "/coach/kandidaten/c-1/profiel",
                 "/coach/kandidaten/c-1/wissen", "/coach/kandidaten/c-1/dossier.csv",
                 "/coach/kandidaten/c-1/voorstellen/p-ok"):
        r = bram.get(path)
        assert r.status_code == 404 and "Niet gevonden" in r.text, path
    for path, data in (("/coach/kandidaten/c-1/terzijde", {"placement_id": "p-ok", "why": "werk"}),
                       ("/coach/kandidaten/c-1/wissen", {"confirm": "ja", "typed_id": "c-1"}),
                       ("/coach/kandidaten/c-1/terugkoppeling/1/ongedaan", {})):
        assert bram.post(path, data={**data, "csrf_token": token}).status_code == 404, path
    assert count(web, CandidateRow) == 1 and count(web, FeedbackRow) == 0


def test_start_page_shows_last_nights_changes_and_suggestions_their_contention(web, settings):
    from service.rematch import RematchOptions, run_rematch
    from tests.conftest import HashingEncoder

    api_candidate(web, id="c-a")
    api_candidate(web, id="c-b")
    api_place(web, id="p-rec", title="Receptiemedewerker vakantiepark")
    run = run_rematch(web.world.db, settings, HashingEncoder(),
                      RematchOptions(top=3, reserve=2, exposure_factor=10.0, partition_size=1, workers=1))
    assert run.status == "committed"
    client = web.client("coach")
    html = client.get("/coach").text
    assert "Nog geen nachtelijke run" not in html and "Nachtelijke run van" in html
    section = html.split('id="vannacht"')[1]
    assert 'href="/coach/kandidaten/c-a"' in section and "Receptiemedewerker vakantiepark" in section
    part = client.get("/coach/kandidaten/c-a/suggesties", headers={"X-Partial": "1"}).text
    assert "ook voorgesteld bij nog 1 andere kandidaat" in part
