"""Dutch reasons for one candidate-place pair, read from an Evaluation row.

Each item verdict gets a reason a coach can read aloud; an adjusted item gets
the condition that makes it fit (contract v1.1), said as the employer would
have to do it.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Sequence

from matching.constraints.earnings import EARNINGS_ITEM, earnings_reason, ratio
from matching.constraints.engine import ADJUST, EXCEED, SIGNAL, STATUS_ITEM, TRAVEL_ITEM, VERDICT_NAMES, Evaluation
from matching.constraints.table import weekly_wage
from matching.contract.models import Candidate, Condition, ItemVerdict, Placement
from matching.reference.fml import (
    BIN,
    CAT,
    COND,
    EVENING_CODE,
    EVENING_NIGHT_ITEM,
    HOURS_PER_DAY_BY_LEVEL,
    HOURS_PER_DAY_ITEM,
    HOURS_PER_WEEK_BY_LEVEL,
    HOURS_PER_WEEK_ITEM,
    NIGHT_CODE,
    ORD,
    FmlCatalogue,
    load_catalogue,
)

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def dutch_date(d: date) -> str:
    """A date as a Dutch reader writes it: "1 maart 2027"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _fmt_hours(value: float) -> str:
    """Hours as a Dutch reader writes them: "19,5", "24"."""
    return f"{value:g}".replace(".", ",")


def _code_texts(fml: FmlCatalogue, item_id: str, codes: Sequence[int]) -> str:
    item = fml[item_id]
    return "; ".join(item.phrase(c) for c in codes)


def item_reason(
    item_id: str,
    verdict: int,
    candidate: Candidate,
    placement: Placement,
    distance_km: float,
    max_travel_km: float,
    fml: FmlCatalogue | None = None,
) -> ItemVerdict:
    """The item's verdict with its capacity, demand and a reason a coach can read aloud."""
    fml = fml or load_catalogue()
    name = VERDICT_NAMES[verdict]
    cap = candidate.capacity.get(item_id)

    if item_id == EARNINGS_ITEM:
        former = candidate.former_work.weekly_wage if candidate.former_work is not None else None
        value = ratio(weekly_wage(placement), former if former is not None else float("nan"))
        reason = earnings_reason(value) if verdict == SIGNAL and value is not None else \
            "Loon: minstens 65% van het oude loon, of onbetaald"
        return ItemVerdict(item=item_id, verdict=name, capacity=0.65, demand=value, reason=reason)

    if item_id == TRAVEL_ITEM:
        km = round(float(distance_km), 1)
        if not math.isfinite(km):
            return ItemVerdict(item=item_id, verdict=name, capacity=max_travel_km, demand=None,
                               reason="Reisafstand onbekend: de woonplaats of werkplek is niet eenduidig")
        if verdict == EXCEED:
            reason = f"Reisafstand: ongeveer {km:.0f} km, meer dan het maximum van {max_travel_km:g} km"
        elif verdict == SIGNAL:
            reason = f"Reisafstand: ongeveer {km:.0f} km, dicht bij het maximum van {max_travel_km:g} km"
        else:
            reason = f"Reisafstand: ongeveer {km:.0f} km"
        return ItemVerdict(item=item_id, verdict=name, capacity=max_travel_km, demand=km, reason=reason)

    if item_id == EVENING_NIGHT_ITEM:
        asked = [w for w, on in (("avondwerk", placement.evening), ("nachtwerk", placement.night)) if on]
        limits = _code_texts(fml, item_id, cap or [])
        if verdict == EXCEED:
            reason = f"Werktijden: {limits}; het werk vraagt {' en '.join(asked)}"
        else:
            reason = f"Werktijden: {limits}; het werk vraagt geen avond- of nachtwerk"
        demand = [c for c, on in ((EVENING_CODE, placement.evening), (NIGHT_CODE, placement.night)) if on]
        return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=demand, reason=reason)

    if item_id in (HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM):
        per_day = item_id == HOURS_PER_DAY_ITEM
        unit = "dag" if per_day else "week"
        limit = (HOURS_PER_DAY_BY_LEVEL if per_day else HOURS_PER_WEEK_BY_LEVEL)[cap or 0]
        hours = placement.hours_per_day if per_day else placement.hours_per_week
        label = fml[item_id].name
        if verdict == EXCEED:
            reason = f"{label}: kan ongeveer {_fmt_hours(limit)} uur per {unit}, het werk vraagt {_fmt_hours(hours)} uur"
        elif verdict == SIGNAL:
            reason = f"{label}: het werk vraagt {_fmt_hours(hours)} uur per {unit}, precies de grens van de belastbaarheid"
        else:
            reason = f"{label}: het werk vraagt {_fmt_hours(hours)} uur per {unit}, binnen de belastbaarheid"
        return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=hours, reason=reason)

    item = fml[item_id]
    demand = placement.demands.get(item_id)
    if item.type == ORD:
        if verdict == EXCEED:
            can = item.phrase(cap)
            # Some FML level texts already say "kan ..." ("kan conflict met ... hanteren").
            can = can if can.startswith("kan ") else f"kan {can}"
            reason = f"{item.name}: {can}, het werk vraagt {item.phrase(demand)}"
        elif verdict == SIGNAL:
            reason = f"{item.name}: {item.phrase(cap)}, precies wat het werk vraagt (op de grens)"
        else:
            reason = f"{item.name}: binnen de belastbaarheid"
    elif item.type == COND:
        required = cap or []
        if verdict == EXCEED:
            missing = [c for c in required if c not in (demand or [])]
            reason = f"{item.name}: de werkplek voldoet niet aan: {_code_texts(fml, item_id, missing)}"
        elif verdict == SIGNAL:
            reason = (
                f"{item.name}: de werkgever heeft niet vermeld of de werkplek voldoet aan: "
                f"{_code_texts(fml, item_id, required)}; navragen"
            )
        else:
            reason = f"{item.name}: de werkplek voldoet aan de voorwaarden"
    elif item.type == CAT:
        both = sorted(set(cap or []) & set(demand or []))
        if verdict == EXCEED:
            reason = f"{item.name}: beperkt voor {_code_texts(fml, item_id, both)}, en het werk brengt dit mee"
        else:
            reason = f"{item.name}: het werk brengt niets mee waarvoor de kandidaat beperkt is"
    elif item.type == BIN:
        if verdict == SIGNAL:
            reason = f"{item.name}: beperkt en het werk vraagt dit; de toelichting van de bedrijfsarts bekijken"
        else:
            reason = f"{item.name}: het werk vraagt dit niet"
    else:
        reason = f"{item.name}: ter informatie"
    return ItemVerdict(item=item_id, verdict=name, capacity=cap, demand=demand, reason=reason)


