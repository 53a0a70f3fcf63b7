"""The admin's pages: organisations, users, passwords shown once, tokens, nightly runs."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import func, select

from service.tables import Organisation, RematchRun, Token, User, utcnow
from tests.service.web.conftest import PASSWORD, USERNAMES, csrf_of, login

NEW_PASSWORD = "nieuw-en-lang-genoeg"


def count(web, table) -> int:
    with web.world.db.read() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def post(web, path: str, data: dict, who: str = "admin"):
    client = web.client(who)
    token = csrf_of(client.get("/beheer").text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def shown_once(html: str) -> str | None:
    found = re.search(r'<code id="eenmalig">([^<]+)</code>', html)
    return found.group(1) if found else None


def new_employer(web, **extra):
    data = {"name": "Piet de Vries", "username": "", "role": "employer", "organisation_id": "e-1",
            "password_mode": "zelf", "password": NEW_PASSWORD, **extra}
    return post(web, "/beheer/gebruikers", data)


def test_the_overview_lists_users_and_adds_an_organisation_refusing_a_duplicate_beside_the_field(web):
    page = web.client("admin").get("/beheer")
    assert page.status_code == 200
    assert "Werkgever e-1" in page.text and "Coach Anna" in page.text and "hr.e1" in page.text
    assert 'class="stack"' in page.text
    assert page.headers["cache-control"] == "no-store"

    answer = post(web, "/beheer/organisaties", {"org_id": "bakkerij", "org_name": "Bakkerij Jansen"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/beheer")
    page = web.client("admin").get(answer.headers["location"])
    assert "Bakkerij Jansen" in page.text and "toegevoegd" in page.text  # the flash

    before = count(web, Organisation)
    again = post(web, "/beheer/organisaties", {"org_id": "bakkerij", "org_name": "Nog een bakkerij"})
    assert again.status_code == 422
    assert 'id="org_id-error">er bestaat al een organisatie met deze code' in again.text
    assert 'value="Nog een bakkerij"' in again.text  # what was typed stays
    assert count(web, Organisation) == before


def test_an_employer_with_a_typed_password_can_log_in(web):
    answer = new_employer(web)
    assert answer.status_code == 303
    assert re.fullmatch(r"/beheer/gebruikers/\d+", answer.headers["location"])
    page = web.client("admin").get(answer.headers["location"])
    assert "piet.de.vries" in page.text  # the username made from the name
    assert 'id="eenmalig"' not in page.text  # a typed password is not shown back
    with web.world.db.read() as session:
        user = session.execute(select(User).where(User.username == "piet.de.vries")).scalar_one()
        assert (user.role, user.organisation_id, user.active) == ("employer", "e-1", True)
        # The API token create_user_row issues was never shown: it does not linger.
        assert session.execute(select(Token).where(Token.user_id == user.id)).first() is None
    entered = login(web.anonymous(), "piet.de.vries", NEW_PASSWORD)
    assert entered.status_code == 303 and entered.headers["location"] == "/werkgever"


def test_refused_users_are_explained_beside_the_field_and_nothing_is_written(web):
    before = count(web, User)
    answer = new_employer(web, password="kort", username="piet")
    assert answer.status_code == 422
    assert 'id="password-error">minstens 10 tekens' in answer.text
    assert 'value="Piet de Vries"' in answer.text and 'value="piet"' in answer.text
    assert "kort" not in answer.text.split('id="password"')[1].split(">")[0]  # never echoed

    answer = new_employer(web, organisation_id="")
    assert answer.status_code == 422
    assert 'id="organisation_id-error">kies de organisatie van deze werkgever' in answer.text
    answer = new_employer(web, role="coach")
    assert answer.status_code == 422 and "alleen een werkgever hoort bij een organisatie" in answer.text
    answer = new_employer(web, username="hr.e1")
    assert answer.status_code == 422 and 'id="username-error">deze gebruikersnaam is al in gebruik' in answer.text
    assert count(web, User) == before


def test_a_generated_password_is_shown_once_and_never_in_the_url_or_a_cookie(web, caplog):
    caplog.set_level(logging.DEBUG)
    answer = new_employer(web, password_mode="genereren", password="")
    assert answer.status_code == 303
    client = web.client("admin")
    page = client.get(answer.headers["location"])
    password = shown_once(page.text)
    assert password and "maar één keer getoond" in page.text
    assert password not in answer.headers["location"]
    assert all(password not in v for _k, v in answer.headers.multi_items())
    assert shown_once(client.get(answer.headers["location"]).text) is None  # once
    assert login(web.anonymous(), "piet.de.vries", password).status_code == 303
    assert password not in caplog.text


def test_a_password_reset_ends_the_old_password_and_the_users_sessions(web, caplog):
    caplog.set_level(logging.DEBUG)
    coach = web.client("coach")
    assert coach.get("/", follow_redirects=False).headers["location"] == "/coach"
    coach_id = web.world.user_ids["coach"]
    answer = post(web, f"/beheer/gebruikers/{coach_id}/inlog",
                  {"username": USERNAMES["coach"], "password_mode": "zelf", "password": NEW_PASSWORD})
    assert answer.status_code == 303
    assert "uitgelogd" in web.client("admin").get(answer.headers["location"]).text
    # The coach's open browser session is gone.
    assert coach.get("/", follow_redirects=False).headers["location"] == "/login"
    assert login(web.anonymous(), USERNAMES["coach"], PASSWORD).status_code == 401
    assert login(web.anonymous(), USERNAMES["coach"], NEW_PASSWORD).status_code == 303
    assert NEW_PASSWORD not in caplog.text

    # A short one is refused and the current one keeps working.
    answer = post(web, f"/beheer/gebruikers/{coach_id}/inlog",
                  {"username": USERNAMES["coach"], "password_mode": "zelf", "password": "kort"})
    assert answer.status_code == 422 and 'id="password-error">minstens 10 tekens' in answer.text
    assert login(web.anonymous(), USERNAMES["coach"], NEW_PASSWORD).status_code == 303

    # A generated one is shown once, on the user's page.
    answer = post(web, f"/beheer/gebruikers/{coach_id}/inlog",
                  {"username": USERNAMES["coach"], "password_mode": "genereren"})
    assert answer.status_code == 303 and answer.headers["location"] == f"/beheer/gebruikers/{coach_id}"
    password = shown_once(web.client("admin").get(answer.headers["location"]).text)
    assert password and password not in answer.headers["location"]
    assert login(web.anonymous(), USERNAMES["coach"], password).status_code == 303
    assert password not in caplog.text


def test_rename_deactivate_and_reactivate_but_never_the_last_admin(web):
    coach_id = web.world.user_ids["coach"]
    coach = web.client("coach")
    assert post(web, f"/beheer/gebruikers/{coach_id}/naam", {"name": "Anna Jansen"}).status_code == 303
    empty = post(web, f"/beheer/gebruikers/{coach_id}/naam", {"name": ""})
    assert empty.status_code == 422 and 'id="name-error"' in empty.text
    assert post(web, f"/beheer/gebruikers/{coach_id}/actief", {"active": "0"}).status_code == 303
    assert coach.get("/", follow_redirects=False).headers["location"] == "/login"
    assert login(web.anonymous(), USERNAMES["coach"]).status_code == 401
    assert post(web, f"/beheer/gebruikers/{coach_id}/actief", {"active": "1"}).status_code == 303
    with web.world.db.read() as session:
        user = session.get(User, coach_id)
        assert (user.name, user.active) == ("Anna Jansen", True)

    admin_id = web.world.user_ids["admin"]
    answer = post(web, f"/beheer/gebruikers/{admin_id}/actief", {"active": "0"})
    assert answer.status_code == 422
    assert "de laatste actieve beheerder kan niet worden gedeactiveerd" in answer.text
    with web.world.db.read() as session:
        assert session.get(User, admin_id).active


def test_tokens_are_issued_once_and_revoked(web):
    coach_id = web.world.user_ids["coach"]
    answer = post(web, f"/beheer/gebruikers/{coach_id}/tokens", {})
    assert answer.status_code == 303
    client = web.client("admin")
    token = shown_once(client.get(answer.headers["location"]).text)
    assert token and shown_once(client.get(answer.headers["location"]).text) is None
    api = web.world.client
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with web.world.db.read() as session:
        token_id = session.execute(select(func.max(Token.id)).where(Token.user_id == coach_id)).scalar_one()
    # A token of another user is not revoked through this user's page.
    other = web.world.user_ids["coach2"]
    assert post(web, f"/beheer/gebruikers/{other}/tokens/{token_id}/intrekken", {}).status_code == 404
    assert post(web, f"/beheer/gebruikers/{coach_id}/tokens/{token_id}/intrekken", {}).status_code == 303
    assert api.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_runs_page_lists_runs_in_dutch(web):
    now = utcnow()
    with web.world.db.write() as tx:
        tx.add(RematchRun(id="run-ok", status="committed", fingerprint="f", params={}, partitions_total=2,
                          counts={"candidates": 1234, "computed": 10, "merged": 2, "reused": 1222, "skipped": 0},
                          summary={"digest": {"coaches": 3, "new": 7, "dropped": 1}, "allocation": {}},
                          started_at=now - timedelta(hours=2), committed_at=now - timedelta(hours=1)))
        tx.add(RematchRun(id="run-bad", status="failed", fingerprint="f", params={}, counts={}, summary={},
                          error="database busy", started_at=now))
    page = web.client("admin").get("/beheer/runs")
    assert page.status_code == 200
    assert "run-ok" in page.text and "afgerond" in page.text and "1.234" not in page.text
    assert "1234 kandidaten" in page.text and "7 nieuw" in page.text
    assert "run-bad" in page.text and "mislukt" in page.text and "database busy" in page.text
    assert page.text.index("run-bad") < page.text.index("run-ok")  # newest first


def test_other_roles_strangers_and_forms_without_csrf_token_change_nothing(web):
    assert web.client("coach").get("/beheer").status_code == 403
    assert web.client("employer").get("/beheer/runs").status_code == 403
    assert web.anonymous().get("/beheer", follow_redirects=False).headers["location"].startswith("/login")
    coach = web.client("coach")
    token = csrf_of(coach.get("/beheer/runs").text)  # the logout form's token on the 403 page
    answer = coach.post("/beheer/organisaties", data={"csrf_token": token, "org_id": "x", "org_name": "X"})
    assert answer.status_code == 403

    # The admin's own forms without their CSRF token change nothing either.
    client = web.client("admin")
    before = (count(web, Organisation), count(web, User))
    answer = client.post("/beheer/organisaties", data={"org_id": "zonder", "org_name": "Zonder"})
    assert answer.status_code == 403
    answer = client.post("/beheer/gebruikers", data={"name": "X", "role": "coach", "password_mode": "genereren",
                                                     "csrf_token": "wrong"})
    assert answer.status_code == 403
    coach_id = web.world.user_ids["coach"]
    answer = client.post(f"/beheer/gebruikers/{coach_id}/inlog",
                         data={"username": "anna", "password_mode": "zelf", "password": NEW_PASSWORD})
    assert answer.status_code == 403
    assert (count(web, Organisation), count(web, User)) == before
    assert login(web.anonymous(), USERNAMES["coach"]).status_code == 303
