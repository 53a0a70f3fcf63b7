"""The dossier: a candidate's event log, exported as JSON or CSV for the re-integratiedossier."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from service import events, store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented
from service.schemas import DossierExport, IdPath

router = APIRouter(prefix="/v1", tags=["dossier"])
Coach = Annotated[Principal, role("coach")]


@router.get(
    "/candidates/{candidate_id}/dossier",
    response_model=DossierExport,
    responses={
        **documented(401, 403, 404, 422),
        200: {"description": "The dossier; `format=csv` gives text/csv with one event per line",
              "content": {"text/csv": {"schema": {"type": "string"},
                                       "example": "tijdstip,gebeurtenis,door,rol,omschrijving,gegevens\r\n"
                                                  "2025-03-04T09:30:00+00:00,candidate_created,Coach Anna,coach,"
                                                  "Kandidaat aangemaakt,{}\r\n"}}},
    },
    summary="Export the dossier (JSON or CSV)",
)
def export_dossier(
    ctx: Ctx, coach: Coach, candidate_id: IdPath,
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json",
):
    with ctx.db.write() as tx:
        row = store.candidate_row(tx, coach, candidate_id)
        store.record_export(tx, row.pk, coach, format)
        # The export lists its own event.
        tx.flush()
        export = store.dossier_export(tx, row, coach)
    if format == "csv":
        # Header values are Latin-1; a candidate id may be anything.
        safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in candidate_id)
        filename = f"dossier-{safe}.csv"
        return Response(events.to_csv(export.events), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return export
