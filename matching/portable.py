"""Objects that travel to worker processes and machines (the nightly run's executors).

An encoder or an occupation scorer guards its lazily loaded engine with a lock,
which cannot be pickled, and a loaded engine is hundreds of MB that a worker can
load itself from the same installed package. :class:`Portable` pickles such an
object without both: the worker gets the configuration and loads the engine on
first use, exactly as the driver did.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, ClassVar


class Portable:
    """Pickles without ``_lock`` (recreated on load), without the attributes named
    in ``_reloaded`` (set to None, so the object loads them again when needed) and
    without the memos named in ``_memos`` (attribute -> (method, size): an
    ``lru_cache`` around a bound method, wrapped again empty on load)."""

    _reloaded: ClassVar[tuple[str, ...]] = ()
    _memos: ClassVar[dict[str, tuple[str, int]]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_lock", None)
        for name in self._reloaded:
            if name in state:
                state[name] = None
        for name in self._memos:
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        for name, (method, size) in self._memos.items():
            setattr(self, name, lru_cache(maxsize=size)(getattr(self, method)))
