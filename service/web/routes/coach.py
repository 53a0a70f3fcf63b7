"""The coach's pages: her candidates and their spoor-2 timelines, what changed last
night, a candidate with ranked suggestions, the dossier export and erasure. An
introduction whose place the employer has since changed beyond the candidate's
limits comes first on the start page and is flagged on the candidate's page.

Every page calls the API's route functions (``service.routes.*``) as plain Python
functions, so a page shows and does exactly what the API would, refusals
included. Setting aside, undoing and introducing live in :mod:`coach_feedback`,
the profile form in :mod:`coach_profile`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from matching.reference.fml import load_catalogue
from service import store
from service.introductions_exceeding import HEADLINE as EXCEEDING_HEADLINE
from service.introductions_exceeding import exceeding_introductions
from service.routes import candidates as candidate_routes
from service.routes import digest as digest_routes
from service.routes import dossier as dossier_routes
from service.routes import feedback as feedback_routes
from service.routes import suggestions as suggestion_routes
from service.ids import PathId
from service.schemas import HIDING_CODES
from service.web import capacity_form, sessions
from service.web.forms import FormErrors, text
from service.web.routes import coach_feedback, coach_profile
from service.web.routes.coach_common import (
    DECISION_LABELS,
    KIND_LABELS,
    SPOOR_FILTERS,
    SPOOR_ONE_BADGE,
    STATUS_BADGES,
    STATUS_LABELS,
    VERDICT_FILTERS,
    WHY_LABELS,
    candidate_url,
    coach,
    condition_views,
    ctx_of,
    feedback_label,
    label,
    place_info,
    verdict_label,
)
from service.web.templating import render

router = APIRouter(include_in_schema=False)
# First: "/coach/kandidaten/nieuw" must win over "/coach/kandidaten/{candidate_id}".
router.include_router(coach_profile.router)
router.include_router(coach_feedback.router)

SUGGESTIONS_SHOWN = 10
# The start page reads the profiles for a one-line summary; beyond this many the line is left out.
SUMMARY_LIMIT = 500


def _summary_line(body) -> str:
    parts = [e.title for e in body.experience[:2]]
    parts.append(body.education.level)
    home = body.home.postcode or body.home.place
    if home:
        parts.append(home)
    return " · ".join(p for p in parts if p)


@router.get("/coach")
def start(request: Request):
    user = coach(request)
    ctx = ctx_of(request)
    timelines = candidate_routes.all_timelines(ctx, user.principal, on=None).items
    profiles = {c.id: c for c in candidate_routes.list_candidates(ctx, user.principal, limit=SUMMARY_LIMIT,
                                                                  offset=0).items}
    rows = [{"id": t.candidate_id, "url": candidate_url(t.candidate_id), "timeline": t,
             "status": STATUS_LABELS[t.status], "badge": STATUS_BADGES[t.status],
             "summary": _summary_line(profiles[t.candidate_id]) if t.candidate_id in profiles else ""}
            for t in timelines]
    found = digest_routes.digest(ctx, user.principal, since=None, format="json")
    run = found.runs[0] if found.runs else None
    changes = []
    if run is not None:
        for c in run.candidates:
            changes.append({**c, "url": candidate_url(c["candidate_id"])})
    # The digest's own list (computed as the API computes it), first on the page.
    exceeding = [{"e": e, "url": candidate_url(e.candidate_id), "flags": _flags(e.items)}
                 for e in found.introductions_exceeding]
    return render(request, "coach/start.html", {"rows": rows, "run": run, "changes": changes,
                                                "kind_labels": KIND_LABELS, "exceeding": exceeding,
                                                "exceeding_headline": EXCEEDING_HEADLINE})


def _flags(items) -> list[dict[str, str]]:
    # The engine's reason already starts with the item's name; the FML number goes beside it.
    fml = load_catalogue()
    return [{"label": label(it.item), "reason": it.reason, "code": it.item if it.item in fml else ""}
            for it in items]


@router.get("/coach/kandidaten/{candidate_id}")
def candidate_page(request: Request, candidate_id: PathId):
    user = coach(request)
    ctx = ctx_of(request)
    body = candidate_routes.read_candidate(ctx, user.principal, candidate_id)
    timeline = candidate_routes.candidate_timeline(ctx, user.principal, candidate_id, on=None)
    feedback = feedback_routes.list_feedback(ctx, user.principal, candidate_id).items
    set_aside = [{"f": f, "place": place_info(ctx, f.placement_id), "label": feedback_label(f.code, f.why)}
                 for f in feedback if f.code in HIDING_CODES and f.undone_at is None]
    exceeding = _exceeding_of(ctx, user, candidate_id)
    intros = [{"f": f, "i": f.introduction, "place": place_info(ctx, f.placement_id),
               "decision": DECISION_LABELS.get(f.introduction.decision or "", "Nog geen reactie"),
               "conditions": condition_views(f.introduction.conditions),
               "exceeds": _flags(exceeding[f.introduction.id].items) if f.introduction.id in exceeding else []}
              for f in feedback if f.introduction is not None]
    intros.reverse()  # newest first
    filters = suggestion_filters(request)
    query = filter_query(filters)
    return render(request, "coach/candidate.html", {
        "c": body, "base": candidate_url(candidate_id), "timeline": timeline,
        "status": STATUS_LABELS[timeline.status], "badge": STATUS_BADGES[timeline.status],
        "limits": capacity_form.summary(body.capacity), "set_aside": set_aside, "intros": intros,
        "exceeding_count": len(exceeding), "exceeding_headline": EXCEEDING_HEADLINE,
        "kind_labels": KIND_LABELS, "employer_name": _organisation_name(ctx, body.employer_id),
        "filters": filters, "filter_action": candidate_url(candidate_id) + "#suggesties",
        "spoor_filters": SPOOR_FILTERS, "verdict_filters": VERDICT_FILTERS,
        "suggestions_url": candidate_url(candidate_id, "/suggesties") + (f"?{query}" if query else "")})


def _exceeding_of(ctx, user: sessions.WebUser, candidate_id: str) -> dict:
    """The candidate's standing introductions whose place now exceeds the limits, by introduction id."""
    with ctx.db.read() as session:
        row = store.candidate_row(session, user.principal, candidate_id)
        found = exceeding_introductions(session, ctx.engine, user.principal, row.pk)
    return {e.introduction_id: e for e in found}


