"""The ``spoormatch`` command: the library's commands plus the service's.

The library's parser (matching.cli.build_parser) stays the base, so `match`,
`generate`, `link-title` and `demo` keep working; this module adds `serve`,
`create-user`, `migrate` and `rematch`. The console script points here, so the
library never imports the service.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from matching.cli import build_parser as build_library_parser
from matching.cli import main as library_main
from matching.private import private_dir
from matching.settings import get_settings


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the library parser has no subcommands")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 1..65535, got {value}")
    return value


def _cmd_migrate(args: argparse.Namespace) -> int:
    from service.db import Database

    settings = get_settings()
    db = Database(settings.database_url)
    db.migrate()
    print(f"database at the newest schema: {db.url.render_as_string(hide_password=True)}", file=sys.stderr)
    return 0


def _cmd_create_user(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from matching.contract.models import describe_errors
    from service.db import Database
    from service.errors import Refused
    from service.store import create_user_row
    from service.schemas import OrganisationIn, UserIn
    from service.tables import Organisation, utcnow

    settings = get_settings()
    db = Database(settings.database_url)
    db.migrate()
    from service.passwords import new_password, password_problem
    from service.store import set_login, username_for, username_problem

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        problem = password_problem(password)
        if problem:
            print(f"spoormatch: user refused, nothing written:\n  password: {problem}", file=sys.stderr)
            return 2
        generated = False
    else:
        password, generated = new_password(), True
    try:
        body = UserIn(name=args.name, role=args.role, organisation_id=args.organisation)
        org = None
        if args.organisation_name:
            if not args.organisation:
                raise SystemExit("spoormatch: --organisation-name needs --organisation (the id)")
            org = OrganisationIn(id=args.organisation, name=args.organisation_name)
    except ValidationError as exc:
        print("spoormatch: user refused, nothing written:", file=sys.stderr)
        for line in describe_errors(exc):
            print(f"  {line}", file=sys.stderr)
        return 2
    with db.read() as session:
        username = args.username.lower() if args.username else username_for(session, args.name)
        # Checked again in the transaction; here so a bad name never becomes a file name.
        problem = username_problem(session, username)
    if problem:
        print(f"spoormatch: user refused, nothing written:\n  username: {problem}", file=sys.stderr)
        return 2
    path = Path(args.token_file) if args.token_file else settings.state_dir / f"credentials-{username}.env"
    # The file is taken before the user exists, so a token is never issued that has
    # nowhere to go; it is never overwritten (it may hold someone else's token).
    try:
        credentials = _reserve_private_file(path)
    except FileExistsError:
        print(f"spoormatch: user refused, nothing written:\n  --token-file: {path} exists; move it away or "
              "name another file", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"spoormatch: user refused, nothing written:\n  --token-file: cannot create {path} ({exc.strerror})",
              file=sys.stderr)
        return 2
    try:
        with db.write() as tx:
            if org is not None and tx.get(Organisation, org.id) is None:
                tx.add(Organisation(id=org.id, name=org.name, created_at=utcnow()))
                tx.flush()
            problem = username_problem(tx.session, username)
            if problem:
                raise Refused(f"username: {problem}")
            user, _token, plain = create_user_row(tx.session, body, settings.token_ttl_days)
            set_login(tx.session, user, username, password)
            user_id = user.id
    except BaseException as exc:
        credentials.close()
        path.unlink(missing_ok=True)
        if not isinstance(exc, Refused):
            raise
        print("spoormatch: user refused, nothing written:", file=sys.stderr)
        for line in exc.problems:
            print(f"  {line}", file=sys.stderr)
        return 2
    # Secrets go to the 0600 file only: a terminal's scrollback, a CI log or a
    # captured stderr is no place for them. The password is stored as an argon2
    # hash and the token as its SHA-256, so this file is the only copy.
    prefix = args.role.upper()
    with credentials:
        credentials.write(f"# spoormatch create-user: {args.role} {args.name!r} (user {user_id}). "
                          "Pass these on safely, then delete this file.\n")
        credentials.write(f"{prefix}_USERNAME={username}\n")
        if generated:
            credentials.write(f"{prefix}_PASSWORD={password}\n")
        credentials.write(f"{prefix}_TOKEN={plain}\n")
    print(f"created {args.role} {args.name!r} (user {user_id}); web login: username {username!r}", file=sys.stderr)
    secrets = "API token and password" if generated else "API token"
    print(f"{secrets} written to {path} (mode 600, shown nowhere else): pass them on safely, then delete the file",
          file=sys.stderr)
    return 0


def _reserve_private_file(path: Path):
    """``path`` created new (never overwritten) with mode 0600, open for writing text."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8")


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service import demo
    from service.app import create_app
    from service.db import Database

    logging.basicConfig(level=getattr(logging, args.log_level.upper()), format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = get_settings()
    if settings.rematch_schedule:
        from service.scheduler import check_schedule

        try:
            check_schedule(settings.rematch_schedule)
        except ValueError as exc:
            print(f"spoormatch: {exc}", file=sys.stderr)
            return 2
    from service.ratelimit import parse_setting

    try:
        parse_setting(settings.rate_limit)  # before the database is touched, not after a demo seed
    except ValueError as exc:
        print(f"spoormatch: {exc}", file=sys.stderr)
        return 2
    host = args.host or settings.host
    port = args.port or settings.port
    db = Database(settings.database_url)
    db.migrate()
    tokens = None
    if not args.no_demo and demo.is_empty(db):
        print(f"empty database: loading demo data ({settings.demo_placements} places, 5 candidates) ...",
              file=sys.stderr)
        tokens = demo.seed(db, settings, settings.demo_placements)
    db.dispose()
    app = create_app(settings, migrate=False)
    if tokens is not None:
        demo.finish(app.state.ctx, tokens)
        path = demo.write_tokens(settings.state_dir, tokens)
        # Only where they are: printed tokens end up in logs and scrollback.
        print(f"demo tokens and logins written to {path} (mode 600; source it for the README's curl lines)",
              file=sys.stderr)
    print(f"open http://{host}:{port}/ in a browser and log in (demo logins: {settings.state_dir / 'demo-tokens.env'})",
          file=sys.stderr)
    # One process: the matcher lives in memory and follows this process's writes.
    # uvicorn's access log writes raw paths and query strings (ids, tokens); the
    # app logs its own lines as service.access (service/access_log.py).
    uvicorn.run(app, host=host, port=port, log_level=args.log_level, workers=1, access_log=False)
    return 0


def _cmd_rematch(args: argparse.Namespace) -> int:
    from service.db import Database
    from service.rematch import RematchBusy, RematchOptions, run_rematch
    from service.rematch.executors import ExecutorUnavailable

    logging.basicConfig(level=getattr(logging, args.log_level.upper()), format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = get_settings()
    try:
        options = RematchOptions.from_settings(
            settings, top=args.top, reserve=args.reserve, exposure_factor=args.exposure_factor,
            partition_size=args.partition_size, workers=args.workers, full=args.full,
            progress=not args.no_progress and sys.stderr.isatty(), executor=args.executor,
            dask_address=args.dask_address)
        options.check()
    except ValueError as exc:
        print(f"spoormatch: rematch refused: {exc}", file=sys.stderr)
        return 2
    db = Database(settings.database_url)
    try:
        db.migrate()
        summary = run_rematch(db, settings, options=options)
    except RematchBusy as exc:
        print(f"spoormatch: {exc}; not started", file=sys.stderr)
        return 75  # EX_TEMPFAIL: cron may simply try again later
    except ExecutorUnavailable as exc:
        print(f"spoormatch: rematch refused: {exc}; nothing written", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    print(summary.format(), file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(summary.to_json(), ensure_ascii=False))
    return 0


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return value


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value
    return parse


def _with_app_hint(library_demo):
    """The library's demo, then where to see the same data in the web app."""
    def run(args: argparse.Namespace) -> int:
        code = library_demo(args)
        if code == 0:
            print("\nThe web app: `.venv/bin/spoormatch serve`, then open the address it prints and log in with a "
                  "demo login from var/demo-tokens.env (COACH_USERNAME / COACH_PASSWORD, EMPLOYER_..., ADMIN_...).",
                  file=sys.stderr)
        return code
    return run


def build_parser() -> argparse.ArgumentParser:
    parser = build_library_parser()
    sub = _subcommands(parser)
    demo_parser = sub.choices["demo"]
    demo_parser.set_defaults(func=_with_app_hint(demo_parser.get_default("func")))

    s = sub.add_parser("serve", help="run the HTTP API (demo data on an empty database)")
    s.add_argument("--host", help="address to listen on (default SPOORMATCH_HOST or 127.0.0.1)")
    s.add_argument("--port", type=_port, help="port (default SPOORMATCH_PORT or 8000)")
    s.add_argument("--no-demo", action="store_true", help="never load demo data, even into an empty database")
    s.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    s.set_defaults(func=_cmd_serve)

    u = sub.add_parser("create-user", help="create a user with a web password and an API token (bootstraps the "
                                           "first admin); the secrets go to a file only its owner can read")
    u.add_argument("--name", required=True)
    u.add_argument("--role", required=True, choices=["admin", "coach", "employer"])
    u.add_argument("--organisation", help="employer users: the organisation id (the places' employer_id)")
    u.add_argument("--organisation-name", help="create the organisation with this name if it does not exist")
    u.add_argument("--username", help="web login name (default: made from --name, e.g. 'coach.demo')")
    u.add_argument("--password-stdin", action="store_true",
                   help="read the web password from the first line of stdin (default: generate one and write it "
                        "to the token file)")
    u.add_argument("--token-file", metavar="PATH",
                   help="a new file (mode 600, never overwritten) for the API token and a generated password; "
                        "only its path is printed (default: <state dir>/credentials-<username>.env)")
    u.set_defaults(func=_cmd_create_user)

    mg = sub.add_parser("migrate", help="bring the database to the newest schema")
    mg.set_defaults(func=_cmd_migrate)

    r = sub.add_parser(
        "rematch", help="recompute every active candidate's suggestions, spread scarce places, write digests",
        description="The nightly batch. Incremental (only what changed is embedded and recomputed), atomic (the "
                    "API serves the previous run's results until this one commits) and resumable (a run that "
                    "stopped half-way continues where it was). Exits 75 when another run holds the lock.")
    r.add_argument("--top", type=_count(1), help="places per candidate (default SPOORMATCH_REMATCH_TOP or 10)")
    r.add_argument("--reserve", type=_count(0),
                   help="extra places kept per candidate for the allocation (default SPOORMATCH_REMATCH_RESERVE or 10)")
    r.add_argument("--exposure-factor", type=_positive_float,
                   help="a place goes on at most positions x factor lists (default SPOORMATCH_REMATCH_EXPOSURE_FACTOR or 3)")
    r.add_argument("--partition-size", type=_count(1), help="candidates per partition (default 500)")
    r.add_argument("--workers", type=_count(1),
                   help="worker processes, or a LocalCluster's workers with --executor dask (default: one per core)")
    r.add_argument("--executor", choices=["local", "dask"],
                   help="where the work runs: this machine's processes, or a Dask cluster (needs spoormatch[dask]); "
                        "default SPOORMATCH_REMATCH_EXECUTOR or local")
    r.add_argument("--dask-address",
                   help="the Dask scheduler, e.g. tcp://scheduler:8786 (default SPOORMATCH_DASK_ADDRESS; "
                        "empty starts a LocalCluster on this machine)")
    r.add_argument("--full", action="store_true", help="recompute every candidate, also those nothing changed for")
    r.add_argument("--no-progress", action="store_true", help="no progress bar (it is off anyway when not on a terminal)")
    r.add_argument("--json", action="store_true", help="also print the summary as JSON on stdout")
    r.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    r.set_defaults(func=_cmd_rematch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return library_main(argv, build_parser())


if __name__ == "__main__":
    sys.exit(main())
