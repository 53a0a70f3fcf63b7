"""The API's documentation pages, with Swagger UI's and ReDoc's scripts served from
the installed ``fastapi-offline`` wheel instead of a public CDN: they work offline."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles

ASSETS = "/static/api-docs"
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger():
    return get_swagger_ui_html(openapi_url="/openapi.json", title="spoormatch API",
                               swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSETS}/swagger-ui.css",
                               swagger_favicon_url=f"{ASSETS}/favicon.png")


@router.get("/redoc")
def redoc():
    return get_redoc_html(openapi_url="/openapi.json", title="spoormatch API",
                          redoc_js_url=f"{ASSETS}/redoc.standalone.js", redoc_favicon_url=f"{ASSETS}/favicon.png",
                          with_google_fonts=False)


def mount_assets(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="api-docs")
