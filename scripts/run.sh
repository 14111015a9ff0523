#!/usr/bin/env bash
# Runs the whole system locally: infrastructure (scripts/infra.sh), then Auth, Tasks and the Web
# gateway with the browser app, each as a plain `dotnet` process. Ctrl-C stops the services
# (the infrastructure keeps running; `scripts/infra.sh down` stops it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/infra.sh" up
# shellcheck disable=SC1091
. "$ROOT/.data/infra.env"
. "$ROOT/scripts/service-env.sh"

if [ -x "$ROOT/scripts/build-web.sh" ]; then "$ROOT/scripts/build-web.sh"; fi
for p in Auth Tasks Web; do dotnet build "$ROOT/services/TaskManagement.$p" -c Release -v quiet -nologo; done

LOGS="$ROOT/.data/logs"; mkdir -p "$LOGS"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

start() { # name project url [env...]
  local name=$1 project=$2 url=$3; shift 3
  # The built dll directly (not `dotnet run`), so the pid we keep is the service itself and Ctrl-C stops it.
  ( cd "$ROOT/services/$project" && exec env "$@" ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" \
      dotnet "bin/Release/net10.0/$project.dll" ) >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
}

start auth TaskManagement.Auth "$AUTH_URL" "${AUTH_ENV[@]}"
start tasks TaskManagement.Tasks "$TASKS_URL" "${TASKS_ENV[@]}"
start web TaskManagement.Web "$WEB_URL" "${WEB_ENV[@]}"

for url in "$AUTH_URL" "$TASKS_URL" "$WEB_URL"; do
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/health/live" 2>/dev/null && break; sleep 0.5; done
  curl -fsS -o /dev/null "$url/health/live" || { echo "a service did not start; logs in $LOGS" >&2; exit 1; }
done

cat <<TXT

  Task Management is running:  $WEB_URL
    Auth API   $AUTH_URL/api/auth   (OpenAPI: $AUTH_URL/openapi/v1.json)
    Tasks API  $TASKS_URL/api/tasks  (OpenAPI: $TASKS_URL/openapi/v1.json)
    Logs       $LOGS/{auth,tasks,web}.log
    Events     scripts/watch-events.sh   (prints every CloudEvent on the users and tasks exchanges)

  Ctrl-C stops the services; scripts/infra.sh down stops MariaDB and RabbitMQ.
TXT
wait -n "${pids[@]}"
