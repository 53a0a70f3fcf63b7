"""Retrieval: the shortlist of feasible places worth scoring in full.

Two routes feed the shortlist, so that neither a strong text match nor a place
that fits every wish is lost: the best places by text similarity within the
constraint mask (the vector index), and the best by the cheap components
(wishes, education, distance) computed for every feasible place. Because the
second route alone covers every feasible place up to its size, at least
``min(top, feasible)`` places always come back.
"""

from __future__ import annotations

import numpy as np


def top_rows(values: np.ndarray, rows: np.ndarray, k: int, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """The k rows with the highest values (values aligned with rows), best first.

    Equal values are ordered by `tiebreak` (aligned with rows; lower first), so the
    result does not depend on the order the places were loaded in.
    """
    values = np.asarray(values)
    rows = np.asarray(rows, dtype=np.int64)
    if k <= 0 or len(rows) == 0:
        return np.empty(0, dtype=np.int64)
    tiebreak = rows if tiebreak is None else np.asarray(tiebreak)
    if k < len(rows):
        # Keep everything tied with the k-th value so the tie-break sees all of them.
        kth = np.partition(-values, k - 1)[k - 1]
        keep = np.flatnonzero(-values <= kth)
    else:
        keep = np.arange(len(rows))
    order = keep[np.lexsort((tiebreak[keep], -values[keep]))][:k]
    return rows[order]


def shortlist(
    semantic_rows: np.ndarray,
    cheap_scores: np.ndarray,
    feasible_rows: np.ndarray,
    size: int,
    tiebreak: np.ndarray | None = None,
) -> np.ndarray:
    """Union of the semantic hits and the best `size` feasible rows by cheap score."""
    by_cheap = top_rows(cheap_scores, feasible_rows, size, tiebreak)
    return np.unique(np.concatenate([np.asarray(semantic_rows, dtype=np.int64), by_cheap]))
