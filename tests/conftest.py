"""Shared fixtures: small contract objects built in code and a cheap encoder."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

from matching.text import l2_normalise  # noqa: E402
from matching.contract.models import Candidate, Placement  # noqa: E402


class HashingEncoder:
    """Character-trigram hashing: deterministic, instant, good enough for pipeline tests."""

    model_id = "test-hashing-64"
    dim = 64

    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            t = f"  {text.lower()}  "
            for j in range(len(t) - 2):
                h = int.from_bytes(hashlib.blake2b(t[j : j + 3].encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
        return l2_normalise(out)


@pytest.fixture
def encoder() -> HashingEncoder:
    return HashingEncoder()


def candidate_json(**overrides) -> dict:
    """A valid contract-v1 candidate as plain JSON data, with fields overridden."""
    data = {
        "id": "c-1",
        "home": {"postcode": "6511"},
        "max_travel_km": 25,
        "capacity": {},
        "education": {"level": "mbo-3", "field": "zorg en welzijn"},
        "experience": [{"title": "Gastvrouw vakantiepark", "years": 6,
                        "description": "Ontvangst van gasten, rondleidingen over het terrein"}],
        "skills": ["gastvrijheid", "klantcontact"],
        "wishes": {"kinds": ["vacature", "detachering"], "hours_per_week": 24, "text": "Graag met mensen werken"},
    }
    data.update(overrides)
    return data


def placement_json(**overrides) -> dict:
    """A valid contract-v1 place as plain JSON data, with fields overridden."""
    data = {
        "id": "p-1",
        "employer_id": "e-1",
        "kind": "vacature",
        "title": "Receptiemedewerker",
        "description": "Je ontvangt gasten en beantwoordt de telefoon.",
        "location": {"postcode": "6512"},
        "hours_per_week": 24,
        "hours_per_day": 6,
        "education_level": "mbo-2",
        "skills": ["klantcontact", "telefoon"],
        "demands": {},
        "positions": 1,
        "status": "open",
    }
    data.update(overrides)
    return data


def make_candidate(**overrides) -> Candidate:
    return Candidate.model_validate(candidate_json(**overrides))


def make_placement(**overrides) -> Placement:
    return Placement.model_validate(placement_json(**overrides))
