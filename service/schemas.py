"""The API's bodies: contract-v1 objects plus the service's own request and response types.

Coach-facing types may carry health data (capacity, sick dates, item verdicts).
Employer-facing types are separate classes, prefixed ``Employer``, built field
by field from what an employer may see: they have no field that could hold
anything medical, and tests/service/test_employer_privacy.py walks every schema
an employer token can reach to prove it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, computed_field, model_validator

from matching.contract.ids import ID_MAX_LENGTH, conforms, id_problem
from matching.contract.models import (
    STORED,
    Candidate,
    CandidateSuggestions,
    Condition,
    EducationLevel,
    Id,
    IsoDate,
    ItemVerdict,
    Placement,
    ResolvedLocation,
    Suggestion,
)
from service import examples
from service.ids import PATH_PATTERN, PATH_RULE, from_path

# Earliest and latest dates the service accepts: date arithmetic on the timeline
# must never overflow, and anything outside is a typo.
MIN_DATE = date(1970, 1, 1)
MAX_DATE = date(2100, 12, 31)

# An id in a path: a conforming id, or the ~ form of one stored before the id rule;
# the route gets the id itself (``service.ids``).
IdPath = Annotated[
    str,
    AfterValidator(from_path),
    Path(description=PATH_RULE, json_schema_extra={"pattern": PATH_PATTERN}),
]


def _reference(value: str) -> str:
    # A reference names a record that exists: one stored before the id rule keeps
    # its id and must stay reachable, so any id it could have been stored with is
    # looked up (and refused when no such record exists); new ids are never made here.
    if conforms(value) or (0 < len(value) <= ID_MAX_LENGTH and value == value.strip()
                           and not any(unicodedata.category(ch) == "Cc" for ch in value)):
        return value
    raise ValueError(id_problem(value))


# The id of an existing record in a body (a place to give feedback on, an employer's organisation).
IdRef = Annotated[str, AfterValidator(_reference), Field(
    description="The id of an existing record as it was stored: new ids follow the id rule, "
                "a record stored before it keeps its id",
    json_schema_extra={"minLength": 1, "maxLength": ID_MAX_LENGTH})]
# A PUT body: documented as the record's schema, validated by the route with the
# record's own ids kept, so a record stored before the id rule can be replaced too.
CandidateReplacement = Annotated[dict[str, Any], WithJsonSchema({"$ref": "#/components/schemas/CandidateBody"})]
PlacementReplacement = Annotated[dict[str, Any], WithJsonSchema({"$ref": "#/components/schemas/PlacementBody"})]
# A database integer key in a path: anything larger cannot exist and must not reach the database.
DbInt = Annotated[int, Path(ge=1, le=2**31 - 1)]
ShortText = Annotated[str, Field(max_length=2000)]
LongText = Annotated[str, Field(max_length=5000)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_date(name: str, value: date | None) -> None:
    if value is not None and not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"{name}: {value.isoformat()} is outside {MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}")


# -- candidates (coach only) ----------------------------------------------------------

class CandidateBody(Candidate):
    """A contract-v1 candidate plus the dates of the sickness, which only the coach sees."""

    # One schema for reading and writing: home_resolved is marked read-only and ignored when sent.
    model_config = ConfigDict(title="Candidate", json_schema_extra={"examples": [examples.CANDIDATE]},
                              json_schema_mode_override="serialization")

    # Required here, unlike in a contract file: through the API the belastbaarheid is
    # always stated, so a limit never disappears by leaving the field out.
    capacity: dict[str, Any] = Field(description="The belastbaarheid, FML item id -> value (contract v1). Required: "
                                                 "{} states no limits; a limit is lifted by naming its item")
    sick_since: Annotated[IsoDate | None, Field(description="Eerste ziektedag (YYYY-MM-DD)")] = None
    first_year_evaluation: Annotated[
        IsoDate | None, Field(description="Datum van de eerstejaarsevaluatie (YYYY-MM-DD)")
    ] = None
    spoor2_started: Annotated[IsoDate | None, Field(description="Datum waarop spoor 2 is gestart")] = None

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        # What a GET gave may be sent back whole: the read-only fields are ignored.
        if isinstance(data, dict) and any(f in data for f in READ_ONLY_CANDIDATE_FIELDS):
            data = {k: v for k, v in data.items() if k not in READ_ONLY_CANDIDATE_FIELDS}
        return data

    @computed_field(description="Read-only: where the engine put the home (place, municipality, province), "
                                "so a wrong home is seen at once; ignored when sent back")
    @property
    def home_resolved(self) -> ResolvedLocation:
        return ResolvedLocation.of(self.home)

    @model_validator(mode="after")
    def _dates_in_order(self) -> CandidateBody:
        for name in ("sick_since", "first_year_evaluation", "spoor2_started"):
            _check_date(name, getattr(self, name))
        if self.sick_since is not None and self.sick_since > date.today():
            raise ValueError(f"sick_since: {self.sick_since.isoformat()} lies in the future")
        if self.sick_since is not None:
            for name in ("first_year_evaluation", "spoor2_started"):
                value = getattr(self, name)
                if value is not None and value < self.sick_since:
                    raise ValueError(
                        f"{name}: {value.isoformat()} is before sick_since ({self.sick_since.isoformat()})")
            outlook = self.hours_outlook
            if outlook is not None and outlook.from_ < self.sick_since:
                raise ValueError(f"hours_outlook.from: {outlook.from_.isoformat()} is before sick_since "
                                 f"({self.sick_since.isoformat()})")
        return self

    def contract(self) -> Candidate:
        """The contract-v1 part, as the library takes it (a stored home that no longer
        resolves stays unresolved rather than refused: see ``STORED``)."""
        return Candidate.model_validate(self.contract_dict(), context=STORED)

    def contract_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True, exclude=set(READ_ONLY_CANDIDATE_FIELDS))
        for name in SERVICE_CANDIDATE_FIELDS:
            data.pop(name, None)
        return data


SERVICE_CANDIDATE_FIELDS = ("sick_since", "first_year_evaluation", "spoor2_started")
READ_ONLY_CANDIDATE_FIELDS = ("home_resolved",)


class CandidateList(Closed):
    items: list[CandidateBody]
    total: int
    limit: int
    offset: int


# -- placements --------------------------------------------------------------------

class PlacementBody(Placement):
    """A contract-v1 place."""

    model_config = ConfigDict(title="Placement", json_schema_extra={"examples": [examples.PLACEMENT]})


class PlacementList(Closed):
    items: list[PlacementBody]
    total: int
    limit: int
    offset: int


class CloseRequest(Closed):
    status: Literal["closed", "filled"] = Field(
        default="closed", description="closed: no longer offered; filled: all positions taken"
    )


class PlacementAvailability(Closed):
    """For coaches: is the place still open, and how many candidates are already put forward."""

    placement_id: str
    status: str
    positions: int
    active_introductions: int
    contested: bool = Field(description="true when at least as many candidates are introduced as there are positions")


# -- suggestions feedback (coach) ----------------------------------------------------

FeedbackCode = Literal[
    "interesting", "not_relevant", "applied", "introduced", "detachering_started", "placed",
    "rejected_by_employer", "withdrawn",
]
NotRelevantWhy = Literal["werk", "reistijd", "uren", "belasting", "anders"]
# Feedback that takes a place out of the candidate's suggestions until it is undone.
HIDING_CODES = frozenset({"not_relevant", "rejected_by_employer", "withdrawn"})


class FeedbackIn(Closed):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [examples.FEEDBACK_NOT_RELEVANT, examples.FEEDBACK_INTRODUCED]},
    )

    placement_id: IdRef
    code: FeedbackCode
    why: NotRelevantWhy | None = Field(default=None, description="Required with not_relevant")
    note: ShortText = ""
    motivation: LongText | None = Field(
        default=None,
        description="Only with introduced: why this candidate fits, written for the employer (they read it)",
    )
    signal_motivations: dict[Annotated[str, Field(max_length=16)], LongText] | None = Field(
        default=None,
        description="Only with introduced: per signalled item of the place (item id as in the suggestion's "
                    "items), the coach's written motivation. Required for every signalled item; coach-only.",
    )

    @model_validator(mode="after")
    def _fields_fit_code(self) -> FeedbackIn:
        if self.code == "not_relevant" and self.why is None:
            raise ValueError("why: required with not_relevant; one of werk, reistijd, uren, belasting, anders")
        if self.code != "not_relevant" and self.why is not None:
            raise ValueError("why: only given with not_relevant")
        if self.code != "introduced":
            for name in ("motivation", "signal_motivations"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name}: only given with introduced")
        return self


class SignalMotivation(Closed):
    reason: str
    motivation: str


class IntroductionState(Closed):
    """An introduction as its coach sees it, including the motivations per signalled item."""

    id: str
    pseudonym: str
    active: bool
    motivation: str
    signal_motivations: dict[str, SignalMotivation]
    conditions: list[Condition] = Field(
        default_factory=list,
        description="The conditions agreed for an adjusted place (contract v1.1), as the engine gave them when "
                    "the candidate was introduced: kind (aanpassing or opbouw), item, from, to and the reason. "
                    "Empty for a place that fits as posted. Coach-only: the employer sees only what to change.")
    created_at: datetime
    withdrawn_at: datetime | None
    decision: Literal["interested", "rejected"] | None
    decision_note: str
    decided_at: datetime | None


class Feedback(Closed):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.FEEDBACK]})

    id: int
    placement_id: str
    code: FeedbackCode
    why: NotRelevantWhy | None
    note: str
    created_at: datetime
    created_by: str
    undone_at: datetime | None
    introduction: IntroductionState | None = None


class FeedbackList(Closed):
    items: list[Feedback]


# -- what employers see ---------------------------------------------------------------

class EmployerExperience(Closed):
    title: str
    years: float
    description: str


class EmployerEducation(Closed):
    level: EducationLevel
    field: str


class EmployerCandidateProfile(Closed):
    """Pseudonymous: no name, no id of the coach's systems, no home, no limits, no dates of sickness."""

    pseudonym: str
    experience: list[EmployerExperience]
    education: EmployerEducation
    skills: list[str]


