"""Logging in and out: redirects, cookies, CSRF, throttling, offline docs."""

from __future__ import annotations

from tests.service.web.conftest import PASSWORD, csrf_of, login


def test_root_sends_nobody_to_login_and_a_user_to_their_start_page(web):
    anon = web.anonymous()
    assert anon.get("/", follow_redirects=False).headers["location"] == "/login"
    assert web.client("coach").get("/", follow_redirects=False).headers["location"] == "/coach"
    assert web.client("employer").get("/", follow_redirects=False).headers["location"] == "/werkgever"
    assert web.client("admin").get("/", follow_redirects=False).headers["location"] == "/beheer"


def test_login_sets_a_session_cookie_that_scripts_cannot_read(web):
    client = web.anonymous()
    answer = login(client, "anna")
    assert answer.status_code == 303 and answer.headers["location"] == "/coach"
    cookie = [v for k, v in answer.headers.multi_items() if k == "set-cookie" and "spoormatch_session" in v][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http on a laptop; TLS requests get Secure


def test_the_cookie_is_secure_behind_tls(web):
    client = web.anonymous()
    client.base_url = client.base_url.copy_with(scheme="https")
    answer = login(client, "anna")
    cookie = [v for k, v in answer.headers.multi_items() if k == "set-cookie" and "spoormatch_session" in v][0]
    assert "Secure" in cookie


def test_a_wrong_password_is_refused_and_keeps_the_username(web):
    client = web.anonymous()
    answer = login(client, "anna", "wrong-password")
    assert answer.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet" in answer.text
    assert 'value="anna"' in answer.text
    assert "spoormatch_session" not in answer.headers.get("set-cookie", "")


def test_a_login_without_its_csrf_token_is_refused(web):
    client = web.anonymous()
    client.get("/login")
    answer = client.post("/login", data={"username": "anna", "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 403
    assert "spoormatch_session" not in answer.headers.get("set-cookie", "")


def test_repeated_failures_slow_down_the_username(web):
    client = web.anonymous()
    for _ in range(4):
        login(client, "anna", "wrong-password")
    # Now even the right password must wait.
    answer = login(client, "anna")
    assert answer.status_code == 429
    assert "Te veel mislukte pogingen" in answer.text


def test_logout_ends_the_session(web):
    client = web.client("coach")
    token = csrf_of(client.get("/coach").text)
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/coach", follow_redirects=False).headers["location"].startswith("/login")


def test_a_page_of_another_role_is_forbidden(web):
    assert web.client("employer").get("/coach").status_code == 403
    assert web.client("coach").get("/beheer").status_code == 403


def test_the_api_docs_load_their_scripts_from_this_server(web):
    client = web.anonymous()
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        assert "cdn." not in page and "https://" not in page.split("<body")[1].split("openapi")[0]
        assert "/static/api-docs/" in page
    assert client.get("/static/api-docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/api-docs/redoc.standalone.js").status_code == 200


def test_an_expired_session_sends_the_user_back_to_login(web):
    from datetime import timedelta

    from sqlalchemy import update

    from service.tables import WebSession, utcnow

    client = web.client("coach")
    assert client.get("/coach").status_code == 200
    with web.world.db.write() as tx:
        tx.execute(update(WebSession).values(expires_at=utcnow() - timedelta(minutes=1)))
    answer = client.get("/coach", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/coach"
