#!/usr/bin/env bash
# The benchmark of issue #12, in one command: builds and starts Auth, Tasks and Web in Release with
# ASPNETCORE_ENVIRONMENT=Production (per-client rate limits raised, OpenAPI off) beside the bare baseline
# (bench/TaskManagement.Bench.Baseline: MySqlConnector + minimal API on the same tasks database) and an event probe
# bound to the tasks exchange, then loads the system and the baseline alternately with wrk, round by round, so both
# see the same minutes of a shared machine. Only the ratios within one run mean anything.
#
#   scripts/bench.sh [--seconds 15] [--rounds 3] [--warmup 5] [--login-seconds 30] [--verify-seconds 10] [--timeout 10]
#
# Scenarios (wrk -t2): GET /api/tasks (50 tasks) c=32 and c=128 vs GET /list; the same through the Web gateway at
# c=32 (for information); POST /api/tasks c=32 vs POST /insert (task + outbox row in one transaction); login at c=1
# (the BCrypt verify time) and at c=32 (wrk at nice $TASKMGMT_BENCH_LOGIN_WRK_NICE, default 19, so the load generator does
# not take Auth's cores); then the restart time of Tasks and Auth to /health/ready.
# Each scenario: a warm-up of both sides, then --rounds rounds of baseline and system (the order alternating), and
# the median of the rounds. Writes .artifacts/bench-report.md (and prints it); raw numbers in .artifacts/bench-results.txt.
# Needs the ports of scripts/run.sh free (TASKMGMT_WEB_PORT, TASKMGMT_AUTH_PORT, TASKMGMT_TASKS_PORT, TASKMGMT_BENCH_PORT).
# A full run with the defaults takes about 10 minutes; run it on an otherwise quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=bench
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"

# shellcheck source-path=SCRIPTDIR source=lib/bench-stack.sh
. "$ROOT/scripts/lib/bench-stack.sh"
SECONDS_PER_RUN=15 ROUNDS=3 WARMUP=5 LOGIN_SECONDS=30 VERIFY_SECONDS=10 TIMEOUT=10 LOGIN_WRK_NICE=${TASKMGMT_BENCH_LOGIN_WRK_NICE:-19}
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) option_value SECONDS_PER_RUN "$@" ;; --rounds) option_value ROUNDS "$@" ;; --warmup) option_value WARMUP "$@" ;;
    --login-seconds) option_value LOGIN_SECONDS "$@" ;; --verify-seconds) option_value VERIFY_SECONDS "$@" ;; --timeout) option_value TIMEOUT "$@" ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done

stop_stack_on_exit "the benchmark"

RESULTS="$BENCH_ARTIFACTS/bench-results.txt"
REPORT="$BENCH_ARTIFACTS/bench-report.md"
WORK="$BENCH_ARTIFACTS/bench-work"
rm -rf "$WORK"; mkdir -p "$WORK"; : >"$RESULTS"; rm -f "$REPORT"
for name in auth tasks web baseline probe; do : >"$BENCH_LOGS/$name.log"; done

prepare_stack services/TaskManagement.Auth services/TaskManagement.Tasks services/TaskManagement.Web bench/TaskManagement.Bench.Baseline
sql() { mariadb --no-defaults -h "$TASKMGMT_DB_HOST" -P "$TASKMGMT_DB_PORT" -u "$TASKMGMT_DB_ADMIN_USER" -p"$TASKMGMT_DB_ADMIN_PASSWORD" -N -e "$1"; }
MARIADB_PID=$(pgrep -x mariadbd | head -1 || pgrep -x mysqld | head -1 || true)

