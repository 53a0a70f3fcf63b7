"""The service's tables (SQLAlchemy ORM). Migrations in ``service/migrations`` create them.

Contract objects are stored whole as JSON (``body``): the contract may gain
fields without a migration. Columns hold only what the service filters or joins
on. Everything that belongs to one candidate hangs off ``candidates.pk`` with
``ON DELETE CASCADE``, so erasing the candidate row erases all of it.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    LargeBinary,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LEN = 128


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timestamps in UTC, timezone-aware on the way out on every backend.

    SQLite has no timezone type and hands back naive values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    """An employer organisation (Kans Creator); its id is the contract's employer_id."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    # The web app's login; systems keep using bearer tokens. A user without a
    # password cannot log in to the web app until an admin sets one.
    username: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | coach | employer
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Token(Base):
    """A bearer token, stored only as its SHA-256: a database leak yields no usable token."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A browser session of the web app, stored only as the SHA-256 of its cookie
    value; logging out or an admin's password reset deletes it."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class CandidateRow(Base):
    """A candidate of one coach. ``id`` is the coach's own id, unique per coach only,
    so one coach's ids reveal nothing about another's."""

    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("coach_id", "id", name="uq_candidates_coach_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(ID_LEN))
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[dict] = mapped_column(JSON)
    sick_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    first_year_evaluation: Mapped[date | None] = mapped_column(Date, nullable=True)
    spoor2_started: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The body's employer_id (contract v1.1), kept in step by store.set_candidate_body:
    # the own employer's places are the candidate's spoor-1 places.
    employer_id: Mapped[str | None] = mapped_column(String(ID_LEN), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlacementRow(Base):
    """A place. Ids are global: every coach sees every open place by its id."""

    __tablename__ = "placements"

    id: Mapped[str] = mapped_column(String(ID_LEN), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    body: Mapped[dict] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class FeedbackRow(Base):
    """A coach's (or employer's) verdict on a candidate-place pair. Undo marks it, never deletes."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_candidate_placement", "candidate_pk", "placement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"))
    placement_id: Mapped[str] = mapped_column(ForeignKey("placements.id"))
    code: Mapped[str] = mapped_column(String(32))
    why: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IntroductionRow(Base):
    """A candidate put forward to an employer's place, with the coach's motivations.

    ``profile`` is the employer-safe snapshot shown to the employer: what was
    introduced, not what the candidate record says later.
    """

    __tablename__ = "introductions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"), index=True)
    placement_id: Mapped[str] = mapped_column(ForeignKey("placements.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    pseudonym: Mapped[str] = mapped_column(String(40))
    motivation: Mapped[str] = mapped_column(Text, default="")
    # item id -> {"reason": the engine's reason, "motivation": the coach's text}; coach-only.
    signal_motivations: Mapped[dict] = mapped_column(JSON)
    # The conditions agreed for an adjusted place (contract v1.1: kind, item, from,
    # to, reason); coach-only, the employer's profile holds only what to change.
    conditions: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    profile: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdrawn_by_feedback: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DossierEventRow(Base):
    """One line of the re-integratiedossier. Rows are only ever inserted (and erased whole)."""

    __tablename__ = "dossier_events"
    __table_args__ = (Index("ix_dossier_events_candidate_at", "candidate_pk", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # Kept as text so the dossier still says who did it after the user is removed.
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)


# -- the nightly rematch (service/rematch/) ------------------------------------------


class RematchRun(Base):
    """One run of `spoormatch rematch`. Its results are served once ``status`` is
    ``committed``; until then the previous committed run's are. No candidate data."""

    __tablename__ = "rematch_runs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running | failed | committed | abandoned
    fingerprint: Mapped[str] = mapped_column(String(64))  # places + settings; a resume needs the same
    params: Mapped[dict] = mapped_column(JSON)
    partitions_total: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict] = mapped_column(JSON)
    summary: Mapped[dict] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)


class RematchRunData(Base):
    """The bulky part of a run: its places' versions (to diff the next run against)
    and how many lists each place is on (for "nog 6 andere kandidaten")."""

    __tablename__ = "rematch_run_data"

    run_id: Mapped[str] = mapped_column(ForeignKey("rematch_runs.id", ondelete="CASCADE"), primary_key=True)
    versions: Mapped[dict] = mapped_column(JSON)
    exposures: Mapped[dict] = mapped_column(JSON)


class RematchPartition(Base):
    """A finished partition of a run, written in the same transaction as its results."""

    __tablename__ = "rematch_partitions"

    run_id: Mapped[str] = mapped_column(ForeignKey("rematch_runs.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    counts: Mapped[dict] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RematchResult(Base):
    """A candidate's pool (their ranked places plus the reserve) as computed by
    ``run_id``, and the places served from it (``picks``). A candidate's served
    list is their newest row of a committed run; a pool that nothing changed is
    not written again, only ``checked_run_id`` moves on."""

    __tablename__ = "rematch_results"
    __table_args__ = (UniqueConstraint("run_id", "candidate_pk", name="uq_rematch_results_run_candidate"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("rematch_runs.id", ondelete="CASCADE"), index=True)
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"), index=True)
    checked_run_id: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    n_primary: Mapped[int] = mapped_column(Integer)
    floor: Mapped[float | None] = mapped_column(Float, nullable=True)
    window: Mapped[list] = mapped_column(JSON)
    ranking: Mapped[list] = mapped_column(JSON)  # [[placement id, score], ...], pool order
    entries: Mapped[list] = mapped_column(JSON)  # contract Suggestions, pool order
    picks: Mapped[list | None] = mapped_column(JSON, nullable=True)  # served placement ids, set at commit


class RematchFailure(Base):
    """A candidate a run skipped, and why (the log has the details)."""

    __tablename__ = "rematch_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("rematch_runs.id", ondelete="CASCADE"), index=True)
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)


class RematchDigest(Base):
    """What changed for one candidate in one committed run."""

    __tablename__ = "rematch_digests"
    __table_args__ = (Index("ix_rematch_digests_coach_run", "coach_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("rematch_runs.id", ondelete="CASCADE"))
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    changes: Mapped[dict] = mapped_column(JSON)


class CandidateVectorRow(Base):
    """A candidate's text embeddings, so an unchanged candidate is not embedded again."""

    __tablename__ = "rematch_candidate_vectors"

    candidate_pk: Mapped[int] = mapped_column(ForeignKey("candidates.pk", ondelete="CASCADE"), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    dim: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RematchLock(Base):
    """At most one rematch at a time, across processes and machines."""

    __tablename__ = "rematch_lock"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    run_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


# Tables that hold something of a candidate: erasure must leave none of their rows.
CANDIDATE_TABLES = ("rematch_digests", "rematch_results", "rematch_failures", "rematch_candidate_vectors",
                    "dossier_events", "introductions", "feedback", "candidates")
