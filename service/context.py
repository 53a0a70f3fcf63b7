"""What every request needs: the database, the matching engine, the settings, the nightly counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from matching.settings import Settings
from service.contention import ContentionBoard
from service.db import Database
from service.engine import Engine
from service.ratelimit import RateLimiter


@dataclass
class AppContext:
    db: Database
    engine: Engine
    settings: Settings
    contention: ContentionBoard = field(default_factory=ContentionBoard)
    # None: SPOORMATCH_RATE_LIMIT=off.
    rate_limiter: RateLimiter | None = None


def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]
