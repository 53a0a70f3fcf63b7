"""The last few candidates' views, so a repeated suggestions call costs little.

A view embeds every experience and links it to an occupation: the largest part
of a live call for a candidate with a long CV. A coach clicks through pages of
the same candidate's list, and a client may poll; the view depends only on the
candidate's data and the ranker (whose configuration never changes in place), so
it is kept under a digest of the candidate's JSON. A changed candidate has
another digest; an erased one ages out of the cache and is never looked up
again (the key holds no id or text).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Callable

from matching.contract.models import Candidate


def candidate_digest(candidate: Candidate) -> bytes:
    return hashlib.sha256(candidate.model_dump_json().encode("utf-8")).digest()


class ViewCache:
    """A small thread-safe LRU map from candidate digest to view."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[bytes, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, candidate: Candidate, build: Callable[[], Any]) -> Any:
        key = candidate_digest(candidate)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        view = build()  # outside the lock: two threads may build the same view once each
        with self._lock:
            self._items[key] = view
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return view

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
