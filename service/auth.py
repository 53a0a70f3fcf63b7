"""Who is asking: bearer tokens, roles and the checks every route declares.

Tokens are random (256 bits) and stored only as their SHA-256: a salt or a slow
hash adds nothing for secrets of that strength, and a plain digest can be looked
up through a unique index. Wrong or missing token: 401. A valid token whose role
may not use the endpoint: 403 (that reveals no record). Someone else's record:
404, decided by the routes, which always filter by owner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import problem_response
from service.ratelimit import too_many
from service.tables import Token, User, utcnow

Role = Literal["admin", "coach", "employer"]
ROLES: tuple[str, ...] = ("admin", "coach", "employer")
TOKEN_PREFIX = "smt_"

_bearer = HTTPBearer(auto_error=False,
                     description="A token issued by an admin (`spoormatch create-user` for the first).")


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    role: str
    organisation_id: str | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(session: Session, user: User, ttl_days: int) -> tuple[Token, str]:
    """Store a new token's hash for the user; the plain token is returned once, never stored."""
    plain = new_token()
    expires = utcnow() + timedelta(days=ttl_days) if ttl_days > 0 else None
    row = Token(user_id=user.id, token_hash=hash_token(plain), created_at=utcnow(), expires_at=expires)
    session.add(row)
    session.flush()
    return row, plain


def unauthorized(detail: str = "missing or invalid bearer token") -> HTTPException:
    return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def lookup(session: Session, plain: str, now: datetime | None = None) -> Principal | None:
    now = now or utcnow()
    row = session.execute(select(Token).where(Token.token_hash == hash_token(plain))).scalar_one_or_none()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = row.user
    if not user.active:
        return None
    return Principal(user.id, user.name, user.role, user.organisation_id)


def _plausible(token: str) -> bool:
    # A token is ASCII from a fixed alphabet; anything else cannot match and
    # must not reach the database driver.
    return bool(token) and len(token) <= 200 and token.isascii() and token.isprintable()


def current_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    checked = request.state._state.get("principal")
    if isinstance(checked, Principal):  # the gate below already looked it up
        return checked
    if credentials is None or credentials.scheme.lower() != "bearer" or not _plausible(credentials.credentials):
        raise unauthorized()
    ctx = request.app.state.ctx
    with ctx.db.read() as session:
        principal = lookup(session, credentials.credentials)
    if principal is None:
        raise unauthorized()
    # The gate lets a path through when one of its methods is public: such a call is
    # counted here instead, still before the route's own work.
    wait = spent(ctx, credentials.credentials)
    if wait:
        raise too_many(wait)
    return principal


def spent(ctx, token: str) -> int:
    """Counts one request of a valid token against SPOORMATCH_RATE_LIMIT: 0 to go on,
    else the seconds to wait. Only valid tokens count, so random ones cannot fill the
    limiter's memory; the key is the token's hash, never the address."""
    if ctx.rate_limiter is None:
        return 0
    return ctx.rate_limiter.wait(f"token:{hash_token(token)}")


# Query parameters whose name says they carry a token (compared in lower case).
TOKEN_PARAMS = frozenset({"token", "access_token", "api_key", "apikey", "key", "bearer"})
TOKEN_IN_QUERY = ("tokens are not accepted in the address: send yours in the Authorization: Bearer header "
                  "(an address ends up in logs and browser history)")


def has_token_param(query_string: bytes) -> bool:
    text = query_string.decode("latin-1")
    return any(name.strip().lower() in TOKEN_PARAMS for name, _ in parse_qsl(text, keep_blank_values=True))


async def _refuse(exc: HTTPException, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer as the app's exception handler would, from outside the app."""
    await problem_response(exc.status_code, exc.detail, headers=exc.headers)(scope, receive, send)


class BearerGate:
    """Checks the token of every API call that needs one before anything else
    happens: before the body is read or parsed, so a caller without a valid token
    learns nothing from the refusals of its input (401 comes before 413 or 422).

    A token-looking query parameter (``?token=``, ``?access_token=``, ...) is
    refused with 401 on every API path, public ones too, whatever its value:
    addresses end up in logs, browser history and proxies, and accepting a token
    there would teach clients to leak it."""

    def __init__(self, app: ASGIApp, public_paths: frozenset[str], prefix: str = "/v1/"):
        self.app = app
        self.public_paths = public_paths
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if has_token_param(scope.get("query_string", b"")):
            await _refuse(unauthorized(TOKEN_IN_QUERY), scope, receive, send)
            return
        if path in self.public_paths:
            await self.app(scope, receive, send)
            return
        principal = None
        header = dict(scope.get("headers", ())).get(b"authorization", b"")
        scheme, _, token = header.decode("latin-1").partition(" ")
        token = token.strip()
        if scheme.lower() == "bearer" and _plausible(token):
            principal = await run_in_threadpool(self._lookup, scope, token)
        if principal is None:
            await _refuse(unauthorized(), scope, receive, send)
            return
        wait = spent(scope["app"].state.ctx, token)
        if wait:
            await _refuse(too_many(wait), scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    def _lookup(scope: Scope, token: str) -> Principal | None:
        with scope["app"].state.ctx.db.read() as session:
            return lookup(session, token)


class RoleCheck:
    """A dependency that lets only the given roles through; app.py reads ``roles``
    to write ``x-roles`` into the OpenAPI document."""

    def __init__(self, *roles: str):
        self.roles = roles

    def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in self.roles:
            raise HTTPException(status_code=403, detail=f"this endpoint is for: {', '.join(self.roles)}")
        return principal


def role(*roles: Role):
    return Depends(RoleCheck(*roles))
