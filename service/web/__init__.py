"""The web app for coaches, employers and admins: server-rendered Dutch pages in the
same FastAPI app as the API, with sessions and passwords instead of bearer tokens.

Pages call the same store functions and route logic as the API, so a page can
never show or do what the API would refuse. Scripts and styles are served from
``static/`` (and the API docs' from an installed wheel): nothing from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import REFUSED, http_problem, problem_response, request_problems
from service.web import sessions
from service.web.routes import admin, coach, docs, employer, login
from service.web.templating import render
from service.web.throttle import LoginThrottle

STATIC = Path(__file__).with_name("static")
API_PREFIXES = ("/v1/", "/openapi.json", "/static/")
HTTP_TEXT = {404: "Deze pagina bestaat niet, of is niet van u.", 405: "Dat kan op deze pagina niet.",
             403: "Dit is niet voor uw rol.", 413: "Wat u stuurde is te groot."}


# Pages load nothing from elsewhere: the browser refuses it before any request
# leaves (ReDoc's "powered by" logo points at a CDN, for one). The API docs need
# their inline start-up script and ReDoc its blob workers.
CSP_PAGES = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
             "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
CSP_DOCS = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'")


def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def install(app: FastAPI) -> None:
    app.state.login_throttle = LoginThrottle()
    app.mount("/static/app", StaticFiles(directory=str(STATIC)), name="static")
    docs.mount_assets(app)
    for module in (login, docs, coach, employer, admin):
        app.include_router(module.router)

    @app.middleware("http")
    async def _page_headers(request: Request, call_next):
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            docs_page = request.url.path in ("/docs", "/redoc")
            response.headers.setdefault("Content-Security-Policy", CSP_DOCS if docs_page else CSP_PAGES)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.exception_handler(sessions.LoginRequired)
    async def _login_required(_request: Request, exc: sessions.LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", status_code=303)

    @app.exception_handler(sessions.WrongRole)
    async def _wrong_role(request: Request, exc: sessions.WrongRole):
        return render(request, "error.html", {"status": 403, "message": HTTP_TEXT[403]}, status_code=403)

    @app.exception_handler(sessions.CsrfRefused)
    async def _csrf(request: Request, _exc: sessions.CsrfRefused):
        return render(request, "error.html", {
            "status": 403, "message": "Het formulier is verlopen of niet van deze site; er is niets gewijzigd. "
                                      "Ga terug, laad de pagina opnieuw en probeer het nog eens."},
            status_code=403)

    @app.exception_handler(sessions.TooManyRequests)
    async def _too_many(request: Request, exc: sessions.TooManyRequests):
        response = render(request, "error.html", {
            "status": 429, "message": f"U deed veel verzoeken kort na elkaar; er is niets gewijzigd. "
                                     f"Probeer het over {exc.retry_after} seconden opnieuw."},
            status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if not _is_page(request):
            return problem_response(422, REFUSED, request_problems(exc))
        # A page's only validated input is its path (forms are read by hand): a path
        # segment that names no id (see service.ids) is a page that does not exist.
        return render(request, "error.html", {"status": 404, "message": HTTP_TEXT[404]}, status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if not _is_page(request):
            return http_problem(exc)
        message = HTTP_TEXT.get(exc.status_code, "Er ging iets mis.")
        return render(request, "error.html", {"status": exc.status_code, "message": message},
                      status_code=exc.status_code)
