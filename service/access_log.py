"""The access log: method, route template, status and milliseconds, one line a request.

It replaces uvicorn's, which logs the raw path and query string: a path holds
candidate ids (still there after an erasure), and a query string can hold
anything a client put in it, a token included. Here a request is logged by the
template of the route it matched (``/v1/candidates/{candidate_id}``); a path
that matches no route by a short hash, so repeated probes can still be told
apart without the path itself being written down.
"""

from __future__ import annotations

import hashlib
import logging
import time

from starlette.routing import BaseRoute, Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("service.access")


def _route_path(route: BaseRoute) -> str:
    return getattr(route, "path_format", None) or getattr(route, "path", "") or type(route).__name__


def _leaves(routes: list[BaseRoute]):
    for route in routes:
        # Newer FastAPI keeps an included router as one entry (without a prefix here).
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _leaves(inner.routes)
        else:
            yield route


def route_template(scope: Scope, entry: Scope, router: Router) -> str:
    """The template of the route that served (or would serve) the request.

    ``scope`` is the request's scope after the app ran, ``entry`` a copy taken
    before: routing rewrites ``root_path`` for mounts.
    """
    route = scope.get("route")  # set by the router for the routes it matched
    if route is None:
        # A mount, or refused before routing (a guard): look the route up ourselves.
        partial = None
        for candidate in _leaves(router.routes):
            match, _ = candidate.matches(entry)
            if match is Match.FULL:
                route = candidate
                break
            if match is Match.PARTIAL and partial is None:
                partial = candidate
        route = route or partial
    if route is not None:
        return _route_path(route)
    digest = hashlib.sha256(entry.get("path", "").encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"unmatched:{digest}"


class AccessLog:
    def __init__(self, app: ASGIApp, router: Router):
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        entry = dict(scope)
        status = 500  # what the server answers when the app raises before responding

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            ms = (time.perf_counter() - start) * 1000
            log.info("%s %s %d %.1fms", scope.get("method", "?")[:16], route_template(scope, entry, self.router), status, ms)
