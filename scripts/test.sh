#!/usr/bin/env bash
# Run every test, from a fresh clone: installs what the tests need, finds (or starts) a
# PostgreSQL server for the register tests, then runs pytest.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

# PostgreSQL for the register tests: use DOCGEN_TEST_PG_URL if set; else a server on
# 127.0.0.1:5432 with trust auth (this project's machines start one); else install and
# start Debian's postgresql with a password for the postgres user.
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
if [ -z "${DOCGEN_TEST_PG_URL:-}" ]; then
  if ! pg_up && [ "$(id -u)" = 0 ]; then
    echo "docgen: no PostgreSQL on 127.0.0.1:5432; installing Debian's postgresql"
    dpkg -s postgresql >/dev/null 2>&1 || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'docgen'\"" >/dev/null
    export DOCGEN_TEST_PG_URL="postgresql://postgres:docgen@127.0.0.1:5432/postgres"
  elif pg_up; then
    if command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -w -c 'select 1' postgres >/dev/null 2>&1; then
      export DOCGEN_TEST_PG_URL="postgresql://postgres@127.0.0.1:5432/postgres"
    elif ! command -v psql >/dev/null; then
      export DOCGEN_TEST_PG_URL="postgresql://postgres@127.0.0.1:5432/postgres"
    else
      echo "docgen: PostgreSQL on 127.0.0.1:5432 refuses passwordless login; set DOCGEN_TEST_PG_URL" >&2
    fi
  fi
fi
echo "docgen: PostgreSQL for tests: ${DOCGEN_TEST_PG_URL:-none (PostgreSQL variants skipped)}"
exec .venv/bin/pytest -q "$@"
