#!/usr/bin/env bash
# Brings the whole Provisioner system up on this machine and returns once every part answers ready:
# a private PostgreSQL, the schema, the API and N worker processes.
#   deploy/local/up.sh            (stop with deploy/local/down.sh)
#
# Settings (environment):
#   PROVISIONER_API_URL      where the API listens (default http://127.0.0.1:5080)
#   PROVISIONER_WORKERS      how many worker processes (default 2); worker i serves its health
#                            endpoints on http://127.0.0.1:$((PROVISIONER_WORKER_PORT_BASE+i))
#   PROVISIONER_WORKER_PORT_BASE  default 5090, so workers answer on 5091, 5092, ...
#   PROVISIONER_PG_PORT      PostgreSQL port, handed to postgres.sh (default 55432); also PROVISIONER_PG_DIR
#   PROVISIONER_READY_TIMEOUT  seconds to wait for /health/ready everywhere (default 180: on a loaded
#                            2-core machine a cold start of the API and two workers has taken over 60 s)
#   MALLOC_ARENA_MAX         glibc malloc arenas per process (default 2, as in the images; see below)
# Any other environment reaches the processes unchanged, so app settings can be given the usual
# ASP.NET Core way, e.g. Providers__Simulated__BootTime=00:00:02 deploy/local/up.sh
# (ConnectionStrings__Provisioner is the exception: it always points at the local PostgreSQL.)
#
# Idempotent: when the API and exactly PROVISIONER_WORKERS workers from an earlier run are alive, it
# starts nothing, only re-checks readiness and prints the summary. It does not rebuild then, so to pick
# up code changes run `deploy/local/down.sh --keep-db && deploy/local/up.sh`. When only part of an
# earlier run is alive (a process crashed, or the worker count changed) it stops the rest and starts
# everything again, because a mix of old and new binaries is not worth reasoning about.
#
# Files: logs in .local/logs/ (api.log, worker-N.log, build.log, migrate.log), pids in .local/run/.
# API keys: on first start it creates a development tenant key and an operator (admin) key and keeps them
# in .local/dev-keys.env (PROVISIONER_API_KEY=..., PROVISIONER_ADMIN_KEY=...; git-ignored, mode 600), so
# `source .local/dev-keys.env` makes the curl examples work. They are made again if the database was reset.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
logs=$repo/.local/logs
run=$repo/.local/run

api_url=${PROVISIONER_API_URL:-http://127.0.0.1:5080}
api_url=${api_url%/}
workers=${PROVISIONER_WORKERS:-2}
worker_port_base=${PROVISIONER_WORKER_PORT_BASE:-5090}
ready_timeout=${PROVISIONER_READY_TIMEOUT:-180}

api_dll=$repo/Provisioner.Api/bin/Release/net10.0/Provisioner.Api.dll
keys_file=$repo/.local/dev-keys.env
worker_dll=$repo/Provisioner.Worker/bin/Release/net10.0/Provisioner.Worker.dll

say() { echo "up.sh: $*"; }
die() { echo "up.sh: $*" >&2; exit 1; }

[[ $workers =~ ^[0-9]+$ ]] && [ "$workers" -ge 1 ] || die "PROVISIONER_WORKERS must be a whole number >= 1 (got '$workers')"
command -v dotnet >/dev/null || die "dotnet not found on PATH; install the .NET 10 SDK"
command -v curl >/dev/null || die "curl not found; it is needed to probe /health/ready"

# A listen address such as http://0.0.0.0:5080 or http://*:5080 cannot be dialled; probe loopback instead.
probe_base() { sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|/|$)#://127.0.0.1\2#' <<<"$1"; }
api_probe=$(probe_base "$api_url")
worker_url() { echo "http://127.0.0.1:$((worker_port_base + $1))"; }

# A pid file alone proves nothing after a reboot or a crash (pids get reused), so also check that the
# process is one of ours.
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q Provisioner
}

is_ready() { curl -fsS -o /dev/null --max-time 2 "$1/health/ready" 2>/dev/null; }