class EmployerIntroduction(Closed):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.EMPLOYER_INTRODUCTION]})

    id: str
    placement_id: str
    placement_title: str
    introduced_at: datetime
    candidate: EmployerCandidateProfile
    motivation: str = Field(description="The coach's motivation, written for the employer")
    why_it_fits: str = Field(description="Experience, skills, education and wishes that meet the place")
    adjustments: list[str] = Field(
        default_factory=list,
        description="The adjustments of the place the coach asks for (werkplekaanpassing, a start with fewer "
                    "hours), in Dutch: what to change, never why. Empty when the place fits as posted.")
    decision: Literal["interested", "rejected"] | None
    decision_note: str
    decided_at: datetime | None


class EmployerIntroductionList(Closed):
    items: list[EmployerIntroduction]


class EmployerDecision(Closed):
    decision: Literal["interested", "rejected"]
    note: ShortText = ""


# -- timeline (coach) ----------------------------------------------------------------

class TimelineWarning(Closed):
    level: Literal["info", "warning", "urgent", "overdue"]
    code: str
    message: str


class Timeline(Closed):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.TIMELINE]})

    candidate_id: str
    on: date
    sick_since: date | None
    first_year_evaluation: date | None
    spoor2_started: date | None
    week_of_sickness: int | None
    spoor2_earliest: date | None = Field(description="Start of week 8 of sickness")
    spoor2_deadline: date | None = Field(
        description="Six weeks after the first-year evaluation, or the end of week 52 while none is recorded"
    )
    status: Literal["unknown", "too_early", "due", "started", "planned", "overdue"]
    warnings: list[TimelineWarning]


