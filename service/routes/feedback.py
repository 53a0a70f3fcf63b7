"""Feedback on a suggestion, with a reason code; every feedback can be undone.

``introduced`` puts the candidate forward to the employer. A place that carries
signals (items on the edge of the belastbaarheid) needs the coach's written
motivation for each signalled item: the CBBS rulings struck down verdicts
whose flags were not explained. The motivations stay with the introduction, in
the dossier; the employer sees only the pseudonymous profile and the coach's
motivation written for them.

A place that fits only with the employer's adjustments or a start with fewer
hours (verdict ``adjust``, contract v1.1) is introduced with those conditions:
they are recorded on the introduction and in the dossier, whole (with the
reason), and the employer reads which adjustments are asked, never why.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from matching.constraints.reasons import employer_wording
from service import examples, store
from service.auth import Principal, role
from service.context import AppContext, Ctx
from service.db import WriteSession
from service.errors import Refused, documented
from service.ids import path_id
from service.profiles import employer_profile, why_it_fits
from service.schemas import DbInt, Feedback, FeedbackIn, FeedbackList, IdPath
from service.tables import CandidateRow, FeedbackRow, IntroductionRow, PlacementRow

router = APIRouter(prefix="/v1", tags=["feedback"])
Coach = Annotated[Principal, role("coach")]

# Fewer characters than this is a placeholder, not a motivation.
MIN_MOTIVATION_CHARS = 10
FEEDBACK_EXAMPLES = {
    "not_relevant": {"summary": "Niet relevant: reistijd", "value": examples.FEEDBACK_NOT_RELEVANT},
    "introduced": {"summary": "Voorstellen, met motivatie per gesignaleerd item",
                   "value": examples.FEEDBACK_INTRODUCED},
}


def introduce(ctx: AppContext, tx: WriteSession, coach: Principal, cand_row: CandidateRow, body: FeedbackIn,
              placement_row: PlacementRow, feedback: FeedbackRow) -> IntroductionRow:
    """Refuse an introduction that breaks a rule; else store it with the employer's pseudonymous profile."""
    candidate = store.candidate_body(cand_row).contract()
    placement = store.placement_of(placement_row)
    problems: list[str] = []
    if not placement.available:
        problems.append("placement_id: the place is not open or has no free position")
    if store.active_introduction(tx, cand_row.pk, placement.id) is not None:
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
    organisation_id = placement_row.organisation_id
    pseudonym = store.pseudonym_for(tx, cand_row.pk, organisation_id)
    profile = employer_profile(candidate, pseudonym)
    intro = store.create_introduction(
        tx, coach, cand_row.pk, placement, organisation_id, feedback.id, pseudonym, motivation,
        signal_motivations={k: {"reason": v.reason, "motivation": given[k].strip()} for k, v in signalled.items()},
        profile={"candidate": profile.model_dump(mode="json"),
                 "why_it_fits": why_it_fits(candidate, placement, best),
                 "placement_title": placement.title,
                 # What the employer is asked to change, worded for them: never why.
                 "adjustments": [employer_wording(c) for c in check.conditions]},
        conditions=check.conditions,
    )
    return intro


@router.post("/candidates/{candidate_id}/feedback", status_code=201, response_model=Feedback,
             responses=documented(401, 403, 404, 422), summary="Give feedback on a suggestion (or introduce)")
def give_feedback(
    ctx: Ctx, coach: Coach, candidate_id: IdPath, response: Response,
    body: Annotated[FeedbackIn, Body(openapi_examples=FEEDBACK_EXAMPLES)],
) -> Feedback:
    with ctx.db.write() as tx:
        cand = store.candidate_row(tx, coach, candidate_id, for_update=True)
        placement = store.find_placement(tx, body.placement_id)
        if placement is None:
            raise Refused("placement_id: no place with this id")
        row = store.add_feedback(tx, cand.pk, coach, body)
        intro = None
        if body.code == "introduced":
            intro = introduce(ctx, tx, coach, cand, body, placement, row)
        elif body.code == "withdrawn":
            intro = store.withdraw_introduction(tx, cand.pk, body.placement_id, row)
        store.record_feedback(tx, cand.pk, coach, row)
        tx.flush()
        out = store.feedback_out(row, intro)
    response.headers["Location"] = f"/v1/candidates/{path_id(candidate_id)}/feedback/{out.id}"
    return out


@router.get("/candidates/{candidate_id}/feedback", response_model=FeedbackList,
            responses=documented(401, 403, 404, 422), summary="All feedback on a candidate, undone included")
def list_feedback(ctx: Ctx, coach: Coach, candidate_id: IdPath) -> FeedbackList:
    with ctx.db.read() as session:
        cand = store.candidate_row(session, coach, candidate_id)
        return FeedbackList(items=store.feedback_list(session, cand.pk))


@router.post("/candidates/{candidate_id}/feedback/{feedback_id}/undo", response_model=Feedback,
             responses=documented(401, 403, 404, 422), summary="Undo a feedback (an introduction is withdrawn)")
def undo_feedback(ctx: Ctx, coach: Coach, candidate_id: IdPath, feedback_id: DbInt) -> Feedback:
    with ctx.db.write() as tx:
        cand = store.candidate_row(tx, coach, candidate_id, for_update=True)
        row = store.feedback_row(tx, cand.pk, feedback_id)
        if row.undone_at is not None:
            raise Refused("feedback_id: this feedback is already undone")
        return store.undo_feedback(tx, cand.pk, coach, row)