def status_reason(placement: Placement) -> ItemVerdict:
    if placement.status != "open":
        text = {"closed": "de plek is gesloten", "filled": "de plek is al vervuld"}[placement.status]
    else:
        text = "er zijn geen vrije plaatsen"
    return ItemVerdict(item=STATUS_ITEM, verdict="exceed", capacity=None, demand=placement.positions,
                       reason=f"Beschikbaarheid: {text}")


def explain_row(
    evaluation: Evaluation,
    row: int,
    candidate: Candidate,
    placement: Placement,
    max_travel_km: float,
    only: Sequence[int] = (SIGNAL, EXCEED),
) -> list[ItemVerdict]:
    """Item verdicts of one place for one candidate, limited to the given verdicts."""
    fml = load_catalogue()
    out = []
    for k, item_id in enumerate(evaluation.items):
        verdict = int(evaluation.verdicts[k, row])
        if verdict in only:
            out.append(item_reason(item_id, verdict, candidate, placement, float(evaluation.distance_km[row]),
                                   max_travel_km, fml))
    if EXCEED in only and not evaluation.available[row]:
        out.append(status_reason(placement))
    return out


def _hours_condition(item_id: str, placement: Placement, build_up: bool) -> Condition:
    if build_up:
        start, full = placement.start_hours_per_week, placement.hours_per_week
        reason = f"Start met {_fmt_hours(start)} uur per week en bouw op naar {_fmt_hours(full)}"
        return Condition(kind="opbouw", item=item_id, from_=full, to=start, reason=reason)
    per_day = item_id == HOURS_PER_DAY_ITEM
    now = placement.hours_per_day if per_day else placement.hours_per_week
    to = placement.adjustments["hours_per_day" if per_day else "hours_per_week"]
    unit = "werkdag" if per_day else "werkweek"
    reason = f"Past als de werkgever de {unit} beperkt tot {_fmt_hours(to)} uur, nu {_fmt_hours(now)}"
    return Condition(kind="aanpassing", item=item_id, from_=now, to=to, reason=reason)


