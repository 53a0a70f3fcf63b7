"""The FastAPI application: ``create_app()`` wires settings, database, matcher and routes."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from sqlalchemy import select

from matching.contract.models import STORED, Placement
from matching.settings import Settings, get_settings
from matching.text import Encoder
from service import errors, web
from service.access_log import AccessLog
from service.auth import BearerGate, RoleCheck
from service.context import AppContext
from service.db import Database
from service.engine import Engine
from service.guards import InputGuard, known_query_only
from service.ratelimit import RateLimiter
from service.routes import (
    admin,
    candidates,
    digest,
    dossier,
    feedback,
    introductions,
    placements,
    suggestions,
    system,
)
from service.tables import PlacementRow

log = logging.getLogger("service")

API_VERSION = "1.0.0"
DESCRIPTION = """\
spoormatch matches candidates in spoor-2 reintegration with the places Kans Creator
employers offer. Bodies follow **contract v1**.

**Roles.** Every call except `/v1/health` needs `Authorization: Bearer <token>`.
Each operation lists the roles that may call it under `x-roles`.
- *coach*: their own candidates, suggestions, feedback, introductions, timeline, dossier.
- *employer*: their organisation's places, and the candidates introduced to them as
  pseudonymous profiles (never capacity, limits, sick dates or anything medical).
- *admin*: organisations, users and tokens; no candidate data.

**Refusals.** Missing or wrong token: 401 (also for a token in the query string: it belongs
in the header). Wrong role: 403. Someone else's record: 404.
Bad input: 422 with one line per problem, `field.path: reason`; nothing is written.
More requests per token than `SPOORMATCH_RATE_LIMIT` allows (300 a minute by default):
429 with `Retry-After`, before anything is done. The token is checked before the body
is read, so a call without a valid one gets 401 whatever its body holds.

**The belastbaarheid** changes only by stating it: `capacity` is required on create and
replace, never null; a limit is lifted by naming its item (at the norm, or `null` inside
`capacity` in a PATCH). Every change is in the dossier with the old and new value.
"""


def _limits_text(settings: Settings) -> str:
    return (f"\n**Limits of this implementation** (beyond contract v1, set by the operator with "
            f"`SPOORMATCH_MAX_*`): at most {settings.max_experiences} experiences of "
            f"{settings.max_experience_chars:,} characters each, {settings.max_skills} skills, a wish text of "
            f"{settings.max_wish_chars:,} characters, a place description of {settings.max_description_chars:,}. "
            "A larger record gets a 422 naming the setting.\n")


_GENERIC_ERRORS = {
    409: "A concurrent change won; nothing written, try again",
    413: "Request body too large",
    429: "Too many requests with this token (SPOORMATCH_RATE_LIMIT); nothing done, try again after Retry-After seconds",
    503: "Database busy or unavailable; nothing written, try again",
}
_RETRY_AFTER = {"Retry-After": {"description": "Whole seconds until the token may send its next request",
                                "schema": {"type": "integer", "minimum": 1}}}


def _roles_of(route: APIRoute) -> list[str]:
    found: list[str] = []
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleCheck):
            found.extend(r for r in dep.call.roles if r not in found)
        stack.extend(dep.dependencies)
    return found


def _route_roles(routers) -> dict[tuple[str, str], list[str]]:
    """(path, method) -> roles, read from the routers' own APIRoutes before they are included."""
    out: dict[tuple[str, str], list[str]] = {}
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in route.methods:
                    out[(route.path_format, method.lower())] = _roles_of(route) or ["public"]
    return out


def _openapi(app: FastAPI, roles: dict[tuple[str, str], list[str]]) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                             tags=app.openapi_tags)
        for path, item in schema["paths"].items():
            for method, op in item.items():
                # An operation the map does not know gets no role: the privacy test then fails loudly.
                op["x-roles"] = roles.get((path, method), [])
                # Statuses any operation of its kind can answer, documented once here.
                extra = [503] + ([409] if method in ("post", "put", "patch", "delete") else []) + (
                    [413] if "requestBody" in op else []) + ([429] if op["x-roles"] not in ([], ["public"]) else [])
                for code, text in ((c, _GENERIC_ERRORS[c]) for c in extra):
                    op["responses"].setdefault(str(code), {
                        "description": text,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
                    })
                if "429" in op["responses"]:
                    op["responses"]["429"].setdefault("headers", _RETRY_AFTER)
        app.openapi_schema = schema
    return app.openapi_schema


def load_open_placements(db: Database) -> list[Placement]:
    with db.read() as session:
        bodies = session.execute(select(PlacementRow.body).where(PlacementRow.status == "open")).scalars().all()
    # A stored place whose location no longer resolves is kept; it fits no one until corrected.
    return [Placement.model_validate(b, context=STORED) for b in bodies]


def create_app(settings: Settings | None = None, encoder: Encoder | None = None, migrate: bool = True) -> FastAPI:
    """The service for ``settings`` (default: from SPOORMATCH_* variables).

    ``encoder`` replaces the configured text encoder (tests pass a cheap one).
    Migrates the database to the newest schema and loads the open places.
    """
    settings = settings or get_settings()
    # A bad value stops the start with a message naming the setting, before any work.
    rate_limiter = RateLimiter.from_setting(settings.rate_limit)
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    engine = Engine(settings, encoder, loader=lambda: load_open_placements(db))
    engine.reload()
    log.info("%d open places loaded from %s", len(engine), db.backend)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        from service import scheduler

        jobs = scheduler.start(settings, db, engine.encoder) if settings.rematch_schedule else None
        yield
        if jobs is not None:
            jobs.shutdown(wait=False)
        db.dispose()

    app = FastAPI(
        # /docs and /redoc come from service.web with their scripts served locally.
        docs_url=None,
        redoc_url=None,
        title="spoormatch",
        version=API_VERSION,
        description=DESCRIPTION + _limits_text(settings),
        lifespan=lifespan,
        openapi_tags=[
            {"name": "candidates", "description": "A coach's candidates (contract v1) and their spoor timeline"},
            {"name": "suggestions", "description": "Ranked, explained places for a candidate"},
            {"name": "feedback", "description": "Feedback on suggestions; introducing a candidate to an employer"},
            {"name": "dossier", "description": "The re-integratiedossier: every event, as JSON or CSV"},
            {"name": "placements", "description": "Employers' places (contract v1)"},
            {"name": "introductions", "description": "Employers: pseudonymous profiles of introduced candidates"},
            {"name": "rematch", "description": "The nightly rematch: digests of what changed, the nightly list"},
            {"name": "admin", "description": "Organisations, users, tokens, nightly runs"},
            {"name": "system", "description": "Identity and health"},
        ],
    )
    app.state.ctx = AppContext(db=db, engine=engine, settings=settings, rate_limiter=rate_limiter)
    errors.install(app)
    app.add_middleware(InputGuard, max_body_bytes=settings.max_request_bytes)
    routers = [m.router for m in (candidates, suggestions, feedback, dossier, placements, introductions, digest, admin,
                                  system)]
    roles = _route_roles(routers)
    # Added last, so it runs first: the token before the body.
    app.add_middleware(BearerGate, public_paths=frozenset(path for (path, _), r in roles.items() if r == ["public"]))
    for router in routers:
        app.include_router(router, dependencies=[Depends(known_query_only)])
    app.openapi = lambda: _openapi(app, roles)  # type: ignore[method-assign]
    web.install(app)
    # Outermost, so refusals by the guards and the rate limit are logged too.
    app.add_middleware(AccessLog, router=app.router)
    return app