started=$(date +%s%N)
start_all auth tasks web baseline probe
first_start=$(awk -v ns=$(($(date +%s%N) - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')

# --- the data: a list user with 50 tasks, a user whose POSTs are counted, a random owner for the baseline's inserts.
password='Bench-Password-123!'
stamp=$(date +%s)
LIST_TOKEN=$(register_user "bench_list_$stamp" "$password")
POST_TOKEN=$(register_user "bench_post_$stamp" "$password")
LIST_USER=$(user_id_of "$LIST_TOKEN"); POST_USER=$(user_id_of "$POST_TOKEN")
BASE_INSERT_USER=$(cat /proc/sys/kernel/random/uuid)
[[ $LIST_USER =~ ^[0-9a-f-]{36}$ && $POST_USER =~ ^[0-9a-f-]{36}$ ]] || die "could not read the users' ids from their tokens"
say "creating 50 tasks for bench_list_$stamp"
create_tasks "$LIST_TOKEN" 50

# --- sanity: both sides answer the same 50 rows; the system's paging headers are right.
curl -fsS -D "$WORK/list.headers" -o "$WORK/list-system.json" -H "authorization: Bearer $LIST_TOKEN" "$TASKS_URL/api/tasks"
curl -fsS -o "$WORK/list-baseline.json" "$BASE_URL/list?user=$LIST_USER"
python3 - "$WORK" >>"$RESULTS" <<'PY'
import json, sys
work = sys.argv[1]
system = json.load(open(f"{work}/list-system.json"))
bare = json.load(open(f"{work}/list-baseline.json"))
headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in open(f"{work}/list.headers") if ":" in l)}
same = len(system) == 50 and [t["id"] for t in system] == [t["id"] for t in bare] and all(set(a) == set(b) for a, b in zip(system, bare))
print(f"kind=check name=same_rows ok={int(same)}")
print(f"kind=check name=total_count ok={int(headers.get('x-total-count') == '50')}")
link = headers.get("link", "")
has_links = 'rel="first"' in link and 'rel="last"' in link
print(f"kind=check name=link ok={int(has_links)}")
PY
grep -q 'name=same_rows ok=1' "$RESULTS" || die "the baseline's /list does not answer the same 50 rows and members as GET /api/tasks (see $WORK)"

# --- wrk scripts: the request, and a done() that prints one machine-readable line (plus status counts for login).
lua_script() { # file method body count-statuses header...
  local file=$1 method=$2 body=$3 count=$4; shift 4
  {
    echo "wrk.method = \"$method\""
    [ -z "$body" ] || echo "wrk.body = '$body'"
    local header
    for header in "$@"; do echo "wrk.headers[\"${header%%:*}\"] = \"${header#*: }\""; done
    if [ "$count" = 1 ]; then
      # Status counts, and the latency of each 2xx alone: run with one connection per wrk thread (each thread has its
      # own Lua state), so the time between this thread's request() and response() is that request's latency.
      cat <<'LUA'
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *time);
]]
local clock = ffi.new("bench_timespec")
local function now_us() ffi.C.clock_gettime(1, clock); return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3 end
local sent = 0
counts, accepted = {}, {}
function request() sent = now_us(); return wrk.format() end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status >= 200 and status < 300 then table.insert(accepted, now_us() - sent) end
end
LUA
    fi
    cat <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local codes, parts, ok = {}, {}, {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    if type(c) == "table" then for k, v in pairs(c) do codes[k] = (codes[k] or 0) + v end end
    local a = thread:get("accepted")
    if type(a) == "table" then for _, v in ipairs(a) do table.insert(ok, v) end end
  end
  for k, v in pairs(codes) do table.insert(parts, k .. ":" .. v) end
  table.sort(ok)
  local function at(q) return #ok == 0 and -1 or ok[math.max(1, math.ceil(q * #ok))] end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d codes=%s accepted_p50_us=%d accepted_p99_us=%d accepted_max_us=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout,
    #parts > 0 and table.concat(parts, ",") or "-", at(0.5), at(0.99), at(1)))
end
LUA
  } >"$file"
}
json='content-type: application/json'
lua_script "$WORK/list-system.lua" GET "" 0 "authorization: Bearer $LIST_TOKEN"
lua_script "$WORK/list-baseline.lua" GET "" 0
lua_script "$WORK/post-system.lua" POST '{"title":"Benchmark insert","priority":"high"}' 0 "$json" "authorization: Bearer $POST_TOKEN"
lua_script "$WORK/post-baseline.lua" POST '{"title":"Benchmark insert","priority":"high"}' 0 "$json"
lua_script "$WORK/login.lua" POST "{\"username\":\"bench_list_$stamp\",\"password\":\"$password\"}" 1 "$json"

