"""Dutch explanations rendered from the score components and the item verdicts.

Each clause is backed by a number: a clause is only said when its component
clears the threshold below, so an explanation never claims more than the score.
"""

from __future__ import annotations

from typing import Sequence

from matching.constraints.engine import TRAVEL_ITEM
from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate, ItemVerdict, Placement

# A calibrated similarity of an experience with the place from which "sluit aan"
# is a fair thing to say; below it the text match is too weak to claim.
EXPERIENCE_CLAIM = 0.4
OCCUPATION_CLAIM = 0.7
SKILLS_CLAIM = 0.5
HOURS_TOLERANCE = 2.0


def item_label(item_id: str) -> str:
    if item_id == TRAVEL_ITEM:
        return "reisafstand"
    fml = load_catalogue()
    if item_id in fml:
        return fml[item_id].name.lower()
    return item_id


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def render(
    candidate: Candidate,
    placement: Placement,
    components: dict[str, float],
    items: Sequence[ItemVerdict],
    distance_km: float,
    best_experience: tuple[str, float] | None = None,
) -> str:
    clauses: list[str] = []

    experience_fit = best_experience is not None and best_experience[1] >= EXPERIENCE_CLAIM
    if experience_fit or (best_experience is not None and components.get("occupation", 0.0) >= OCCUPATION_CLAIM):
        clauses.append(f"sluit aan bij je ervaring als {_lower_first(best_experience[0])}")
    shared = sorted({s.lower() for s in candidate.skills} & {s.lower() for s in placement.skills})
    if shared and components.get("skills", 0.0) >= SKILLS_CLAIM:
        clauses.append("vraagt " + ", ".join(shared[:3]) + ", wat je al kunt")
    if not clauses:
        clauses.append("nieuw terrein: weinig overlap met je ervaring")

    wishes = candidate.wishes
    if wishes.kinds and placement.kind in wishes.kinds:
        clauses.append(f"een {placement.kind}, zoals je wenst")
    elif wishes.kinds:
        clauses.append(f"een {placement.kind}, niet de vorm die je zoekt")
    hours = placement.hours_per_week
    if wishes.hours_per_week:
        if abs(hours - wishes.hours_per_week) <= HOURS_TOLERANCE:
            clauses.append(f"{hours:g} uur per week, zoals gewenst")
        else:
            clauses.append(f"{hours:g} uur per week (je wens: {wishes.hours_per_week:g})")
    if components.get("education", 1.0) < 1.0 and placement.education_level:
        clauses.append(f"vraagt opleiding op niveau {placement.education_level}")
    clauses.append(f"reisafstand ongeveer {distance_km:.0f} km")

    flagged = [it for it in items if it.verdict == "signal"]
    if flagged:
        names = []
        for it in flagged:
            label = item_label(it.item)
            if label not in names:
                names.append(label)
        clauses.append("binnen de belastbaarheid, let op: " + ", ".join(names))
    else:
        clauses.append("binnen de belastbaarheid")

    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."
