"""The ranker: score components, calibration, diversity and Dutch explanations.

Every score a coach sees comes from :class:`Ranker`, built by :func:`build_ranker`.
Behind it: ``components`` (the score parts), ``transfer`` (occupations on both
sides and what carries over), ``centrality`` with ``aspects`` (limits at the
core of the work), ``wish_text``, ``diversity``, ``explanation`` and
``documents`` (the texts the encoder sees).
"""

from matching.ranking.components import COMPONENTS, KIND_CODE, PlacementFeatures, exact_cosine
from matching.ranking.documents import candidate_text, experience_texts, placement_text, wanted_text
from matching.ranking.ranker import CandidateVectors, CandidateView, Ranker, build_ranker

__all__ = ["COMPONENTS", "KIND_CODE", "CandidateVectors", "CandidateView", "PlacementFeatures", "Ranker",
           "build_ranker", "candidate_text", "exact_cosine", "experience_texts", "placement_text", "wanted_text"]
