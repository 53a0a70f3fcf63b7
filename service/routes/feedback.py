"""Feedback on a suggestion, with a reason code; every feedback can be undone.

``introduced`` puts the candidate forward to the employer. A place that carries
signals (items on the edge of the belastbaarheid) needs the coach's written
motivation for each signalled item: the CBBS rulings struck down verdicts
whose flags were not explained. The motivations stay with the introduction, in
the dossier; the employer sees only the pseudonymous profile and the coach's
motivation written for them.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Body, Response
from sqlalchemy import select

from service import events, examples, store
from service.auth import Principal, role
from service.context import Ctx
from service.errors import Refused, documented, not_found
from service.profiles import employer_profile, new_pseudonym, why_it_fits
from service.schemas import DbInt, Feedback, FeedbackIn, FeedbackList, IdPath
from service.tables import FeedbackRow, IntroductionRow, PlacementRow, utcnow

router = APIRouter(prefix="/v1", tags=["feedback"])
Coach = Annotated[Principal, role("coach")]

# Fewer characters than this is a placeholder, not a motivation.
MIN_MOTIVATION_CHARS = 10
FEEDBACK_EXAMPLES = {
    "not_relevant": {"summary": "Niet relevant: reistijd", "value": examples.FEEDBACK_NOT_RELEVANT},
    "introduced": {"summary": "Voorstellen, met motivatie per gesignaleerd item",
                   "value": examples.FEEDBACK_INTRODUCED},
}


def _active_introduction(session, candidate_pk: int, placement_id: str) -> IntroductionRow | None:
    return session.execute(select(IntroductionRow).where(
        IntroductionRow.candidate_pk == candidate_pk, IntroductionRow.placement_id == placement_id,
        IntroductionRow.withdrawn_at.is_(None))).scalars().first()


def _pseudonym(session, candidate_pk: int, organisation_id: str) -> str:
    # The same employer sees the same pseudonym for the same candidate; different
    # employers see different ones, so they cannot pool what they know.
    earlier = session.execute(select(IntroductionRow.pseudonym).where(
        IntroductionRow.candidate_pk == candidate_pk,
        IntroductionRow.organisation_id == organisation_id)).scalars().first()
    return earlier or new_pseudonym()


def introduce(ctx, tx, coach: Principal, cand_row, body: FeedbackIn, placement_row: PlacementRow,
               feedback: FeedbackRow) -> IntroductionRow:
    candidate = store.candidate_body(cand_row).contract()
    placement = store.placement_of(placement_row)
    problems: list[str] = []
    if not placement.available:
        problems.append("placement_id: the place is not open or has no free position")
    if _active_introduction(tx.session, cand_row.pk, placement.id) is not None:
        problems.append("placement_id: the candidate is already introduced to this place")
    check = ctx.engine.check(candidate, placement)
    problems += [f"placement_id: exceeds the belastbaarheid: {it.reason}" for it in check.exceeded
                 if it.item != "status"]
    motivation = (body.motivation or "").strip()
    if len(motivation) < MIN_MOTIVATION_CHARS:
        problems.append(f"motivation: required with introduced (at least {MIN_MOTIVATION_CHARS} characters): "
                        "why this candidate fits, written for the employer")
    given = body.signal_motivations or {}
    signalled = {it.item: it for it in check.signals}
    for item_id, verdict in signalled.items():
        text = given.get(item_id, "").strip()
        if len(text) < MIN_MOTIVATION_CHARS:
            problems.append(f"signal_motivations.{item_id}: a written motivation is required for this signalled "
                            f"item (at least {MIN_MOTIVATION_CHARS} characters): {verdict.reason}")
    for item_id in given:
        if item_id not in signalled:
            problems.append(f"signal_motivations.{item_id}: not a signalled item of this place")
    if problems:
        raise Refused(*problems)

    best = ctx.engine.best_experience(candidate, placement)
    pseudonym = _pseudonym(tx.session, cand_row.pk, placement_row.organisation_id)
    profile = employer_profile(candidate, pseudonym)
    intro = IntroductionRow(
        id=f"int-{secrets.token_hex(8)}",
        candidate_pk=cand_row.pk,
        placement_id=placement.id,
        organisation_id=placement_row.organisation_id,
        feedback_id=feedback.id,
        pseudonym=pseudonym,
        motivation=motivation,
        signal_motivations={k: {"reason": v.reason, "motivation": given[k].strip()} for k, v in signalled.items()},
        profile={"candidate": profile.model_dump(mode="json"),
                 "why_it_fits": why_it_fits(candidate, placement, best),
                 "placement_title": placement.title},
        created_at=utcnow(),
        decision_note="",
    )
    tx.add(intro)
    store.record_event(
        tx, cand_row.pk, coach, "introduction",
        f"Voorgesteld aan {placement_row.organisation_id} voor {placement.title} ({placement.id}) als {pseudonym}",
        {"introduction_id": intro.id, "placement_id": placement.id, "organisation_id": placement_row.organisation_id,
         "pseudonym": pseudonym, "motivation": motivation, "signal_motivations": intro.signal_motivations,
         "why_it_fits": intro.profile["why_it_fits"]},
    )
    return intro


@router.post("/candidates/{candidate_id}/feedback", status_code=201, response_model=Feedback,
             responses=documented(401, 403, 404, 422), summary="Give feedback on a suggestion (or introduce)")
def give_feedback(
    ctx: Ctx, coach: Coach, candidate_id: IdPath, response: Response,
    body: Annotated[FeedbackIn, Body(openapi_examples=FEEDBACK_EXAMPLES)],
) -> Feedback:
    with ctx.db.write() as tx:
        cand = store.candidate_row(tx.session, coach, candidate_id, for_update=True)
        placement = tx.get(PlacementRow, body.placement_id)
        if placement is None:
            raise Refused("placement_id: no place with this id")
        row = FeedbackRow(candidate_pk=cand.pk, placement_id=body.placement_id, code=body.code, why=body.why,
                          note=body.note, created_by=coach.user_id, created_by_name=coach.name, created_at=utcnow())
        tx.add(row)
        tx.flush()
        intro = None
        if body.code == "introduced":
            intro = introduce(ctx, tx, coach, cand, body, placement, row)
        elif body.code == "withdrawn":
            intro = _active_introduction(tx.session, cand.pk, body.placement_id)
            if intro is not None:
                intro.withdrawn_at = row.created_at
                intro.withdrawn_by_feedback = row.id
        label = events.CODE_LABELS[body.code] + (f" ({body.why})" if body.why else "")
        store.record_event(tx, cand.pk, coach, "feedback", f"Terugkoppeling op {body.placement_id}: {label}",
                           {"feedback_id": row.id, "placement_id": body.placement_id, "code": body.code,
                       "why": body.why, "note": body.note})
        tx.flush()
        out = store.feedback_out(row, intro)
    response.headers["Location"] = f"/v1/candidates/{quote(candidate_id, safe='')}/feedback/{out.id}"
    return out


@router.get("/candidates/{candidate_id}/feedback", response_model=FeedbackList,
            responses=documented(401, 403, 404, 422), summary="All feedback on a candidate, undone included")
def list_feedback(ctx: Ctx, coach: Coach, candidate_id: IdPath) -> FeedbackList:
    with ctx.db.read() as session:
        cand = store.candidate_row(session, coach, candidate_id)
        rows = session.execute(select(FeedbackRow).where(FeedbackRow.candidate_pk == cand.pk)
                               .order_by(FeedbackRow.id)).scalars().all()
        intros = {i.feedback_id: i for i in session.execute(
            select(IntroductionRow).where(IntroductionRow.candidate_pk == cand.pk)).scalars()}
        return FeedbackList(items=[store.feedback_out(r, intros.get(r.id)) for r in rows])


@router.post("/candidates/{candidate_id}/feedback/{feedback_id}/undo", response_model=Feedback,
             responses=documented(401, 403, 404, 422), summary="Undo a feedback (an introduction is withdrawn)")
def undo_feedback(ctx: Ctx, coach: Coach, candidate_id: IdPath, feedback_id: DbInt) -> Feedback:
    with ctx.db.write() as tx:
        cand = store.candidate_row(tx.session, coach, candidate_id, for_update=True)
        row = tx.execute(select(FeedbackRow).where(FeedbackRow.id == feedback_id,
                                                   FeedbackRow.candidate_pk == cand.pk)).scalar_one_or_none()
        if row is None:
            raise not_found("feedback")
        if row.undone_at is not None:
            raise Refused("feedback_id: this feedback is already undone")
        now = utcnow()
        row.undone_at = now
        intro = None
        if row.code == "introduced":
            intro = tx.execute(
                select(IntroductionRow).where(IntroductionRow.feedback_id == row.id)).scalar_one_or_none()
            if intro is not None and intro.withdrawn_at is None:
                intro.withdrawn_at = now
        elif row.code == "withdrawn":
            restored = tx.execute(select(IntroductionRow).where(
                IntroductionRow.withdrawn_by_feedback == row.id)).scalar_one_or_none()
            if restored is not None:
                restored.withdrawn_at = None
                restored.withdrawn_by_feedback = None
        store.record_event(tx, cand.pk, coach, "feedback_undone",
                           f"Terugkoppeling ongedaan gemaakt: {events.CODE_LABELS[row.code]} op {row.placement_id}",
                           {"feedback_id": row.id, "placement_id": row.placement_id, "code": row.code})
        tx.flush()
        return store.feedback_out(row, intro)

