#!/usr/bin/env bash
# HTTP benchmark of the running system with wrk (installed with apt when missing): login at the
# configured BCrypt work factor, GET /api/tasks over 50 tasks, POST /api/tasks; then the services'
# resident memory. Starts the stack with scripts/run.sh (rate limits raised: this measures
# throughput, not the limiter). Writes a Markdown report to .artifacts/bench-report.md.
#   scripts/bench.sh [seconds-per-run (default 15)] [connections (default 16)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-15}"; CONNECTIONS="${2:-16}"
WEB=http://localhost:8080; AUTH=http://localhost:5101; TASKS=http://localhost:5102
REPORT="$ROOT/.artifacts/bench-report.md"; mkdir -p "$ROOT/.artifacts"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

export RateLimiting__General__PermitLimit=100000000 RateLimiting__Login__PermitLimit=100000000 \
       RateLimiting__Register__PermitLimit=100000000 RateLimiting__TaskCreate__PermitLimit=100000000
"$ROOT/scripts/run.sh" >"$ROOT/.artifacts/bench-run.log" 2>&1 &
RUN_PID=$!
trap 'kill $RUN_PID 2>/dev/null; wait $RUN_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do grep -q "is running" "$ROOT/.artifacts/bench-run.log" 2>/dev/null && break; sleep 1; done
grep -q "is running" "$ROOT/.artifacts/bench-run.log" || { cat "$ROOT/.artifacts/bench-run.log"; exit 1; }

user="bench_$(date +%s)"; password='Bench-Password-123!'
curl -fsS -o /dev/null -H 'content-type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$AUTH/api/auth/register"
token=$(curl -fsS -H 'content-type: application/json' -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$AUTH/api/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
for i in $(seq 1 50); do
  curl -fsS -o /dev/null -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"title\":\"Benchmark task $i\",\"priority\":\"medium\"}" "$TASKS/api/tasks"
done

lua="$ROOT/.artifacts/bench-post.lua"
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $token"
wrk.body = '{"title":"Load test task","priority":"high"}'
LUA
login_lua="$ROOT/.artifacts/bench-login.lua"
cat >"$login_lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"username":"$user","password":"$password"}'
LUA

run() { # title, connections, wrk args...
  local title=$1 connections=$2; shift 2
  echo "### $title ($connections connections)"; echo; echo '```'
  wrk --latency -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${DURATION}s" --timeout 10s "$@" 2>&1 \
    | grep -E 'Latency|Req/Sec|requests in|Requests/sec|50%|90%|99%|Non-2xx|Socket'
  echo '```'; echo
}

{
  echo "# Benchmark report ($(date -u +%FT%TZ))"
  echo
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, Release build, MariaDB + RabbitMQ on loopback; wrk -t2 -c$CONNECTIONS -d${DURATION}s."
  echo
  run "GET /api/tasks (50 tasks, default page) — direct to Tasks" "$CONNECTIONS" -H "authorization: Bearer $token" "$TASKS/api/tasks"
  run "GET /api/tasks through the Web gateway" "$CONNECTIONS" -H "authorization: Bearer $token" "$WEB/api/tasks"
  run "POST /api/tasks — direct to Tasks (each writes the task and its outbox row; the relay publishes)" "$CONNECTIONS" -s "$lua" "$TASKS/api/tasks"
  # BCrypt is deliberately slow: one client shows a login's latency, four show what 2 cores sustain.
  run "POST /api/auth/login (BCrypt work factor 12), one client" 1 -s "$login_lua" "$AUTH/api/auth/login"
  run "POST /api/auth/login (BCrypt work factor 12)" 4 -s "$login_lua" "$AUTH/api/auth/login"
  echo "### Resident memory after the runs"; echo; echo '| service | RSS (MiB) |'; echo '|---|---|'
  for name in Auth Tasks Web; do
    pid=$(pgrep -f "TaskManagement.$name.dll" | head -1 || true)
    [ -n "$pid" ] && echo "| $name | $(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 )) |"
  done
  echo
  echo "Outbox rows still unpublished: $(curl -fsS "$TASKS/metrics" | awk '/^taskmanagement_outbox_backlog/{print $2}' | head -1)"
} | tee "$REPORT"
echo "report: $REPORT"
