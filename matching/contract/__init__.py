"""The exchange contract: pydantic models of candidates, places and suggestions, and JSON Lines files."""

from matching.contract.io import InputError, read_jsonl, write_jsonl
from matching.contract.models import (
    Candidate,
    CandidateSuggestions,
    Excluded,
    ItemVerdict,
    Placement,
    Suggestion,
    describe_errors,
)

__all__ = ["Candidate", "CandidateSuggestions", "Excluded", "InputError", "ItemVerdict", "Placement", "Suggestion",
           "describe_errors", "read_jsonl", "write_jsonl"]
