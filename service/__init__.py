"""The HTTP API around the matching library: storage, roles, dossier (FastAPI)."""
