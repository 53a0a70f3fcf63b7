"""The constraint engine: the contract's verdict table, vectorised over places.

``table`` holds places as column arrays and a candidate as a profile,
``engine`` the verdicts, ``earnings`` the 65% rule, ``reasons`` the Dutch
reasons and conditions, and ``reference`` the same rules written plainly per
pair, which the tests hold the vectorised engine to.
"""

from matching.constraints.engine import (
    ADJUST,
    EXCEED,
    PASS,
    SIGNAL,
    Columns,
    Evaluation,
    PlacementTable,
    Profile,
    evaluate,
)
from matching.constraints.reasons import conditions_of, explain_row, suggestion_items

__all__ = ["ADJUST", "EXCEED", "PASS", "SIGNAL", "Columns", "Evaluation", "PlacementTable", "Profile",
           "conditions_of", "evaluate", "explain_row", "suggestion_items"]
