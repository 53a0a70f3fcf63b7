"""Typed data at the edges: the contract-v1 JSON of candidates, places and suggestions.

Every object that crosses a file, the API or the Python API is one of these. Bad
input is refused with a message that names the field and the reason; unknown
fields and wrong types are refused too (the contract says so).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from matching.contract.ids import ID_MAX_LENGTH, ID_PATTERN, ID_RULE, id_problem
from matching.reference.fml import BIN, CAT, COND, LAT, ORD, WORK_TIME_ITEMS, load_catalogue
from matching.reference.geo import Locality, load_gazetteer, parse_postcode

EDUCATION_LEVELS = (
    "basisonderwijs", "vmbo", "mbo-1", "mbo-2", "mbo-3", "mbo-4", "havo", "vwo", "hbo", "wo",
)
# A rough ordering for "is the education enough": havo/vwo sit between mbo-3 and
# mbo-4/hbo in what employers usually accept.
EDUCATION_RANK = {
    "basisonderwijs": 0, "vmbo": 1, "mbo-1": 1, "mbo-2": 2, "mbo-3": 3, "havo": 3,
    "mbo-4": 4, "vwo": 4, "hbo": 5, "wo": 6,
}
# "IV.13: ...", "hours_per_day: ..." or, from a validator of the whole object,
# "adjustments.IV.13: ...": the sub-field a message is about.
# Letters in any script: an item spelled in full-width letters ("ＩＶ.13") is refused
# under the same path as any other unknown item.
_SUBFIELD = re.compile(r"^((?:[^\W\d]\w*\.)?(?:[^\W\d_]+\.\d+|[^\W\d]\w*)): (.*)$", re.S)
PLACEMENT_KINDS = ("vacature", "detachering", "werkervaringsplek")
PLACEMENT_STATUSES = ("open", "closed", "filled")

EducationLevel = Literal[
    "basisonderwijs", "vmbo", "mbo-1", "mbo-2", "mbo-3", "mbo-4", "havo", "vwo", "hbo", "wo"
]
PlacementKind = Literal["vacature", "detachering", "werkervaringsplek"]
PlacementStatus = Literal["open", "closed", "filled"]
Verdict = Literal["pass", "signal", "exceed"]
# A place that fits once the employer applies its own adjustments or lets the
# candidate start with fewer hours (contract v1.1).
SuggestionVerdict = Literal["pass", "signal", "adjust"]
# Work-time fields a place may offer to adjust, and the FML item each one is named
# by in a condition.
ADJUSTABLE_TIMES = {"hours_per_day": "VI.2", "hours_per_week": "VI.3", "evening": "VI.1", "night": "VI.1"}
MAX_WAGE = 1000.0
Text = Annotated[str, Field(max_length=20_000)]
# Validation context for records read back from storage: a location that no longer
# resolves (its place name became ambiguous, its postcode left the reference data)
# is kept as unresolved instead of refused, and an id given before the id rule is
# kept as it is, so the record can still be read, shown, corrected and erased; new
# input is always refused.
STORED = {"stored": True}
# For stored records the nightly matches: an id from before the id rule is kept, but
# a location must still resolve (a record that cannot be placed is skipped).
STORED_IDS = {"stored_ids": True}


def keep_ids(*ids: str | None) -> dict[str, Any]:
    """Validation context for an update: the record may keep the ids it already holds,
    even one given before the id rule; any other id must follow the rule."""
    return {"keep_ids": frozenset(i for i in ids if i is not None)}


def _check_id(value: str, info: ValidationInfo) -> str:
    context = info.context or {}
    if context.get("stored") or context.get("stored_ids") or value in context.get("keep_ids", ()):
        return value
    problem = id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# The id rule (``matching.contract.ids``), checked here rather than by a bare pattern
# so a refusal says which character is wrong in plain words.
Id = Annotated[str, AfterValidator(_check_id), Field(
    description=ID_RULE[:1].upper() + ID_RULE[1:],
    json_schema_extra={"pattern": ID_PATTERN, "minLength": 1, "maxLength": ID_MAX_LENGTH})]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """A date is YYYY-MM-DD: pydantic would read a number as seconds since 1970 (0
    became 1970-01-01) and accept a date and time; both are typos here."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date ({exc})") from None
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class Strict(BaseModel):
    # NaN and infinity are refused as such, not as "should be less than 60".
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Location(Strict):
    """One of: a postcode (PC4 counts), a place name, or coordinates."""

    postcode: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    _locality: Locality | None = PrivateAttr(default=None)
    _problem: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Location:
        given = [k for k in ("postcode", "place") if getattr(self, k) is not None]
        has_coords = self.lat is not None or self.lon is not None
        if len(given) + has_coords != 1:
            raise ValueError("give exactly one of postcode, place, or lat and lon")
        try:
            self._locality = self._lookup()
        except ValueError as exc:
            if not (info.context or {}).get("stored") or has_coords:
                raise
            self._problem = str(exc)
        return self

    def _lookup(self) -> Locality:
        gaz = load_gazetteer()
        if self.postcode is not None:
            if parse_postcode(self.postcode) is None:
                raise ValueError(f"postcode: {self.postcode!r} is not a Dutch postcode (four digits, optional two letters)")
            found = gaz.locality(self.postcode)
            if found is None:
                raise ValueError(f"postcode: unknown postcode {self.postcode!r}")
            return found
        if self.place is not None:
            try:
                return gaz.resolve(self.place)
            except ValueError as exc:
                raise ValueError(f"place: {exc}") from None
        if self.lat is None or self.lon is None:
            raise ValueError("lat: lat and lon go together")
        # The Netherlands with a margin: anything outside is a typo or swapped axes.
        if not (50.0 <= self.lat <= 54.0 and 2.5 <= self.lon <= 7.5):
            raise ValueError(f"lat: {self.lat}, lon {self.lon} is not in the Netherlands")
        # The place it lies in is looked up when shown (``locality``): a bulk load of
        # places by coordinates needs only the point.
        return Locality(place="", municipality="", province="", lat=self.lat, lon=self.lon)

    @property
    def coords(self) -> tuple[float, float]:
        """The point; NaN for a stored location that no longer resolves (it then fits no place)."""
        return self._locality.coords if self._locality is not None else (math.nan, math.nan)

    @property
    def locality(self) -> Locality | None:
        loc = self._locality
        if loc is not None and not loc.place and self.lat is not None:
            _, near = load_gazetteer().nearest(loc.lat, loc.lon)
            loc = self._locality = Locality(place=near.place, municipality=near.municipality,
                                            province=near.province, lat=loc.lat, lon=loc.lon)
        return loc

    @property
    def problem(self) -> str | None:
        """Why a stored location no longer resolves ("place: 'Bergen' is ambiguous: ..."), else None."""
        return self._problem


