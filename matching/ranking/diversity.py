"""Diversity: one kind of work must not fill a whole list."""

from __future__ import annotations

import numpy as np


def diversify(order: np.ndarray, scores: np.ndarray, keys: np.ndarray, top: int, repeat_penalty: float = 0.08) -> np.ndarray:
    """Greedy re-ranking so one kind of work does not fill the whole list.

    Each place already chosen with the same key (occupation or normalised title)
    lowers the effective score of the next one; with nothing else that fits, the
    repeats still come back, so the list is never shorter for it.
    """
    remaining = list(order)
    chosen: list[int] = []
    seen: dict[object, int] = {}
    while remaining and len(chosen) < top:
        best_k, best_val = 0, -np.inf
        for k, r in enumerate(remaining[: top * 4]):
            val = scores[r] - repeat_penalty * seen.get(keys[r], 0)
            if val > best_val:
                best_k, best_val = k, val
        r = remaining.pop(best_k)
        chosen.append(r)
        seen[keys[r]] = seen.get(keys[r], 0) + 1
    return np.asarray(chosen, dtype=np.int64)