def _organisation_name(ctx, organisation_id: str | None) -> str:
    if not organisation_id:
        return ""
    with ctx.db.read() as session:
        row = store.find_organisation(session, organisation_id)
    return f"{row.name} ({organisation_id})" if row is not None else organisation_id


def suggestion_filters(request: Request) -> dict[str, str]:
    """The spoor and verdict chosen on the page; anything else is "all" (a filter link is no form to refuse)."""
    spoor = request.query_params.get("spoor", "")
    verdict = request.query_params.get("verdict", "")
    return {"spoor": spoor if spoor in SPOOR_FILTERS else "", "verdict": verdict if verdict in VERDICT_FILTERS else ""}


def filter_query(filters: dict[str, str]) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


def suggestion_context(request: Request, user: sessions.WebUser, candidate_id: str,
                       filters: dict[str, str] | None = None) -> dict:
    """The ranked places and the nearest misses, as the suggestions fragment shows them.

    The filters go to the API's own route, so the page lists exactly what the API
    answers for the same question (one ranker: spoor-1 places first).
    """
    ctx = ctx_of(request)
    filters = filters or {"spoor": "", "verdict": ""}
    result = suggestion_routes.suggestions(
        ctx, user.principal, candidate_id, top=SUGGESTIONS_SHOWN, kind=None, explain_excluded=True,
        spoor=int(filters["spoor"]) if filters["spoor"] else None,
        verdict=[filters["verdict"]] if filters["verdict"] else None)
    shown = []
    for s in result.suggestions:
        shown.append({
            "s": s, "place": place_info(ctx, s.placement_id), "verdict": verdict_label(s.verdict, s.conditions),
            "spoor_one": s.spoor == 1,
            "flags": [{"label": label(it.item), "reason": it.reason, "verdict": it.verdict} for it in s.items],
            "conditions": condition_views(s.conditions),
            "earnings": s.earnings,
            "low_pay": any(it.item == "loon" for it in s.items),
            "contention": s.contention.text if s.contention is not None else "",
            "scarce": bool(s.contention is not None and s.contention.scarce),
        })
    excluded = [{"e": e, "place": place_info(ctx, e.placement_id),
                 "flags": [{"label": label(it.item), "reason": it.reason, "verdict": it.verdict}
                           for it in e.items if it.verdict == "exceed"]}
                for e in result.excluded or []]
    return {"base": candidate_url(candidate_id), "candidate_id": candidate_id, "shown": shown, "home": result.home,
            "excluded": excluded, "why_labels": WHY_LABELS, "feasible": result.feasible,
            "spoor_one_count": sum(1 for x in shown if x["spoor_one"]), "spoor_one_badge": SPOOR_ONE_BADGE,
            "filtered": any(filters.values()), "filters": filters,
            "spoor_filters": SPOOR_FILTERS, "verdict_filters": VERDICT_FILTERS}


