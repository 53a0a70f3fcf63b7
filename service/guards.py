"""Checks on the raw request before FastAPI parses it.

- A body larger than ``max_request_bytes``: 413, read no further.
- NUL characters and lone surrogates in JSON strings: 422 naming the field.
  They are valid JSON, but PostgreSQL cannot store a NUL in text and no
  encoder can write a lone surrogate as UTF-8; catching them here keeps that
  from ever becoming a server error.
- NUL in the path or the query string: 422.

And, as a dependency of every API route, :func:`known_query_only`: a query
parameter the operation does not take is refused (a typo such as ``?tpo=5``
would otherwise be ignored without a word).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import REFUSED, Refused, problem_response


def _bad_char(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return "contains a lone surrogate (not valid Unicode)"
    return None


def _find_bad_strings(value: Any, path: str, out: list[str], limit: int = 20) -> None:
    if len(out) >= limit:
        return
    if isinstance(value, str):
        reason = _bad_char(value)
        if reason:
            out.append(f"{path or 'body'}: {reason}")
    elif isinstance(value, dict):
        for key, item in value.items():
            key_reason = _bad_char(key)
            safe_key = key.encode("utf-8", "backslashreplace").decode("utf-8")
            sub = f"{path}.{safe_key}" if path else safe_key
            if key_reason:
                out.append(f"{sub}: the key {key_reason}")
            _find_bad_strings(item, sub, out, limit)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _find_bad_strings(item, f"{path}.{i}" if path else str(i), out, limit)


def body_problems(body: bytes) -> list[str]:
    lowered = body.lower()
    if b"\x00" not in body and b"\\u0000" not in lowered and b"\\ud" not in lowered:
        return []
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return []  # not JSON: the route's own parsing says so
    problems: list[str] = []
    _find_bad_strings(parsed, "", problems)
    return problems


class InputGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await problem_response(422, REFUSED, ["path or query: contains a NUL character"])(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)

        problems = body_problems(body)
        if problems:
            await problem_response(422, REFUSED, problems)(scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(413, f"request body larger than {self.max_body_bytes} bytes; nothing written")
        await response(scope, receive, send)


_QUERY_NAMES: dict[int, frozenset[str]] = {}


def _query_names(route: APIRoute) -> frozenset[str]:
    names = _QUERY_NAMES.get(id(route))
    if names is None:
        found: set[str] = set()
        stack = [route.dependant]
        while stack:
            dep = stack.pop()
            found.update(p.alias for p in dep.query_params)
            stack.extend(dep.dependencies)
        names = _QUERY_NAMES[id(route)] = frozenset(found)
    return names


def known_query_only(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _query_names(route))
    if unknown:
        shown = [name.encode("utf-8", "backslashreplace").decode("utf-8")[:40] for name in unknown[:5]]
        known = ", ".join(sorted(_query_names(route))) or "none"
        raise Refused(*(f"query.{name}: unknown parameter (this operation takes: {known})" for name in shown))
