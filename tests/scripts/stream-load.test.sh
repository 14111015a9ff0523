#!/usr/bin/env bash
# scripts/lib/stream_load.py (scripts/bench-stream.sh) judges issue #14's stream targets: the delay comes from the
# event id's UUIDv7 timestamp, SSE arrives split anywhere, p99 is nearest-rank, the targets hold at their edges, and
# a missing, duplicate or foreign event fails the burst whatever its latency.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHONPATH="$ROOT/scripts/lib" python3 - <<'PY'
import sys
from types import SimpleNamespace
import stream_load as s

failures = 0
def expect(name, condition):
    global failures
    print(f"  {'ok  ' if condition else 'FAIL'} {name}")
    failures += 0 if condition else 1

# 0x019AF7C0D000 ms = 2025-11-28T…: the first 48 bits of a UUIDv7.
expect("a UUIDv7's first 48 bits are its Unix milliseconds", s.uuid7_millis("019af7c0-d000-7abc-8def-0123456789ab") == 0x019AF7C0D000)
expect("an id that is not a UUIDv7 has no timestamp", s.uuid7_millis("6f1c2d3e-4a5b-4c6d-8e7f-000000000000") is None)

expect("p99 of 1..100 is 99 (nearest rank)", s.percentile(list(range(1, 101)), 0.99) == 99)
expect("p99 of 1..1000 is 990", s.percentile(list(range(1000, 0, -1)), 0.99) == 990)
expect("p50 of one value is that value", s.percentile([7], 0.5) == 7)
expect("no values, no percentile", s.percentile([], 0.99) is None)

p = s.SseParser()
text = "retry: 3000\n: live\n\nid: a\nevent: com.taskmanagement.task.created.v1\ndata: {\"x\":1}\n\n: heartbeat\n\nevent: reset\ndata: {}\n\n"
events = []
for i in range(0, len(text), 7):  # arrives in pieces cut anywhere, even inside a field name
    events += p.feed(text[i:i + 7])
expect("comments, an event and a reset are parsed across arbitrary chunk boundaries",
       events == [("", ":", "live"), ("a", "com.taskmanagement.task.created.v1", '{"x":1}'), ("", ":", "heartbeat"), ("", "reset", "{}")])
expect("an incomplete event is not yielded yet", s.SseParser().feed("id: b\ndata: {}\n") == [])

args = SimpleNamespace(streams=1000, users=100, hold=10, post_concurrency=16, warmup_events=20)
idle = {"streams": 1000, "connected": 1000, "before": 100.0, "peak": 150.0, "connect_s": 3.0}
burst = {"streams": 100, "posted": 1000, "created": 1000, "failed_posts": 0, "post_s": 4.0, "delivered": 1000, "missing": 0,
         "foreign": 0, "duplicates": 0, "bad_ids": 0, "stream_errors": 0, "p50": 20.0, "p99": 250.0, "max": 300.0}
text, ok = s.report(idle, burst, args)
expect("exactly 50 MiB extra and a p99 of exactly 250 ms meet the targets", ok and text.count("✅") == 3)
text, ok = s.report({**idle, "peak": 150.1}, burst, args)
expect("50.1 MiB extra misses the memory target", not ok and "50.1 MiB" in text and text.count("❌") == 1)
text, ok = s.report({**idle, "connected": 999}, burst, args)
expect("a stream that did not connect fails the idle target", not ok)
text, ok = s.report(idle, {**burst, "p99": 251.0}, args)
expect("a p99 of 251 ms misses the latency target", not ok and "p99 251" in text)
for flaw in ("missing", "duplicates", "foreign", "failed_posts", "stream_errors"):
    text, ok = s.report(idle, {**burst, flaw: 1}, args)
    expect(f"one {flaw.replace('_', ' ')} fails the burst even with a fast p99", not ok and text.count("❌") == 2)
text, ok = s.report(idle, {**burst, "p99": None, "p50": None, "max": None, "delivered": 0, "missing": 1000}, args)
expect("no delivery at all fails", not ok and "p99 -" in text)

if failures:
    print(f"{failures} failure(s)")
    sys.exit(1)
PY
