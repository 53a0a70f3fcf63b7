"""The follow-ups of the place questions: what the employer can adjust (contract v1.1).

Each question in :mod:`service.web.questions` has an optional follow-up, "Kan dit
worden aangepast als dat nodig is?" (werkplekaanpassing). Its answer becomes the
place's ``adjustments`` entry for the item, always lighter than the demand: an ORD
level above the demand's, COND conditions added to the ones met, a CAT exposure
or BIN aspect taken away. :func:`merge_adjustments` keeps what the follow-ups do
not ask.

Kept apart from the questions: they turn answers into demands, this module turns
follow-up answers into adjustments, each judged against those demands.
Pure data and functions: no web imports, so the mapping is tested on its own.
"""

from __future__ import annotations

from typing import Any, Mapping

from service.web.questions import (
    ASKED_ITEMS,
    BLANK,
    CAT,
    COND,
    ORD,
    QUESTIONS,
    YES,
    AnswerRefused,
    Answers,
    as_list,
    one_choice,
)


class AdjustRefused(AnswerRefused):
    """Follow-up answers that make no valid adjustment; ``problems`` is question key -> Dutch reason."""


def adjust_answers_from(adjustments: Mapping[str, Any], demands: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The follow-up answers that describe stored adjustments, to pre-fill the form.

    An adjustment that changes nothing (the demand's own value, a COND code the
    workplace meets already) shows as no answer: there is nothing to say yes to.
    """
    answers: dict[str, str | list[str]] = {}
    for q in QUESTIONS:
        value = adjustments.get(q.item)
        demand = demands.get(q.item)
        if q.type == ORD:
            lighter = isinstance(value, int) and not isinstance(value, bool) and (
                demand is None or value > demand)
            offered = {o.demand for o in q.adjust_options}
            answers[q.adjust_field] = str(value) if lighter and value in offered else BLANK
        elif q.type == COND:
            offered = {o.demand: o.value for o in q.options}
            added = [offered[c] for c in (value or []) if c in offered and c not in (demand or [])]
            answers[q.adjust_field] = added
        elif q.type == CAT:
            answers[q.adjust_field] = YES if value is not None and set(value) < set(demand or []) else BLANK
        else:
            answers[q.adjust_field] = YES if value is False and demand is True else BLANK
    return answers


def adjustments_from_answers(demands: Mapping[str, Any], answers: Answers,
                             stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The adjustments of the asked items that the follow-ups describe, against the new demands.

    ``answers`` is keyed by follow-up field (``a_tillen``). A follow-up about work
    that asks nothing of the item (no lifting, no noise) adds nothing. A COND
    adjustment keeps the codes of ``stored`` the questions do not offer. Raises
    :class:`AdjustRefused` naming every follow-up that would not make the work lighter.
    """
    stored = stored or {}
    problems: dict[str, str] = {}
    out: dict[str, Any] = {}
    for q in QUESTIONS:
        raw = answers.get(q.adjust_field)
        demand = demands.get(q.item)
        if q.type == COND:
            chosen = as_list(raw)
            offered = {o.value: o.demand for o in q.adjust_options}
            if any(v not in offered for v in chosen):
                problems[q.key] = "kies alleen uit de genoemde mogelijkheden"
                continue
            kept = [c for c in stored.get(q.item, []) if c in q.hidden_codes]
            value = sorted(set(demand or []) | {offered[v] for v in chosen} | set(kept))
            if set(value) - set(demand or []):
                out[q.item] = value
            continue
        if raw is None or raw == BLANK:
            continue
        option, problem = one_choice(raw, q.adjust_options)
        if problem:
            problems[q.key] = problem
            continue
        if q.type == ORD:
            if demand is None:
                problems[q.key] = "beantwoord eerst de vraag zelf: wat vraagt het werk nu?"
            elif option.demand <= demand:
                problems[q.key] = "kies iets lichters dan wat het werk nu vraagt (de vraag erboven)"
            else:
                out[q.item] = option.demand
        elif q.type == CAT:
            if demand:  # only work with an exposure can be done without it
                # One exposure of two taken away (set through the API) stays as it was.
                before = stored.get(q.item)
                partial = isinstance(before, list) and set(before) < set(demand)
                out[q.item] = sorted(before) if partial else []
        elif demand is True:  # BIN: only an aspect the work involves can be taken out
            out[q.item] = False
    if problems:
        raise AdjustRefused(problems)
    return out


def merge_adjustments(stored: Mapping[str, Any], demands: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """New adjustments of the asked items after an edit; adjustments of items the
    questions do not ask about (set through the API) stay as stored. Work times
    (``hours_per_day`` ... ``night``) are the caller's: they are not kept here."""
    merged = {k: v for k, v in stored.items() if k not in ASKED_ITEMS and k not in WORK_TIME_KEYS}
    merged.update(adjustments_from_answers(demands, answers, stored))
    return merged


# The work-time fields an adjustment may change; the place form asks them beside the hours.
WORK_TIME_KEYS = ("hours_per_day", "hours_per_week", "evening", "night")


def adjustment_summary(demands: Mapping[str, Any], adjustments: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(follow-up, answer) in plain Dutch for the asked items the employer can adjust; no item ids."""
    answers = adjust_answers_from(adjustments, demands)
    out: list[tuple[str, str]] = []
    for q in QUESTIONS:
        value = answers[q.adjust_field]
        if not value:
            continue
        if q.type == COND:
            text = "; ".join(q.label_of(v) for v in value)
        elif q.type == ORD:
            text = q.label_of(value)
        else:
            text = "Ja"
        out.append((q.adjust_text, text))
    return out
