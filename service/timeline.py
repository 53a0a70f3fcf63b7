"""The spoor timeline: the week of sickness and when spoor 2 should start.

Wet Verbetering Poortwachter: spoor 2 starts between week 8 and week 52 of
sickness, and at the latest about six weeks after the first-year evaluation
(eerstejaarsevaluatie, due by week 52). Without a recorded evaluation the end
of week 52 is taken as the deadline: warning early is the safe side.
Week 1 is the week that starts on the first day of sickness.
"""

from __future__ import annotations

from datetime import date, timedelta

from matching.constraints.reasons import dutch_date
from service.schemas import Timeline, TimelineWarning

SPOOR2_FIRST_WEEK = 8
SPOOR2_LAST_WEEK = 52
WEEKS_AFTER_EVALUATION = 6
URGENT_WITHIN = timedelta(weeks=4)
WAITING_PERIOD_WEEKS = 104



def week_of_sickness(sick_since: date, on: date) -> int:
    """1 in the first seven days; 0 or less before the first day of sickness."""
    days = (on - sick_since).days
    return days // 7 + 1 if days >= 0 else days // 7


def start_of_week(sick_since: date, week: int) -> date:
    return sick_since + timedelta(weeks=week - 1)


def end_of_week(sick_since: date, week: int) -> date:
    return sick_since + timedelta(weeks=week, days=-1)


def spoor2_deadline(sick_since: date | None, first_year_evaluation: date | None) -> date | None:
    if first_year_evaluation is not None:
        return first_year_evaluation + timedelta(weeks=WEEKS_AFTER_EVALUATION)
    if sick_since is not None:
        return end_of_week(sick_since, SPOOR2_LAST_WEEK)
    return None


def build_timeline(
    candidate_id: str,
    sick_since: date | None,
    first_year_evaluation: date | None,
    spoor2_started: date | None,
    on: date,
) -> Timeline:
    warnings: list[TimelineWarning] = []

    def warn(level: str, code: str, message: str) -> None:
        warnings.append(TimelineWarning(level=level, code=code, message=message))

    if sick_since is None:
        warn("info", "no_sick_since", "Geen eerste ziektedag vastgelegd: de tijdlijn kan niet worden berekend.")
        return Timeline(candidate_id=candidate_id, on=on, sick_since=None,
                        first_year_evaluation=first_year_evaluation, spoor2_started=spoor2_started,
                        week_of_sickness=None, spoor2_earliest=None, spoor2_deadline=None, status="unknown",
                        warnings=warnings)

    week = week_of_sickness(sick_since, on)
    earliest = start_of_week(sick_since, SPOOR2_FIRST_WEEK)
    deadline = spoor2_deadline(sick_since, first_year_evaluation)
    assert deadline is not None

    if spoor2_started is not None and spoor2_started <= on:
        status = "started"
        started_week = week_of_sickness(sick_since, spoor2_started)
        warn("info", "spoor2_started",
             f"Spoor 2 is gestart op {dutch_date(spoor2_started)} (week {started_week} van ziekte).")
        if spoor2_started > deadline:
            warn("warning", "spoor2_started_late",
                 f"Spoor 2 is later gestart dan de uiterste datum ({dutch_date(deadline)}); "
                 "leg in het re-integratieverslag uit waarom.")
    elif spoor2_started is not None:
        status = "planned"
        warn("info", "spoor2_planned", f"Start van spoor 2 gepland op {dutch_date(spoor2_started)}.")
        if spoor2_started > deadline:
            warn("warning", "spoor2_planned_late",
                 f"De geplande start ligt na de uiterste datum voor spoor 2 ({dutch_date(deadline)}).")
    elif week < SPOOR2_FIRST_WEEK:
        status = "too_early"
        warn("info", "spoor2_not_yet",
             f"Week {max(week, 0)} van ziekte: spoor 2 kan vanaf week {SPOOR2_FIRST_WEEK} starten "
             f"({dutch_date(earliest)}).")
    elif on > deadline:
        status = "overdue"
        warn("overdue", "spoor2_overdue",
             f"Week {week} van ziekte: spoor 2 had uiterlijk {dutch_date(deadline)} moeten starten. "
             "UWV kan een loonsanctie opleggen; start spoor 2 nu en leg de reden van de vertraging vast.")
    else:
        status = "due"
        left = (deadline - on).days // 7
        level = "urgent" if deadline - on <= URGENT_WITHIN else "warning"
        warn(level, "spoor2_due",
             f"Week {week} van ziekte: spoor 2 kan sinds week {SPOOR2_FIRST_WEEK} starten en moet uiterlijk "
             f"{dutch_date(deadline)} gestart zijn (nog {left} {'week' if left == 1 else 'weken'}). "
             "Hoe eerder spoor 2 start, hoe groter de kans op passend werk.")

    if first_year_evaluation is None and week > SPOOR2_LAST_WEEK:
        warn("warning", "no_first_year_evaluation",
             f"Geen eerstejaarsevaluatie vastgelegd; die hoort uiterlijk in week {SPOOR2_LAST_WEEK} "
             f"({dutch_date(end_of_week(sick_since, SPOOR2_LAST_WEEK))}).")
    if week > WAITING_PERIOD_WEEKS:
        warn("info", "waiting_period_over",
             f"De wachttijd van {WAITING_PERIOD_WEEKS} weken loondoorbetaling is voorbij "
             f"({dutch_date(end_of_week(sick_since, WAITING_PERIOD_WEEKS))}).")

    return Timeline(candidate_id=candidate_id, on=on, sick_since=sick_since,
                    first_year_evaluation=first_year_evaluation, spoor2_started=spoor2_started,
                    week_of_sickness=week, spoor2_earliest=earliest, spoor2_deadline=deadline, status=status,
                    warnings=warnings)
