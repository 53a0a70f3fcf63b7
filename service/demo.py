"""Demo data for `spoormatch serve` on an empty database.

Generated places from the library's generator and the places of the stories' own
employers (one organisation per employer id), the five story candidates of one
demo coach with sickness dates and build-up prognosis relative to today, three
users with fresh random tokens and web passwords, and one introduction so the
employer's view has something to show. The tokens are written, never printed, to
``<state_dir>/demo-tokens.env`` (mode 600), with the web logins: they are real secrets, not fixed
strings, so a demo left running is not open to anyone who read the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from matching.demo import STORY_EMPLOYERS, as_of, demo_placements
from matching.contract.io import read_jsonl
from matching.contract.models import Candidate, Placement
from matching.private import write_private_text
from matching.settings import Settings
from service import events, store
from service.auth import Principal, issue_token
from service.context import AppContext
from service.db import Database
from service.passwords import new_password
from service.routes.feedback import introduce
from service.schemas import CandidateBody, FeedbackIn
from service.tables import CandidateRow, FeedbackRow, Organisation, PlacementRow, User, utcnow

DEMO_SEED = 7
DEMO_COACH = "Coach Demo"
# Weeks since the first day of sickness, and (weeks after that) the first-year
# evaluation and the start of spoor 2, per story: a spread of timeline states.
STORY_DATES = {
    "c-story-1": (60, 50, 53),
    "c-story-2": (56, 52, None),
    "c-story-3": (20, None, None),
    "c-story-4": (40, None, 30),
    "c-story-5": (30, None, None),
}


@dataclass
class DemoTokens:
    """The demo users' API tokens and web logins (username, password), all random."""

    admin: str
    coach: str
    employer: str = ""
    organisation_id: str = ""
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def env_lines(self) -> str:
        lines = (f"ADMIN_TOKEN={self.admin}\nCOACH_TOKEN={self.coach}\nEMPLOYER_TOKEN={self.employer}\n"
                 f"EMPLOYER_ORG={self.organisation_id}\n")
        for role in ("coach", "employer", "admin"):
            if role in self.logins:
                username, password = self.logins[role]
                lines += f"{role.upper()}_USERNAME={username}\n{role.upper()}_PASSWORD={password}\n"
        return lines


def is_empty(db: Database) -> bool:
    with db.read() as session:
        users = session.execute(select(func.count()).select_from(User)).scalar_one()
        places = session.execute(select(func.count()).select_from(PlacementRow)).scalar_one()
    return users == 0 and places == 0


DEMO_USERNAMES = {"admin": "beheerder", "coach": "coach", "employer": "werkgever"}


def _user(session, name: str, role: str, organisation_id: str | None, ttl_days: int,
          logins: dict[str, tuple[str, str]]) -> tuple[User, str]:
    """A demo user with an API token and a web login with a random password."""
    user = User(name=name, role=role, organisation_id=organisation_id, active=True, created_at=utcnow())
    session.add(user)
    session.flush()
    _, plain = issue_token(session, user, ttl_days)
    password = new_password()
    store.set_login(session, user, DEMO_USERNAMES[role], password)
    logins[role] = (DEMO_USERNAMES[role], password)
    return user, plain


def _story_body(candidate: Candidate, today: date) -> CandidateBody:
    data = candidate.model_dump(mode="json", exclude_none=True)
    weeks = STORY_DATES.get(candidate.id)
    if weeks is not None:
        sick_weeks, fye_week, spoor2_week = weeks
        sick_since = today - timedelta(weeks=sick_weeks)
        data["sick_since"] = sick_since.isoformat()
        if fye_week is not None:
            data["first_year_evaluation"] = (sick_since + timedelta(weeks=fye_week)).isoformat()
        if spoor2_week is not None:
            data["spoor2_started"] = (sick_since + timedelta(weeks=spoor2_week)).isoformat()
    return CandidateBody.model_validate(data)


