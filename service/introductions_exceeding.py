"""Introductions whose place now asks more than the candidate's belastbaarheid.

A coach introduces a candidate to a place that fits; the employer may change the
place afterwards (PUT, PATCH, the place form) so that it demands more than the
candidate can do. The coach must hear of it. Two parts:

- :func:`exceeding_introductions` checks, on every read, each of the coach's
  standing introductions against the place as it is now, with the engine's own
  check (the one an introduction is refused by), so the answer is always current:
  a place changed back within the limits stops being listed at once.
- :func:`record_place_change` writes a dossier event for every candidate whose
  standing introduction the employer's change made exceed (or brought back within
  the limits), so the re-integratiedossier keeps the history. It is best effort:
  the employer's change is committed whatever happens here.

A standing introduction is one not withdrawn and not rejected by the employer, to
a place that is open. Only the coach sees any of this: the employer's answers do
not change.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matching.constraints.engine import STATUS_ITEM
from matching.contract.models import STORED, ItemVerdict, Placement
from matching.ranking.explanation import item_label
from service.auth import Principal
from service.engine import Engine, PairCheck
from service.schemas import ExceedingIntroduction
from service.store.candidates import candidate_body
from service.store.dossier_log import record_event
from service.store.placements import placement_of
from service.tables import CandidateRow, IntroductionRow, PlacementRow

log = logging.getLogger(__name__)

HEADLINE = "Voorgesteld, maar de plaats vraagt nu meer dan de belastbaarheid toelaat"
EVENT_EXCEEDS = "introduction_exceeds"
EVENT_WITHIN = "introduction_within_limits"


def _standing():
    """Introductions the coach still counts on: not withdrawn, not rejected by the employer."""
    return [IntroductionRow.withdrawn_at.is_(None),
            or_(IntroductionRow.decision.is_(None), IntroductionRow.decision != "rejected")]


def exceeded_items(check: PairCheck) -> list[ItemVerdict]:
    """The items of a pair that exceed the belastbaarheid; the place's availability is not one."""
    return [it for it in check.exceeded if it.item != STATUS_ITEM]


def headline(items: list[ItemVerdict]) -> str:
    return f"{HEADLINE}: " + "; ".join(it.reason for it in items)


def exceeding_introductions(session: Session, engine: Engine, coach: Principal,
                            candidate_pk: int | None = None) -> list[ExceedingIntroduction]:
    """The coach's standing introductions to open places that now exceed, oldest first;
    only one candidate's if ``candidate_pk`` is given."""
    query = (select(IntroductionRow, CandidateRow, PlacementRow)
             .join(CandidateRow, CandidateRow.pk == IntroductionRow.candidate_pk)
             .join(PlacementRow, PlacementRow.id == IntroductionRow.placement_id)
             .where(CandidateRow.coach_id == coach.user_id, PlacementRow.status == "open", *_standing())
             .order_by(IntroductionRow.created_at, IntroductionRow.id))
    if candidate_pk is not None:
        query = query.where(CandidateRow.pk == candidate_pk)
    per_candidate: dict[int, list[tuple[IntroductionRow, PlacementRow]]] = defaultdict(list)
    candidates: dict[int, CandidateRow] = {}
    for intro, cand, place in session.execute(query).all():
        per_candidate[cand.pk].append((intro, place))
        candidates[cand.pk] = cand
    out = []
    for pk, pairs in per_candidate.items():
        cand = candidates[pk]
        try:
            candidate = candidate_body(cand).contract()
            placements = [placement_of(place) for _, place in pairs]
            checks = engine.check_many(candidate, placements)
        except Exception:
            # One unreadable record must not hide every other candidate's warnings.
            log.exception("could not check the introductions of candidate %s", cand.id)
            continue
        for (intro, _), placement, check in zip(pairs, placements, checks):
            items = exceeded_items(check)
            if items:
                out.append(ExceedingIntroduction(
                    candidate_id=cand.id, introduction_id=intro.id, placement_id=placement.id,
                    placement_title=placement.title, kind=placement.kind, organisation_id=intro.organisation_id,
                    pseudonym=intro.pseudonym, introduced_at=intro.created_at, items=items, text=headline(items)))
    out.sort(key=lambda x: (x.candidate_id, x.introduced_at, x.introduction_id))
    return out


def record_place_change(session: Session, engine: Engine, employer: Principal, before: dict[str, Any],
                        after: Placement) -> None:
    """Dossier events for the standing introductions to the place that the change made exceed,
    or brought back within the limits. ``before``: the place's stored body before the change.

    Never raises: in a savepoint, so a failure here leaves the employer's change intact
    (the coach still sees the flag, which is computed on read).
    """
    try:
        with session.begin_nested():
            _record(session, engine, employer, before, after)
    except Exception:
        log.exception("could not record what the change of place %s means for its introductions", after.id)


def _record(session: Session, engine: Engine, employer: Principal, before: dict[str, Any],
            after: Placement) -> None:
    rows = session.execute(
        select(IntroductionRow, CandidateRow).join(CandidateRow, CandidateRow.pk == IntroductionRow.candidate_pk)
        .where(IntroductionRow.placement_id == after.id, *_standing())).all()
    if not rows:
        return
    old = Placement.model_validate(before, context=STORED)
    for intro, cand in rows:
        candidate = candidate_body(cand).contract()
        # A place that was not open was not flagged, and one that is not open now is not.
        was_check, now_check = engine.check_many(candidate, [old, after])
        was = exceeded_items(was_check) if old.status == "open" else []
        now = exceeded_items(now_check) if after.status == "open" else []
        data = {"introduction_id": intro.id, "placement_id": after.id, "organisation_id": intro.organisation_id,
                "items": [it.model_dump(mode="json") for it in now],
                "previously_exceeded": [it.item for it in was]}
        if {it.item for it in now} - {it.item for it in was}:
            record_event(session, cand.pk, employer, EVENT_EXCEEDS,
                         f"{intro.organisation_id} wijzigde {after.title} ({after.id}): {_labels(now)} "
                         "nu boven de belastbaarheid", data)
        elif was and not now and after.status == "open":
            record_event(session, cand.pk, employer, EVENT_WITHIN,
                         f"{intro.organisation_id} wijzigde {after.title} ({after.id}): past weer binnen "
                         "de belastbaarheid", data)


def _labels(items: list[ItemVerdict]) -> str:
    labels = list(dict.fromkeys(item_label(it.item) for it in items))
    return ", ".join(labels)
