#!/usr/bin/env python3
"""The live-update scale of issue #14, measured against a running Auth and Tasks (scripts/bench-stream.sh starts them).

  idle:  --streams idle streams (spread over --users users) open on one Tasks instance; its resident memory before
         and after they are all connected (each has read `: live`), the extra must stay <= 50 MiB.
  burst: one stream per user, then --events task POSTs spread evenly over the users (--post-concurrency at a time, from
         a separate process so the readers' clock is not held up by the posting); each event's delay is its receipt on
         the stream minus the millisecond timestamp of its id (a UUIDv7 drawn with the CloudEvent `time`, just before
         the task's transaction commits), p99 must be <= 250 ms. Every event must reach its owner's stream exactly once
         and no other.

Standard library only (asyncio, raw HTTP/1.1), so it runs wherever scripts/bench.sh runs. Prints `kind=…` lines (the
raw results) and writes the Markdown report to --report.
"""
import argparse
import asyncio
import base64
import codecs
import json
import math
import os
import sys
import time
import urllib.parse
import uuid

RSS_EXTRA_LIMIT_MIB = 50
P99_LIMIT_MS = 250


def uuid7_millis(value):
    """The Unix-millisecond timestamp in the first 48 bits of a UUIDv7 (None for any other version)."""
    u = uuid.UUID(value)
    return u.int >> 80 if u.version == 7 else None


def percentile(values, q):
    """Nearest-rank percentile (the value at rank ceil(q * n)), as scripts/bench.sh's wrk script does."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


class SseParser:
    """Server-sent events from text fed in pieces: yields (id, event, data) per event; comments yield ('', ':', text)."""

    def __init__(self):
        self._buffer = ""
        self._fields = {}

    def feed(self, text):
        self._buffer += text
        events = []
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            line = line.rstrip("\r")
            if line == "":
                if "data" in self._fields:  # as in a browser: a block without data (retry: alone) is no event
                    events.append((self._fields.get("id", ""), self._fields.get("event", "message"), self._fields.get("data", "")))
                self._fields = {}
            elif line.startswith(":"):
                events.append(("", ":", line[1:].strip()))
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "data" and "data" in self._fields:
                    value = self._fields["data"] + "\n" + value
                self._fields[name] = value
        return events


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Http:
    """One keep-alive HTTP/1.1 connection (enough for the JSON calls of this tool)."""

    def __init__(self, base):
        self.url = urllib.parse.urlsplit(base)
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.url.hostname, self.url.port or 80)

    async def request(self, method, path, body=None, token=None):
        if self.writer is None:
            await self.open()
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.url.netloc}\r\nContent-Length: {len(data)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + data)
        await self.writer.drain()
        status, headers = await read_head(self.reader)
        if "content-length" in headers:
            payload = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while (chunk := await read_chunk(self.reader)) is not None:
                payload += chunk
        else:
            payload = b""
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, payload

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def read_head(reader):
    status_line = (await reader.readline()).decode()
    if not status_line:
        raise ConnectionError("connection closed before a response")
    status = int(status_line.split()[1])
    headers = {}
    while (line := (await reader.readline()).decode().rstrip("\r\n")) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def read_chunk(reader):
    """One chunk of a chunked body; None after the last (zero-size) one."""
    size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
    if size == 0:
        await reader.readline()
        return None
    data = await reader.readexactly(size)
    await reader.readexactly(2)
    return data


class Stream:
    """A reader of GET /api/tasks/stream for one user: records each event with its receipt time."""

    def __init__(self, base, user, token):
        self.base, self.user, self.token = urllib.parse.urlsplit(base), user, token
        self.connected = asyncio.Event()
        self.events = []  # (received epoch seconds, id, type, data)
        self.error = None
        self.task = None

    def start(self):
        self.task = asyncio.create_task(self._run())

    async def _run(self):
        writer = None
        try:
            reader, writer = await asyncio.open_connection(self.base.hostname, self.base.port or 80)
            writer.write((f"GET /api/tasks/stream HTTP/1.1\r\nHost: {self.base.netloc}\r\nAccept: text/event-stream\r\n"
                          f"Authorization: Bearer {self.token}\r\n\r\n").encode())
            await writer.drain()
            status, headers = await read_head(reader)
            if status != 200 or not headers.get("content-type", "").startswith("text/event-stream"):
                raise RuntimeError(f"stream answered {status} {headers.get('content-type')}")
            chunked = headers.get("transfer-encoding", "").lower() == "chunked"
            parser = SseParser()
            text = codecs.getincrementaldecoder("utf-8")()  # a character may be split between two reads
            while True:
                data = await read_chunk(reader) if chunked else (await reader.read(65536) or None)
                if data is None:
                    raise ConnectionError("the server ended the stream")
                received = time.time()
                for event_id, event_type, payload in parser.feed(text.decode(data)):
                    if event_type == ":":
                        if payload == "live":
                            self.connected.set()
                    else:
                        self.events.append((received, event_id, event_type, payload))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # recorded: the caller reports every failed stream
            self.error = f"{type(error).__name__}: {error}"
            self.connected.set()
        finally:
            if writer is not None:
                writer.close()

    async def stop(self):
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


async def create_users(auth, count, prefix, password, concurrency):
    """Registers and logs in `count` users (a few at a time: each is a BCrypt hash and verify); [(user id, token)]."""
    users = [None] * count
    queue = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker():
        http = Http(auth)
        try:
            while not queue.empty():
                i = queue.get_nowait()
                body = {"username": f"{prefix}_{i}", "password": password}
                for path, accepted in (("/api/auth/register", 201), ("/api/auth/login", 200)):
                    for attempt in range(30):
                        status, headers, payload = await http.request("POST", path, body)
                        if status != 503:  # Auth sheds BCrypt load with 503 + Retry-After
                            break
                        await asyncio.sleep(float(headers.get("retry-after", "1")))
                    if status != accepted:
                        raise RuntimeError(f"{path} for {body['username']}: {status} {payload[:200]!r}")
                token = json.loads(payload)["token"]
                users[i] = (token_subject(token), token)
        finally:
            http.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return users


def token_subject(token):
    """The token's sub claim (the user id the stream's events carry as userId)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


