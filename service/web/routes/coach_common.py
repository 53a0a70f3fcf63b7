"""What the coach's pages share: URLs of a candidate, Dutch labels, and the API's
feedback refusals in Dutch."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from matching.constraints.reasons import employer_wording
from matching.ranking.explanation import item_label
from matching.reference.fml import load_catalogue
from service.context import AppContext
from service.events import CODE_LABELS
from service.ids import path_id
from service.web import sessions
from service.web.forms import GENERAL, KIND_LABELS, FormErrors, dutch_reason

VERDICT_LABELS = {"pass": "Past", "signal": "Let op", "adjust": "Past met aanpassing", "exceed": "Past niet"}
# The suggestion filters of the candidate page: query value -> Dutch label ("" is all).
SPOOR_FILTERS = {"": "Alle werkgevers", "1": "Spoor 1: eigen werkgever", "2": "Spoor 2: andere werkgevers"}
VERDICT_FILTERS = {"": "Alle", "pass": "Past", "signal": "Let op", "adjust": "Met aanpassing"}
SPOOR_ONE_BADGE = "Spoor 1: eigen werkgever"
WHY_LABELS = {"werk": "Het werk past niet", "reistijd": "Reistijd te lang", "uren": "De uren passen niet",
              "belasting": "Te belastend", "anders": "Anders"}
STATUS_LABELS = {"overdue": "Te laat", "due": "Spoor 2 nu starten", "planned": "Start gepland",
                 "too_early": "Nog te vroeg", "started": "Spoor 2 gestart", "unknown": "Geen ziektedatum"}
# Badge class per timeline status (app.css colours: overdue red, due amber, ok green).
STATUS_BADGES = {"overdue": "overdue", "due": "due", "planned": "ok", "too_early": "", "started": "ok",
                 "unknown": ""}
DECISION_LABELS = {"interested": "Werkgever heeft interesse", "rejected": "Werkgever heeft afgewezen"}


def ctx_of(request: Request) -> AppContext:
    return request.app.state.ctx


def coach(request: Request) -> sessions.WebUser:
    return sessions.require(request, "coach")


def candidate_url(candidate_id: str, rest: str = "") -> str:
    return f"/coach/kandidaten/{path_id(candidate_id)}{rest}"


def label(item_id: str) -> str:
    """An item as the coach reads it: "Tillen (IV.13)"."""
    text = item_label(item_id)
    text = {"loon": "loon", "status": "status van de plek"}.get(text, text)
    text = text[:1].upper() + text[1:]
    return f"{text} ({item_id})" if item_id in load_catalogue() else text


def place_info(ctx: AppContext, placement_id: str) -> dict[str, Any]:
    """Title, kind and employer of a place as the engine holds it (a place since removed keeps its id)."""
    placement = ctx.engine.placement(placement_id)
    if placement is None:
        return {"id": placement_id, "title": placement_id, "kind": "", "kind_label": "", "employer_id": "",
                "hours_per_week": None}
    return {"id": placement.id, "title": placement.title, "kind": placement.kind,
            "kind_label": KIND_LABELS.get(placement.kind, placement.kind), "employer_id": placement.employer_id,
            "hours_per_week": placement.hours_per_week}


def verdict_label(verdict: str, conditions) -> str:
    """A suggestion's verdict as the coach reads it; an adjusted place says what kind of condition it needs."""
    if verdict != "adjust":
        return VERDICT_LABELS.get(verdict, verdict)
    kinds = {c.kind for c in conditions}
    if kinds == {"opbouw"}:
        return "Past met opbouw van uren"
    if kinds == {"aanpassing", "opbouw"}:
        return "Past met aanpassing en opbouw van uren"
    return "Past met aanpassing"


def condition_views(conditions) -> list[dict[str, str]]:
    """Conditions for a template: the reason (coach-facing) and what the employer reads of it."""
    return [{"kind": c.kind, "reason": c.reason, "employer": employer_wording(c)} for c in conditions]


def feedback_label(code: str, why: str | None) -> str:
    text = CODE_LABELS.get(code, code)
    return f"{text}: {WHY_LABELS[why].lower()}" if why in WHY_LABELS else text


_FIELD_LABELS = {"motivation": "Motivatie voor de werkgever", "why": "Reden", "note": "Toelichting"}


def feedback_errors(problems: list[str]) -> FormErrors:
    """Refusal lines (``field: reason``) filed under the form's fields, in Dutch, each
    naming the field or FML item it concerns."""
    errors = FormErrors()
    for line in problems:
        path, sep, reason = line.partition(": ")
        if not sep:
            path, reason = GENERAL, line
        reason = dutch_reason(reason)
        if path.startswith("signal_motivations."):
            name, who = path, label(path.removeprefix("signal_motivations."))
        elif path in _FIELD_LABELS:
            name, who = path, _FIELD_LABELS[path]
        else:
            name, who = GENERAL, ""
        errors.add(name, f"{who}: {reason}" if who else reason[:1].upper() + reason[1:])
    return errors
