"""Hostile surroundings: other users on the machine, logs read by more people than the
data, clients that put tokens in addresses, a token that floods the API.

- The database (and its -wal/-shm) is 0600, the state folder and what we create in
  it 0700/0600, whatever the umask; a folder the user already had keeps its mode.
- `serve` (demo) and `create-user` print no token or password, only where the
  0600 file with them is.
- A token-looking query parameter is refused with 401 and never logged.
- The access log has route templates, never ids or query strings.
- SPOORMATCH_RATE_LIMIT: 429 with Retry-After once a token (or web user) has spent
  its budget, before the route runs; other tokens go on; a bad value stops the start.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matching import settings as settings_module
from service import cli
from service.app import create_app
from service.db import Database
from service.rematch import RematchOptions, run_rematch
from service.tables import CandidateRow, User
from tests.conftest import HashingEncoder
from tests.service.conftest import bearer, build_world, candidate_json, placement_json
from tests.service.web.conftest import PASSWORD, USERNAMES, login

TOKEN_PARAMS = ("token", "access_token", "api_key", "apikey", "key", "bearer")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def server_records(caplog) -> list[logging.LogRecord]:
    # The test client's own logger (httpx) prints the URL it sends: that is the client, not the server.
    return [r for r in caplog.records if not r.name.startswith("httpx")]


def access_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "service.access"]


@pytest.fixture
def wide_umask():
    """The usual umask (022), under which files are world-readable unless we say otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def env_state(tmp_path, monkeypatch):
    """The command line's settings: a fresh state folder under an existing (0755) parent,
    the default SQLite database inside it, small demo data."""
    parent = tmp_path / "home"
    parent.mkdir(mode=0o755)
    os.chmod(parent, 0o755)
    state = parent / "var"
    monkeypatch.delenv("SPOORMATCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(state))
    monkeypatch.setenv("SPOORMATCH_DEMO_PLACEMENTS", "30")
    monkeypatch.setenv("SPOORMATCH_OCCUPATION_LINKER", "false")
    settings_module.get_settings.cache_clear()
    yield state
    settings_module.get_settings.cache_clear()


def holds_candidate_data_or_secrets(path: Path, root: Path) -> bool:
    # The place store's index and meta files hold employers' places only; they sit
    # in 0700 folders like everything else.
    return (path.suffix in (".db", ".sqlite", ".env") or "-wal" in path.name or "-shm" in path.name
            or path.relative_to(root).parts[0] == "digests")


def assert_private_tree(root: Path) -> None:
    assert mode(root) == 0o700, oct(mode(root))
    for path in root.rglob("*"):
        if path.is_dir():
            assert mode(path) == 0o700, (path, oct(mode(path)))
        elif holds_candidate_data_or_secrets(path, root):
            assert mode(path) == 0o600, (path, oct(mode(path)))


# -- private files ---------------------------------------------------------------------


def test_database_and_state_folder_are_private_after_a_run(tmp_path, wide_umask):
    parent = tmp_path / "srv"
    parent.mkdir(mode=0o755)
    os.chmod(parent, 0o755)
    state = parent / "var"
    settings = settings_module.Settings(database_url=f"sqlite:///{state / 'spoormatch.db'}", state_dir=state,
                                        rate_limit="off")
    world = build_world(settings)
    try:
        c = world.client
        assert c.post("/v1/placements", json=placement_json(id="p-1"), headers=world.h("employer")).status_code == 201
        assert c.post("/v1/candidates", json=candidate_json(id="c-1"), headers=world.h("coach")).status_code == 201
        # The nightly run: its lock, place store, index and the coaches' digests.
        run_rematch(world.db, settings, HashingEncoder(), RematchOptions(top=3, reserve=2, partition_size=1,
                                                                         workers=1))
        db_file = state / "spoormatch.db"
        assert mode(db_file) == 0o600
        # SQLite gives its WAL and shared-memory files the database file's mode.
        for suffix in ("-wal", "-shm"):
            side = Path(f"{db_file}{suffix}")
            assert side.exists() and mode(side) == 0o600, suffix
        assert (state / "digests").is_dir() and (state / "rematch").is_dir()
        assert_private_tree(state)
        assert mode(parent) == 0o755  # the user's folder, not ours to change
    finally:
        world.client.close()
        world.db.dispose()


def test_serve_setup_writes_the_demo_tokens_to_a_private_file_and_prints_none(env_state, monkeypatch, capsys,
                                                                                wide_umask):
    import uvicorn

    import service.app

    served = {}
    real_create_app = service.app.create_app
    monkeypatch.setattr(service.app, "create_app", lambda s, migrate=True: real_create_app(s, HashingEncoder(),
                                                                                              migrate=migrate))
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.update(kwargs, app=app))
    assert cli.main(["serve"]) == 0
    out = capsys.readouterr()
    served["app"].state.ctx.db.dispose()

    tokens_file = env_state / "demo-tokens.env"
    assert mode(tokens_file) == 0o600
    secrets = dict(line.split("=", 1) for line in tokens_file.read_text(encoding="utf-8").splitlines())
    shown = out.out + out.err
    for name in ("ADMIN_TOKEN", "COACH_TOKEN", "EMPLOYER_TOKEN", "COACH_PASSWORD", "ADMIN_PASSWORD"):
        assert secrets[name] and secrets[name] not in shown, name
    assert str(tokens_file) in out.err
    # uvicorn's access log (raw paths and query strings) is off; ours replaces it.
    assert served["access_log"] is False
    assert mode(env_state / "spoormatch.db") == 0o600
    assert_private_tree(env_state)
    assert mode(env_state.parent) == 0o755


