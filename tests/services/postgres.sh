# PostgreSQL for the state-store tests (sourced by tests/run): installs PostgreSQL when it is
# missing, starts the first cluster, creates the role `pipeline` and the database `pipeline_test`
# (both idempotent), and exports PIPELINE_TEST_POSTGRES for the tests. Needs root (apt-get, runuser).
# A PIPELINE_TEST_POSTGRES set already is used as it is: point it at any server you like.
if [ -z "${PIPELINE_TEST_POSTGRES:-}" ]; then
  if ! type -P pg_ctlcluster >/dev/null; then
    echo "== installing postgresql"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if [ -z "$(pg_lsclusters -h)" ]; then pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main >/dev/null; fi
  read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters -h | head -n 1)
  if [ "$pg_status" != "online" ]; then
    echo "== starting PostgreSQL $pg_version/$pg_cluster on port $pg_port"
    pg_ctlcluster "$pg_version" "$pg_cluster" start
  fi
  runuser -u postgres -- psql -p "$pg_port" -v ON_ERROR_STOP=1 -q <<'SQL'
SELECT 'CREATE ROLE pipeline LOGIN PASSWORD ''pipeline''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pipeline')\gexec
SELECT 'CREATE DATABASE pipeline_test OWNER pipeline' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'pipeline_test')\gexec
SQL
  export PIPELINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=pipeline;Password=pipeline;Database=pipeline_test"
fi
