"""Web app fixtures: the service world of tests/service/conftest.py, with a username
and password for each user, and clients logged in through the real login form."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from service.store import set_login
from service.tables import User

PASSWORD = "correct-horse-battery"
USERNAMES = {"admin": "beheer", "coach": "anna", "coach2": "bram", "employer": "hr.e1", "employer2": "hr.e2"}


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token on the page"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text)}, follow_redirects=False)


class WebWorld:
    def __init__(self, world):
        self.world = world
        self.app = world.app
        self._clients: dict[str, TestClient] = {}

    def client(self, who: str) -> TestClient:
        """A browser logged in as ``who`` (one of USERNAMES)."""
        if who not in self._clients:
            client = TestClient(self.app)
            answer = login(client, USERNAMES[who])
            assert answer.status_code == 303, answer.text
            self._clients[who] = client
        return self._clients[who]

    def anonymous(self) -> TestClient:
        return TestClient(self.app)

    def csrf(self, who: str, path: str = "/") -> str:
        return csrf_of(self.client(who).get(path).text)

    def close(self) -> None:
        for c in self._clients.values():
            c.close()


@pytest.fixture
def web(world):
    with world.db.write() as tx:
        for who, username in USERNAMES.items():
            set_login(tx.session, tx.get(User, world.user_ids[who]), username, PASSWORD)
    w = WebWorld(world)
    yield w
    w.close()