def condition_for(item_id: str, candidate: Candidate, placement: Placement, build_up: bool = False,
                  fml: FmlCatalogue | None = None) -> Condition:
    """The condition that cures one exceeded item of one place (see ``evaluate``)."""
    fml = fml or load_catalogue()
    if item_id in (HOURS_PER_DAY_ITEM, HOURS_PER_WEEK_ITEM):
        outlook = candidate.hours_outlook
        cond = _hours_condition(item_id, placement, build_up)
        if build_up and outlook is not None:
            cond = cond.model_copy(update={"reason": f"{cond.reason}; de bedrijfsarts verwacht "
                                           f"{_fmt_hours(outlook.hours_per_week)} uur per week vanaf "
                                           f"{dutch_date(outlook.from_)}"})
        return cond
    if item_id == EVENING_NIGHT_ITEM:
        asked = [c for c, on in ((EVENING_CODE, placement.evening), (NIGHT_CODE, placement.night)) if on]
        left = [c for c, on in ((EVENING_CODE, placement.evening and "evening" not in placement.adjustments),
                                (NIGHT_CODE, placement.night and "night" not in placement.adjustments)) if on]
        gone = [w for c, w in ((EVENING_CODE, "avondwerk"), (NIGHT_CODE, "nachtwerk")) if c in asked and c not in left]
        reason = f"Past als de werkgever geen {' en '.join(gone)} vraagt"
        return Condition(kind="aanpassing", item=item_id, from_=asked, to=left, reason=reason)
    item = fml[item_id]
    demand, to = placement.demands[item_id], placement.adjustments[item_id]
    name = item.name.lower()
    if item.type == ORD:
        reason = f"Past als de werkgever het {name} beperkt tot {item.phrase(to)}, nu {item.phrase(demand)}"
    elif item.type == COND:
        added = [c for c in to if c not in demand]
        reason = f"Past als de werkgever zorgt voor: {_code_texts(fml, item_id, added)}"
    elif item.type == CAT:
        removed = [c for c in demand if c not in to]
        reason = f"Past als de werkgever uit het werk haalt: {_code_texts(fml, item_id, removed)}"
    else:
        reason = f"Past als de werkgever {name} uit het werk haalt"
    return Condition(kind="aanpassing", item=item_id, from_=demand, to=to, reason=reason)


def conditions_of(evaluation: Evaluation, row: int, candidate: Candidate, placement: Placement) -> list[Condition]:
    """The conditions that make one place fit: one per adjusted item, in item order."""
    fml = load_catalogue()
    build_up = evaluation.build_up is not None and bool(evaluation.build_up[row])
    return [condition_for(item_id, candidate, placement, build_up and item_id == HOURS_PER_WEEK_ITEM, fml)
            for k, item_id in enumerate(evaluation.items) if int(evaluation.verdicts[k, row]) == ADJUST]


def suggestion_items(evaluation: Evaluation, row: int, candidate: Candidate, placement: Placement,
                     max_travel_km: float) -> tuple[list[ItemVerdict], list[Condition]]:
    """What a suggestion shows of the constraints: the flagged items and the conditions."""
    return (explain_row(evaluation, row, candidate, placement, max_travel_km, only=(SIGNAL,)),
            conditions_of(evaluation, row, candidate, placement))


def employer_wording(condition: Condition, fml: FmlCatalogue | None = None) -> str:
    """A condition as the employer is told it: what to change, never why (no limit,
    no prognosis, no medical word)."""
    fml = fml or load_catalogue()
    item, to = condition.item, condition.to
    if condition.kind == "opbouw":
        return f"Start met {_fmt_hours(to)} uur per week en bouw op naar {_fmt_hours(condition.from_)}"
    if item == HOURS_PER_DAY_ITEM:
        return f"Werkdagen van hoogstens {_fmt_hours(to)} uur"
    if item == HOURS_PER_WEEK_ITEM:
        return f"Hoogstens {_fmt_hours(to)} uur per week"
    if item == EVENING_NIGHT_ITEM:
        gone = [w for c, w in ((EVENING_CODE, "avondwerk"), (NIGHT_CODE, "nachtwerk"))
                if c in (condition.from_ or []) and c not in (to or [])]
        return "Geen " + " en geen ".join(gone)
    it = fml[item]
    if it.type == ORD:
        return f"{it.name}: hoogstens {it.phrase(to)}"
    if it.type == COND:
        added = [c for c in to if c not in (condition.from_ or [])]
        return f"De werkplek biedt: {_code_texts(fml, item, added)}"
    if it.type == CAT:
        removed = [c for c in (condition.from_ or []) if c not in to]
        return f"Het werk zonder: {_code_texts(fml, item, removed)}"
    return f"{it.name}: niet meer in het werk"
