"""Live suggestions: the in-memory matcher and its retrieval shortlist."""
