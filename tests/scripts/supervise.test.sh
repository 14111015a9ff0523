#!/usr/bin/env bash
# scripts/lib/supervise.sh with dummy services: a service killed with SIGKILL is restarted with a growing
# back-off that resets once it has stayed up, and the restart is announced; a Ctrl-C (SIGINT to the
# process group, as a terminal sends it) stops every service, even one that ignores SIGTERM, and
# nothing is left running.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
tag="supervise-test-$$"
harness_pid=""
# running PATTERN: "pid command" of every process whose command line matches (no procps needed).
running() {
  local f pid cmd
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [ "$pid" = "$BASHPID" ] && continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
    if [[ $cmd =~ $1 ]]; then echo "$pid $cmd"; fi
  done
}
cleanup() {
  [ -n "$harness_pid" ] && kill -KILL -- "-$harness_pid" 2>/dev/null
  running "$tag" | while read -r pid _; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { printf '  FAIL %s\n' "$*"; failures=$((failures + 1)); }
ok() { printf '  ok   %s\n' "$*"; }
# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s
wait_for() { local n=$(($1 * 10)); shift; while ((n-- > 0)); do "$@" && return 0; sleep 0.1; done; return 1; }
lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
last_pid() { tail -n 1 "$tmp/$1.pids"; }
said() { grep -qF "$1" "$tmp/console"; }
said_times() { [ "$(grep -cF "$1" "$tmp/console")" -ge "$2" ]; }
harness_gone() { ! kill -0 "$harness_pid" 2>/dev/null; }

# The harness is what run.sh does: supervise the services, wait, stop them all on Ctrl-C.
# alpha is a plain service; beta ignores SIGTERM, so stopping it takes the SIGKILL escalation.
cat >"$tmp/harness.sh" <<SH
set -euo pipefail
LOG_TAG=run SUPERVISE_STABLE_SECONDS=3 SUPERVISE_STOP_TIMEOUT=1
. "$ROOT/scripts/lib/supervise.sh"
trap 'stop_supervised; exit 130' INT TERM
supervise alpha "$tmp/alpha.log" bash -c 'echo \$\$ >>"$tmp/alpha.pids"; echo alpha up; exec -a "$tag-alpha" sleep 1000'
supervise beta "$tmp/beta.log" bash -c 'trap "" TERM; echo \$\$ >>"$tmp/beta.pids"; exec -a "$tag-beta" sleep 1000'
wait
SH

# Job control gives the harness its own process group, like a foreground job in a terminal.
set -m
bash "$tmp/harness.sh" >"$tmp/console" 2>&1 &
harness_pid=$!
set +m

if ! { wait_for 10 lines "$tmp/alpha.pids" 1 && wait_for 10 lines "$tmp/beta.pids" 1; }; then fail "services did not start"; exit 1; fi
beta=$(last_pid beta)

first=$(last_pid alpha)
kill -KILL "$first"
if wait_for 5 lines "$tmp/alpha.pids" 2 && said "[run] alpha exited with code 137; restarting in 1 s"; then
  ok "a killed service is restarted after 1 s and the console says so"
else fail "after kill -9: pids $(tr '\n' ' ' <"$tmp/alpha.pids"); console: $(cat "$tmp/console")"; fi
if ! kill -0 "$(last_pid alpha)" 2>/dev/null || [ "$(last_pid alpha)" = "$first" ]; then fail "the restarted alpha is not running"; fi
if ! grep -q 'alpha exited with code 137' "$tmp/alpha.log" || [ "$(grep -c 'alpha up' "$tmp/alpha.log")" -ne 2 ]; then
  fail "the service log does not keep both runs and the restart: $(cat "$tmp/alpha.log")"
fi
if kill -0 "$beta" 2>/dev/null && [ "$(last_pid beta)" = "$beta" ]; then ok "the other service is untouched"
else fail "beta was restarted or stopped"; fi

kill -KILL "$(last_pid alpha)"
if wait_for 6 lines "$tmp/alpha.pids" 3 && said "[run] alpha exited with code 137; restarting in 2 s"; then
  ok "a second crash in a row waits 2 s"
else fail "second restart: console: $(cat "$tmp/console")"; fi

sleep 3.5 # longer than SUPERVISE_STABLE_SECONDS
kill -KILL "$(last_pid alpha)"
if wait_for 5 lines "$tmp/alpha.pids" 4 && [ "$(grep -c 'restarting in 1 s' "$tmp/console")" -eq 2 ]; then
  ok "the back-off starts again at 1 s after the service stayed up"
else fail "back-off not reset: console: $(cat "$tmp/console")"; fi

# Ctrl-C while alpha waits out its back-off and beta ignores SIGTERM.
kill -KILL "$(last_pid alpha)"
wait_for 5 said_times "alpha exited" 4 || fail "the fourth crash was not announced"
kill -INT -- "-$harness_pid"
if wait_for 10 harness_gone; then
  wait "$harness_pid"; code=$?
  ok "Ctrl-C ends run (exit $code)"
else fail "still running 10 s after Ctrl-C"; fi
left="$(running "$tag|$tmp/harness.sh")"
all_pids=$(cat "$tmp/alpha.pids" "$tmp/beta.pids")
alive=""; for p in $all_pids; do kill -0 "$p" 2>/dev/null && alive+=" $p"; done
if [ -z "$left" ] && [ -z "$alive" ]; then ok "after Ctrl-C nothing is left running"
else fail "left running after Ctrl-C: ${left:-}${alive:+ pids$alive}"; fi
if ! grep -q 'restarting in' <(tail -n 1 "$tmp/console") || [ "$(grep -c 'alpha exited' "$tmp/console")" -ne 4 ]; then
  fail "Ctrl-C was followed by restarts: $(cat "$tmp/console")"
fi

[ "$failures" -eq 0 ]