pid_of() { if [ "$1" = mariadb ]; then echo "${MARIADB_PID:-0}"; else echo "${PIDS[$1]:-0}"; fi; }
snapshot() { # prefix: cpu seconds and RSS of every process
  local name
  for name in auth tasks web baseline probe mariadb; do
    printf '%s_%s=%s ' "$1" "$name" "$(cpu_seconds "$(pid_of "$name")")"
  done
  for name in auth tasks web baseline probe mariadb; do printf 'rss_%s=%s ' "$name" "$(rss_mib "$(pid_of "$name")")"; done
}

# run SCENARIO SIDE ROUND CONNECTIONS SECONDS LUA URL: one wrk run; a line in $RESULTS unless it is a warm-up.
run() {
  local scenario=$1 side=$2 round=$3 conns=$4 seconds=$5 lua=$6 url=$7 threads=${THREADS:-2} before out line
  [ "$conns" -ge "$threads" ] || threads=$conns
  before=$(snapshot cpu0)
  out=$(nice -n "${WRK_NICE:-0}" wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout "${TIMEOUT}s" -s "$lua" "$url" 2>&1) || { echo "$out" >&2; die "wrk failed ($scenario, $side)"; }
  [ -z "${AFTER_WRK:-}" ] || $AFTER_WRK
  line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; die "wrk printed no summary ($scenario, $side)"; }
  [ "$round" != warmup ] || return 0
  # cpu0_* before, cpu1_* after (rss_* after, overwritten by the second snapshot's keys).
  echo "kind=run scenario=$scenario side=$side round=$round conns=$conns seconds=$seconds ${line#BENCH } $before $(snapshot cpu1)" >>"$RESULTS"
  say "$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%-12s %-8s round %s: %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  errors %d/%d", v["scenario"], v["side"], v["round"],
      v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["status"], v["connect"] + v["read"] + v["write"] + v["timeout"] }' <<<"$(tail -n 1 "$RESULTS")")"
}

unpublished() { sql "SELECT COUNT(*) FROM tasks.outbox_messages WHERE published_at IS NULL"; }
drain() { # waits (up to 60 s) until the relay has published every outbox row
  local i
  for i in $(seq 1 300); do [ "$(unpublished)" -eq 0 ] && return 0; sleep 0.2; done
  say "the outbox still holds $(unpublished) unpublished rows 60 s after the POST run"
}

# compare SCENARIO CONNECTIONS SYSTEM-LUA SYSTEM-URL BASELINE-LUA BASELINE-URL [after-system-hook]
compare() {
  local scenario=$1 conns=$2 sys_lua=$3 sys_url=$4 base_lua=$5 base_url=$6 hook=${7:-true} round side
  say "$scenario: warm-up ${WARMUP} s each"
  run "$scenario" baseline warmup "$conns" "$WARMUP" "$base_lua" "$base_url"
  run "$scenario" system warmup "$conns" "$WARMUP" "$sys_lua" "$sys_url"; $hook
  for round in $(seq 1 "$ROUNDS"); do
    # Alternate who goes first, so a drift of the machine does not always favour the same side.
    for side in $( [ $((round % 2)) -eq 1 ] && echo "baseline system" || echo "system baseline"); do
      if [ "$side" = system ]; then run "$scenario" system "$round" "$conns" "$SECONDS_PER_RUN" "$sys_lua" "$sys_url"; $hook
      else run "$scenario" baseline "$round" "$conns" "$SECONDS_PER_RUN" "$base_lua" "$base_url"; fi
    done
  done
}

