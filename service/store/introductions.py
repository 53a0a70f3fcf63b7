"""Introductions in the database: a candidate put forward to an employer's place, and the employer's view of it.

The employer reads only the pseudonymous profile stored with the introduction,
never the candidate's row; withdrawn introductions are invisible to them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.tables import IntroductionRow


def active_introduction_count(session: Session, placement_id: str) -> int:
    """How many candidates are introduced to the place and not withdrawn."""
    return session.execute(select(func.count()).select_from(IntroductionRow).where(
        IntroductionRow.placement_id == placement_id, IntroductionRow.withdrawn_at.is_(None))).scalar_one()
