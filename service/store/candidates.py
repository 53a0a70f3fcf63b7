"""Candidates in the database: a coach's own, found by (coach, id), their stored body and their erasure.

A candidate row keeps the contract fields as JSON and the service's own
fields (the sickness dates) as columns, so the timelines can be read without
parsing every body. The own employer (contract v1.1) is in the body and, for
look-ups, in a column too: its places are the candidate's spoor-1 places.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from matching.contract.models import STORED
from service import events
from service.auth import Principal
from service.db import Database
from service.errors import not_found
from service.rematch import erase_candidate_rematch, scrub_digest_files
from service.schemas import (
    READ_ONLY_CANDIDATE_FIELDS,
    SERVICE_CANDIDATE_FIELDS,
    CandidateBody,
    PlacementBody,
)
from service.store.dossier_log import record_event
from service.store.placements import placement_body
from service.tables import (
    CANDIDATE_TABLES,
    CandidateRow,
    DossierEventRow,
    FeedbackRow,
    IntroductionRow,
    PlacementRow,
    User,
    utcnow,
)


def candidate_row(session: Session, coach: Principal, candidate_id: str, for_update: bool = False) -> CandidateRow:
    """The coach's candidate; another coach's is a 404 like a missing one."""
    query = select(CandidateRow).where(CandidateRow.coach_id == coach.user_id, CandidateRow.id == candidate_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise not_found("candidate")
    return row


def require_candidate_pk(session: Session, candidate_pk: int) -> None:
    """404 if the candidate read earlier in another transaction has been erased since."""
    if session.execute(select(CandidateRow.pk).where(CandidateRow.pk == candidate_pk)).first() is None:
        raise not_found("candidate")


def has_candidate(session: Session, coach: Principal, candidate_id: str) -> bool:
    return session.execute(select(CandidateRow.pk).where(
        CandidateRow.coach_id == coach.user_id, CandidateRow.id == candidate_id)).first() is not None


def candidate_body(row: CandidateRow) -> CandidateBody:
    data: dict[str, Any] = dict(row.body)
    for name in SERVICE_CANDIDATE_FIELDS:
        data[name] = getattr(row, name)
    return CandidateBody.model_validate(data, context=STORED)


def set_candidate_body(row: CandidateRow, body: CandidateBody) -> None:
    """Store the body; every write of a candidate goes through here, so the columns
    that mirror it (the sickness dates, the own employer) never drift from it."""
    row.body = body.contract_dict()
    for name in SERVICE_CANDIDATE_FIELDS:
        setattr(row, name, getattr(body, name))
    row.employer_id = body.employer_id


def own_employer_places(session: Session, row: CandidateRow, status: str | None = "open") -> list[PlacementBody]:
    """The candidate's spoor-1 places: those of their own employer (by id; only
    ``status`` ones unless None). Empty when the candidate has no employer_id."""
    if not row.employer_id:
        return []
    query = select(PlacementRow).where(PlacementRow.organisation_id == row.employer_id)
    if status is not None:
        query = query.where(PlacementRow.status == status)
    return [placement_body(r) for r in session.execute(query.order_by(PlacementRow.id)).scalars()]


def candidate_page(session: Session, coach: Principal, limit: int, offset: int) -> tuple[list[CandidateBody], int]:
    """One page of the coach's candidates by id, and how many they have in all."""
    total = session.execute(select(func.count()).select_from(CandidateRow)
                            .where(CandidateRow.coach_id == coach.user_id)).scalar_one()
    rows = session.execute(select(CandidateRow).where(CandidateRow.coach_id == coach.user_id)
                           .order_by(CandidateRow.id).limit(limit).offset(offset)).scalars().all()
    return [candidate_body(r) for r in rows], total