class TimelineList(Closed):
    items: list[Timeline]


# -- dossier (coach) -----------------------------------------------------------------

class DossierEvent(Closed):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.DOSSIER_EVENT]})

    id: int
    at: datetime
    kind: str
    actor: str
    actor_role: str
    summary: str
    data: dict[str, Any]


class DossierExport(Closed):
    candidate_id: str
    exported_at: datetime
    exported_by: str
    candidate: CandidateBody
    timeline: Timeline
    events: list[DossierEvent]


class ErasureReceipt(Closed):
    erased_candidate_id: str
    erased_at: datetime
    dossier: DossierExport = Field(description="The dossier as it was, for the re-integratiedossier; "
                                               "the service keeps nothing of it")


# -- administration ------------------------------------------------------------------

class OrganisationIn(Closed):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]


class Organisation(Closed):
    id: str
    name: str
    created_at: datetime


class OrganisationList(Closed):
    items: list[Organisation]


class UserIn(Closed):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Literal["admin", "coach", "employer"]
    organisation_id: IdRef | None = Field(default=None, description="Required for employer users, refused otherwise")

    @model_validator(mode="after")
    def _organisation_fits_role(self) -> UserIn:
        if self.role == "employer" and self.organisation_id is None:
            raise ValueError("organisation_id: required for an employer user")
        if self.role != "employer" and self.organisation_id is not None:
            raise ValueError("organisation_id: only employer users belong to an organisation")
        return self


