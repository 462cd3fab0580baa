#!/usr/bin/env bash
# Runs every test: installs what the tests need, starts a throwaway PostgreSQL for them (its own folder and
# port, separate from the one deploy/local/up.sh runs), builds, tests, and stops the database again.
#   deploy/local/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Unit]
# Settings: PROVISIONER_TEST_PG_PORT (default 55433), KEEP_TEST_DB=1 to leave the test database running.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

export PROVISIONER_PG_DIR="$repo/.local/pg-test"
export PROVISIONER_PG_PORT=${PROVISIONER_TEST_PG_PORT:-55433}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${PROVISIONER_TEST_PG_PORT:-}" ] && ! deploy/local/postgres.sh status >/dev/null 2>&1 && port_busy "$PROVISIONER_PG_PORT"; then
  # Another server (another checkout's tests, say) holds the default port: take a free one instead.
  PROVISIONER_PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "test.sh: port 55433 is taken; using $PROVISIONER_PG_PORT for the test database"
fi
export PROVISIONER_TEST_DB="Host=127.0.0.1;Port=$PROVISIONER_PG_PORT;Username=postgres;Maximum Pool Size=30"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET 10 SDK is required (dotnet not on PATH)" >&2
  exit 1
fi

# The browser tests drive Debian's chromium through Playwright's driver (which ships its own node in the NuGet
# package); Playwright's browser download is never used. PROVISIONER_CHROMIUM names another executable.
if [ -z "${PROVISIONER_CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
  echo "test.sh: installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

deploy/local/postgres.sh start
if [ "${KEEP_TEST_DB:-0}" != 1 ]; then
  trap 'deploy/local/postgres.sh stop >/dev/null || true' EXIT
fi

# Databases left by an earlier run that was killed before it could drop them.
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)/psql
"$psql_bin" -h 127.0.0.1 -p "$PROVISIONER_PG_PORT" -U postgres -d postgres -Atqc \
  "SELECT 'DROP DATABASE IF EXISTS ' || quote_ident(datname) || ' WITH (FORCE);' FROM pg_database WHERE datname LIKE 't\_%'" \
  | "$psql_bin" -h 127.0.0.1 -p "$PROVISIONER_PG_PORT" -U postgres -d postgres -q >/dev/null

dotnet build Provisioner.sln -c Release -nologo -clp:ErrorsOnly

results="$repo/.local/test-results"
rm -rf "$results"
export PROVISIONER_TEST_REPORTS="$results/reports"
status=0
dotnet test Provisioner.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

# What the tests measured (counts, timings), for people reading the log.
for report in "$results"/reports/*.report.txt; do
  if [ -e "$report" ]; then cat "$report"; fi
done

# (no reports folder when a filtered run wrote none; set -e with pipefail must not end the script here)
shots=0
if [ -d "$results/reports" ]; then shots=$(find "$results/reports" -name '*.png' | wc -l); fi
if [ "$shots" -gt 0 ]; then echo "browser tests: $shots screenshots in $results/reports"; fi

# One plain summary line, whatever the runner printed.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout"))
    skipped += int(c.get("notExecuted"))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
# The failures again at the very end, where a log cut to its tail still shows them.
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for result in ET.parse(path).getroot().iter("{%s}UnitTestResult" % ns["t"]):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = result.find(".//t:Message", ns)
            text = " ".join((message.text or "").split())[:600] if message is not None else ""
            print(f"FAILED {result.get('testName')} [{result.get('duration')}]: {text}")
PY
exit $status
