"""The run lock: at most one rematch at a time, on any machine."""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from matching.private import private_dir, private_opener
from service.db import Database
from service.rematch.options import RematchBusy
from service.tables import RematchLock, utcnow

# One logger for the whole package, named as the module was before the split, so
# log settings and filters for `service.rematch` still catch every message.
log = logging.getLogger("service.rematch")

LOCK_NAME = "rematch"


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder_dead(holder: str) -> bool:
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only staleness tells
    return int(pid) != os.getpid() and not _pid_alive(int(pid))


class RunLock:
    """At most one run: a lease row in the database (seen by every machine) and a
    file lock on the state folder (released by the kernel if the process dies)."""

    def __init__(self, db: Database, state_dir: Path, stale_after: timedelta):
        self.db = db
        self.path = Path(state_dir) / "rematch" / "run.lock"
        self.stale_after = stale_after
        self.holder = _holder()
        self._fh = None

    def acquire(self) -> None:
        private_dir(self.path.parent)
        fh = open(self.path, "a+", opener=private_opener)
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise RematchBusy(f"another rematch is running on this machine (lock file {self.path})") from None
        try:
            self._take_lease()
        except BaseException:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            fh.close()
            raise
        self._fh = fh

    def _take_lease(self) -> None:
        now = utcnow()
        with self.db.write() as tx:
            row = tx.execute(select(RematchLock).where(RematchLock.name == LOCK_NAME).with_for_update()).scalar_one_or_none()
            if row is None:
                row = RematchLock(name=LOCK_NAME)
                tx.add(row)
            elif row.holder:
                beat = row.heartbeat_at or row.acquired_at or now
                if now - beat < self.stale_after and not _holder_dead(row.holder):
                    raise RematchBusy(
                        f"another rematch holds the lock: {row.holder}, run {row.run_id}, since "
                        f"{row.acquired_at:%Y-%m-%d %H:%M:%S} UTC, last seen {beat:%H:%M:%S} UTC")
                log.warning("rematch: taking over the lock of %s (run %s, last seen %s): %s", row.holder, row.run_id,
                            beat, "its process is gone" if _holder_dead(row.holder) else "stale")
            row.holder = self.holder
            row.run_id = None
            row.acquired_at = now
            row.heartbeat_at = now

    def beat(self, run_id: str | None = None) -> None:
        with self.db.write() as tx:
            values: dict[str, Any] = {"heartbeat_at": utcnow()}
            if run_id is not None:
                values["run_id"] = run_id
            tx.execute(update(RematchLock).where(RematchLock.name == LOCK_NAME, RematchLock.holder == self.holder)
                       .values(**values))

    def release(self) -> None:
        try:
            with self.db.write() as tx:
                tx.execute(update(RematchLock).where(RematchLock.name == LOCK_NAME, RematchLock.holder == self.holder)
                           .values(holder=None, run_id=None, heartbeat_at=utcnow()))
        finally:
            if self._fh is not None:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
                self._fh.close()
                self._fh = None

    def __enter__(self) -> "RunLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