class ResolvedLocation(BaseModel):
    """Where a location lies, as the engine understood it: shown so a wrong home is seen at once."""

    model_config = ConfigDict(extra="forbid")

    place: str | None = Field(default=None, description="the place the postcode, name or point lies in")
    municipality: str | None = None
    province: str | None = None
    label: str | None = Field(default=None, description='e.g. "Hengelo (gemeente Bronckhorst, Gelderland)"')
    problem: str | None = Field(default=None, description="why the location could not be resolved; "
                                                          "no place fits until it is corrected")

    @classmethod
    def of(cls, location: Location) -> ResolvedLocation:
        loc = location.locality
        if loc is None:
            return cls(problem=location.problem)
        return cls(place=loc.place, municipality=loc.municipality or None, province=loc.province or None,
                   label=loc.label())


def _check_codes(item_id: str, value: Any, valid: tuple[int, ...]) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise ValueError(f"{item_id}: expected a list of codes, got {value!r}")
    bad = [v for v in value if v not in valid]
    if bad:
        raise ValueError(f"{item_id}: unknown code(s) {bad}; valid codes are {list(valid)}")
    if len(set(value)) != len(value):
        raise ValueError(f"{item_id}: codes repeated in {value!r}")
    return sorted(value)


def _check_level(item_id: str, value: Any, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{item_id}: expected a whole-number level, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{item_id}: level {value} is out of range {lo}..{hi}")
    return value


class Education(Strict):
    level: EducationLevel
    field: str = Field(default="", max_length=200)


class Experience(Strict):
    title: str = Field(min_length=1, max_length=200)
    years: float = Field(default=0, ge=0, le=60)
    description: Text = ""


class Wishes(Strict):
    kinds: list[PlacementKind] = Field(default_factory=list)
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    text: Text = ""
    sectors: list[str] = Field(default_factory=list)


Wage = Annotated[float, Field(gt=0, le=MAX_WAGE, allow_inf_nan=False, description="euro gross per hour")]
Hours = Annotated[float, Field(gt=0, le=60, allow_inf_nan=False)]


class FormerWork(Strict):
    """The work before sickness (v1.1): the base of the 65% rule."""

    title: str = Field(default="", max_length=200)
    hours_per_week: Hours | None = None
    hourly_wage: Wage | None = None

    @property
    def weekly_wage(self) -> float | None:
        if self.hours_per_week is None or self.hourly_wage is None:
            return None
        return self.hourly_wage * self.hours_per_week


class HoursOutlook(Strict):
    """The hours a week the bedrijfsarts expects the candidate to reach by ``from`` (v1.1)."""

    # Only the contract's key "from" is read: "from_" is an unknown field like any other.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, validate_by_name=False,
                              validate_by_alias=True, serialize_by_alias=True)

    hours_per_week: float = Field(allow_inf_nan=False)
    from_: IsoDate = Field(alias="from")

    @field_validator("hours_per_week")
    @classmethod
    def _hours_a_week_can_hold(cls, hours: float) -> float:
        if hours <= 0:
            raise ValueError(f"{hours:g} is not a number of hours; give more than 0")
        if hours > 7 * 24:
            raise ValueError(f"{hours:g} is more hours than a week can hold (168)")
        return hours


