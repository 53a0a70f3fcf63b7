"""The dossier as a whole: the export for the re-integratiedossier, and the events of what was shown and taken out."""

from __future__ import annotations

from datetime import date
from typing import Sequence

from sqlalchemy.orm import Session

from matching.contract.models import CandidateSuggestions
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


def record_served(session: Session, candidate_pk: int, coach: Principal, top: int, kinds: list[str],
                  result: CandidateSuggestions, hidden: frozenset[str], spoor: int | None = None,
                  verdicts: Sequence[str] = ()) -> None:
    """What was suggested, and to whom: the dossier must show what was tried."""
    served = [{"placement_id": s.placement_id, "rank": s.rank, "score": s.score, "verdict": s.verdict,
               "spoor": s.spoor, "signals": [it.item for it in s.items],
               "conditions": [c.model_dump(mode="json", by_alias=True) for c in s.conditions],
               "earnings": s.earnings.model_dump(mode="json") if s.earnings is not None else None,
               "explanation": s.explanation}
              for s in result.suggestions]
    record_event(
        session, candidate_pk, coach, "suggestions_served",
        f"{len(served)} suggesties getoond aan {coach.name}",
        {"served_to": {"user_id": coach.user_id, "name": coach.name}, "top": top, "kinds": kinds,
         "spoor": spoor, "verdicts": list(verdicts),
         "suggestions": served, "hidden": sorted(hidden),
         "excluded": [e.placement_id for e in result.excluded or []]},
    )
