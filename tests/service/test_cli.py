"""The command: library commands still there, plus serve, create-user and migrate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matching import settings as settings_module
from service import cli
from service.auth import hash_token
from service.db import Database
from service.tables import Organisation, Token, User


@pytest.fixture
def env_database(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SPOORMATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("SPOORMATCH_STATE_DIR", str(tmp_path / "state"))
    settings_module.get_settings.cache_clear()
    yield database_url
    settings_module.get_settings.cache_clear()


def test_the_parser_keeps_the_library_commands():
    parser = cli.build_parser()
    for argv in (["match", "--candidates", "c", "--placements", "p", "--out", "o"], ["generate"],
                 ["link-title", "--in", "t", "--out", "o"], ["demo"], ["serve", "--port", "9000", "--no-demo"],
                 ["create-user", "--name", "A", "--role", "admin"], ["migrate"]):
        assert parser.parse_args(argv).command == argv[0]
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--port", "0"])
    # The library's match filters (contract v1.1) come along.
    args = parser.parse_args(["match", "--candidates", "c", "--placements", "p", "--out", "o", "--spoor", "1",
                              "--verdict", "pass,adjust", "--verdict", "signal"])
    assert args.spoor == 1 and args.verdict == [["pass", "adjust"], ["signal"]]
    with pytest.raises(SystemExit):
        parser.parse_args(["match", "--candidates", "c", "--placements", "p", "--out", "o", "--spoor", "3"])


def _env_file(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))


def test_create_user_bootstraps_the_first_admin(env_database, capsys, tmp_path):
    assert cli.main(["create-user", "--name", "Beheer", "--role", "admin"]) == 0
    out = capsys.readouterr()
    # The secrets are in a file only the owner reads; the terminal gets its path.
    written = tmp_path / "state" / "credentials-beheer.env"
    token = _env_file(written)["ADMIN_TOKEN"]
    assert token.startswith("smt_")
    assert str(written) in out.err and token not in out.err + out.out
    assert cli.main(["create-user", "--name", "HR", "--role", "employer", "--organisation", "e-7",
                     "--organisation-name", "Bakkerij"]) == 0
    capsys.readouterr()
    assert cli.main(["create-user", "--name", "HR", "--role", "employer", "--organisation", "e-404"]) == 2
    assert "organisation_id: no organisation with this id" in capsys.readouterr().err
    assert cli.main(["create-user", "--name", "", "--role", "coach"]) == 2
    assert "name:" in capsys.readouterr().err
    db = Database(env_database)
    with db.read() as s:
        users = s.execute(select(User).order_by(User.id)).scalars().all()
        assert [(u.name, u.role) for u in users] == [("Beheer", "admin"), ("HR", "employer")]
        assert s.get(Organisation, "e-7").name == "Bakkerij"
        assert s.execute(select(Token).where(Token.token_hash == hash_token(token))).scalar_one().user_id == users[0].id
    db.dispose()


def test_create_user_gives_a_web_login(env_database, capsys, monkeypatch, tmp_path):
    import io

    from service.passwords import verify_password

    assert cli.main(["create-user", "--name", "Coach Demo", "--role", "coach"]) == 0
    out = capsys.readouterr()
    assert "username 'coach.demo'" in out.err
    generated = _env_file(tmp_path / "state" / "credentials-coach.demo.env")["COACH_PASSWORD"]
    assert generated not in out.err + out.out
    monkeypatch.setattr("sys.stdin", io.StringIO("een-eigen-wachtwoord\n"))
    own_file = tmp_path / "twee.env"
    assert cli.main(["create-user", "--name", "Coach Twee", "--role", "coach", "--username", "Twee",
                     "--password-stdin", "--token-file", str(own_file)]) == 0
    assert "API token written to" in capsys.readouterr().err
    assert set(_env_file(own_file)) == {"COACH_USERNAME", "COACH_TOKEN"}  # the password was the user's own
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert cli.main(["create-user", "--name", "Coach Drie", "--role", "coach", "--password-stdin"]) == 2
    assert "password: minstens 10 tekens" in capsys.readouterr().err
    assert cli.main(["create-user", "--name", "X", "--role", "coach", "--username", "twee"]) == 2
    assert "username: deze gebruikersnaam is al in gebruik" in capsys.readouterr().err
    db = Database(env_database)
    with db.read() as s:
        users = {u.username: u for u in s.execute(select(User)).scalars()}
        assert set(users) == {"coach.demo", "twee"}
        assert verify_password(users["coach.demo"].password_hash, generated)
        assert verify_password(users["twee"].password_hash, "een-eigen-wachtwoord")
        assert generated not in users["coach.demo"].password_hash
    db.dispose()


def test_migrate(env_database):
    assert cli.main(["migrate"]) == 0
