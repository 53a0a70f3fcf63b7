"""No employer page shows anything medical about an introduced candidate.

A coach introduces a candidate whose health data carries marker strings, to a
place (posted through the employer's own form) whose demands put the candidate
on the edge of several limits, so the introduction holds a written motivation
per signalled item. A second place fits only with the employer's adjustment and
a start with fewer hours (contract v1.1): its introduction tells the employer
which adjustments are asked, never why. Then every page reachable from
/werkgever is crawled by its links, and none may contain a marker, a date of the
sickness, the bedrijfsarts' outlook, the former wage, the home postcode, an FML
item number, the wording of an item verdict or the reason of a condition.
"""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from matching.reference.fml import load_catalogue
from tests.service.conftest import candidate_json
from tests.service.web.test_employer_places import csrf_in, place_form

CANDIDATE_ID = "c-MARK-ID-4711"
HOME_POSTCODE = "6525"
DATES = {"sick_since": "2024-02-29", "first_year_evaluation": "2025-02-27", "spoor2_started": "2025-03-03"}
DUTCH_DATES = ("29 februari 2024", "27 februari 2025", "3 maart 2025")
CAPACITY = {"IV.13": 2, "V.3": 1, "III.6": 1, "I.8": [1, 3], "VI.2": 2, "VI.3": 2, "IV.17": 2, "III.1": [2]}
# The bedrijfsarts' build-up prognosis and the former work (contract v1.1): coach-only.
OUTLOOK = {"hours_per_week": 34, "from": "2031-03-17"}
OUTLOOK_DATES = ("2031-03-17", "17 maart 2031")
FORMER_WORK = {"title": "MARK-FORMER-t3 gastvrouw", "hours_per_week": 32, "hourly_wage": 15.87}
FORMER_WAGE = ("15,87", "15.87")
# Words the constraint engine uses in item verdicts and condition reasons, and nothing on an employer page needs.
REASON_WORDS = ("belastbaarheid", "op de grens", "precies wat het werk vraagt", "bedrijfsarts", "navragen",
                "de werkplek voldoet", "het werk vraagt dit", "beperkt", "signal", "exceed",
                "past als de werkgever", "verwacht", "oude loon", "een opstap, geen")
FML_ID = re.compile(r"(?<![\w.])(?:I|II|III|IV|V|VI)\.\d{1,2}(?![\w.])")
SKIPPED = ("/docs", "/openapi.json", "/static/")  # public documentation and assets, the same for everyone
MAX_PAGES = 200


