"""Browser sessions: the cookie, the logged-in user and the CSRF token.

The cookie holds a random token; the database holds only its SHA-256 (like the
API's bearer tokens), the user and the session's CSRF token. The cookie is
HttpOnly and SameSite=Lax, Secure when the request came over TLS (or when
``SPOORMATCH_COOKIE_SECURE`` says so), and the session ends ``session_hours``
after login. Every state-changing form carries the CSRF token in a hidden field
named ``csrf_token``; the login form, which has no session yet, carries one that
matches a short-lived cookie (double submit).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from urllib.parse import quote

from fastapi import Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from service.auth import Principal, hash_token
from service.tables import User, WebSession, utcnow

COOKIE = "spoormatch_session"
LOGIN_CSRF_COOKIE = "spoormatch_login_csrf"
FLASH_COOKIE = "spoormatch_flash"
START_PAGES = {"coach": "/coach", "employer": "/werkgever", "admin": "/beheer"}


class LoginRequired(Exception):
    """Raised by a page that needs a user; answered with a redirect to /login."""

    def __init__(self, next_path: str = "/"):
        self.next_path = next_path


class WrongRole(Exception):
    """A logged-in user on a page of another role: 403, and a link to their own start page."""

    def __init__(self, principal: Principal):
        self.principal = principal


class CsrfRefused(Exception):
    """A form without the session's CSRF token: 403, nothing done."""


class TooManyRequests(Exception):
    """The user's request budget (SPOORMATCH_RATE_LIMIT) is spent: 429, nothing done."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class WebUser:
    """The logged-in user of one request."""

    def __init__(self, principal: Principal, username: str, csrf_token: str):
        self.principal = principal
        self.username = username
        self.csrf_token = csrf_token

    @property
    def role(self) -> str:
        return self.principal.role

    @property
    def start_page(self) -> str:
        return START_PAGES[self.principal.role]


def secure(request: Request) -> bool:
    return bool(request.app.state.ctx.settings.cookie_secure) or request.url.scheme == "https"


def start(session: Session, user: User, hours: int) -> str:
    """A new session for the user; returns the cookie value (stored only as its hash)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Old, expired sessions of this user go when a new one starts.
    session.execute(delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at <= now))
    session.add(WebSession(user_id=user.id, token_hash=hash_token(token), csrf_token=secrets.token_urlsafe(24),
                           created_at=now, expires_at=now + timedelta(hours=hours)))
    return token


def end(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def lookup(session: Session, token: str) -> WebUser | None:
    if not token or len(token) > 200 or not token.isascii():
        return None
    row = session.execute(select(WebSession).where(WebSession.token_hash == hash_token(token))).scalar_one_or_none()
    if row is None or row.expires_at <= utcnow():
        return None
    user = row.user
    if not user.active or not user.password_hash:
        return None
    return WebUser(Principal(user.id, user.name, user.role, user.organisation_id), user.username or "",
                   row.csrf_token)


def current(request: Request) -> WebUser | None:
    """The request's user, read once per request."""
    if "web_user" not in request.state._state:
        token = request.cookies.get(COOKIE, "")
        user = None
        if token:
            with request.app.state.ctx.db.read() as session:
                user = lookup(session, token)
        request.state.web_user = user
    return request.state.web_user


def require(request: Request, *roles: str) -> WebUser:
    user = current(request)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    if roles and user.role not in roles:
        raise WrongRole(user.principal)
    _count(request, user)
    return user


def _count(request: Request, user: WebUser) -> None:
    """One request of the user's budget, before the page does anything; once per request."""
    limiter = request.app.state.ctx.rate_limiter
    if limiter is None or request.state._state.get("rate_counted"):
        return
    request.state.rate_counted = True
    wait = limiter.wait(f"user:{user.principal.user_id}")
    if wait:
        raise TooManyRequests(wait)


async def submitted(request: Request, *roles: str) -> tuple[WebUser, FormData]:
    """The user and the posted form of a state-changing request, its CSRF token checked
    before anything else happens."""
    user = require(request, *roles)
    form = await request.form()
    check_csrf(form, user.csrf_token)
    return user, form


def check_csrf(form: FormData, expected: str) -> None:
    given = form.get("csrf_token")
    if not isinstance(given, str) or not expected or not hmac.compare_digest(given, expected):
        raise CsrfRefused()


def set_cookie(request: Request, response: Response, token: str, hours: int) -> None:
    response.set_cookie(COOKIE, token, max_age=hours * 3600, httponly=True, samesite="lax", secure=secure(request),
                        path="/")


def clear_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=secure(request))


def flash(request: Request, response: Response, text: str) -> None:
    """A one-line message shown on the next page (Dutch, never anything sensitive)."""
    response.set_cookie(FLASH_COOKIE, quote(text[:300]), max_age=60, httponly=True, samesite="lax",
                        secure=secure(request), path="/")


def safe_next(path: str | None, fallback: str) -> str:
    """Only a path on this site: never an open redirect."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "\n" in path:
        return fallback
    return path
