"""Who am I, and is the service healthy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented
from service.schemas import Health, Me

router = APIRouter(prefix="/v1", tags=["system"])
Anyone = Annotated[Principal, role("admin", "coach", "employer")]


@router.get("/me", response_model=Me, responses=documented(401), summary="The user behind the token")
def me(principal: Anyone) -> Me:
    return Me(id=principal.user_id, name=principal.name, role=principal.role,
              organisation_id=principal.organisation_id)


@router.get("/health", response_model=Health, responses={503: {"model": Health, "description": "Database down"}},
            summary="Liveness and database reachability (no token needed)")
def health(ctx: Ctx):
    ok = ctx.db.ping()
    body = Health(status="ok" if ok else "degraded", database=ctx.db.backend, placements_indexed=len(ctx.engine))
    return body if ok else JSONResponse(body.model_dump(), status_code=503)