compare list-c32 32 "$WORK/list-system.lua" "$TASKS_URL/api/tasks" "$WORK/list-baseline.lua" "$BASE_URL/list?user=$LIST_USER"
compare list-c128 128 "$WORK/list-system.lua" "$TASKS_URL/api/tasks" "$WORK/list-baseline.lua" "$BASE_URL/list?user=$LIST_USER"
compare gateway-c32 32 "$WORK/list-system.lua" "$WEB_URL/api/tasks" "$WORK/list-baseline.lua" "$BASE_URL/list?user=$LIST_USER"
compare post-c32 32 "$WORK/post-system.lua" "$TASKS_URL/api/tasks" "$WORK/post-baseline.lua" "$BASE_URL/insert?user=$BASE_INSERT_USER" drain

# Every task the system created has its task.created on the broker: the probe counted them per owner.
drain
sleep 1
created=$(sql "SELECT COUNT(*) FROM tasks.tasks WHERE user_id = '$POST_USER'")
probe=$(curl -fsS "$PROBE_URL/events?user=$POST_USER")
# awk reads to the end (no early exit): curl would fail writing to a closed pipe, and pipefail would stop the run.
backlog=$(curl -fsS "$TASKS_URL/metrics" | awk '/^taskmanagement_outbox_backlog/ && !seen++ { print $2 }')
echo "kind=events created=$created unpublished=$(unpublished) gauge=${backlog:--} $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join(f"{k}={v}" for k, v in d.items()))' "$probe")" >>"$RESULTS"

# Login: one client gives the verify time; 32 show whether the limiter sheds instead of queueing (one wrk thread per
# connection, so the script times each accepted login by itself).
say "login: c=1 for ${VERIFY_SECONDS} s, then c=32 for ${LOGIN_SECONDS} s"
run login-c1 system 1 1 "$VERIFY_SECONDS" "$WORK/login.lua" "$AUTH_URL/api/auth/login"
curl -fsS "$AUTH_URL/metrics" >"$WORK/auth-metrics-before.txt"
# Scraped the moment wrk stops: logins still queued then (wrk drops them uncounted) finish later and stay out.
scrape_auth() { curl -fsS "$AUTH_URL/metrics" >"$WORK/auth-metrics-after.txt"; }
# wrk's 32 threads run at the lowest CPU priority here: the bound (cores ÷ verify time) is Auth's cores, and a load
# generator on the same two cores would otherwise take a third of them from BCrypt (remote clients take none).
AFTER_WRK=scrape_auth THREADS=32 WRK_NICE=$LOGIN_WRK_NICE run login-c32 system 1 32 "$LOGIN_SECONDS" "$WORK/login.lua" "$AUTH_URL/api/auth/login"

# Resident memory after all the load, then the restart times (which reset it).
for name in auth tasks web baseline; do echo "kind=rss name=$name mib=$(rss_mib "${PIDS[$name]}")" >>"$RESULTS"; done
for name in tasks auth; do
  measure_startup "$name"
  echo "kind=startup name=$name seconds=$STARTUP_SECONDS" >>"$RESULTS"
  say "$name restarted: ready after $STARTUP_SECONDS s"
done

{
  echo "kind=meta date=$(date -u +%FT%TZ) cores=$(nproc) mem_gib=$(free -g | awk '/Mem:/ { print $2 }') first_start_s=$first_start"
  echo "kind=meta commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- services bench || echo -dirty) seconds=$SECONDS_PER_RUN rounds=$ROUNDS timeout=$TIMEOUT login_wrk_nice=$LOGIN_WRK_NICE"
  echo "kind=meta cpu=$(awk -F': ' '/model name/ { gsub(/ +/, "_", $2); print $2; exit }' /proc/cpuinfo) mariadb=$(sql 'SELECT VERSION()' | cut -d- -f1) dotnet=$(dotnet --version)"
} >>"$RESULTS"
python3 "$ROOT/scripts/lib/bench_report.py" "$RESULTS" "$WORK/auth-metrics-before.txt" "$WORK/auth-metrics-after.txt" >"$REPORT"
cat "$REPORT"
say "report: ${REPORT#"$ROOT/"} (raw: ${RESULTS#"$ROOT/"}, logs: ${BENCH_LOGS#"$ROOT/"})"
