"""The nightly rematch: runs, their partitions, per-candidate results, digests,
candidate vectors and the run lock.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rematch_runs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("partitions_total", sa.Integer, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("heartbeat_at", TS, nullable=False),
        sa.Column("committed_at", TS, nullable=True),
    )
    op.create_index("ix_rematch_runs_status", "rematch_runs", ["status"])
    op.create_index("ix_rematch_runs_committed_at", "rematch_runs", ["committed_at"])
    op.create_table(
        "rematch_run_data",
        sa.Column("run_id", sa.String(40), sa.ForeignKey("rematch_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("versions", sa.JSON, nullable=False),
        sa.Column("exposures", sa.JSON, nullable=False),
    )
    op.create_table(
        "rematch_partitions",
        sa.Column("run_id", sa.String(40), sa.ForeignKey("rematch_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("part", sa.Integer, primary_key=True),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("finished_at", TS, nullable=False),
    )
    op.create_table(
        "rematch_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(40), sa.ForeignKey("rematch_runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("checked_run_id", sa.String(40), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("n_primary", sa.Integer, nullable=False),
        sa.Column("floor", sa.Float, nullable=True),
        sa.Column("window", sa.JSON, nullable=False),
        sa.Column("ranking", sa.JSON, nullable=False),
        sa.Column("entries", sa.JSON, nullable=False),
        sa.Column("picks", sa.JSON, nullable=True),
        sa.UniqueConstraint("run_id", "candidate_pk", name="uq_rematch_results_run_candidate"),
    )
    op.create_index("ix_rematch_results_run_id", "rematch_results", ["run_id"])
    op.create_index("ix_rematch_results_candidate_pk", "rematch_results", ["candidate_pk"])
    op.create_table(
        "rematch_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(40), sa.ForeignKey("rematch_runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_rematch_failures_run_id", "rematch_failures", ["run_id"])
    op.create_index("ix_rematch_failures_candidate_pk", "rematch_failures", ["candidate_pk"])
    op.create_table(
        "rematch_digests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(40), sa.ForeignKey("rematch_runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
    )
    op.create_index("ix_rematch_digests_coach_run", "rematch_digests", ["coach_id", "run_id"])
    op.create_index("ix_rematch_digests_candidate_pk", "rematch_digests", ["candidate_pk"])
    op.create_table(
        "rematch_candidate_vectors",
        sa.Column("candidate_pk", sa.Integer, sa.ForeignKey("candidates.pk", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "rematch_lock",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(200), nullable=True),
        sa.Column("run_id", sa.String(40), nullable=True),
        sa.Column("acquired_at", TS, nullable=True),
        sa.Column("heartbeat_at", TS, nullable=True),
    )


def downgrade() -> None:
    for table in ("rematch_lock", "rematch_candidate_vectors", "rematch_digests", "rematch_failures",
                  "rematch_results", "rematch_partitions", "rematch_run_data", "rematch_runs"):
        op.drop_table(table)