class Candidate(Strict):
    id: Id
    home: Location
    max_travel_km: float | None = Field(default=None, gt=0, le=300)
    # Typed per FML item in the validator, so the message names the item.
    capacity: dict[str, Any] = Field(default_factory=dict)
    education: Education
    experience: list[Experience] = Field(default_factory=list)
    skills: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)
    wishes: Wishes = Field(default_factory=Wishes)
    # Contract v1.1: the own employer (its places are spoor 1), the work before
    # sickness (the 65% rule) and the bedrijfsarts' build-up prognosis.
    employer_id: Id | None = None
    former_work: FormerWork | None = None
    hours_outlook: HoursOutlook | None = None

    @field_validator("capacity", mode="before")
    @classmethod
    def _capacity_stated(cls, capacity: Any) -> Any:
        if capacity is None:
            raise ValueError("cannot be null; the belastbaarheid is stated ({} states: no limits)")
        return capacity

    @field_validator("capacity")
    @classmethod
    def _valid_capacity(cls, capacity: dict[str, Any]) -> dict[str, Any]:
        fml = load_catalogue()
        out: dict[str, Any] = {}
        for item_id, value in capacity.items():
            if item_id not in fml:
                raise ValueError(f"{item_id}: unknown FML item")
            item = fml[item_id]
            if item.type == ORD:
                out[item_id] = _check_level(item_id, value, 0, item.max_level)
            elif item.type in (CAT, COND):
                out[item_id] = _check_codes(item_id, value, item.codes)
            elif item.type == BIN:
                out[item_id] = _check_level(item_id, value, 0, 1)
            else:  # LAT: informational only
                out[item_id] = _check_level(item_id, value, 0, item.max_level)
        return out


class WageRange(Strict):
    """A place's hourly wage (v1.1); ``max`` absent: one wage."""

    min: Wage
    max: Wage | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "WageRange":
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max: {self.max:g} is below min ({self.min:g})")
        return self

    @property
    def mean(self) -> float:
        return (self.min + (self.min if self.max is None else self.max)) / 2


