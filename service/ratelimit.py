"""A request budget per bearer token (the API) and per logged-in user (the web pages).

``SPOORMATCH_RATE_LIMIT`` ("300/minute" by default, "off" for none) is read with the
``limits`` library's notation ("10/second", "1000/hour"). The window moves: a slot
frees a minute after the request that used it, so ``Retry-After`` says exactly
when the next request will pass. The key is the token's hash or the user's id,
never the address: a bureau's coaches often share one, and one token's flood
must not lock out its colleagues.

Kept in memory, like the login throttle: the service is one process
(service/engine.py), and a restart only forgives a burst.
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

SETTING = "SPOORMATCH_RATE_LIMIT"
OFF = "off"


def parse_setting(text: str) -> RateLimitItem | None:
    """The limit ``text`` describes, None when it is "off"; a ValueError naming the setting otherwise."""
    cleaned = (text or "").strip()
    if cleaned.lower() == OFF:
        return None
    try:
        # One limit: the library would read only the first of "3/minute;100/hour".
        item = None if any(sep in cleaned for sep in ";,") else parse(cleaned)
    except ValueError:
        item = None
    if item is None or item.amount < 1:
        raise ValueError(f"{SETTING}: cannot read {text!r} (write e.g. '300/minute', '20/second' or '5000/hour', "
                         f"or '{OFF}' for no limit)")
    return item


class RateLimiter:
    def __init__(self, item: RateLimitItem):
        self.item = item
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    @classmethod
    def from_setting(cls, text: str) -> "RateLimiter | None":
        item = parse_setting(text)
        return None if item is None else cls(item)

    def wait(self, key: str) -> int:
        """0 when ``key`` may go on (and the request is counted); otherwise whole seconds
        until the window frees a slot for it (at least 1)."""
        if self._limiter.hit(self.item, key):
            return 0
        reset = self._limiter.get_window_stats(self.item, key).reset_time
        return max(1, math.ceil(reset - time.time()))


def too_many(seconds: int) -> HTTPException:
    return HTTPException(status_code=429, headers={"Retry-After": str(seconds)},
                         detail=f"too many requests with this token; try again in {seconds} s (nothing was done)")
