"""The Jinja2 environment of the web app: templates beside this module, Dutch dates,
and what every page needs (the user, the CSRF token, a flash message)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from service.ids import path_id
from service.timeline import dutch_date as timeline_date
from service.web import sessions

TEMPLATES = Path(__file__).with_name("templates")

templates = Jinja2Templates(directory=str(TEMPLATES))


def dutch_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        local = value.astimezone()
        return f"{timeline_date(local.date())}, {local:%H:%M}"
    return timeline_date(value)


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text.replace(".", ",")


def euro(value: float | None) -> str:
    """An amount as a Dutch reader writes it: "€ 14,20"."""
    return "-" if value is None else f"€ {value:.2f}".replace(".", ",")


templates.env.filters["datum"] = dutch_date
templates.env.filters["euro"] = euro
templates.env.filters["getal"] = number
# A link to a record: its id as a path carries it (see service.ids).
templates.env.filters["path_id"] = path_id


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           user: sessions.WebUser | None = None) -> HTMLResponse:
    """A page; ``user`` defaults to the request's logged-in user."""
    user = user or sessions.current(request)
    flash = unquote(request.cookies.get(sessions.FLASH_COOKIE, "")) or None
    ctx = {"request": request, "user": user, "csrf_token": user.csrf_token if user else "", "flash": flash,
           **(context or {})}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if flash:
        response.delete_cookie(sessions.FLASH_COOKIE, path="/")
    # Pages show personal data: never kept by a shared browser's cache or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response
