#!/usr/bin/env python3
"""Turns scripts/bench.sh's raw results into the Markdown report: medians of the rounds, ratios, the issue's targets.

    bench_report.py RESULTS [AUTH_METRICS_BEFORE AUTH_METRICS_AFTER]

RESULTS has one record per line, `kind=... key=value ...` (see bench.sh). The two metrics files are Auth's
Prometheus scrapes around the login run: their http.server.request.duration histogram gives the server-side
latency of the accepted logins alone (wrk's latency mixes them with the rejected ones).
"""
import re
import statistics
import sys

PROCESSES = {"system": ["tasks", "web", "auth", "mariadb"], "baseline": ["baseline", "mariadb"]}
NAMES = {"tasks": "Tasks", "web": "Web", "auth": "Auth", "baseline": "Baseline", "mariadb": "MariaDB", "probe": "Probe"}
SCENARIOS = [
    ("list-c32", "GET /api/tasks (50 rows), c=32", "GET /list"),
    ("list-c128", "GET /api/tasks (50 rows), c=128", "GET /list"),
    ("gateway-c32", "GET /api/tasks via the Web gateway, c=32 (information)", "GET /list"),
    ("post-c32", "POST /api/tasks, c=32", "POST /insert"),
]
RSS_LIMIT_MIB = 150


def parse(path):
    records = []
    for line in open(path, encoding="utf-8"):
        if line.strip():
            records.append(dict(token.split("=", 1) for token in line.split()))
    return records


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Run:
    def __init__(self, r):
        self.r = r
        self.rps = int(r["requests"]) / (int(r["duration_us"]) / 1e6)
        self.p50 = int(r["p50_us"]) / 1000
        self.p99 = int(r["p99_us"]) / 1000
        self.non2xx = int(r["status"])
        self.timeouts = int(r["timeout"])
        self.socket_errors = int(r["connect"]) + int(r["read"]) + int(r["write"]) + self.timeouts
        self.requests = int(r["requests"])
        # Login runs time each 2xx by itself (one connection per wrk thread); -1 when none was accepted.
        self.accepted_us = {q: num(r.get(f"accepted_{q}_us")) for q in ("p50", "p99", "max")}
        self.codes = {} if r.get("codes", "-") == "-" else {int(k): int(v) for k, v in (c.split(":") for c in r["codes"].split(","))}

    def cpu(self, process):
        before, after = num(self.r.get(f"cpu0_{process}")), num(self.r.get(f"cpu1_{process}"))
        return None if before is None or after is None else after - before

    def rss(self, process):
        return num(self.r.get(f"rss_{process}"))


class Side:
    """The rounds of one side of a scenario, summarised by their medians (errors are summed: any one is a failure)."""

    def __init__(self, runs):
        self.runs = runs
        self.rps = statistics.median(r.rps for r in runs)
        self.p50 = statistics.median(r.p50 for r in runs)
        self.p99 = statistics.median(r.p99 for r in runs)
        self.non2xx = sum(r.non2xx for r in runs)
        self.socket_errors = sum(r.socket_errors for r in runs)

    def cpu(self, process):
        values = [v for v in (r.cpu(process) for r in self.runs) if v is not None]
        return statistics.median(values) if values else None

    def cpu_ms_per_request(self, processes):
        per_run = []
        for r in self.runs:
            used = [r.cpu(p) for p in processes]
            if None in used or r.requests == 0:
                return None
            per_run.append(sum(used) * 1000 / r.requests)
        return statistics.median(per_run)


def quantile_from_histogram(buckets, q):
    """buckets: sorted (upper bound, cumulative count). Linear interpolation inside the bucket, like Prometheus."""
    if not buckets or buckets[-1][1] <= 0:
        return None
    total = buckets[-1][1]
    rank = q * total
    lower, below = 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float("inf"):
                return float("inf")
            return lower + (bound - lower) * ((rank - below) / (count - below) if count > below else 1)
        lower, below = bound, count
    return None


BUCKET = re.compile(r'^http_server_request_duration_seconds_bucket\{(?P<labels>[^}]*)\}\s+(?P<value>\S+)')