def _setup(web) -> tuple[str, str]:
    world = web.world
    coach = world.h("coach")
    candidate = candidate_json(
        id=CANDIDATE_ID, home={"postcode": HOME_POSTCODE}, max_travel_km=37, capacity=CAPACITY,
        wishes={"kinds": ["werkervaringsplek"], "hours_per_week": 22,
                "text": "MARK-WISH-q7 liever geen drukte na de burn-out"},
        hours_outlook=OUTLOOK, former_work=FORMER_WORK, **DATES)
    r = world.client.post("/v1/candidates", json=candidate, headers=coach)
    assert r.status_code == 201, r.text

    client = web.client("employer")
    csrf = csrf_in(client.get("/werkgever/plekken/nieuw").text, "/werkgever/plekken/nieuw")
    # On the edge: lifting about 5 kg, standing half an hour, noise, 6 hours a day.
    form = place_form(csrf, q_tillen="2", q_staan_achtereen="1", q_lawaai="ja", q_werkplek=["1", "3"],
                      q_lopen_totaal="2", hours_per_day="6", hours_per_week="24")
    answer = client.post("/werkgever/plekken/nieuw", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    pid = answer.headers["location"].rsplit("/", 1)[-1]

    suggestions = world.client.get(f"/v1/candidates/{CANDIDATE_ID}/suggestions", headers=coach).json()
    mine = next(s for s in suggestions["suggestions"] if s["placement_id"] == pid)
    signalled = [i["item"] for i in mine["items"] if i["verdict"] == "signal"]
    assert {"IV.13", "V.3", "III.6"} <= set(signalled), signalled
    r = world.client.post(f"/v1/candidates/{CANDIDATE_ID}/feedback", headers=coach, json={
        "placement_id": pid, "code": "introduced", "note": "MARK-NOTE-coach only",
        "motivation": "Ervaren gastvrouw die graag met mensen werkt.",
        "signal_motivations": {item: f"MARK-SIGNAL-{item}-z8 toelichting voor de coach" for item in signalled}})
    assert r.status_code == 201, r.text
    iid = r.json()["introduction"]["id"]
    # A decision too, so pages show their decided state.
    page = client.get(f"/werkgever/introducties/{iid}").text
    client.post(f"/werkgever/introducties/{iid}/besluit",
                data={"csrf_token": csrf_in(page, f"/werkgever/introducties/{iid}/besluit"), "decision": "interested",
                      "note": "Graag kennismaken"})
    return pid, iid


def _setup_adjusted(web) -> tuple[str, str, list[str]]:
    """A place that asks more lifting and more hours than the candidate can do now, but
    that the employer can make lighter and start with fewer hours: introduced with
    both conditions. Returns the place, the introduction and the conditions' reasons."""
    world = web.world
    coach = world.h("coach")
    client = web.client("employer")
    csrf = csrf_in(client.get("/werkgever/plekken/nieuw").text, "/werkgever/plekken/nieuw")
    # 10 kg now (the candidate: about 5), about 2 kg if needed; 34 hours (the candidate: 30 now,
    # 34 expected by the outlook's date), starting with 24.
    form = place_form(csrf, title="Magazijnmedewerker inpak", q_tillen="1", a_tillen="3", q_werkplek=["1", "3"],
                      hours_per_week="34", hours_per_day="6", start_hours_per_week="24", wage_unpaid=None,
                      wage_min="12,50")
    answer = client.post("/werkgever/plekken/nieuw", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    pid = answer.headers["location"].rsplit("/", 1)[-1]

    suggestions = world.client.get(f"/v1/candidates/{CANDIDATE_ID}/suggestions", headers=coach).json()
    mine = next(s for s in suggestions["suggestions"] if s["placement_id"] == pid)
    assert mine["verdict"] == "adjust", mine
    assert {(c["kind"], c["item"]) for c in mine["conditions"]} == {("aanpassing", "IV.13"), ("opbouw", "VI.3")}
    signalled = [i["item"] for i in mine["items"] if i["verdict"] == "signal"]
    r = world.client.post(f"/v1/candidates/{CANDIDATE_ID}/feedback", headers=coach, json={
        "placement_id": pid, "code": "introduced", "motivation": "Precies en rustig; inpakken gaat haar goed af.",
        "signal_motivations": {item: f"MARK-SIGNAL-{item}-a4 toelichting voor de coach" for item in signalled}})
    assert r.status_code == 201, r.text
    intro = r.json()["introduction"]
    assert len(intro["conditions"]) == 2
    return pid, intro["id"], [c["reason"] for c in intro["conditions"]]


def _links(base: str, html: str) -> list[str]:
    out = []
    for href in re.findall(r'<a\s[^>]*href="([^"#]*)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIPPED):
            out.append(path)
    return out


def _forbidden(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """What the text shows that an employer may not see; ``allowed``: texts the employer
    must see (the adjustments asked), taken out first. They name an FML item's
    activity ("Tillen: hoogstens ...") because that is what the employer changes."""
    for ok in allowed:
        text = text.replace(html.escape(ok, quote=True), "").replace(ok, "")
    found = []
    if "MARK-" in text:
        found += re.findall(r"MARK-[\w-]*", text)
    found += [d for d in (*DATES.values(), *DUTCH_DATES, *OUTLOOK_DATES, *FORMER_WAGE) if d in text]
    if re.search(rf"\b{HOME_POSTCODE}\b", text):
        found.append(HOME_POSTCODE)
    found += FML_ID.findall(text)
    lowered = text.lower()
    found += [w for w in REASON_WORDS if w in lowered]
    fml = load_catalogue()
    found += [f"{fml[i].name}:" for i in CAPACITY if f"{fml[i].name}:" in text]
    found += ["burn-out"] if "burn-out" in lowered else []
    return found


def test_no_page_reachable_from_the_start_page_shows_anything_medical(web):
    pid, iid = _setup(web)
    adjusted_pid, adjusted_iid, reasons = _setup_adjusted(web)
    client = web.client("employer")
    asked = tuple(web.world.client.get(f"/v1/introductions/{adjusted_iid}",
                                       headers=web.world.h("employer")).json()["adjustments"])
    assert len(asked) == 2, asked
    # What the employer reads of a condition says what to change, and nothing of why.
    for text in asked:
        assert not _forbidden(f"<p>{text}</p>".replace("Tillen:", "Til")), text
    queue, seen, problems = deque(["/werkgever"]), set(), []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        page = client.get(path)
        assert page.status_code == 200, (path, page.status_code)
        for found in _forbidden(page.text, allowed=asked):
            problems.append(f"{path}: {found}")
        problems += [f"{path}: condition reason {r!r}" for r in reasons
                     if r in page.text or html.escape(r, quote=True) in page.text]
        queue.extend(p for p in _links(str(page.url), page.text) if p not in seen)
    assert not problems, problems
    # The crawl reached the pages that matter.
    for must in ("/werkgever", f"/werkgever/plekken/{pid}", f"/werkgever/plekken/{pid}/bewerken",
                 f"/werkgever/introducties/{iid}", "/werkgever/plekken/nieuw", f"/werkgever/plekken/{adjusted_pid}",
                 f"/werkgever/introducties/{adjusted_iid}"):
        assert must in seen, (must, sorted(seen))
    # And they do show what the employer may see.
    profile = client.get(f"/werkgever/introducties/{iid}").text
    assert "Gastvrouw vakantiepark" in profile and "Ervaren gastvrouw die graag met mensen werkt." in profile
    assert "Gevraagde aanpassing" not in profile
    adjusted = client.get(f"/werkgever/introducties/{adjusted_iid}").text
    assert "Gevraagde aanpassingen" in adjusted
    for text in asked:
        assert html.escape(text, quote=True) in adjusted, text


def test_the_crawl_would_notice_a_leak():
    # The checker itself: each kind of leak is caught.
    for leak in ("MARK-WISH-q7", "2024-02-29", "29 februari 2024", "postcode 6525", "IV.13", "VI.2",
                 "Tillen: kan ongeveer 5 kg", "op de grens", "de toelichting van de bedrijfsarts",
                 "de bedrijfsarts verwacht 34 uur per week vanaf 17 maart 2031", "2031-03-17",
                 "Past als de werkgever het tillen beperkt tot ongeveer 2 kg", "ongeveer 72% van het oude loon",
                 "€ 15,87 per uur", "MARK-FORMER-t3"):
        assert _forbidden(f"<p>{leak}</p>"), leak
    assert not _forbidden("<p>Tot ongeveer 5 kilo; p-e-1-a6525b; 6 uur per dag</p>")
    # The adjustments asked are allowed, and only those.
    assert not _forbidden("<li>Tillen: hoogstens 2 kg</li>", allowed=("Tillen: hoogstens 2 kg",))
    assert _forbidden("<li>Tillen: hoogstens 2 kg</li><p>Tillen: kan 5 kg</p>", allowed=("Tillen: hoogstens 2 kg",))
