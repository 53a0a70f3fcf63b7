"""The exchange contract: pydantic models of candidates, places and suggestions, and JSON Lines files."""
