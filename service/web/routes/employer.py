"""The employer's pages (Kans Creator): their places and the candidates introduced to them.

Every page calls the API's own route functions (``service.routes.placements`` and
``service.routes.introductions``) with the logged-in employer's principal, so a
page can never do or show what the API would refuse. What an employer sees of a
candidate comes only through the ``Employer*`` schemas: nothing medical can
reach these templates because no such field exists in what they are given.

The demands of a place are asked as plain Dutch questions (``service.web.questions``);
the employer never sees an FML item number. Contract v1.1 adds the pay, a start
with fewer hours, and per question "can this be adjusted if needed?": the
place's ``adjustments`` (``service.web.adjust_questions``). An introduction says
which adjustments the coach asks, never why.

Reading, checking and showing again the place form is ``service.web.place_form``;
the routes here only call it and render.
"""

from __future__ import annotations

import secrets
from collections import Counter
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from matching.contract.models import EDUCATION_LEVELS, PLACEMENT_KINDS, ResolvedLocation, keep_ids
from service.errors import Refused
from service.ids import PathId, path_id
from service.routes import introductions as intro_api
from service.routes import placements as place_api
from service.schemas import CloseRequest, EmployerDecision, PlacementBody
from service.web import adjust_questions as aq
from service.web import place_form, sessions
from service.web import questions as qs
from service.web.forms import (
    KIND_LABELS,
    FormErrors,
    dutch_errors,
    refusal_errors,
    text,
)
from service.web.templating import render

router = APIRouter(include_in_schema=False)

# An employer may not know what detachering means for the candidate.
KIND_CHOICES = {**KIND_LABELS,
                "detachering": KIND_LABELS["detachering"] + " (de kandidaat blijft in dienst van de eigen werkgever)"}
STATUS_LABELS = {"open": "Open", "closed": "Gesloten", "filled": "Vervuld"}
DECISION_LABELS = {None: "Nog geen reactie", "interested": "Interesse", "rejected": "Afgewezen"}
MAX_PLACES_SHOWN = 500


def _ctx(request: Request):
    return request.app.state.ctx


def place_url(placement_id: str, action: str = "") -> str:
    return f"/werkgever/plekken/{path_id(placement_id)}" + (f"/{action}" if action else "")


def intro_url(introduction_id: str) -> str:
    return f"/werkgever/introducties/{path_id(introduction_id)}"


