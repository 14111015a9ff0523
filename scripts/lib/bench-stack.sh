# Sourced by scripts/bench.sh and scripts/profile.sh: publishes Auth, Tasks, Web and the bare baseline in Release,
# starts them as plain processes in Production (rate limits raised, OpenAPI off, a signing key under .data/keys,
# an https Jwt:Issuer while Jwt:Authority stays the local http address), and stops every one of them on exit.
# The caller sets ROOT and LOG_TAG and sources scripts/lib/on-error.sh first.
#
# Ports: TASKMGMT_WEB_PORT (8080), TASKMGMT_AUTH_PORT (5101), TASKMGMT_TASKS_PORT (5102), TASKMGMT_BENCH_PORT (5190,
# the baseline; the event probe takes the next one). Logs: .artifacts/bench-logs/.
# shellcheck shell=bash

BENCH_DATA="${TASKMGMT_DATA_DIR:-$ROOT/.data}"
BENCH_ARTIFACTS="$ROOT/.artifacts"
BENCH_LOGS="$BENCH_ARTIFACTS/bench-logs"
mkdir -p "$BENCH_LOGS"
BASE_PORT="${TASKMGMT_BENCH_PORT:-5190}"
BASE_URL="http://localhost:$BASE_PORT"
PROBE_URL="http://localhost:$((BASE_PORT + 1))"
declare -A PIDS=()
CLK_TCK=$(getconf CLK_TCK)

say() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# option_value VAR OPTION VALUE: sets VAR to the value of a numeric option, or exits 2 saying what is wrong.
option_value() {
  [ $# -ge 3 ] || { echo "$2 needs a value" >&2; exit 2; }
  [[ $3 =~ ^[0-9]+$ ]] && [ "$3" -gt 0 ] || { echo "$2 needs a whole number above 0, not '$3'" >&2; exit 2; }
  printf -v "$1" '%s' "$3"
}

# stop_stack_on_exit WHAT [CLEANUP]: stops what the script started (CLEANUP, default stop_stack) on exit and on
# Ctrl-C/TERM, saying "interrupted: stopping what WHAT started".
stop_stack_on_exit() {
  INTERRUPTED_WHAT=$1
  # shellcheck disable=SC2064
  trap "${2:-stop_stack}" EXIT
  trap 'interrupted 130' INT
  trap 'interrupted 143' TERM HUP
}
interrupted() { ON_ERROR_QUIET=1; say "interrupted: stopping what $INTERRUPTED_WHAT started"; exit "$1"; }

# Stops every process this script started: SIGTERM, up to 10 s, then SIGKILL. Safe to call twice.
stop_stack() {
  local name pid
  for name in "${!PIDS[@]}"; do
    pid=${PIDS[$name]}
    kill -TERM "$pid" 2>/dev/null || true
  done
  for name in "${!PIDS[@]}"; do
    pid=${PIDS[$name]}
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PIDS[$name]"
  done
}

# prepare_stack PROJECT...: infrastructure, settings, ports, the Release build of the projects (paths under the
# repository). Sets the *_URL variables, the *_ENV arrays and PRODUCTION_ENV.
prepare_stack() {
  "$ROOT/scripts/infra.sh" up >"$BENCH_LOGS/infra.log" 2>&1 || { tail -n 20 "$BENCH_LOGS/infra.log" >&2; die "scripts/infra.sh up failed"; }
  # shellcheck disable=SC1091
  . "$BENCH_DATA/infra.env"
  # shellcheck source-path=SCRIPTDIR source=../service-env.sh
  . "$ROOT/scripts/service-env.sh"
  local url port
  for url in "$AUTH_URL" "$TASKS_URL" "$WEB_URL" "$BASE_URL" "$PROBE_URL"; do
    port=${url##*:}
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port ($url) is in use (scripts/run.sh?). Stop it or choose others: TASKMGMT_WEB_PORT TASKMGMT_AUTH_PORT TASKMGMT_TASKS_PORT TASKMGMT_BENCH_PORT"
    fi
  done
  command -v wrk >/dev/null 2>&1 || {
    say "installing wrk (apt)"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk; } >"$BENCH_LOGS/apt.log" 2>&1 || die "apt-get install wrk failed (see $BENCH_LOGS/apt.log)"
  }
  # Published as the Dockerfile does (Release, linux-x64, framework-dependent): the services are then ReadyToRun
  # (services/Directory.Build.props), which is what a pod starts.
  local project
  for project in "$@"; do
    say "publish ${project##*/} (Release, linux-x64)"
    dotnet publish "$ROOT/$project" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false -v quiet -nologo \
      -o "$(published "$project")" >"$BENCH_LOGS/build.log" 2>&1 || { tail -n 30 "$BENCH_LOGS/build.log" >&2; die "publish of $project failed"; }
  done

  SIGNING_KEY="$BENCH_DATA/keys/bench-signing-key.pem"
  if [ ! -s "$SIGNING_KEY" ]; then
    mkdir -p "$(dirname "$SIGNING_KEY")"
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$SIGNING_KEY" 2>/dev/null) || die "could not generate $SIGNING_KEY"
  fi
  local limit=100000000
  # Production as deployed, except the per-client rate limits (this measures throughput, not the limiter).
  PRODUCTION_ENV=(
    ASPNETCORE_ENVIRONMENT=Production OpenApi__Enabled=false
    "Jwt__Issuer=https://localhost:${WEB_URL##*:}/api/auth"
    "RateLimiting__General__PermitLimit=$limit" "RateLimiting__Login__PermitLimit=$limit"
    "RateLimiting__Register__PermitLimit=$limit" "RateLimiting__TaskCreate__PermitLimit=$limit"
  )
}

published() { echo "$BENCH_ARTIFACTS/publish/${1##*/}"; } # project path → its publish folder

# start_process NAME DIR DLL URL [VAR=value...]: starts the dll in the background; PIDS[NAME] is the dotnet process.
START_ENV=() # extra settings for the next start (measure_startup sets them)
start_process() {
  local name=$1 dir=$2 dll=$3 url=$4; shift 4
  env -C "$dir" "$@" "${START_ENV[@]}" ASPNETCORE_URLS="$url" dotnet "$dll" >>"$BENCH_LOGS/$name.log" 2>&1 &
  PIDS[$name]=$!
}

start_service() { # name (auth|tasks|web)
  case $1 in
    auth) start_process auth "$(published TaskManagement.Auth)" TaskManagement.Auth.dll "$AUTH_URL" \
      "${AUTH_ENV[@]}" "${PRODUCTION_ENV[@]}" "Jwt__SigningKeyPath=$SIGNING_KEY" ;;
    tasks) start_process tasks "$(published TaskManagement.Tasks)" TaskManagement.Tasks.dll "$TASKS_URL" \
      "${TASKS_ENV[@]}" "${PRODUCTION_ENV[@]}" ;;
    web) start_process web "$(published TaskManagement.Web)" TaskManagement.Web.dll "$WEB_URL" \
      "${WEB_ENV[@]}" "${PRODUCTION_ENV[@]}" ;;
    baseline) start_process baseline "$(published TaskManagement.Bench.Baseline)" TaskManagement.Bench.Baseline.dll "$BASE_URL" \
      "$(printf '%s\n' "${TASKS_ENV[@]}" | grep '^ConnectionStrings__Database=')" ASPNETCORE_ENVIRONMENT=Production ;;
    probe) start_process probe "$(published TaskManagement.Bench.Baseline)" TaskManagement.Bench.Baseline.dll "$PROBE_URL" \
      "${EVENTS_ENV[@]}" Bench__EventProbe=true ASPNETCORE_ENVIRONMENT=Production ;;
    *) die "unknown process $1" ;;
  esac
}

