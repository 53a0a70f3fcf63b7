"""The spoor timeline: week of sickness, the spoor-2 window and its warnings."""

from __future__ import annotations

from datetime import date

from service.timeline import build_timeline, dutch_date, week_of_sickness

SICK = date(2024, 1, 1)  # a Monday


def test_weeks_count_from_the_first_day():
    assert week_of_sickness(SICK, SICK) == 1
    assert week_of_sickness(SICK, date(2024, 1, 7)) == 1
    assert week_of_sickness(SICK, date(2024, 1, 8)) == 2
    assert week_of_sickness(SICK, date(2023, 12, 31)) <= 0


def test_too_early_then_due_then_urgent_then_overdue():
    t = build_timeline("c", SICK, None, None, date(2024, 2, 1))
    assert t.week_of_sickness == 5 and t.status == "too_early"
    assert t.spoor2_earliest == date(2024, 2, 19)  # the first day of week 8
    assert "vanaf week 8" in t.warnings[0].message and t.warnings[0].level == "info"
    t = build_timeline("c", SICK, None, None, date(2024, 2, 19))
    assert t.week_of_sickness == 8 and t.status == "due" and t.warnings[0].level == "warning"
    assert t.spoor2_deadline == date(2024, 12, 29)  # the last day of week 52
    t = build_timeline("c", SICK, None, None, date(2024, 12, 10))
    assert t.status == "due" and t.warnings[0].level == "urgent"
    assert "29 december 2024" in t.warnings[0].message
    t = build_timeline("c", SICK, None, None, date(2025, 1, 6))
    assert t.status == "overdue" and t.warnings[0].level == "overdue" and "loonsanctie" in t.warnings[0].message
    assert [w.code for w in t.warnings] == ["spoor2_overdue", "no_first_year_evaluation"]


def test_the_first_year_evaluation_sets_the_deadline():
    t = build_timeline("c", SICK, date(2024, 12, 20), None, date(2025, 1, 6))
    assert t.spoor2_deadline == date(2025, 1, 31)  # six weeks after the evaluation
    assert t.status == "due" and t.warnings[0].level == "urgent"
    assert [w.code for w in t.warnings] == ["spoor2_due"]


def test_started_planned_and_late_starts():
    t = build_timeline("c", SICK, None, date(2024, 6, 3), date(2024, 7, 1))
    assert t.status == "started" and t.warnings[0].code == "spoor2_started"
    assert "week 23" in t.warnings[0].message
    t = build_timeline("c", SICK, None, date(2024, 8, 1), date(2024, 7, 1))
    assert t.status == "planned"
    t = build_timeline("c", SICK, None, date(2025, 3, 3), date(2025, 4, 1))
    assert [w.code for w in t.warnings] == ["spoor2_started", "spoor2_started_late", "no_first_year_evaluation"]


def test_no_sick_date_and_the_end_of_the_waiting_period():
    t = build_timeline("c", None, None, None, date(2024, 1, 1))
    assert t.status == "unknown" and t.week_of_sickness is None and t.warnings[0].code == "no_sick_since"
    t = build_timeline("c", SICK, date(2024, 12, 20), date(2025, 1, 6), date(2026, 1, 5))
    assert t.warnings[-1].code == "waiting_period_over"


def test_dutch_dates():
    assert dutch_date(date(2025, 3, 4)) == "4 maart 2025"
