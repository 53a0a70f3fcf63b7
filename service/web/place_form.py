"""The employer's place form: a ``PlacementBody`` as form fields and back.

Holds how the form reads a posted place (the plain fields, the pay, the answers
to the questions of :mod:`service.web.questions` and their follow-ups in
:mod:`service.web.adjust_questions`, the work-time adjustments), how it shows a
stored one again, and the merge patch an edit sends. Parsing builds plain JSON
data and lets ``PlacementBody`` judge it, so the page refuses exactly what the
API would refuse, each refusal beside its field with the field's Dutch label.
The routes in :mod:`service.web.routes.employer` only call these and render.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from matching.contract.models import EDUCATION_LEVELS, MAX_WAGE, PLACEMENT_KINDS
from matching.reference.geo import parse_postcode
from service.schemas import PlacementBody
from service.web import adjust_questions as aq
from service.web import questions as qs
from service.web.forms import WAGE_NOT_POSITIVE, FormErrors, dutch_errors, number, text

# Form field -> the Dutch label that starts its error message.
LABELS = {
    "title": "Functienaam", "kind": "Soort plek", "description": "Omschrijving", "location": "Postcode of plaats",
    "hours_per_week": "Uren per week", "hours_per_day": "Uren per dag", "evening": "Avondwerk",
    "night": "Nachtwerk", "education_level": "Opleidingsniveau", "skills": "Vaardigheden",
    "positions": "Aantal plaatsen", **{q.field: q.text for q in qs.QUESTIONS},
    "wage_min": "Uurloon vanaf", "wage_max": "Uurloon tot", "wage_unpaid": "Onbetaald",
    "start_hours_per_week": "Beginnen met minder uren",
    "adjust_hours_per_day": "Kortere werkdagen", "adjust_hours_per_week": "Minder uren per week",
    "adjust_evening": "Zonder avondwerk", "adjust_night": "Zonder nachtwerk",
    **{q.adjust_field: q.adjust_text for q in qs.QUESTIONS},
}
# The work-time adjustments the form asks beside the hours: contract key -> form field.
TIME_ADJUST_FIELDS = {"hours_per_day": "adjust_hours_per_day", "hours_per_week": "adjust_hours_per_week",
                      "evening": "adjust_evening", "night": "adjust_night"}
# Paths in the place's JSON (and in the API's refusals) -> the form field they came from.
FIELD_MAP = {
    "title": "title", "kind": "kind", "description": "description", "location": "location",
    "postcode": "location", "place": "location", "lat": "location", "hours_per_week": "hours_per_week",
    "hours_per_day": "hours_per_day", "evening": "evening", "night": "night", "education_level": "education_level",
    "skills": "skills", "positions": "positions", "id": "_", "employer_id": "_", "status": "_",
    **{f"demands.{q.item}": q.field for q in qs.QUESTIONS}, **{q.item: q.field for q in qs.QUESTIONS},
    "hourly_wage": "wage_min", "hourly_wage.min": "wage_min", "hourly_wage.max": "wage_max",
    "start_hours_per_week": "start_hours_per_week", "adjustments": "_",
    **{f"adjustments.{q.item}": q.adjust_field for q in qs.QUESTIONS},
    **{f"adjustments.{key}": name for key, name in TIME_ADJUST_FIELDS.items()},
}


def labelled(errors: FormErrors) -> FormErrors:
    """Each message starts with its field's Dutch label, so the summary at the top reads on its own."""
    out = FormErrors()
    for name, message in errors.items():
        label = LABELS.get(name)
        out.add(name, f"{label}: {message}" if label and not message.startswith(label) else message)
    return out


def other_demand_count(demands: dict[str, Any]) -> int:
    """How many demands were set through the API on items the form does not ask: the pages only count them."""
    return sum(1 for item in demands if item not in qs.ASKED_ITEMS)


def other_adjust_count(adjustments: dict[str, Any]) -> int:
    """How many adjustments were set through the API on items the form does not ask."""
    return sum(1 for key in adjustments if key not in qs.ASKED_ITEMS and key not in TIME_ADJUST_FIELDS)


