#!/usr/bin/env bash
# The live-update scale of issue #14, in one command: publishes and starts Auth, Tasks and the event probe as
# scripts/bench.sh does (Release, Production, per-client rate limits raised), then scripts/lib/stream_load.py
#   - holds --streams idle GET /api/tasks/stream connections (spread over --users users) on the one Tasks instance and
#     reports its extra resident memory (target ≤ 50 MiB for 1,000 streams) over --hold seconds (past a heartbeat);
#   - opens one stream for each of --burst-streams users and POSTs --events tasks spread over them, --post-concurrency
#     at a time; reports commit → stream delay p50/p99/max (target p99 ≤ 250 ms for 1,000 events to 100 streams) and
#     that every event reached its owner's stream once and no other stream. Before it, --warmup-events POSTs (one per
#     user, not measured) let Tasks build what its first task events build once (publish pipeline, consumer paths).
#
#   scripts/bench-stream.sh [--streams 1000] [--users 100] [--burst-streams 100] [--events 1000] [--post-concurrency 16] [--hold 25] [--warmup-events 20]
#
# Registering the users costs two BCrypt operations each (about a minute for 100). Writes .artifacts/bench-stream-report.md
# (and prints it); raw lines in .artifacts/bench-stream-results.txt; logs in .artifacts/bench-logs/. Ports as for
# scripts/bench.sh. Exits 1 when a target is missed. Run it on an otherwise quiet machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=bench-stream
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"

# shellcheck source-path=SCRIPTDIR source=lib/bench-stack.sh
. "$ROOT/scripts/lib/bench-stack.sh"
STREAMS=1000 USERS=100 BURST_STREAMS=100 EVENTS=1000 POST_CONCURRENCY=16 HOLD=25 WARMUP_EVENTS=20
while [ $# -gt 0 ]; do
  case $1 in
    --streams) option_value STREAMS "$@" ;; --users) option_value USERS "$@" ;;
    --burst-streams) option_value BURST_STREAMS "$@" ;; --events) option_value EVENTS "$@" ;;
    --post-concurrency) option_value POST_CONCURRENCY "$@" ;; --hold) option_value HOLD "$@" ;;
    --warmup-events) option_value WARMUP_EVENTS "$@" ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
# Each stream is a socket here and in Tasks: the limit of open files must leave room for them.
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((STREAMS + 200)) ] || ulimit -n $((STREAMS + 200)) 2>/dev/null \
  || { echo "the open-file limit ($(ulimit -n)) is below --streams $STREAMS + 200" >&2; exit 2; }

stop_stack_on_exit "the benchmark"

RESULTS="$BENCH_ARTIFACTS/bench-stream-results.txt"
REPORT="$BENCH_ARTIFACTS/bench-stream-report.md"
rm -f "$RESULTS" "$REPORT"
for name in auth tasks probe; do : >"$BENCH_LOGS/$name.log"; done

# The event probe (bench/TaskManagement.Bench.Baseline) sees the same events on the broker: the report sets its
# delay beside the stream's, which splits relay + broker from the replica's consumer, hub and SSE write.
prepare_stack services/TaskManagement.Auth services/TaskManagement.Tasks bench/TaskManagement.Bench.Baseline
start_all auth tasks probe

status=0
python3 "$ROOT/scripts/lib/stream_load.py" --strict --tasks-url "$TASKS_URL" --auth-url "$AUTH_URL" --probe-url "$PROBE_URL" --tasks-pid "${PIDS[tasks]}" \
  --streams "$STREAMS" --users "$USERS" --burst-streams "$BURST_STREAMS" --events "$EVENTS" \
  --post-concurrency "$POST_CONCURRENCY" --hold "$HOLD" --warmup-events "$WARMUP_EVENTS" --report "$REPORT" >"$RESULTS" || status=$?
grep '^kind=' "$RESULTS" >&2 || true
[ -s "$REPORT" ] || die "no report (see $RESULTS and ${BENCH_LOGS#"$ROOT/"}/tasks.log)"
{
  echo
  echo "Run $(date -u +%FT%TZ) on $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- services || echo -dirty)," \
    "Tasks resident memory at the end $(rss_mib "${PIDS[tasks]}") MiB."
} >>"$REPORT"
cat "$REPORT"
say "report: ${REPORT#"$ROOT/"} (raw: ${RESULTS#"$ROOT/"}, logs: ${BENCH_LOGS#"$ROOT/"})"
exit "$status"