async def open_streams(tasks_url, pairs, timeout, batch=100):
    """Opens the streams `batch` at a time (a thousand SYNs at once would overflow the listen backlog and measure
    TCP retransmission instead); returns when all are connected or failed, or after `timeout` seconds."""
    streams = [Stream(tasks_url, user, token) for user, token in pairs]
    deadline = time.monotonic() + timeout
    for first in range(0, len(streams), batch):
        group = streams[first:first + batch]
        for stream in group:
            stream.start()
        try:
            await asyncio.wait_for(asyncio.gather(*(s.connected.wait() for s in group)), max(0.1, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
    return streams


async def metric(tasks_url, name):
    http = Http(tasks_url)
    try:
        status, _, payload = await http.request("GET", "/metrics")
    finally:
        http.close()
    if status != 200:
        return None
    total = None
    for line in payload.decode().splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total = (total or 0) + float(line.rsplit(" ", 1)[1])
    return total


async def idle(args, users, out):
    per_user = [users[i % len(users)] for i in range(args.streams)]
    # A few streams opened and closed first: the code they load once (JIT, the endpoint's types) is not per stream.
    warm = await open_streams(args.tasks_url, per_user[:10], args.connect_timeout)
    await asyncio.gather(*(s.stop() for s in warm))
    await asyncio.sleep(args.settle)
    before = rss_mib(args.tasks_pid)
    started = time.monotonic()
    streams = await open_streams(args.tasks_url, per_user, args.connect_timeout)
    connect_s = time.monotonic() - started
    failed = [s for s in streams if s.error or not s.connected.is_set()]
    # The highest RSS while they are held (heartbeats included when --hold exceeds the heartbeat interval).
    peak = rss_mib(args.tasks_pid)
    deadline = time.monotonic() + args.hold
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        peak = max(peak, rss_mib(args.tasks_pid))
    failed = [s for s in streams if s.error or not s.connected.is_set()]
    open_gauge = await metric(args.tasks_url, "taskmanagement_live_streams")
    out(f"kind=idle streams={len(streams)} users={len(users)} connected={len(streams) - len(failed)} connect_s={connect_s:.2f} "
        f"hold_s={args.hold} rss_before_mib={before:.1f} rss_peak_mib={peak:.1f} extra_mib={peak - before:.1f} "
        f"open_gauge={open_gauge if open_gauge is not None else '-'}")
    for s in failed[:5]:
        out(f"kind=idle_error user={s.user} error={(s.error or 'not connected').replace(' ', '_')}")
    await asyncio.gather(*(s.stop() for s in streams))
    return {"streams": len(streams), "connected": len(streams) - len(failed), "before": before, "peak": peak,
            "connect_s": connect_s, "gauge": open_gauge}


async def post_burst(tasks_url, pairs, per_user, concurrency):
    """POSTs per_user tasks for every user, `concurrency` at a time; [(user, task id, status)] and the seconds taken."""
    jobs = asyncio.Queue()
    for n in range(per_user):
        for user, token in pairs:
            jobs.put_nowait((user, token, n))
    results = []

    async def worker():
        http = Http(tasks_url)
        try:
            while not jobs.empty():
                user, token, n = jobs.get_nowait()
                status, _, payload = await http.request("POST", "/api/tasks", {"title": f"Stream burst {n}", "priority": "low"}, token)
                results.append((user, json.loads(payload)["id"] if status == 201 else None, status))
        finally:
            http.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results, time.monotonic() - started


def post_process(args):
    """The --post child: reads the users from stdin, posts, prints the outcome as JSON."""
    pairs = json.load(sys.stdin)
    results, seconds = asyncio.run(post_burst(args.tasks_url, pairs, args.per_user, args.post_concurrency))
    json.dump({"results": results, "seconds": seconds}, sys.stdout)


async def probe_stats(probe_url, user_ids):
    """The broker-side view of the same events (scripts/bench.sh's event probe, on its own queue bound to the tasks
    exchange): their count, the median of the users' p50 and the overall max, in ms. It only has per-user
    percentiles, so this splits the delay (relay + broker vs the replica's consumer, hub and SSE write) roughly."""
    http = Http(probe_url)
    stats = []
    try:
        for user in user_ids:
            status, _, payload = await http.request("GET", f"/events?user={user}")
            if status == 200:
                stats.append(json.loads(payload))
    finally:
        http.close()
    stats = [x for x in stats if x.get("events")]
    if not stats:
        return None
    return sum(x["events"] for x in stats), percentile([x["p50Ms"] for x in stats], 0.5), max(x["maxMs"] for x in stats)


async def post_from_child(args, pairs, per_user):
    """Runs the POSTs in a separate process (see --post) and returns its outcome."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, os.path.abspath(__file__), "--post", "--tasks-url", args.tasks_url, "--per-user", str(per_user),
        "--post-concurrency", str(args.post_concurrency), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    stdout, _ = await child.communicate(json.dumps(pairs).encode())
    if child.returncode != 0:
        raise RuntimeError(f"the posting process failed ({child.returncode})")
    return json.loads(stdout)


async def burst(args, users, out):
    pairs = users[: args.burst_streams]
    per_user = max(1, args.events // len(pairs))
    if args.warmup_events > 0:
        # Not measured, before the streams open: a process's first task events build what it builds once (the
        # publish pipeline and channel of the tasks exchange, the broadcast consumer's and the hub's code paths).
        await post_from_child(args, pairs[: args.warmup_events], 1)
        await asyncio.sleep(2)
    streams = await open_streams(args.tasks_url, pairs, args.connect_timeout)
    not_connected = [s for s in streams if s.error or not s.connected.is_set()]
    if not_connected:
        raise RuntimeError(f"{len(not_connected)} burst streams did not connect: {not_connected[0].error}")
    posted = await post_from_child(args, pairs, per_user)
    created = {task_id: user for user, task_id, status in posted["results"] if status == 201}
    failed_posts = sum(1 for _, _, status in posted["results"] if status != 201)

    # Wait until every created task's event arrived (or the deadline), then judge.
    deadline = time.monotonic() + args.deliver_timeout
    def delivered():
        return sum(1 for s in streams for e in s.events if e[2].endswith(".task.created.v1"))
    while delivered() < len(created) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # a late duplicate or stray event would show now

    delays, seen, foreign, duplicates, bad_ids = [], set(), 0, 0, 0
    for s in streams:
        for received, event_id, event_type, payload in s.events:
            data = json.loads(payload)
            if data.get("userId") != s.user:
                foreign += 1
            if event_id in seen:
                duplicates += 1
            seen.add(event_id)
            task_id = data.get("taskId")
            if task_id in created:
                millis = uuid7_millis(event_id)
                if millis is None:
                    bad_ids += 1
                else:
                    delays.append(received * 1000 - millis)
    broker = await probe_stats(args.probe_url, [user for user, _ in pairs]) if args.probe_url else None
    got = {json.loads(e[3]).get("taskId") for s in streams for e in s.events}
    missing = sum(1 for task_id in created if task_id not in got)
    errors = [s for s in streams if s.error]
    result = {"streams": len(streams), "posted": len(posted["results"]), "created": len(created), "failed_posts": failed_posts,
              "post_s": posted["seconds"], "delivered": len(delays), "missing": missing, "foreign": foreign,
              "duplicates": duplicates, "bad_ids": bad_ids, "stream_errors": len(errors),
              "p50": percentile(delays, 0.5), "p99": percentile(delays, 0.99), "max": max(delays) if delays else None,
              "broker_events": broker and broker[0], "broker_p50": broker and broker[1], "broker_max": broker and broker[2]}
    out("kind=burst " + " ".join(f"{k}={(f'{v:.1f}' if isinstance(v, float) else v) if v is not None else '-'}" for k, v in result.items()))
    for s in errors[:5]:
        out(f"kind=burst_error user={s.user} error={s.error.replace(' ', '_')}")
    await asyncio.gather(*(s.stop() for s in streams))
    return result


def mark(ok):
    return "✅" if ok else "❌"


def report(idle_result, burst_result, args):
    lines = ["## Live updates: streams on one Tasks instance (`scripts/bench-stream.sh`)", "",
             f"{args.streams} idle streams of {args.users} users; a burst of {burst_result['posted']} task POSTs "
             f"({args.post_concurrency} at a time) to {burst_result['streams']} streams of their users, after "
             f"{args.warmup_events} warm-up POSTs (not measured).", "",
             "| target (issue #14) | measured | |", "|---|---|---|"]
    extra = idle_result["peak"] - idle_result["before"]
    idle_ok = idle_result["connected"] == idle_result["streams"] and extra <= RSS_EXTRA_LIMIT_MIB
    lines.append(f"| {idle_result['streams']} idle streams, extra resident memory ≤ {RSS_EXTRA_LIMIT_MIB} MiB | "
                 f"{extra:.1f} MiB ({idle_result['before']:.1f} → {idle_result['peak']:.1f} MiB peak over {args.hold} s); "
                 f"{idle_result['connected']}/{idle_result['streams']} connected in {idle_result['connect_s']:.1f} s | {mark(idle_ok)} |")
    b = burst_result
    complete = b["missing"] == 0 and b["foreign"] == 0 and b["duplicates"] == 0 and b["failed_posts"] == 0 and b["stream_errors"] == 0
    p99_ok = b["p99"] is not None and b["p99"] <= P99_LIMIT_MS and complete
    fmt = lambda v: "-" if v is None else f"{v:.0f}"
    lines.append(f"| burst of {b['created']} events to {b['streams']} streams, commit → stream p99 ≤ {P99_LIMIT_MS} ms | "
                 f"p50 {fmt(b['p50'])} / p99 {fmt(b['p99'])} / max {fmt(b['max'])} ms; POSTs took {b['post_s']:.1f} s | {mark(p99_ok)} |")
    lines.append(f"| every event on its owner's stream once, no other | {b['delivered']}/{b['created']} delivered, "
                 f"{b['missing']} missing, {b['duplicates']} duplicates, {b['foreign']} foreign, {b['failed_posts']} failed POSTs, "
                 f"{b['stream_errors']} streams ended | {mark(complete)} |")
    if b.get("broker_events"):
        lines.append(f"| (information) the same events at a broker probe on its own queue | {b['broker_events']} events; "
                     f"median of the users' p50 {fmt(b['broker_p50'])} ms, max {fmt(b['broker_max'])} ms | |")
    lines += ["", "Delay = receipt on the stream − the timestamp of the event's UUIDv7 id (drawn with the CloudEvent `time`, "
              "just before the commit), on one clock. The burst's p99 includes queueing behind the burst's own POSTs."]
    return "\n".join(lines) + "\n", idle_ok and p99_ok


async def main_async(args):
    out = lambda line: print(line, flush=True)
    say = lambda text: print(f"[bench-stream] {text}", file=sys.stderr, flush=True)
    need = max(args.users, args.burst_streams)
    say(f"registering {need} users")
    users = await create_users(args.auth_url, need, f"stream_{int(time.time())}", "Stream-Bench-Password-123!", args.register_concurrency)
    say(f"idle: {args.streams} streams")
    idle_result = await idle(args, users[: args.users], out)
    say(f"burst: {args.events} events to {args.burst_streams} streams")
    burst_result = await burst(args, users, out)
    text, ok = report(idle_result, burst_result, args)
    if args.report:
        with open(args.report, "w") as file:
            file.write(text)
    else:
        print(text)
    return 0 if ok or not args.strict else 1


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks-url", default="http://localhost:5102")
    p.add_argument("--auth-url", default="http://localhost:5101")
    p.add_argument("--probe-url", help="scripts/bench.sh's event probe, for the broker-side delay of the same events")
    p.add_argument("--tasks-pid", type=int, help="the Tasks process, for its resident memory")
    p.add_argument("--streams", type=int, default=1000)
    p.add_argument("--users", type=int, default=100)
    p.add_argument("--burst-streams", type=int, default=100)
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--post-concurrency", type=int, default=16)
    p.add_argument("--warmup-events", type=int, default=20, help="task POSTs (one per user) before the burst, not measured")
    p.add_argument("--register-concurrency", type=int, default=2)
    p.add_argument("--hold", type=float, default=25, help="seconds the idle streams are held open (past one heartbeat)")
    p.add_argument("--settle", type=float, default=2, help="seconds of quiet before the idle baseline is read")
    p.add_argument("--connect-timeout", type=float, default=60)
    p.add_argument("--deliver-timeout", type=float, default=30)
    p.add_argument("--report")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--post", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--per-user", type=int, default=10, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.post and args.tasks_pid is None:
        p.error("--tasks-pid is required")
    return args


if __name__ == "__main__":
    arguments = parse(sys.argv[1:])
    if arguments.post:
        post_process(arguments)
    else:
        sys.exit(asyncio.run(main_async(arguments)))