def login_buckets(path, status="200"):
    """Cumulative counts per upper bound of POST /api/auth/login answered with status, summed over other labels."""
    counts = {}
    for line in open(path, encoding="utf-8"):
        m = BUCKET.match(line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m["labels"]))
        if labels.get("http_route") != "/api/auth/login" or labels.get("http_response_status_code") != status:
            continue
        le = float("inf") if labels["le"] in ("+Inf", "Inf") else float(labels["le"])
        counts[le] = counts.get(le, 0.0) + float(m["value"])
    return counts


def active_requests(path):
    """POST requests (logins) Auth was still serving at the scrape (http.server.active_requests)."""
    total, seen = 0.0, False
    for line in open(path, encoding="utf-8"):
        m = re.match(r'^http_server_active_requests\{(?P<labels>[^}]*)\}\s+(?P<value>\S+)', line)
        seen = seen or m is not None
        if m and 'http_request_method="POST"' in m["labels"]:
            total += float(m["value"])
    return total if seen else None


def delta_buckets(before_path, after_path):
    before, after = login_buckets(before_path), login_buckets(after_path)
    return sorted((le, after[le] - before.get(le, 0.0)) for le in after)


def fmt(value, digits=0, unit=""):
    if value is None:
        return "n/a"
    if value == float("inf"):
        return "∞"
    return f"{value:,.{digits}f}{unit}"


def mark(ok):
    return "❔" if ok is None else ("✅" if ok else "❌")