class UserOut(Closed):
    id: int
    name: str
    role: str
    organisation_id: str | None
    active: bool
    created_at: datetime


class UserList(Closed):
    items: list[UserOut]


class UserUpdate(Closed):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    active: bool | None = Field(default=None, description="false: all the user's tokens stop working at once")


class IssuedToken(Closed):
    token_id: int
    user_id: int
    token: str = Field(description="Shown once; only its hash is stored")
    expires_at: datetime | None


class NewUser(Closed):
    user: UserOut
    token: IssuedToken


class TokenInfo(Closed):
    id: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenList(Closed):
    items: list[TokenInfo]


class TransferIn(Closed):
    to_user_id: int = Field(ge=1, le=2**31 - 1)


class TransferResult(Closed):
    moved: int


class Me(Closed):
    id: int
    name: str
    role: str
    organisation_id: str | None


class Health(Closed):
    status: Literal["ok", "degraded"]
    database: str
    placements_indexed: int


class ErrorResponse(Closed):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.ERROR]})

    detail: str
    problems: list[str] = Field(default_factory=list, description='One line per problem: "field.path: reason"')



# -- the nightly rematch (coach: digest and nightly list; admin: runs) ------------------

class Contention(Closed):
    """How contested a place is in the newest nightly run."""

    candidates: int = Field(description="how many candidates it is suggested to, this one included")
    others: int = Field(description="how many other candidates that is")
    positions: int
    scarce: bool = Field(description="more candidates than positions")
    text: str = Field(description='Dutch, e.g. "1 plaats; ook voorgesteld bij nog 6 andere kandidaten"')


class ContestedSuggestion(Suggestion):
    contention: Contention | None = Field(
        default=None, description="how contested the place is in the newest nightly run; absent before the first run")


class LiveSuggestions(CandidateSuggestions):
    """The contract's suggestions, each place with how contested it is in the nightly lists."""

    suggestions: list[ContestedSuggestion]
    nightly_run_id: str | None = Field(default=None, description="the nightly run the contention comes from")


class NightlyList(Closed):
    candidate_id: str
    run_id: str | None = Field(description="the committed run the list comes from; null before the first run")
    run_at: datetime | None = None
    suggestions: list[ContestedSuggestion]


class DigestRun(Closed):
    run_id: str
    run_at: datetime
    totals: dict[str, int]
    candidates: list[dict[str, Any]] = Field(
        description="per candidate with changes: new, dropped (with reason) and signals_changed places; every "
                    "new place says its spoor (1: the candidate's own employer), and new_spoor1 lists the new "
                    "spoor-1 places again on their own, so the own employer's new work stands out")


class ExceedingIntroduction(Closed):
    """An active introduction whose place now asks more than the candidate's belastbaarheid.

    Coach-only (it names the limits). Computed on every read against the place as it
    is now, so it is always current: a place changed back within the limits, closed or
    filled, an introduction withdrawn or rejected by the employer, is not listed.
    """

    candidate_id: str
    introduction_id: str
    placement_id: str
    placement_title: str
    kind: str
    organisation_id: str
    pseudonym: str = Field(description="the name the employer knows the candidate by")
    introduced_at: datetime
    items: list[ItemVerdict] = Field(
        description="the items the place now exceeds, each with the engine's Dutch reason (as in the suggestions)")
    text: str = Field(description='Dutch, one line: "Voorgesteld, maar de plaats vraagt nu meer dan de '
                                  'belastbaarheid toelaat: ..."')


class CoachDigest(Closed):
    coach: str
    since: datetime | None
    runs: list[DigestRun]
    introductions_exceeding: list[ExceedingIntroduction] = Field(
        default_factory=list,
        description="the coach's active introductions whose place the employer has since changed so that it "
                    "exceeds the candidate's belastbaarheid, with the items; computed at the moment of the "
                    "request, whatever `since` says (in the CSV: one line each, change "
                    "'voorgesteld, vraagt nu te veel', no run)")


class RematchRunOut(Closed):
    id: str
    status: str
    started_at: datetime
    committed_at: datetime | None
    partitions_total: int
    counts: dict[str, Any]
    summary: dict[str, Any]
    error: str


class RematchRunList(Closed):
    items: list[RematchRunOut]