def _redirect(request: Request, url: str, message: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    sessions.flash(request, response, message)
    return response


# -- the dashboard -------------------------------------------------------------------

@router.get("/werkgever")
def home(request: Request):
    user = sessions.require(request, "employer")
    ctx = _ctx(request)
    page = place_api.list_placements(ctx, user.principal, status=None, kind=None, limit=MAX_PLACES_SHOWN, offset=0)
    intros = intro_api.list_introductions(ctx, user.principal).items
    active = Counter(i.placement_id for i in intros)
    places = [{"id": p.id, "url": place_url(p.id), "title": p.title, "kind": KIND_LABELS[p.kind],
               "status": p.status, "status_label": STATUS_LABELS[p.status], "positions": p.positions,
               "introductions": active.get(p.id, 0), "hours": p.hours_per_week,
               # Two places with one title are told apart by where they are.
               "where": p.location.postcode or p.location.place or "-",
               # A stored location that no longer resolves: the place reaches nobody until corrected.
               "location_problem": p.location.problem} for p in page.items]
    return render(request, "employer/home.html", {
        "places": places, "more": page.total - len(places),
        "introductions": [_intro_view(i) for i in intros],
    }, user=user)


def _intro_view(intro) -> dict[str, Any]:
    """An EmployerIntroduction for a template: only its own fields, plus links and Dutch labels."""
    return {"intro": intro, "url": intro_url(intro.id), "place_url": place_url(intro.placement_id),
            "decision_label": DECISION_LABELS[intro.decision]}


# -- one place -----------------------------------------------------------------------

@router.get("/werkgever/plekken/nieuw")
def new_place_form(request: Request):
    user = sessions.require(request, "employer")
    values = {"kind": "vacature", "positions": "1", "answers": qs.answers_from_demands({}),
              "adjust": aq.adjust_answers_from({}, {})}
    return _form_page(request, user, values, FormErrors(), None)


@router.post("/werkgever/plekken/nieuw")
async def new_place(request: Request):
    user, form = await sessions.submitted(request, "employer")
    org = user.principal.organisation_id or ""
    # Not asked: an id the employer would have to invent. Ids are shared by all
    # organisations, so it carries the organisation and enough randomness not to collide.
    placement_id = f"p-{org[:100]}-{secrets.token_hex(5)}"
    values, errors, data = place_form.read(form, {"id": placement_id, "employer_id": org, "status": "open"}, {})
    body = place_form.validate(data, errors)
    if body is not None:
        try:
            await run_in_threadpool(place_api.create_placement, _ctx(request), user.principal, Response(), body)
        except Refused as exc:
            errors = place_form.labelled(refusal_errors(exc.problems, place_form.FIELD_MAP))
    if errors:
        return _form_page(request, user, values, errors, None, status=422)
    return _redirect(request, place_url(placement_id),
                     f"De plek '{body.title}' staat open en wordt meteen aan passende kandidaten voorgesteld.")


@router.get("/werkgever/plekken/{placement_id}")
def place_page(request: Request, placement_id: PathId):
    user = sessions.require(request, "employer")
    ctx = _ctx(request)
    place = _own_place(ctx, user, placement_id)
    intros = intro_api.placement_introductions(ctx, user.principal, placement_id).items
    return render(request, "employer/place.html", {
        "place": place, "kind_label": KIND_CHOICES[place.kind], "status_label": STATUS_LABELS[place.status],
        "location": ResolvedLocation.of(place.location),
        "demands": qs.demand_summary(place.demands), "other_demands": place_form.other_demand_count(place.demands),
        "adjustments": aq.adjustment_summary(place.demands, place.adjustments) + place_form.time_adjust_summary(place),
        "other_adjustments": place_form.other_adjust_count(place.adjustments),
        "introductions": [_intro_view(i) for i in intros],
        "edit_url": place_url(place.id, "bewerken"), "close_url": place_url(place.id, "sluiten"),
        "reopen_url": place_url(place.id, "heropenen"),
    }, user=user)


@router.get("/werkgever/plekken/{placement_id}/bewerken")
def edit_place_form(request: Request, placement_id: PathId):
    user = sessions.require(request, "employer")
    place = _own_place(_ctx(request), user, placement_id)
    return _form_page(request, user, place_form.values_of(place), FormErrors(), place)


@router.post("/werkgever/plekken/{placement_id}/bewerken")
async def edit_place(request: Request, placement_id: PathId):
    user, form = await sessions.submitted(request, "employer")
    ctx = _ctx(request)
    stored = await run_in_threadpool(_own_place, ctx, user, placement_id)
    current = stored.model_dump(mode="json", exclude_none=True)
    values, errors, data = place_form.read(form, current, current.get("demands", {}), editing=True)
    body = place_form.validate(data, errors, keep_ids(stored.id, stored.employer_id))
    if body is not None:
        # A merge patch of only what the form manages, applied under the API's row
        # lock: the status, and fields the form does not show (occupation, sector,
        # ...), stay as they are even if they changed meanwhile.
        patch = place_form.patch(current, body.model_dump(mode="json", exclude_none=True))
        try:
            await run_in_threadpool(place_api._replace, ctx, user.principal, placement_id, None, patch)
        except Refused as exc:
            errors = place_form.labelled(refusal_errors(exc.problems, place_form.FIELD_MAP))
    if errors:
        return _form_page(request, user, values, errors, stored, status=422)
    return _redirect(request, place_url(placement_id), f"De wijzigingen in '{body.title}' zijn opgeslagen.")


@router.post("/werkgever/plekken/{placement_id}/sluiten")
async def close_place(request: Request, placement_id: PathId):
    user, form = await sessions.submitted(request, "employer")
    status = text(form, "status", 20) or "closed"
    if status not in ("closed", "filled"):
        raise HTTPException(status_code=422)
    closed = await run_in_threadpool(place_api.close_placement, _ctx(request), user.principal, placement_id,
                                     CloseRequest(status=status))
    word = "vervuld" if status == "filled" else "gesloten"
    return _redirect(request, place_url(placement_id),
                     f"De plek '{closed.title}' is {word} en wordt niet meer voorgesteld.")


@router.post("/werkgever/plekken/{placement_id}/heropenen")
async def reopen_place(request: Request, placement_id: PathId):
    user, form = await sessions.submitted(request, "employer")
    # The API reopens a place by setting its status to open (PUT/PATCH), under the row lock.
    opened = await run_in_threadpool(place_api._replace, _ctx(request), user.principal, placement_id, None,
                                     {"status": "open"})
    return _redirect(request, place_url(placement_id),
                     f"De plek '{opened.title}' staat weer open en wordt weer voorgesteld.")


def _own_place(ctx, user: sessions.WebUser, placement_id: str) -> PlacementBody:
    # The API's read: another organisation's place is a 404, the same as one that does not exist.
    return place_api.read_placement(ctx, user.principal, placement_id)


def _form_page(request: Request, user: sessions.WebUser, values: dict[str, Any], errors: FormErrors,
               place: PlacementBody | None, status: int = 200):
    return render(request, "employer/place_form.html", {
        "values": values, "errors": errors, "place": place, "groups": qs.GROUPS, "none_of_these": qs.NONE_OF_THESE,
        "kinds": [(k, KIND_CHOICES[k]) for k in PLACEMENT_KINDS],
        "education_levels": [("", "Geen eis")] + [(e, e) for e in EDUCATION_LEVELS],
        "action": place_url(place.id, "bewerken") if place else "/werkgever/plekken/nieuw",
        "other_demands": place_form.other_demand_count(place.demands) if place else 0,
        "other_adjustments": place_form.other_adjust_count(place.adjustments) if place else 0,
        "time_questions": place_form.TIME_QUESTIONS,
        "cancel_url": place_url(place.id) if place else "/werkgever",
    }, status_code=status, user=user)


# -- introductions -------------------------------------------------------------------

@router.get("/werkgever/introducties/{introduction_id}")
def introduction_page(request: Request, introduction_id: PathId):
    user = sessions.require(request, "employer")
    intro = intro_api.read_introduction(_ctx(request), user.principal, introduction_id)
    return _intro_page(request, user, intro, {"decision": intro.decision or "", "note": intro.decision_note},
                       FormErrors())


@router.post("/werkgever/introducties/{introduction_id}/besluit")
async def decide(request: Request, introduction_id: PathId):
    user, form = await sessions.submitted(request, "employer")
    ctx = _ctx(request)
    values = {"decision": text(form, "decision", 20), "note": text(form, "note", 5000)}
    errors = FormErrors()
    decision = None
    try:
        decision = EmployerDecision(decision=values["decision"], note=values["note"])
    except ValidationError as exc:
        errors = dutch_errors(exc, {"decision": "decision", "note": "note"})
        if errors.get("decision"):
            errors.by_field["decision"] = "Reactie: kies 'Interesse' of 'Afwijzen'"
        if errors.get("note"):
            errors.by_field["note"] = f"Toelichting: {errors.get('note')}"
    if decision is not None:
        intro = await run_in_threadpool(intro_api.decide, ctx, user.principal, introduction_id, decision)
        word = "interesse" if decision.decision == "interested" else "een afwijzing"
        return _redirect(request, intro_url(introduction_id),
                         f"Uw reactie ({word}) op {intro.candidate.pseudonym} is doorgegeven aan de coach.")
    intro = await run_in_threadpool(intro_api.read_introduction, ctx, user.principal, introduction_id)
    return _intro_page(request, user, intro, values, errors, status=422)


def _intro_page(request: Request, user: sessions.WebUser, intro, values: dict[str, str], errors: FormErrors,
                status: int = 200):
    return render(request, "employer/introduction.html", {
        "item": _intro_view(intro), "intro": intro, "values": values, "errors": errors,
        "action": intro_url(intro.id) + "/besluit",
    }, status_code=status, user=user)
