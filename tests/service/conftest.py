"""Service fixtures: a fresh database per test, on SQLite always and on PostgreSQL
when SPOORMATCH_TEST_POSTGRES_URL is set (CI sets it; `.ci/postgres.sh` prints one).

Each PostgreSQL test gets its own schema (via the connection's search_path), so
tests never see each other's rows and need no cleanup beyond dropping it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matching.settings import Settings
from service.app import create_app
from service.store import create_user_row
from service.schemas import UserIn
from service.tables import Organisation, utcnow
from tests.conftest import HashingEncoder, candidate_json, placement_json  # noqa: F401  (re-exported for the service tests)

POSTGRES_URL = os.environ.get("SPOORMATCH_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """argon2 at its cheapest for the tests: the service's real cost (about 0.2 s a
    hash, on purpose) would make every test that sets a password slow. Checks read
    the cost from the stored hash, so both sides stay consistent."""
    from argon2 import PasswordHasher

    from service import passwords

    real = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords._hasher = real


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'spoormatch.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("SPOORMATCH_TEST_POSTGRES_URL is not set (CI sets it; see .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(POSTGRES_URL, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # No rate limit: fuzzing and the concurrency tests send far more requests a minute
    # per token than a person does. tests/service/hostile/ sets its own.
    return Settings(database_url=database_url, state_dir=tmp_path / "state", rate_limit="off")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    """An app with an admin, two coaches, two employer organisations with a user each."""

    app: object
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return bearer(self.tokens[who])

    @property
    def db(self):
        return self.app.state.ctx.db

    @property
    def engine(self):
        return self.app.state.ctx.engine


def build_world(settings: Settings) -> World:
    app = create_app(settings, HashingEncoder())
    world = World(app=app, client=TestClient(app))
    with app.state.ctx.db.write() as tx:
        for org in ("e-1", "e-2"):
            tx.add(Organisation(id=org, name=f"Werkgever {org}", created_at=utcnow()))
        tx.flush()
        for who, body in {
            "admin": UserIn(name="Beheer", role="admin"),
            "coach": UserIn(name="Coach Anna", role="coach"),
            "coach2": UserIn(name="Coach Bram", role="coach"),
            "employer": UserIn(name="HR e-1", role="employer", organisation_id="e-1"),
            "employer2": UserIn(name="HR e-2", role="employer", organisation_id="e-2"),
        }.items():
            user, _token, plain = create_user_row(tx.session, body, 0)
            world.tokens[who] = plain
            world.user_ids[who] = user.id
    return world


@pytest.fixture
def world(settings: Settings):
    w = build_world(settings)
    yield w
    w.client.close()
    w.db.dispose()


