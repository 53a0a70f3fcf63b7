"""Limits at the core of the work: the penalty for places that revolve around what a
candidate is limited in or does not want.

A flagged item says a place touches a limit; how much that matters depends on
whether the aspect is the job itself. Per place, how central each FML aspect of
:data:`~matching.ranking.aspects.ASPECTS` is (title, description, the
occupation's essential ESCO skills) is computed once, when places are loaded;
per candidate, which aspects they are limited in (their belastbaarheid) or rule
out in their wish text. The penalty is the most central such aspect, so it costs
one vectorised gather per query.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from matching.ranking.aspects import ASPECT_ORDER, aspect_phrase, centralities, mentions, title_scores

#: Bumped when the lexicon or the weighing changes (part of the ranker's fingerprint).
VERSION = 2
_COLUMN = {item: j for j, item in enumerate(ASPECT_ORDER)}
# An aspect at least this central is named in the explanation.
NAME_FROM = 0.5
# A slight limit (ORD level 1) weighs half: the work may well be within it.
_SLIGHT = 0.5


def place_centrality(placements: Sequence, links: np.ndarray | None,
                     skills_of: Callable[[int], Sequence[str]] | None) -> np.ndarray:
    """(n, len(ASPECT_ORDER)) how central each aspect is to each place's work."""
    if not placements:
        return np.zeros((0, len(ASPECT_ORDER)), np.float32)
    skills: list[Sequence[str]] = [()] * len(placements)
    if skills_of is not None and links is not None:
        skills = [skills_of(int(code)) for code in links[:, 0]]
    return np.asarray(centralities(ASPECT_ORDER, [p.title for p in placements],
                                   [p.description or "" for p in placements], skills), np.float32)


def _limited(value) -> float:
    """How much a capacity value limits: 0 at the norm, 0.5 slightly, 1 otherwise."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return 0.0 if value <= 0 else (_SLIGHT if value == 1 else 1.0)
    return 1.0 if value else 0.0


def limited_columns(capacity: Mapping[str, object], avoided: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Aspect columns the candidate is limited in or rules out, and how much each counts."""
    weight: dict[int, float] = {}
    for item, value in capacity.items():
        j = _COLUMN.get(item)
        if j is not None and _limited(value) > 0:
            weight[j] = max(weight.get(j, 0.0), _limited(value))
    for item in avoided:
        j = _COLUMN.get(item)
        if j is not None:
            weight[j] = 1.0
    cols = np.array(sorted(weight), dtype=np.int64)
    return cols, np.array([weight[j] for j in cols], dtype=np.float32)


def wished_columns(positive_wish: str, avoided: Sequence[str] = ()) -> np.ndarray:
    """Aspect columns the wish text asks for ("zittend werk met klantcontact")."""
    if not positive_wish:
        return np.zeros(0, np.int64)
    named = (set(mentions(positive_wish)) | set(title_scores(positive_wish))) - set(avoided)
    return np.array(sorted(_COLUMN[i] for i in named if i in _COLUMN), dtype=np.int64)


def wished_fit_of(centrality: np.ndarray, rows, cols: np.ndarray) -> np.ndarray | None:
    """Per place of ``rows`` how central the most central wished aspect is; None when
    none is wished. Reads only the wished columns: gathering every aspect of
    thousands of places first was most of its cost."""
    if not len(cols) or centrality.shape[1] == 0:
        return None
    out = np.array(centrality[rows, cols[0]], dtype=np.float32)
    for j in cols[1:]:
        np.maximum(out, centrality[rows, j], out=out)
    return out


def central_penalty_of(centrality: np.ndarray, rows, cols: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """Per place of ``rows`` the most central limited aspect, 0..1; None when nothing
    is limited. Column by column, as :func:`wished_fit_of`."""
    if not len(cols) or centrality.shape[1] == 0:
        return None
    out = np.asarray(centrality[rows, cols[0]] * weights[0], dtype=np.float32)
    for j, w in zip(cols[1:], weights[1:]):
        np.maximum(out, centrality[rows, j] * w, out=out)
    return out


def central_phrases(centrality_row: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> list[str]:
    """Dutch phrases of the limited aspects central to one place, most central first."""
    if not len(cols) or centrality_row.shape[0] == 0:
        return []
    values = centrality_row[cols] * weights
    order = np.argsort(-values, kind="stable")
    return [aspect_phrase(ASPECT_ORDER[cols[k]]) for k in order if values[k] >= NAME_FROM]