class Placement(Strict):
    id: Id
    employer_id: Id
    kind: PlacementKind
    title: str = Field(min_length=1, max_length=200)
    description: Text = ""
    location: Location
    hours_per_week: float = Field(gt=0, le=60)
    hours_per_day: float = Field(gt=0, le=12)
    evening: bool = False
    night: bool = False
    education_level: EducationLevel | None = None
    skills: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)
    demands: dict[str, Any] = Field(default_factory=dict)
    positions: int = Field(default=1, ge=0, le=10_000)
    status: PlacementStatus = "open"
    sector: str = Field(default="", max_length=100)
    # Contract v1.1: the ESCO occupation of the work, chosen by the employer; it wins
    # over the occupation the title would be linked to.
    occupation: str | None = Field(default=None, max_length=200)

    @field_validator("occupation")
    @classmethod
    def _known_occupation(cls, uri: str | None) -> str | None:
        if uri is None:
            return None
        from matching.occupations.esco import OCCUPATION_PREFIX, load_esco

        if not uri.startswith(OCCUPATION_PREFIX):
            raise ValueError(f"{uri!r} is not an ESCO occupation URI (expected {OCCUPATION_PREFIX}...)")
        if uri not in load_esco().index:
            raise ValueError(f"{uri!r} is not an occupation of ESCO v1.2.0")
        return uri

    # Contract v1.1: pay, a start with fewer hours, and what the employer can adjust.
    hourly_wage: WageRange | None = None
    start_hours_per_week: Hours | None = None
    adjustments: dict[str, Any] = Field(default_factory=dict)

    @field_validator("adjustments")
    @classmethod
    def _sorted_adjustments(cls, adjustments: dict[str, Any]) -> dict[str, Any]:
        """Code lists in ascending order, as in demands; the checks against the
        demands are in the model validator (``_check_adjustments``)."""
        fml = load_catalogue()
        out = dict(adjustments)
        for key, value in adjustments.items():
            if key in fml and fml[key].type in (CAT, COND) and key not in WORK_TIME_ITEMS:
                out[key] = _check_codes(key, value, fml[key].codes)
        return out

    @field_validator("demands")
    @classmethod
    def _valid_demands(cls, demands: dict[str, Any]) -> dict[str, Any]:
        fml = load_catalogue()
        out: dict[str, Any] = {}
        for item_id, value in demands.items():
            if item_id not in fml:
                raise ValueError(f"{item_id}: unknown FML item")
            if item_id in WORK_TIME_ITEMS:
                raise ValueError(
                    f"{item_id}: work times are given by hours_per_day, hours_per_week, evening and night, not as a demand"
                )
            item = fml[item_id]
            if item.type == ORD:
                out[item_id] = _check_level(item_id, value, 0, item.max_level)
            elif item.type in (CAT, COND):
                out[item_id] = _check_codes(item_id, value, item.codes)
            elif item.type == BIN:
                if not isinstance(value, bool):
                    raise ValueError(f"{item_id}: expected true or false, got {value!r}")
                out[item_id] = value
            else:
                raise ValueError(f"{item_id}: a {LAT} item describes the person; work cannot demand it")
        return out

    @model_validator(mode="after")
    def _consistent_hours(self) -> "Placement":
        if self.hours_per_day > self.hours_per_week:
            raise ValueError(
                f"hours_per_day: {self.hours_per_day} is more than hours_per_week ({self.hours_per_week})"
            )
        if self.hours_per_week > 7 * self.hours_per_day:
            raise ValueError(
                f"hours_per_week: {self.hours_per_week} cannot be worked in 7 days of {self.hours_per_day} hours"
            )
        if self.start_hours_per_week is not None and self.start_hours_per_week > self.hours_per_week:
            raise ValueError(f"start_hours_per_week: {self.start_hours_per_week:g} is more than hours_per_week "
                             f"({self.hours_per_week:g}); a start builds up to the full hours")
        _check_adjustments(self)
        return self

    @property
    def available(self) -> bool:
        return self.status == "open" and self.positions > 0


