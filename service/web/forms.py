"""Forms: reading posted fields, and refusals in Dutch next to the field they concern.

The API's refusals are one line per problem, ``field.path: reason`` (English).
A form shows each problem beside its field, in Dutch, and keeps what the user
typed. :func:`dutch_errors` turns pydantic errors into Dutch by their type;
:func:`refusal_errors` files a service refusal under its field, translating the
reasons the web app's forms can meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

GENERAL = "_"
# The contract's kinds of place as every page names them.
KIND_LABELS = {"vacature": "Vacature", "detachering": "Detachering", "werkervaringsplek": "Werkervaringsplek"}
# A wage of 0 or less: the contract's wage is a positive amount, and no pay is said otherwise.
WAGE_NOT_POSITIVE = "vul een bedrag in van meer dan € 0 (bruto per uur)"


@dataclass
class FormErrors:
    """Field name -> Dutch message; ``GENERAL`` for what belongs to no field."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        if name in self.by_field:
            if message not in self.by_field[name]:
                self.by_field[name] += "; " + message
        else:
            self.by_field[name] = message

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def get(self, name: str) -> str | None:
        return self.by_field.get(name)

    def items(self):
        return self.by_field.items()


def clean(value: str) -> str:
    """Without NUL and lone surrogates: no database stores them, and no form needs them."""
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        value = "".join(c for c in value if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)
    return value


def text(form: FormData, name: str, max_length: int = 5000) -> str:
    value = form.get(name, "")
    return clean(value).strip()[:max_length] if isinstance(value, str) else ""


