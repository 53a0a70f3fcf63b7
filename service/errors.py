"""Refusals as the API gives them: a status, a sentence, and one line per problem.

Bad input is a 422 whose ``problems`` name the field and the reason
(``"capacity.IV.13: level 5 is out of range 0..3"``), the same wording as the
command line. Routes raise :class:`Refused` before anything is committed, so a
refused request writes nothing.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matching.contract.models import describe_errors
from service.schemas import ErrorResponse

log = logging.getLogger("service")

REFUSED = "input refused, nothing written"
_PARAM_SOURCES = ("body", "query", "path", "header", "cookie")
_FASTAPI_BODY_ERROR = "There was an error parsing the body"


class Refused(Exception):
    """Input that breaks a rule: 422 with the given problems."""

    def __init__(self, *problems: str, status_code: int = 422, detail: str = REFUSED):
        self.problems = list(problems)
        self.status_code = status_code
        self.detail = detail
        super().__init__("; ".join(problems))


def not_found(what: str) -> HTTPException:
    """The 404 for a record that does not exist or is someone else's: the two must look alike."""
    return HTTPException(status_code=404, detail=f"no {what} with this id")


def _clean(text: str) -> str:
    # Input echoed in a message may hold lone surrogates, which UTF-8 cannot carry.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def problem_response(status_code: int, detail: str, problems: Iterable[str] = (),
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorResponse(detail=_clean(detail), problems=[_clean(p) for p in problems])
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


class _Errors:
    """Lets :func:`describe_errors` read request errors with the source stripped from the path."""

    def __init__(self, errors: list[dict[str, Any]]):
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return self._errors


def request_problems(exc: RequestValidationError) -> list[str]:
    plain: list[dict[str, Any]] = []
    special: list[str] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        source = loc[0] if loc and loc[0] in _PARAM_SOURCES else None
        rest = loc[1:] if source else loc
        kind = err.get("type", "")
        if kind == "json_invalid":
            special.append("body: not valid JSON")
        elif source == "body" and not rest and kind == "missing":
            special.append("body: required (a JSON object)")
        elif source == "body" and not rest and kind in ("model_attributes_type", "dict_type", "model_type"):
            special.append("body: must be a JSON object")
        else:
            plain.append({**err, "loc": rest})
    return special + describe_errors(_Errors(plain))


def http_problem(exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 400 and detail == _FASTAPI_BODY_ERROR:
        # Not UTF-8, nested past the parser's depth, ...: a body we cannot read is bad input too.
        return problem_response(422, REFUSED, ["body: cannot be read as JSON (UTF-8, not nested too deeply)"])
    return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(422, REFUSED, request_problems(exc))

    @app.exception_handler(Refused)
    async def _refused(_request: Request, exc: Refused) -> JSONResponse:
        return problem_response(exc.status_code, exc.detail, exc.problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return http_problem(exc)

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
        # Only reachable when two requests race for the same id; the loser writes nothing.
        log.info("integrity conflict: %s", exc.orig)
        return problem_response(409, "conflicts with a concurrent change; nothing written, try again")

    @app.exception_handler(OperationalError)
    async def _operational(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable or busy: %s", exc.orig)
        return problem_response(503, "database busy or unavailable; nothing written, try again",
                                headers={"Retry-After": "1"})


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer."""
    text = {
        400: "Malformed request",
        401: "Missing, invalid, expired or revoked bearer token",
        403: "Your role may not use this endpoint",
        404: "No such record of yours (someone else's records are never revealed)",
        409: "A concurrent change won; nothing written",
        413: "Request body too large",
        422: "Input refused, nothing written; one problem per line. Also for input the JSON schema cannot judge: "
             "a postcode or place name that does not exist, an unknown FML item, dates out of order, a limit "
             "lifted without naming it, the limits of this implementation",
        429: "Too many requests with this token; nothing done, try again after Retry-After seconds",
        503: "Database busy; nothing written",
    }
    return {code: {"model": ErrorResponse, "description": text[code]} for code in codes}