def time_adjust_summary(place: PlacementBody) -> list[tuple[str, str]]:
    """The work-time adjustments in the form's words (only those that change something)."""
    adj = place.adjustments
    out = []
    if "hours_per_day" in adj and adj["hours_per_day"] < place.hours_per_day:
        out.append((TIME_QUESTIONS["adjust_hours_per_day"], f"Ja, tot {_num(adj['hours_per_day'])} uur per dag"))
    if "hours_per_week" in adj and adj["hours_per_week"] < place.hours_per_week:
        out.append((TIME_QUESTIONS["adjust_hours_per_week"], f"Ja, tot {_num(adj['hours_per_week'])} uur per week"))
    for key, word in (("evening", "avondwerk"), ("night", "nachtwerk")):
        if adj.get(key) is False and getattr(place, key):
            out.append((f"Kan iemand zo nodig zonder {word}?", "Ja"))
    return out


# The follow-ups of the work times, as the form asks them.
TIME_QUESTIONS = {
    "adjust_hours_per_day": "Kunnen de werkdagen zo nodig korter? Tot hoeveel uur per dag?",
    "adjust_hours_per_week": "Kan het zo nodig met minder uren per week, ook blijvend? Met hoeveel uur?",
}


def patch(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The merge patch that turns ``current`` into ``new`` for the fields the form manages."""
    managed = (*FORM_FIELDS, *MERGED_FIELDS)
    return _diff({k: v for k, v in current.items() if k in managed}, {k: v for k, v in new.items() if k in managed})


def _diff(current: Any, new: Any) -> Any:
    # Objects merge key by key in a merge patch, so a key that is gone must be nulled
    # (a location that changes from postcode to place, a demand no longer given).
    if not (isinstance(current, dict) and isinstance(new, dict)):
        return new
    patch = {k: _diff(current.get(k), v) for k, v in new.items() if current.get(k) != v}
    patch.update({k: None for k in current if k not in new})
    return patch


FORM_FIELDS = ("kind", "title", "description", "location", "hours_per_week", "hours_per_day", "evening", "night",
               "education_level", "skills", "positions", "hourly_wage", "start_hours_per_week")
# Managed key by key: the form keeps what it does not ask (items set through the API).
MERGED_FIELDS = ("demands", "adjustments")


def values_of(place: PlacementBody) -> dict[str, Any]:
    """The form's values for a stored place."""
    loc = place.location
    location = loc.postcode or loc.place or (f"{loc.lat}, {loc.lon}" if loc.lat is not None else "")
    return {
        "title": place.title, "kind": place.kind, "description": place.description, "location": location,
        "hours_per_week": _num(place.hours_per_week), "hours_per_day": _num(place.hours_per_day),
        "evening": place.evening, "night": place.night, "education_level": place.education_level or "",
        "skills": ", ".join(place.skills), "positions": str(place.positions),
        "answers": qs.answers_from_demands(place.demands),
        "adjust": aq.adjust_answers_from(place.adjustments, place.demands),
        # No wage is an unpaid place (contract v1.1): said so, the employer can correct it.
        "wage_min": _num(place.hourly_wage.min) if place.hourly_wage else "",
        "wage_max": _num(place.hourly_wage.max) if place.hourly_wage and place.hourly_wage.max is not None else "",
        "wage_unpaid": place.hourly_wage is None,
        "start_hours_per_week": _num(place.start_hours_per_week) if place.start_hours_per_week else "",
        **_time_adjust_values(place),
    }


def _time_adjust_values(place: PlacementBody) -> dict[str, Any]:
    adj = place.adjustments
    return {
        "adjust_hours_per_day": _num(adj["hours_per_day"]) if adj.get("hours_per_day", place.hours_per_day)
        < place.hours_per_day else "",
        "adjust_hours_per_week": _num(adj["hours_per_week"]) if adj.get("hours_per_week", place.hours_per_week)
        < place.hours_per_week else "",
        "adjust_evening": adj.get("evening") is False and place.evening,
        "adjust_night": adj.get("night") is False and place.night,
    }


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _location(raw: str, current: dict[str, Any] | None) -> dict[str, Any]:
    if current and raw == f"{current.get('lat')}, {current.get('lon')}":
        return current  # coordinates set through the API, shown as they are and kept
    if parse_postcode(raw) is not None:
        return {"postcode": raw.upper()}
    return {"place": raw}


def read(form: FormData, base: dict[str, Any], stored_demands: dict[str, Any], editing: bool = False):
    """(values to show again, errors so far, the place's JSON) from the posted form.

    ``base`` is the stored place (editing) or the fields a new place gets; what
    the form does not manage is taken from it unchanged.
    """
    errors = FormErrors()
    answers: dict[str, str | list[str]] = {}
    adjust: dict[str, str | list[str]] = {}
    for q in qs.QUESTIONS:
        answers[q.key] = [v for v in form.getlist(q.field) if isinstance(v, str)] if q.multiple \
            else text(form, q.field, 40)
        adjust[q.adjust_field] = [v for v in form.getlist(q.adjust_field) if isinstance(v, str)] if q.multiple \
            else text(form, q.adjust_field, 40)
    values = {
        "title": text(form, "title", 300), "kind": text(form, "kind", 40),
        "description": text(form, "description", 20_000), "location": text(form, "location", 100),
        "hours_per_week": text(form, "hours_per_week", 40), "hours_per_day": text(form, "hours_per_day", 40),
        "evening": form.get("evening") == "ja", "night": form.get("night") == "ja",
        "education_level": text(form, "education_level", 40), "skills": text(form, "skills", 5000),
        "positions": text(form, "positions", 40), "answers": answers, "adjust": adjust,
        "wage_min": text(form, "wage_min", 40), "wage_max": text(form, "wage_max", 40),
        "wage_unpaid": form.get("wage_unpaid") == "ja",
        "start_hours_per_week": text(form, "start_hours_per_week", 40),
        "adjust_hours_per_day": text(form, "adjust_hours_per_day", 40),
        "adjust_hours_per_week": text(form, "adjust_hours_per_week", 40),
        "adjust_evening": form.get("adjust_evening") == "ja", "adjust_night": form.get("adjust_night") == "ja",
    }
    data = {k: v for k, v in base.items() if k not in FORM_FIELDS and k not in MERGED_FIELDS}
    data.update(kind=values["kind"], title=values["title"], description=values["description"],
                evening=values["evening"], night=values["night"])
    if not values["title"]:
        errors.add("title", "Functienaam: vul dit in")
    if values["kind"] not in PLACEMENT_KINDS:
        errors.add("kind", "Soort plek: kies vacature, detachering of werkervaringsplek")
    if values["location"]:
        data["location"] = _location(values["location"], base.get("location"))
    else:
        errors.add("location", "Postcode of plaats: vul een postcode (zoals 6511) of een plaatsnaam in")
    for name, top in (("hours_per_week", 60), ("hours_per_day", 12)):
        hours = number(form, name, errors, label=LABELS[name], required=True, minimum=0.5, maximum=top)
        if hours is not None:
            data[name] = float(hours)
    # A new place needs a position to be suggested at all; an edit may keep a
    # place posted through the API with none.
    positions = number(form, "positions", errors, label=LABELS["positions"], required=True,
                       minimum=0 if editing else 1,
                       maximum=10_000, whole=True)
    if positions is not None:
        data["positions"] = positions
    if values["education_level"]:
        if values["education_level"] in EDUCATION_LEVELS:
            data["education_level"] = values["education_level"]
        else:
            errors.add("education_level", "Opleidingsniveau: kies een niveau uit de lijst")
    skills = [s.strip() for s in values["skills"].split(",") if s.strip()]
    too_long = [s for s in skills if len(s) > 100]
    if too_long:
        errors.add("skills", "Vaardigheden: een vaardigheid mag hoogstens 100 tekens zijn")
    data["skills"] = list(dict.fromkeys(skills))
    _read_pay(form, values, errors, data)
    try:
        data["demands"] = qs.merge_demands(stored_demands, answers)
    except qs.AnswerRefused as exc:
        for key, reason in exc.problems.items():
            field = qs.BY_KEY[key].field if key in qs.BY_KEY else "_"
            errors.add(field, f"{LABELS.get(field, 'Vraag')}: {reason}")
        data["demands"] = {k: v for k, v in stored_demands.items() if k not in qs.ASKED_ITEMS}
    data["adjustments"] = _read_adjustments(form, values, errors, data, base.get("adjustments", {}), adjust)
    return values, errors, data


def _read_pay(form: FormData, values: dict[str, Any], errors: FormErrors, data: dict[str, Any]) -> None:
    """The hourly wage (or "onbetaald") and the hours to start with, into ``data``."""
    low = number(form, "wage_min", errors, label=LABELS["wage_min"], maximum=MAX_WAGE)
    high = number(form, "wage_max", errors, label=LABELS["wage_max"], maximum=MAX_WAGE)
    for name, amount in (("wage_min", low), ("wage_max", high)):
        if amount is not None and amount <= 0:
            errors.add(name, f"{LABELS[name]}: {WAGE_NOT_POSITIVE}")
    given = values["wage_min"] or values["wage_max"]
    if values["wage_unpaid"] and given:
        errors.add("wage_unpaid", "Onbetaald: u vulde ook een uurloon in; vul een loon in óf vink onbetaald aan")
    elif not values["wage_unpaid"] and not given:
        # An absent wage means unpaid (contract v1.1): the employer says which it is.
        errors.add("wage_min", "Uurloon vanaf: vul het bruto uurloon in, of vink aan dat de plek onbetaald is")
    elif not values["wage_min"] and values["wage_max"]:
        errors.add("wage_min", "Uurloon vanaf: vul ook het laagste uurloon in (bij één vast loon alleen dit veld)")
    elif low is not None and low > 0:
        data["hourly_wage"] = {"min": float(low)}
        if high is not None and high > 0:
            data["hourly_wage"]["max"] = float(high)
            if high < low:
                errors.add("wage_max", "Uurloon tot: is lager dan het uurloon vanaf")
    start = number(form, "start_hours_per_week", errors, label=LABELS["start_hours_per_week"], minimum=0.5,
                   maximum=60)
    if start is not None:
        data["start_hours_per_week"] = float(start)


def _read_adjustments(form: FormData, values: dict[str, Any], errors: FormErrors, data: dict[str, Any],
                      stored: dict[str, Any], adjust: dict[str, Any]) -> dict[str, Any]:
    """The place's adjustments: the follow-ups of the questions and of the work times,
    plus what was set through the API on items the form does not ask."""
    try:
        out = aq.merge_adjustments(stored, data["demands"], adjust)
    except aq.AdjustRefused as exc:
        for key, reason in exc.problems.items():
            field = qs.BY_KEY[key].adjust_field if key in qs.BY_KEY else "_"
            errors.add(field, f"{LABELS.get(field, 'Aanpassing')}: {reason}")
        out = {k: v for k, v in stored.items() if k not in qs.ASKED_ITEMS and k not in TIME_ADJUST_FIELDS}
    for key in ("hours_per_day", "hours_per_week"):
        name = TIME_ADJUST_FIELDS[key]
        hours = number(form, name, errors, label=LABELS[name], minimum=0.5, maximum=60)
        now = data.get(key)
        if hours is None or now is None:
            continue
        if hours > now:
            errors.add(name, f"{LABELS[name]}: vul minder uren in dan de {_num(now)} uur hierboven")
        elif hours < now:  # the same hours adjust nothing
            out[key] = float(hours)
    for key in ("evening", "night"):
        # Only work with evening (night) hours can be done without them.
        if values[TIME_ADJUST_FIELDS[key]] and values[key]:
            out[key] = False
    return out


def validate(data: dict[str, Any], errors: FormErrors, context: dict[str, Any] | None = None) -> PlacementBody | None:
    """The place as the API would take it, or None; every refusal lands in ``errors`` beside its field.
    ``context``: ``keep_ids`` of the place being edited, whose ids may predate the id rule."""
    try:
        body = PlacementBody.model_validate(data, context=context)
    except ValidationError as exc:
        found = labelled(dutch_errors(exc, FIELD_MAP))
        for name, message in found.items():
            # A field the form already refused keeps the form's own, clearer message.
            if not errors.get(name):
                errors.add(name, message)
        return None
    return None if errors else body
