"""The constraint engine: the contract's verdict table, vectorised over places."""

from matching.constraints.engine import (
    EXCEED,
    PASS,
    SIGNAL,
    Columns,
    Evaluation,
    PlacementTable,
    Profile,
    evaluate,
    explain_row,
)

__all__ = ["EXCEED", "PASS", "SIGNAL", "Columns", "Evaluation", "PlacementTable", "Profile", "evaluate",
           "explain_row"]
