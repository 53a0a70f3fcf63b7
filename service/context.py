"""What every request needs: the database, the matching engine, the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from matching.settings import Settings
from service.db import Database
from service.engine import Engine


@dataclass
class AppContext:
    db: Database
    engine: Engine
    settings: Settings


def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx


Ctx = Annotated[AppContext, Depends(get_ctx)]