# Seconds in a .NET TimeSpan setting ([d.]hh:mm:ss[.fff]), rounded up; the default when unset or unreadable.
timespan_seconds() {
  local v=${1:-} d=0 h m s
  if [[ $v =~ ^(([0-9]+)\.)?([0-9]+):([0-9]+):([0-9]+)(\.[0-9]+)?$ ]]; then
    d=${BASH_REMATCH[2]:-0}; h=${BASH_REMATCH[3]}; m=${BASH_REMATCH[4]}; s=${BASH_REMATCH[5]}
    echo $(( 10#$d * 86400 + 10#$h * 3600 + 10#$m * 60 + 10#$s + (${#BASH_REMATCH[6]} > 0 ? 1 : 0) ))
  else
    echo "$2"
  fi
}

summary() {
  # What the simulated cloud takes, from the same settings the workers read (appsettings: 5 s + 10 s).
  local ready_in=$(( $(timespan_seconds "${Providers__Simulated__BootTime:-}" 5) + $(timespan_seconds "${Providers__Simulated__ConfigureTime:-}" 10) ))
  cat <<EOF

Provisioner is up.
  API:      $api_url   (health: $api_probe/health/ready)
  Workers:  $workers   (health: $(for i in $(seq 1 "$workers"); do printf '%s/health/ready' "$(worker_url "$i")"; [ "$i" -lt "$workers" ] && printf ', '; done))
  Database: $("$here/postgres.sh" url provisioner)
  Logs:     $logs/{api,worker-N,migrate,build}.log
  Stop:     $here/down.sh   (add --keep-db to leave PostgreSQL running)

API keys (kept in $keys_file):
  tenant "dev":      $PROVISIONER_API_KEY
  operator (admin):  $PROVISIONER_ADMIN_KEY

Try it:
  source $keys_file
  curl -s -X POST $api_probe/api/instances -H "Authorization: Bearer \$PROVISIONER_API_KEY" -H 'content-type: application/json' -d '{"userId":"user-123","taskId":"task-456","config":{"provider":"AWS","instanceType":"g4dn.xlarge","region":"us-east-1","diskSizeGB":50,"autoTerminateMinutes":30},"purpose":"try it"}'
  curl -s -H "Authorization: Bearer \$PROVISIONER_API_KEY" $api_probe/api/instances/<id>    # <id>: instance.id from the reply above
  (status goes PROVISIONING -> CONFIGURING -> READY in about ${ready_in} s with the simulated cloud:
   Providers:Simulated:BootTime + ConfigureTime, plus a moment per look)
EOF
}

# ---- what is already running? ----------------------------------------------------------------------
mkdir -p "$logs" "$run"
live=()
for f in "$run"/*.pid; do
  [ -e "$f" ] || continue
  if alive "$f"; then live+=("$(basename "$f" .pid)"); else rm -f "$f"; fi
done

# Names of the processes a complete run consists of, in start order.
wanted=(api); for i in $(seq 1 "$workers"); do wanted+=("worker-$i"); done

already=false
if [ ${#live[@]} -gt 0 ]; then
  if [ "$(printf '%s\n' "${live[@]}" | sort)" = "$(printf '%s\n' "${wanted[@]}" | sort)" ]; then
    say "already running (${live[*]}); not starting duplicates"
    already=true
  else
    say "partly running or with another worker count (${live[*]}); restarting cleanly"
    "$here/down.sh" --keep-db
  fi
fi

fail() {
  # Leave nothing half-started behind: a retry of up.sh should begin from a clean slate.
  local log=$1; shift
  echo "up.sh: $*" >&2
  if [ -f "$log" ]; then echo "---- last lines of $log ----" >&2; tail -n 40 "$log" >&2; echo "----" >&2; fi
  if ! $already; then "$here/down.sh" --keep-db >&2 || true; fi
  exit 1
}

if ! $already; then
  # ---- database -----------------------------------------------------------------------------------
  "$here/postgres.sh" start
  pg_port=${PROVISIONER_PG_PORT:-55432}
  psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1) || true
  [ -x "$psql" ] || die "psql not found"
  pg() { "$psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
  if [ "$(pg "SELECT 1 FROM pg_database WHERE datname = 'provisioner'")" != 1 ]; then
    pg "CREATE DATABASE provisioner"
    say "created database provisioner"
  fi
  # The appsettings default knows only port 55432; this follows PROVISIONER_PG_PORT. The pool cap keeps
  # several processes well inside the cluster's max_connections.
  ConnectionStrings__Provisioner="$("$here/postgres.sh" url provisioner);Maximum Pool Size=20"
  export ConnectionStrings__Provisioner

  # ---- build --------------------------------------------------------------------------------------
  # Only the two programs that run, not the whole solution: a half-edited test project should not stop
  # the system from coming up. The second build finds the shared Provisioner.Core already built.
  say "building Provisioner.Api and Provisioner.Worker (Release)..."
  : >"$logs/build.log"
  build() { DOTNET_NOLOGO=1 dotnet build "$repo/$1/$1.csproj" -c Release -nologo -v q -clp:ErrorsOnly >>"$logs/build.log" 2>&1; }
  if ! { build Provisioner.Api && build Provisioner.Worker; }; then
    echo "up.sh: build failed:" >&2
    # Errors are printed once per project and again in the summary; show each once.
    grep -E ' error ' "$logs/build.log" | sort -u | head -n 50 >&2 || tail -n 40 "$logs/build.log" >&2
    exit 1
  fi

  # ---- schema -------------------------------------------------------------------------------------
  # Once, before anything starts: the processes would otherwise report not-ready until it is applied.
  say "applying the schema..."
  dotnet "$worker_dll" migrate >"$logs/migrate.log" 2>&1 </dev/null || fail "$logs/migrate.log" "migrate failed"

  # ---- development API keys -------------------------------------------------------------------------
  keys_cli() { dotnet "$api_dll" keys "$@" 2>>"$logs/migrate.log" </dev/null; }
  key_is_active() { keys_cli list | grep -q "^${1:5:12}	.*	active$"; }
  if [ -f "$keys_file" ]; then
    # shellcheck disable=SC1090
    . "$keys_file"
    if ! key_is_active "${PROVISIONER_API_KEY:-x}" || ! key_is_active "${PROVISIONER_ADMIN_KEY:-x}"; then
      say "the keys in $keys_file are not in this database (was it reset?); making new ones"
      rm -f "$keys_file"
    fi
  fi
  if [ ! -f "$keys_file" ]; then
    tenant_key=$(keys_cli create --tenant dev --name "development tenant" --role tenant) || fail "$logs/migrate.log" "could not create the development key"
    admin_key=$(keys_cli create --tenant operators --name "development operator" --role admin) || fail "$logs/migrate.log" "could not create the admin key"
    (umask 077 && printf 'PROVISIONER_API_KEY=%s\nPROVISIONER_ADMIN_KEY=%s\n' "$tenant_key" "$admin_key" >"$keys_file")
    say "created development API keys in $keys_file"
  fi

  # ---- processes ----------------------------------------------------------------------------------
  # setsid + nohup: the processes must outlive this script and the terminal it runs in. The child writes
  # its own pid just before exec-ing dotnet, so the pid file names the dotnet process itself whether or
  # not setsid had to fork. --urls beats any stray Urls in the environment or appsettings.
  start() {
    local name=$1 log=$logs/$1.log; shift
    rm -f "$run/$name.pid"
    setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$run/$name.pid" "$@" >"$log" 2>&1 </dev/null &
    disown  # its fate is reported from its log, not as a bash job notice
    for _ in $(seq 1 50); do [ -s "$run/$name.pid" ] && return 0; sleep 0.1; done
    fail "$log" "$name did not start"
  }
  # glibc's malloc gives threads their own arenas (up to 8 per core) and keeps what is freed in each: after
  # bench/perf's load a worker held 20-30 MB of native heap over 15 arenas. Two arenas cut a worker's RSS by about
  # 8-10 MB with no CPU cost measured (docs/benchmarks.md, "Memory: what the processes hold ... (issue 24, mem)").
  # The images set the same; a value from the caller's environment wins.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  # Everything shares this machine's cores: the workers yield them to the API (Worker:Nice; each process leads its own
  # session, so its whole CPU group yields). 50 POSTs at once while the first ones' launches ran, p50: 104-296 ms with
  # the workers at 0, about 105 at 10, 51-103 at 15 and 70-79 at 19, while lifecycles a second stayed 45-53 up to 15 and
  # dropped to 34 once at 19, where a steady load of reads leaves the workers almost nothing (docs/benchmarks.md, "The
  # workers yield the CPU to the API"). The API reads no Worker:* setting. A value from the caller's environment wins.
  export Worker__Nice=${Worker__Nice:-10}
  start api dotnet "$api_dll" --urls "$api_url"
  for i in $(seq 1 "$workers"); do
    start "worker-$i" dotnet "$worker_dll" --urls "$(worker_url "$i")"
  done
  say "started api and $workers worker(s); waiting up to ${ready_timeout}s for /health/ready..."
fi

# ---- readiness ------------------------------------------------------------------------------------
declare -A probe=([api]=$api_probe)
for i in $(seq 1 "$workers"); do probe[worker-$i]=$(worker_url "$i"); done
pending=("${wanted[@]}")
deadline=$((SECONDS + ready_timeout))
while [ ${#pending[@]} -gt 0 ]; do
  still=()
  for name in "${pending[@]}"; do
    alive "$run/$name.pid" || fail "$logs/$name.log" "$name exited before becoming ready"
    is_ready "${probe[$name]}" || still+=("$name")
  done
  pending=("${still[@]+"${still[@]}"}")
  [ ${#pending[@]} -eq 0 ] && break
  if [ $SECONDS -ge $deadline ]; then
    # One last look, so a process that became ready during the wait is not reported as failing, and what
    # each one still not ready answers is shown with its HTTP status (a 503 lists the failing checks).
    still=()
    for name in "${pending[@]}"; do
      answer=$(curl -s --max-time 5 -w '\n%{http_code}' "${probe[$name]}/health/ready" 2>/dev/null) || answer=$'\n000'
      code=${answer##*$'\n'}
      [ "$code" = 200 ] && continue
      still+=("$name")
      if [ "$code" = 000 ]; then
        echo "up.sh: $name not ready: no answer from ${probe[$name]}/health/ready" >&2
      else
        echo "up.sh: $name not ready: ${probe[$name]}/health/ready answered HTTP $code: ${answer%$'\n'*}" >&2
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    [ ${#pending[@]} -eq 0 ] && break
    fail "$logs/${pending[0]}.log" "not ready after ${ready_timeout}s (PROVISIONER_READY_TIMEOUT): ${pending[*]}"
  fi
  sleep 0.5
done
say "all ready"
# shellcheck disable=SC1090
. "$keys_file"
summary
