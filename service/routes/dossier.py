"""The dossier: a candidate's event log, exported as JSON or CSV for the re-integratiedossier."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from service import events, store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import documented
from service.schemas import DossierExport, IdPath
from service.tables import CandidateRow, utcnow
from service.timeline import build_timeline

router = APIRouter(prefix="/v1", tags=["dossier"])
Coach = Annotated[Principal, role("coach")]


def build_export(session: Session, row: CandidateRow, by: Principal) -> DossierExport:
    return DossierExport(
        candidate_id=row.id,
        exported_at=utcnow(),
        exported_by=by.name,
        candidate=store.candidate_body(row),
        timeline=build_timeline(row.id, row.sick_since, row.first_year_evaluation, row.spoor2_started, date.today()),
        events=store.events_of(session, row.pk),
    )


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
        row = store.candidate_row(tx.session, coach, candidate_id)
        # The export itself is part of the record: who took the dossier out, and when.
        store.record_event(tx, row.pk, coach, "dossier_exported", f"Dossier geëxporteerd ({format})",
                           {"format": format})
        tx.flush()
        export = build_export(tx.session, row, coach)
    if format == "csv":
        # Header values are Latin-1; a candidate id may be anything.
        safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in candidate_id)
        filename = f"dossier-{safe}.csv"
        return Response(events.to_csv(export.events), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return export
