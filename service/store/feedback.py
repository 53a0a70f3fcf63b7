"""A coach's feedback on places, and the introductions it starts, as the coach sees them."""

from __future__ import annotations

from service.schemas import Feedback, IntroductionState, SignalMotivation
from service.tables import FeedbackRow, IntroductionRow


def introduction_state(intro: IntroductionRow) -> IntroductionState:
    return IntroductionState(
        id=intro.id,
        pseudonym=intro.pseudonym,
        active=intro.withdrawn_at is None,
        motivation=intro.motivation,
        signal_motivations={k: SignalMotivation(**v) for k, v in intro.signal_motivations.items()},
        created_at=intro.created_at,
        withdrawn_at=intro.withdrawn_at,
        decision=intro.decision,
        decision_note=intro.decision_note,
        decided_at=intro.decided_at,
    )


def feedback_out(row: FeedbackRow, intro: IntroductionRow | None = None) -> Feedback:
    return Feedback(
        id=row.id,
        placement_id=row.placement_id,
        code=row.code,
        why=row.why,
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by_name,
        undone_at=row.undone_at,
        introduction=introduction_state(intro) if intro is not None else None,
    )
