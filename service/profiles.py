"""What an employer sees of a candidate: a pseudonymous profile and why it fits.

Built field by field from the contract candidate: experience, education and
skills only. Nothing from capacity, home, travel, hours wishes or free-text
wishes (which coaches often fill with health remarks), nothing of the dates of
sickness. The text "why it fits" speaks of experience, skills, education and the
wished form of work; never of the belastbaarheid.
"""

from __future__ import annotations

import secrets

from matching.ranking.explanation import EXPERIENCE_CLAIM
from matching.contract.models import Candidate, Placement
from service.schemas import EmployerCandidateProfile, EmployerEducation, EmployerExperience

MAX_SHARED_SKILLS = 4


def new_pseudonym() -> str:
    return f"Kandidaat {secrets.token_hex(3).upper()}"


def employer_profile(candidate: Candidate, pseudonym: str) -> EmployerCandidateProfile:
    return EmployerCandidateProfile(
        pseudonym=pseudonym,
        experience=[EmployerExperience(title=e.title, years=e.years, description=e.description)
                    for e in candidate.experience],
        education=EmployerEducation(level=candidate.education.level, field=candidate.education.field),
        skills=list(candidate.skills),
    )


def _years(years: float) -> str:
    if years <= 0:
        return ""
    return f" ({years:g} jaar)"


def why_it_fits(candidate: Candidate, placement: Placement, best_experience: tuple[int, float] | None) -> str:
    """A Dutch sentence for the employer, each clause backed by the data."""
    clauses: list[str] = []
    if best_experience is not None and best_experience[1] >= EXPERIENCE_CLAIM:
        exp = candidate.experience[best_experience[0]]
        clauses.append(f"werkervaring als {exp.title[:1].lower()}{exp.title[1:]}{_years(exp.years)}")
    elif candidate.experience:
        exp = max(candidate.experience, key=lambda e: e.years)
        clauses.append(f"nieuw in dit werk, met ervaring als {exp.title[:1].lower()}{exp.title[1:]}{_years(exp.years)}")
    wanted = {s.lower(): s for s in placement.skills}
    shared = [wanted[s.lower()] for s in candidate.skills if s.lower() in wanted][:MAX_SHARED_SKILLS]
    if shared:
        clauses.append("brengt " + ", ".join(shared) + " mee")
    edu = candidate.education
    text = f"opleiding {edu.level}" + (f" {edu.field}" if edu.field else "")
    if placement.education_level:
        text += f" (gevraagd: {placement.education_level})"
    clauses.append(text)
    if placement.kind in candidate.wishes.kinds:
        clauses.append(f"zoekt bewust een {placement.kind}")
    sentence = "; ".join(clauses)
    return sentence[:1].upper() + sentence[1:] + "."
