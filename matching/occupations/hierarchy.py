"""Occupational proximity: how close two ESCO occupations are, through ESCO's
hierarchy of broader occupations and the ISCO-08 groups.

The ranker reads ISCO through the transfer score (``transfer.py``); this coarse
proximity stays as a baseline of ``benchmarks/transfer.py``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from matching.occupations.esco import ISCO_PREFIX, EscoOccupations, load_esco

PROXIMITY_SAME = 1.0
PROXIMITY_PARENT = 0.8  # one is the direct broader occupation of the other
PROXIMITY_ANCESTOR = 0.7  # further up or down the same branch
PROXIMITY_SIBLING = 0.6  # the same broader occupation
# The deepest ISCO-08 group both share: unit (4 digits), minor (3), sub-major (2),
# major (1): a faint but real kinship (service and sales work, say), so a list of
# places in other branches is still told apart.
PROXIMITY_ISCO = {4: 0.5, 3: 0.3, 2: 0.15, 1: 0.05}


@dataclass(frozen=True, eq=False)
class _Hierarchy:
    index: dict[str, int]
    codes: tuple[str, ...]  # ISCO code per entry (occupations first, then ISCO groups)
    parents: tuple[frozenset[int], ...]
    ancestors: tuple[frozenset[int], ...]


@lru_cache(maxsize=4)
def _hierarchy(esco: EscoOccupations) -> _Hierarchy:
    n = len(esco)
    ancestors: list[frozenset[int]] = []
    for i in range(n):
        seen: set[int] = set()
        stack = list(esco.parents[i])
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                stack.extend(esco.parents[p])
        ancestors.append(frozenset(seen))
    index = dict(esco.index)
    codes = list(esco.isco)
    parents = [frozenset(p) for p in esco.parents]
    for code in esco.isco_labels:
        index[ISCO_PREFIX + code] = len(codes)
        codes.append(code)
        parents.append(frozenset())
        ancestors.append(frozenset())
    return _Hierarchy(index, tuple(codes), tuple(parents), tuple(ancestors))


def _pair_proximity(h: _Hierarchy, a: int, b: int) -> float:
    if a == b:
        return PROXIMITY_SAME
    if a in h.parents[b] or b in h.parents[a]:
        return PROXIMITY_PARENT
    if a in h.ancestors[b] or b in h.ancestors[a]:
        return PROXIMITY_ANCESTOR
    if h.parents[a] & h.parents[b]:
        return PROXIMITY_SIBLING
    ca, cb = h.codes[a], h.codes[b]
    shared = 0
    for x, y in zip(ca, cb):
        if x != y:
            break
        shared += 1
    # An ISCO group shares at most its own depth with what lies inside it.
    return PROXIMITY_ISCO.get(min(shared, 4), 0.0)


def occupation_proximity(uri_a: str, uri_b: str, esco: EscoOccupations | None = None) -> float:
    """How close two ESCO occupations are, in [0, 1].

    1.0 the same occupation; 0.8 one is the direct broader occupation of the
    other, 0.7 further up the same branch; 0.6 siblings under one broader
    occupation; else by the deepest ISCO-08 group they share: 0.5 the unit
    group (4 digits), 0.3 the minor group (3), 0.15 the sub-major group (2),
    0.05 the major group (1);
    0.0 otherwise or when a URI is unknown. ISCO group URIs
    (``.../isco/C4322``) may stand for an occupation: they compare by code.
    """
    if uri_a == uri_b:
        return PROXIMITY_SAME
    h = _hierarchy(esco if esco is not None else load_esco())
    a, b = h.index.get(uri_a), h.index.get(uri_b)
    if a is None or b is None:
        return 0.0
    return _pair_proximity(h, a, b)


def proximity_matrix(uris_a: Sequence[str], uris_b: Sequence[str],
                     esco: EscoOccupations | None = None) -> np.ndarray:
    """``occupation_proximity`` for every pair: (len(uris_a), len(uris_b)) float32."""
    h = _hierarchy(esco if esco is not None else load_esco())
    ia = [h.index.get(u) for u in uris_a]
    ib = [h.index.get(u) for u in uris_b]
    out = np.zeros((len(ia), len(ib)), dtype=np.float32)
    for r, (ua, a) in enumerate(zip(uris_a, ia)):
        for c, (ub, b) in enumerate(zip(uris_b, ib)):
            if ua == ub:
                out[r, c] = PROXIMITY_SAME
            elif a is not None and b is not None:
                out[r, c] = _pair_proximity(h, a, b)
    return out

