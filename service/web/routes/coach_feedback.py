"""Acting on a suggestion: set it aside with a reason, undo that, or introduce the
candidate to the employer with a written motivation per signalled item (and, for
an adjusted place, the conditions agreed with the employer).

All three go through the API's feedback route (``give_feedback``,
``undo_feedback``): its rules decide, and a refusal writes nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from service.errors import Refused
from service.routes import candidates as candidate_routes
from service.routes import feedback as feedback_routes
from service.ids import PathId, path_id
from service.schemas import FeedbackIn
from service.web import sessions
from service.web.forms import FormErrors, dutch_errors, text
from service.web.routes.coach_common import (
    WHY_LABELS,
    candidate_url,
    coach,
    condition_views,
    ctx_of,
    feedback_errors,
    label,
    place_info,
)
from service.web.templating import render

router = APIRouter(include_in_schema=False)
SIGNAL_PREFIX = "signal_motivations."
MAX_DB_INT = 2**31 - 1


def _redirect(candidate_id: str, message: str, request: Request, anchor: str = "") -> RedirectResponse:
    response = RedirectResponse(candidate_url(candidate_id) + anchor, status_code=303)
    sessions.flash(request, response, message)
    return response


# -- set aside ------------------------------------------------------------------------

def _set_aside_page(request: Request, candidate_id: str, placement_id: str, values: dict, errors: FormErrors,
                    status: int):
    return render(request, "coach/set_aside.html", {
        "base": candidate_url(candidate_id), "candidate_id": candidate_id,
        "place": place_info(ctx_of(request), placement_id), "values": values, "errors": errors,
        "why_labels": WHY_LABELS}, status_code=status)


@router.post("/coach/kandidaten/{candidate_id}/terzijde")
async def set_aside(request: Request, candidate_id: PathId):
    user, form = await sessions.submitted(request, "coach")
    ctx = ctx_of(request)
    placement_id = text(form, "placement_id", 200)
    values = {"why": text(form, "why", 40), "note": text(form, "note", 5000)}
    errors = FormErrors()
    try:
        body = FeedbackIn(placement_id=placement_id, code="not_relevant", why=values["why"] or None,
                          note=values["note"])
        await run_in_threadpool(feedback_routes.give_feedback, ctx, user.principal, candidate_id, Response(), body)
    except ValidationError as exc:
        errors = dutch_errors(exc, {"placement_id": "_"})
        if errors.get("why"):
            errors.by_field["why"] = "Reden: kies een reden"
    except Refused as exc:
        errors = feedback_errors(exc.problems)
    if errors:
        # Only a page of her own candidate says why (someone else's is a 404, as the API answers).
        await run_in_threadpool(candidate_routes.read_candidate, ctx, user.principal, candidate_id)
        return _set_aside_page(request, candidate_id, placement_id, values, errors, 422)
    title = place_info(ctx, placement_id)["title"]
    return _redirect(candidate_id, f"{title} is terzijde gelegd ({WHY_LABELS[values['why']].lower()}). "
                                   "U kunt dit ongedaan maken onder Terzijde gelegd.", request, "#terzijde")


@router.post("/coach/kandidaten/{candidate_id}/terugkoppeling/{feedback_id}/ongedaan")
async def undo(request: Request, candidate_id: PathId, feedback_id: str):
    user, form = await sessions.submitted(request, "coach")
    if not feedback_id.isdigit() or not 1 <= int(feedback_id) <= MAX_DB_INT:
        raise HTTPException(status_code=404)
    ctx = ctx_of(request)
    try:
        done = await run_in_threadpool(feedback_routes.undo_feedback, ctx, user.principal, candidate_id,
                                       int(feedback_id))
    except Refused as exc:
        message = "; ".join(feedback_errors(exc.problems).by_field.values())
        return render(request, "error.html", {"status": 422, "message": message}, status_code=422)
    title = place_info(ctx, done.placement_id)["title"]
    if done.code == "introduced":
        return _redirect(candidate_id, f"Voorstel bij {title} ingetrokken.", request, "#voorstellen")
    return _redirect(candidate_id, f"{title} staat weer tussen de suggesties.", request)


# -- introduce ------------------------------------------------------------------------

def _introduce_page(request: Request, user: sessions.WebUser, candidate_id: str, placement_id: str,
                    values: dict, errors: FormErrors, status: int = 200):
    ctx = ctx_of(request)
    body = candidate_routes.read_candidate(ctx, user.principal, candidate_id)
    placement = ctx.engine.placement(placement_id)
    if placement is None:
        raise HTTPException(status_code=404)
    check = ctx.engine.check(body.contract(), placement)
    signals = [{"item": it.item, "field": SIGNAL_PREFIX + it.item, "label": label(it.item), "reason": it.reason}
               for it in check.signals]
    exceeded = [{"label": label(it.item), "reason": it.reason} for it in check.exceeded if it.item != "status"]
    return render(request, "coach/introduce.html", {
        "base": candidate_url(candidate_id), "candidate_id": candidate_id, "place": place_info(ctx, placement_id),
        "placement": placement, "signals": signals, "exceeded": exceeded, "values": values, "errors": errors,
        # An adjusted place is introduced with its conditions: the employer reads what to change, never why.
        "conditions": condition_views(check.conditions) if check.feasible else [],
        "action": candidate_url(candidate_id, f"/voorstellen/{path_id(placement_id)}")}, status_code=status)


@router.get("/coach/kandidaten/{candidate_id}/voorstellen/{placement_id}")
def introduce_form(request: Request, candidate_id: PathId, placement_id: PathId):
    user = coach(request)
    return _introduce_page(request, user, candidate_id, placement_id, {}, FormErrors())


@router.post("/coach/kandidaten/{candidate_id}/voorstellen/{placement_id}")
async def introduce(request: Request, candidate_id: PathId, placement_id: PathId):
    user, form = await sessions.submitted(request, "coach")
    ctx = ctx_of(request)
    # Read long, so the model refuses what is too long instead of the form cutting it silently.
    values = {key: text(form, key, 20_000) for key in form.keys()
              if key == "motivation" or key.startswith(SIGNAL_PREFIX)}
    given = {key.removeprefix(SIGNAL_PREFIX): value for key, value in values.items()
             if key.startswith(SIGNAL_PREFIX) and value}
    errors = FormErrors()
    try:
        body = FeedbackIn(placement_id=placement_id, code="introduced", motivation=values.get("motivation", ""),
                          signal_motivations=given or None)
        await run_in_threadpool(feedback_routes.give_feedback, ctx, user.principal, candidate_id, Response(), body)
    except ValidationError as exc:
        errors = dutch_errors(exc, {"placement_id": "_"})
    except Refused as exc:
        errors = feedback_errors(exc.problems)
    if errors:
        return await run_in_threadpool(_introduce_page, request, user, candidate_id, placement_id, values, errors,
                                       422)
    title = place_info(ctx, placement_id)["title"]
    return _redirect(candidate_id, f"Voorgesteld bij {title}. De werkgever ziet een profiel zonder naam en uw "
                                   "motivatie.", request, "#voorstellen")
