"""Failed logins slow down, per username and per address.

After ``free`` failures within ``window`` seconds, each further attempt must
wait twice as long as the one before (1 s, 2 s, 4 s ... up to ``max_wait``);
an attempt during the wait is refused without checking the password. A
success clears the username's count. Kept in memory: the service is one process
(service/engine.py), and a restart only forgives what an attacker could not
have guessed in the meantime.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int
    first: float
    blocked_until: float


class LoginThrottle:
    def __init__(self, free: int = 3, window: float = 900.0, max_wait: float = 900.0, clock=time.monotonic):
        self.free = free
        self.window = window
        self.max_wait = max_wait
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return f"user:{username.strip().lower()}", f"addr:{address}"

    def wait(self, *keys: str) -> float:
        """Seconds until these keys may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [r.blocked_until - now for k in keys if (r := self._records.get(k)) is not None]
        return max([0.0, *waits])

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                rec = self._records.get(key)
                if rec is None or now - rec.first > self.window:
                    rec = self._records[key] = _Record(0, now, 0.0)
                rec.failures += 1
                over = rec.failures - self.free
                if over > 0:
                    rec.blocked_until = now + min(self.max_wait, 2.0 ** (over - 1))
            if len(self._records) > 100_000:
                # Forget stale records so a flood of addresses cannot grow memory.
                self._records = {k: r for k, r in self._records.items() if now - r.first <= self.window}

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)
