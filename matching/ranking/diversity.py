"""Diversity: one kind of work must not fill a whole list."""

from __future__ import annotations

import numpy as np


def diversify(order: np.ndarray, scores: np.ndarray, keys: np.ndarray, top: int, repeat_penalty: float = 0.08) -> np.ndarray:
    """Greedy re-ranking so one kind of work does not fill the whole list.

    Each place already chosen with the same key (occupation or normalised title)
    lowers the effective score of the next one; with nothing else that fits, the
    repeats still come back, so the list is never shorter for it.
    """
    # Each pick looks at the first ``top * 4`` left, so no pick reaches beyond the
    # first ``top * 5`` of the order: those are read once, as Python values (a numpy
    # scalar per comparison cost more than the scoring around it).
    head = np.asarray(order[: top * 5], dtype=np.int64)
    values = scores[head]
    # float64 scores compare as Python floats, the very same values; others keep their type.
    values = values.tolist() if values.dtype == np.float64 else list(values)
    head_keys = [keys[r] for r in head.tolist()]
    remaining = list(range(len(head)))
    chosen: list[int] = []
    seen: dict[object, int] = {}
    while remaining and len(chosen) < top:
        best_k, best_val = 0, -np.inf
        for k, i in enumerate(remaining[: top * 4]):
            val = values[i] - repeat_penalty * seen.get(head_keys[i], 0)
            if val > best_val:
                best_k, best_val = k, val
        i = remaining.pop(best_k)
        chosen.append(int(head[i]))
        seen[head_keys[i]] = seen.get(head_keys[i], 0) + 1
    return np.asarray(chosen, dtype=np.int64)
