"""ESCO occupations: linking Dutch job titles, and occupational proximity.

The one public entry of the subpackage; the modules behind it are ``esco``
(the ESCO data), ``analyzer`` (Dutch title morphology), ``linker`` (the linker),
``hierarchy`` (proximity) and ``skills`` (ESCO skills per occupation, and free-text
skills read as ESCO skills).
"""

from matching.occupations.analyzer import (
    STOPWORDS, DutchTitleAnalyzer, fold, query_variants, raw_tokens, title_variants)
from matching.occupations.esco import (
    ALTERNATIVE, HIDDEN, ISCO_PREFIX, OCCUPATION_PREFIX, PREFERRED, VARIANT, EscoOccupations, SurfaceForm,
    load_esco, read_esco)
from matching.occupations.hierarchy import (
    PROXIMITY_ANCESTOR, PROXIMITY_ISCO, PROXIMITY_PARENT, PROXIMITY_SAME, PROXIMITY_SIBLING,
    occupation_proximity, proximity_matrix)
from matching.occupations.transfer import (
    OccupationSpace, TransferModel, get_occupation_space, get_transfer_model)
from matching.occupations.linker import (
    DEFAULT_ENCODERS, FALLBACK_ENCODERS, LEXICAL_SIGNALS, TEXT_FORMS, LinkerWeights, OccupationLinker, SignalSet,
    get_linker, link_titles_file)
from matching.occupations.skills import (
    DEFAULT_MIN_SCORE, ESSENTIAL_WEIGHT, OPTIONAL_WEIGHT, SKILL_PREFIX, EscoSkills, SkillMatcher, get_skill_matcher,
    load_skills, read_skills)

__all__ = [
    "OccupationSpace", "TransferModel", "get_occupation_space", "get_transfer_model",
    "ALTERNATIVE", "DEFAULT_ENCODERS", "DEFAULT_MIN_SCORE", "ESSENTIAL_WEIGHT", "FALLBACK_ENCODERS", "HIDDEN",
    "ISCO_PREFIX", "LEXICAL_SIGNALS", "OCCUPATION_PREFIX", "OPTIONAL_WEIGHT", "PREFERRED", "PROXIMITY_ANCESTOR",
    "PROXIMITY_ISCO", "PROXIMITY_PARENT", "PROXIMITY_SAME", "PROXIMITY_SIBLING", "SKILL_PREFIX", "STOPWORDS",
    "TEXT_FORMS", "VARIANT",
    "DutchTitleAnalyzer", "EscoOccupations", "EscoSkills", "LinkerWeights", "OccupationLinker", "SignalSet",
    "SkillMatcher", "SurfaceForm",
    "fold", "get_linker", "get_skill_matcher", "link_titles_file", "load_esco", "load_skills",
    "occupation_proximity", "proximity_matrix",
    "query_variants", "raw_tokens", "read_esco", "read_skills", "title_variants",
]
