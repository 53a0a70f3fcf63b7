"""The 65% rule: what a place earns against the former work (contract v1.1).

Passend werk earns at least 65% of the former wage; below it the suggestion
carries a signal, and an unpaid place is named for what it is: a stepping stone.
ratio = (mean of the place's min and max hourly wage x its hours per week) /
(former hourly wage x former hours per week), rounded to two decimals.
"""

from __future__ import annotations

import math

import numpy as np

from matching.constraints.table import weekly_wage
from matching.contract.models import Candidate, Earnings, Placement

EARNINGS_ITEM = "loon"
PASSEND_RATIO = 0.65
UNPAID_TEXT = "onbetaald: een opstap, geen duurzaam passend werk"


def ratio(place_weekly: float, former_weekly: float) -> float | None:
    """The rounded ratio, or None when either side is unknown."""
    if not (math.isfinite(place_weekly) and math.isfinite(former_weekly)) or former_weekly <= 0:
        return None
    return round(place_weekly / former_weekly, 2)


def rounded_ratios(place_weekly: np.ndarray, former_weekly: float) -> np.ndarray:
    """:func:`ratio` over many places (NaN where unpaid), rounded as Python rounds."""
    raw = np.asarray(place_weekly, dtype=np.float64) / former_weekly
    out = np.round(raw, 2)
    # numpy rounds the scaled value half-to-even, Python the exact binary value:
    # they can differ only on a tie, where Python's answer is the one shown.
    scaled = raw * 100
    ties = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-7)
    for k in ties:
        out[k] = round(float(raw[k]), 2)
    return out


def below_passend(place_weekly: np.ndarray, former_weekly: float) -> np.ndarray:
    """Per place: paid, and earning less than 65% of the former wage (as shown, rounded)."""
    if not math.isfinite(former_weekly) or former_weekly <= 0:
        return np.zeros(len(place_weekly), dtype=bool)
    with np.errstate(invalid="ignore"):
        return np.isfinite(place_weekly) & (rounded_ratios(place_weekly, former_weekly) < PASSEND_RATIO)


def percent(value: float) -> str:
    return f"{round(value * 100):d}%"


def _euro(value: float) -> str:
    return f"€ {value:.2f}".replace(".", ",")


def earnings(candidate: Candidate, placement: Placement, adjusted_hours: float | None = None) -> Earnings | None:
    """The earnings line of one suggestion; None when neither side speaks of pay.

    The ratio follows the contract's formula with the place's hours a week; when
    the place fits only with fewer hours a week (``adjusted_hours``, an
    ``aanpassing`` of VI.3), the text also says what those hours earn."""
    former = candidate.former_work
    wage = placement.hourly_wage
    if former is None and wage is None:
        return None
    if wage is None:
        return Earnings(ratio=None, text=UNPAID_TEXT)
    value = ratio(weekly_wage(placement), former.weekly_wage if former and former.weekly_wage else math.nan)
    if value is None:
        pay = _euro(wage.min) if wage.max in (None, wage.min) else f"{_euro(wage.min)} tot {_euro(wage.max)}"
        return Earnings(ratio=None, text=f"{pay} per uur; het oude loon is niet bekend")
    text = f"ongeveer {percent(value)} van het oude loon"
    if adjusted_hours is not None and adjusted_hours < placement.hours_per_week:
        fewer = ratio(wage.mean * adjusted_hours, former.weekly_wage)
        hours = f"{adjusted_hours:g}".replace(".", ",")
        text += f"; bij de aangepaste {hours} uur per week ongeveer {percent(fewer)}"
    return Earnings(ratio=value, text=text)


def earnings_reason(value: float) -> str:
    """The reason of the ``loon`` signal item."""
    return (f"Loon: ongeveer {percent(value)} van het oude loon, minder dan 65%: "
            "geen passend werk in de zin van de wet, tenzij als opstap")