@router.get("/coach/kandidaten/{candidate_id}/suggesties")
def suggestions_page(request: Request, candidate_id: PathId):
    user = coach(request)
    filters = suggestion_filters(request)
    context = suggestion_context(request, user, candidate_id, filters)
    # app.js fetches the fragment into the candidate page; a browser without it gets a whole page.
    if request.headers.get("X-Partial") == "1":
        return render(request, "coach/_suggestions.html", context)
    return render(request, "coach/suggestions.html", {
        **context, "filter_action": candidate_url(candidate_id, "/suggesties"), "all_url":
        candidate_url(candidate_id, "/suggesties")})


def _download_name(candidate_id: str, extension: str) -> str:
    # Header values are Latin-1; a candidate id may be anything (as the API's CSV export does).
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in candidate_id)
    return f"dossier-{safe}.{extension}"


@router.get("/coach/kandidaten/{candidate_id}/dossier.json")
def dossier_json(request: Request, candidate_id: PathId):
    user = coach(request)
    export = dossier_routes.export_dossier(ctx_of(request), user.principal, candidate_id, format="json")
    return Response(export.model_dump_json(indent=1), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{_download_name(candidate_id, "json")}"',
                             "Cache-Control": "no-store"})


@router.get("/coach/kandidaten/{candidate_id}/dossier.csv")
def dossier_csv(request: Request, candidate_id: PathId):
    user = coach(request)
    response = dossier_routes.export_dossier(ctx_of(request), user.principal, candidate_id, format="csv")
    response.headers["Cache-Control"] = "no-store"
    return response


def _erase_page(request: Request, candidate_id: str, errors: FormErrors | None = None, typed: str = "",
                status: int = 200):
    return render(request, "coach/erase.html", {"candidate_id": candidate_id, "base": candidate_url(candidate_id),
                                                "errors": errors or FormErrors(), "typed": typed},
                  status_code=status)


@router.get("/coach/kandidaten/{candidate_id}/wissen")
def erase_form(request: Request, candidate_id: PathId):
    user = coach(request)
    candidate_routes.read_candidate(ctx_of(request), user.principal, candidate_id)  # 404 if not hers
    return _erase_page(request, candidate_id)


@router.post("/coach/kandidaten/{candidate_id}/wissen")
async def erase(request: Request, candidate_id: PathId):
    user, form = await sessions.submitted(request, "coach")
    ctx = ctx_of(request)
    await run_in_threadpool(candidate_routes.read_candidate, ctx, user.principal, candidate_id)
    typed = text(form, "typed_id", 200)
    errors = FormErrors()
    if form.get("confirm") != "ja":
        errors.add("confirm", "Vink aan dat u begrijpt dat wissen niet ongedaan kan worden")
    if typed != candidate_id:
        errors.add("typed_id", f"Typ de code van de kandidaat precies over: {candidate_id}")
    if errors:
        return _erase_page(request, candidate_id, errors, typed, status=422)
    await run_in_threadpool(candidate_routes.erase_candidate, ctx, user.principal, candidate_id, confirm=True)
    response = RedirectResponse("/coach", status_code=303)
    sessions.flash(request, response, f"Kandidaat {candidate_id} en het hele dossier zijn gewist.")
    return response