def _check_adjustments(place: "Placement") -> None:
    """An adjustment only ever makes the work lighter (contract v1.1): the message
    names ``adjustments.<item>`` and says what it would ask more of. An adjustment
    that changes nothing (the same value, evening false on a place without evening
    work) is allowed; it never yields a condition."""
    fml = load_catalogue()
    for key, value in place.adjustments.items():
        where = f"adjustments.{key}"
        if key in ("hours_per_day", "hours_per_week"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value <= 0:
                raise ValueError(f"{where}: expected a number of hours above 0, got {value!r}")
            now = getattr(place, key)
            if value > now:
                raise ValueError(f"{where}: {value:g} hours asks more than the place's {now:g}; "
                                 "an adjustment only makes the work lighter")
            continue
        if key in ("evening", "night"):
            if value is not False:
                raise ValueError(f"{where}: the only adjustment is false (no {key} work), got {value!r}")
            continue
        if key not in fml:
            raise ValueError(f"{where}: unknown FML item; adjust an item of demands or "
                             "hours_per_day, hours_per_week, evening, night")
        if key in WORK_TIME_ITEMS:
            raise ValueError(f"{where}: work times are adjusted by hours_per_day, hours_per_week, evening and night")
        item = fml[key]
        demand = place.demands.get(key)
        if item.type == LAT:
            raise ValueError(f"{where}: a {LAT} item describes the person; work cannot demand it")
        if item.type == ORD:
            level = _check_level(where, value, 0, item.max_level)
            if demand is None:
                raise ValueError(f"{where}: the place makes no demand on {key}, so level {level} would ask more; "
                                 "an adjustment only makes the work lighter")
            if level < demand:
                raise ValueError(f"{where}: level {level} asks more than the demand (level {demand}); "
                                 "an adjustment only makes the work lighter")
        elif item.type == COND:
            codes = _check_codes(where, value, item.codes)
            lost = sorted(set(demand or ()) - set(codes))
            if lost:
                raise ValueError(f"{where}: drops condition(s) {lost} that the workplace meets now; "
                                 "an adjustment only adds conditions")
        elif item.type == CAT:
            codes = _check_codes(where, value, item.codes)
            added = sorted(set(codes) - set(demand or ()))
            if added:
                raise ValueError(f"{where}: adds exposure(s) {added} that the work does not have now; "
                                 "an adjustment only takes exposures away")
        elif item.type == BIN:
            if value is not False:
                raise ValueError(f"{where}: the only adjustment is false (the work no longer involves it), "
                                 f"got {value!r}")


class ItemVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: str
    verdict: Verdict
    capacity: int | float | bool | list[int] | None = None
    demand: int | float | bool | list[int] | None = None
    reason: str


ConditionValue = int | float | bool | list[int] | None


class Condition(BaseModel):
    """What makes an adjusted place fit (v1.1): an adjustment the employer offers
    (``aanpassing``) or a start with fewer hours (``opbouw``); ``from`` is the work
    as posted, ``to`` the value once the condition is applied."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    kind: Literal["aanpassing", "opbouw"]
    item: str
    from_: ConditionValue = Field(alias="from")
    to: ConditionValue
    reason: str


class Earnings(BaseModel):
    """What the place earns against the former work (v1.1); ``ratio`` None when it
    cannot be computed (an unpaid place, or no former wage)."""

    model_config = ConfigDict(extra="forbid")

    ratio: float | None = None
    text: str


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placement_id: str
    rank: int
    score: float
    verdict: SuggestionVerdict
    distance_km: float
    items: list[ItemVerdict] = Field(default_factory=list)
    components: dict[str, float] = Field(default_factory=dict)
    explanation: str = ""
    # Contract v1.1.
    spoor: Literal[1, 2] = 2
    conditions: list[Condition] = Field(default_factory=list)
    earnings: Earnings | None = None


class Excluded(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placement_id: str
    score: float
    distance_km: float
    items: list[ItemVerdict]


class CandidateSuggestions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    candidate_id: str
    suggestions: list[Suggestion]
    excluded: list[Excluded] | None = None
    # How many places fit the candidate's limits (an added field, allowed by the
    # contract): with fewer than asked for, ``excluded`` holds the nearest misses.
    feasible: int | None = None
    # Where the engine put the candidate's home (an added field): a wrong home
    # would make every distance wrong, so the coach sees it with every list.
    home: ResolvedLocation | None = None


def describe_errors(exc: ValidationError) -> list[str]:
    """One line per problem: the field's path, then the reason, in plain words."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(object)"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "finite_number":
            value = err.get("input")
            # Spelled as JSON spells it, which is how the sender wrote it.
            shown = ("NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity") \
                if isinstance(value, float) else repr(value)
            msg = f"must be a finite number, got {shown}"
        # Validators name the sub-field they refuse ("IV.13: level 5 ..."); fold it into the path.
        head = _SUBFIELD.match(msg)
        if head:
            loc = head.group(1) if loc == "(object)" else f"{loc}.{head.group(1)}"
            msg = head.group(2)
        lines.append(f"{loc}: {msg}")
    return lines
