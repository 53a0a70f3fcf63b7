"""The admin's pages: organisations, users (their web login and API tokens) and the
nightly rematch runs. The admin sees no candidate data.

The rules live in the API's routes (:mod:`service.routes.admin`, :mod:`service.routes.digest`)
and the store; these pages call them and show a refusal in Dutch beside its field,
keeping what was typed (except a password, which is never sent back to the browser).

A generated password or a new API token is shown once, on the page the form
redirects to. Until then it waits in this process's memory, tied to the admin's
own browser session, for at most ``ONCE_TTL``: never in a URL, a cookie or a log.
The server runs one process (``spoormatch serve``), so the next page finds it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from service import store
from service.auth import hash_token
from service.errors import Refused
from service.passwords import new_password, password_problem
from service.routes import admin as api
from service.routes import digest as api_digest
from service.schemas import DbInt, OrganisationIn, UserIn, UserUpdate
from service.tables import User, utcnow
from service.web import sessions
from service.web.forms import GENERAL, FormErrors, dutch_errors, refusal_errors, text
from service.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("service.web")

ROLES = {"admin": "beheerder", "coach": "coach", "employer": "werkgever"}
RUN_STATUS = {"running": "bezig", "failed": "mislukt", "committed": "afgerond", "abandoned": "afgebroken"}
RUN_COUNTS = (("candidates", "kandidaten"), ("computed", "berekend"), ("merged", "bijgewerkt"),
              ("reused", "ongewijzigd"), ("skipped", "overgeslagen"))
MAX_RUNS = 50
ONCE_TTL_S = 600
# Password choices of the forms: generate one, type one, or (on a user's page) keep the current one.
GENERATE, TYPED, KEEP = "genereren", "zelf", "houden"

# The API's reasons (English) as the admin's forms meet them; forms.dutch_reason knows the others.


class Invalid(Exception):
    """A refused form: raised inside a write so that nothing of it is committed."""

    def __init__(self, errors: FormErrors):
        self.errors = errors


def _refused(exc: Refused, field_map: dict[str, str] | None = None) -> FormErrors:
    return refusal_errors(exc.problems, field_map)


def _invalid(exc: ValidationError, field_map: dict[str, str] | None = None) -> FormErrors:
    return dutch_errors(exc, field_map)


def _ctx(request: Request):
    return request.app.state.ctx


# --- shown once -------------------------------------------------------------------------------

class ShownOnce:
    """Secrets waiting for the one page that shows them, per admin session and user."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, int], tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()

    def put(self, key: tuple[str, int], secret: dict[str, str]) -> None:
        with self._lock:
            self._drop_old()
            self._items[key] = (time.monotonic() + ONCE_TTL_S, secret)

    def pop(self, key: tuple[str, int]) -> dict[str, str] | None:
        with self._lock:
            self._drop_old()
            found = self._items.pop(key, None)
        return found[1] if found else None

    def _drop_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, (until, _) in self._items.items() if until <= now]:
            del self._items[key]


_once_lock = threading.Lock()


def _shown_once(request: Request) -> ShownOnce:
    # Kept on the app (not the module), so each app (and each test) has its own.
    with _once_lock:
        found = getattr(request.app.state, "admin_shown_once", None)
        if found is None:
            found = request.app.state.admin_shown_once = ShownOnce()
    return found


def _once_key(request: Request, user_id: int) -> tuple[str, int]:
    # The admin's session cookie (as its hash): another browser, even of the same admin, sees nothing.
    return hash_token(request.cookies.get(sessions.COOKIE, "")), user_id


