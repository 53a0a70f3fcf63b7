"""Typed data at the edges: the contract-v1 JSON of candidates, places and suggestions.

Every object that crosses a file, the API or the Python API is one of these. Bad
input is refused with a message that names the field and the reason; unknown
fields and wrong types are refused too (the contract says so).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from matching.reference.fml import BIN, CAT, COND, LAT, ORD, WORK_TIME_ITEMS, load_catalogue
from matching.reference.geo import load_gazetteer, parse_postcode

EDUCATION_LEVELS = (
    "basisonderwijs", "vmbo", "mbo-1", "mbo-2", "mbo-3", "mbo-4", "havo", "vwo", "hbo", "wo",
)
# A rough ordering for "is the education enough": havo/vwo sit between mbo-3 and
# mbo-4/hbo in what employers usually accept.
EDUCATION_RANK = {
    "basisonderwijs": 0, "vmbo": 1, "mbo-1": 1, "mbo-2": 2, "mbo-3": 3, "havo": 3,
    "mbo-4": 4, "vwo": 4, "hbo": 5, "wo": 6,
}
_SUBFIELD = re.compile(r"^([A-Za-z]+\.\d+|[A-Za-z_]\w*): (.*)$", re.S)
PLACEMENT_KINDS = ("vacature", "detachering", "werkervaringsplek")
PLACEMENT_STATUSES = ("open", "closed", "filled")

EducationLevel = Literal[
    "basisonderwijs", "vmbo", "mbo-1", "mbo-2", "mbo-3", "mbo-4", "havo", "vwo", "hbo", "wo"
]
PlacementKind = Literal["vacature", "detachering", "werkervaringsplek"]
PlacementStatus = Literal["open", "closed", "filled"]
Verdict = Literal["pass", "signal", "exceed"]
Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")]
Text = Annotated[str, Field(max_length=20_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Location(Strict):
    """One of: a postcode (PC4 counts), a place name, or coordinates."""

    postcode: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    _coords: tuple[float, float] = PrivateAttr(default=(math.nan, math.nan))

    @model_validator(mode="after")
    def _resolve(self) -> "Location":
        given = [k for k in ("postcode", "place") if getattr(self, k) is not None]
        has_coords = self.lat is not None or self.lon is not None
        if len(given) + has_coords != 1:
            raise ValueError("give exactly one of postcode, place, or lat and lon")
        gaz = load_gazetteer()
        if self.postcode is not None:
            if parse_postcode(self.postcode) is None:
                raise ValueError(f"postcode: {self.postcode!r} is not a Dutch postcode (four digits, optional two letters)")
            coords = gaz.postcode(self.postcode)
            if coords is None:
                raise ValueError(f"postcode: unknown postcode {self.postcode!r}")
        elif self.place is not None:
            coords = gaz.place(self.place)
            if coords is None:
                raise ValueError(f"place: unknown place {self.place!r}")
        else:
            if self.lat is None or self.lon is None:
                raise ValueError("lat: lat and lon go together")
            # The Netherlands with a margin: anything outside is a typo or swapped axes.
            if not (50.0 <= self.lat <= 54.0 and 2.5 <= self.lon <= 7.5):
                raise ValueError(f"lat: {self.lat}, lon {self.lon} is not in the Netherlands")
            coords = (self.lat, self.lon)
        self._coords = coords
        return self

    @property
    def coords(self) -> tuple[float, float]:
        return self._coords


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
        return self

    @property
    def available(self) -> bool:
        return self.status == "open" and self.positions > 0


class ItemVerdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: str
    verdict: Verdict
    capacity: int | float | bool | list[int] | None = None
    demand: int | float | bool | list[int] | None = None
    reason: str


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placement_id: str
    rank: int
    score: float
    verdict: Literal["pass", "signal"]
    distance_km: float
    items: list[ItemVerdict] = Field(default_factory=list)
    components: dict[str, float] = Field(default_factory=dict)
    explanation: str = ""


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
        # Validators name the sub-field they refuse ("IV.13: level 5 ..."); fold it into the path.
        head = _SUBFIELD.match(msg)
        if head:
            loc = head.group(1) if loc == "(object)" else f"{loc}.{head.group(1)}"
            msg = head.group(2)
        lines.append(f"{loc}: {msg}")
    return lines
