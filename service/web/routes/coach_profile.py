"""Creating a candidate and editing the profile, belastbaarheid included (and, since
contract v1.1, the own employer, the former work and the bedrijfsarts' outlook).

The form becomes a ``CandidateBody`` (:mod:`service.web.coach_profile_form`);
saving goes through the API's ``create_candidate`` and ``_replace``, so the
same rules hold and the dossier records the same events.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from service import store
from service.errors import Refused
from service.routes import candidates as candidate_routes
from service.ids import PathId
from service.schemas import CandidateBody
from service.web import capacity_form, coach_profile_form, sessions
from service.web.forms import FormErrors, refusal_errors
from service.web.routes.coach_common import candidate_url, coach, ctx_of
from service.web.templating import render

router = APIRouter(include_in_schema=False)


def _organisations(request: Request) -> list[tuple[str, str]]:
    """(id, name) of the employers spoormatch knows: the choices for the own employer."""
    with ctx_of(request).db.read() as session:
        return [(o.id, o.name) for o in store.organisations(session)]


def _employers(request: Request, before: CandidateBody | None) -> set[str]:
    """What the own-employer select may send: a known organisation, or the one stored before."""
    known = {org_id for org_id, _ in _organisations(request)}
    return known | ({before.employer_id} if before is not None and before.employer_id else set())


def _page(request: Request, values: dict, errors: FormErrors, *, candidate_id: str | None, status: int = 200,
          stored_employer: str = ""):
    new = candidate_id is None
    # The stored employer stays choosable even when spoormatch does not know it.
    options = coach_profile_form.employer_options(_organisations(request), stored_employer)
    return render(request, "coach/profile.html", {
        "new": new, "v": values, "errors": errors, "candidate_id": candidate_id,
        "base": candidate_url(candidate_id) if not new else "",
        "action": "/coach/kandidaten/nieuw" if new else candidate_url(candidate_id, "/profiel"),
        "education_options": coach_profile_form.EDUCATION_OPTIONS, "kind_options": coach_profile_form.KIND_OPTIONS,
        "employer_options": options, "rubrieken": capacity_form.rubrieken()}, status_code=status)


@router.get("/coach/kandidaten/nieuw")
def new_form(request: Request):
    coach(request)
    return _page(request, coach_profile_form.values_of(None), FormErrors(), candidate_id=None)


@router.post("/coach/kandidaten/nieuw")
async def create(request: Request):
    user, form = await sessions.submitted(request, "coach")
    employers = await run_in_threadpool(_employers, request, None)
    body, errors = coach_profile_form.parse(form, None, employers)
    if body is not None:
        try:
            await run_in_threadpool(candidate_routes.create_candidate, ctx_of(request), user.principal, Response(),
                                    body)
        except Refused as exc:
            errors = refusal_errors(exc.problems, coach_profile_form.problem_fields())
    if errors:
        return await run_in_threadpool(lambda: _page(request, coach_profile_form.values_from_form(form), errors,
                                                     candidate_id=None, status=422))
    response = RedirectResponse(candidate_url(body.id), status_code=303)
    sessions.flash(request, response, f"Kandidaat {body.id} is aangemaakt.")
    return response


@router.get("/coach/kandidaten/{candidate_id}/profiel")
def edit_form(request: Request, candidate_id: PathId):
    user = coach(request)
    body = candidate_routes.read_candidate(ctx_of(request), user.principal, candidate_id)
    return _page(request, coach_profile_form.values_of(body), FormErrors(), candidate_id=candidate_id,
                 stored_employer=body.employer_id or "")


@router.post("/coach/kandidaten/{candidate_id}/profiel")
async def save(request: Request, candidate_id: PathId):
    user, form = await sessions.submitted(request, "coach")
    ctx = ctx_of(request)
    before = await run_in_threadpool(candidate_routes.read_candidate, ctx, user.principal, candidate_id)
    employers = await run_in_threadpool(_employers, request, before)
    body, errors = coach_profile_form.parse(form, before, employers)
    if body is not None:
        try:
            await run_in_threadpool(candidate_routes._replace, ctx, user.principal, candidate_id,
                                    body.model_dump(mode="json", exclude_none=True), None)
        except Refused as exc:
            errors = refusal_errors(exc.problems, coach_profile_form.problem_fields())
    if errors:
        values = {**coach_profile_form.values_from_form(form), "id": candidate_id}
        return await run_in_threadpool(lambda: _page(request, values, errors, candidate_id=candidate_id,
                                                     status=422, stored_employer=before.employer_id or ""))
    response = RedirectResponse(candidate_url(candidate_id), status_code=303)
    sessions.flash(request, response, "Het profiel is opgeslagen.")
    return response
