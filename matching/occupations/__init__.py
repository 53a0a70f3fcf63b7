"""ESCO occupations: linking Dutch job titles, and occupational proximity.

The one public entry of the subpackage; the modules behind it are ``esco``
(the ESCO data), ``analyzer`` (Dutch title morphology), ``linker`` (the linker)
and ``hierarchy`` (proximity).
"""

from matching.occupations.analyzer import (
    STOPWORDS, DutchTitleAnalyzer, fold, query_variants, raw_tokens, title_variants)
from matching.occupations.esco import (
    ALTERNATIVE, HIDDEN, ISCO_PREFIX, OCCUPATION_PREFIX, PREFERRED, VARIANT, EscoOccupations, SurfaceForm,
    load_esco, read_esco)
from matching.occupations.hierarchy import (
    PROXIMITY_ANCESTOR, PROXIMITY_ISCO, PROXIMITY_PARENT, PROXIMITY_SAME, PROXIMITY_SIBLING,
    occupation_codes, occupation_proximity, proximity_matrix, proximity_row)
from matching.occupations.linker import (
    DEFAULT_ENCODERS, FALLBACK_ENCODERS, LEXICAL_SIGNALS, TEXT_FORMS, LinkerWeights, OccupationLinker, SignalSet,
    get_linker, link_titles_file)

__all__ = [
    "ALTERNATIVE", "DEFAULT_ENCODERS", "FALLBACK_ENCODERS", "HIDDEN", "ISCO_PREFIX", "LEXICAL_SIGNALS",
    "OCCUPATION_PREFIX", "PREFERRED", "PROXIMITY_ANCESTOR", "PROXIMITY_ISCO", "PROXIMITY_PARENT",
    "PROXIMITY_SAME", "PROXIMITY_SIBLING", "STOPWORDS", "TEXT_FORMS", "VARIANT",
    "DutchTitleAnalyzer", "EscoOccupations", "LinkerWeights", "OccupationLinker", "SignalSet", "SurfaceForm",
    "fold", "get_linker", "link_titles_file", "load_esco", "occupation_codes", "occupation_proximity",
    "proximity_matrix", "proximity_row",
    "query_variants", "raw_tokens", "read_esco", "title_variants",
]
