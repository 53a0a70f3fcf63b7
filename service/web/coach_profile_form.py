"""The candidate form: a ``CandidateBody`` as form fields and back.

Field names follow the model's paths (``education.level``, ``wishes.hours_per_week``,
``experience.1.title``, ``capacity.IV.13``, ``former_work.hourly_wage``,
``hours_outlook.from``), so a pydantic error lands beside the field it concerns.
Parsing builds plain JSON data and lets ``CandidateBody`` judge it: the page
refuses exactly what the API would refuse.

Contract v1.1 adds the own employer (whose places are spoor 1), the work before
sickness (the base of the 65% rule) and the bedrijfsarts' build-up prognosis.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from matching.contract.models import EDUCATION_LEVELS, PLACEMENT_KINDS, keep_ids
from service.schemas import CandidateBody
from service.web import capacity_form
from service.web.forms import KIND_LABELS, WAGE_NOT_POSITIVE, FormErrors, dutch_errors, number, text, texts

# Empty experience rows offered below the filled ones.
SPARE_EXPERIENCE_ROWS = 2
MAX_EXPERIENCE_ROWS = 20
EDUCATION_OPTIONS = [("", "– kies –")] + [(level, level) for level in EDUCATION_LEVELS]
KIND_OPTIONS = [(k, KIND_LABELS[k]) for k in PLACEMENT_KINDS]
DATE_FIELDS = ("sick_since", "first_year_evaluation", "spoor2_started")
FORMER_FIELDS = ("former_work.title", "former_work.hours_per_week", "former_work.hourly_wage")
OUTLOOK_FIELDS = ("hours_outlook.hours_per_week", "hours_outlook.from")
V11_FIELDS = ("employer_id", *FORMER_FIELDS, *OUTLOOK_FIELDS)
IDENTITY_FIELDS = ("id", "max_travel_km", "education.level", "education.field", "skills", "wishes.kinds",
                   "wishes.hours_per_week", "wishes.text", *DATE_FIELDS, *V11_FIELDS)
NO_EMPLOYER = ("", "– geen of onbekend –")
# The v1.1 fields' Dutch names, at the start of a refusal so the summary at the top reads on its own.
V11_LABELS = {"employer_id": "Eigen werkgever", "former_work.title": "Vorige functie",
              "former_work.hours_per_week": "Uren per week", "former_work.hourly_wage": "Uurloon",
              "hours_outlook.hours_per_week": "Verwachte uren per week", "hours_outlook.from": "Vanaf"}
_POSTCODE = re.compile(r"^\d{4}\s*([A-Za-z]{2})?$")


def _plain(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def values_of(body: CandidateBody | None) -> dict[str, Any]:
    """The form's values for a stored candidate (or an empty form)."""
    if body is None:
        return {"id": "", "home": "", "max_travel_km": "", "education.level": "", "education.field": "",
                "experience": [{"title": "", "years": "", "description": ""}] * (SPARE_EXPERIENCE_ROWS + 1),
                "skills": "", "wishes.kinds": [], "wishes.hours_per_week": "", "wishes.text": "",
                "sick_since": "", "first_year_evaluation": "", "spoor2_started": "", "capacity": {},
                **{name: "" for name in V11_FIELDS}}
    home = body.home
    if home.postcode is not None:
        home_text = home.postcode
    elif home.place is not None:
        home_text = home.place
    else:
        home_text = f"{home.lat}, {home.lon}"
    rows = [{"title": e.title, "years": _plain(e.years), "description": e.description} for e in body.experience]
    rows += [{"title": "", "years": "", "description": ""}] * SPARE_EXPERIENCE_ROWS
    return {
        "id": body.id, "home": home_text, "max_travel_km": _plain(body.max_travel_km),
        "education.level": body.education.level, "education.field": body.education.field,
        "experience": rows, "skills": ", ".join(body.skills),
        "wishes.kinds": list(body.wishes.kinds), "wishes.hours_per_week": _plain(body.wishes.hours_per_week),
        "wishes.text": body.wishes.text,
        **{name: (getattr(body, name).isoformat() if getattr(body, name) else "") for name in DATE_FIELDS},
        "capacity": capacity_form.values_of(body.capacity),
        "employer_id": body.employer_id or "",
        "former_work.title": body.former_work.title if body.former_work else "",
        "former_work.hours_per_week": _plain(body.former_work.hours_per_week) if body.former_work else "",
        "former_work.hourly_wage": _plain(body.former_work.hourly_wage) if body.former_work else "",
        "hours_outlook.hours_per_week": _plain(body.hours_outlook.hours_per_week) if body.hours_outlook else "",
        "hours_outlook.from": body.hours_outlook.from_.isoformat() if body.hours_outlook else "",
    }


