"""The Dutch texts the static encoder is distilled on: reference data and generated places.

Only what the repository holds goes in: ESCO's Dutch occupation labels and
descriptions, the ISCO groups, the Dutch skill labels and the demo generator's
places and candidates. Left out on purpose:

* ESCO's alternative occupation labels: ``benchmarks/encoders.py`` retrieves
  occupations by them (its ``title->place`` task), so they stay unseen;
* the MELO and transfer dev halves in ``../shared``: they measure the result.
"""

from __future__ import annotations

import csv
import lzma
import re
from pathlib import Path

# A sentence ends at ". ", "; " or "! "/"? " followed by a capital or digit; good
# enough for ESCO's descriptions, which are short declarative prose.
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9ÀÉÈËÏÖÜ'])")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 3]


def esco_texts(data_dir: Path) -> list[str]:
    """Occupation labels, descriptions and their sentences; ISCO groups; Dutch skill labels."""
    texts: list[str] = []
    with open(data_dir / "esco" / "occupations_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            label, description = row["preferredLabel"].strip(), (row.get("description") or "").strip()
            texts.append(label)
            if description:
                # Place-like ("label. description"), the whole description and its parts:
                # the encoder meets all three lengths in the product.
                texts.append(f"{label}. {description}")
                parts = _sentences(description)
                texts.extend(parts if len(parts) > 1 else [])
    with open(data_dir / "esco" / "ISCOGroups_nl.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["preferredLabel"].strip())
            if (row.get("description") or "").strip():
                texts.extend(_sentences(row["description"].strip())[:3])
    with lzma.open(data_dir / "esco" / "skills.tsv.xz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if (row.get("label_nl") or "").strip():
                texts.append(row["label_nl"].strip())
    return texts


def generated_texts(n_placements: int = 3000, n_candidates: int = 1000, seed: int = 101) -> list[str]:
    """Place and candidate texts from the demo generator, built as the ranker builds them.

    A seed other than the demo's own, so the demo's lists are not the training set.
    """
    from matching.contract.models import Candidate, Placement
    from matching.demo.candidates import generate_candidates
    from matching.demo.places import generate_placements
    from matching.ranking.documents import experience_texts, placement_text

    texts: list[str] = []
    for record in generate_placements(n_placements, seed=seed):
        place = Placement.model_validate(record)
        texts.append(placement_text(place))
        texts.append(place.title)
    for record in generate_candidates(n_candidates, seed=seed, n_placements=n_placements):
        candidate = Candidate.model_validate(record)
        texts.extend(experience_texts(candidate))
        if candidate.wishes.text:
            texts.append(candidate.wishes.text)
    return texts


def training_texts(data_dir: Path, *, n_placements: int = 3000, n_candidates: int = 1000,
                   seed: int = 101) -> list[str]:
    """Every distillation text once, in a fixed order (first occurrence wins).

    Single words on their own were tried as extra texts (USE's reading of a word
    alone): the student then matched titles worse (title->place MRR@10 0.376 ->
    0.304 in benchmarks/encoders.py), so whole texts only.
    """
    seen: dict[str, None] = {}
    for text in esco_texts(Path(data_dir)) + generated_texts(n_placements, n_candidates, seed):
        text = " ".join(text.split())
        if text:
            seen.setdefault(text, None)
    return list(seen)
