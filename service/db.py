"""The database connection: SQLite by default, PostgreSQL when the URL says so.

Every request runs in one transaction: ``read()`` for requests that only look,
``write()`` for requests that change something. A write commits as a whole or
not at all, so a refused request leaves nothing behind.

SQLite specifics, set on every connection:
- WAL, so readers are never blocked by the one writer;
- ``BEGIN IMMEDIATE`` for write transactions: a deferred transaction that
  reads first and writes later fails at once (SQLITE_BUSY) when another writer
  got in between, instead of waiting its turn;
- ``secure_delete``, so erased data is overwritten in the file, not merely
  unlinked from the b-tree;
- foreign keys on (SQLite leaves them off by default).
"""

from __future__ import annotations

import json
import logging
import stat
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import orjson
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from matching.private import create_private_file

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 30


def load_json(text):
    """JSON columns as Python objects: orjson parses them several times faster than
    ``json`` (the nightly commit spent half its time here); ``json`` still reads
    what orjson refuses (NaN, as older rows may hold)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _sqlite_engine(url: URL, immediate: bool) -> Engine:
    engine = create_engine(
        url,
        json_deserializer=load_json,
        # The driver's own transaction handling would BEGIN DEFERRED behind our back.
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S, "isolation_level": None},
        pool_size=8,
        max_overflow=8,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _warn_if_readable_by_others(path: Path) -> None:
    """An existing database file others may read (made by an older version, or by hand)
    is named in the log, not changed: the operator may share it on purpose (a backup
    user's group); it holds candidates' medical limits."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        log.warning("the database file %s can be read or written by others than its owner (mode %04o); it holds "
                    "candidates' medical data: `chmod 600 %s` (and its -wal and -shm files) unless that is meant",
                    path, mode, path)


class Database:
    """Engines and sessions for one database URL."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            path = self.url.database
            if path and path != ":memory:" and not path.startswith("file:"):
                # Created here, 0600, before SQLite opens it: SQLite would create it with
                # the umask's mode (often 0644), and gives the -wal and -shm the same mode.
                if not create_private_file(path):
                    _warn_if_readable_by_others(Path(path))
            self.engine = _sqlite_engine(self.url, immediate=False)
            self.write_engine = _sqlite_engine(self.url, immediate=True)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                                        json_deserializer=load_json)
            self.write_engine = self.engine
        self._read = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False, autoflush=True)
        # Held from a write's commit until its in-memory follow-ups have run, so
        # those follow-ups (the matcher's index) happen in commit order.
        self.commit_lock = threading.Lock()

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the transaction without expiring what was
        # loaded, so values read inside the block stay usable after it.
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator["WriteSession"]:
        """A transaction that commits when the block ends without an exception."""
        with self._write() as session:
            tx = WriteSession(session, self.commit_lock)
            try:
                yield tx
            except BaseException:
                session.rollback()
                raise
            tx.commit()

    def migrate(self) -> None:
        """Bring the schema to the newest migration."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.write_engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()

    def compact_after_erasure(self, tables: list[str]) -> None:
        """Push erased rows out of the files now rather than at the next maintenance.

        SQLite: the WAL still holds the old page images until a checkpoint.
        PostgreSQL: deleted tuples stay on disk until (auto)vacuum reclaims them.
        Best effort: under heavy load the next checkpoint or autovacuum finishes it.
        """
        try:
            if self.is_sqlite:
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            elif self.backend == "postgresql":
                with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    for table in tables:
                        conn.execute(text(f'VACUUM "{table}"'))
        except Exception:
            # The erasure itself is committed; this only hurries the physical cleanup.
            log.warning("could not compact after an erasure; the next checkpoint or vacuum will", exc_info=True)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


class WriteSession:
    """A session plus actions to run right after its commit, in commit order."""

    def __init__(self, session: Session, commit_lock: threading.Lock):
        self.session = session
        self._lock = commit_lock
        self._after: list[Callable[[], None]] = []

    def after_commit(self, action: Callable[[], None]) -> None:
        self._after.append(action)

    def commit(self) -> None:
        if not self._after:
            self.session.commit()
            return
        with self._lock:
            self.session.commit()
            for action in self._after:
                action()
        self._after.clear()

    # The session's query API, so route code reads the same for reads and writes.
    def __getattr__(self, name):
        return getattr(self.session, name)
