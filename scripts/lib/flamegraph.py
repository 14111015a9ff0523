#!/usr/bin/env python3
"""Renders a speedscope profile (dotnet-trace convert/collect --format Speedscope) as a flame graph SVG.

    flamegraph.py PROFILE.speedscope.json OUTPUT.svg [TITLE]

Folds every thread's stacks (the sampled thread-time profile: time per stack), leaves out the stacks of threads that
only wait (an idle thread-pool worker, the socket event loop, timers), and draws the classic icicle-up flame graph:
width = share of the busy time, callers below callees, hover for the frame's name and share. No dependencies.
"""
import html
import json
import os
import re
import sys
import zlib

# Frames narrower than this (pixels) are left out; a larger value gives a smaller file (FLAMEGRAPH_MIN_WIDTH).
MIN_WIDTH = float(os.environ.get("FLAMEGRAPH_MIN_WIDTH", "0.3"))

# A sample of a thread parked in one of these is waiting, not working: it would fill the graph with idle time.
IDLE_FRAMES = (
    "LowLevelLifoSemaphore.Wait", "SocketAsyncEngine.EventLoop",
    "WaitHandle.WaitOneNoCheck", "WaitHandle.WaitOneCore", "Monitor.Wait", "Thread.Sleep", "ManualResetEventSlim.Wait",
    "SemaphoreSlim.Wait(", "Task.SpinThenBlockingWait", "Task.InternalWaitCore", "TimerQueue.TimerThread",
    "GateThread.GateThreadStart", "WaitSubsystem", "Interop+Sys.WaitForSocketEvents", "Interop+Sys.Read",
    "ConsoleLoggerProcessor.ProcessLogQueue", "FileSystemWatcher", "EventPipe", "DiagnosticServer",
)
# The converter's grouping frames (process, thread): dropped, so the threads' stacks merge.
GROUPING = re.compile(r"^(Process\d+ |Thread \(|Threads$|\(Non-Activities\)$)")
WIDTH, ROW, FONT = 1200, 17, 11


def fold(profile):
    """{stack tuple: weight} over every thread of a speedscope file (evented or sampled profiles)."""
    frames = [f["name"] for f in profile["shared"]["frames"]]
    folded = {}

    def add(stack, weight):
        if stack and weight > 0:
            key = tuple(frames[i] for i in stack)
            folded[key] = folded.get(key, 0.0) + weight

    for p in profile["profiles"]:
        if p.get("type") == "sampled":
            for sample, weight in zip(p["samples"], p["weights"]):
                add(sample, weight)
            continue
        stack, last = [], None
        for event in p.get("events", []):
            if last is not None:
                add(stack, event["at"] - last)
            last = event["at"]
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                # Close the named frame (and anything above it, should the file be unbalanced).
                while stack and stack.pop() != event["frame"]:
                    pass
    return folded


def readable(frame):
    """Module!Namespace.Type.Method(arguments) → Namespace.Type.Method: the arguments make the graph unreadable."""
    return re.sub(r"\(.*\)$", "", frame.split("!", 1)[-1]) or frame


def busy(folded):
    """The stacks of working threads, grouping frames dropped and names shortened, equal stacks merged."""
    kept = {}
    for stack, weight in folded.items():
        frames = [f for f in stack if not GROUPING.match(f)]
        if not frames or any(idle in f for f in frames for idle in IDLE_FRAMES):
            continue
        # A pool worker between two work items (spinning before it parks) is not working either.
        if frames[-1] == "UNMANAGED_CODE_TIME" and len(frames) >= 2 and "WorkerThreadStart" in frames[-2]:
            continue
        key = tuple(readable(f) for f in frames)
        kept[key] = kept.get(key, 0.0) + weight
    return kept


def tree(folded):
    root = {"name": "all", "value": 0.0, "children": {}}
    for stack, weight in folded.items():
        node = root
        node["value"] += weight
        for frame in stack:
            node = node["children"].setdefault(frame, {"name": frame, "value": 0.0, "children": {}})
            node["value"] += weight
    return root


def depth(node):
    return 1 + max((depth(c) for c in node["children"].values()), default=0)


def color(name):
    h = zlib.crc32(name.encode())
    if name.startswith(("TaskManagement", "Program")):
        return f"rgb({50 + h % 60},{140 + h % 80},{200 + h % 50})"  # the project's own code in blue
    return f"rgb({205 + h % 50},{80 + (h >> 8) % 130},{40 + (h >> 16) % 50})"


def render(root, title, subtitle):
    rows = depth(root)
    height = (rows + 3) * ROW + 10
    total = root["value"] or 1.0
    scale = (WIDTH - 20) / total
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="Verdana, sans-serif" font-size="{FONT}">',
        f'<rect width="100%" height="100%" fill="#fbfbf4"/>',
        f'<text x="{WIDTH / 2}" y="{ROW}" text-anchor="middle" font-size="{FONT + 4}">{html.escape(title)}</text>',
        f'<text x="{WIDTH / 2}" y="{2 * ROW}" text-anchor="middle" fill="#555">{html.escape(subtitle)}</text>',
    ]

    def draw(node, x, level):
        w = node["value"] * scale
        if w < MIN_WIDTH:
            return
        y = height - (level + 1) * ROW - 4
        share = node["value"] / total * 100
        label = html.escape(node["name"])
        parts.append(f'<g><title>{label} ({share:.2f} %)</title>'
                     f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{ROW - 1}" fill="{color(node["name"])}" rx="1"/>')
        chars = int(w / (FONT * 0.6))
        if chars >= 3:
            text = node["name"] if len(node["name"]) <= chars else node["name"][: chars - 2] + ".."
            parts.append(f'<text x="{x + 3:.2f}" y="{y + ROW - 5}">{html.escape(text)}</text>')
        parts.append("</g>")
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(child, child_x, level + 1)
            child_x += child["value"] * scale

    draw(root, 10, 0)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        folded = fold(json.load(f))
    kept = busy(folded)
    if not kept:
        sys.exit("no busy stacks in the profile: was the process under load while it was traced?")
    all_time, kept_time = sum(folded.values()), sum(kept.values())
    title = argv[3] if len(argv) == 4 else "Flame graph"
    subtitle = f"{len(kept):,} distinct busy stacks, {kept_time / 1000:,.1f} s of sampled thread time ({kept_time / all_time:.0%} of all threads' time; waiting threads left out)"
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(render(tree(kept), title, subtitle))


if __name__ == "__main__":
    main(sys.argv)
