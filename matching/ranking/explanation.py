"""Dutch explanations rendered from the score components and the item verdicts.

Each clause is backed by a number: a clause is only said when its component
clears the threshold below, so an explanation never claims more than the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from matching.constraints.engine import TRAVEL_ITEM
from matching.reference.fml import load_catalogue
from matching.contract.models import Candidate, Condition, Earnings, ItemVerdict, Placement

# A calibrated similarity of an experience with the place from which "sluit aan"
# is a fair thing to say; below it the text match is too weak to claim.
EXPERIENCE_CLAIM = 0.4
# A transfer score from which the experience can fairly be said to carry over.
TRANSFER_CLAIM = 0.5
# A calibrated fit of the wish text from which "past bij wat je zoekt" is fair.
WISH_CLAIM = 0.5
SKILLS_CLAIM = 0.5
HOURS_TOLERANCE = 2.0


def item_label(item_id: str) -> str:
    if item_id == TRAVEL_ITEM:
        return "reisafstand"
    fml = load_catalogue()
    if item_id in fml:
        return fml[item_id].name.lower()
    return item_id


def _hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


@dataclass
class Reasons:
    """What the ranker found for one place, in the words the explanation needs."""

    experience: tuple[str, float, float] | None = None  # best experience: title, text fit, transfer
    shared_skills: list[str] = field(default_factory=list)  # ESCO skills both occupations need
    own_skills: list[str] = field(default_factory=list)  # the candidate's own skills the work needs
    wish: float | None = None  # how well the wish text fits (calibrated)
    central: list[str] = field(default_factory=list)  # limited or unwanted aspects at the core of the work


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _transfer_clause(reasons: Reasons, components: dict[str, float]) -> str | None:
    if reasons.experience is None:
        return None
    title, text_fit, transfer = reasons.experience
    title = _lower_first(title)
    if reasons.shared_skills:
        # Facts from ESCO, so said whatever the score: this is what carries over.
        return f"je ervaring als {title} vraagt {_and(reasons.shared_skills)}, die dit werk ook vraagt"
    if text_fit >= EXPERIENCE_CLAIM or max(transfer, components.get("occupation", 0.0)) >= TRANSFER_CLAIM:
        return f"sluit aan bij je ervaring als {title}"
    return None


def render(
    candidate: Candidate,
    placement: Placement,
    components: dict[str, float],
    items: Sequence[ItemVerdict],
    distance_km: float,
    reasons: Reasons | None = None,
    conditions: Sequence[Condition] = (),
    earnings: Earnings | None = None,
) -> str:
    reasons = reasons or Reasons()
    clauses: list[str] = []
    if candidate.employer_id and placement.employer_id == candidate.employer_id:
        clauses.append("werk bij de eigen werkgever (spoor 1)")

    transfer = _transfer_clause(reasons, components)
    if transfer:
        clauses.append(transfer)
    shared = sorted({s.lower() for s in candidate.skills} & {s.lower() for s in placement.skills})
    if shared and components.get("skills", 0.0) >= SKILLS_CLAIM:
        clauses.append("vraagt " + _and(shared[:3]) + ", wat je al kunt")
    elif reasons.own_skills:
        clauses.append("vraagt " + _and(reasons.own_skills) + ", wat je al kunt")
    if not clauses:
        clauses.append("nieuw terrein: weinig overlap met je ervaring")
    if reasons.wish is not None and reasons.wish >= WISH_CLAIM:
        clauses.append("past bij wat je zoekt")

    wishes = candidate.wishes
    if wishes.kinds and placement.kind in wishes.kinds:
        clauses.append(f"een {placement.kind}, zoals je wenst")
    elif wishes.kinds:
        clauses.append(f"een {placement.kind}, niet de vorm die je zoekt")
    hours = placement.hours_per_week
    if wishes.hours_per_week:
        if abs(hours - wishes.hours_per_week) <= HOURS_TOLERANCE:
            clauses.append(f"{_hours(hours)} uur per week, zoals gewenst")
        else:
            clauses.append(f"{_hours(hours)} uur per week (je wens: {_hours(wishes.hours_per_week)})")
    if components.get("education", 1.0) < 1.0 and placement.education_level:
        clauses.append(f"vraagt opleiding op niveau {placement.education_level}")
    clauses.append(f"reisafstand ongeveer {distance_km:.0f} km")
    if earnings is not None:
        clauses.append(earnings.text)

    if reasons.central:
        why = "toch genoemd omdat je ervaring aansluit" if transfer else "bespreek eerst of dat kan"
        clauses.append(f"let op: {_and(reasons.central)} hoort bij de kern van dit werk, {why}")
    clauses.extend(_lower_first(c.reason) for c in conditions)
    within = "binnen de belastbaarheid"
    if conditions:
        kinds = {c.kind for c in conditions}
        within += " met deze opbouw" if kinds == {"opbouw"} else \
            " met deze aanpassing" if len(conditions) == 1 else " met deze aanpassingen"
    flagged = [it for it in items if it.verdict == "signal"]
    if flagged:
        names = []
        for it in flagged:
            label = item_label(it.item)
            if label not in names:
                names.append(label)
        clauses.append(within + ", let op: " + ", ".join(names))
    else:
        clauses.append(within)

    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."
