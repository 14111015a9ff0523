#!/usr/bin/env bash
# Runs the whole system locally: infrastructure (scripts/infra.sh), then Auth, Tasks and the Web
# gateway with the browser app, each as a plain `dotnet` process under a supervisor that restarts
# it when it crashes. One line per step; the details go to .data/logs/build.log and the services'
# own logs. Ctrl-C stops the services (the infrastructure keeps running; `scripts/infra.sh down`
# stops it).
#
# Ports: TASKMGMT_WEB_PORT (8080), TASKMGMT_AUTH_PORT (5101), TASKMGMT_TASKS_PORT (5102).
# Logs: TASKMGMT_LOG_DIR (.data/logs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=run
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"
# shellcheck source-path=SCRIPTDIR source=lib/supervise.sh
. "$ROOT/scripts/lib/supervise.sh"

DATA="${TASKMGMT_DATA_DIR:-$ROOT/.data}"
LOGS="${TASKMGMT_LOG_DIR:-$DATA/logs}"
mkdir -p "$LOGS"
BUILD_LOG="$LOGS/build.log"
: >"$BUILD_LOG"
say() { printf '[run] %s\n' "$*" >&2; }

# step TITLE COMMAND...: one console line; the command's output goes to build.log.
step() {
  local title=$1 started=$SECONDS status=0; shift
  printf '[run] %s ... ' "$title" >&2
  printf '\n===== %s (%s): %s\n' "$title" "$(date '+%F %T')" "$*" >>"$BUILD_LOG"
  "$@" >>"$BUILD_LOG" 2>&1 </dev/null || status=$?
  if [ "$status" -eq 0 ]; then printf 'ok (%d s)\n' $((SECONDS - started)) >&2; return 0; fi
  printf 'FAILED (exit %d)\n' "$status" >&2
  say "$title failed; the end of ${BUILD_LOG#"$ROOT/"}:"
  tail -n 25 "$BUILD_LOG" | sed 's/^/    /' >&2
  exit 1
}

stopping=0
stop_all() {
  if [ "$stopping" -eq 1 ]; then return; fi
  stopping=1
  stop_supervised
}
interrupted() { ON_ERROR_QUIET=1; printf '\n' >&2; say "interrupted: stopping the services"; stop_all; exit "$1"; }
trap 'stop_all' EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM HUP

step "infrastructure (MariaDB, RabbitMQ; installed with apt on the first run)" "$ROOT/scripts/infra.sh" up
# shellcheck disable=SC1091
. "$DATA/infra.env"
# shellcheck source-path=SCRIPTDIR source=service-env.sh
. "$ROOT/scripts/service-env.sh"

port_of() { local p=${1##*:}; echo "${p%%/*}"; }
for url in "$AUTH_URL" "$TASKS_URL" "$WEB_URL"; do
  port=$(port_of "$url")
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    say "port $port ($url) is already in use, by another scripts/run.sh or another program."
    say "Stop it, or choose other ports: TASKMGMT_WEB_PORT=8090 TASKMGMT_AUTH_PORT=5111 TASKMGMT_TASKS_PORT=5112 scripts/run.sh"
    exit 1
  fi
done

if [ -x "$ROOT/scripts/build-web.sh" ]; then step "front end (npm, Vite)" "$ROOT/scripts/build-web.sh"; fi
for p in Auth Tasks Web; do
  step "build $p" dotnet build "$ROOT/services/TaskManagement.$p" -c Release -v quiet -nologo
done

service() { # name project url [env...]
  local name=$1 project=$2 url=$3; shift 3
  # The built dll directly (not `dotnet run`), so the supervised process is the service itself.
  supervise "$name" "$LOGS/$name.log" env -C "$ROOT/services/$project" "$@" \
    ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$url" dotnet "bin/Release/net10.0/$project.dll"
}
service auth TaskManagement.Auth "$AUTH_URL" "${AUTH_ENV[@]}"
service tasks TaskManagement.Tasks "$TASKS_URL" "${TASKS_ENV[@]}"
service web TaskManagement.Web "$WEB_URL" "${WEB_ENV[@]}"

# live URL: GET URL/health/live answers 200. Plain bash, so that curl is not needed.
live() {
  local rest=${1#*://} host port
  host=${rest%%[:/]*} port=${rest#*:}; port=${port%%/*}
  # shellcheck disable=SC2016
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "GET /health/live HTTP/1.0\r\nHost: %s\r\n\r\n" "$0" >&3 \
    && read -r status <&3 && [[ $status == HTTP/1.?" 200"* ]]' "$host" "$port" 2>/dev/null
}
for s in "auth $AUTH_URL" "tasks $TASKS_URL" "web $WEB_URL"; do
  name=${s%% *} url=${s#* } started=$SECONDS
  printf '[run] start %s ... ' "$name" >&2
  until live "$url"; do
    if [ $((SECONDS - started)) -ge 90 ]; then
      printf 'FAILED\n' >&2
      say "$name did not answer on $url/health/live within 90 s; the end of ${LOGS#"$ROOT/"}/$name.log:"
      tail -n 25 "$LOGS/$name.log" | sed 's/^/    /' >&2
      exit 1
    fi
    sleep 0.5
  done
  printf 'ok (%s)\n' "$url" >&2
done

cat <<TXT

  Auth API   $AUTH_URL/api/auth   (OpenAPI: $AUTH_URL/openapi/v1.json)
  Tasks API  $TASKS_URL/api/tasks  (OpenAPI: $TASKS_URL/openapi/v1.json)
  Logs       ${LOGS#"$ROOT/"}/{auth,tasks,web,build}.log
  Events     scripts/watch-events.sh   (prints every CloudEvent on the users and tasks exchanges)
  A crashed service is restarted; Ctrl-C stops them all; scripts/infra.sh down stops MariaDB and RabbitMQ.

  Task Management is running:  $WEB_URL

TXT
# Until Ctrl-C: the supervisors never end on their own.
wait
