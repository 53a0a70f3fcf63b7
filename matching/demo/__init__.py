"""Synthetic Dutch demo data: Kans Creator places and spoor-2 candidates (contract v1),
and the five story candidates.

Everything is drawn from a seeded :class:`numpy.random.Generator`, so a seed always
gives the same records. Records are plain dicts built directly (never pydantic
objects) and streamed chunk by chunk, so a million places can be written to JSON
Lines without holding them in memory.

The one public entry of the subpackage. Behind it: ``vocabulary`` and ``phrases``
(the data), ``draws`` (shared drawing helpers), ``places`` and ``candidates``
(the generators), ``stories`` and ``files`` (writing a data set).
"""

from matching.demo.candidates import generate_candidates
from matching.demo.draws import CHUNK
from matching.demo.files import generate_demo
from matching.demo.places import generate_placements
from matching.demo.stories import story_candidates
from matching.demo.vocabulary import GENERIC_SKILLS, INSTALL, OFFICE, ORDERPICK, SECTOR_NAMES, SECTORS, Job, Sector

__all__ = [
    "CHUNK",
    "GENERIC_SKILLS",
    "INSTALL",
    "OFFICE",
    "ORDERPICK",
    "SECTORS",
    "SECTOR_NAMES",
    "Job",
    "Sector",
    "generate_candidates",
    "generate_demo",
    "generate_placements",
    "story_candidates",
]
