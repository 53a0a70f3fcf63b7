"""Every page each role can reach by its links: it answers, every form carries the
session's CSRF token, and nothing runs inline (the pages' policy forbids it)."""

from __future__ import annotations

import re

import pytest

from tests.service.conftest import candidate_json, placement_json
from tests.service.web.test_employer_privacy_pages import _links

POST_FORM = re.compile(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')
MAX_PAGES = 60


def _crawl(client, start: str):
    seen, queue = set(), [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(("/docs", "/redoc", "/static/", "/openapi")) or "dossier." in path:
            continue
        seen.add(path)
        answer = client.get(path)
        yield path, answer
        if answer.headers.get("content-type", "").startswith("text/html"):
            queue.extend(link for link in _links("http://testserver", answer.text) if link not in seen)


@pytest.mark.parametrize("who,start", [("coach", "/coach"), ("employer", "/werkgever"), ("admin", "/beheer")])
def test_every_reachable_page_answers_and_protects_its_forms(web, who, start):
    world = web.world
    world.client.post("/v1/candidates", json=candidate_json(id="c-1"), headers=world.h("coach"))
    world.client.post("/v1/placements", json=placement_json(id="p-1", employer_id="e-1"), headers=world.h("employer"))
    client = web.client(who)
    token = web.csrf(who, start)
    pages = list(_crawl(client, start))
    assert len(pages) > 2
    for path, answer in pages:
        assert answer.status_code == 200, (path, answer.status_code)
        html = answer.text
        for form in POST_FORM.findall(html):
            assert TOKEN.findall(form) == [token], f"a form on {path} lacks the session's csrf_token"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=\"", html), f"inline event handler on {path}"
        assert "Content-Security-Policy" in answer.headers and answer.headers["Cache-Control"] == "no-store"
