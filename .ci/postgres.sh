#!/usr/bin/env bash
# A local PostgreSQL on 127.0.0.1 for the test suite: installs it from Debian's
# packages when missing, starts the cluster when it is down, creates the test
# role and database, and prints the SQLAlchemy URL on stdout (everything else
# goes to stderr, so `URL=$(.ci/postgres.sh)` works).
#
# Needs root (or the postgres user) on Debian/Ubuntu. Idempotent: safe to run
# on every CI job and on a developer machine where the cluster already runs.
set -euo pipefail

PG_PORT="${SPOORMATCH_PG_PORT:-5432}"
PG_DB="${SPOORMATCH_PG_DB:-spoormatch_test}"
PG_ROLE="${SPOORMATCH_PG_ROLE:-spoormatch}"
# A throwaway password for a loopback-only test database.
PG_PASSWORD="${SPOORMATCH_PG_PASSWORD:-spoormatch}"

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL is not installed and installing it needs root"
        exit 1
    fi
    log "installing PostgreSQL from the Debian archive"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"

if ! "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${PG_PORT}"; then
    # Debian's cluster tools; the package normally creates the cluster "main".
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} main"; then
        log "creating cluster ${PG_VERSION}/main"
        pg_createcluster "${PG_VERSION}" main -p "${PG_PORT}" >&2
    fi
    log "starting cluster ${PG_VERSION}/main on 127.0.0.1:${PG_PORT}"
    # Without systemd (containers, CI) pg_ctlcluster falls back to pg_ctl.
    pg_ctlcluster "${PG_VERSION}" main start -- -o "-c listen_addresses=127.0.0.1 -c port=${PG_PORT}" >&2 \
        || pg_ctlcluster "${PG_VERSION}" main start >&2
    for _ in $(seq 1 30); do
        "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${PG_PORT}" && break
        sleep 1
    done
    "${PG_BIN}/pg_isready" -h 127.0.0.1 -p "${PG_PORT}" >&2
fi

# Role and database, created once; the role owns the database so the tests can
# create and drop one schema per test.
as_postgres psql -q -v ON_ERROR_STOP=1 -p "${PG_PORT}" -d postgres >&2 <<SQL
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', '${PG_ROLE}', '${PG_PASSWORD}')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_ROLE}') \gexec
ALTER ROLE "${PG_ROLE}" LOGIN PASSWORD '${PG_PASSWORD}';
SELECT format('CREATE DATABASE %I OWNER %I', '${PG_DB}', '${PG_ROLE}')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${PG_DB}') \gexec
SQL

echo "postgresql+psycopg://${PG_ROLE}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${PG_DB}"
