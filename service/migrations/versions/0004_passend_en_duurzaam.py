"""Contract v1.1 (passend en duurzaam): a candidate's own employer as a column, and
the agreed conditions of an introduction to an adjusted place.

``candidates.employer_id`` mirrors the body's ``employer_id`` so the service can
find a candidate's spoor-1 places (the own employer's) without parsing every
body; it is filled here from the bodies already stored. ``introductions.conditions``
holds the conditions agreed when a candidate is introduced to an adjusted place
(an empty list for every introduction made before).

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-11
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID_LEN = 128
BATCH = 1000


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both backends (no batch copy of the table
    # every candidate's rows cascade from).
    op.add_column("candidates", sa.Column("employer_id", sa.String(ID_LEN), nullable=True))
    op.create_index("ix_candidates_employer_id", "candidates", ["employer_id"])
    # Existing introductions had no conditions: the server default fills them, on
    # SQLite and PostgreSQL alike, without rewriting the table.
    op.add_column("introductions", sa.Column("conditions", sa.JSON, nullable=False,
                                             server_default=sa.text("'[]'")))
    _fill_employer_ids()


def _fill_employer_ids() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        # Bodies are JSON text; json_extract gives NULL where the key is absent.
        bind.execute(sa.text("UPDATE candidates SET employer_id = json_extract(body, '$.employer_id') "
                             "WHERE json_type(body, '$.employer_id') = 'text'"))
        return
    if dialect == "postgresql":
        bind.execute(sa.text("UPDATE candidates SET employer_id = body::jsonb ->> 'employer_id' "
                             "WHERE jsonb_typeof(body::jsonb -> 'employer_id') = 'string'"))
        return
    # Any other backend: row by row through Python, in batches.
    candidates = sa.table("candidates", sa.column("pk", sa.Integer), sa.column("body", sa.JSON),
                          sa.column("employer_id", sa.String))
    last = 0
    while True:
        rows = bind.execute(sa.select(candidates.c.pk, candidates.c.body).where(candidates.c.pk > last)
                            .order_by(candidates.c.pk).limit(BATCH)).all()
        if not rows:
            return
        for pk, body in rows:
            data = json.loads(body) if isinstance(body, str) else body
            employer = data.get("employer_id") if isinstance(data, dict) else None
            if isinstance(employer, str):
                bind.execute(sa.update(candidates).where(candidates.c.pk == pk).values(employer_id=employer))
        last = rows[-1][0]


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later): a batch copy of
    # ``candidates`` would drop the table that every candidate's rows cascade from.
    op.drop_column("introductions", "conditions")
    op.drop_index("ix_candidates_employer_id", "candidates")
    op.drop_column("candidates", "employer_id")
