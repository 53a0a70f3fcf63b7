"""Introductions in the database: a candidate put forward to an employer's place, and the employer's view of it.

The employer reads only the pseudonymous profile stored with the introduction,
never the candidate's row; withdrawn introductions are invisible to them.
"""

from __future__ import annotations

import secrets
from typing import Any, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matching.contract.models import Condition, Placement
from service.auth import Principal
from service.errors import not_found
from service.profiles import new_pseudonym
from service.schemas import EmployerCandidateProfile, EmployerIntroduction
from service.store.dossier_log import record_event
from service.tables import FeedbackRow, IntroductionRow, utcnow

_DECISION_WORDS = {"interested": "interesse", "rejected": "afgewezen"}


def active_introduction(session: Session, candidate_pk: int, placement_id: str) -> IntroductionRow | None:
    return session.execute(select(IntroductionRow).where(
        IntroductionRow.candidate_pk == candidate_pk, IntroductionRow.placement_id == placement_id,
        IntroductionRow.withdrawn_at.is_(None))).scalars().first()


def active_introduction_count(session: Session, placement_id: str) -> int:
    """How many candidates are introduced to the place and not withdrawn."""
    return session.execute(select(func.count()).select_from(IntroductionRow).where(
        IntroductionRow.placement_id == placement_id, IntroductionRow.withdrawn_at.is_(None))).scalar_one()


def pseudonym_for(session: Session, candidate_pk: int, organisation_id: str) -> str:
    # The same employer sees the same pseudonym for the same candidate; different
    # employers see different ones, so they cannot pool what they know.
    earlier = session.execute(select(IntroductionRow.pseudonym).where(
        IntroductionRow.candidate_pk == candidate_pk,
        IntroductionRow.organisation_id == organisation_id)).scalars().first()
    return earlier or new_pseudonym()


def create_introduction(session: Session, coach: Principal, candidate_pk: int, placement: Placement,
                        organisation_id: str, feedback_id: int, pseudonym: str, motivation: str,
                        signal_motivations: dict[str, dict[str, str]], profile: dict[str, Any],
                        conditions: Sequence[Condition] = ()) -> IntroductionRow:
    """Store the introduction with what the employer may see (``profile``), and its dossier event.

    ``conditions``: what makes an adjusted place fit (contract v1.1), agreed with the
    introduction; kept whole for the coach and the dossier. The employer's ``profile``
    carries only what to change (``adjustments``), never why.
    """
    agreed = [c.model_dump(mode="json", by_alias=True) for c in conditions]
    summary = f"Voorgesteld aan {organisation_id} voor {placement.title} ({placement.id}) als {pseudonym}"
    if agreed:
        summary += "; afgesproken: " + "; ".join(c.reason for c in conditions)
    intro = IntroductionRow(
        id=f"int-{secrets.token_hex(8)}",
        candidate_pk=candidate_pk,
        placement_id=placement.id,
        organisation_id=organisation_id,
        feedback_id=feedback_id,
        pseudonym=pseudonym,
        motivation=motivation,
        signal_motivations=signal_motivations,
        conditions=agreed,
        profile=profile,
        created_at=utcnow(),
        decision_note="",
    )
    session.add(intro)
    record_event(
        session, candidate_pk, coach, "introduction", summary,
        {"introduction_id": intro.id, "placement_id": placement.id, "organisation_id": organisation_id,
         "pseudonym": pseudonym, "motivation": motivation, "signal_motivations": intro.signal_motivations,
         "conditions": agreed, "adjustments_asked": list(intro.profile.get("adjustments", [])),
         "why_it_fits": intro.profile["why_it_fits"]},
    )
    return intro


def withdraw_introduction(session: Session, candidate_pk: int, placement_id: str,
                          feedback: FeedbackRow) -> IntroductionRow | None:
    """Withdraw the active introduction to the place, if any, by the ``withdrawn`` feedback (undo restores it)."""
    intro = active_introduction(session, candidate_pk, placement_id)
    if intro is not None:
        intro.withdrawn_at = feedback.created_at
        intro.withdrawn_by_feedback = feedback.id
    return intro


def employer_view(intro: IntroductionRow) -> EmployerIntroduction:
    return EmployerIntroduction(
        id=intro.id,
        placement_id=intro.placement_id,
        placement_title=intro.profile.get("placement_title", ""),
        introduced_at=intro.created_at,
        candidate=EmployerCandidateProfile.model_validate(intro.profile["candidate"]),
        motivation=intro.motivation,
        why_it_fits=intro.profile.get("why_it_fits", ""),
        # The wording stored with the introduction, never the conditions themselves:
        # those carry the reasons (limits, a prognosis) the employer may not see.
        adjustments=list(intro.profile.get("adjustments", [])),
        decision=intro.decision,
        decision_note=intro.decision_note,
        decided_at=intro.decided_at,
    )


def _visible(organisation_id: str | None) -> Select:
    return select(IntroductionRow).where(IntroductionRow.organisation_id == organisation_id,
                                         IntroductionRow.withdrawn_at.is_(None))


def employer_introductions(session: Session, organisation_id: str | None,
                           placement_id: str | None = None) -> list[EmployerIntroduction]:
    """The organisation's active introductions, oldest first; only one place's if given."""
    query = _visible(organisation_id)
    if placement_id is not None:
        query = query.where(IntroductionRow.placement_id == placement_id)
    rows = session.execute(query.order_by(IntroductionRow.created_at, IntroductionRow.id)).scalars()
    return [employer_view(r) for r in rows]


def employer_introduction(session: Session, organisation_id: str | None, introduction_id: str,
                          for_update: bool = False) -> IntroductionRow:
    """An active introduction to one of the organisation's places; withdrawn or another's is a 404."""
    query = _visible(organisation_id).where(IntroductionRow.id == introduction_id)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise not_found("introduction")
    return row


def decide_introduction(session: Session, employer: Principal, intro: IntroductionRow, decision: str,
                        note: str) -> None:
    """Store the employer's answer; a rejection hides the place from the candidate's suggestions until changed."""
    previous = intro.decision
    now = utcnow()
    intro.decision, intro.decision_note, intro.decided_at = decision, note, now
    if decision == "rejected" and previous != "rejected":
        session.add(FeedbackRow(candidate_pk=intro.candidate_pk, placement_id=intro.placement_id,
                                code="rejected_by_employer", why=None, note=note, created_by=employer.user_id,
                                created_by_name=employer.name, created_at=now))
    elif previous == "rejected" and decision != "rejected":
        rejection = session.execute(select(FeedbackRow).where(
            FeedbackRow.candidate_pk == intro.candidate_pk, FeedbackRow.placement_id == intro.placement_id,
            FeedbackRow.code == "rejected_by_employer", FeedbackRow.undone_at.is_(None))
            .order_by(FeedbackRow.id.desc())).scalars().first()
        if rejection is not None:
            rejection.undone_at = now
    record_event(session, intro.candidate_pk, employer, "employer_decision",
                 f"Reactie van {employer.organisation_id} op {intro.placement_id}: {_DECISION_WORDS[decision]}",
                 {"introduction_id": intro.id, "placement_id": intro.placement_id,
                  "organisation_id": employer.organisation_id, "decision": decision, "note": note})
