"""Storage: the migrations build exactly the ORM's tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from service.db import Database
from service.tables import Base


def test_migrations_match_the_orm(database_url):
    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    db.dispose()
    assert diff == []


def test_migrate_twice_is_harmless(database_url):
    db = Database(database_url)
    db.migrate()
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    db.dispose()
    assert {"organisations", "users", "tokens", "candidates", "placements", "feedback", "introductions",
            "dossier_events", "alembic_version"} <= tables


def test_sqlite_connections_are_configured(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x' / 'spoormatch.db'}")  # the folder is created
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    db.dispose()


def test_a_failed_write_leaves_nothing(database_url):
    from service.tables import Organisation, utcnow

    db = Database(database_url)
    db.migrate()
    try:
        with db.write() as tx:
            tx.add(Organisation(id="e-9", name="Weg", created_at=utcnow()))
            tx.flush()
            raise RuntimeError("refused halfway")
    except RuntimeError:
        pass
    with db.read() as session:
        assert session.get(Organisation, "e-9") is None
    db.dispose()