def report(records, auth_before=None, auth_after=None):
    meta = {}
    for r in records:
        if r["kind"] == "meta":
            meta.update(r)
    runs = [Run(r) for r in records if r["kind"] == "run"]
    checks = {r["name"]: r["ok"] == "1" for r in records if r["kind"] == "check"}
    events = next((r for r in records if r["kind"] == "events"), None)
    rss = {r["name"]: num(r["mib"]) for r in records if r["kind"] == "rss"}
    startup = {r["name"]: num(r["seconds"]) for r in records if r["kind"] == "startup"}
    out = []
    w = out.append

    w(f"# Benchmark report ({meta.get('date', '?')})")
    w("")
    w(f"{meta.get('cores', '?')} cores ({meta.get('cpu', '?').replace('_', ' ')}), {meta.get('mem_gib', '?')} GiB; "
      f"MariaDB {meta.get('mariadb', '?')} and RabbitMQ on loopback; .NET SDK {meta.get('dotnet', '?')}; commit {meta.get('commit', '?')}. "
      f"Auth, Tasks and Web in Release, `ASPNETCORE_ENVIRONMENT=Production` (per-client rate limits raised). "
      f"wrk -t2, {meta.get('seconds', '?')} s per run, {meta.get('rounds', '?')} rounds per scenario alternating the system and "
      f"the bare baseline (MySqlConnector + minimal API, no auth, no middleware, same database); medians of the rounds. "
      f"Only the ratios within this run mean anything: absolute numbers of a shared machine vary.")
    w("")

    sides = {}
    for key, _, _ in SCENARIOS:
        for side in ("system", "baseline"):
            chosen = [r for r in runs if r.r["scenario"] == key and r.r["side"] == side]
            if chosen:
                sides[(key, side)] = Side(chosen)

    w("## Throughput and latency")
    w("")
    w("| scenario | side | req/s | p50 ms | p99 ms | non-2xx | socket errors | CPU s per run | CPU ms per request | RSS MiB after | ratio |")
    w("|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for key, title, bare in SCENARIOS:
        system, baseline = sides.get((key, "system")), sides.get((key, "baseline"))
        for side_name, side, label in (("system", system, title), ("baseline", baseline, bare)):
            if side is None:
                continue
            cpu = " · ".join(f"{NAMES[p]} {fmt(side.cpu(p), 1)}" for p in PROCESSES[side_name])
            service = ["tasks", "web"] if key == "gateway-c32" and side_name == "system" else [PROCESSES[side_name][0]]
            ratio = f"{system.rps / baseline.rps:.0%}" if side_name == "system" and baseline and baseline.rps else ""
            memory = " · ".join(f"{NAMES[p]} {fmt(side.runs[-1].rss(p))}" for p in PROCESSES[side_name] if p != "mariadb")
            w(f"| {label} | {side_name} | {fmt(side.rps)} | {fmt(side.p50, 1)} | {fmt(side.p99, 1)} | {side.non2xx} | "
              f"{side.socket_errors} | {cpu} | {fmt(side.cpu_ms_per_request(service), 2)} | {memory} | {ratio} |")
    w("")
    w("CPU ms per request: the service's CPU (Tasks; Tasks + Web through the gateway; the baseline process) ÷ requests. "
      "RSS after the side's last round.")
    w("Rounds, req/s (system / baseline): " + "; ".join(
        f"{key} " + ", ".join(f"{s.rps:,.0f} / {b.rps:,.0f}" for s, b in zip(sides[(key, "system")].runs, sides[(key, "baseline")].runs))
        for key, _, _ in SCENARIOS if (key, "system") in sides and (key, "baseline") in sides) + ".")
    w("")

    targets = []

    def target(text, measured, ok):
        targets.append(f"| {text} | {measured} | {mark(ok)} |")

    for key, share, label in (("list-c32", 0.70, "c=32"), ("list-c128", 0.60, "c=128")):
        system, baseline = sides.get((key, "system")), sides.get((key, "baseline"))
        if system and baseline:
            ratio = system.rps / baseline.rps
            target(f"GET /api/tasks {label} ≥ {share:.0%} of the bare list", f"{ratio:.0%} ({system.rps:,.0f} vs {baseline.rps:,.0f} req/s)", ratio >= share)
            target(f"GET /api/tasks {label} p99 ≤ 1.5 × the bare p99", f"{system.p99:.1f} vs {baseline.p99:.1f} ms ({system.p99 / baseline.p99:.2f} ×)",
                   system.p99 <= 1.5 * baseline.p99)
            target(f"GET /api/tasks {label}: 0 non-2xx, 0 socket errors", f"{system.non2xx} non-2xx, {system.socket_errors} socket errors",
                   system.non2xx == 0 and system.socket_errors == 0)
    if "total_count" in checks:
        target("GET /api/tasks: `X-Total-Count` and `Link` correct (50 tasks, checked before the load)",
               f"X-Total-Count {'ok' if checks['total_count'] else 'wrong'}, Link {'ok' if checks.get('link') else 'wrong'}",
               checks["total_count"] and checks.get("link", False))
    system, baseline = sides.get(("post-c32", "system")), sides.get(("post-c32", "baseline"))
    if system and baseline:
        ratio = system.rps / baseline.rps
        target("POST /api/tasks c=32 ≥ 50 % of the bare insert (task + outbox row, one transaction)",
               f"{ratio:.0%} ({system.rps:,.0f} vs {baseline.rps:,.0f} req/s; {system.non2xx} non-2xx, {system.socket_errors} socket errors)",
               ratio >= 0.5 and system.non2xx == 0 and system.socket_errors == 0)
    if events:
        created, seen, unpublished = int(events["created"]), int(events.get("events", 0)), int(events["unpublished"])
        target("Every created task's event on the broker, outbox drained",
               f"{seen:,} task events received for {created:,} tasks created; {unpublished} unpublished rows (gauge {events.get('gauge', '-')})",
               seen >= created > 0 and unpublished == 0)
        p99 = num(events.get("p99Ms"))
        target("Commit-to-delivery p99 ≤ 50 ms (probe on the tasks exchange; CloudEvent time → receipt)",
               f"p99 {fmt(p99, 1)} ms (p50 {fmt(num(events.get('p50Ms')), 1)}, max {fmt(num(events.get('maxMs')), 1)})",
               None if p99 is None or seen == 0 else p99 <= 50)
    for name in ("auth", "tasks", "web"):
        if name in rss:
            target(f"{NAMES[name]} resident memory ≤ {RSS_LIMIT_MIB} MiB after the load", f"{fmt(rss[name])} MiB",
                   None if rss[name] is None else rss[name] <= RSS_LIMIT_MIB)

    login_lines = []
    verify = next((r for r in runs if r.r["scenario"] == "login-c1"), None)
    flood = next((r for r in runs if r.r["scenario"] == "login-c32"), None)
    if verify and flood:
        cores = int(meta.get("cores", "2"))
        verify_s = verify.p50 / 1000
        bound = cores / verify_s if verify_s > 0 else None
        seconds = int(flood.r["duration_us"]) / 1e6
        accepted = sum(v for k, v in flood.codes.items() if 200 <= k < 300)
        rejected = flood.codes.get(503, 0)
        others = {k: v for k, v in flood.codes.items() if not 200 <= k < 300 and k != 503}
        rate = accepted / seconds
        p99 = fraction_1s = in_flight = None
        if auth_before and auth_after:
            in_flight = active_requests(auth_after)
            buckets = delta_buckets(auth_before, auth_after)
            p99 = quantile_from_histogram(buckets, 0.99)
            within = dict(buckets)
            if 1.0 in within and buckets and buckets[-1][1] > 0:
                fraction_1s = within[1.0] / buckets[-1][1]
        client_p99 = flood.accepted_us["p99"]
        if client_p99 is None:
            # A results file without the client's own timing: Auth's histogram decides.
            target("Login c=32: accepted p99 ≤ 1 s (Auth's request-duration histogram, 2xx only)",
                   f"p99 ≈ {fmt(p99, 2)} s; {fmt(None if fraction_1s is None else fraction_1s * 100, 1)} % within 1 s",
                   None if fraction_1s is None else fraction_1s >= 0.99)
        else:
            accepted_p99 = None if client_p99 < 0 else client_p99 / 1e6
            target("Login c=32: accepted p99 ≤ 1 s (each 2xx timed by the client)",
                   (f"p99 {fmt(accepted_p99, 2)} s (p50 {flood.accepted_us['p50'] / 1e6:.2f}, max {flood.accepted_us['max'] / 1e6:.2f})"
                    if accepted_p99 is not None else "no login was accepted")
                   + f"; Auth's histogram: p99 {'above its last bucket' if p99 == float('inf') else f'≈ {fmt(p99, 2)} s'}, "
                   + f"{fmt(None if fraction_1s is None else fraction_1s * 100, 1)} % within 1 s",
                   accepted_p99 is not None and accepted_p99 <= 1)
        target("Login c=32: 0 timeouts", f"{flood.timeouts} timeouts (wrk --timeout {meta.get('timeout', '?')} s)", flood.timeouts == 0)
        target("Login c=32: accepted rate ≥ 90 % of cores ÷ verify time",
               f"{rate:.2f}/s vs bound {fmt(bound, 2)}/s ({cores} cores ÷ {verify_s:.3f} s) = {fmt(None if not bound else rate / bound * 100, 0)} %",
               None if not bound else rate >= 0.9 * bound)
        login_lines += [
            f"Verify time (one client, p50 of {verify.requests} logins): {verify.p50:.0f} ms, so {cores} cores bound the rate at {fmt(bound, 2)}/s.",
            f"32 clients for {seconds:.0f} s (wrk at nice {meta.get('login_wrk_nice', '0')}): {accepted:,} accepted ({rate:.2f}/s), {rejected:,} answered 503, "
            + (", ".join(f"{v:,} × {k}" for k, v in sorted(others.items())) + ", " if others else "")
            + f"{flood.socket_errors} socket errors ({flood.timeouts} timeouts); wrk's latency over all responses p50 {flood.p50:.0f} ms, p99 {flood.p99:.0f} ms.",
            f"Logins Auth was still serving when wrk stopped (wrk counts them nowhere): {fmt(in_flight)}. "
            "Auth's histogram is scraped the moment wrk stops; logins that finish before the scrape is served count there too.",
        ]
    if "tasks" in startup:
        target("Tasks ready (`/health/ready` 200) ≤ 2 s after process start, migrations applied", f"{fmt(startup['tasks'], 2)} s",
               None if startup["tasks"] is None else startup["tasks"] <= 2)
    if "auth" in startup:
        target("Auth ready ≤ 2 s after process start (same measure)", f"{fmt(startup['auth'], 2)} s",
               None if startup["auth"] is None else startup["auth"] <= 2)

    w("## Targets of issue #12")
    w("")
    w("| target | measured | met |")
    w("|---|---|---|")
    out.extend(targets)
    w("")
    if login_lines:
        w("## Login")
        w("")
        out.extend(login_lines)
        w("")
    if rss:
        w("Resident memory after the load: " + ", ".join(f"{NAMES[n]} {fmt(v)} MiB" for n, v in rss.items()) + "."
          + (f" The first start of all five processes took {meta['first_start_s']} s." if "first_start_s" in meta else ""))
        w("")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit(__doc__)
    records = parse(argv[1])
    sys.stdout.write(report(records, *(argv[2:4] if len(argv) == 4 else (None, None))))


if __name__ == "__main__":
    main(sys.argv)