def create_candidate(session: Session, coach: Principal, body: CandidateBody) -> CandidateRow:
    now = utcnow()
    row = CandidateRow(id=body.id, coach_id=coach.user_id, created_at=now, updated_at=now)
    set_candidate_body(row, body)
    session.add(row)
    # The event needs the row's key.
    session.flush()
    record_event(session, row.pk, coach, "candidate_created", "Kandidaat aangemaakt",
                 {"capacity": body.capacity, "sick_since": body.sick_since and body.sick_since.isoformat()})
    return row


def update_candidate(session: Session, row: CandidateRow, before: CandidateBody, after: CandidateBody,
                     coach: Principal) -> None:
    """Store ``after``; the dossier gets what changed (and the belastbaarheid item by item)."""
    old = before.model_dump(mode="json", exclude_none=True, exclude=set(READ_ONLY_CANDIDATE_FIELDS))
    new = after.model_dump(mode="json", exclude_none=True, exclude=set(READ_ONLY_CANDIDATE_FIELDS))
    changed = events.changes(old, new)
    if changed:
        labels = ", ".join(events.FIELD_LABELS.get(f, f) for f in changed)
        dates = {f: {"before": old.get(f), "after": new.get(f)} for f in changed if f in SERVICE_CANDIDATE_FIELDS}
        record_event(session, row.pk, coach, "candidate_updated", f"Gegevens gewijzigd: {labels}",
                     {"fields": changed, "dates": dates})
        if "capacity" in changed:
            diff = events.capacity_diff(old.get("capacity", {}), new.get("capacity", {}))
            record_event(session, row.pk, coach, "capacity_changed",
                         "Belastbaarheid gewijzigd: " + ", ".join(diff), {"items": diff})
    set_candidate_body(row, after)
    row.updated_at = utcnow()


def timeline_dates(session: Session, coach: Principal) -> list[tuple[str, date | None, date | None, date | None]]:
    """Per candidate of the coach: (id, sick_since, first_year_evaluation, spoor2_started)."""
    rows = session.execute(select(CandidateRow.id, CandidateRow.sick_since, CandidateRow.first_year_evaluation,
                                  CandidateRow.spoor2_started)
                           .where(CandidateRow.coach_id == coach.user_id)).all()
    return [tuple(r) for r in rows]


def shared_candidate_ids(session: Session, coach_id: int, other_coach_id: int) -> list[str]:
    """Candidate ids both coaches use: a transfer would make them ambiguous."""
    return session.execute(select(CandidateRow.id).where(
        CandidateRow.coach_id == coach_id,
        CandidateRow.id.in_(select(CandidateRow.id).where(CandidateRow.coach_id == other_coach_id)))).scalars().all()


def transfer_candidates(session: Session, by: Principal, source: User, target: User) -> int:
    """Hand all of ``source``'s candidates to ``target``, each with a dossier event; how many moved."""
    pks = session.execute(select(CandidateRow.pk).where(CandidateRow.coach_id == source.id)).scalars().all()
    session.execute(update(CandidateRow).where(CandidateRow.coach_id == source.id).values(coach_id=target.id))
    for pk in pks:
        record_event(session, pk, by, "candidate_transferred", f"Overgedragen van {source.name} aan {target.name}",
                     {"from_user_id": source.id, "to_user_id": target.id})
    return len(pks)


def erase_candidate(session: Session, row: CandidateRow) -> None:
    """Delete the candidate and every row about them, in the caller's transaction."""
    # Children first: correct even where the database does not cascade.
    erase_candidate_rematch(session, row.pk)
    session.execute(delete(DossierEventRow).where(DossierEventRow.candidate_pk == row.pk))
    session.execute(delete(IntroductionRow).where(IntroductionRow.candidate_pk == row.pk))
    session.execute(delete(FeedbackRow).where(FeedbackRow.candidate_pk == row.pk))
    session.delete(row)


def finish_erasure(db: Database, state_dir: Path, coach_id: int, candidate_id: str) -> None:
    """After the erasure has committed: the traces outside the candidate's rows."""
    # The nightly digest files in the state folder name the candidate too.
    scrub_digest_files(state_dir, coach_id, candidate_id)
    db.compact_after_erasure(list(CANDIDATE_TABLES))
