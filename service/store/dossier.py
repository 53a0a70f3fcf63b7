"""The dossier as a whole: the export for the re-integratiedossier, and the events of reading it out."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from service.auth import Principal
from service.schemas import DossierExport
from service.store.candidates import candidate_body
from service.store.dossier_log import events_of, record_event
from service.tables import CandidateRow, utcnow
from service.timeline import build_timeline


def dossier_export(session: Session, row: CandidateRow, by: Principal) -> DossierExport:
    return DossierExport(
        candidate_id=row.id,
        exported_at=utcnow(),
        exported_by=by.name,
        candidate=candidate_body(row),
        timeline=build_timeline(row.id, row.sick_since, row.first_year_evaluation, row.spoor2_started, date.today()),
        events=events_of(session, row.pk),
    )


def record_export(session: Session, candidate_pk: int, by: Principal, format: str) -> None:
    """The export itself is part of the record: who took the dossier out, and when."""
    record_event(session, candidate_pk, by, "dossier_exported", f"Dossier geëxporteerd ({format})", {"format": format})