def test_demo_tokens_file_left_world_readable_is_replaced_private(tmp_path):
    from service import demo

    old = tmp_path / "demo-tokens.env"
    old.write_text("COACH_TOKEN=old\n")
    os.chmod(old, 0o644)
    path = demo.write_tokens(tmp_path, demo.DemoTokens(admin="smt_a", coach="smt_c"))
    assert path == old and mode(path) == 0o600 and "smt_c" in path.read_text()


def test_create_user_prints_no_secret_and_never_overwrites_its_file(env_state, capsys, tmp_path, wide_umask):
    target = tmp_path / "beheer.env"
    assert cli.main(["create-user", "--name", "Beheer", "--role", "admin", "--token-file", str(target)]) == 0
    out = capsys.readouterr()
    assert mode(target) == 0o600
    lines = target.read_text(encoding="utf-8").splitlines()
    secrets = dict(line.split("=", 1) for line in lines if not line.startswith("#"))
    assert secrets["ADMIN_TOKEN"].startswith("smt_") and secrets["ADMIN_USERNAME"] == "beheer"
    for value in (secrets["ADMIN_TOKEN"], secrets["ADMIN_PASSWORD"]):
        assert value not in out.out + out.err
    assert out.out == "" and str(target) in out.err
    # The file may hold someone's only copy of a token: refused, and no user is made.
    before = target.read_text(encoding="utf-8")
    assert cli.main(["create-user", "--name", "Tweede", "--role", "admin", "--token-file", str(target)]) == 2
    assert "exists" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == before
    db = Database(settings_module.get_settings().database_url)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(User)).scalar_one() == 1
    db.dispose()
    # A refusal by the database's rules leaves no empty file behind.
    other = tmp_path / "hr.env"
    assert cli.main(["create-user", "--name", "HR", "--role", "employer", "--organisation", "e-404",
                     "--token-file", str(other)]) == 2
    assert not other.exists()
    assert mode(env_state) == 0o700 and mode(env_state / "spoormatch.db") == 0o600


# -- tokens in addresses, access logs ----------------------------------------------------------


def test_a_token_in_the_query_string_is_refused_and_never_logged(world, caplog):
    caplog.set_level(logging.DEBUG)
    token = world.tokens["coach"]
    for name in (*TOKEN_PARAMS, "Access_Token", "API_KEY"):
        r = world.client.get(f"/v1/candidates?{name}={token}")
        assert r.status_code == 401, name
        assert "Authorization: Bearer" in r.json()["detail"]
        assert r.headers["WWW-Authenticate"] == "Bearer"
    # Also beside a valid header, on a public endpoint, and on a write: nothing written.
    assert world.client.get(f"/v1/candidates?top=3&key={token}", headers=world.h("coach")).status_code == 401
    assert world.client.get(f"/v1/health?token={token}").status_code == 401
    r = world.client.post(f"/v1/candidates?access_token={token}", json=candidate_json(id="c-q"),
                          headers=world.h("coach"))
    assert r.status_code == 401
    with world.db.read() as s:
        assert s.execute(select(func.count()).select_from(CandidateRow)).scalar_one() == 0
    # Ordinary parameters still work.
    assert world.client.get("/v1/candidates?limit=5", headers=world.h("coach")).status_code == 200
    records = server_records(caplog)
    assert any(r.name == "service.access" for r in records)
    for record in records:
        assert token not in record.getMessage(), record.name


