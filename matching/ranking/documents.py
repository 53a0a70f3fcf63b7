"""The texts the encoder sees: a candidate's profile, each experience, a place.

What goes into these texts decides what the semantic component can notice;
the live list, the nightly run and the embedding caches all build them here.
"""

from __future__ import annotations

from matching.contract.models import Candidate, Placement


def candidate_text(candidate: Candidate, with_wishes: bool = True) -> str:
    """What the candidate brings and wants, as one Dutch text for the encoder.

    Only what the wish text asks for goes in: "niet meer beroepsmatig rijden" would
    otherwise pull the profile towards driving work."""
    parts = []
    for exp in candidate.experience:
        parts.append(f"{exp.title}. {exp.description}".strip())
    if candidate.skills:
        parts.append("Vaardigheden: " + ", ".join(candidate.skills) + ".")
    if candidate.education.field:
        parts.append(f"Opleiding: {candidate.education.field}.")
    if with_wishes and candidate.wishes.text:
        from matching.ranking.wish_text import parse_wishes

        positive = parse_wishes(candidate.wishes.text).positive
        if positive:
            parts.append(positive)
    return " ".join(parts)


def wanted_text(candidate: Candidate) -> str:
    """What the candidate asks for in words: the wish text with its refusals left out,
    and the sectors they name ("" when they ask nothing)."""
    parts = []
    if candidate.wishes.text:
        from matching.ranking.wish_text import parse_wishes

        parts.append(parse_wishes(candidate.wishes.text).positive)
    if candidate.wishes.sectors:
        parts.append("Sector: " + ", ".join(candidate.wishes.sectors) + ".")
    return " ".join(p for p in parts if p)


def experience_texts(candidate: Candidate) -> list[str]:
    return [f"{exp.title}. {exp.description}".strip() for exp in candidate.experience]


def placement_text(placement: Placement) -> str:
    parts = [placement.title + ".", placement.description]
    if placement.skills:
        parts.append("Vaardigheden: " + ", ".join(placement.skills) + ".")
    if placement.sector:
        parts.append(f"Sector: {placement.sector}.")
    return " ".join(p for p in parts if p)
