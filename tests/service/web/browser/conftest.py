"""Browser tests: the real app served by uvicorn on loopback, driven by Playwright
in Debian's Chromium (never a downloaded browser).

The browser is found at SPOORMATCH_TEST_CHROMIUM or /usr/bin/chromium; without it
the tests skip, unless SPOORMATCH_TEST_REQUIRE_BROWSER is set (CI sets both, see
.ci/run and .ci/chromium.sh), when they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from matching.contract.io import read_jsonl
from matching.contract.models import Candidate, Placement
from matching.demo import generate_placements
from matching.settings import Settings
from service import store
from service.app import create_app
from service.auth import Principal
from service.schemas import CandidateBody, UserIn
from service.store import create_user_row, set_login
from service.tables import CandidateRow, Organisation, PlacementRow, utcnow
from tests.conftest import HashingEncoder

PASSWORD = "browser-test-wachtwoord"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
SCREENSHOTS = Path(os.environ.get("SPOORMATCH_SCREENSHOT_DIR", "")) if os.environ.get(
    "SPOORMATCH_SCREENSHOT_DIR") else None


def chromium_path() -> str | None:
    given = os.environ.get("SPOORMATCH_TEST_CHROMIUM", "")
    if given and Path(given).exists():
        return given
    return shutil.which("chromium") or (None if not Path("/usr/bin/chromium").exists() else "/usr/bin/chromium")


@dataclass
class Site:
    url: str
    app: object
    organisation_id: str
    candidate_ids: list[str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(app, data_dir: Path) -> tuple[str, list[str]]:
    """Generated places, the story candidates of one coach, an employer of one place's organisation."""
    ctx = app.state.ctx
    placements = [Placement.model_validate(p) for p in generate_placements(120, seed=7)]
    stories = read_jsonl(data_dir / "demo" / "candidates.jsonl", Candidate)
    org = "e-browser"
    with ctx.db.write() as tx:
        for o in sorted({p.employer_id for p in placements} | {org}):
            tx.add(Organisation(id=o, name=f"Werkgever {o}", created_at=utcnow()))
        tx.flush()
        for p in placements:
            tx.add(PlacementRow(id=p.id, organisation_id=p.employer_id, body=store.placement_json(p), kind=p.kind,
                                status=p.status, created_at=utcnow(), updated_at=utcnow()))
        logins = {"coach": UserIn(name="Coach Browser", role="coach"),
                  "werkgever": UserIn(name="HR Browser", role="employer", organisation_id=org),
                  "beheer": UserIn(name="Beheer Browser", role="admin")}
        coach = None
        for username, body in logins.items():
            user, _, _ = create_user_row(tx.session, body, 0)
            set_login(tx.session, user, username, PASSWORD)
            if username == "coach":
                coach = Principal(user.id, user.name, "coach", None)
        ids = []
        for story in stories:
            body = CandidateBody.model_validate({**story.model_dump(mode="json", exclude_none=True),
                                                 "sick_since": "2025-06-01"})
            row = CandidateRow(id=body.id, coach_id=coach.user_id, created_at=utcnow(), updated_at=utcnow())
            store.set_candidate_body(row, body)
            tx.add(row)
            ids.append(body.id)
    ctx.engine.reload()
    return org, ids


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    state = tmp_path_factory.mktemp("browser-state")
    # No rate limit: one server for the whole session, and a scripted browser clicks far
    # faster than a coach (tests/service/hostile/ tests the limit).
    settings = Settings(database_url=f"sqlite:///{state / 'spoormatch.db'}", state_dir=state, rate_limit="off")
    app = create_app(settings, HashingEncoder())
    org, ids = _seed(app, settings.data_dir)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield Site(url=f"http://127.0.0.1:{port}", app=app, organisation_id=org, candidate_ids=ids)
    server.should_exit = True
    thread.join(timeout=10)
    app.state.ctx.db.dispose()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    path = chromium_path()
    if path is None:
        if os.environ.get("SPOORMATCH_TEST_REQUIRE_BROWSER"):
            pytest.fail("no Chromium: install Debian's chromium (.ci/chromium.sh) or set SPOORMATCH_TEST_CHROMIUM")
        pytest.skip("no Chromium (apt-get install chromium, or set SPOORMATCH_TEST_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(base_url=site.url, viewport={"width": 1100, "height": 900}, locale="nl-NL")
    # Nothing may come from outside this server: fail on any other address.
    outside: list[str] = []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(site.url)
                                         else (outside.append(route.request.url), route.abort())))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not outside, f"the page asked for addresses outside the app: {outside}"


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def screenshot(page, name: str) -> None:
    """Kept for the README when SPOORMATCH_SCREENSHOT_DIR is set."""
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