def _redirect(request: Request, path: str, message: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    sessions.flash(request, response, message)
    return response


# --- overview: organisations and users --------------------------------------------------------

def _overview_data(ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        organisations = store.organisations(session)
        rows = session.execute(select(User).order_by(User.id)).scalars().all()
        # Only what the list shows: never the hash itself.
        users = [{"id": u.id, "name": u.name, "username": u.username, "role": ROLES.get(u.role, u.role),
                  "organisation_id": u.organisation_id, "active": u.active, "has_password": bool(u.password_hash)}
                 for u in rows]
    org_options = [("", "geen")] + [(o.id, f"{o.name} ({o.id})") for o in organisations]
    return {"organisations": organisations, "users": users, "org_options": org_options}


def _overview(request: Request, *, org_values: dict | None = None, org_errors: FormErrors | None = None,
              user_values: dict | None = None, user_errors: FormErrors | None = None, status: int = 200):
    data = _overview_data(_ctx(request))
    return render(request, "admin/index.html", {
        **data, "roles": ROLES, "org_values": org_values or {}, "org_errors": org_errors or FormErrors(),
        "user_values": user_values or {"password_mode": GENERATE}, "user_errors": user_errors or FormErrors(),
    }, status_code=status)


@router.get("/beheer")
def overview(request: Request):
    sessions.require(request, "admin")
    return _overview(request)


@router.post("/beheer/organisaties")
async def add_organisation(request: Request):
    user, form = await sessions.submitted(request, "admin")
    values = {"org_id": text(form, "org_id", 200), "org_name": text(form, "org_name", 300)}
    field_map = {"id": "org_id", "name": "org_name"}
    try:
        body = OrganisationIn(id=values["org_id"], name=values["org_name"])
        await run_in_threadpool(api.create_organisation, _ctx(request), user.principal, body)
    except ValidationError as exc:
        return _overview(request, org_values=values, org_errors=_invalid(exc, field_map), status=422)
    except Refused as exc:
        return _overview(request, org_values=values, org_errors=_refused(exc, field_map), status=422)
    return _redirect(request, "/beheer#organisaties", f"Organisatie {body.name} ({body.id}) toegevoegd.")


def _password_choice(form, errors: FormErrors, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """The chosen mode and the new password (``None``: keep the current one)."""
    mode = text(form, "password_mode", 20)
    if mode not in allowed:
        errors.add("password_mode", "kies hoe het wachtwoord wordt ingesteld")
        return mode, None
    if mode == GENERATE:
        return mode, new_password()
    if mode == KEEP:
        return mode, None
    typed = form.get("password", "")
    typed = typed if isinstance(typed, str) else ""
    problem = password_problem(typed) if typed else "vul een wachtwoord in, of kies 'laten maken'"
    if problem:
        errors.add("password", problem)
    return mode, typed


def _create_user(ctx, values: dict[str, str], password: str | None, errors: FormErrors) -> tuple[int, str]:
    try:
        body: UserIn | None = UserIn(name=values["name"], role=values["role"],
                                     organisation_id=values["organisation_id"] or None)
    except ValidationError as exc:
        body = None
        for name, message in _invalid(exc).items():
            errors.add(name, message)
    with ctx.db.write() as tx:
        # Left empty, the username is made from the name (and is then free by construction).
        username = values["username"] or (store.username_for(tx.session, values["name"]) if values["name"] else "")
        problem = store.username_problem(tx.session, username) if username else "vul dit in"
        if problem:
            errors.add("username", problem)
        if errors or body is None:
            raise Invalid(errors)
        try:
            user, _token, _plain = store.create_user_row(tx.session, body, 0, with_token=False)
        except Refused as exc:
            raise Invalid(_refused(exc)) from None
        store.set_login(tx.session, user, username, password)
        return user.id, username


@router.post("/beheer/gebruikers")
async def add_user(request: Request):
    admin, form = await sessions.submitted(request, "admin")
    values = {"name": text(form, "name", 300), "username": text(form, "username", 100).lower(),
              "role": text(form, "role", 20), "organisation_id": text(form, "organisation_id", 200),
              "password_mode": text(form, "password_mode", 20)}
    errors = FormErrors()
    mode, password = _password_choice(form, errors, (GENERATE, TYPED))
    try:
        user_id, username = await run_in_threadpool(_create_user, _ctx(request), values, password, errors)
    except Invalid as exc:
        return _overview(request, user_values=values, user_errors=exc.errors, status=422)
    log.info("admin %s created user %s (%s)", admin.principal.user_id, user_id, values["role"])
    if mode == GENERATE:
        _shown_once(request).put(_once_key(request, user_id),
                                 {"kind": "password", "value": password, "username": username})
    return _redirect(request, f"/beheer/gebruikers/{user_id}",
                     f"Gebruiker {values['name']} aangemaakt, met gebruikersnaam {username}.")


# --- one user ---------------------------------------------------------------------------------

def _user_data(ctx, user_id: int) -> dict[str, Any]:
    now = utcnow()
    with ctx.db.read() as session:
        row = store.user_row(session, user_id)
        user = {"id": row.id, "name": row.name, "username": row.username, "role": ROLES.get(row.role, row.role),
                "organisation_id": row.organisation_id, "active": row.active,
                "has_password": bool(row.password_hash)}
        suggestion = row.username or store.username_for(session, row.name)
        tokens = []
        for t in store.user_tokens(session, user_id):
            if t.revoked_at is not None:
                state = "ingetrokken"
            elif t.expires_at is not None and t.expires_at <= now:
                state = "verlopen"
            else:
                state = "geldig"
            tokens.append({"id": t.id, "created_at": t.created_at, "expires_at": t.expires_at,
                           "revoked_at": t.revoked_at, "state": state})
    return {"target": user, "tokens": tokens, "suggested_username": suggestion}


def _user_page(request: Request, user_id: int, *, values: dict | None = None, errors: FormErrors | None = None,
               status: int = 200, once: dict | None = None):
    data = _user_data(_ctx(request), user_id)
    values = {"name": data["target"]["name"], "username": data["suggested_username"],
              "password_mode": KEEP if data["target"]["has_password"] else GENERATE, **(values or {})}
    return render(request, "admin/user.html", {**data, "values": values, "errors": errors or FormErrors(),
                                               "once": once}, status_code=status)


@router.get("/beheer/gebruikers/{user_id}")
def user_page(request: Request, user_id: DbInt):
    sessions.require(request, "admin")
    # Popped before rendering: a reload, or the back button, no longer shows it.
    once = _shown_once(request).pop(_once_key(request, user_id))
    return _user_page(request, user_id, once=once)


@router.post("/beheer/gebruikers/{user_id}/naam")
async def rename_user(request: Request, user_id: DbInt):
    admin, form = await sessions.submitted(request, "admin")
    values = {"name": text(form, "name", 300)}
    try:
        body = UserUpdate(name=values["name"])
        await run_in_threadpool(api.update_user, _ctx(request), admin.principal, user_id, body)
    except ValidationError as exc:
        return _user_page(request, user_id, values=values, errors=_invalid(exc), status=422)
    except Refused as exc:
        return _user_page(request, user_id, values=values, errors=_refused(exc), status=422)
    return _redirect(request, f"/beheer/gebruikers/{user_id}", f"Naam gewijzigd in {body.name}.")


@router.post("/beheer/gebruikers/{user_id}/actief")
async def set_active(request: Request, user_id: DbInt):
    admin, form = await sessions.submitted(request, "admin")
    active = text(form, "active", 5) == "1"
    try:
        out = await run_in_threadpool(api.update_user, _ctx(request), admin.principal, user_id,
                                      UserUpdate(active=active))
    except Refused as exc:
        return _user_page(request, user_id, errors=_refused(exc), status=422)
    log.info("admin %s set user %s active=%s", admin.principal.user_id, user_id, active)
    message = (f"{out.name} is weer actief." if active else
               f"{out.name} is gedeactiveerd: uitgelogd op elk apparaat, en de API-tokens werken niet meer.")
    if not active and user_id == admin.principal.user_id:
        # Deactivating oneself ended one's own session too.
        return _redirect(request, "/login", message)
    return _redirect(request, f"/beheer/gebruikers/{user_id}", message)


def _set_login(ctx, user_id: int, username: str, password: str | None, errors: FormErrors) -> str:
    with ctx.db.write() as tx:
        user = store.user_row(tx.session, user_id)
        problem = store.username_problem(tx.session, username, user_id) if username else "vul dit in"
        if problem:
            errors.add("username", problem)
        if errors:
            raise Invalid(errors)
        store.set_login(tx.session, user, username, password)
        return user.name


@router.post("/beheer/gebruikers/{user_id}/inlog")
async def set_login(request: Request, user_id: DbInt):
    admin, form = await sessions.submitted(request, "admin")
    values = {"username": text(form, "username", 100).lower(), "password_mode": text(form, "password_mode", 20)}
    errors = FormErrors()
    mode, password = _password_choice(form, errors, (GENERATE, TYPED, KEEP))
    try:
        name = await run_in_threadpool(_set_login, _ctx(request), user_id, values["username"], password, errors)
    except Invalid as exc:
        return _user_page(request, user_id, values=values, errors=exc.errors, status=422)
    if password is None:
        return _redirect(request, f"/beheer/gebruikers/{user_id}", f"Gebruikersnaam van {name} is nu "
                                                                   f"{values['username']}.")
    log.info("admin %s set a new password for user %s", admin.principal.user_id, user_id)
    if mode == GENERATE:
        _shown_once(request).put(_once_key(request, user_id),
                                 {"kind": "password", "value": password, "username": values["username"]})
    if user_id == admin.principal.user_id:
        # A new password ends every session of its user, this one included.
        return _redirect(request, "/login", "Uw wachtwoord is gewijzigd; log opnieuw in.")
    return _redirect(request, f"/beheer/gebruikers/{user_id}",
                     f"Nieuw wachtwoord ingesteld voor {name}; {name} is op elk apparaat uitgelogd.")


@router.post("/beheer/gebruikers/{user_id}/tokens")
async def add_token(request: Request, user_id: DbInt):
    admin, form = await sessions.submitted(request, "admin")
    issued = await run_in_threadpool(api.add_token, _ctx(request), admin.principal, user_id)
    log.info("admin %s issued token %s for user %s", admin.principal.user_id, issued.token_id, user_id)
    _shown_once(request).put(_once_key(request, user_id), {"kind": "token", "value": issued.token,
                                                           "token_id": str(issued.token_id)})
    return _redirect(request, f"/beheer/gebruikers/{user_id}", f"API-token {issued.token_id} uitgegeven.")


def _revoke(ctx, admin, user_id: int, token_id: int) -> bool:
    with ctx.db.read() as session:
        store.user_row(session, user_id)
        if token_id not in {t.id for t in store.user_tokens(session, user_id)}:
            return False
    api.revoke_token(ctx, admin, token_id)
    return True


@router.post("/beheer/gebruikers/{user_id}/tokens/{token_id}/intrekken")
async def revoke_token(request: Request, user_id: DbInt, token_id: DbInt):
    admin, form = await sessions.submitted(request, "admin")
    if not await run_in_threadpool(_revoke, _ctx(request), admin.principal, user_id, token_id):
        errors = FormErrors()
        errors.add(GENERAL, "Dit token hoort niet bij deze gebruiker; er is niets ingetrokken.")
        return _user_page(request, user_id, errors=errors, status=404)
    log.info("admin %s revoked token %s of user %s", admin.principal.user_id, token_id, user_id)
    return _redirect(request, f"/beheer/gebruikers/{user_id}#tokens", f"API-token {token_id} ingetrokken.")


# --- nightly runs -----------------------------------------------------------------------------

@router.get("/beheer/runs")
def runs(request: Request):
    admin = sessions.require(request, "admin")
    found = api_digest.runs(_ctx(request), admin.principal, MAX_RUNS).items
    items = []
    for r in found:
        digest = r.summary.get("digest") or {}
        allocation = r.summary.get("allocation") or {}
        items.append({
            "id": r.id, "status": r.status, "status_text": RUN_STATUS.get(r.status, r.status),
            "started_at": r.started_at, "committed_at": r.committed_at, "partitions": r.partitions_total,
            "counts": [(label, r.counts[key]) for key, label in RUN_COUNTS
                       if isinstance(r.counts.get(key), (int, float))],
            "digest": digest, "lists_changed": allocation.get("lists_changed"),
            "resumed": bool(r.summary.get("resumed")), "error": r.error,
        })
    return render(request, "admin/runs.html", {"runs": items, "max_runs": MAX_RUNS})
