#!/usr/bin/env bash
# A flame graph of Tasks serving GET /api/tasks under load: starts Auth and Tasks like scripts/bench.sh (Release,
# Production, rate limits raised), creates a user with 50 tasks, runs wrk against GET /api/tasks while dotnet-trace
# (a local dotnet tool, .config/dotnet-tools.json) samples the Tasks process, and renders the samples of its busy
# threads as an SVG (scripts/lib/flamegraph.py).
#
#   scripts/profile.sh [--seconds 20] [--connections 32]
#
# Output: .artifacts/flamegraph-tasks-list.svg (plus the .nettrace and .speedscope.json beside it in
# .artifacts/profile-work/, which speedscope or PerfView open). Ports as for scripts/bench.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=profile
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"

# shellcheck source-path=SCRIPTDIR source=lib/bench-stack.sh
. "$ROOT/scripts/lib/bench-stack.sh"
TRACE_SECONDS=20 CONNECTIONS=32
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) option_value TRACE_SECONDS "$@" ;; --connections) option_value CONNECTIONS "$@" ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done

TRACE_PID=""
cleanup() {
  if [ -n "$TRACE_PID" ]; then kill -INT "$TRACE_PID" 2>/dev/null || true; wait "$TRACE_PID" 2>/dev/null || true; fi
  stop_stack
}
stop_stack_on_exit "the profiler" cleanup

WORK="$BENCH_ARTIFACTS/profile-work"
SVG="$BENCH_ARTIFACTS/flamegraph-tasks-list.svg"
rm -rf "$WORK"; mkdir -p "$WORK"
for name in auth tasks; do : >"$BENCH_LOGS/$name.log"; done
dotnet tool restore >"$BENCH_LOGS/tool-restore.log" 2>&1 || { cat "$BENCH_LOGS/tool-restore.log" >&2; die "dotnet tool restore failed"; }

prepare_stack services/TaskManagement.Auth services/TaskManagement.Tasks
start_all auth tasks
token=$(register_user "profile_$(date +%s)" 'Profile-Password-123!')
say "creating 50 tasks"
create_tasks "$token" 50

say "warm-up: 5 s of GET /api/tasks"
wrk -t2 -c"$CONNECTIONS" -d5s -H "authorization: Bearer $token" "$TASKS_URL/api/tasks" >/dev/null

say "tracing Tasks (pid ${PIDS[tasks]}) for $TRACE_SECONDS s under wrk -c$CONNECTIONS"
duration=$(printf '00:00:%02d:%02d' $((TRACE_SECONDS / 60)) $((TRACE_SECONDS % 60)))
dotnet dotnet-trace collect -p "${PIDS[tasks]}" --profile dotnet-sampled-thread-time --format Speedscope \
  --duration "$duration" -o "$WORK/tasks-list.nettrace" </dev/null >"$BENCH_LOGS/dotnet-trace.log" 2>&1 &
TRACE_PID=$!
# The load starts with the trace and outlasts it, so every sample is taken under load.
wrk -t2 -c"$CONNECTIONS" -d"$((TRACE_SECONDS + 3))s" --latency -H "authorization: Bearer $token" "$TASKS_URL/api/tasks" | tee "$WORK/wrk.txt"
status=0; wait "$TRACE_PID" || status=$?
TRACE_PID=""
[ "$status" -eq 0 ] || { cat "$BENCH_LOGS/dotnet-trace.log" >&2; die "dotnet-trace failed (exit $status)"; }
speedscope=$(find "$WORK" -name '*.speedscope.json' | head -1)
[ -n "$speedscope" ] || { cat "$BENCH_LOGS/dotnet-trace.log" >&2; die "dotnet-trace wrote no speedscope file"; }

rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
python3 "$ROOT/scripts/lib/flamegraph.py" "$speedscope" "$SVG" \
  "Tasks: GET /api/tasks (50 rows), wrk -c$CONNECTIONS, ${rps} req/s, $(date -u +%F), commit $(git rev-parse --short HEAD)"
say "flame graph: ${SVG#"$ROOT/"} (trace: ${WORK#"$ROOT/"})"