# wait_ready NAME URL [seconds]: until URL answers 200; fails with the log's end when the process dies or time runs out.
wait_ready() {
  local name=$1 url=$2 limit=${3:-90} started=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      tail -n 25 "$BENCH_LOGS/$name.log" >&2; die "$name exited during start-up (log: ${BENCH_LOGS#"$ROOT/"}/$name.log)"
    fi
    if [ $((SECONDS - started)) -ge "$limit" ]; then
      tail -n 25 "$BENCH_LOGS/$name.log" >&2; die "$name: $url did not answer 200 within $limit s"
    fi
    sleep 0.2
  done
}

ready_url() { # name
  case $1 in
    auth) echo "$AUTH_URL/health/ready" ;; tasks) echo "$TASKS_URL/health/ready" ;; web) echo "$WEB_URL/health/ready" ;;
    baseline) echo "$BASE_URL/list?user=00000000-0000-0000-0000-000000000000" ;; probe) echo "$PROBE_URL/ready" ;;
  esac
}

start_all() { # names...
  local name
  for name in "$@"; do start_service "$name"; done
  for name in "$@"; do wait_ready "$name" "$(ready_url "$name")"; say "$name ready (pid ${PIDS[$name]})"; done
}

# measure_startup NAME: stops the process, starts it again as deployed (no migration check at start), and sets
# STARTUP_SECONDS to the time from process start to the first 200 of its readiness URL. Not in a $(subshell): it restarts.
measure_startup() {
  local name=$1 pid=${PIDS[$1]} started ended
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  started=$(date +%s%N)
  # As a pod starts: the migration Job has already run, so the service does not check the schema itself (the
  # Dockerfile sets Database__MigrateOnStartup=false for Auth and Tasks).
  START_ENV=(Database__MigrateOnStartup=false)
  start_service "$name"
  START_ENV=()
  local url; url=$(ready_url "$name")
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { tail -n 25 "$BENCH_LOGS/$name.log" >&2; die "$name exited during the start-up measurement"; }
    [ $(( ($(date +%s%N) - started) / 1000000000 )) -lt 60 ] || die "$name not ready 60 s after restart"
    sleep 0.02
  done
  ended=$(date +%s%N)
  STARTUP_SECONDS=$(awk -v ns=$((ended - started)) 'BEGIN { printf "%.2f", ns / 1e9 }')
}

cpu_seconds() { # pid: user+system CPU seconds so far ("-" when the process is gone)
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -; return; }
  # Fields after "pid (comm) ": the comm may contain spaces, so cut at the last ')'. utime and stime are 14 and 15.
  awk -v tck="$CLK_TCK" '{ printf "%.2f", ($12 + $13) / tck }' <<<"${stat##*) }"
}

rss_mib() { # pid
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo -
}

# A user with a token: register_user NAME PASSWORD; prints the token.
register_user() {
  local body="{\"username\":\"$1\",\"password\":\"$2\"}"
  curl -fsS -o /dev/null -H 'content-type: application/json' -d "$body" "$AUTH_URL/api/auth/register" || die "registering $1 failed"
  curl -fsS -H 'content-type: application/json' -d "$body" "$AUTH_URL/api/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}

user_id_of() { # token: the sub claim
  local payload; payload=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while [ $(( ${#payload} % 4 )) -ne 0 ]; do payload="$payload="; done
  base64 -d <<<"$payload" 2>/dev/null | sed -E 's/.*"sub":"([^"]+)".*/\1/'
}

create_tasks() { # token count
  local i
  for i in $(seq 1 "$2"); do
    curl -fsS -o /dev/null -H "authorization: Bearer $1" -H 'content-type: application/json' \
      -d "{\"title\":\"Benchmark task $i\",\"description\":\"A task of the benchmark's list user\",\"priority\":\"medium\"}" "$TASKS_URL/api/tasks" \
      || die "creating task $i failed"
  done
}