def seed(db: Database, settings: Settings, n_placements: int) -> DemoTokens:
    """Places, organisations, the admin, the coach and the stories; one transaction,
    so a failure leaves the database empty. The employer comes in :func:`finish`."""
    # The stories' own employers post their spoor-1 places beside the generated ones.
    placements = [Placement.model_validate(p) for p in demo_placements(n_placements, seed=DEMO_SEED)]
    today = date.today()
    stories = [as_of(s, today) for s in read_jsonl(settings.data_dir / "demo" / "candidates.jsonl", Candidate)]
    organisations = sorted({p.employer_id for p in placements})
    with db.write() as tx:
        now = utcnow()
        for org in organisations:
            tx.add(Organisation(id=org, name=STORY_EMPLOYERS.get(org, f"Demowerkgever {org}"), created_at=now))
        tx.flush()
        for p in placements:
            tx.add(PlacementRow(id=p.id, organisation_id=p.employer_id, body=store.placement_json(p), kind=p.kind,
                                status=p.status, created_at=now, updated_at=now,
                                closed_at=None if p.status == "open" else now))
        logins: dict[str, tuple[str, str]] = {}
        _, admin = _user(tx.session, "Beheerder Demo", "admin", None, settings.token_ttl_days, logins)
        coach_user, coach = _user(tx.session, DEMO_COACH, "coach", None, settings.token_ttl_days, logins)
        actor = Principal(coach_user.id, coach_user.name, "coach", None)
        for story in stories:
            body = _story_body(story, today)
            row = CandidateRow(id=body.id, coach_id=coach_user.id, created_at=now, updated_at=now)
            store.set_candidate_body(row, body)
            tx.add(row)
            tx.flush()
            store.record_event(tx, row.pk, actor, "candidate_created", "Kandidaat aangemaakt (demo)",
                               {"capacity": body.capacity})
    return DemoTokens(admin=admin, coach=coach, logins=logins)


def finish(ctx: AppContext, tokens: DemoTokens) -> None:
    """The demo employer: the organisation of a place that suits a story candidate,
    with that candidate introduced to it, so the employer's view has something to show."""
    with ctx.db.read() as session:
        coach_user = session.execute(select(User).where(User.role == "coach", User.name == DEMO_COACH)).scalar_one()
        rows = session.execute(select(CandidateRow).where(CandidateRow.coach_id == coach_user.id)
                               .order_by(CandidateRow.id.desc())).scalars().all()
    coach = Principal(coach_user.id, coach_user.name, "coach", None)
    pick = None
    for row in rows:  # story 5 first: the reception desk
        result = ctx.engine.suggest(store.candidate_body(row).contract(), top=1)
        if result.suggestions:
            pick = (row, result.suggestions[0])
            break
    with ctx.db.write() as tx:
        if pick is None:
            org = tx.execute(select(Organisation.id).order_by(Organisation.id)).scalars().first() or ""
        else:
            org = tx.get(PlacementRow, pick[1].placement_id).organisation_id
        if org:
            _, tokens.employer = _user(tx.session, f"Werkgever Demo ({org})", "employer", org,
                                       ctx.settings.token_ttl_days, tokens.logins)
            tokens.organisation_id = org
        if pick is None:
            return
        row, hit = pick
        body = FeedbackIn(
            placement_id=hit.placement_id, code="introduced",
            motivation="Demo: ervaring en wensen sluiten aan bij deze plek; kennismaking voorgesteld.",
            signal_motivations={it.item: f"Demo: {it.reason}; besproken met de kandidaat." for it in hit.items},
        )
        cand = store.candidate_row(tx.session, coach, row.id)
        place = tx.get(PlacementRow, hit.placement_id)
        fb = FeedbackRow(candidate_pk=cand.pk, placement_id=hit.placement_id, code="introduced", note="demo",
                         created_by=coach.user_id, created_by_name=coach.name, created_at=utcnow())
        tx.add(fb)
        tx.flush()
        # The route's own rules: motivations per signalled item, employer-safe profile.
        introduce(ctx, tx, coach, cand, body, place, fb)
        store.record_event(tx, cand.pk, coach, "feedback",
                           f"Terugkoppeling op {hit.placement_id}: {events.CODE_LABELS['introduced']}",
                           {"feedback_id": fb.id, "placement_id": hit.placement_id, "code": "introduced",
                       "why": None, "note": "demo"})


def write_tokens(state_dir: Path, tokens: DemoTokens) -> Path:
    # Replaced, not rewritten in place: a file left by an older version keeps no wider mode.
    return write_private_text(state_dir / "demo-tokens.env", tokens.env_lines())