def employer_options(organisations: list[tuple[str, str]], current: str = "") -> list[tuple[str, str]]:
    """The own-employer select: the organisations spoormatch knows, and the stored one
    even when it is not among them (set through the API), so saving never loses it."""
    options = [NO_EMPLOYER] + [(org_id, f"{name} ({org_id})") for org_id, name in organisations]
    if current and current not in {key for key, _ in options}:
        options.append((current, f"{current} (niet bekend in spoormatch)"))
    return options


def _experience_count(form: FormData) -> int:
    seen = [int(m.group(1)) for key in form.keys() if (m := re.fullmatch(r"experience\.(\d+)\.\w+", key))]
    return min(max(seen) + 1, MAX_EXPERIENCE_ROWS) if seen else 0


def values_from_form(form: FormData) -> dict[str, Any]:
    """What was typed, shown again after a refusal (one spare experience row kept)."""
    rows = [{"title": text(form, f"experience.{i}.title", 200), "years": text(form, f"experience.{i}.years", 40),
             "description": text(form, f"experience.{i}.description")} for i in range(_experience_count(form))]
    if not rows or any(rows[-1].values()):
        rows.append({"title": "", "years": "", "description": ""})
    values = {name: text(form, name) for name in ("id", "home", "max_travel_km", "education.level",
                                                   "education.field", "skills", "wishes.hours_per_week",
                                                   "wishes.text", *DATE_FIELDS, *V11_FIELDS)}
    return {**values, "experience": rows, "wishes.kinds": texts(form, "wishes.kinds"),
            "capacity": capacity_form.values_from_form(form)}