def test_access_log_has_route_templates_not_ids_nor_query_strings(world, caplog):
    caplog.set_level(logging.INFO, logger="service.access")
    c, h = world.client, world.h("coach")
    assert c.post("/v1/placements", json=placement_json(id="p-vast-1"), headers=world.h("employer")).status_code == 201
    assert c.post("/v1/candidates", json=candidate_json(id="c-geheim-42"), headers=h).status_code == 201
    assert c.get("/v1/candidates/c-geheim-42/suggestions?top=3", headers=h).status_code == 200
    assert c.get("/v1/candidates/c-geheim-42", headers=h).status_code == 200
    assert c.delete("/v1/candidates/c-geheim-42?confirm=true", headers=h).status_code == 200
    assert c.get("/v1/nergens/c-geheim-42", headers=h).status_code == 404
    assert c.get("/coach/kandidaten/c-geheim-42", follow_redirects=False).status_code == 303

    lines = access_lines(caplog)
    assert "GET /v1/candidates/{candidate_id} 200" in " | ".join(lines)
    assert any(line.startswith("GET /v1/candidates/{candidate_id}/suggestions ") for line in lines)
    assert any(line.startswith("DELETE /v1/candidates/{candidate_id} 200 ") for line in lines)
    assert any(line.startswith("GET /coach/kandidaten/{candidate_id} 303 ") for line in lines)
    # A path no route knows: a short hash, so probes can be told apart without the path.
    assert any(line.startswith("GET unmatched:") and " 404 " in line for line in lines), lines
    for line in lines:
        assert "c-geheim-42" not in line and "p-vast-1" not in line
        assert "?" not in line and "confirm" not in line and "top=" not in line
        assert line.split()[-1].endswith("ms")


# -- the rate limit ---------------------------------------------------------------------------


def test_rate_limit_per_token_429_with_retry_after_before_the_route_runs(settings):
    world = build_world(settings.with_overrides(rate_limit="3/minute"))
    try:
        c = world.client
        for _ in range(3):
            assert c.get("/v1/candidates", headers=world.h("coach")).status_code == 200
        r = c.get("/v1/candidates", headers=world.h("coach"))
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert set(r.json()) == {"detail", "problems"} and "try again" in r.json()["detail"]
        # Refused before the route: nothing written.
        r = c.post("/v1/candidates", json=candidate_json(id="c-te-veel"), headers=world.h("coach"))
        assert r.status_code == 429 and "Retry-After" in r.headers
        with world.db.read() as s:
            assert s.execute(select(func.count()).select_from(CandidateRow)).scalar_one() == 0
        # Another token (another coach) is not affected, nor are calls without a token.
        assert c.post("/v1/candidates", json=candidate_json(id="c-ander"), headers=world.h("coach2")).status_code == 201
        assert c.get("/v1/health").status_code == 200
        # A wrong token is still a 401, not counted against anyone.
        assert c.get("/v1/candidates", headers=bearer("smt_wrong")).status_code == 401

        # The web pages: per logged-in user, a Dutch page with Retry-After.
        with world.db.write() as tx:
            from service.store import set_login

            set_login(tx.session, tx.get(User, world.user_ids["coach"]), USERNAMES["coach"], PASSWORD)
        from fastapi.testclient import TestClient

        with TestClient(world.app) as browser:
            assert login(browser, USERNAMES["coach"]).status_code == 303
            for _ in range(3):
                assert browser.get("/coach").status_code == 200
            page = browser.get("/coach")
            assert page.status_code == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
            assert "Probeer het over" in page.text
    finally:
        world.client.close()
        world.db.dispose()


def test_openapi_documents_429_for_every_operation_that_needs_a_token(world):
    spec = world.client.get("/openapi.json").json()
    ops = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    for path, method, op in ops:
        if op["x-roles"] == ["public"]:
            assert "429" not in op["responses"], (method, path)
            continue
        answer = op["responses"]["429"]
        assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
        assert "Retry-After" in answer["headers"], (method, path)


@pytest.mark.parametrize("value", ["veel", "0/minute", "3/minute;100/hour", "-1/second"])
def test_a_bad_rate_limit_is_refused_naming_the_setting(value, settings, env_state, monkeypatch, capsys):
    with pytest.raises(ValueError, match="SPOORMATCH_RATE_LIMIT"):
        create_app(settings.with_overrides(rate_limit=value), HashingEncoder())
    monkeypatch.setenv("SPOORMATCH_RATE_LIMIT", value)
    settings_module.get_settings.cache_clear()
    assert cli.main(["serve"]) == 2
    assert "SPOORMATCH_RATE_LIMIT" in capsys.readouterr().err
    assert not (env_state / "spoormatch.db").exists()  # stopped before any work


def test_the_rate_limit_can_be_switched_off(settings):
    world = build_world(settings.with_overrides(rate_limit="off"))
    try:
        assert world.app.state.ctx.rate_limiter is None
        for _ in range(5):
            assert world.client.get("/v1/me", headers=world.h("coach")).status_code == 200
    finally:
        world.client.close()
        world.db.dispose()