def texts(form: FormData, name: str, max_length: int = 200) -> list[str]:
    """Every value of a repeated field (checkboxes, multi-selects)."""
    return [clean(v).strip()[:max_length] for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def number(form: FormData, name: str, errors: FormErrors, *, label: str, required: bool = False,
           minimum: float | None = None, maximum: float | None = None, whole: bool = False) -> float | int | None:
    """A number field (a Dutch comma is fine); a refusal names the field in Dutch."""
    raw = text(form, name, 40).replace(",", ".")
    if raw == "":
        if required:
            errors.add(name, f"{label}: vul dit in")
        return None
    try:
        value: float | int = int(raw) if whole else float(raw)
    except ValueError:
        errors.add(name, f"{label}: vul een {'heel ' if whole else ''}getal in, niet {raw!r}")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        errors.add(name, f"{label}: vul een getal in")
        return None
    if minimum is not None and value < minimum:
        errors.add(name, f"{label}: minstens {minimum:g}")
        return None
    if maximum is not None and value > maximum:
        errors.add(name, f"{label}: hoogstens {maximum:g}")
        return None
    return value


_TYPE_TEXT = {
    "missing": "vul dit in",
    "string_too_short": "te kort",
    "string_too_long": "te lang (hoogstens {max_length} tekens)",
    "too_short": "te weinig (minstens {min_length})",
    "too_long": "te veel (hoogstens {max_length})",
    "greater_than": "moet meer zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet minder zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "int_parsing": "vul een heel getal in",
    "int_from_float": "vul een heel getal in",
    "float_parsing": "vul een getal in",
    "bool_parsing": "kies ja of nee",
    "date_from_datetime_parsing": "vul een datum in (JJJJ-MM-DD)",
    "date_parsing": "vul een datum in (JJJJ-MM-DD)",
    "literal_error": "kies een van: {expected}",
    "enum": "kies een van: {expected}",
    "string_pattern_mismatch": "bevat tekens die hier niet mogen",
    "extra_forbidden": "onbekend veld",
}

# Reasons the library and the service give in English, as the forms meet them.
# A replacement with a group reference keeps that part of the reason.
_PHRASES = [
    # The id rule (matching/contract/ids.py); the message echoes the id, the form shows it already.
    (re.compile(r"; an id may hold only ", re.S),
     "een code mag alleen de letters A-Z en a-z, cijfers en . _ ~ - bevatten "
     "(1 tot 128 tekens, beginnend met een letter of cijfer)"),
    # The feedback route's (service/routes/feedback.py), anchored: their reasons quote item verdicts.
    (re.compile(r"^required with introduced.*", re.S),
     "schrijf minstens 10 tekens voor de werkgever: waarom past deze kandidaat bij de plek"),
    (re.compile(r"^a written motivation is required for this signalled item \(at least (\d+) characters\): (.*)$",
                re.S), r"schrijf minstens \1 tekens waarom dit aandachtspunt geen bezwaar is (\2)"),
    (re.compile(r"^not a signalled item of this place"),
     "geen aandachtspunt (meer) van deze plek; laad de pagina opnieuw"),
    (re.compile(r"^the place is not open or has no free position"),
     "de plek is niet meer open of heeft geen vrije plaats"),
    (re.compile(r"^the candidate is already introduced to this place"),
     "de kandidaat is al voorgesteld voor deze plek"),
    (re.compile(r"^exceeds the belastbaarheid: (.*)$", re.S), r"past niet binnen de belastbaarheid: \1"),
    # IsoDate (matching/contract/models.py): a date is YYYY-MM-DD and must exist.
    (re.compile(r"^expected a date as YYYY-MM-DD|^'[^']*' is not a date"), "vul een datum in (JJJJ-MM-DD)"),
    (re.compile(r"^must be a finite number"), "vul een getal in"),
    # The limits of this implementation (matching/contract/limits.py).
    (re.compile(r"^(\d+) entries; this installation takes at most (\d+) .*$", re.S),
     r"te veel: \1, hier kunnen er hoogstens \2"),
    (re.compile(r"^([\d,]+) characters; this installation takes at most ([\d,]+) .*$", re.S),
     r"te lang: \1 tekens, hier hoogstens \2"),
    # The belastbaarheid changes only by being stated (service/capacity_changes.py).
    (re.compile(r"^the limit \((.*)\) would disappear without being named.*$", re.S),
     r"deze beperking (\1) zou vervallen zonder dat ze is genoemd; zet het item op de norm om haar op te heffen"),
    (re.compile(r"^no place with this id"), "deze plek bestaat niet (meer)"),
    (re.compile(r"^required with not_relevant"), "kies een reden"),
    (re.compile(r"^this feedback is already undone"), "dit is al ongedaan gemaakt"),
    (re.compile(r"lies in the future"), "ligt in de toekomst"),
    (re.compile(r"is before sick_since.*"), "ligt vóór de eerste ziektedag"),
    (re.compile(r"is outside (\S+)\.\.(\S+)"), r"ligt buiten \1 tot \2"),
    (re.compile(r"unknown (?:FML )?item.*"), "onbekend FML-item"),
    (re.compile(r"not a valid (?:code|level).*"), "geen geldige waarde voor dit item"),
    # Before the postcode rule: these name "a postcode" as the way out.
    (re.compile(r"^('[^']*') is ambiguous: (.*); give a postcode or the province$", re.S),
     r"\1 is niet eenduidig: \2; geef een postcode, of de provincie erbij"),
    (re.compile(r"^'[^']*': no (.*) in '([^']*)'; known are (.*)$", re.S), r"geen \1 in \2; wel: \3"),
    (re.compile(r"postcode.*"), "geen Nederlandse postcode (vier cijfers, eventueel met twee letters)"),
    (re.compile(r"no such place|unknown place.*"), "onbekende plaats"),
    (re.compile(r"you already have a candidate with this id"), "u heeft al een kandidaat met deze code"),
    (re.compile(r"a place with this id already exists.*"), "er bestaat al een plek met deze code"),
    # Contract v1.1 (matching/contract/models.py): start hours, wages, the outlook and adjustments.
    # Before the hours-per-day rule below: its pattern would match the start hours too.
    (re.compile(r"is more than hours_per_week \([\d.]+\); a start builds up.*", re.S),
     "meer dan de uren per week van de plek; iemand begint met minder uren en bouwt op naar de volle uren"),
    (re.compile(r"is more hours than a week can hold.*"), "meer uren dan er in een week passen (168)"),
    (re.compile(r"is not a number of hours; give more than 0"), "vul een aantal uren in, meer dan 0"),
    (re.compile(r"^max: [\d.]+ is below min.*|^[\d.]+ is below min.*"), "het hoogste uurloon is lager dan het laagste"),
    (re.compile(r"^([\d.]+) hours asks more than the place's ([\d.]+).*", re.S),
     r"\1 uur is meer dan de plek nu vraagt (\2 uur); een aanpassing maakt het werk alleen lichter"),
    (re.compile(r"^level \d+ asks more than the demand.*|would ask more; an adjustment only makes the work lighter"),
     "vraagt meer dan het werk nu vraagt; een aanpassing maakt het werk alleen lichter"),
    (re.compile(r"^drops condition\(s\).*"),
     "laat iets weg wat de werkplek nu al biedt; een aanpassing voegt alleen iets toe"),
    (re.compile(r"^adds exposure\(s\).*"),
     "voegt iets toe wat het werk nu niet heeft; een aanpassing haalt alleen iets weg"),
    (re.compile(r"^the only adjustment is false.*"), "een aanpassing kan dit alleen uit het werk halen"),
    (re.compile(r"^work times are adjusted by.*"), "werktijden worden aangepast met de uren per dag en per week"),
    (re.compile(r"^expected a number of hours above 0.*"), "vul een aantal uren in, meer dan 0"),
    (re.compile(r"hours_per_day .* more than .*|exceeds hours_per_week.*|^[\d.]+ is more than hours_per_week.*"),
     "meer uren per dag dan per week"),
    (re.compile(r"^[\d.]+ cannot be worked in 7 days.*"), "meer uren per week dan in zeven werkdagen passen"),
    (re.compile(r"^an organisation with this id already exists"), "er bestaat al een organisatie met deze code"),
    (re.compile(r"^no organisation with this id"), "onbekende organisatie"),
    (re.compile(r"^required for an employer user"), "kies de organisatie van deze werkgever"),
    (re.compile(r"^only employer users belong to an organisation"),
     "alleen een werkgever hoort bij een organisatie; kies 'geen'"),
    (re.compile(r"^the last active admin cannot be deactivated"),
     "de laatste actieve beheerder kan niet worden gedeactiveerd"),
]


def dutch_reason(message: str) -> str:
    for pattern, replacement in _PHRASES:
        if pattern.search(message):
            return pattern.sub(replacement, message) if "\\" in replacement else replacement
    return message


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def dutch_errors(exc: ValidationError, field_map: dict[str, str] | None = None) -> FormErrors:
    """Pydantic errors as Dutch form errors. ``field_map`` maps a model path (or its
    first part) to the form field it came from; unmapped paths use the path itself."""
    field_map = field_map or {}
    errors = FormErrors()
    for err in exc.errors(include_url=False):
        path = _location(err["loc"])
        message = str(err.get("msg", ""))
        kind = err.get("type", "")
        if kind == "value_error":
            message = message.removeprefix("Value error, ")
            # Our validators name the field first: "sick_since: ... lies in the future".
            if ": " in message:
                named, _, rest = message.partition(": ")
                if re.fullmatch(r"[\w.\[\]-]+", named):
                    path, message = _named_path(path, named, field_map), rest
            reason = dutch_reason(message)
        elif kind in _TYPE_TEXT:
            try:
                # 60.0 is written 60, and 0.5 as a Dutch reader writes it: 0,5.
                context = {k: f"{v:g}".replace(".", ",") if isinstance(v, float) else v
                           for k, v in (err.get("ctx") or {}).items()}
                reason = _TYPE_TEXT[kind].format(**context)
            except (KeyError, IndexError):
                reason = _TYPE_TEXT[kind]
        else:
            reason = dutch_reason(message)
        name = field_map.get(path) or field_map.get(path.split(".")[0]) or path or GENERAL
        errors.add(name, reason)
    return errors


def _named_path(loc: str, named: str, field_map: dict[str, str]) -> str:
    """The path a validator's message is about: a nested model's validator names its
    own field ("max" in "hourly_wage"), so the full path is tried first."""
    full = f"{loc}.{named}" if loc else named
    return full if full in field_map else named


def refusal_errors(problems: list[str], field_map: dict[str, str] | None = None) -> FormErrors:
    """A service refusal (``field: reason`` lines) filed under the form's fields."""
    field_map = field_map or {}
    errors = FormErrors()
    for line in problems:
        path, sep, reason = line.partition(": ")
        if not sep:
            path, reason = GENERAL, line
        name = field_map.get(path) or field_map.get(path.split(".")[0]) or path
        errors.add(name, dutch_reason(reason))
    return errors
