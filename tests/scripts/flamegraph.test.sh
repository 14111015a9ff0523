#!/usr/bin/env bash
# scripts/lib/flamegraph.py folds a speedscope profile (as dotnet-trace writes it) into a flame graph SVG of the busy
# threads: a parked thread-pool worker is left out, the threads' stacks merge, widths follow the time.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failures=0
# Frames: 0 process, 1/2 threads, 3 worker start, 4 park, 5 native, 6 endpoint, 7 query, 8 JSON, 9 CPU.
cat >"$tmp/profile.speedscope.json" <<'JSON'
{"shared": {"frames": [
  {"name": "Process64 dotnet (1)"}, {"name": "Thread (11)"}, {"name": "Thread (12)"},
  {"name": "System.Private.CoreLib!System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart()"},
  {"name": "System.Private.CoreLib!System.Threading.LowLevelLifoSemaphore.Wait(int32,bool)"},
  {"name": "UNMANAGED_CODE_TIME"},
  {"name": "TaskManagement.Tasks!TaskManagement.Tasks.Features.TaskQueryEndpoints.ListAsync(class TaskListQuery)"},
  {"name": "Microsoft.EntityFrameworkCore!QueryCompiler.ExecuteCore()"},
  {"name": "System.Text.Json!JsonSerializer.Serialize()"},
  {"name": "CPU_TIME"}]},
 "profiles": [
  {"type": "evented", "name": "Thread (11)", "unit": "milliseconds", "startValue": 0, "endValue": 100, "events": [
    {"type": "O", "frame": 0, "at": 0}, {"type": "O", "frame": 1, "at": 0}, {"type": "O", "frame": 3, "at": 0},
    {"type": "O", "frame": 6, "at": 0}, {"type": "O", "frame": 7, "at": 0}, {"type": "O", "frame": 9, "at": 0},
    {"type": "C", "frame": 9, "at": 30}, {"type": "C", "frame": 7, "at": 30},
    {"type": "O", "frame": 8, "at": 30}, {"type": "O", "frame": 9, "at": 30}, {"type": "C", "frame": 9, "at": 40},
    {"type": "C", "frame": 8, "at": 40}, {"type": "C", "frame": 6, "at": 40},
    {"type": "O", "frame": 4, "at": 40}, {"type": "O", "frame": 5, "at": 40}, {"type": "C", "frame": 5, "at": 100},
    {"type": "C", "frame": 4, "at": 100}, {"type": "C", "frame": 3, "at": 100}, {"type": "C", "frame": 1, "at": 100}, {"type": "C", "frame": 0, "at": 100}]},
  {"type": "evented", "name": "Thread (12)", "unit": "milliseconds", "startValue": 0, "endValue": 100, "events": [
    {"type": "O", "frame": 0, "at": 0}, {"type": "O", "frame": 2, "at": 0}, {"type": "O", "frame": 3, "at": 0},
    {"type": "O", "frame": 6, "at": 0}, {"type": "O", "frame": 7, "at": 0}, {"type": "O", "frame": 9, "at": 0},
    {"type": "C", "frame": 9, "at": 60}, {"type": "C", "frame": 7, "at": 60}, {"type": "C", "frame": 6, "at": 60},
    {"type": "O", "frame": 5, "at": 60}, {"type": "C", "frame": 5, "at": 100},
    {"type": "C", "frame": 3, "at": 100}, {"type": "C", "frame": 2, "at": 100}, {"type": "C", "frame": 0, "at": 100}]}]}
JSON
out="$(python3 "$ROOT/scripts/lib/flamegraph.py" "$tmp/profile.speedscope.json" "$tmp/graph.svg" "Test graph" 2>&1)" || echo "$out"
svg="$(cat "$tmp/graph.svg" 2>/dev/null)"
expect() { # name text [absent]
  if [ "${3:-}" = absent ]; then ! grep -qF -- "$2" <<<"$svg"; else grep -qF -- "$2" <<<"$svg"; fi \
    && echo "  ok   $1" || { echo "  FAIL $1: ${3:-present} '$2'"; failures=$((failures + 1)); }
}
# Busy: thread 11 30 ms query + 10 ms JSON, thread 12 60 ms query (its 40 ms between items are a worker spinning) = 100 ms.
expect "the busy time of both threads, merged" "<title>TaskManagement.Tasks.Features.TaskQueryEndpoints.ListAsync (100.00 %)</title>"
expect "a callee's share of the busy time" "<title>Microsoft.EntityFrameworkCore!QueryCompiler.ExecuteCore (90.00 %)</title>" absent
expect "module and arguments dropped from the names" "<title>QueryCompiler.ExecuteCore (90.00 %)</title>"
expect "the JSON frame's share" "<title>JsonSerializer.Serialize (10.00 %)</title>"
expect "a parked worker is left out" "LowLevelLifoSemaphore" absent
expect "a worker between items is left out" "<title>UNMANAGED_CODE_TIME" absent
expect "process and thread frames are dropped" "Thread (1" absent
expect "the title" ">Test graph</text>"
expect "the subtitle says how much time was busy" "0.1 s of sampled thread time (50% of all threads"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/graph.svg" && echo "  ok   well-formed SVG" \
  || { echo "  FAIL the SVG is not well-formed XML"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
