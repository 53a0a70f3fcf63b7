"""A coach's feedback on places in the database, and the introductions it starts, as the coach sees them.

Every feedback can be undone; undoing never deletes, it stamps ``undone_at``,
so the dossier keeps what was tried.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.contract.models import Condition
from service import events
from service.auth import Principal
from service.errors import not_found
from service.schemas import HIDING_CODES, Feedback, FeedbackIn, IntroductionState, SignalMotivation
from service.store.dossier_log import record_event
from service.tables import FeedbackRow, IntroductionRow, utcnow


def introduction_state(intro: IntroductionRow) -> IntroductionState:
    return IntroductionState(
        id=intro.id,
        pseudonym=intro.pseudonym,
        active=intro.withdrawn_at is None,
        motivation=intro.motivation,
        signal_motivations={k: SignalMotivation(**v) for k, v in intro.signal_motivations.items()},
        conditions=[Condition.model_validate(c) for c in intro.conditions or []],
        created_at=intro.created_at,
        withdrawn_at=intro.withdrawn_at,
        decision=intro.decision,
        decision_note=intro.decision_note,
        decided_at=intro.decided_at,
    )


def feedback_out(row: FeedbackRow, intro: IntroductionRow | None = None) -> Feedback:
    return Feedback(
        id=row.id,
        placement_id=row.placement_id,
        code=row.code,
        why=row.why,
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by_name,
        undone_at=row.undone_at,
        introduction=introduction_state(intro) if intro is not None else None,
    )


def add_feedback(session: Session, candidate_pk: int, coach: Principal, body: FeedbackIn) -> FeedbackRow:
    row = FeedbackRow(candidate_pk=candidate_pk, placement_id=body.placement_id, code=body.code, why=body.why,
                      note=body.note, created_by=coach.user_id, created_by_name=coach.name, created_at=utcnow())
    session.add(row)
    # An introduction refers to the feedback's id.
    session.flush()
    return row


def record_feedback(session: Session, candidate_pk: int, coach: Principal, row: FeedbackRow) -> None:
    """The feedback's dossier event; recorded after what the feedback started (an introduction), as before."""
    label = events.CODE_LABELS[row.code] + (f" ({row.why})" if row.why else "")
    record_event(session, candidate_pk, coach, "feedback", f"Terugkoppeling op {row.placement_id}: {label}",
                 {"feedback_id": row.id, "placement_id": row.placement_id, "code": row.code,
                  "why": row.why, "note": row.note})


def feedback_list(session: Session, candidate_pk: int) -> list[Feedback]:
    """All feedback on the candidate, undone included, each with the introduction it started."""
    rows = session.execute(select(FeedbackRow).where(FeedbackRow.candidate_pk == candidate_pk)
                           .order_by(FeedbackRow.id)).scalars().all()
    intros = {i.feedback_id: i for i in session.execute(
        select(IntroductionRow).where(IntroductionRow.candidate_pk == candidate_pk)).scalars()}
    return [feedback_out(r, intros.get(r.id)) for r in rows]


def feedback_row(session: Session, candidate_pk: int, feedback_id: int) -> FeedbackRow:
    """A feedback on this candidate; one on another candidate is a 404 like a missing one."""
    row = session.execute(select(FeedbackRow).where(FeedbackRow.id == feedback_id,
                                                    FeedbackRow.candidate_pk == candidate_pk)).scalar_one_or_none()
    if row is None:
        raise not_found("feedback")
    return row


def undo_feedback(session: Session, candidate_pk: int, coach: Principal, row: FeedbackRow) -> Feedback:
    """Undo: an introduction it started is withdrawn, one it withdrew is active again."""
    now = utcnow()
    row.undone_at = now
    intro = None
    if row.code == "introduced":
        intro = session.execute(
            select(IntroductionRow).where(IntroductionRow.feedback_id == row.id)).scalar_one_or_none()
        if intro is not None and intro.withdrawn_at is None:
            intro.withdrawn_at = now
    elif row.code == "withdrawn":
        restored = session.execute(select(IntroductionRow).where(
            IntroductionRow.withdrawn_by_feedback == row.id)).scalar_one_or_none()
        if restored is not None:
            restored.withdrawn_at = None
            restored.withdrawn_by_feedback = None
    record_event(session, candidate_pk, coach, "feedback_undone",
                 f"Terugkoppeling ongedaan gemaakt: {events.CODE_LABELS[row.code]} op {row.placement_id}",
                 {"feedback_id": row.id, "placement_id": row.placement_id, "code": row.code})
    session.flush()
    return feedback_out(row, intro)


def hidden_places(session: Session, candidate_pk: int) -> frozenset[str]:
    """The places the coach set aside for the candidate (until the feedback is undone)."""
    return frozenset(session.execute(
        select(FeedbackRow.placement_id).where(
            FeedbackRow.candidate_pk == candidate_pk, FeedbackRow.undone_at.is_(None),
            FeedbackRow.code.in_(HIDING_CODES))).scalars())
