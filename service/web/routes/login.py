"""Login, logout and ``/``: who is asking decides where they start."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from service.tables import User
from service.web import sessions
from service.web.forms import FormErrors, text
from service.passwords import verify_password
from service.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("service.web")
# Every failure costs this much, on top of the throttle's growing wait.
FAILURE_DELAY_S = 0.5


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(request: Request, username: str = "", errors: FormErrors | None = None, status: int = 200,
                next_path: str = ""):
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"username": username, "errors": errors or FormErrors(),
                                              "login_csrf": token, "next": next_path}, status_code=status, user=None)
    response.set_cookie(sessions.LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="lax",
                        secure=sessions.secure(request), path="/login")
    return response


@router.get("/")
def home(request: Request):
    user = sessions.current(request)
    return RedirectResponse(user.start_page if user else "/login", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = ""):
    user = sessions.current(request)
    if user is not None:
        return RedirectResponse(sessions.safe_next(next, user.start_page), status_code=303)
    return _login_page(request, next_path=sessions.safe_next(next, ""))


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    username = text(form, "username", 64)
    password = form.get("password", "")
    password = password if isinstance(password, str) else ""
    next_path = sessions.safe_next(text(form, "next", 500), "")
    expected = request.cookies.get(sessions.LOGIN_CSRF_COOKIE, "")
    given = form.get("csrf_token")
    if not expected or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        errors = FormErrors()
        errors.add("_", "Het formulier is verlopen of niet van deze site; probeer het opnieuw.")
        return _login_page(request, username, errors, status=403, next_path=next_path)

    ctx = request.app.state.ctx
    throttle = request.app.state.login_throttle
    keys = throttle.keys(username, _address(request))
    wait = throttle.wait(*keys)
    errors = FormErrors()
    if wait > 0:
        errors.add("_", f"Te veel mislukte pogingen. Probeer het over {int(wait) + 1} seconden opnieuw.")
        return _login_page(request, username, errors, status=429, next_path=next_path)
    if not username:
        errors.add("username", "Gebruikersnaam: vul dit in")
    if not password:
        errors.add("password", "Wachtwoord: vul dit in")
    if errors:
        return _login_page(request, username, errors, status=422, next_path=next_path)

    with ctx.db.read() as session:
        user = session.execute(select(User).where(User.username == username.lower())).scalar_one_or_none()
        stored = user.password_hash if user is not None and user.active else None
        user_id = user.id if user is not None else None
    # The hash check is slow by design; keep the event loop free meanwhile.
    ok = await asyncio.to_thread(verify_password, stored, password)
    if not ok:
        throttle.failed(*keys)
        log.info("failed web login for username %r from %s", username[:64], keys[1][5:])
        await asyncio.sleep(FAILURE_DELAY_S)
        errors.add("_", "Gebruikersnaam of wachtwoord klopt niet.")
        return _login_page(request, username, errors, status=401, next_path=next_path)
    throttle.succeeded(keys[0])
    hours = ctx.settings.session_hours
    with ctx.db.write() as tx:
        user = tx.get(User, user_id)
        token = sessions.start(tx.session, user, hours)
        start_page = sessions.START_PAGES[user.role]
    response = RedirectResponse(sessions.safe_next(next_path, start_page), status_code=303)
    sessions.set_cookie(request, response, token, hours)
    response.delete_cookie(sessions.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request):
    form = await request.form()
    user = sessions.current(request)
    if user is not None:
        sessions.check_csrf(form, user.csrf_token)
        with request.app.state.ctx.db.write() as tx:
            sessions.end(tx.session, request.cookies.get(sessions.COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    sessions.clear_cookie(request, response)
    return response
