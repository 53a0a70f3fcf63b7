"""Storage: the migrations build exactly the ORM's tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

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


def _upgrade(db: Database, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from service.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.write_engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def test_migration_0004_fills_the_employer_column_and_empty_conditions(database_url):
    """Candidates and introductions stored before contract v1.1: the own employer moves
    from the body into its column, and every introduction has no conditions."""
    import json

    from sqlalchemy import text

    from service.tables import CandidateRow, IntroductionRow

    db = Database(database_url)
    _upgrade(db, "0003")
    now = "2026-01-05 10:00:00"
    with db.write_engine.connect() as conn:
        conn.execute(text("INSERT INTO organisations (id, name, created_at) VALUES ('e-7', 'Park', :now)"),
                     {"now": now})
        conn.execute(text("INSERT INTO users (id, name, role, active, created_at) "
                          "VALUES (1, 'Coach', 'coach', :yes, :now)"), {"now": now, "yes": True})
        for pk, body in ((1, {"id": "c-1", "employer_id": "e-7"}), (2, {"id": "c-2"}),
                         (3, {"id": "c-3", "employer_id": None})):
            conn.execute(text("INSERT INTO candidates (pk, id, coach_id, body, created_at, updated_at) "
                              "VALUES (:pk, :id, 1, :body, :now, :now)"),
                         {"pk": pk, "id": body["id"], "body": json.dumps(body), "now": now})
        conn.execute(text("INSERT INTO placements (id, organisation_id, body, kind, status, created_at, updated_at) "
                          "VALUES ('p-1', 'e-7', '{}', 'vacature', 'open', :now, :now)"), {"now": now})
        conn.execute(text("INSERT INTO feedback (id, candidate_pk, placement_id, code, note, created_by_name, "
                          "created_at) VALUES (1, 1, 'p-1', 'introduced', '', 'Coach', :now)"), {"now": now})
        conn.execute(text("INSERT INTO introductions (id, candidate_pk, placement_id, organisation_id, feedback_id, "
                          "pseudonym, motivation, signal_motivations, profile, created_at, decision_note) VALUES "
                          "('int-1', 1, 'p-1', 'e-7', 1, 'Kandidaat A', 'm', '{}', '{}', :now, '')"), {"now": now})
        conn.commit()
    db.migrate()
    with db.read() as session:
        employers = dict(session.execute(select(CandidateRow.id, CandidateRow.employer_id)).all())
        conditions = session.execute(select(IntroductionRow.conditions)).scalar_one()
    db.dispose()
    assert employers == {"c-1": "e-7", "c-2": None, "c-3": None}
    assert conditions == []


def test_an_existing_database_file_others_can_read_is_named_in_the_log(tmp_path, caplog):
    import logging
    import os

    from service.db import Database

    shared = tmp_path / "old.db"
    Database(f"sqlite:///{shared}").engine.dispose()  # created 0600: nothing to say
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    os.chmod(shared, 0o644)  # as an older version, or a hand-made file, left it
    with caplog.at_level(logging.WARNING, logger="service.db"):
        Database(f"sqlite:///{shared}").engine.dispose()
    [record] = [r for r in caplog.records if r.name == "service.db"]
    assert "mode 0644" in record.getMessage() and f"chmod 600 {shared}" in record.getMessage()
    assert oct(os.stat(shared).st_mode & 0o777) == "0o644"  # named, not changed
