"""The first tables: organisations, users, tokens, candidates, placements,
feedback, introductions and the dossier.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation_id", sa.String(128), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "candidates",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("sick_since", sa.Date, nullable=True),
        sa.Column("first_year_evaluation", sa.Date, nullable=True),
        sa.Column("spoor2_started", sa.Date, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("coach_id", "id", name="uq_candidates_coach_id"),
    )
    op.create_index("ix_candidates_coach_id", "candidates", ["coach_id"])
    op.create_table(
        "placements",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("organisation_id", sa.String(128), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
    )
    op.create_index("ix_placements_organisation_id", "placements", ["organisation_id"])
    op.create_index("ix_placements_status", "placements", ["status"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("placement_id", sa.String(128), sa.ForeignKey("placements.id"), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("why", sa.String(16), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_by_name", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("undone_at", TS, nullable=True),
    )
    op.create_index("ix_feedback_candidate_placement", "feedback", ["candidate_pk", "placement_id"])
    op.create_table(
        "introductions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("placement_id", sa.String(128), sa.ForeignKey("placements.id"), nullable=False),
        sa.Column("organisation_id", sa.String(128), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("feedback_id", sa.Integer, sa.ForeignKey("feedback.id", ondelete="CASCADE"), nullable=False),
        sa.Column("pseudonym", sa.String(40), nullable=False),
        sa.Column("motivation", sa.Text, nullable=False),
        sa.Column("signal_motivations", sa.JSON, nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("withdrawn_at", TS, nullable=True),
        sa.Column("withdrawn_by_feedback", sa.Integer, nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("decision_note", sa.Text, nullable=False),
        sa.Column("decided_at", TS, nullable=True),
    )
    op.create_index("ix_introductions_candidate_pk", "introductions", ["candidate_pk"])
    op.create_index("ix_introductions_placement_id", "introductions", ["placement_id"])
    op.create_index("ix_introductions_organisation_id", "introductions", ["organisation_id"])
    op.create_table(
        "dossier_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_dossier_events_candidate_at", "dossier_events", ["candidate_pk", "id"])


def downgrade() -> None:
    for table in ("dossier_events", "introductions", "feedback", "placements", "candidates", "tokens", "users",
                  "organisations"):
        op.drop_table(table)
