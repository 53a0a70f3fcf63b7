"""Live suggestions: the in-memory matcher and its retrieval shortlist."""

from matching.live.matcher import Matcher

__all__ = ["Matcher"]