def parse(form: FormData, before: CandidateBody | None,
          employers: set[str] | None = None) -> tuple[CandidateBody | None, FormErrors]:
    """The candidate the form describes, or the errors per field. ``before`` is the stored
    candidate when editing: its id stays, and fields the form does not show are kept.
    ``employers``: the own employers the select offers (None: any id)."""
    errors = FormErrors()
    # Exact model paths first: a bare first part ("wishes") would pull a nested error to the wrong field.
    field_map: dict[str, str] = {**capacity_form.field_map(), **{n: n for n in IDENTITY_FIELDS},
                                 "education": "education.level", "wishes": "wishes.text",
                                 "former_work": "former_work.title", "hours_outlook": "hours_outlook.hours_per_week"}
    data: dict[str, Any] = {}

    data["id"] = before.id if before is not None else text(form, "id", 200)
    if not data["id"]:
        errors.add("id", "Code: vul een code in (bijvoorbeeld uw dossiernummer, geen naam)")

    home = text(form, "home", 200)
    if not home:
        errors.add("home", "Woonplaats: vul een postcode of plaatsnaam in")
    elif _POSTCODE.match(home):
        data["home"] = {"postcode": home}
    else:
        data["home"] = {"place": home}
    # "home.postcode" / "home.place" / "home" (neither given) all belong to the one field.
    field_map.update({"home.postcode": "home", "home.place": "home", "home.lat": "home"})

    travel = number(form, "max_travel_km", errors, label="Maximale reisafstand")
    if travel is not None:
        data["max_travel_km"] = travel

    data["education"] = {"level": text(form, "education.level", 40), "field": text(form, "education.field", 400)}
    if not data["education"]["level"]:
        errors.add("education.level", "Opleidingsniveau: kies een niveau")

    experience = []
    for i in range(_experience_count(form)):
        title = text(form, f"experience.{i}.title", 400)
        years_raw = text(form, f"experience.{i}.years", 40)
        description = text(form, f"experience.{i}.description", 20_000)
        if not (title or years_raw or description):
            continue
        # The model's list index -> the form's row, for errors on rows after a skipped empty one.
        for sub in ("title", "years", "description"):
            field_map[f"experience.{len(experience)}.{sub}"] = f"experience.{i}.{sub}"
        row: dict[str, Any] = {"title": title, "description": description}
        years = number(form, f"experience.{i}.years", errors, label="Jaren")
        if years is not None:
            row["years"] = years
        experience.append(row)
    data["experience"] = experience

    data["skills"] = [s.strip() for s in text(form, "skills", 5000).split(",") if s.strip()]

    wishes: dict[str, Any] = {"kinds": texts(form, "wishes.kinds"), "text": text(form, "wishes.text", 20_000)}
    hours = number(form, "wishes.hours_per_week", errors, label="Uren per week")
    if hours is not None:
        wishes["hours_per_week"] = hours
    if before is not None and before.wishes.sectors:
        wishes["sectors"] = list(before.wishes.sectors)  # not on the form; kept as it was
    data["wishes"] = wishes

    for name in DATE_FIELDS:
        value = text(form, name, 40)
        if value:
            data[name] = value

    data["capacity"] = capacity_form.parse(form, errors, before.capacity if before is not None else None)
    _parse_v11(form, errors, data, employers)

    try:
        # An edit keeps the ids the candidate holds, even ones given before the id rule.
        context = keep_ids(before.id, before.employer_id) if before is not None else None
        body = CandidateBody.model_validate(data, context=context)
    except ValidationError as exc:
        found = dutch_errors(exc, field_map)
        # The model checks the dates only once every field is valid; check them on
        # their own too, so one refusal names every wrong field.
        dates = {name: data[name] for name in DATE_FIELDS if name in data}
        if dates and not any(name in found.by_field for name in DATE_FIELDS):
            try:
                CandidateBody.model_validate({"id": "x", "home": {"lat": 52.0, "lon": 5.0},
                                              "education": {"level": "vmbo"}, "capacity": {}, **dates})
            except ValidationError as date_exc:
                for name, message in dutch_errors(date_exc, field_map).items():
                    found.add(name, message)
        for name, message in found.items():
            # A field that already has its own error (e.g. an unreadable number) keeps that one.
            if name not in errors.by_field:
                label = V11_LABELS.get(name)
                errors.add(name, f"{label}: {message}" if label and not message.startswith(label) else message)
        return None, errors
    if errors:
        return None, errors
    return body, errors


def _parse_v11(form: FormData, errors: FormErrors, data: dict[str, Any], employers: set[str] | None) -> None:
    """The own employer, the former work and the outlook into ``data`` (absent when left empty)."""
    employer = text(form, "employer_id", 200)
    if employer:
        if employers is not None and employer not in employers:
            errors.add("employer_id", "Eigen werkgever: kies een werkgever uit de lijst")
        else:
            data["employer_id"] = employer

    former: dict[str, Any] = {}
    title = text(form, "former_work.title", 400)
    if title:
        former["title"] = title
    hours = number(form, "former_work.hours_per_week", errors, label="Uren per week")
    if hours is not None:
        former["hours_per_week"] = hours
    wage = number(form, "former_work.hourly_wage", errors, label="Uurloon")
    if wage is not None:
        if wage <= 0:
            errors.add("former_work.hourly_wage", f"Uurloon: {WAGE_NOT_POSITIVE}")
        former["hourly_wage"] = wage
    if former:
        data["former_work"] = former

    outlook: dict[str, Any] = {}
    hours = number(form, "hours_outlook.hours_per_week", errors, label="Verwachte uren per week")
    if hours is not None:
        outlook["hours_per_week"] = hours
    start = text(form, "hours_outlook.from", 40)
    if start:
        outlook["from"] = start
    if outlook:
        # Both or neither: a prognosis needs its hours and its date (the model says which is missing).
        data["hours_outlook"] = outlook


def problem_fields() -> dict[str, str]:
    """For a service refusal after the form validated (rare: a race, a duplicate id)."""
    return {**capacity_form.field_map(), "home": "home", "education": "education.level"}
